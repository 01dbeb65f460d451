"""The client address behind the production reverse proxy (TRUSTED_PROXY_COUNT)."""

import pytest
from django.test import RequestFactory

from core.client import client_address
from core.testing import PROXY_ADDRESS, through_proxy


def address(settings, count, **meta):
    settings.TRUSTED_PROXY_COUNT = count
    return client_address(RequestFactory().get("/", **meta))


def test_without_proxies_the_connecting_address_is_the_client(settings):
    # X-Forwarded-For from a client that connects directly is its own invention.
    meta = {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    assert address(settings, 0, **meta) == "203.0.113.7"


@pytest.mark.parametrize("proxies", [1, 2])
def test_behind_proxies_the_address_the_outermost_proxy_saw_is_the_client(settings, proxies):
    assert address(settings, proxies, **through_proxy("203.0.113.7", proxies=proxies)) == (
        "203.0.113.7"
    )


@pytest.mark.parametrize(
    "forged", ["198.51.100.1", "198.51.100.1, 198.51.100.2", "unknown", "127.0.0.1"]
)
def test_a_client_cannot_choose_its_address_by_sending_x_forwarded_for(settings, forged):
    meta = through_proxy("203.0.113.7", forwarded=forged)
    assert address(settings, 1, **meta) == "203.0.113.7"
    meta = through_proxy("203.0.113.7", forwarded=forged, proxies=2)
    assert address(settings, 2, **meta) == "203.0.113.7"


def test_a_request_that_skipped_a_proxy_counts_as_the_address_that_connected(settings):
    # Two proxies are trusted, but this request came through only one (one header entry):
    # that entry may be the client's own, so the connecting address is used.
    assert address(settings, 2, **through_proxy("203.0.113.7")) == PROXY_ADDRESS
    assert address(settings, 1, REMOTE_ADDR="10.9.9.9") == PROXY_ADDRESS


def test_ports_and_ipv6_are_read_as_addresses(settings):
    assert address(settings, 1, **through_proxy("203.0.113.7:51000")) == "203.0.113.7"
    assert address(settings, 1, **through_proxy("[2001:DB8::1]:443")) == "2001:db8::1"
    assert address(settings, 1, **through_proxy("2001:db8::2")) == "2001:db8::2"
    assert address(settings, 1, **through_proxy("not-an-address")) == PROXY_ADDRESS
