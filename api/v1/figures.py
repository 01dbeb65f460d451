"""Dashboard figures of a unit and its child units."""

from datetime import date, datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Schema

from api.v1.base import (
    AUTH,
    AUTHED,
    UnitOut,
    _problem_codes,
    _unit,
    api,
)
from api.v1.types import IsoDate, UnitCode
from reports.dashboard import dashboard_figures
from reports.freshness import summaries_catch_up
from units.models import Unit

# --- Figures --------------------------------------------------------------------------------


class FiguresOut(Schema):
    """The figures the dashboard page shows for one unit (reports.dashboard.Figures)."""

    unit: UnitOut
    new_on_day: int = Field(description="declarations received on `day`")
    new_7d: int = Field(description="declarations received in the 7 days ending on `day`")
    awaiting: int
    oldest_waiting_since: datetime | None
    isolating: int
    recovery_requested: int
    eligible: int = Field(description="isolating cases whose isolation may end on `day`")
    recovered: int
    hospitalised: int
    died: int
    moved_away: int
    rejected: int


class DashboardOut(Schema):
    day: date
    total: FiguresOut
    children: list[FiguresOut] = Field(description="the units one level down, in code order")


def _figures(figures) -> dict:
    names = (
        "new_7d awaiting oldest_waiting_since isolating recovery_requested eligible "
        "recovered hospitalised died moved_away rejected"
    )
    return {
        "unit": _unit(figures.unit),
        "new_on_day": figures.new_today,
        **{name: getattr(figures, name) for name in names.split()},
    }


@api.get(
    "/figures",
    auth=AUTH,
    response={200: DashboardOut, **_problem_codes(*AUTHED)},
    tags=["figures"],
    summary="Dashboard figures of a unit and its child units on a day",
)
def figures(
    request,
    unit: UnitCode | None = Query(None, description="GSO code; the caller's by default"),  # noqa: B008
    day: IsoDate | None = Query(None, description="local date; today by default"),  # noqa: B008
):
    """The same figures as the dashboard page (reports.dashboard.dashboard_figures), read
    after the summaries have caught up with the latest events; 404 for a unit outside the
    caller's."""
    user = request.auth
    target = user.unit
    if unit:
        found = Unit.objects.within(user.unit).filter(code=unit).first()
        if found is None:
            raise Http404
        target = found
    day = day or timezone.localdate()
    summaries_catch_up()
    total, children = dashboard_figures(target, today=day)
    return {
        "day": day,
        "total": _figures(total),
        "children": [_figures(child) for child in children],
    }
