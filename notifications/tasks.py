"""Background delivery of outbox rows: claimed with a lease, sent by the row's channel
(notifications.channels), retried a bounded number of times, spaced out."""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from core.leases import expired_q, holder_id, lease_end
from notifications import channels
from notifications.backends import PermanentDeliveryError
from notifications.models import Notification

logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_RETRY_DELAY_SECONDS = 60
DEFAULT_LEASE_SECONDS = 120
_SECRET_DIGITS = re.compile(r"[0-9]{4,}")


def max_attempts() -> int:
    return max(1, int(getattr(settings, "NOTIFICATION_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)))


def retry_delay(attempts_so_far: int) -> timedelta:
    """Wait before the next attempt: the base delay, doubled after each failure."""
    base = int(getattr(settings, "NOTIFICATION_RETRY_DELAY_SECONDS", DEFAULT_RETRY_DELAY_SECONDS))
    return timedelta(seconds=base * 2 ** max(0, attempts_so_far - 1))


def delivery_enqueue(notification_id: int, *, delay: timedelta | None = None) -> None:
    """Queue one delivery attempt, later if the task backend can defer and a delay is asked."""
    deliver = notification_deliver
    if delay and deliver.get_backend().supports_defer:
        deliver = deliver.using(run_after=timezone.now() + delay)
    deliver.enqueue(notification_id)


def _finished_body(notification: Notification) -> str:
    # A one-time code is useless once delivery is over and must not linger in the outbox.
    if notification.sensitive:
        return _SECRET_DIGITS.sub("******", notification.body)
    return notification.body


def lease_seconds() -> int:
    """How long a worker holds a message it is delivering (NOTIFICATION_LEASE_SECONDS)."""
    return max(1, int(getattr(settings, "NOTIFICATION_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)))


def delivery_claim(notification_id: int, *, holder: str) -> Notification | None:
    """Take the pending row `notification_id` for worker `holder`, exclusively, and count
    the attempt; None when it is not to be delivered now (sent, failed, purged, or held by
    a worker whose lease has not ended).

    One compare-and-set UPDATE (WHERE pending and not held by a live lease), which the
    database applies for one claimant only: of two tasks for the same row (a retry and a
    re-queue by notifications.recovery), the second finds it claimed and leaves. The
    pattern of jobs.runner.job_claim, with core.leases."""
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, status=Notification.Status.PENDING)
        .filter(Q(lease_holder="") | expired_q(now))
        .update(
            lease_holder=holder,
            lease_expires_at=lease_end(lease_seconds(), now),
            attempts=F("attempts") + 1,
        )
    )
    return Notification.objects.filter(pk=notification_id).first() if claimed else None


def _fall_back(notification: Notification, spec: channels.ChannelSpec) -> None:
    # The person cannot be reached on this channel (no Zalo account...): the same text goes
    # by the fallback channel, as a row of its own with its own delivery.
    from notifications.services import notification_send

    notification_send(
        channel=spec.fallback,
        recipient=notification.recipient,
        kind=notification.kind,
        subject=notification.subject,
        body=notification.body,
        ref=(notification.object_type, notification.object_id)
        if notification.object_type
        else None,
        sensitive=notification.sensitive,
        params=notification.params,
    )


@task()
def notification_deliver(notification_id: int) -> str:
    """Make one delivery attempt for a pending outbox row and record its outcome.

    The row is claimed first (delivery_claim): a duplicate run, or a run while another
    worker holds it, does nothing. Any error from the channel's sender is caught and
    recorded: the row is retried later until NOTIFICATION_MAX_ATTEMPTS is reached, then
    marked failed; a PermanentDeliveryError marks it failed at once and hands the text to
    the channel's fallback (notifications.channels). A worker killed while sending leaves
    the row claimed; notifications.recovery queues it again once the lease has ended.
    """
    holder = holder_id()
    notification = delivery_claim(notification_id, holder=holder)
    if notification is None:
        return "skipped"
    mine = Notification.objects.filter(pk=notification.pk, lease_holder=holder)
    released = {"lease_holder": "", "lease_expires_at": None}
    # No transaction is held while the gateway answers: it may take seconds.
    try:
        spec = channels.channel_of(notification.channel)
        spec.send(notification)
    except Exception as exc:
        attempts = notification.attempts
        error = f"{type(exc).__name__}: {exc}"[:1000]
        permanent = isinstance(exc, PermanentDeliveryError)
        final = permanent or attempts >= max_attempts()
        changes = {"last_error": error, **released}
        if final:
            changes |= {
                "status": Notification.Status.FAILED,
                "body": _finished_body(notification),
            }
        mine.update(**changes)
        if final:
            logger.error(
                "Notification %s (%s) failed after %d attempts: %s",
                notification.pk,
                notification.kind,
                attempts,
                error,
            )
            fallback = channels.channel_or_none(notification.channel)
            if permanent and fallback is not None and fallback.fallback:
                _fall_back(notification, fallback)
                return "fallback"
            return "failed"
        logger.warning(
            "Notification %s attempt %d failed, will retry: %s", notification.pk, attempts, error
        )
        try:
            delivery_enqueue(notification.pk, delay=retry_delay(attempts))
        except Exception:
            logger.exception("Could not queue a retry of notification %s", notification.pk)
        return "retrying"
    mine.update(
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
        body=_finished_body(notification),
        **released,
    )
    return "sent"
