"""What an account manager may see and touch: admins the province, delegated districts
their communes' officers and leaders."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import COMMUNE_ROLES, ROLE_LEVEL, Role, User
from core.models import SiteSettings
from jobs.models import BulkJob
from units.models import Unit


def can_manage_accounts(actor: User) -> bool:
    if actor.role == Role.SYSTEM_ADMIN and actor.unit_id:
        return True
    return (
        actor.role == Role.DISTRICT_STAFF
        and actor.unit_id is not None
        and SiteSettings.current().district_manages_commune_accounts
    )


def manageable_roles(actor: User) -> list[Role]:
    if not can_manage_accounts(actor):
        return []
    if actor.role == Role.SYSTEM_ADMIN:
        levels = set(Unit.objects.within(actor.unit).values_list("level", flat=True))
        return [role for role in Role if ROLE_LEVEL[role] in levels]
    return list(COMMUNE_ROLES)


def manageable_units(actor: User) -> QuerySet[Unit]:
    if not can_manage_accounts(actor):
        return Unit.objects.none()
    units = Unit.objects.within(actor.unit)
    if actor.role == Role.DISTRICT_STAFF:
        units = units.communes()
    return units.order_by("code")


def manageable_users(actor: User) -> QuerySet[User]:
    if not can_manage_accounts(actor):
        return User.objects.none()
    users = User.objects.filter(unit__in=manageable_units(actor))
    if actor.role == Role.DISTRICT_STAFF:
        users = users.filter(role__in=COMMUNE_ROLES)
    return users.select_related("unit").order_by("unit__code", "username")


def get_user_for_manager(actor: User, pk: int) -> User:
    """An account the actor may manage; 404 for every other."""
    return get_object_or_404(manageable_users(actor), pk=pk)


def provision_jobs(actor: User) -> QuerySet[BulkJob]:
    """The manager's own bulk account jobs, newest first (only they may see the passwords)."""
    if not can_manage_accounts(actor):
        return BulkJob.objects.none()
    return BulkJob.objects.filter(kind="accounts_provision", created_by=actor)


def get_provision_job(actor: User, pk: int) -> BulkJob:
    """One of the manager's own bulk account jobs; 404 for every other."""
    return get_object_or_404(provision_jobs(actor), pk=pk)
