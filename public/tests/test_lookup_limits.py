"""Issue 14 item 19: the lookup's limits do not lock the rightful owner out for somebody
else's wrong tries, and every refusal says truly when to try again."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from cases.monitoring import STATUS, link_for, token_for
from cases.services import lookup
from cases.testing import make_case
from core import ratelimit
from notifications.models import Notification

OWNER = "203.0.113.7"


@pytest.fixture
def limited(settings):
    settings.RATELIMIT_ENABLED = True


def look(address, code, secret):
    return Client(REMOTE_ADDR=address).post(
        reverse("public:status"), {"tracking_code": code, "secret": secret}
    )


def minutes_on(page: str) -> int:
    return int(re.search(r"thử lại sau (\d+) phút", page).group(1))


@pytest.mark.django_db
def test_the_owner_looking_up_again_and_again_is_never_refused(commune_a, limited):
    case = make_case(commune_a)
    owner = Client(REMOTE_ADDR=OWNER)
    for _ in range(15):
        response = owner.post(
            reverse("public:status"),
            {"tracking_code": case.tracking_code, "secret": case.id_number},
        )
        assert response.status_code == 302


@pytest.mark.django_db
def test_others_wrong_tries_do_not_lock_the_owner_out(commune_a, limited):
    case = make_case(commune_a)
    # Somebody keeps guessing the ID number of this code, from many addresses.
    for n in range(lookup.CODE_FAILURES[1]):
        look(f"10.4.0.{n}", case.tracking_code, f"001099{n:06d}")
    # The owner, right pair in hand, is not shown the case on the spot (that would tell the
    # guesser which pair is right) but gets the personal link on the declared phone...
    owner = look(OWNER, case.tracking_code, case.id_number)
    assert owner.status_code == 429
    (sms,) = Notification.objects.filter(kind="status_link", recipient=case.phone)
    path = reverse("public:status_link", args=[token_for(link_for(case), STATUS)])
    assert path in sms.body
    # ... which opens the case at once.
    assert Client().get(path).status_code == 200

    # A wrong pair gets the very same page, and nothing is sent.
    guess = look("10.4.1.1", case.tracking_code, "001099999999")
    assert guess.status_code == 429
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|value="[0-9A-Z]{6,}"')
    assert strip.sub("", guess.content.decode()) == strip.sub("", owner.content.decode())
    assert Notification.objects.filter(kind="status_link").count() == 1


@pytest.mark.django_db
def test_an_address_that_keeps_guessing_is_refused_others_are_not(commune_a, limited):
    mine = make_case(commune_a)
    guesser = "10.5.0.1"
    for n in range(lookup.ADDRESS_FAILURES[1]):
        look(guesser, f"TQ-{n:04d}-AAAA", "001077000000")
    assert look(guesser, mine.tracking_code, mine.id_number).status_code == 429
    assert look(OWNER, mine.tracking_code, mine.id_number).status_code == 302


@pytest.mark.django_db
def test_a_refusal_gives_the_time_of_the_limit_that_refuses(commune_a, limited, monkeypatch):
    case = make_case(commune_a)
    # 12:05:00 UTC: the address's 10-minute window ends in 5 minutes, the code's hour in 55.
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_796_040_300.0)
    assert 1_796_040_300 % 3600 == 300
    for n in range(lookup.CODE_FAILURES[1]):
        look(f"10.6.0.{n}", case.tracking_code, f"001099{n:06d}")
    locked = look(OWNER, case.tracking_code, "001099999999")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 55 * 60
    assert minutes_on(locked.content.decode()) == 55

    # An address refused while the code is locked too is told the later of the two times.
    guesser = "10.6.1.1"
    for n in range(lookup.ADDRESS_FAILURES[1]):
        look(guesser, case.tracking_code, f"001088{n:06d}")
    refused = look(guesser, case.tracking_code, "001099999999")
    assert int(refused["Retry-After"]) == 55 * 60
    assert minutes_on(refused.content.decode()) == 55
