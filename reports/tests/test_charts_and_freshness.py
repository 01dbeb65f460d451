from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases.choices import Status
from cases.testing import make_case
from reports.charts import Series, axis, day_chart, unit_bars
from reports.models import CommuneDay, PendingDecision, SummaryState
from reports.summaries import summaries_refresh
from reports.tests.conftest import issue_decision


@pytest.mark.parametrize(
    "value,expected",
    [
        (0, (1, 1)),
        (3, (3, 1)),
        (7, (8, 2)),
        (213, (250, 50)),
        (272, (300, 100)),
        (1374, (1500, 500)),
    ],
)
def test_axes_use_round_steps_and_few_ticks(value, expected):
    assert axis(value) == expected
    top, step = axis(value)
    assert top >= value and top // step <= 5


def test_charts_are_images_with_a_title_a_description_and_no_script():
    days = [date(2022, 3, 1) + timedelta(days=i) for i in range(5)]
    svg = day_chart(
        ident="c",
        title="Khai báo <mới>",
        days=days,
        bars=Series("new", "Mới", [1, 5, 3, 0, 2]),
        lines=[Series("recovered", "Khỏi", [0, 1, 2, 3, 4])],
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="c-t c-d"' in svg
    assert "Khai báo &lt;mới&gt;" in svg and "<script" not in svg and "style=" not in svg
    assert "01/03/2022" in svg and "05/03/2022" in svg
    bars = unit_bars(
        ident="u",
        title="Đơn vị",
        labels=["Tràng Đà", "Phan Thiết"],
        stacks=[Series("awaiting", "Chờ", [2, 3])],
    )
    assert "Cao nhất: Phan Thiết, 3." in bars


@pytest.mark.django_db
def test_a_large_backlog_goes_to_the_background_task(
    client, login, district_staff, commune_a, settings
):
    settings.REPORTS_INLINE_REFRESH_EVENTS = 1
    for _ in range(3):
        make_case(commune_a)
    login(district_staff)
    response = client.get(reverse("reports:dashboard"))
    # The test settings run tasks at once; production's worker would do it moments later.
    state = SummaryState.objects.get()
    assert state.task_enqueued_at is not None
    assert 'stat__value">3<' in response.content.decode()


@pytest.mark.django_db
def test_a_recovery_confirmation_is_not_counted_as_an_isolation_decision(commune_a, officer_a):
    case = make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    issue_decision(case, document_type="recovery_confirmation")
    summaries_refresh()
    assert PendingDecision.objects.filter(case=case).exists()
    assert CommuneDay.objects.get(commune=commune_a).decision_count == 0
