"""`manage.py create_admin`: the first system administrator of a new deployment, made from
the server's shell, bound to the province, and never made twice by accident."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.models import Role, User
from audit.models import AuditEntry
from units.selectors import deployed_province, units_cache_clear

STRONG = "Tuyen-Quang-Quan-tri-2022"


def create_admin(*args, typed=(), tty=True, monkeypatch=None):
    """Run the command as the IT department would; `typed` answers the password prompts."""
    if monkeypatch is not None:
        answers = iter(typed)
        monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
        monkeypatch.setattr("sys.stdin.isatty", lambda: tty)
    out, err = io.StringIO(), io.StringIO()
    call_command("create_admin", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_generated_password_is_printed_once_and_must_be_changed_at_first_sign_in(units, client):
    out, _ = create_admin("qtv.sotttt", "--generate-password", "--full-name", "Lê Văn Quản")

    admin = User.objects.get(username="qtv.sotttt")
    assert admin.role == Role.SYSTEM_ADMIN
    assert admin.unit == deployed_province()
    assert admin.full_name == "Lê Văn Quản"
    assert admin.must_change_password and admin.is_active
    assert "Đã tạo quản trị hệ thống “qtv.sotttt” của Tỉnh Tuyên Quang" in out
    password = out.split("lần đầu): ")[1].strip()
    assert admin.check_password(password)

    entry = AuditEntry.objects.get(action="account.create_admin")
    assert entry.object_id == str(admin.pk) and entry.unit == admin.unit
    assert entry.detail["generated_password"] is True
    assert password not in str(entry.detail)

    # Signed in, the administrator is sent to change the password, then manages accounts.
    response = client.post(
        reverse("accounts:login"), {"username": "qtv.sotttt", "password": password}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:user_list"))["Location"] == reverse(
        "accounts:password_change"
    )
    client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert client.get(reverse("accounts:user_list")).status_code == 200


@pytest.mark.django_db
def test_a_typed_password_is_asked_twice_and_checked(units, monkeypatch):
    out, err = create_admin(
        "qtv.sotttt",
        typed=["Tuyen-Quang-1", "Tuyen-Quang-2", "12345678", "12345678", STRONG, STRONG],
        monkeypatch=monkeypatch,
    )

    assert "Hai lần nhập mật khẩu không khớp nhau." in err
    assert "Mật khẩu này hoàn toàn là số." in err
    admin = User.objects.get(username="qtv.sotttt")
    assert admin.check_password(STRONG)
    assert not admin.must_change_password
    assert "Mật khẩu tạm thời" not in out


@pytest.mark.django_db
def test_three_wrong_tries_create_nothing(units, monkeypatch):
    with pytest.raises(CommandError, match="mật khẩu không được nhập đúng"):
        create_admin("qtv.sotttt", typed=["a", "b"] * 3, monkeypatch=monkeypatch)
    assert not User.objects.filter(username="qtv.sotttt").exists()


@pytest.mark.django_db
def test_without_a_terminal_it_asks_for_generate_password(units, monkeypatch):
    with pytest.raises(CommandError, match="--generate-password"):
        create_admin("qtv.sotttt", tty=False, monkeypatch=monkeypatch)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_running_it_twice_is_refused_unless_another_is_asked_for(units):
    create_admin("qtv.sotttt", "--generate-password")

    with pytest.raises(CommandError, match=r"Đã có quản trị hệ thống \(qtv.sotttt\).*--another"):
        create_admin("qtv.dutru", "--generate-password")
    assert not User.objects.filter(username="qtv.dutru").exists()

    create_admin("qtv.dutru", "--generate-password", "--another")
    assert User.objects.filter(role=Role.SYSTEM_ADMIN).count() == 2
    assert AuditEntry.objects.filter(action="account.create_admin").count() == 2


@pytest.mark.django_db
def test_a_taken_username_is_refused_before_any_password_is_asked(units, officer_a, monkeypatch):
    with pytest.raises(CommandError, match="đã có; chọn tên khác"):
        create_admin(officer_a.username.upper(), typed=[], monkeypatch=monkeypatch)
    officer_a.refresh_from_db()
    assert officer_a.role == Role.COMMUNE_OFFICER


@pytest.mark.django_db
def test_without_the_units_it_says_to_load_them():
    units_cache_clear()  # this process may remember the province of an earlier test
    with pytest.raises(CommandError, match="load_units"):
        create_admin("qtv.sotttt", "--generate-password")
    assert not User.objects.exists()
