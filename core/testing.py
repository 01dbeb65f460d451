"""Helpers shared by the tests of every app (personas, units)."""

from accounts.models import User
from units.loading import unit_set_load
from units.models import Unit

PASSWORD = "Persona-pass-2022"  # noqa: S105


def ensure_rules() -> None:
    """The seeded 2022 isolation rules, which a transactional test's flush removes."""
    import importlib

    from django.apps import apps

    from cases.rules import rule_sets_forget

    importlib.import_module("cases.migrations.0002_seed_rules_2022").seed(apps, None)
    rule_sets_forget()


def ensure_units(set_code: str = "gso-2021", province: str = "08") -> None:
    if not Unit.objects.filter(unit_set__code=set_code, code=province).exists():
        unit_set_load(set_code=set_code, province_codes={province})


def unit(code: str, set_code: str = "gso-2021") -> Unit:
    return Unit.objects.get(unit_set__code=set_code, code=code)


def make_user(username: str, role: str, unit_code: str, **extra) -> User:
    user = User(username=username, role=role, unit=unit(unit_code), full_name=username, **extra)
    user.set_password(PASSWORD)
    user.full_clean()
    user.save()
    return user


# The bucket of the `s3_bucket` fixture (conftest.py), a stand-in for FILE_STORAGE=s3.
S3_TEST_BUCKET = "khaibaof0-test"


def browser_sign_in(page, user) -> None:
    """Sign `user` (made by make_user) in through the login page of a Playwright page."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
