"""Figures of a unit's dashboard: summary tables for counts, indexes for the live parts.

Definitions (the page repeats them to its readers):
- new: declarations received (citizen or officer-entered) on the local day, counted in the
  commune they were made to;
- awaiting review: cases now submitted or transferred in, not yet accepted or rejected;
  the oldest wait runs from the declaration;
- isolating: accepted cases, including those whose recovery declaration awaits review;
- eligible for recovery, not confirmed: isolating cases whose earliest recovery date
  (isolation_end, day 7 under the 2022 rules: the day a negative test may end isolation)
  is today or earlier (counted from the summaries, like the other counts);
- recovered, other outcomes (hospitalised, died, moved out of the province), rejected:
  cases now in those states;
- reporting today, not reporting: isolating cases that take a daily health report today
  (cases.monitoring.expected_q: isolating and within their longest isolation period), with
  and without a report dated today; counted live from the cases, by their present commune;
- escalations: cases with a daily report that raised a danger sign, per local day (a case
  counted once a day however often it reported), by the case's present commune.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Min, Sum
from django.utils import timezone

from cases.choices import AWAITING_REVIEW, ISOLATING, Outcome, Status
from cases.models import Case, DailyReport
from cases.monitoring import expected_q
from reports.models import CommuneDay, CommuneIsolationEnd, CommuneStatus
from units.models import Unit
from units.scope import scope_q

# Primary keys per query when reading cases by id.
ID_CHUNK = 2000


@dataclass
class Figures:
    unit: Unit
    new_today: int = 0
    new_7d: int = 0
    awaiting: int = 0
    oldest_waiting_since: datetime | None = None
    isolating: int = 0
    recovery_requested: int = 0
    eligible: int = 0
    recovered: int = 0
    hospitalised: int = 0
    died: int = 0
    moved_away: int = 0
    rejected: int = 0
    reporting_today: int = 0
    not_reporting: int = 0
    escalations_today: int = 0

    @property
    def other_outcomes(self) -> int:
        return self.hospitalised + self.died + self.moved_away

    @property
    def oldest_wait(self) -> timedelta | None:
        if self.oldest_waiting_since is None:
            return None
        return timezone.now() - self.oldest_waiting_since


@dataclass
class DaySeries:
    days: list[date] = field(default_factory=list)
    new: list[int] = field(default_factory=list)
    recovered: list[int] = field(default_factory=list)
    isolating: list[int] = field(default_factory=list)
    awaiting: list[int] = field(default_factory=list)
    escalations: list[int] = field(default_factory=list)


def child_units(unit: Unit) -> list[Unit]:
    """The units one level down (districts, or communes where the set has no districts)."""
    if unit.level == Unit.Level.COMMUNE:
        return []
    return list(unit.children.order_by("code"))


def _child_key(unit: Unit) -> str | None:
    """The summary field that says which child of `unit` a row belongs to."""
    if unit.level == Unit.Level.PROVINCE and unit.unit_set.has_districts:
        return "district_id"
    if unit.level == Unit.Level.COMMUNE:
        return None
    return "commune_id"


def _add_stock(figures: Figures, status: str, outcome: str, count: int) -> None:
    if status in AWAITING_REVIEW:
        figures.awaiting += count
    elif status in ISOLATING:
        figures.isolating += count
        if status == Status.RECOVERY_REQUESTED:
            figures.recovery_requested += count
    elif status == Status.RECOVERED:
        figures.recovered += count
    elif status == Status.REJECTED:
        figures.rejected += count
    elif status == Status.CLOSED and outcome == Outcome.HOSPITALISED:
        figures.hospitalised += count
    elif status == Status.CLOSED and outcome == Outcome.DIED:
        figures.died += count
    elif status == Status.CLOSED:
        figures.moved_away += count


def dashboard_figures(unit: Unit, *, today: date | None = None) -> tuple[Figures, list[Figures]]:
    """The unit's figures and those of each child unit, in code order."""
    today = today or timezone.localdate()
    key = _child_key(unit)
    children = child_units(unit)
    total = Figures(unit=unit)
    rows = {child.pk: Figures(unit=child) for child in children}

    def target(child_pk) -> list[Figures]:
        child = rows.get(child_pk)
        return [total, child] if child is not None else [total]

    group = [key] if key else []
    for values in (
        CommuneStatus.objects.filter(scope_q(unit))
        .values(*group, "status", "outcome")
        .annotate(n=Sum("count"))
    ):
        for figures in target(values.get(key)):
            _add_stock(figures, values["status"], values["outcome"], values["n"])
    for values in (
        CommuneDay.objects.filter(scope_q(unit), day__gt=today - timedelta(days=7), day__lte=today)
        .values(*group, "day")
        .annotate(n=Sum("declared"))
    ):
        for figures in target(values.get(key)):
            figures.new_7d += values["n"]
            if values["day"] == today:
                figures.new_today += values["n"]
    for child_pk, n in eligible_counts(unit, today=today, key=key).items():
        for figures in target(child_pk):
            figures.eligible += n
    for child_pk, (reporting, silent) in reporting_counts(unit, today=today, key=key).items():
        for figures in target(child_pk):
            figures.reporting_today += reporting
            figures.not_reporting += silent
    for (_day, child_pk), n in escalation_counts(unit, start=today, end=today, key=key).items():
        for figures in target(child_pk):
            figures.escalations_today += n
    oldest = oldest_waiting(unit, key=key, children=children)
    for child_pk, since in oldest.items():
        if child_pk in rows:
            rows[child_pk].oldest_waiting_since = since
    total.oldest_waiting_since = min(oldest.values(), default=None) if key else oldest.get(None)
    return total, [rows[child.pk] for child in children]


def eligible_counts(unit: Unit, *, today: date, key: str | None) -> dict:
    """Isolating cases whose earliest recovery date has come, per child unit: a sum over
    CommuneIsolationEnd (a few dozen dates per commune), whatever the number of cases."""
    rows = CommuneIsolationEnd.objects.filter(scope_q(unit), isolation_end__lte=today)
    if not key:
        # A bare .values() would group by every column and keep one date's count only: the
        # commune's own dashboard then showed fewer than the district's table for it.
        return {None: rows.aggregate(n=Sum("count"))["n"] or 0}
    return {values[key]: values["n"] for values in rows.values(key).annotate(n=Sum("count"))}


def _children_of_cases(unit: Unit, ids, *, key: str | None, condition=None) -> dict:
    """{case id: child unit id (None without children)} of the cases among `ids` that lie
    inside `unit` (and match `condition`, a Q): read by primary key, a chunk at a time."""
    ids = list(ids)
    found = {}
    cases = Case.objects.filter(scope_q(unit))
    if condition is not None:
        cases = cases.filter(condition)
    for start in range(0, len(ids), ID_CHUNK):
        rows = cases.filter(pk__in=ids[start : start + ID_CHUNK])
        if key:
            found.update(rows.values_list("pk", key))
        else:
            found.update((pk, None) for pk in rows.values_list("pk", flat=True))
    return found


def reporting_counts(unit: Unit, *, today: date, key: str | None) -> dict:
    """(reporting today, not reporting) per child unit, among the cases that take a daily
    report today (cases.monitoring.expected_q: isolating, and not past the longest
    isolation).

    No query walks the isolating cases (hundreds of thousands at 10 million cases): those
    that take a report are the isolating ones of CommuneStatus (the summary the dashboard's
    stocks come from) less the few isolating past their longest isolation (index
    case_status_isolation_end); those reporting are the cases of today's reports that take
    one (DailyReport by reported_on, then the cases by primary key)."""
    expected: Counter = Counter()
    isolating = CommuneStatus.objects.filter(scope_q(unit), status__in=ISOLATING)
    ended = Case.objects.filter(
        scope_q(unit), status__in=ISOLATING, extended_isolation_end__lt=today
    )
    if key is None:
        # No grouping: values() without fields would group by every column.
        expected[None] = (isolating.aggregate(n=Sum("count"))["n"] or 0) - ended.count()
    else:
        for values in isolating.values(key).annotate(n=Sum("count")).order_by():
            expected[values[key]] += values["n"]
        # COUNT(*), not COUNT(id): the covering index case_status_isolation_end answers alone.
        for values in ended.values(key).annotate(n=Count("*")).order_by():
            expected[values[key]] -= values["n"]
    reported_today = (
        DailyReport.objects.filter(reported_on=today).values_list("case_id", flat=True).distinct()
    )
    reporting = Counter(
        _children_of_cases(unit, reported_today, key=key, condition=expected_q(today)).values()
    )
    return {
        child: (reporting[child], n - reporting[child])
        for child, n in expected.items()
        if n or reporting[child]
    }


def escalation_counts(unit: Unit, *, start: date, end: date, key: str | None) -> dict:
    """Cases escalated by a daily report, per (local day, child unit), from `start` to `end`:
    the escalated reports of those days (index on reported_on and escalated), then their
    cases inside the unit by primary key, never the unit's cases first."""
    pairs = set(
        DailyReport.objects.filter(escalated=True, reported_on__gte=start, reported_on__lte=end)
        .values_list("reported_on", "case_id")
        .distinct()
    )
    children = _children_of_cases(unit, {case for _day, case in pairs}, key=key)
    return dict(Counter((day, children[case]) for day, case in pairs if case in children))


def oldest_waiting(unit: Unit, *, key: str | None, children: list[Unit]) -> dict:
    """When the longest-waiting declaration of each child unit (or of the unit) was made.

    One index seek per unit and status on (unit, status, submitted_at).
    """
    targets = children if key else [unit]
    result = {}
    for target in targets:
        found = []
        for status in AWAITING_REVIEW:
            first = (
                Case.objects.filter(scope_q(target), status=status)
                .order_by("submitted_at")
                .values_list("submitted_at", flat=True)
                .first()
            )
            if first is not None:
                found.append(first)
        if found:
            result[target.pk if key else None] = min(found)
    return result


def day_series(unit: Unit, *, days: int = 30, today: date | None = None) -> DaySeries:
    """New and recovered per day, and the stocks at the end of each day, for `days` days.

    A past day's stock is today's stock minus the net changes of the days after it.
    """
    today = today or timezone.localdate()
    start = today - timedelta(days=days - 1)
    by_day = {
        row["day"]: row
        for row in CommuneDay.objects.filter(scope_q(unit), day__gte=start)
        .values("day")
        .annotate(
            new=Sum("declared"),
            recovered=Sum("recovered"),
            isolating_delta=Sum("isolating_delta"),
            awaiting_delta=Sum("awaiting_delta"),
        )
    }
    isolating = awaiting = 0
    for values in (
        CommuneStatus.objects.filter(scope_q(unit), status__in=[*ISOLATING, *AWAITING_REVIEW])
        .values("status")
        .annotate(n=Sum("count"))
    ):
        if values["status"] in ISOLATING:
            isolating += values["n"]
        else:
            awaiting += values["n"]
    # Changes dated after today (clock skew) still belong to the current stock.
    for day, row in by_day.items():
        if day > today:
            isolating -= row["isolating_delta"]
            awaiting -= row["awaiting_delta"]
    series = DaySeries()
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        series.days.append(day)
    stocks = {}
    for day in reversed(series.days):
        stocks[day] = (isolating, awaiting)
        row = by_day.get(day)
        if row:
            isolating -= row["isolating_delta"]
            awaiting -= row["awaiting_delta"]
    escalated: dict[date, int] = {}
    for (day, _child), n in escalation_counts(unit, start=start, end=today, key=None).items():
        escalated[day] = escalated.get(day, 0) + n
    for day in series.days:
        series.escalations.append(escalated.get(day, 0))
        row = by_day.get(day) or {}
        series.new.append(row.get("new") or 0)
        series.recovered.append(row.get("recovered") or 0)
        series.isolating.append(stocks[day][0])
        series.awaiting.append(stocks[day][1])
    return series


def first_day_with_data(unit: Unit) -> date | None:
    return CommuneDay.objects.filter(scope_q(unit)).aggregate(first=Min("day"))["first"]
