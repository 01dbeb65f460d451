import pytest
from django.urls import reverse

from accounts.models import Role, User
from accounts.testing import make_user
from audit.models import AuditEntry
from core.models import SiteSettings


def create_payload(unit, role=Role.COMMUNE_OFFICER, username="new.officer"):
    return {
        "username": username,
        "full_name": "Nguyễn Thị Mới",
        "role": role,
        "unit": unit.pk,
        "job_title": "Cán bộ Trạm Y tế",
        "phone": "0912345678",
        "email": "",
    }


@pytest.mark.django_db
def test_admin_creates_an_account_whose_temporary_password_works_once(
    client, sysadmin, commune_a, login
):
    login(sysadmin)
    response = client.post(reverse("accounts:user_create"), create_payload(commune_a))
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    created = User.objects.get(username="new.officer")
    assert created.unit == commune_a and created.must_change_password
    assert created.check_password(password)
    assert AuditEntry.objects.filter(action="account.create", object_id=str(created.pk)).exists()


@pytest.mark.django_db
def test_role_and_unit_level_must_match(client, sysadmin, units, login):
    from units.testing import unit

    login(sysadmin)
    response = client.post(
        reverse("accounts:user_create"), create_payload(unit("070"), role=Role.COMMUNE_LEADER)
    )
    assert response.status_code == 200
    assert "phải gắn với đơn vị cấp" in response.content.decode()
    assert not User.objects.filter(username="new.officer").exists()


@pytest.mark.django_db
def test_admin_disables_and_resets_an_account(client, sysadmin, officer_a, login):
    login(sysadmin)
    client.post(reverse("accounts:user_set_active", args=[officer_a.pk]), {"active": "0"})
    officer_a.refresh_from_db()
    assert not officer_a.is_active

    response = client.post(reverse("accounts:user_reset_password", args=[officer_a.pk]))
    officer_a.refresh_from_db()
    assert officer_a.check_password(response.context["password"])
    assert officer_a.must_change_password
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"account.disable", "account.reset_password"} <= actions


@pytest.mark.django_db
def test_district_manages_its_communes_only_when_the_province_allows(
    client, district_staff, officer_a, officer_b, commune_a, commune_b, login
):
    login(district_staff)
    assert client.get(reverse("accounts:user_list")).status_code == 403

    SiteSettings.objects.update_or_create(
        pk=1, defaults={"district_manages_commune_accounts": True}
    )
    listing = client.get(reverse("accounts:user_list"))
    assert listing.status_code == 200
    assert officer_a.username in listing.content.decode()
    assert officer_b.username not in listing.content.decode()

    # An account in another district: 404, as if it did not exist.
    assert client.get(reverse("accounts:user_edit", args=[officer_b.pk])).status_code == 404
    assert (
        client.post(reverse("accounts:user_reset_password", args=[officer_b.pk])).status_code == 404
    )
    # Cannot create accounts outside its communes, nor district-level accounts.
    client.post(reverse("accounts:user_create"), create_payload(commune_b, username="x.b"))
    assert not User.objects.filter(username="x.b").exists()
    client.post(
        reverse("accounts:user_create"),
        create_payload(district_staff.unit, role=Role.DISTRICT_STAFF, username="x.d"),
    )
    assert not User.objects.filter(username="x.d").exists()
    client.post(reverse("accounts:user_create"), create_payload(commune_a, username="x.a"))
    assert User.objects.filter(username="x.a", unit=commune_a).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_a", "leader_a", "province_health"])
def test_other_roles_cannot_manage_accounts(client, persona, request, officer_b, login):
    login(request.getfixturevalue(persona))
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("accounts:user_edit", args=[officer_b.pk])).status_code == 403


@pytest.mark.django_db
def test_admin_cannot_lock_itself_out(client, sysadmin, login):
    login(sysadmin)
    client.post(reverse("accounts:user_set_active", args=[sysadmin.pk]), {"active": "0"})
    sysadmin.refresh_from_db()
    assert sysadmin.is_active


@pytest.mark.django_db
def test_disabled_account_cannot_sign_in(client, units):
    user = make_user("gone", Role.COMMUNE_OFFICER, "02209", is_active=False)
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "Persona-pass-2022"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
