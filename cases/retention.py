"""Retention of personal data: once a case has been closed for CASE_RETENTION_DAYS, its
personal data is removed and only what the statistics need is kept (commune, dates, status,
outcome, flags, year of birth, sex). Issued documents are official records and are kept."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases.choices import OPEN_STATUSES
from cases.models import Case, CaseEvent, RecoveryDeclaration

PURGED_NAME = "(đã xóa theo thời hạn lưu trữ)"
PERSONAL_FIELDS_CLEARED = {
    "full_name": PURGED_NAME,
    "name_key": "",
    "id_number": "",
    "guardian_name": "",
    "guardian_id_number": "",
    "guardian_phone": "",
    "phone": "",
    "email": "",
    "village": "",
    "house_number": "",
    "workplace": "",
    "social_insurance_number": "",
    "test_place": "",
}


# Called as hook(case_ids=[...]) in the transaction that purges those cases: apps above
# cases remove what they keep of them (documents: the drafts).
_purge_hooks: list = []


def purge_hook_register(hook) -> None:
    """Add `hook` to the functions called for each purged batch (once however often
    `AppConfig.ready()` runs)."""
    if hook not in _purge_hooks:
        _purge_hooks.append(hook)


def retention_cutoff() -> timezone.datetime:
    return timezone.now() - timedelta(days=settings.CASE_RETENTION_DAYS)


def cases_purge_personal_data(*, closed_before=None, batch_size: int = 500) -> int:
    """Remove the personal data of cases closed before `closed_before`; return how many."""
    from uploads.services import upload_delete

    closed_before = closed_before or retention_cutoff()
    purged = 0
    while True:
        with transaction.atomic():
            cases = list(
                Case.objects.select_for_update(skip_locked=True, of=("self",))
                .exclude(status__in=OPEN_STATUSES)
                .filter(closed_at__lt=closed_before, personal_data_purged_at__isnull=True)
                .select_related("test_photo", "id_photo")[:batch_size]
            )
            if not cases:
                return purged
            now = timezone.now()
            photos = []
            for case in cases:
                photos += [p for p in (case.test_photo, case.id_photo) if p is not None]
                for name, value in PERSONAL_FIELDS_CLEARED.items():
                    setattr(case, name, value)
                case.date_of_birth = date(case.date_of_birth.year, 1, 1)
                case.test_photo = case.id_photo = None
                case.personal_data_purged_at = now
            Case.objects.bulk_update(
                cases,
                [
                    *PERSONAL_FIELDS_CLEARED,
                    "date_of_birth",
                    "test_photo",
                    "id_photo",
                    "personal_data_purged_at",
                ],
            )
            ids = [c.pk for c in cases]
            declarations = RecoveryDeclaration.objects.filter(case_id__in=ids)
            photos += [
                d.result_photo
                for d in declarations.select_related("result_photo")
                if d.result_photo
            ]
            declarations.update(result_photo=None)
            # Linked declarations and corrections carry declared values in their data.
            CaseEvent.objects.filter(case_id__in=ids).filter(
                Q(kind="declaration_linked") | Q(kind="corrected")
            ).update(data={})
            for hook in _purge_hooks:
                hook(case_ids=ids)
            for photo in photos:
                upload_delete(upload=photo)
            purged += len(cases)
