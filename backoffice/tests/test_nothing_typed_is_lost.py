"""A form typed by an officer survives a sign-in in another tab and an ended session."""

import html
import re

import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from backoffice.tests.test_enrol import ENROL, form_data
from cases.models import Case


def hidden_fields(page: str) -> dict[str, list[str]]:
    """What the page's "Gửi lại" form sends (its hidden inputs), as the test client takes it."""
    form = page[page.index('<form method="post" action="' + ENROL) :]
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form):
        fields.setdefault(name, []).append(html.unescape(value))
    return fields


def csrf_token_of(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.mark.django_db
def test_a_form_sent_after_signing_in_again_elsewhere_comes_back_to_send_again(
    login, officer_a, commune_a
):
    client = Client(enforce_csrf_checks=True)
    login(officer_a, client)
    old_token = csrf_token_of(client.get(ENROL).content.decode())
    # Signed in again in another tab: the sign-in gives the browser a new CSRF cookie.
    client.cookies["csrftoken"] = get_random_string(32)

    typed = form_data()
    refused = client.post(ENROL, {**typed, "csrfmiddlewaretoken": old_token})
    assert refused.status_code == 403 and refused["Cache-Control"] == "no-store"
    page = refused.content.decode()
    assert "Biểu mẫu chưa được gửi" in page and "CSRF" not in page
    assert not Case.objects.exists()  # never saved

    again = hidden_fields(page)
    assert again["full_name"] == ["Hoàng Văn Nam"] and again["symptoms"] == ["fever"]
    assert again["csrfmiddlewaretoken"] != [old_token]
    sent = client.post(ENROL, again)
    assert sent.status_code == 302
    assert Case.objects.get().full_name == "Hoàng Văn Nam"


@pytest.mark.django_db
def test_a_form_sent_after_the_session_ended_is_offered_again_after_signing_in(
    client, login, officer_a, commune_a
):
    from django.contrib.sessions.models import Session
    from django.urls import reverse

    from accounts.testing import PASSWORD

    login(officer_a)
    assert client.get(ENROL).status_code == 200
    Session.objects.all().delete()  # the session ends while the form is open

    sent = client.post(ENROL, form_data())
    assert sent.status_code == 302 and sent["Location"].startswith(reverse("accounts:login"))
    assert not Case.objects.exists()

    signed_in = client.post(
        sent["Location"], {"username": officer_a.username, "password": PASSWORD}, follow=True
    )
    page = signed_in.content.decode()
    assert signed_in.redirect_chain[-1][0] == ENROL
    assert (
        "Biểu mẫu chưa được gửi" in page
        and "Phiên làm việc đã kết thúc trước" in page
        and "no-store" in signed_in["Cache-Control"]
    )
    again = hidden_fields(page)
    assert again["full_name"] == ["Hoàng Văn Nam"] and "password" not in again
    assert client.post(ENROL, again).status_code == 302
    assert Case.objects.get().full_name == "Hoàng Văn Nam"
    # Offered once: the form page opens empty afterwards.
    assert "Biểu mẫu chưa được gửi" not in client.get(ENROL).content.decode()
