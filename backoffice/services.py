"""Writes of the back office: bulk decisions and the life of a background job."""

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
    """A job, awaiting confirmation, that accepts or rejects the awaiting cases among `cases`."""
    if not by.may_act_for(by.unit_id):
        raise PermissionDenied
    if action not in ("accept", "reject"):
        raise ValidationError(_("Vui lòng chọn việc cần làm."))
    if action == "reject" and reason not in RejectReason.values:
        raise ValidationError({"reason": _("Vui lòng chọn lý do không tiếp nhận.")})
    if action == "reject" and reason == RejectReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Vui lòng ghi rõ lý do khác.")})
    rows = (
        cases.filter(commune_id=by.unit_id, status__in=AWAITING_REVIEW)
        .order_by("submitted_at", "pk")
        .values_list("pk", "tracking_code")[: MAX_BULK_CASES + 1]
    )
    items = [{"case": pk, "code": code} for pk, code in rows]
    if not items:
        raise ValidationError(_("Không có hồ sơ chờ tiếp nhận nào trong các hồ sơ đã chọn."))
    if len(items) > MAX_BULK_CASES:
        raise ValidationError(
            _("Mỗi lần xử lý tối đa %(max)s hồ sơ; vui lòng lọc bớt.") % {"max": MAX_BULK_CASES}
        )
    return BulkJob.objects.create(
        kind=ACCEPT_KIND if action == "accept" else REJECT_KIND,
        commune_id=by.unit_id,
        created_by=by,
        params={"reason": reason, "note": note.strip()},
        items=items,
        total=len(items),
    )


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
            label=gettext_lazy("Không tiếp nhận hàng loạt"),
            run_item=reject_one,
            item_ref=_case_ref,
            confirm_label=gettext_lazy("Xác nhận không tiếp nhận"),
        )
    )


# Job life ------------------------------------------------------------------------------


def bulk_job_confirm(*, job: BulkJob, by: User, request=None) -> BulkJob:
    """Queue a previewed job for the background worker."""
    with transaction.atomic():
        job = BulkJob.objects.select_for_update().get(pk=job.pk)
        if job.state != BulkJob.State.PREVIEW:
            raise ValidationError(_("Việc này đã được xác nhận hoặc đã hủy."))
        if not job.items:
            raise ValidationError(_("Không có dòng hợp lệ nào để thực hiện."))
        job.state = BulkJob.State.QUEUED
        job.confirmed_at = timezone.now()
        job.save(update_fields=["state", "confirmed_at"])
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
