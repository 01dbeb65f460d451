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

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core.leases import expired_q, holder_id, lease_end
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


# A job whose worker died this many times is not taken up again: jobs.recovery stops it.
MAX_RESUMES = 5


class LeaseLost(Exception):
    """The runner no longer holds the job (another runner took it up after this one's lease
    expired, or someone cancelled it): the item in hand is rolled back and the runner leaves."""


def lease_seconds() -> int:
    """How long a claim lasts without news from its runner (settings.BULK_JOB_LEASE_SECONDS)."""
    return int(getattr(settings, "BULK_JOB_LEASE_SECONDS", 300))


def _lease_fields(holder: str, now) -> dict[str, Any]:
    return {
        "state": BulkJob.State.RUNNING,
        "lease_holder": holder,
        "lease_expires_at": lease_end(lease_seconds(), now),
        "started_at": Coalesce(F("started_at"), Value(now)),
    }


def lease_expired(now) -> Q:
    """Running jobs whose runner has given no news for a lease period (or that were
    running before jobs had leases): the ones a new runner may take over."""
    return Q(state=BulkJob.State.RUNNING) & expired_q(now)


def job_claim(*, job_id: int, holder: str) -> BulkJob | None:
    """Take job `job_id` for runner `holder`, exclusively, and return it; None when this
    runner must leave it alone (another runner holds a live lease; or the job is a preview,
    finished, cancelled or gone).

    The claim is one compare-and-set UPDATE (WHERE the job is queued, or running with an
    expired lease), which the database applies to one claimant only, on SQLite as on
    PostgreSQL: of two runners started at once, the second updates no row and leaves. A
    running job taken over counts as resumed (`resumed_count`, `resumed_at`); one resumed
    MAX_RESUMES times is left to jobs.recovery, which stops it."""
    now = timezone.now()
    jobs = BulkJob.objects.filter(pk=job_id)
    takeover = jobs.filter(lease_expired(now), resumed_count__lt=MAX_RESUMES)
    claimed = takeover.update(
        **_lease_fields(holder, now), resumed_count=F("resumed_count") + 1, resumed_at=now
    ) or jobs.filter(state=BulkJob.State.QUEUED).update(**_lease_fields(holder, now))
    return jobs.first() if claimed else None


def job_run(*, job_id: int, holder: str | None = None) -> BulkJob | None:
    """Claim job `job_id` (job_claim) and run it from its cursor to the end; return it as it
    then stands. A job another runner holds, or that is finished or cancelled, is left
    alone; a cancellation or a takeover while running makes this runner stop after
    rolling back the item in hand. An unexpected error stops the job as failed."""
    holder = holder or holder_id()
    job = job_claim(job_id=job_id, holder=holder)
    if job is None:
        return BulkJob.objects.filter(pk=job_id).first()
    mine = BulkJob.objects.filter(pk=job.pk, state=BulkJob.State.RUNNING, lease_holder=holder)
    try:
        _run_items(job, kind_of(job.kind), holder)
    except LeaseLost:
        logger.info(
            "Background job %s: runner %s left it (taken over or cancelled)", job.pk, holder
        )
    except Exception:
        logger.exception("Background job %s stopped", job.pk)
        mine.update(state=BulkJob.State.FAILED, **_released())
        raise
    else:
        mine.update(state=BulkJob.State.DONE, **_released())
    job.refresh_from_db()
    return job


def _released() -> dict[str, Any]:
    return {"lease_holder": "", "lease_expires_at": None, "finished_at": timezone.now()}


def _renewed_lease():
    return lease_end(lease_seconds())


def _run_items(job: BulkJob, kind: JobKind, holder: str) -> None:
    """Run the items from the cursor on. Each item's progress is a compare-and-set on the
    cursor and the lease (WHERE still running, held by `holder`, at this item) written in
    the item's own transaction: the item's writes and its being counted commit together or
    not at all, so a runner taking over after a crash starts at the first item not done,
    and a runner that lost its lease rolls its item back (LeaseLost) instead of doing it a
    second time. The lease is renewed with every item."""
    errors = list(job.errors)
    outcomes = dict(job.params.get("outcomes", {}))
    for index in range(job.cursor, len(job.items)):
        item = job.items[index]
        mine = BulkJob.objects.filter(
            pk=job.pk, state=BulkJob.State.RUNNING, lease_holder=holder, cursor=index
        )
        try:
            with transaction.atomic():
                outcome = kind.run_item(job, item)
                updates: dict[str, Any] = {
                    "cursor": index + 1,
                    "done": F("done") + 1,
                    "lease_expires_at": _renewed_lease(),
                }
                counted = outcomes
                if outcome:
                    counted = {**outcomes, outcome: outcomes.get(outcome, 0) + 1}
                    updates["params"] = {**job.params, "outcomes": counted}
                if not mine.update(**updates):
                    raise LeaseLost
            outcomes = counted
            job.params = updates.get("params", job.params)
        except LeaseLost:
            raise
        except Exception as exc:
            if not isinstance(exc, ValidationError | PermissionDenied | ObjectDoesNotExist):
                logger.exception("Item %s of job %s failed", index, job.pk)
            errors.append({"ref": kind.item_ref(job, item), "message": failure_message(exc)})
            if not mine.update(
                cursor=index + 1,
                failed=F("failed") + 1,
                errors=errors,
                lease_expires_at=_renewed_lease(),
            ):
                raise LeaseLost from exc
