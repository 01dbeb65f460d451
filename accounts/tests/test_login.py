from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.testing import PASSWORD
from audit.models import AuditEntry


def post_login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


@pytest.mark.django_db
def test_wrong_password_shows_a_vietnamese_error_and_is_audited(client, officer_a):
    response = post_login(client, officer_a.username, "wrong-password-1")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 1


@pytest.mark.django_db
def test_lockout_is_per_username_and_ip_and_lifts_after_cool_off(
    client, officer_a, officer_b, settings
):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        post_login(client, officer_a.username, "wrong-password-1", ip="10.0.0.1")
    # Locked: even the right password is refused from that address.
    locked = post_login(client, officer_a.username, PASSWORD, ip="10.0.0.1")
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    # Another person on the same address, and the same person elsewhere, are not locked.
    assert post_login(client, officer_b.username, PASSWORD, ip="10.0.0.1").status_code == 302
    client.logout()
    assert post_login(client, officer_a.username, PASSWORD, ip="10.0.0.2").status_code == 302
    client.logout()

    # After the cool-off, the locked pair may sign in again.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert post_login(client, officer_a.username, PASSWORD, ip="10.0.0.1").status_code == 302


@pytest.mark.django_db
def test_temporary_password_must_be_changed_before_work(client, sysadmin, login):
    sysadmin.must_change_password = True
    sysadmin.save()
    login(sysadmin)
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")

    weak = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200
    sysadmin.refresh_from_db()
    assert sysadmin.must_change_password

    strong = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Tuyen-Quang-F0-moi",
            "new_password2": "Tuyen-Quang-F0-moi",
        },
    )
    assert strong.status_code == 302
    sysadmin.refresh_from_db()
    assert not sysadmin.must_change_password
    assert client.get(reverse("accounts:user_list")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("short-1", False),
        ("abcdefghijklmnop", False),  # letters only
        ("123456789012345", False),  # digits only
        ("password123456", False),  # common
        ("Tràng-Đà-2022-xã", True),
    ],
)
def test_password_rules(password, accepted, officer_a):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, officer_a)
    except ValidationError:
        assert not accepted
    else:
        assert accepted


@pytest.mark.django_db
def test_a_role_must_sit_at_its_level(units):
    from django.core.exceptions import ValidationError

    from accounts.testing import make_user

    with pytest.raises(ValidationError):
        make_user("wrong", Role.COMMUNE_OFFICER, "070")
    with pytest.raises(ValidationError):
        make_user("wrong2", Role.DISTRICT_STAFF, "08")
