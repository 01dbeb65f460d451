"""Limits behind the production reverse proxy key on each citizen's own address, refuse
when a step opens rather than after the work, and say when to try again."""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import Case
from cases.services import lookup
from cases.testing import make_case
from core.testing import through_proxy
from public import views
from public.tests.flow import consent, declare, fill

CITIZEN_A = "203.0.113.7"
CITIZEN_B = "198.51.100.23"


@pytest.fixture
def proxied(settings, monkeypatch):
    settings.RATELIMIT_ENABLED = True
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(views, "DECLARE_LIMITS", [("declare-ip", 2, 600)])
    monkeypatch.setattr(lookup, "ADDRESS_FAILURES", ("lookup-ip-fail", 2, 600))


def citizen(address, forwarded=""):
    return Client(**through_proxy(address, forwarded=forwarded))


@pytest.mark.django_db
def test_each_citizen_behind_the_proxy_has_their_own_declaration_limit(units, proxied):
    a = citizen(CITIZEN_A)
    for n in range(2):
        assert declare(a, id_number=f"00819000000{n}").status_code == 302
    # Another citizen through the same proxy is not refused: the limit is A's alone.
    assert declare(citizen(CITIZEN_B), id_number="008190000009").status_code == 302
    assert Case.objects.count() == 3
    # A cannot escape the limit by sending an X-Forwarded-For of their own choosing.
    forged = citizen(CITIZEN_A, forwarded="192.0.2.1")
    assert forged.get(reverse("public:declare_start")).status_code == 429


@pytest.mark.django_db
def test_a_spent_limit_refuses_when_the_form_opens_and_says_when_to_try_again(units, proxied):
    a = citizen(CITIZEN_A)
    consent(a)
    assert fill(a).status_code == 302  # a draft typed before the limit ran out
    for n in range(2):
        declare(citizen(CITIZEN_A), id_number=f"00819000000{n}")

    opened = citizen(CITIZEN_A).get(reverse("public:declare_start"))
    assert opened.status_code == 429
    assert 0 < int(opened["Retry-After"]) <= 600
    page = opened.content.decode()
    assert "Vui lòng thử lại sau" in page and "phút (từ " in page

    # The draft typed earlier is refused at the check page, before "Gửi", and is kept.
    check = a.get(reverse("public:declare_check"))
    assert check.status_code == 429 and "vẫn được giữ" in check.content.decode()
    assert a.get(reverse("public:declare_form")).status_code == 429
    assert a.session["declaration"]["members"][0]["draft"]["full_name"] == ["Nguyễn Thị Hoa"]


@pytest.mark.django_db
def test_a_refused_lookup_keeps_what_was_typed_and_says_when(commune_a, proxied):
    case = make_case(commune_a)
    a = citizen(CITIZEN_A)
    for _ in range(2):
        a.post(reverse("public:status"), {"tracking_code": case.tracking_code, "secret": "1"})
    # The lookup page itself now refuses before anything is typed...
    assert a.get(reverse("public:status")).status_code == 429
    # ... and a form sent anyway comes back with what was typed.
    sent = a.post(reverse("public:status"), {"tracking_code": case.tracking_code, "secret": "0123"})
    assert sent.status_code == 429 and sent["Retry-After"]
    page = sent.content.decode()
    assert f'value="{case.tracking_code}"' in page and "Vui lòng thử lại sau" in page
    # Someone else behind the same proxy may still look up.
    assert citizen(CITIZEN_B).get(reverse("public:status")).status_code == 200


@pytest.mark.django_db
def test_lockout_and_audit_use_the_address_behind_the_proxy(officer_a, settings):
    from accounts.testing import PASSWORD

    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("accounts:login")
    wrong = {"username": officer_a.username, "password": "wrong-password-1"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        citizen(CITIZEN_A).post(url, wrong)
    right = {"username": officer_a.username, "password": PASSWORD}
    # Locked from A's address, even with a forged header; not from B's behind the same proxy.
    assert citizen(CITIZEN_A, forwarded="192.0.2.1").post(url, right).status_code == 429
    assert citizen(CITIZEN_B).post(url, right).status_code == 302
    addresses = set(AuditEntry.objects.values_list("ip_address", flat=True))
    assert addresses == {CITIZEN_A, CITIZEN_B}
