"""The channels a notification can go by, as a registry: a channel is data, not a column.

`Notification.channel` holds the code of a registered channel (no database choices), so a
province adds a channel by registering it in an AppConfig.ready(), without a migration:

    from notifications import channels
    channels.register(channels.ChannelSpec(code="viber", label=_("Viber"), address="phone",
                                           send=send_by_viber, enabled=lambda: True))

`send(notification)` makes one attempt and raises on any failure (DeliveryError or any
exception: retried; PermanentDeliveryError: marked failed at once, and, for a channel with
a `fallback`, the same text is queued on the fallback channel).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from notifications.backends import email_send, get_sms_backend, get_zalo_backend
from notifications.models import Channel

if TYPE_CHECKING:
    from notifications.models import Notification


@dataclass(frozen=True)
class ChannelSpec:
    code: str
    label: str | Promise
    # What the recipient is: "phone" (normalised to 0xxxxxxxxx) or "email".
    address: str
    send: Callable[["Notification"], None]
    # Whether the channel is configured and on; a citizen is offered only enabled ones.
    enabled: Callable[[], bool] = lambda: True
    # The channel a message goes by instead when this one cannot reach the person at all.
    fallback: str = ""


_CHANNELS: dict[str, ChannelSpec] = {}


def register(spec: ChannelSpec) -> None:
    _CHANNELS[spec.code] = spec


def channel_or_none(code: str) -> ChannelSpec | None:
    return _CHANNELS.get(code)


def channel_of(code: str) -> ChannelSpec:
    """The channel registered under `code`; ValueError for an unknown one."""
    spec = _CHANNELS.get(code)
    if spec is None:
        raise ValueError(f"unknown channel {code!r}")
    return spec


def phone_channel_choices() -> list[tuple[str, str | Promise]]:
    """The enabled channels to a phone number, as form choices, SMS first: what a citizen
    may choose to be told by."""
    return [(c.code, c.label) for c in _CHANNELS.values() if c.address == "phone" and c.enabled()]


def phone_channel(preferred: str) -> str:
    """The channel by which to tell a phone number: `preferred` when it is a registered,
    enabled phone channel, SMS otherwise (a channel turned off since the person chose it)."""
    spec = _CHANNELS.get(preferred or "")
    if spec is not None and spec.address == "phone" and spec.enabled():
        return spec.code
    return Channel.SMS


def _send_sms(notification: "Notification") -> None:
    get_sms_backend().send(phone=notification.recipient, text=notification.body)


def _send_email(notification: "Notification") -> None:
    email_send(
        recipient=notification.recipient, subject=notification.subject, body=notification.body
    )


def _send_zalo(notification: "Notification") -> None:
    get_zalo_backend().send(
        phone=notification.recipient,
        kind=notification.kind,
        params=notification.params,
        tracking_id=f"kf0-{notification.pk}",
    )


def zalo_enabled() -> bool:
    """Zalo is off unless ZALO_ZNS_ENABLED is set (and its token and templates with it)."""
    return bool(getattr(settings, "ZALO_ZNS_ENABLED", False))


register(ChannelSpec(code=Channel.SMS, label=_("Tin nhắn SMS"), address="phone", send=_send_sms))
register(ChannelSpec(code=Channel.EMAIL, label=_("Email"), address="email", send=_send_email))
register(
    ChannelSpec(
        code=Channel.ZALO,
        label=_("Tin nhắn Zalo"),
        address="phone",
        send=_send_zalo,
        enabled=zalo_enabled,
        fallback=Channel.SMS,
    )
)
