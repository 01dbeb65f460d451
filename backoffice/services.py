"""Writes of the back office: bulk decisions and the life of a background job."""

import dataclasses

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.services import audit_log
from backoffice import imports
from cases.choices import AWAITING_REVIEW, RejectReason
from cases.hints import duplicate_hints
from cases.models import Case
from cases.services import case_accept, case_reject
from jobs import runner
from jobs.models import BulkJob
from jobs.tasks import bulk_job_enqueue

ACCEPT_KIND = "accept_cases"
REJECT_KIND = "reject_cases"
MAX_BULK_CASES = 5000


# Bulk decisions ------------------------------------------------------------------------


def bulk_decision_create(
    *, by: User, action: str, cases: QuerySet[Case], reason: str = "", note: str = ""
) -> BulkJob:
    """A job, awaiting confirmation, that accepts or rejects the awaiting cases among `cases`.

    Each item keeps what the confirmation must show (issue 14 item 8): the case's danger
    signs and duplicate hints (cases.hints); for an acceptance, a case with danger signs
    or the same ID number or test photo as another is held (`hold`), left out unless the
    officer ticks it on the confirmation (bulk_job_confirm)."""
    if not by.may_act_for(by.unit_id):
        raise PermissionDenied
    if action not in ("accept", "reject"):
        raise ValidationError(_("Vui lòng chọn việc cần làm."))
    if action == "reject" and reason not in RejectReason.values:
        raise ValidationError({"reason": _("Vui lòng chọn lý do từ chối tiếp nhận.")})
    if action == "reject" and reason == RejectReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Vui lòng ghi rõ lý do khác.")})
    rows = list(
        cases.filter(commune_id=by.unit_id, status__in=AWAITING_REVIEW)
        .select_related("test_photo")
        .order_by("submitted_at", "pk")[: MAX_BULK_CASES + 1]
    )
    if not rows:
        raise ValidationError(_("Không có hồ sơ chờ tiếp nhận nào trong các hồ sơ đã chọn."))
    if len(rows) > MAX_BULK_CASES:
        raise ValidationError(
            _("Mỗi lần xử lý tối đa %(max)s hồ sơ; vui lòng lọc bớt.") % {"max": MAX_BULK_CASES}
        )
    items = _decision_items(by, rows, hold=action == "accept")
    return BulkJob.objects.create(
        kind=ACCEPT_KIND if action == "accept" else REJECT_KIND,
        commune_id=by.unit_id,
        created_by=by,
        params={"reason": reason, "note": note.strip()},
        items=items,
        total=len(items),
    )


# Hints that hold a case back from a bulk acceptance: the same ID number or test photo is
# likely the same person or a reused test; the same name and birth date or phone often is not.
HOLDING_HINTS = ("id_number", "photo")


def _decision_items(by: User, rows: list[Case], *, hold: bool) -> list[dict]:
    """{"case", "code", "hold", "danger", "hints"} for each case, hints as plain data."""
    hints = duplicate_hints(by, rows)
    items = []
    for case in rows:
        found = hints.get(case.pk, [])
        held = case.has_danger_signs or any(h.kind in HOLDING_HINTS for h in found)
        items.append(
            {
                "case": case.pk,
                "code": case.tracking_code,
                "hold": hold and held,
                "danger": case.has_danger_signs,
                "hints": [
                    {"kind": h.kind, "others": [dataclasses.asdict(o) for o in h.others[:3]]}
                    for h in found
                ],
            }
        )
    return items


def _case_of(job: BulkJob, item: dict) -> Case:
    case = Case.objects.get(pk=item["case"])
    if case.commune_id != job.commune_id:
        raise ValidationError(_("Hồ sơ đã được chuyển sang xã khác."))
    return case


def accept_one(job: BulkJob, item: dict) -> str:
    case_accept(
        case=_case_of(job, item),
        by=job.created_by,
        note=job.params.get("note", ""),
        audit_detail={"job": job.pk},
    )
    return "accepted"


def reject_one(job: BulkJob, item: dict) -> str:
    case_reject(
        case=_case_of(job, item),
        by=job.created_by,
        reason=job.params["reason"],
        note=job.params.get("note", ""),
        audit_detail={"job": job.pk},
    )
    return "rejected"


def _case_ref(job: BulkJob, item: dict) -> str:
    return item["code"]


def register_job_kinds() -> None:
    runner.register(
        runner.JobKind(
            code=imports.IMPORT_KIND,
            label=gettext_lazy("Nhập hồ sơ từ Excel"),
            run_item=imports.import_one,
            item_ref=imports.import_item_ref,
            confirm_label=gettext_lazy("Xác nhận nhập hồ sơ"),
            outcome_labels={
                "created": gettext_lazy("Hồ sơ mới"),
                "linked": gettext_lazy("Gắn vào hồ sơ đang mở"),
            },
        )
    )
    runner.register(
        runner.JobKind(
            code=ACCEPT_KIND,
            label=gettext_lazy("Tiếp nhận hàng loạt"),
            run_item=accept_one,
            item_ref=_case_ref,
            confirm_label=gettext_lazy("Xác nhận tiếp nhận"),
        )
    )
    runner.register(
        runner.JobKind(
            code=REJECT_KIND,
            label=gettext_lazy("Từ chối tiếp nhận hàng loạt"),
            run_item=reject_one,
            item_ref=_case_ref,
            confirm_label=gettext_lazy("Xác nhận từ chối tiếp nhận"),
        )
    )


# Job life ------------------------------------------------------------------------------


def bulk_job_confirm(
    *, job: BulkJob, by: User, picked: set[int] | None = None, request=None
) -> BulkJob:
    """Queue a previewed job for the background worker.

    For a bulk decision, `picked` is the case ids ticked on the confirmation: the job keeps
    those items only. Without it, the held items (see bulk_decision_create) are left out:
    a held case never goes through unless someone ticked it.
    Raises ValidationError when the job is no longer a preview or nothing is left to do."""
    with transaction.atomic():
        job = BulkJob.objects.select_for_update().get(pk=job.pk)
        if job.state != BulkJob.State.PREVIEW:
            raise ValidationError(_("Việc này đã được xác nhận hoặc đã hủy."))
        fields = ["state", "confirmed_at"]
        if job.kind in (ACCEPT_KIND, REJECT_KIND):
            job.items = [
                item
                for item in job.items
                if (item["case"] in picked if picked is not None else not item.get("hold"))
            ]
            job.total = len(job.items)
            fields += ["items", "total"]
            if not job.items:
                raise ValidationError(_("Vui lòng đánh dấu ít nhất một hồ sơ."))
        if not job.items:
            raise ValidationError(_("Không có dòng hợp lệ nào để thực hiện."))
        job.state = BulkJob.State.QUEUED
        job.confirmed_at = timezone.now()
        job.save(update_fields=fields)
        audit_log(
            action="job.confirm",
            request=request,
            actor=by,
            obj=job,
            unit=job.commune,
            detail={"kind": job.kind, "total": job.total},
        )
    # Enqueued once the job row is committed, so that a worker always finds it queued.
    bulk_job_enqueue(job.pk)
    job.refresh_from_db()
    return job


def bulk_job_cancel(*, job: BulkJob, by: User, request=None) -> BulkJob:
    """Stop a job: a preview is dropped, a running job stops before its next items."""
    with transaction.atomic():
        job = BulkJob.objects.select_for_update().get(pk=job.pk)
        if job.is_finished:
            raise ValidationError(_("Việc này đã kết thúc."))
        job.state = BulkJob.State.CANCELLED
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "finished_at"])
        audit_log(
            action="job.cancel", request=request, actor=by, obj=job, unit=job.commune, detail={}
        )
    return job
