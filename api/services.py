"""Writes of the api app: API keys (create, revoke, authenticate) and idempotent answers.

Each key acts as a service account of one role in one unit (ApiToken.account), so that the
scope rules of the pages hold for it unchanged: cases.selectors for what it reads,
User.may_act_for (through the case services) for what it does.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CASE_READER_ROLES, ROLE_LEVEL, Role, User
from accounts.selectors import manageable_units
from api.models import ApiToken
from audit.services import audit_log
from core.text import nfc
from units.models import Unit

KEY_PREFIX = "kf0"
# A key lives at most this long; the administrator gives a new one before it ends.
MAX_LIFETIME = timedelta(days=366)
# Roles a key may hold: those that read cases. A key never administers the system.
TOKEN_ROLES = CASE_READER_ROLES


def key_digest(raw: str) -> str:
    """The SHA-256 hex digest under which a key is kept (64 characters)."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *,
    by: User,
    name: str,
    role: str,
    unit: Unit,
    expires_at: datetime,
    request=None,
) -> tuple[ApiToken, str]:
    """Create a key for another system; returns (token, the key in clear), the key to be
    shown once and never again.

    The key reads `kf0_<prefix>_<secret>` (prefix: 8 hex characters naming the key in lists
    and audit entries; secret: 43 URL-safe characters). Only a system administrator
    creates keys, for units he manages (accounts.selectors.manageable_units) and a role
    bound to that unit's level (accounts.models.ROLE_LEVEL). Raises PermissionDenied for
    anyone else, ValidationError naming the field for a wrong name, role, unit or expiry.
    """
    if by.role != Role.SYSTEM_ADMIN or by.unit_id is None:
        raise PermissionDenied
    errors = {}
    name = nfc(name or "").strip()
    if not name:
        errors["name"] = _("Vui lòng ghi tên hệ thống sử dụng khóa.")
    if role not in TOKEN_ROLES:
        errors["role"] = _("Vui lòng chọn vai trò của khóa.")
    elif unit.level != ROLE_LEVEL[role]:
        errors["unit"] = _("Vai trò %(role)s phải gắn với đơn vị cấp %(level)s.") % {
            "role": Role(role).label,
            "level": Unit.Level(ROLE_LEVEL[role]).label,
        }
    if not manageable_units(by).filter(pk=unit.pk).exists():
        errors["unit"] = _("Đơn vị này không thuộc phạm vi bạn quản lý.")
    now = timezone.now()
    if expires_at <= now:
        errors["expires_at"] = _("Ngày hết hạn phải sau hôm nay.")
    elif expires_at > now + MAX_LIFETIME:
        errors["expires_at"] = _("Khóa có hiệu lực tối đa một năm.")
    if errors:
        raise ValidationError(errors)

    prefix = secrets.token_hex(4)
    raw = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    account = User(
        username=f"api.{prefix}",
        full_name=f"API: {name}"[:150],
        role=role,
        unit=unit,
        created_by=by,
    )
    # The account never signs in with a password: it exists to carry the role and unit.
    account.set_unusable_password()
    account.save()
    token = ApiToken.objects.create(
        name=name,
        prefix=prefix,
        digest=key_digest(raw),
        account=account,
        created_by=by,
        expires_at=expires_at,
    )
    audit_log(
        action="api_token.create",
        request=request,
        actor=by,
        obj=token,
        unit=unit,
        detail={"prefix": prefix, "role": role, "expires_at": expires_at.isoformat()},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User, request=None) -> ApiToken:
    """Revoke a key at once: its next call answers 401. Its account is deactivated and
    kept, so that the cases and audit entries it wrote still name it. Revoking a revoked
    key changes nothing. PermissionDenied for anyone but a system administrator who
    manages the key's unit."""
    token = ApiToken.objects.select_for_update().select_related("account").get(pk=token.pk)
    if by.role != Role.SYSTEM_ADMIN or not (
        manageable_units(by).filter(pk=token.account.unit_id).exists()
    ):
        raise PermissionDenied
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    token.account.is_active = False
    token.account.save(update_fields=["is_active"])
    audit_log(
        action="api_token.revoke",
        request=request,
        actor=by,
        obj=token,
        unit=token.account.unit,
        detail={"prefix": token.prefix},
    )
    return token


def api_token_authenticate(*, raw: str, request=None) -> User | None:
    """The account a key acts as, or None for an unknown, revoked or expired key.

    Every accepted call is audited (`api.call`, with method and path) and moves the key's
    `last_used_at`."""
    if not raw or not raw.startswith(f"{KEY_PREFIX}_") or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("account", "account__unit")
        .filter(digest=key_digest(raw))
        .first()
    )
    if token is None or not token.is_active or not token.account.is_active:
        return None
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    audit_log(
        action="api.call",
        request=request,
        actor=token.account,
        obj=token,
        unit=token.account.unit,
        detail={
            "method": getattr(request, "method", ""),
            "path": getattr(request, "path", "")[:200],
        },
    )
    return token.account
