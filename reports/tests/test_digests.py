"""The officials' morning digest (issue 13.4): what it says, to whom, once a day."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from cases.models import Case
from cases.testing import make_case
from core.tests.clock import set_local_clock
from notifications.models import Channel, Kind, Notification
from reports.digests import digests_send_morning
from reports.summaries import summaries_refresh


def digests(user: User, channel: str = Channel.EMAIL) -> list[Notification]:
    return list(
        Notification.objects.filter(
            kind=Kind.DAILY_DIGEST, object_id=str(user.pk), channel=channel
        ).order_by("pk")
    )


@pytest.fixture
def two_waiting(monkeypatch, commune_a, officer_a, leader_a):
    """Commune A at 07:30: two declarations waiting, one of them for 30 hours."""
    now = set_local_clock(monkeypatch, "2026-11-29 07:30")
    User.objects.filter(pk__in=[officer_a.pk, leader_a.pk]).update(
        email="canbo@trangda.gov.vn", phone="0912000111"
    )
    late = make_case(commune_a)
    Case.objects.filter(pk=late.pk).update(submitted_at=now - timedelta(hours=30))
    make_case(commune_a)
    summaries_refresh()
    return now


def test_each_commune_official_gets_one_digest_a_day_even_when_the_job_runs_twice(
    two_waiting, officer_a, leader_a
):
    assert digests_send_morning() == 2
    call_command("maintenance", "digests_send_morning")  # the maintenance run comes again
    assert digests_send_morning() == 0
    [digest] = digests(officer_a)
    assert len(digests(leader_a)) == 1
    assert digest.recipient == "canbo@trangda.gov.vn"
    assert "Khai báo đang chờ duyệt: 2 (quá hạn: 1)." in digest.body
    assert "/office/" in digest.body and "/accounts/thong-bao/" in digest.body
    # SMS only for those who asked for it.
    assert digests(officer_a, Channel.SMS) == []


def test_the_digest_goes_from_seven_in_the_morning_local_time(monkeypatch, two_waiting):
    set_local_clock(monkeypatch, "2026-11-29 06:55")
    assert digests_send_morning() == 0
    set_local_clock(monkeypatch, "2026-11-29 07:05")
    assert digests_send_morning() == 2


def test_the_next_day_brings_a_new_digest(monkeypatch, two_waiting, officer_a):
    digests_send_morning()
    set_local_clock(monkeypatch, "2026-11-30 07:30")
    digests_send_morning()
    assert len(digests(officer_a)) == 2


def test_an_official_who_turned_the_digest_off_gets_none_and_sms_goes_when_asked(
    two_waiting, officer_a, leader_a
):
    User.objects.filter(pk=officer_a.pk).update(digest_email=False)
    User.objects.filter(pk=leader_a.pk).update(digest_sms=True)
    assert digests_send_morning() == 1
    assert digests(officer_a) == [] and digests(officer_a, Channel.SMS) == []
    [sms] = digests(leader_a, Channel.SMS)
    assert sms.recipient == "0912000111"
    assert sms.body.startswith("KB F0 29/11: 2 cho duyet (1 qua han)")


def test_a_commune_with_nothing_waiting_gets_no_digest(monkeypatch, commune_b, officer_b):
    set_local_clock(monkeypatch, "2026-11-29 07:30")
    User.objects.filter(pk=officer_b.pk).update(email="canbo@sonduong.gov.vn")
    assert digests_send_morning() == 0


def test_district_staff_get_the_communes_that_are_behind(
    two_waiting, commune_a, commune_a2, district_staff
):
    User.objects.filter(pk=district_staff.pk).update(email="ttyt@tptq.gov.vn")
    digests_send_morning()
    [digest] = digests(district_staff)
    assert digest.subject == "Ngày 29/11/2026: 1 xã đang chậm"
    assert f"{commune_a.name}: 1 khai báo quá hạn duyệt" in digest.body
    assert commune_a2.name not in digest.body


def test_an_official_turns_the_digest_off_and_on_on_the_account_page(client, login, officer_a):
    login(officer_a)
    url = reverse("accounts:digest_settings")
    page = client.get(url)
    assert "Thông báo hằng ngày" in page.content.decode()
    client.post(url, {"digest_sms": ""})
    officer_a.refresh_from_db()
    assert (officer_a.digest_email, officer_a.digest_sms) == (False, False)
    assert "Thông báo hằng ngày" in client.get(reverse("accounts:workspace")).content.decode()


def test_sms_digest_without_a_phone_is_refused_next_to_the_field_keeping_the_choice(
    client, login, officer_a
):
    login(officer_a)
    answer = client.post(reverse("accounts:digest_settings"), {"digest_sms": "on"})
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "Tài khoản chưa có số điện thoại" in text
    # What the official ticked is kept.
    assert text.count("checked") == 1 and 'id="id_digest_sms"' in text
    officer_a.refresh_from_db()
    assert officer_a.digest_sms is False


def test_province_health_has_no_digest_page(client, login, province_health):
    login(province_health)
    assert client.get(reverse("accounts:digest_settings")).status_code in (403, 404)
