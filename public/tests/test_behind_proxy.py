"""Behind nginx every request comes from 127.0.0.1: the public rate limits count per client
address (TRUSTED_PROXY_COUNT, core/proxies.py), or a few hundred citizens of a province use up
the limit of all of them."""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from public import views


@pytest.mark.django_db
def test_public_lookups_behind_the_proxy_are_limited_per_client_address(
    settings, units, monkeypatch
):
    # One fixed window throughout, whatever the clock does during the test.
    monkeypatch.setattr("core.ratelimit.time", SimpleNamespace(time=lambda: 1_700_000_000.0))
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATELIMIT_ENABLED = True
    limit = views.LOOKUP_LIMITS[0][1]

    def lookup(forwarded, n):
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).post(
            reverse("public:status"), {"tracking_code": f"TQ-AAAA-{n:04d}", "secret": "1"}
        )

    for n in range(limit):
        assert lookup("203.0.113.7", n).status_code != 429
    assert lookup("203.0.113.7", limit).status_code == 429
    assert lookup("198.51.100.20", limit + 1).status_code != 429
