"""Two-factor sign-in for officials: a TOTP app on the phone, and recovery codes.

Officials whose role is listed in settings.TWO_FACTOR_ROLES give, after their password, a
six-digit code from an authenticator app (RFC 6238, enrolled with a QR code at the first
sign-in) or one of ten single-use recovery codes. Failures are limited per account and
address like the password step (settings.TWO_FACTOR_FAILURE_LIMIT in the cool-off window),
on top of django-otp's own growing delays. Devices are django-otp's; this module owns the
rules, and every step is audited.
"""

import base64
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from audit.services import audit_log
from core.client import client_address
from core.ratelimit import hit, peek

RECOVERY_CODES = 10
# Recovery codes: 10 characters without look-alikes (0/O, 1/I/L), shown in two groups.
RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
DEVICE_NAME = "Ứng dụng xác thực"


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    config_url: str  # otpauth:// URL for the QR code
    secret: str  # base32, for typing into an app by hand


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_enrolment_start(*, user: User) -> Enrolment:
    """The unconfirmed authenticator of the user, created at the first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return Enrolment(device=device, config_url=device.config_url, secret=secret)


def _limit(request, user: User) -> dict:
    return {
        "scope": "two-factor",
        "ident": f"{user.pk}:{client_address(request) or ''}",
        "limit": settings.TWO_FACTOR_FAILURE_LIMIT,
        "window": settings.TWO_FACTOR_FAILURE_WINDOW,
    }


def _limited(request, user: User) -> bool:
    """True when this account and address used up their failures in the window."""
    return not peek(**_limit(request, user))


def _failed(request, user: User) -> None:
    hit(**_limit(request, user))
    audit_log(action="auth.two_factor_failed", request=request, actor=user, unit=user.unit)


def _clean(token: str) -> str:
    return "".join((token or "").split()).replace("-", "").upper()


def totp_enrolment_confirm(*, request, user: User, token: str) -> list[str]:
    """Confirm the authenticator with a code it shows; returns new recovery codes (shown
    once). Raises ValidationError on a wrong code or when too many were tried (failures
    are counted outside any transaction, so that a refusal cannot roll its count back)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationError(_("Vui lòng quét lại mã QR."), code="no_device")
    if _limited(request, user):
        raise ValidationError(_too_many(), code="limited")
    if not device.verify_token(_clean(token)):
        _failed(request, user)
        raise ValidationError(
            _("Mã không đúng. Nhập mã 6 chữ số đang hiện trong ứng dụng xác thực."),
            code="wrong",
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_new(user)
    otp_login(request, device)
    audit_log(action="auth.two_factor_enrolled", request=request, actor=user, unit=user.unit)
    return codes


def _recovery_codes_new(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Mã dự phòng", confirmed=True)
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def _too_many() -> str:
    minutes = settings.TWO_FACTOR_FAILURE_WINDOW // 60
    return _(
        "Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút, hoặc dùng một "
        "mã dự phòng sau thời gian đó."
    ) % {"minutes": minutes}


def second_factor_verify(*, request, user: User, token: str) -> None:
    """Accept a code from the authenticator, or a recovery code (used once), for this
    session. Raises ValidationError on a wrong code or when too many were tried."""
    if _limited(request, user):
        audit_log(action="auth.two_factor_limited", request=request, actor=user, unit=user.unit)
        raise ValidationError(_too_many(), code="limited")
    token = _clean(token)
    if token.isdigit() and len(token) == 6:
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
        if devices and not any(device.verify_is_allowed()[0] for device in devices):
            # django-otp's own pause after a wrong code: seconds, doubling each time.
            _failed(request, user)
            raise ValidationError(
                _("Vừa nhập sai mã. Vui lòng chờ vài giây rồi nhập mã mới."), code="throttled"
            )
        for device in devices:
            if device.verify_token(token):
                otp_login(request, device)
                audit_log(action="auth.two_factor", request=request, actor=user, unit=user.unit)
                return
    else:
        for device in StaticDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(token):
                otp_login(request, device)
                audit_log(
                    action="auth.two_factor_recovery_code",
                    request=request,
                    actor=user,
                    unit=user.unit,
                    detail={"left": device.token_set.count()},
                )
                return
    _failed(request, user)
    raise ValidationError(
        _("Mã không đúng. Nhập mã 6 chữ số trong ứng dụng xác thực, hoặc một mã dự phòng."),
        code="wrong",
    )


@transaction.atomic
def second_factor_reset(*, user: User, by: User, request=None) -> None:
    """Remove the user's authenticator and recovery codes (a lost phone): at the next
    sign-in the user enrols again. The caller checks that `by` manages `user`."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_log(
        action="account.reset_two_factor", request=request, actor=by, obj=user, unit=user.unit
    )
