"""Service levels of the communes inside a unit, and the cases that are overdue."""

from datetime import date, timedelta

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.access import roles_required
from core.replica import reads_from_replica
from reports.freshness import summaries_catch_up
from reports.service_levels import (
    bucket_hours,
    overdue_decisions,
    overdue_hours,
    overdue_recoveries,
    overdue_reviews,
    service_levels,
)
from reports.views.dashboard import REPORT_ROLES, _unit, breadcrumbs

LIST_LIMIT = 25


def case_url(pk: int) -> str | None:
    """The back office's page of a case (it checks the scope and audits the view)."""
    try:
        return reverse("backoffice:case", args=[pk])
    except NoReverseMatch:
        return None


def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        end = date.fromisoformat(request.GET.get("den", ""))
    except ValueError:
        end = today
    try:
        start = date.fromisoformat(request.GET.get("tu", ""))
    except ValueError:
        start = end - timedelta(days=6)
    end = min(end, today)
    start = min(max(start, end - timedelta(days=366)), end)
    return start, end


def _limited(queryset):
    rows = list(queryset[:LIST_LIMIT])
    total = len(rows) if len(rows) < LIST_LIMIT else queryset.count()
    return rows, total


@roles_required(*REPORT_ROLES)
@reads_from_replica
def service_level_view(request, unit_id=None):
    unit = _unit(request, unit_id)
    state = summaries_catch_up()
    start, end = _period(request)
    rows = service_levels(unit, start=start, end=end)
    reviews, reviews_total = overdue_reviews(unit, limit=LIST_LIMIT)
    decisions, decisions_total = _limited(overdue_decisions(unit))
    recoveries, recoveries_total = overdue_recoveries(unit, limit=LIST_LIMIT)
    for case in reviews:
        case.url = case_url(case.pk)
    today = timezone.localdate()
    for item in recoveries:
        item.url = case_url(item.case_id)
        item.days_past = (today - item.isolation_end).days
    for pending in decisions:
        pending.url = case_url(pending.case_id)
    return render(
        request,
        "reports/service_levels.html",
        {
            "unit": unit,
            "crumbs": breadcrumbs(request.user, unit),
            "state": state,
            "rows": rows,
            "behind": sum(1 for r in rows if r.behind),
            "start": start,
            "end": end,
            "hours": overdue_hours(),
            "bucket": bucket_hours(),
            "reviews": reviews,
            "reviews_total": reviews_total,
            "decisions": decisions,
            "decisions_total": decisions_total,
            "recoveries": recoveries,
            "recoveries_total": recoveries_total,
        },
    )
