"""Behind nginx every request comes from 127.0.0.1: the lockout, the public rate limits and
the audit trail must see each person's own address (TRUSTED_PROXY_COUNT, core/client.py),
or one person's mistakes lock everybody out (the rate limits: public/tests)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.testing import PASSWORD
from audit.models import AuditEntry


def sign_in(username, password, forwarded):
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).post(
        reverse("accounts:login"), {"username": username, "password": password}
    )


@pytest.mark.django_db
def test_lockout_behind_the_proxy_is_per_client_address(settings, officer_a):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(officer_a.username, "wrong-password-1", "203.0.113.7")

    assert sign_in(officer_a.username, PASSWORD, "203.0.113.7").status_code == 429
    # The same officer from the commune office's own connection still signs in, though
    # both requests reach the application from nginx on 127.0.0.1.
    assert sign_in(officer_a.username, PASSWORD, "198.51.100.20").status_code == 302
    failed = AuditEntry.objects.filter(action="auth.login_failed").first()
    assert failed.ip_address == "203.0.113.7"
