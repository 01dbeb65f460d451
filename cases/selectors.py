"""Reads on cases, always through the user's unit: outside it a case does not exist (404)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import CASE_READER_ROLES, User
from cases.choices import EventKind, IdType, RiskFlag
from cases.models import Case, CaseEvent, DailyReport, RuleSet
from cases.monitoring import expected_q, silent_days
from cases.tracking import normalize_tracking_code
from core.text import compact_number, national_phone_digits
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


def _secret_matches(case: Case, secret: str) -> bool:
    """Whether `secret` (compacted, core.text.compact_number) is the case's: its ID number,
    or for a child without papers the guardian's phone. The one home of that rule."""
    if case.id_type == IdType.NONE:
        from cases.validators import normalize_phone

        try:
            return normalize_phone(secret) == case.guardian_phone
        except Exception:  # noqa: BLE001 - any malformed phone is simply a mismatch
            return False
    return secret == case.id_number.upper()


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
    return case if _secret_matches(case, secret) else None


def cases_for_citizen_phone(*, secret: str, phone: str, limit: int = 3) -> list[Case]:
    """The newest `limit` cases whose secret (as case_for_citizen) is `secret` and whose
    declared phone (the person's, or the guardian's for a child) is `phone`, typed in any
    usual form ("+84 912 345 678"); none on any mismatch. For sending a forgotten tracking
    code to the declared phone, never for showing anything."""
    secret = compact_number(secret)
    phone = national_phone_digits(phone)
    if not secret or not phone:
        return []
    candidates = (
        Case.objects.select_related("commune", "rule_set")
        .filter(Q(id_number__iexact=secret) | Q(id_type=IdType.NONE, guardian_phone=phone))
        .filter(Q(phone=phone) | Q(guardian_phone=phone))
        .order_by("-submitted_at", "-pk")
    )
    return [case for case in candidates[: limit * 2] if _secret_matches(case, secret)][:limit]


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


# Daily self-monitoring ---------------------------------------------------------------------

# Who is called first among those who did not report: 65 and over, not fully vaccinated,
# with comorbidities, pregnant (the risk flags of the declaration, cases.rules.risk_flags).
RISK_ORDER = (RiskFlag.ELDERLY, RiskFlag.UNVACCINATED, RiskFlag.COMORBIDITY, RiskFlag.PREGNANT)
NOT_REPORTING_SHOWN = 500


@dataclass(frozen=True)
class Silent:
    """An isolating case without a report today: days silent (cases.monitoring.silent_days),
    its last report's date, its risk factors in RISK_ORDER, and the last call noted."""

    case: Case
    silent_days: int
    last_report_on: date | None
    risk: list[str]
    called_at: datetime | None


def cases_not_reporting(
    user: User, *, today: date | None = None, min_days: int = 1
) -> list[Silent]:
    """The isolating cases of the user's unit (cases.monitoring.expected_q) with no daily
    report today and silent for at least `min_days` days (2: "for two days"), riskiest
    first (the number of RISK_ORDER factors, then in that order), then longest silent."""
    today = today or timezone.localdate()
    last_report = (
        DailyReport.objects.filter(case=OuterRef("pk"))
        .order_by("-reported_on")
        .values("reported_on")[:1]
    )
    last_call = (
        CaseEvent.objects.filter(case=OuterRef("pk"), kind=EventKind.CALLED)
        .order_by("-at")
        .values("at")[:1]
    )
    cases = (
        cases_visible_to(user)
        .filter(expected_q(today))
        .exclude(daily_reports__reported_on=today)
        .annotate(last_report_on=Subquery(last_report), called_at=Subquery(last_call))
        .select_related("commune")
    )
    rows = []
    for case in cases:
        accepted_on = (
            timezone.localdate(case.accepted_at) if case.accepted_at else case.positive_test_date
        )
        days = silent_days(today=today, last_report_on=case.last_report_on, accepted_on=accepted_on)
        if days < min_days:
            continue
        flags = set(case.risk_flags or [])
        rows.append(
            Silent(
                case=case,
                silent_days=days,
                last_report_on=case.last_report_on,
                risk=[str(f) for f in RISK_ORDER if f in flags],
                called_at=case.called_at,
            )
        )
    rows.sort(
        key=lambda r: (
            -len(r.risk),
            [f not in r.risk for f in RISK_ORDER],
            -r.silent_days,
            r.case.submitted_at,
        )
    )
    return rows


def transfer_out_of(user: User, pk: int) -> CaseEvent | None:
    """The latest transfer that took case `pk` out of the user's commune, when the case is
    no longer there (so that acting on it says where it went instead of a bare 404)."""
    if not user.is_authenticated or user.unit_id is None:
        return None
    return (
        CaseEvent.objects.filter(
            case_id=pk, kind=EventKind.TRANSFERRED, data__from_commune_id=user.unit_id
        )
        .exclude(case__commune_id=user.unit_id)
        .select_related("case")
        .order_by("-at", "-pk")
        .first()
    )
