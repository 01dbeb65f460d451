"""Issue 14 item 17: a lasting way back to one's case, that does not die with the browser,
and a forgotten tracking code sent again to the declared phone, never shown."""

import pytest
from django.test import Client
from django.urls import reverse

from cases.choices import Status
from cases.models import Case
from cases.monitoring import STATUS, link_for, token_for
from cases.services import case_reject
from cases.testing import make_case
from core import ratelimit
from core.tests.clock import set_local_clock
from notifications.models import Channel, Notification
from notifications.texts import SMS_MAX_LENGTH
from public.tests.flow import declare


def sms_to(phone: str, kind: str) -> list[str]:
    return list(
        Notification.objects.filter(channel=Channel.SMS, recipient=phone, kind=kind)
        .order_by("pk")
        .values_list("body", flat=True)
    )


def status_path(case) -> str:
    return reverse("public:status_link", args=[token_for(link_for(case), STATUS)])


@pytest.mark.django_db
def test_the_confirmation_page_and_the_sms_give_a_link_that_outlives_the_browser(units, client):
    assert declare(client).status_code == 302
    done = client.get(reverse("public:declare_done")).content.decode()
    case = Case.objects.get()
    path = status_path(case)
    assert path in done
    (sms,) = sms_to(case.phone, "declaration_received")
    assert path in sms

    # The browser is closed: a new one, with nothing in its session, opens the link.
    page = Client().get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert case.tracking_code in html and "Chờ xã tiếp nhận" in html
    # Nothing more personal than on the looked-up page.
    assert case.id_number not in html and case.phone not in html


@pytest.mark.django_db
def test_the_sms_with_the_personal_link_fits_one_message(units, client, settings):
    settings.SITE_URL = "https://khaibaof0.tuyenquang.gov.vn"
    declare(client)
    case = Case.objects.get()
    (sms,) = sms_to(case.phone, "declaration_received")
    assert settings.SITE_URL + status_path(case) in sms
    assert len(sms) <= SMS_MAX_LENGTH
    resend(Client(), case.id_number, case.phone)
    (again,) = sms_to(case.phone, "status_link")
    assert len(again) <= SMS_MAX_LENGTH


@pytest.mark.django_db
def test_the_code_address_in_a_new_browser_leads_to_the_lookup_not_to_an_account_404(commune_a):
    case = make_case(commune_a)
    response = Client().get(reverse("public:status_case", args=[case.tracking_code]), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{case.tracking_code}"' in html
    assert "tài khoản" not in html
    assert reverse("public:code_resend") in html


@pytest.mark.django_db
def test_the_404_page_does_not_speak_to_citizens_of_an_account(client, login, officer_a):
    page = client.get("/khong-co-trang-nay/")
    assert page.status_code == 404
    html = page.content.decode()
    assert "tài khoản" not in html
    assert reverse("public:status") in html and reverse("public:code_resend") in html
    login(officer_a)
    assert "phạm vi tài khoản" in client.get("/khong-co-trang-nay/").content.decode()


@pytest.mark.django_db
def test_the_link_closes_with_the_case_and_an_altered_one_opens_nothing(commune_a, officer_a):
    case = make_case(commune_a)
    path = status_path(case)
    assert Client().get(path).status_code == 200
    altered = path[:-3] + ("0" if path[-2] != "0" else "1") + "/"
    assert Client().get(altered).status_code == 404
    # The daily self-monitoring link's token does not open the status page.
    daily = reverse("public:status_link", args=[token_for(link_for(case))])
    assert Client().get(daily).status_code == 404

    case_reject(case=case, by=officer_a, reason="duplicate")
    closed = Client().get(path)
    assert closed.status_code == 404
    html = closed.content.decode()
    assert "không còn hiệu lực" in html and reverse("public:status") in html
    # The message about the ended case sends the person to the lookup, not to a dead link.
    (sms,) = sms_to(case.phone, "declaration_rejected")
    assert path not in sms and "/tra-cuu/" in sms


@pytest.mark.django_db
def test_the_link_opens_the_documents_of_the_case_in_that_browser(commune_a, officer_a):
    case = make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    browser = Client()
    browser.get(status_path(case))
    # The browser is now allowed the case, as after a lookup (its downloads need it).
    assert browser.get(reverse("public:status_case", args=[case.tracking_code])).status_code == 200


def resend(client, secret, phone):
    return client.post(reverse("public:code_resend"), {"secret": secret, "phone": phone})


@pytest.mark.django_db
def test_a_forgotten_code_goes_to_the_declared_phone_and_never_to_the_screen(commune_a, settings):
    settings.RATELIMIT_ENABLED = True
    case = make_case(commune_a)
    response = resend(Client(), case.id_number, "+84 " + case.phone[1:])
    html = response.content.decode()
    assert response.status_code == 200
    assert case.tracking_code not in html and "đã được gửi" in html
    (sms,) = sms_to(case.phone, "status_link")
    assert case.tracking_code in sms and status_path(case) in sms

    # A wrong pair gets the same answer and sends nothing.
    wrong = resend(Client(), case.id_number, "0987654321").content.decode()
    assert "đã được gửi" in wrong
    assert Notification.objects.filter(kind="status_link").count() == 1


@pytest.mark.django_db
def test_forgotten_code_requests_are_limited_and_say_truly_when_to_try_again(
    commune_a, settings, monkeypatch
):
    settings.RATELIMIT_ENABLED = True
    case = make_case(commune_a)
    # One instant for the limiter's windows and the page's clock.
    now = set_local_clock(monkeypatch, "2026-11-29 16:20")
    monkeypatch.setattr(ratelimit.time, "time", now.timestamp)
    for n in range(3):
        assert (
            resend(Client(REMOTE_ADDR=f"10.3.0.{n}"), case.id_number, case.phone).status_code == 200
        )
    refused = resend(Client(REMOTE_ADDR="10.3.0.9"), case.id_number, case.phone)
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    # The ID number's limit is a day's: the page says when, not "in a few minutes".
    html = refused.content.decode()
    # The day's window ends at 07:00 local (midnight UTC), 14 h 40 min from now.
    assert wait == (14 * 60 + 40) * 60
    assert "Vui lòng thử lại từ 07:00 ngày 30/11/2026" in html
    assert "ít phút" not in html
    assert f'value="{case.id_number}"' in html  # what was typed is kept
    assert len(sms_to(case.phone, "status_link")) == 3
