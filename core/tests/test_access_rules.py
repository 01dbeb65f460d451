"""Deny by default: every URL's view declares who may use it, and anonymous users are
sent to the login page by every view that is not public."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from core.access import access_rule_of


def walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry, namespace


def all_views():
    return [
        (route, pattern, ns)
        for route, pattern, ns in walk(get_resolver().url_patterns)
        # Django's admin site checks is_staff itself and is reachable only by superusers.
        if ns != "admin"
    ]


def test_every_view_declares_an_access_rule():
    missing = [
        route for route, pattern, _ in all_views() if access_rule_of(pattern.callback) is None
    ]
    assert missing == []


def sample_path(route: str) -> str:
    path = re.sub(r"<int:[^>]+>", "1", route)
    path = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", path)
    path = re.sub(r"<[^>]+>", "x", path)
    return "/" + path.lstrip("^").rstrip("$")


@pytest.mark.django_db
def test_non_public_views_send_anonymous_users_to_login(client, units):
    checked = 0
    for route, pattern, _ in all_views():
        # The API answers 401 in JSON instead (api/tests/test_access.py).
        if access_rule_of(pattern.callback) in ("public", "api"):
            continue
        response = client.get(sample_path(route))
        assert response.status_code in (302, 405), route
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), route
        checked += 1
    assert checked >= 5
