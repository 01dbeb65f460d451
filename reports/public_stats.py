"""Province-wide figures for the public page: complete days only, small counts suppressed.

What is published, and why nothing below the threshold can be worked out from it:
- per day for the last 30 complete days: new declarations, recoveries, cases isolating at
  the end of the day (each cell on its own);
- per district (or commune, in a two-level unit set): new declarations and recoveries of
  the last 7 days, isolating at the end of yesterday;
- the province totals of those three district columns, which are also the sums of the
  last 7 daily cells (new, recovered) and the last daily isolating cell: each district
  column and the last 7 daily cells are protected against their published total
  (reports.disclosure.protect), so a suppressed cell cannot be recomputed from it.
No cumulative "since the start" totals are published: yesterday's and today's cumulative
totals would differ by exactly one day's count, suppressed or not.
Figures stop at the end of yesterday, so the page does not change during the day.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum
from django.utils import timezone

from cases.choices import ISOLATING
from reports.dashboard import _child_key, child_units, day_series
from reports.disclosure import HIDDEN, SHOWN, Cell, Protected, cell, min_count, protect
from reports.models import CommuneDay, CommuneStatus
from units.models import Unit
from units.scope import scope_q

DAYS = 30
WINDOW = 7


@dataclass
class PublicStats:
    province: Unit
    last_day: date
    k: int
    days: list[tuple[date, Cell, Cell, Cell]]
    units: list[tuple[Unit, Cell, Cell, Cell]]
    new_last_day: Cell
    new_window: Cell
    recovered_window: Cell
    isolating: Cell


def public_stats(province: Unit) -> PublicStats:
    k = min_count()
    last_day = timezone.localdate() - timedelta(days=1)
    series = day_series(province, days=DAYS, today=last_day)
    window = list(range(DAYS - WINDOW, DAYS))
    new_total = sum(series.new[i] for i in window)
    recovered_total = sum(series.recovered[i] for i in window)
    isolating_total = series.isolating[-1]
    new_days = protect({i: series.new[i] for i in window}, total=new_total, k=k)
    recovered_days = protect({i: series.recovered[i] for i in window}, total=recovered_total, k=k)
    days = [
        (day, cell(series.new[i], k), cell(series.recovered[i], k), cell(series.isolating[i], k))
        for i, day in enumerate(series.days)
    ]

    children = child_units(province)
    key = _child_key(province) or "commune_id"
    start = last_day - timedelta(days=WINDOW - 1)
    flows = {
        row[key]: row
        for row in CommuneDay.objects.filter(scope_q(province), day__gte=start, day__lte=last_day)
        .values(key)
        .annotate(new=Sum("declared"), recovered=Sum("recovered"))
    }
    isolating = {
        row[key]: row["n"]
        for row in CommuneStatus.objects.filter(scope_q(province), status__in=ISOLATING)
        .values(key)
        .annotate(n=Sum("count"))
    }
    # Today's changes are not part of "the end of yesterday".
    for row in (
        CommuneDay.objects.filter(scope_q(province), day__gt=last_day)
        .values(key)
        .annotate(d=Sum("isolating_delta"))
    ):
        isolating[row[key]] = isolating.get(row[key], 0) - row["d"]
    ids = [u.pk for u in children]
    new_units = protect(
        {pk: (flows.get(pk) or {}).get("new") or 0 for pk in ids}, total=new_total, k=k
    )
    recovered_units = protect(
        {pk: (flows.get(pk) or {}).get("recovered") or 0 for pk in ids}, total=recovered_total, k=k
    )
    isolating_units = protect({pk: isolating.get(pk, 0) for pk in ids}, total=isolating_total, k=k)
    new_total_cell = couple(new_days, new_units)
    recovered_total_cell = couple(recovered_days, recovered_units)
    isolating_total_cell = isolating_units.total
    if isolating_total_cell.state != SHOWN:
        hide_one(isolating_units)
    # The last day's isolating count is the same figure as the isolating total.
    days[-1] = (*days[-1][:3], isolating_total_cell)
    for i in window:
        day, _new, _recovered, isolating_cell = days[i]
        days[i] = (day, new_days.cells[i], recovered_days.cells[i], isolating_cell)
    units = [
        (u, new_units.cells[u.pk], recovered_units.cells[u.pk], isolating_units.cells[u.pk])
        for u in children
    ]
    return PublicStats(
        province=province,
        last_day=last_day,
        k=k,
        days=list(reversed(days)),
        units=units,
        new_last_day=days[-1][1],
        new_window=new_total_cell,
        recovered_window=recovered_total_cell,
        isolating=isolating_total_cell,
    )


def couple(*groups: Protected) -> Cell:
    """One total shared by several groups: published only if every group allows it.

    When it is withheld, a group showing every cell would still give it away, so such a
    group hides its smallest cell of at least k as well; the total then has no upper
    bound for a reader, and the small counts of the other groups stay protected.
    """
    totals = [g.total for g in groups]
    if all(t.state != HIDDEN for t in totals):
        return totals[0]
    for group in groups:
        hide_one(group)
    return next(t for t in totals if t.state == HIDDEN)


def hide_one(group: Protected) -> None:
    """Hide the smallest cell of at least k in a group that shows all its cells."""
    if any(c.state != SHOWN for c in group.cells.values()):
        return
    candidates = [(c.value, key) for key, c in group.cells.items() if c.value >= c.k]
    if candidates:
        value, key = min(candidates)
        group.cells[key] = Cell(value, HIDDEN, group.cells[key].k)
