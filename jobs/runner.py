"""Kinds of background job and the loop that runs one, item by item.

The runner knows no kind itself: the apps above it register theirs (an extension point,
so that this floor-0 app imports none of them).

An app adds a kind in its AppConfig.ready():

    from jobs import runner
    runner.register(runner.JobKind(code="issue_decisions", label=_("Ban hành quyết định"),
                                   run_item=issue_one, item_ref=lambda job, item: item["code"]))

`run_item(job, item)` does one item's work (in a transaction the runner opens) and may
return a short outcome code that is counted ("created", "linked"); it raises
ValidationError, PermissionDenied or ObjectDoesNotExist to report that item as failed,
with the exception's message as the reason.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from jobs.models import BulkJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobKind:
    code: str
    label: str | Promise
    run_item: Callable[[BulkJob, Any], str | None]
    item_ref: Callable[[BulkJob, Any], str]
    # What the confirm button says, e.g. "Tiếp nhận 312 hồ sơ".
    confirm_label: str | Promise = ""
    # Which outcome codes to show, with their labels: {"created": "Hồ sơ mới"}.
    outcome_labels: dict[str, str | Promise] | None = None


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    _KINDS[kind.code] = kind


def kind_of(code: str) -> JobKind:
    return _KINDS[code]


def kind_or_none(code: str) -> JobKind | None:
    """The kind registered under `code`, or None (a job of a kind no app registers now)."""
    return _KINDS.get(code)


def label_of(code: str) -> str:
    kind = _KINDS.get(code)
    return str(kind.label) if kind else code


def failure_message(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    if isinstance(exc, PermissionDenied):
        return _("Tài khoản không có quyền thực hiện việc này với hồ sơ.")
    if isinstance(exc, ObjectDoesNotExist):
        return _("Không tìm thấy hồ sơ (có thể đã bị xóa).")
    return _("Lỗi hệ thống khi xử lý; đã ghi vào nhật ký để kiểm tra.")


def job_run(*, job_id: int) -> BulkJob | None:
    """Run a queued job from its cursor to the end; a finished or cancelled job is left alone."""
    with transaction.atomic():
        job = BulkJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state not in (BulkJob.State.QUEUED, BulkJob.State.RUNNING):
            return job
        job.state = BulkJob.State.RUNNING
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["state", "started_at"])
    kind = kind_of(job.kind)
    try:
        _run_items(job, kind)
    except Exception:
        logger.exception("Background job %s stopped", job.pk)
        BulkJob.objects.filter(pk=job.pk).update(
            state=BulkJob.State.FAILED, finished_at=timezone.now()
        )
        raise
    BulkJob.objects.filter(pk=job.pk, state=BulkJob.State.RUNNING).update(
        state=BulkJob.State.DONE, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _run_items(job: BulkJob, kind: JobKind) -> None:
    errors = list(job.errors)
    outcomes = dict(job.params.get("outcomes", {}))
    for index in range(job.cursor, len(job.items)):
        item = job.items[index]
        # A cancellation between two items stops the job there.
        if index % 20 == 0 and (
            BulkJob.objects.filter(pk=job.pk).values_list("state", flat=True).first()
            != BulkJob.State.RUNNING
        ):
            return
        try:
            with transaction.atomic():
                outcome = kind.run_item(job, item)
                # The cursor moves in the item's own transaction: a rerun after a crash
                # never does an item twice.
                updates: dict[str, Any] = {"cursor": index + 1, "done": F("done") + 1}
                if outcome:
                    outcomes[outcome] = outcomes.get(outcome, 0) + 1
                    job.params["outcomes"] = outcomes
                    updates["params"] = job.params
                BulkJob.objects.filter(pk=job.pk).update(**updates)
        except Exception as exc:
            if not isinstance(exc, ValidationError | PermissionDenied | ObjectDoesNotExist):
                logger.exception("Item %s of job %s failed", index, job.pk)
            errors.append({"ref": kind.item_ref(job, item), "message": failure_message(exc)})
            BulkJob.objects.filter(pk=job.pk).update(
                cursor=index + 1, failed=F("failed") + 1, errors=errors
            )
