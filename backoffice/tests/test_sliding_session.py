"""The staff session ends SESSION_COOKIE_AGE after the last request, and pages say so."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from core.session import TOUCHED

INBOX = reverse("backoffice:inbox")
STATUS = reverse("core:session")


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def hours_ago(client, hours: int) -> None:
    """As if the last request had been `hours` ago."""
    session = client.session
    session[TOUCHED] -= hours * 3600
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(hours=8 - hours)
    )


@pytest.mark.django_db
def test_work_keeps_the_session_open_and_only_asking_does_not(client, login, officer_a, settings):
    login(officer_a)
    client.get(INBOX)
    hours_ago(client, 7)
    assert 0 < client.get(STATUS).json()["ends_in"] <= 3600
    # Asking (the warning's check) does not count as work...
    assert session_row(client).expire_date < timezone.now() + timedelta(hours=2)
    # ... a page does: eight hours again from now.
    client.get(INBOX)
    assert session_row(client).expire_date > timezone.now() + timedelta(hours=7, minutes=59)
    assert client.get(STATUS).json()["ends_in"] > settings.SESSION_COOKIE_AGE - 60


@pytest.mark.django_db
def test_continue_working_moves_the_end(client, login, officer_a):
    login(officer_a)
    client.get(INBOX)
    hours_ago(client, 7)
    assert client.post(STATUS).json()["ends_in"] > 7 * 3600
    assert session_row(client).expire_date > timezone.now() + timedelta(hours=7)


@pytest.mark.django_db
def test_staff_pages_carry_the_warning_with_the_time_left(client, login, officer_a):
    login(officer_a)
    client.get(INBOX)
    page = client.get(INBOX).content.decode()
    ends_in = int(re.search(r'data-ends-in="(\d+)"', page).group(1))
    assert 7 * 3600 < ends_in <= 8 * 3600
    assert "Phiên làm việc sắp kết thúc" in page and "js/session.js" in page
    client.logout()
    assert "data-ends-in" not in client.get(reverse("public:declare_start")).content.decode()
    assert client.get(STATUS)["Location"].startswith(reverse("accounts:login"))
