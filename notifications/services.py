"""Notification writes: queue a message after commit, issue and check phone codes, purge.

Callers put only the tracking code, the names of steps and links in message bodies, never
an ID number, a birth date or a health detail: bodies are stored in the outbox.
"""

import logging
import re
import secrets
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django_tasks_db.backend import DatabaseBackend

from core.text import national_phone_digits
from notifications import channels
from notifications.models import Channel, Kind, Notification, PhoneVerification
from notifications.tasks import delivery_enqueue, notification_deliver
from notifications.texts import message_for

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 180
PHONE_CODE_LIFETIME = timedelta(minutes=5)
PHONE_CODE_MAX_ATTEMPTS = 5
PHONE_CODE_MIN_INTERVAL = timedelta(seconds=60)
PHONE_CODE_MAX_PER_HOUR = 5
# Codes are kept a day: long enough for the hourly limit, short for personal data.
PHONE_CODE_RETENTION = timedelta(days=1)

_MOBILE_PHONE = re.compile(r"0[35789][0-9]{8}")

Ref = models.Model | tuple[str, str] | None


def phone_normalize(phone: str) -> str:
    """The phone number in national form: "+84 912.345.678" becomes "0912345678".

    The rule is `core.text.national_phone_digits` (also behind cases.validators).
    """
    return national_phone_digits(phone)


def _ref_fields(ref: Ref) -> tuple[str, str]:
    if ref is None:
        return "", ""
    if isinstance(ref, models.Model):
        return ref._meta.label_lower, str(ref.pk)
    object_type, object_id = ref
    return str(object_type), str(object_id)


def notification_send(
    *,
    channel: str,
    recipient: str,
    kind: str,
    subject: str = "",
    body: str,
    ref: Ref = None,
    sensitive: bool = False,
    params: dict | None = None,
    once_key: str | None = None,
) -> Notification | None:
    """Add a message to the outbox and queue its delivery once the caller's transaction commits.

    Returns None, queueing nothing, when there is no recipient, or when a message with the
    same `once_key` is already in the outbox (a digest of a day sent by an earlier run: the
    key is unique in the table, so two runs at once still make one row). A rolled-back
    transaction takes the row and the delivery with it. Delivery errors never reach the
    caller. `channel` is a code of notifications.channels (ValidationError otherwise);
    `ref` is the model instance (or an (object_type, object_id) pair) the message is about;
    `params` the message's named values, for template channels (Zalo).
    """
    recipient = (recipient or "").strip()
    if not recipient:
        return None
    spec = channels.channel_or_none(channel)
    if spec is not None and spec.address == "phone":
        recipient = phone_normalize(recipient)
    object_type, object_id = _ref_fields(ref)
    notification = Notification(
        channel=channel,
        recipient=recipient,
        kind=kind,
        subject=subject,
        body=body,
        sensitive=sensitive,
        object_type=object_type,
        object_id=object_id,
        params={key: str(value) for key, value in (params or {}).items()},
        once_key=once_key,
    )
    notification.full_clean(validate_unique=False)
    if once_key:
        try:
            # A savepoint: the caller's transaction goes on after a refused duplicate.
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            return None
    else:
        notification.save()
    if _tasks_share_the_database():
        # The task row commits or rolls back with the notification: one commit, not two.
        delivery_enqueue(notification.pk)
    else:
        # robust: a task queue that cannot be reached is logged, the citizen's request goes on.
        transaction.on_commit(partial(delivery_enqueue, notification.pk), robust=True)
    return notification


def _tasks_share_the_database() -> bool:
    return isinstance(notification_deliver.get_backend(), DatabaseBackend)


def citizen_notify(
    *,
    kind: str,
    phone: str = "",
    email: str = "",
    ref: Ref = None,
    phone_channel: str = Channel.SMS,
    **context,
) -> list[Notification]:
    """Tell a citizen something on their phone and by email, on whichever of the two they
    gave. The phone's channel is the one they chose (`phone_channel`, e.g. "zalo") while it
    is enabled, SMS otherwise (notifications.channels.phone_channel).

    The texts come from the kind's templates (see notifications.texts) rendered with
    context; the context's values are also the parameters of a Zalo template.
    """
    message = message_for(kind, **context)
    sent = [
        notification_send(
            channel=channels.phone_channel(phone_channel),
            recipient=phone,
            kind=kind,
            body=message.sms,
            ref=ref,
            params=context,
        ),
        notification_send(
            channel=Channel.EMAIL,
            recipient=email,
            kind=kind,
            subject=message.email_subject,
            body=message.email_body,
            ref=ref,
        ),
    ]
    return [notification for notification in sent if notification is not None]


def staff_alert(*, kind: str, users, ref: Ref = None, **context) -> list[Notification]:
    """Tell officials something at once: by email to those who gave one, and by SMS to
    those with a phone number on their account. The texts come from the kind's templates
    (notifications.texts); like a citizen's, they carry no personal or health detail."""
    message = message_for(kind, **context)
    sent = []
    for user in users:
        sent.append(
            notification_send(
                channel=Channel.EMAIL,
                recipient=user.email,
                kind=kind,
                subject=message.email_subject,
                body=message.email_body,
                ref=ref,
            )
        )
        sent.append(
            notification_send(
                channel=Channel.SMS, recipient=user.phone, kind=kind, body=message.sms, ref=ref
            )
        )
    return [notification for notification in sent if notification is not None]


def digest_send(
    *, user, day, subject: str, body: str, sms: str, email: bool = True, by_sms: bool = False
) -> list[Notification]:
    """Send an official the digest of day `day` (a local date), composed by the caller
    (reports.digests): by email to their address when `email`, by SMS to their phone when
    `by_sms`. At most once per person, day and channel whatever the number of runs: each
    message carries the key "digest:<day>:<user pk>:<channel>" (Notification.once_key).
    Returns the messages queued now (none when sent by an earlier run)."""
    sent = []
    if email:
        sent.append(
            notification_send(
                channel=Channel.EMAIL,
                recipient=user.email,
                kind=Kind.DAILY_DIGEST,
                subject=subject,
                body=body,
                ref=user,
                once_key=f"digest:{day.isoformat()}:{user.pk}:{Channel.EMAIL}",
            )
        )
    if by_sms:
        sent.append(
            notification_send(
                channel=Channel.SMS,
                recipient=user.phone,
                kind=Kind.DAILY_DIGEST,
                body=sms,
                ref=user,
                once_key=f"digest:{day.isoformat()}:{user.pk}:{Channel.SMS}",
            )
        )
    return [notification for notification in sent if notification is not None]


def notification_purge(*, now: datetime | None = None) -> int:
    """Delete outbox rows older than NOTIFICATION_RETENTION_DAYS; return how many went."""
    days = int(getattr(settings, "NOTIFICATION_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _by_model = Notification.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def phone_verification_required() -> bool:
    """Whether the public form asks for a code sent to the phone before submission."""
    return bool(getattr(settings, "PHONE_VERIFICATION_REQUIRED", False))


def _code_hash(phone: str, code: str) -> str:
    # Keyed with SECRET_KEY: a copy of the table alone does not give the 10^6 codes away.
    return salted_hmac(
        "notifications.PhoneVerification", f"{phone}:{code}", algorithm="sha256"
    ).hexdigest()


def _valid_mobile(phone: str) -> str:
    normalized = phone_normalize(phone)
    if not _MOBILE_PHONE.fullmatch(normalized):
        raise ValidationError(
            _(
                "Số điện thoại di động không hợp lệ: cần 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09."
            ),
            code="invalid_phone",
        )
    return normalized


@transaction.atomic
def phone_code_issue(*, phone: str) -> PhoneVerification:
    """Send a new 6-digit code to a mobile phone, at most once a minute and 5 times an hour.

    Raises ValidationError, in words a citizen understands, when the number is not a
    Vietnamese mobile number or when the limits are reached.
    """
    phone = _valid_mobile(phone)
    now = timezone.now()
    recent = PhoneVerification.objects.filter(phone=phone, created_at__gt=now - timedelta(hours=1))
    last = recent.order_by("-created_at").first()
    if last is not None and last.created_at > now - PHONE_CODE_MIN_INTERVAL:
        wait = int((last.created_at + PHONE_CODE_MIN_INTERVAL - now).total_seconds()) + 1
        raise ValidationError(
            _("Mã xác nhận vừa được gửi. Vui lòng đợi %(seconds)s giây rồi yêu cầu mã mới."),
            code="too_soon",
            params={"seconds": wait},
        )
    if recent.count() >= PHONE_CODE_MAX_PER_HOUR:
        oldest = recent.order_by("created_at").first()
        wait = int((oldest.created_at + timedelta(hours=1) - now).total_seconds()) // 60 + 1
        raise ValidationError(
            _(
                "Số điện thoại này đã yêu cầu %(limit)s mã trong một giờ. "
                "Vui lòng thử lại sau %(minutes)s phút."
            ),
            code="too_many",
            params={"limit": PHONE_CODE_MAX_PER_HOUR, "minutes": wait},
        )
    code = f"{secrets.randbelow(10**6):06d}"
    verification = PhoneVerification.objects.create(
        phone=phone,
        code_hash=_code_hash(phone, code),
        created_at=now,
        expires_at=now + PHONE_CODE_LIFETIME,
    )
    message = message_for(
        Kind.PHONE_CODE, code=code, minutes=int(PHONE_CODE_LIFETIME.total_seconds() // 60)
    )
    notification_send(
        channel=Channel.SMS,
        recipient=phone,
        kind=Kind.PHONE_CODE,
        body=message.sms,
        sensitive=True,
    )
    return verification


@transaction.atomic
def phone_code_verify(*, phone: str, code: str) -> bool:
    """Check a code against the latest one sent to the phone; each try counts, 5 at most.

    A code is refused once expired, once used, after 5 tries, or when a newer code was sent.
    """
    phone = phone_normalize(phone)
    code = (code or "").strip()
    verification = (
        PhoneVerification.objects.select_for_update()
        .filter(phone=phone)
        .order_by("-created_at", "-pk")
        .first()
    )
    now = timezone.now()
    if (
        verification is None
        or verification.verified_at is not None
        or verification.expires_at <= now
        or verification.attempts >= PHONE_CODE_MAX_ATTEMPTS
    ):
        return False
    verification.attempts += 1
    matches = constant_time_compare(verification.code_hash, _code_hash(phone, code))
    if matches:
        verification.verified_at = now
    verification.save(update_fields=["attempts", "verified_at"])
    return matches


def phone_code_purge(*, now: datetime | None = None) -> int:
    """Delete phone codes older than a day; return how many went."""
    cutoff = (now or timezone.now()) - PHONE_CODE_RETENTION
    deleted, _by_model = PhoneVerification.objects.filter(created_at__lt=cutoff).delete()
    return deleted
