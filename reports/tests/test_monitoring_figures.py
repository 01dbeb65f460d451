"""Dashboard figures of daily self-monitoring: reporting today, not reporting, escalations
by day, for the commune, the district and the province, checked against direct counts."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.choices import ISOLATING, Status
from cases.models import Case, DailyReport
from cases.services import daily_report_submit
from cases.testing import make_case
from core.tests.clock import set_local_clock
from reports.dashboard import dashboard_figures, day_series
from reports.summaries import summaries_refresh
from units.scope import scope_q


@pytest.fixture
def reports(monkeypatch, commune_a, commune_a2, commune_b, officer_a, officer_a2, officer_b):
    """A: 3 isolating (fine today, danger today twice, silent); A2: 2 (fine, silent);
    B: 2 (danger yesterday and silent today, silent); plus cases that take no report."""
    today = timezone.localdate()
    set_local_clock(monkeypatch, f"{today:%Y-%m-%d} 10:00")

    def isolating(commune, by):
        return make_case(commune, status=Status.ACCEPTED, by=by)

    a = [isolating(commune_a, officer_a) for _ in range(3)]
    a2 = [isolating(commune_a2, officer_a2) for _ in range(2)]
    b = [isolating(commune_b, officer_b) for _ in range(2)]
    make_case(commune_a)  # awaiting review: takes no report
    ended = isolating(commune_a, officer_a)
    Case.objects.filter(pk=ended.pk).update(extended_isolation_end=today - timedelta(days=1))

    set_local_clock(monkeypatch, f"{today - timedelta(days=1):%Y-%m-%d} 20:00")
    daily_report_submit(case=b[0], feeling_fine=False, spo2=93)
    set_local_clock(monkeypatch, f"{today:%Y-%m-%d} 10:30")
    daily_report_submit(case=a[0], feeling_fine=True)
    daily_report_submit(case=a[1], feeling_fine=False, symptoms=["breathlessness"])
    daily_report_submit(case=a[1], feeling_fine=False, spo2=92)
    daily_report_submit(case=a2[0], feeling_fine=True)
    # The cases taking a report are counted from the summaries, as a dashboard reads them
    # after catching up (reports.freshness).
    summaries_refresh()
    return today


def direct(unit, today):
    """The three figures counted straight from the tables."""
    expected = Case.objects.filter(
        scope_q(unit), status__in=ISOLATING, extended_isolation_end__gte=today
    )
    reporting = expected.filter(daily_reports__reported_on=today).distinct().count()
    escalated = (
        DailyReport.objects.filter(scope_q(unit, "case__"), reported_on=today)
        .exclude(danger_signs=[])
        .values("case")
        .distinct()
        .count()
    )
    return reporting, expected.count() - reporting, escalated


def figures_of(f):
    return f.reporting_today, f.not_reporting, f.escalations_today


@pytest.mark.django_db
def test_the_figures_match_direct_counts_at_every_level(reports, commune_a, commune_a2, units):
    today = reports
    province = commune_a.province
    total, districts = dashboard_figures(province, today=today)
    assert figures_of(total) == direct(province, today) == (3, 4, 1)
    for row in districts:
        assert figures_of(row) == direct(row.unit, today)
    district = commune_a.district
    total, communes = dashboard_figures(district, today=today)
    assert figures_of(total) == direct(district, today) == (3, 2, 1)
    by_commune = {row.unit: figures_of(row) for row in communes}
    assert by_commune[commune_a] == direct(commune_a, today) == (2, 1, 1)
    assert by_commune[commune_a2] == direct(commune_a2, today) == (1, 1, 0)
    assert figures_of(dashboard_figures(commune_a, today=today)[0]) == (2, 1, 1)


@pytest.mark.django_db
def test_escalations_by_day(reports, commune_a, commune_b, units):
    today = reports
    series = day_series(commune_a.province, days=7, today=today)
    by_day = dict(zip(series.days, series.escalations, strict=True))
    assert by_day[today] == 1 and by_day[today - timedelta(days=1)] == 1
    assert sum(series.escalations) == 2
    assert day_series(commune_b, days=7, today=today).escalations[-2:] == [1, 0]


@pytest.mark.django_db
def test_the_dashboards_show_them_with_drill_down(
    client, login, reports, province_health, district_staff
):
    today = reports
    login(province_health)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert re.search(r"Báo cáo sức khỏe hôm nay</span><span class=\"stat__value\">3<", page)
    assert "Chưa báo cáo: 4" in page
    assert re.search(r"Báo dấu hiệu nguy hiểm hôm nay</span><span class=\"stat__value\">1<", page)
    yesterday = today - timedelta(days=1)
    assert re.search(rf'data-testid="escalations-{yesterday:%Y-%m-%d}">1<', page)
    login(district_staff)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "Chưa báo cáo: 2" in page and "Xã Tràng Đà" in page
