from datetime import timedelta

import pytest
from django.utils import timezone

from cases.choices import EventKind, Status
from cases.models import Case, CaseEvent
from cases.services import case_accept
from cases.testing import make_case
from core.tests.clock import set_local_clock
from reports.dashboard import dashboard_figures, day_series
from reports.models import CommuneDay, CommuneStatus, PendingDecision, SummaryState
from reports.summaries import summaries_rebuild, summaries_refresh
from reports.tests.conftest import direct_figures, figures_dict, issue_decision
from units.models import Unit


def snapshot():
    fields = [f.name for f in CommuneDay._meta.concrete_fields if f.name != "id"]
    days = {
        (r["commune"], r["day"]): r
        for r in CommuneDay.objects.values(*fields)
        if any(v for k, v in r.items() if k not in ("commune", "district", "province", "day"))
    }
    stock = {
        (r.commune_id, r.status, r.outcome): r.count for r in CommuneStatus.objects.all() if r.count
    }
    pending = set(PendingDecision.objects.values_list("case_id", "commune_id", "since"))
    return days, stock, pending


@pytest.mark.django_db
def test_dashboard_figures_equal_direct_counts_at_every_level(
    scenario, commune_a, commune_a2, commune_b
):
    summaries_refresh()
    province = commune_a.province
    for unit in (
        province,
        commune_a.district,
        commune_b.district,
        commune_a,
        commune_a2,
        commune_b,
    ):
        total, children = dashboard_figures(unit)
        assert figures_dict(total) == direct_figures(unit), unit.name
        for child in children:
            assert figures_dict(child) == direct_figures(child.unit), child.unit.name


@pytest.mark.django_db
def test_the_scenario_gives_the_figures_a_commune_officer_would_count(
    scenario, commune_a, commune_a2
):
    summaries_refresh()
    a, _children = dashboard_figures(commune_a)
    # 3 waiting + rejected + recovered + requested + hospitalised + 2 transferred away
    # + 1 accepted then transferred + 2 accepted + 2 eligible = 14 declared here today.
    assert a.new_today == 14
    assert (a.awaiting, a.isolating, a.eligible, a.recovered) == (3, 5, 3, 1)
    assert (a.hospitalised, a.rejected, a.recovery_requested) == (1, 1, 1)
    a2, _children = dashboard_figures(commune_a2)
    # Transfers move the case, not its history: A2 received nothing new today.
    assert (a2.new_today, a2.awaiting, a2.isolating) == (0, 1, 1)


@pytest.mark.django_db
def test_refresh_counts_each_event_once_and_picks_up_new_ones(scenario, commune_a, officer_a):
    first = summaries_refresh()
    assert first.processed == CaseEvent.objects.count()
    assert summaries_refresh().processed == 0
    before, _ = dashboard_figures(commune_a)
    case_accept(case=scenario["a_waiting"][0], by=officer_a)
    assert summaries_refresh().processed == 1
    after, _ = dashboard_figures(commune_a)
    assert (after.awaiting, after.isolating) == (before.awaiting - 1, before.isolating + 1)
    assert figures_dict(after) == direct_figures(commune_a)


@pytest.mark.django_db
def test_rebuild_gives_what_the_incremental_refreshes_gave(scenario, commune_a, officer_a):
    summaries_refresh()
    case_accept(case=scenario["a_waiting"][1], by=officer_a)
    issue_decision(scenario["a_accepted"][1])
    summaries_refresh()
    incremental = snapshot()
    summaries_rebuild()
    assert snapshot() == incremental


@pytest.mark.django_db
def test_an_event_committed_late_below_the_watermark_is_still_counted(commune_a):
    make_case(commune_a)
    summaries_refresh()
    watermark = SummaryState.objects.get().watermark
    # Transactions took pks watermark+1..+9 and have not committed; a later one has.
    second = make_case(commune_a)
    CaseEvent.objects.filter(case=second).update(id=watermark + 10)
    summaries_refresh()
    state = SummaryState.objects.get()
    assert state.watermark == watermark + 10
    # (On PostgreSQL pks do not restart between tests: ignore holes before this test.)
    assert [g[:2] for g in state.gaps if g[0] > watermark] == [[watermark + 1, watermark + 9]]
    # One of them commits now, below the watermark.
    third = make_case(commune_a)
    CaseEvent.objects.filter(case=third).update(id=watermark + 3)
    summaries_refresh()
    assert dashboard_figures(commune_a)[0].awaiting == 3
    assert [g[:2] for g in SummaryState.objects.get().gaps if g[0] > watermark] == [
        [watermark + 1, watermark + 2],
        [watermark + 4, watermark + 9],
    ]


@pytest.mark.django_db
def test_gaps_are_given_up_after_a_while(commune_a, settings):
    make_case(commune_a)
    summaries_refresh()
    watermark = SummaryState.objects.get().watermark
    CaseEvent.objects.filter(case=make_case(commune_a)).update(id=watermark + 5)
    summaries_refresh()
    assert SummaryState.objects.get().gaps
    settings.REPORTS_GAP_SECONDS = 0
    summaries_refresh()
    assert SummaryState.objects.get().gaps == []


@pytest.mark.django_db
def test_active_by_day_is_rebuilt_from_today_backwards(commune_a, officer_a):
    make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    summaries_refresh()
    # Move one acceptance two days back: yesterday there was 1 isolating, 3 days ago 0.
    event = CaseEvent.objects.filter(kind=EventKind.ACCEPTED).first()
    CaseEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(days=2))
    summaries_rebuild()
    series = day_series(commune_a, days=4)
    assert series.isolating == [0, 1, 1, 2]


@pytest.mark.django_db
def test_decision_wait_ends_with_the_first_isolation_decision(commune_a, officer_a, monkeypatch):
    # At 10:00 the decision 3 hours later falls on the same Vietnamese day (after 21:00 it
    # would not, and the test failed in those hours).
    set_local_clock(monkeypatch, f"{timezone.localdate():%Y-%m-%d} 10:00")
    case = make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    # Declared and accepted at 08:00 local time today, whatever the hour the test runs at:
    # three hours later is still today in Vietnam (the day the figure is counted on).
    morning = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    CaseEvent.objects.filter(case=case).update(at=morning)
    Case.objects.filter(pk=case.pk).update(submitted_at=morning, accepted_at=morning)
    summaries_refresh()
    assert PendingDecision.objects.filter(case=case).exists()
    issue_decision(case, at=morning + timedelta(hours=3))
    # A corrected decision re-issued later is not a second wait.
    issue_decision(case, at=morning + timedelta(hours=5))
    summaries_refresh()
    assert not PendingDecision.objects.filter(case=case).exists()
    day = CommuneDay.objects.get(commune=commune_a, day=timezone.localdate())
    assert day.decision_count == 1
    assert 3 * 3600 - 60 <= day.decision_seconds <= 3 * 3600 + 60


@pytest.mark.django_db
def test_a_two_level_unit_set_drills_from_province_to_communes(db):
    from units.testing import ensure_units, unit

    ensure_units(set_code="gso-2025")
    province = unit("08", set_code="gso-2025")
    commune = Unit.objects.filter(province=province, level=Unit.Level.COMMUNE).first()
    make_case(commune)
    summaries_refresh()
    total, children = dashboard_figures(province)
    assert total.awaiting == 1 and total.new_today == 1
    assert all(c.unit.level == Unit.Level.COMMUNE for c in children)
    assert [c.awaiting for c in children if c.unit == commune] == [1]


@pytest.mark.django_db
def test_a_corrected_test_date_moves_the_case_in_or_out_of_eligible(commune_a, officer_a):
    from cases.services import case_correct

    case = make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    summaries_refresh()
    assert dashboard_figures(commune_a)[0].eligible == 0
    earlier = timezone.localdate() - timedelta(days=10)
    case_correct(
        case=case, by=officer_a, changes={"positive_test_date": earlier}, reason="Nhập nhầm ngày"
    )
    summaries_refresh()
    assert dashboard_figures(commune_a)[0].eligible == 1 == direct_figures(commune_a)["eligible"]
    summaries_rebuild()
    assert dashboard_figures(commune_a)[0].eligible == 1


@pytest.mark.django_db
def test_eligible_for_recovery_is_one_figure_on_the_commune_and_district_pages(
    commune_a, officer_a
):
    """Two cases past their earliest recovery date on different days: the commune's own
    dashboard said 1 where the district's table said 2 for it (issue 14, item 10)."""
    today = timezone.localdate()
    for days_ago in (8, 9):
        make_case(
            commune_a,
            status=Status.ACCEPTED,
            by=officer_a,
            positive_test_date=today - timedelta(days=days_ago),
        )
    summaries_refresh()
    own, _children = dashboard_figures(commune_a)
    _district, rows = dashboard_figures(commune_a.district)
    [row] = [row for row in rows if row.unit == commune_a]
    assert own.eligible == row.eligible == 2
