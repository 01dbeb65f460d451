"""Two-factor sign-in: enrolment with a QR code at first sign-in, codes at each sign-in,
recovery codes, a manager's reset, limits on the second step."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.testing import PASSWORD
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

ALL_ROLES = [
    "system_admin",
    "province_health",
    "district_staff",
    "commune_leader",
    "commune_officer",
]


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.TWO_FACTOR_ROLES = ALL_ROLES


def sign_in(client, user, ip="10.0.0.9"):
    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR=ip,
    )
    assert response.status_code == 302


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def enrol(client, user) -> list[str]:
    page = client.get("/accounts/two-factor/?next=/office/").content.decode()
    assert "<svg" in page and "Quét mã QR" in page
    response = client.post(
        "/accounts/two-factor/", {"code": current_code(user), "next": "/office/"}
    )
    page = response.content.decode()
    return re.findall(r"<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>", page)


def next_time_step(user):
    """As if the next 30-second code had come (a code is accepted only once), past
    django-otp's pause of a few seconds after a wrong code."""
    TOTPDevice.objects.filter(user=user).update(
        last_t=-1, throttling_failure_timestamp=None, throttling_failure_count=0
    )


def test_first_sign_in_enrols_then_each_sign_in_asks_a_code(client, officer_a):
    sign_in(client, officer_a)
    response = client.get("/office/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/?next=%2Foffice%2F"

    codes = enrol(client, officer_a)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/office/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.two_factor_enrolled", actor=officer_a).exists()

    client.logout()
    sign_in(client, officer_a)
    assert client.get("/office/").status_code == 302
    page = client.get("/accounts/two-factor/").content.decode()
    assert "Xác thực hai bước" in page and "<svg" not in page  # no second enrolment
    wrong = client.post("/accounts/two-factor/", {"code": "000000"}).content.decode()
    assert "Mã không đúng" in wrong
    assert client.get("/office/").status_code == 302
    next_time_step(officer_a)
    ok = client.post("/accounts/two-factor/", {"code": current_code(officer_a), "next": "/office/"})
    assert ok.status_code == 302 and ok["Location"] == "/office/"
    assert client.get("/office/").status_code == 200


def test_a_recovery_code_works_once(client, leader_a):
    sign_in(client, leader_a)
    codes = enrol(client, leader_a)
    for attempt in range(2):
        client.logout()
        sign_in(client, leader_a)
        response = client.post("/accounts/two-factor/", {"code": codes[0].lower()})
        if attempt == 0:
            assert response.status_code == 302
            assert client.get("/office/").status_code == 200
        else:
            assert "Mã không đúng" in response.content.decode()
            assert client.get("/office/").status_code == 302


def test_the_second_step_is_limited_per_account_and_address(client, officer_a, settings):
    sign_in(client, officer_a)
    enrol(client, officer_a)
    client.logout()
    sign_in(client, officer_a)
    for _ in range(settings.TWO_FACTOR_FAILURE_LIMIT):
        client.post("/accounts/two-factor/", {"code": "123456"})
    next_time_step(officer_a)
    blocked = client.post("/accounts/two-factor/", {"code": current_code(officer_a)})
    assert "quá nhiều lần" in blocked.content.decode()
    assert client.get("/office/").status_code == 302
    assert AuditEntry.objects.filter(action="auth.two_factor_failed").count() == 5


def test_a_manager_resets_a_lost_phone_and_an_outsider_cannot(
    client, officer_a, sysadmin, district_other
):
    sign_in(client, officer_a)
    enrol(client, officer_a)
    client.logout()

    client.force_login(district_other)  # Sơn Dương manages no account of commune A
    response = client.post(f"/accounts/users/{officer_a.pk}/reset-two-factor/")
    assert response.status_code in (302, 404)
    assert TOTPDevice.objects.filter(user=officer_a).exists()

    client.logout()
    sign_in(client, sysadmin)
    enrol(client, sysadmin)
    response = client.post(f"/accounts/users/{officer_a.pk}/reset-two-factor/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer_a).exists()
    assert AuditEntry.objects.filter(
        action="account.reset_two_factor", object_id=str(officer_a.pk), actor=sysadmin
    ).exists()


def test_roles_not_listed_sign_in_with_a_password(client, officer_a, settings):
    settings.TWO_FACTOR_ROLES = ["system_admin"]
    sign_in(client, officer_a)
    assert client.get("/office/").status_code == 200
