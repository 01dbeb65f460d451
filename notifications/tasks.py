"""Background delivery of outbox rows, with a bounded number of spaced-out retries."""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from notifications.backends import email_send, get_sms_backend
from notifications.models import Channel, Notification

logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_RETRY_DELAY_SECONDS = 60
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


def _send(notification: Notification) -> None:
    if notification.channel == Channel.SMS:
        get_sms_backend().send(phone=notification.recipient, text=notification.body)
    elif notification.channel == Channel.EMAIL:
        email_send(
            recipient=notification.recipient,
            subject=notification.subject,
            body=notification.body,
        )
    else:
        raise ValueError(f"unknown channel {notification.channel!r}")


def _finished_body(notification: Notification) -> str:
    # A one-time code is useless once delivery is over and must not linger in the outbox.
    if notification.sensitive:
        return _SECRET_DIGITS.sub("******", notification.body)
    return notification.body


@task()
def notification_deliver(notification_id: int) -> str:
    """Make one delivery attempt for a pending outbox row and record its outcome.

    Any error from the gateway is caught and recorded: the row is retried later until
    NOTIFICATION_MAX_ATTEMPTS is reached, then marked failed. Rows that are no longer
    pending (sent by an earlier attempt, purged) are skipped, so a duplicate run is harmless.
    """
    notification = Notification.objects.filter(
        pk=notification_id, status=Notification.Status.PENDING
    ).first()
    if notification is None:
        return "skipped"
    # No transaction is held while the gateway answers: it may take seconds.
    try:
        _send(notification)
    except Exception as exc:
        attempts = notification.attempts + 1
        error = f"{type(exc).__name__}: {exc}"[:1000]
        final = attempts >= max_attempts()
        changes = {"attempts": F("attempts") + 1, "last_error": error}
        if final:
            changes |= {
                "status": Notification.Status.FAILED,
                "body": _finished_body(notification),
            }
        Notification.objects.filter(pk=notification.pk).update(**changes)
        if final:
            logger.error(
                "Notification %s (%s) failed after %d attempts: %s",
                notification.pk,
                notification.kind,
                attempts,
                error,
            )
            return "failed"
        logger.warning(
            "Notification %s attempt %d failed, will retry: %s", notification.pk, attempts, error
        )
        try:
            delivery_enqueue(notification.pk, delay=retry_delay(attempts))
        except Exception:
            logger.exception("Could not queue a retry of notification %s", notification.pk)
        return "retrying"
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENT,
        attempts=F("attempts") + 1,
        sent_at=timezone.now(),
        body=_finished_body(notification),
    )
    return "sent"
