"""Reads on cases, always through the user's unit: outside it a case does not exist (404)."""

from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import CASE_READER_ROLES, User
from cases.choices import IdType
from cases.models import Case, CaseEvent, RuleSet
from cases.tracking import normalize_tracking_code
from core.text import compact_number
from units.scope import scope_q


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Every case whose commune lies within the user's unit (none for other roles)."""
    if not user.is_authenticated or user.role not in CASE_READER_ROLES or user.unit_id is None:
        return Case.objects.none()
    return Case.objects.filter(scope_q(user.unit))


def get_case_for_user(user: User, pk: int) -> Case:
    """The case with `pk` if the user's unit covers it; 404 otherwise."""
    case = (
        cases_visible_to(user)
        .select_related("commune", "district", "province", "rule_set")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_for_citizen(*, tracking_code: str, secret: str) -> Case | None:
    """The case a citizen may see: its tracking code plus the ID number, or for a child
    without papers the guardian's phone. Nothing is returned on any mismatch."""
    code = normalize_tracking_code(tracking_code)
    # Typed as on the declaration: spaces, dashes, full-width digits (core.text).
    secret = compact_number(secret)
    if not code or not secret:
        return None
    case = Case.objects.select_related("commune", "rule_set").filter(tracking_code=code).first()
    if case is None:
        return None
    if case.id_type == IdType.NONE:
        from cases.validators import normalize_phone

        try:
            return case if normalize_phone(secret) == case.guardian_phone else None
        except Exception:  # noqa: BLE001 - any malformed phone is simply a mismatch
            return None
    return case if secret == case.id_number.upper() else None


def public_timeline(case: Case) -> QuerySet[CaseEvent]:
    """The events a citizen sees about their own case."""
    return case.events.filter(public=True).order_by("at", "pk")


def rule_sets_overview(user: User) -> QuerySet[RuleSet]:
    """Every rule set, newest first, with `case_count`: the cases in the user's unit whose
    dates it gave (none counted for a role that reads no cases)."""
    counts = (
        cases_visible_to(user)
        .filter(rule_set=OuterRef("pk"))
        .order_by()
        .values("rule_set")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return RuleSet.objects.annotate(case_count=Coalesce(Subquery(counts), Value(0))).order_by(
        "-effective_from"
    )
