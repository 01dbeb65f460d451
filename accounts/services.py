"""Account writes: every change is validated, done in one transaction and audited."""

import secrets
import string

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.selectors import manageable_roles, manageable_units, manageable_users
from audit.services import audit_log
from units.models import Unit
from units.selectors import deployed_province

_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


def temporary_password() -> str:
    """A one-time password to hand over; the user must change it at first sign-in."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(14))
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate


def _check_may_assign(by: User, role: str, unit: Unit) -> None:
    if role not in manageable_roles(by) or not manageable_units(by).filter(pk=unit.pk).exists():
        raise PermissionDenied


@transaction.atomic
def user_create(
    *,
    by: User,
    username: str,
    full_name: str,
    role: str,
    unit: Unit,
    job_title: str = "",
    phone: str = "",
    email: str = "",
    request=None,
) -> tuple[User, str]:
    """Create an account with a temporary password, returned once to show to the manager."""
    _check_may_assign(by, role, unit)
    password = temporary_password()
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        unit=unit,
        job_title=job_title,
        phone=phone,
        email=email,
        must_change_password=True,
        created_by=by,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_log(
        action="account.create",
        request=request,
        actor=by,
        obj=user,
        unit=unit,
        detail={"role": role},
    )
    return user, password


def system_admin_create_check(*, username: str, another: bool = False) -> Unit:
    """The refusals of system_admin_create that need no password (so that nobody types one
    for nothing); returns the deployed province. Raises ValidationError."""
    province = deployed_province()
    if province is None:
        raise ValidationError(
            _("Chưa nạp danh mục đơn vị hành chính của tỉnh: chạy lệnh load_units trước.")
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            _("Tên đăng nhập “%(username)s” đã có; chọn tên khác.") % {"username": username}
        )
    existing = list(
        User.objects.filter(role=Role.SYSTEM_ADMIN, is_active=True).values_list(
            "username", flat=True
        )
    )
    if existing and not another:
        raise ValidationError(
            _(
                "Đã có quản trị hệ thống (%(usernames)s). Để tạo thêm một người nữa, "
                "chạy lại lệnh với --another."
            )
            % {"usernames": ", ".join(existing)}
        )
    return province


@transaction.atomic
def system_admin_create(
    *,
    username: str,
    password: str | None = None,
    full_name: str = "",
    email: str = "",
    another: bool = False,
) -> tuple[User, str | None]:
    """The first system administrator of a deployment (`manage.py create_admin`), bound to
    the deployed province (units.selectors.deployed_province). `password` None: a temporary
    one is generated, returned once and must be changed at first sign-in; a given password is
    checked by AUTH_PASSWORD_VALIDATORS. Returns (user, generated password or None).

    Raises ValidationError, creating nothing, when the units are not loaded, the username is
    taken (any case), the password is refused, or an active system administrator exists and
    `another` is not set: a second administrator is made on purpose, never by running the
    install steps twice. Audited as `account.create_admin` (no actor: the server's shell)."""
    province = system_admin_create_check(username=username, another=another)
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        role=Role.SYSTEM_ADMIN,
        unit=province,
        must_change_password=password is None,
    )
    generated = temporary_password() if password is None else None
    if password is not None:
        validate_password(password, user)
    user.set_password(password if password is not None else generated)
    user.full_clean()
    user.save()
    audit_log(
        action="account.create_admin",
        obj=user,
        unit=province,
        detail={"role": Role.SYSTEM_ADMIN, "generated_password": generated is not None},
    )
    return user, generated


@transaction.atomic
def user_update(
    *,
    by: User,
    user: User,
    full_name: str,
    role: str,
    unit: Unit,
    job_title: str,
    phone: str,
    email: str,
    request=None,
) -> User:
    _check_may_assign(by, role, unit)
    changes = {}
    for field, value in {
        "full_name": full_name,
        "role": role,
        "unit": unit,
        "job_title": job_title,
        "phone": phone,
        "email": email,
    }.items():
        if getattr(user, field) != value:
            changes[field] = str(value)
            setattr(user, field, value)
    user.full_clean()
    user.save()
    audit_log(
        action="account.update", request=request, actor=by, obj=user, unit=unit, detail=changes
    )
    return user


@transaction.atomic
def user_set_active(*, by: User, user: User, active: bool, request=None) -> User:
    if user.pk == by.pk and not active:
        raise ValidationError("Không thể tự khóa tài khoản của chính mình.")
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_log(
        action="account.enable" if active else "account.disable",
        request=request,
        actor=by,
        obj=user,
        unit=user.unit,
    )
    return user


@transaction.atomic
def user_reset_password(*, by: User, user: User, request=None) -> str:
    """Give the account a new temporary password and return it once."""
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_log(action="account.reset_password", request=request, actor=by, obj=user, unit=user.unit)
    return password


@transaction.atomic
def user_change_own_password(*, user: User, new_password: str, request=None) -> None:
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_log(action="account.change_password", request=request, actor=user, unit=user.unit)


@transaction.atomic
def user_digest_set(*, user: User, email: bool, sms: bool, request=None) -> User:
    """Turn the official's own morning digest on or off, by email and by SMS. SMS needs a
    phone number on the account: ValidationError (on "digest_sms") otherwise."""
    if sms and not user.phone:
        raise ValidationError(
            {
                "digest_sms": _(
                    "Tài khoản chưa có số điện thoại. Hãy nhờ quản trị hệ thống thêm số điện "
                    "thoại trước khi nhận bản tin qua SMS."
                )
            }
        )
    user.digest_email, user.digest_sms = bool(email), bool(sms)
    user.save(update_fields=["digest_email", "digest_sms"])
    audit_log(
        action="account.digest",
        request=request,
        actor=user,
        unit=user.unit,
        detail={"email": user.digest_email, "sms": user.digest_sms},
    )
    return user


@transaction.atomic
def unit_accounts_disable(*, by: User, unit: Unit, request=None) -> list[User]:
    """Lock every active account of `unit` that `by` manages (not `by` itself), in one
    action: one `account.disable` entry per account and one `account.disable_unit`.
    PermissionDenied for a unit outside the manager's (accounts.selectors)."""
    if not manageable_units(by).filter(pk=unit.pk).exists():
        raise PermissionDenied
    users = list(
        manageable_users(by).filter(unit=unit, is_active=True).exclude(pk=by.pk).order_by("pk")
    )
    User.objects.filter(pk__in=[user.pk for user in users]).update(is_active=False)
    for user in users:
        user.is_active = False
        audit_log(action="account.disable", request=request, actor=by, obj=user, unit=unit)
    audit_log(
        action="account.disable_unit",
        request=request,
        actor=by,
        obj=unit,
        unit=unit,
        detail={"usernames": [user.username for user in users]},
    )
    return users
