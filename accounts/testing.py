"""Test helpers for officials' accounts: personas made with one password, and signing one
in through the real login page of a browser test."""

from accounts.models import User
from units.testing import unit

PASSWORD = "Persona-pass-2022"  # noqa: S105


def make_user(username: str, role: str, unit_code: str, **extra) -> User:
    """An active account with `role` in the unit of GSO `unit_code` (2021 set)."""
    user = User(username=username, role=role, unit=unit(unit_code), full_name=username, **extra)
    user.set_password(PASSWORD)
    user.full_clean()
    user.save()
    return user


def browser_sign_in(page, user) -> None:
    """Sign `user` (made by make_user) in through the login page of a Playwright page."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
