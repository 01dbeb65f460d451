"""The client's address behind the deployment's own reverse proxies: more cases of
core.client.client_address (IPv6, spaces, two proxies)."""

import pytest
from django.test import RequestFactory

from core.client import client_address


def request(forwarded=None, remote="127.0.0.1"):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),  # nginx alone wrote the header
        ("1.2.3.4, 203.0.113.7", "203.0.113.7"),  # the client forged an entry before it
        (" 10.8.0.5 ,2001:db8::1 ", "2001:db8::1"),
        (None, "127.0.0.1"),  # no header: the peer
        ("", "127.0.0.1"),
        ("not-an-address", "127.0.0.1"),
    ],
)
def test_behind_one_proxy_the_address_it_appended_is_the_client(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request(forwarded)) == expected


def test_behind_two_proxies_the_outer_ones_entry_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request("1.2.3.4, 203.0.113.7, 10.0.0.2")) == "203.0.113.7"
    assert client_address(request("203.0.113.7")) == "127.0.0.1"  # fewer hops than proxies


def test_without_a_proxy_the_header_is_not_believed(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request("203.0.113.7", remote="198.51.100.4")) == "198.51.100.4"
