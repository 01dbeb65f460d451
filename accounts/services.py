"""Account writes: every change is validated, done in one transaction and audited."""

import secrets
import string

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from accounts.selectors import manageable_roles, manageable_units, manageable_users
from audit.services import audit_log
from units.models import Unit

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
        raise ValidationError("Không thể tự khoá tài khoản của chính mình.")
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
