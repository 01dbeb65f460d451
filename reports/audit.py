"""The audit trail as system administrators and the Department of Health read it."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import AuditEntry
from units.models import Unit


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone.get_current_timezone())


def audit_entries(unit: Unit, filters: dict) -> QuerySet[AuditEntry]:
    """Entries about the user's unit (or about no unit), narrowed by the given filters.

    `filters` keys: user (account name, exact or start), action (a code, exact, or an
    area ending in a dot, e.g. `report.`, for all its codes: audit.actions), date_from / date_to (ISO dates, local), object (type, id or label part).
    """
    query = AuditEntry.objects.filter(
        Q(unit__isnull=True) | Q(unit__in=Unit.objects.within(unit).values("pk"))
    )
    if user := (filters.get("user") or "").strip():
        query = query.filter(actor_label__startswith=user)
    if action := (filters.get("action") or "").strip():
        if action.endswith("."):
            query = query.filter(action__startswith=action)
        else:
            query = query.filter(action=action)
    if filters.get("date_from"):
        query = query.filter(at__gte=_day_start(date.fromisoformat(filters["date_from"])))
    if filters.get("date_to"):
        end = date.fromisoformat(filters["date_to"]) + timedelta(days=1)
        query = query.filter(at__lt=_day_start(end))
    if obj := (filters.get("object") or "").strip():
        query = query.filter(Q(object_id=obj) | Q(object_type=obj) | Q(object_label__icontains=obj))
    return query
