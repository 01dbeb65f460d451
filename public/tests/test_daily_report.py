"""Daily self-monitoring: the personal link, "fine" in one tap, a danger sign escalated."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.choices import EventKind, RiskFlag, Status
from cases.models import DailyReport
from cases.monitoring import link_for, token_for
from cases.services import case_close, case_reject, monitoring_links_send_morning
from cases.testing import make_case
from core.tests.clock import set_local_clock
from documents.models import DocumentTemplateSettings
from notifications.models import Notification
from public.tests.test_status_and_recovery import lookup


def link_of(case) -> str:
    """The daily page's path as the SMS sent at acceptance gives it."""
    sms = Notification.objects.get(
        kind="daily_report_link", channel="sms", object_id=str(case.pk)
    ).body
    return "/" + re.search(r"https?://[^/]+/(\S+/)", sms)[1]


def isolating(commune, officer, **overrides):
    return make_case(commune, status=Status.ACCEPTED, by=officer, **overrides)


def fine(client, url):
    return client.post(url, {"action": "fine"})


def details(client, url, **values):
    return client.post(url, {"action": "details", **values})


@pytest.mark.django_db
def test_accepting_a_case_sends_its_daily_link_which_opens_a_no_store_page(
    client, commune_a, officer_a
):
    case = isolating(commune_a, officer_a, email="hoa@example.vn")
    sent = Notification.objects.filter(kind="daily_report_link", object_id=str(case.pk))
    assert {n.channel for n in sent} == {"sms", "email"}
    url = link_of(case)
    assert url in sent.get(channel="email").body
    page = client.get(url)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "Tôi khỏe, không có dấu hiệu nguy hiểm" in html and case.tracking_code in html
    # Nothing personal on a page opened without a login.
    assert case.full_name not in html and case.phone not in html


@pytest.mark.django_db
def test_i_feel_fine_in_one_tap_goes_on_the_timeline(client, commune_a, officer_a):
    case = isolating(commune_a, officer_a)
    url = link_of(case)
    response = fine(client, url)
    assert response.status_code == 302 and response["Location"] == url
    report = DailyReport.objects.get(case=case)
    assert report.feeling_fine and report.reported_on == timezone.localdate()
    assert not report.danger_signs
    assert "Đã ghi nhận báo cáo hôm nay" in client.get(url).content.decode()
    event = case.events.get(kind=EventKind.DAILY_REPORT)
    assert event.public and event.message == "Khỏe, không có dấu hiệu nguy hiểm"
    case.refresh_from_db()
    assert not case.has_danger_signs


@pytest.mark.django_db
def test_spo2_at_the_threshold_flags_danger_alerts_the_commune_and_advises_now(
    client, login, commune_a, officer_a, leader_a, officer_b
):
    officer_a.email, officer_a.phone = "canbo.a@trangda.gov.vn", "0912000222"
    officer_a.save()
    leader_a.email = "chutich.a@trangda.gov.vn"
    leader_a.save()
    officer_b.email = "canbo.b@sonduong.gov.vn"
    officer_b.save()
    DocumentTemplateSettings.objects.create(
        unit=commune_a, health_station_phone="0207 3822 115", legal_bases=[]
    )
    case = isolating(commune_a, officer_a)
    assert case.rule_set.spo2_danger_threshold == 96
    url = link_of(case)
    response = details(client, url, spo2="96", temperature="37.8")
    assert response.status_code == 302

    report = DailyReport.objects.get(case=case)
    assert report.danger_signs == [RiskFlag.LOW_SPO2]
    case.refresh_from_db()
    assert case.has_danger_signs and case.risk_flags[0] == RiskFlag.DANGER
    assert case.events.get(kind=EventKind.DANGER_REPORTED).message == ("Nhiệt độ 37,8 °C; SpO2 96%")
    # At once in the commune's "Dấu hiệu nguy hiểm" list.
    inbox = login(officer_a, Client()).get(reverse("backoffice:inbox"), {"tab": "danger"})
    assert case.tracking_code in inbox.content.decode()
    # The commune's officials are alerted, by email and by SMS where they have a phone;
    # another commune's officer is not; the alert carries no health detail.
    alerts = Notification.objects.filter(kind="danger_alert", object_id=str(case.pk))
    assert {(n.channel, n.recipient) for n in alerts} == {
        ("email", "canbo.a@trangda.gov.vn"),
        ("sms", "0912000222"),
        ("email", "chutich.a@trangda.gov.vn"),
    }
    assert all(case.tracking_code in n.body and "96" not in n.body for n in alerts)
    # The citizen sees what to do now.
    html = client.get(url).content.decode()
    assert 'data-testid="emergency"' in html
    assert 'href="tel:115"' in html and 'href="tel:02073822115"' in html
    assert "0207 3822 115" in html


@pytest.mark.django_db
def test_spo2_above_the_threshold_is_not_a_danger(client, commune_a, officer_a):
    case = isolating(commune_a, officer_a)
    url = link_of(case)
    details(client, url, spo2="97", symptoms=["cough"])
    case.refresh_from_db()
    assert not case.has_danger_signs
    assert not Notification.objects.filter(kind="danger_alert").exists()
    assert 'data-testid="emergency"' not in client.get(url).content.decode()


@pytest.mark.django_db
def test_which_symptoms_escalate_is_the_rule_sets(client, commune_a, officer_a):
    case = isolating(commune_a, officer_a)
    url = link_of(case)
    details(client, url, symptoms=["chest_pain"])
    case.refresh_from_db()
    assert case.has_danger_signs

    other = isolating(commune_a, officer_a)
    other.rule_set.danger_symptoms = ["breathlessness", "cyanosis", "confusion"]
    other.rule_set.save()
    details(client, link_of(other), symptoms=["chest_pain"])
    other.refresh_from_db()
    assert not other.has_danger_signs


@pytest.mark.django_db
def test_fast_breathing_for_the_age_escalates(client, commune_a, officer_a):
    child = isolating(
        commune_a,
        officer_a,
        id_type="none",
        id_number="",
        date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 3),
        guardian_name="Nguyễn Văn Bố",
        guardian_id_number="008085000123",
        guardian_phone="0912000111",
        phone="0912000111",
    )
    details(client, link_of(child), breathing_rate="40")  # 1-4 years: from 40 per minute
    child.refresh_from_db()
    assert child.has_danger_signs and RiskFlag.FAST_BREATHING in child.risk_flags


@pytest.mark.django_db
def test_an_empty_report_is_refused_with_a_message(client, commune_a, officer_a):
    case = isolating(commune_a, officer_a)
    response = details(client, link_of(case), temperature="")
    assert response.status_code == 200
    assert "Vui lòng chọn triệu chứng hoặc nhập nhiệt độ" in response.content.decode()
    refused = details(client, link_of(case), spo2="150", symptoms=["cough"])
    html = refused.content.decode()
    assert "SpO2 từ 50 đến 100." in html
    assert 'value="cough" checked' in html and 'value="150"' in html  # nothing typed lost
    assert not DailyReport.objects.exists()


@pytest.mark.django_db
def test_the_link_stops_when_isolation_ends(client, monkeypatch, commune_a, officer_a):
    case = isolating(commune_a, officer_a)
    url = link_of(case)
    assert client.get(url).status_code == 200
    last_day = case.extended_isolation_end
    set_local_clock(monkeypatch, f"{last_day:%Y-%m-%d} 23:50")
    assert client.get(url).status_code == 200
    set_local_clock(monkeypatch, f"{last_day + timedelta(days=1):%Y-%m-%d} 00:10")
    closed = client.get(url)
    assert closed.status_code == 404
    assert "Đường dẫn không còn hiệu lực" in closed.content.decode()
    assert fine(client, url).status_code == 404
    assert not DailyReport.objects.exists()


@pytest.mark.django_db
def test_the_link_stops_when_the_case_is_closed(client, commune_a, officer_a):
    case = isolating(commune_a, officer_a)
    url = link_of(case)
    case_close(case=case, by=officer_a, outcome="hospitalised")
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_case_not_isolating_has_no_working_link(client, commune_a, officer_a):
    case = make_case(commune_a)
    link = link_for(case)
    assert client.get(reverse("public:daily_report", args=[token_for(link)])).status_code == 404
    case_reject(case=case, by=officer_a, reason="not_resident")
    assert client.get(reverse("public:daily_report", args=[token_for(link)])).status_code == 404


@pytest.mark.django_db
def test_another_cases_token_or_an_altered_one_opens_nothing(client, commune_a, officer_a):
    mine = isolating(commune_a, officer_a)
    theirs = isolating(commune_a, officer_a)
    my_key, my_signature = token_for(link_for(mine)).split(".")
    their_key, their_signature = token_for(link_for(theirs)).split(".")
    for token in (
        f"{my_key}.{their_signature}",
        f"{their_key}.{my_signature}",
        my_key,
        f"{my_key}.",
        # One character of the key changed (to one it is not).
        f"{my_key[:-1]}{'B' if my_key.endswith('A') else 'A'}.{my_signature}",
    ):
        page = client.get(reverse("public:daily_report", args=[token]))
        assert page.status_code == 404, token
        assert fine(client, reverse("public:daily_report", args=[token])).status_code == 404
    assert not DailyReport.objects.exists()
    # Each genuine link reports on its own case only.
    fine(client, link_of(theirs))
    assert list(DailyReport.objects.values_list("case", flat=True)) == [theirs.pk]


@pytest.mark.django_db
def test_the_morning_link_goes_once_a_day_from_seven(monkeypatch, commune_a, officer_a):
    quiet = isolating(commune_a, officer_a)
    reported = isolating(commune_a, officer_a)
    tomorrow = timezone.localdate() + timedelta(days=1)

    def links(case):
        return Notification.objects.filter(
            kind="daily_report_link", channel="sms", object_id=str(case.pk)
        ).count()

    set_local_clock(monkeypatch, f"{tomorrow:%Y-%m-%d} 06:30")
    assert monkeypatch and monitoring_links_send_morning() == 0
    set_local_clock(monkeypatch, f"{tomorrow:%Y-%m-%d} 06:45")
    Client().post(link_of(reported), {"action": "fine"})  # reported before the message
    set_local_clock(monkeypatch, f"{tomorrow:%Y-%m-%d} 07:05")
    assert monitoring_links_send_morning() == 1
    assert monitoring_links_send_morning() == 0  # the job runs again: nothing twice
    assert links(quiet) == 2 and links(reported) == 1


@pytest.mark.django_db
def test_the_status_page_leads_to_the_daily_page_while_isolating(client, commune_a, officer_a):
    case = isolating(commune_a, officer_a)
    status = client.get(lookup(client, case.tracking_code, case.id_number)["Location"])
    assert f'href="{link_of(case)}"' in status.content.decode()
    case_close(case=case, by=officer_a, outcome="moved_away")
    status = client.get(reverse("public:status_case", args=[case.tracking_code]))
    assert 'data-testid="daily-report-link"' not in status.content.decode()
