"""Who did not report: isolating people without a daily report, riskiest first, the call."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases.choices import ISOLATING, EventKind, Status
from cases.models import Case
from cases.services import daily_report_submit
from cases.testing import make_case
from core.tests.clock import set_local_clock

URL = reverse("backoffice:not_reporting")


def at(monkeypatch, day: date, hour: str = "10:00"):
    set_local_clock(monkeypatch, f"{day:%Y-%m-%d} {hour}")


@pytest.fixture
def isolating_people(monkeypatch, commune_a, commune_b, officer_a, officer_b):
    """Seven isolating people of commune A and one of commune B, on a frozen today."""
    today = timezone.localdate()
    seventy = date(today.year - 70, 3, 3)

    def person(name, commune=commune_a, by=officer_a, **values):
        return make_case(commune, status=Status.ACCEPTED, by=by, full_name=name, **values)

    at(monkeypatch, today - timedelta(days=2))
    people = {"silent_since_accepted": person("Lê Văn Cũ")}
    at(monkeypatch, today - timedelta(days=3))
    people["silent_two_days"] = person("Trần Thị Hai")
    at(monkeypatch, today - timedelta(days=2))
    daily_report_submit(case=people["silent_two_days"], feeling_fine=True)
    at(monkeypatch, today)
    people.update(
        {
            "elderly_unvaccinated_sick": person(
                "Hoàng Văn Già",
                date_of_birth=seventy,
                vaccine_doses=0,
                comorbidities=["diabetes"],
                sex="male",
            ),
            "elderly": person("Phạm Thị Bà", date_of_birth=seventy),
            "unvaccinated": person("Vũ Văn Chưa", vaccine_doses=1, sex="male"),
            "reported_today": person("Đỗ Thị Khỏe"),
            "reported_yesterday": person("Ngô Văn Qua", sex="male"),
        }
    )
    at(monkeypatch, today - timedelta(days=1))
    daily_report_submit(case=people["reported_yesterday"], feeling_fine=True)
    at(monkeypatch, today)
    daily_report_submit(case=people["reported_today"], feeling_fine=True)
    people["other_commune"] = person("Bùi Văn Khác", commune=commune_b, by=officer_b)
    return people


def listed(response) -> list[str]:
    return re.findall(r'data-case="([^"]+)"', response.content.decode())


@pytest.mark.django_db
def test_the_commune_lists_who_did_not_report_today_riskiest_first(
    client, login, isolating_people, commune_a, officer_a
):
    p = isolating_people
    login(officer_a)
    response = client.get(URL)
    order = [
        "elderly_unvaccinated_sick",
        "elderly",
        "unvaccinated",
        "silent_since_accepted",  # 0 risk factors, 3 days without a report
        "silent_two_days",  # 0 risk factors, 2 days
        "reported_yesterday",
    ]
    assert listed(response) == [p[name].tracking_code for name in order]
    # The same count read straight from the database.
    today = timezone.localdate()
    direct = (
        Case.objects.filter(commune=commune_a, status__in=ISOLATING)
        .exclude(daily_reports__reported_on=today)
        .count()
    )
    assert direct == len(order)
    html = response.content.decode()
    assert f'href="tel:{p["elderly"].phone}"' in html  # the phone to call
    assert "6 người" in html and "2 ngày không báo cáo" in html
    entry = AuditEntry.objects.get(action="monitoring.not_reporting_view")
    assert entry.actor == officer_a and entry.detail["count"] == 6
    assert sorted(entry.detail["cases"]) == sorted(p[name].pk for name in order)


@pytest.mark.django_db
def test_two_days_without_a_report(client, login, isolating_people, officer_a):
    p = isolating_people
    login(officer_a)
    response = client.get(URL, {"days": "2"})
    assert listed(response) == [
        p["silent_since_accepted"].tracking_code,
        p["silent_two_days"].tracking_code,
    ]


@pytest.mark.django_db
def test_other_units_see_their_own_and_the_district_reads_phones_masked(
    client, login, isolating_people, officer_b, district_staff, district_other, province_health
):
    p = isolating_people
    login(officer_b)
    assert listed(client.get(URL)) == [p["other_commune"].tracking_code]
    login(district_staff)
    response = client.get(URL)
    assert p["other_commune"].tracking_code not in listed(response) and len(listed(response)) == 6
    assert p["elderly"].phone not in response.content.decode()
    assert "Đã gọi, ghi nhận" not in response.content.decode()
    login(district_other)
    assert listed(client.get(URL)) == [p["other_commune"].tracking_code]
    login(province_health)
    assert len(listed(client.get(URL))) == 7


@pytest.mark.django_db
def test_called_noted_in_one_click_goes_on_the_timeline(
    client, login, isolating_people, officer_a, officer_b, district_staff
):
    case = isolating_people["elderly"]
    called = reverse("backoffice:case_called", args=[case.pk])
    login(officer_a)
    response = client.post(called, {"note": "Đã nghe máy, sức khỏe ổn", "days": "1"})
    assert response.status_code == 302 and response["Location"] == URL
    event = case.events.get(kind=EventKind.CALLED)
    assert event.actor == officer_a and not event.public
    assert event.reason == "Đã nghe máy, sức khỏe ổn"
    assert AuditEntry.objects.filter(action="case.called", object_id=str(case.pk)).exists()
    page = client.get(URL).content.decode()
    assert "Đã gọi lúc" in page and "Đã ghi nhận cuộc gọi cho hồ sơ" in page
    # Still on the list: a call is not a report.
    assert case.tracking_code in listed(client.get(URL))
    # Outside the commune the case does not exist; read-only roles may not note calls.
    assert login(officer_b, Client()).post(called).status_code == 404
    assert login(district_staff, Client()).post(called).status_code == 403
    assert case.events.filter(kind=EventKind.CALLED).count() == 1
