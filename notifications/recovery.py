"""Taking up the deliveries of workers that died, at the next maintenance run or worker start.

A worker killed while it sends a message (a crash, an out-of-memory kill, a deploy) leaves
the row pending and claimed by nobody alive, and its task "running" in the queue for ever.
`deliveries_resume()` finds pending rows whose claim has ended (notifications.tasks
delivery_claim; core.leases) and queues each again; the next claim takes it. The same
pattern as the bulk jobs' (jobs.recovery).

A message whose worker died after the gateway accepted it but before the row was marked
sent goes out a second time: delivery is at least once, never silently lost.
"""

import logging

from django.db.models import Q
from django.utils import timezone

from core.leases import holder_is_dead, lease_end
from notifications.models import Notification
from notifications.tasks import delivery_enqueue, lease_seconds, max_attempts

logger = logging.getLogger(__name__)


def abandoned_deliveries(now=None) -> list[Notification]:
    """Pending rows no worker is looking after, oldest first: claimed with a lease that has
    ended (or by a dead worker on this host), or queued again by an earlier call whose
    task no worker claimed within a lease period."""
    now = now or timezone.now()
    candidates = (
        Notification.objects.filter(status=Notification.Status.PENDING)
        .filter(Q(lease_expires_at__lte=now) | ~Q(lease_holder=""))
        .only("pk", "kind", "attempts", "lease_holder", "lease_expires_at", "body", "sensitive")
        .order_by("pk")
    )
    return [
        row
        for row in candidates
        if row.lease_expires_at is None
        or row.lease_expires_at <= now
        or holder_is_dead(row.lease_holder)
    ]


def delivery_requeue(*, notification: Notification, now=None) -> bool:
    """Queue the abandoned `notification` again, if nothing changed it since it was read (a
    compare-and-set on its lease: a worker that claimed it meanwhile keeps it). The row
    carries a deadline one lease on, after which it is queued again if no worker claimed
    it. A row whose attempts (the killed ones count) reached NOTIFICATION_MAX_ATTEMPTS is
    marked failed instead: something in it kills the worker. Returns whether it was
    queued."""
    now = now or timezone.now()
    unchanged = Notification.objects.filter(
        pk=notification.pk,
        status=Notification.Status.PENDING,
        lease_holder=notification.lease_holder,
        lease_expires_at=notification.lease_expires_at,
    )
    if notification.attempts >= max_attempts():
        if unchanged.update(
            status=Notification.Status.FAILED,
            lease_holder="",
            lease_expires_at=None,
            last_error="the worker died while delivering it, at every attempt",
        ):
            logger.error("Notification %s killed its worker at every attempt", notification.pk)
        return False
    requeued = unchanged.update(lease_holder="", lease_expires_at=lease_end(lease_seconds(), now))
    if requeued:
        delivery_enqueue(notification.pk)
    return bool(requeued)


def deliveries_resume() -> int:
    """Queue again every delivery no live worker holds (see abandoned_deliveries); return
    how many. Delivery claims the row first, so a row queued twice is sent once."""
    resumed = 0
    for notification in abandoned_deliveries():
        if delivery_requeue(notification=notification):
            logger.warning("Notification %s had no live worker: queued again", notification.pk)
            resumed += 1
    return resumed
