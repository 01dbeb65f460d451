"""Taking up the bulk jobs of workers that died, by the next worker start or maintenance run.

A worker killed in the middle of a job (a crash, an out-of-memory kill, a deploy) leaves it
"running" with a claim nobody renews. `jobs_resume()` finds such jobs and queues each again
for the worker; the runner then claims it and carries on at the first item not done
(jobs.runner). It runs when `manage.py db_worker` starts (jobs' own command) and in every
`manage.py maintenance` run (registered in JobsConfig.ready()).
"""

import logging
from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.leases import holder_is_dead, lease_end
from jobs import runner
from jobs.models import BulkJob
from jobs.tasks import bulk_job_enqueue

logger = logging.getLogger(__name__)


def abandoned_jobs(now=None) -> list[BulkJob]:
    """Jobs no runner is looking after, oldest first:
    - running with an expired lease (or from before leases), or held by a dead runner on
      this host (a worker restarted at once need not wait for its old lease to expire);
    - queued again by an earlier call whose task no worker took within a lease period;
    - confirmed and queued a lease period ago without any runner having claimed them (the
      process died between committing the job and queueing its task).
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=runner.lease_seconds())
    queued = Q(state=BulkJob.State.QUEUED) & (
        Q(lease_expires_at__lte=now)
        | Q(lease_expires_at__isnull=True, confirmed_at__lte=stale)
        | Q(lease_expires_at__isnull=True, confirmed_at__isnull=True, created_at__lte=stale)
    )
    candidates = BulkJob.objects.filter(
        runner.lease_expired(now) | queued | Q(state=BulkJob.State.RUNNING)
    ).order_by("pk")
    return [
        job
        for job in candidates.only(
            "pk", "kind", "state", "lease_holder", "lease_expires_at", "resumed_count", "cursor"
        )
        if job.state == BulkJob.State.QUEUED
        or job.lease_expires_at is None
        or job.lease_expires_at <= now
        or holder_is_dead(job.lease_holder)
    ]


def job_requeue(*, job: BulkJob, now=None) -> bool:
    """Put abandoned `job` back in the queue, if nothing changed it since it was read (a
    compare-and-set on its state and lease: a runner that renewed its lease meanwhile
    keeps it). A running job counts as resumed. The queued job carries a deadline, one
    lease period on, after which it is queued again if no worker has claimed it.

    A job already resumed runner.MAX_RESUMES times is not queued again but stopped as
    failed, with the item in hand named among its errors: something in that item kills
    the worker each time (memory, a crash in a library), and a person must look at it.
    Returns whether this call requeued it."""
    now = now or timezone.now()
    unchanged = BulkJob.objects.filter(
        pk=job.pk,
        state=job.state,
        lease_holder=job.lease_holder,
        lease_expires_at=job.lease_expires_at,
    )
    if job.state == BulkJob.State.RUNNING and job.resumed_count >= runner.MAX_RESUMES:
        kind = runner.kind_or_none(job.kind)
        item = job.items[job.cursor] if job.cursor < len(job.items) else None
        ref = kind.item_ref(job, item) if kind and item is not None else f"#{job.cursor + 1}"
        message = _(
            "Máy xử lý đã dừng đột ngột %(count)s lần khi làm đến mục này; việc đã dừng để "
            "bộ phận kỹ thuật kiểm tra. Các mục trước đó đã được thực hiện."
        ) % {"count": job.resumed_count + 1}
        if unchanged.update(
            state=BulkJob.State.FAILED,
            lease_holder="",
            lease_expires_at=None,
            finished_at=now,
            errors=[*job.errors, {"ref": ref, "message": message}],
        ):
            logger.error("Background job %s killed its worker at item %s", job.pk, job.cursor)
        return False
    updates = {
        "state": BulkJob.State.QUEUED,
        "lease_holder": "",
        "lease_expires_at": lease_end(runner.lease_seconds(), now),
    }
    if job.state == BulkJob.State.RUNNING:
        updates.update(resumed_count=F("resumed_count") + 1, resumed_at=now)
    return bool(unchanged.update(**updates))


def jobs_resume() -> int:
    """Queue every abandoned job again for the worker (see abandoned_jobs); return how many.
    The task claims the job exclusively, so a job queued twice still runs once."""
    resumed = 0
    for job in abandoned_jobs():
        if job_requeue(job=job):
            logger.warning("Background job %s had no live runner: queued again", job.pk)
            bulk_job_enqueue(job.pk)
            resumed += 1
    return resumed
