"""WCAG 2.1 AA checks (axe-core) of the pages citizens and officials use, on a phone."""

import pytest
from playwright.sync_api import expect

from accounts.testing import browser_sign_in
from cases.choices import Status
from cases.testing import make_case
from core.tests.axe import violations
from demo.loading import DEMO_PASSWORD, demo_accounts_load

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/khai-bao/",
        "/tra-cuu/",
        "/tra-cuu/quen-ma/",
        "/khai-bao-khoi-benh/",
        "/thong-ke/",
        "/accounts/login/",
    ],
)
def test_public_pages_have_no_wcag_violations(phone_page, path):
    phone_page.goto(path)
    assert violations(phone_page) == []


def test_the_citizens_status_page_has_no_wcag_violations(phone_page, commune_a, officer_a):
    from cases.monitoring import STATUS, link_for, token_for

    case = make_case(commune_a, status=Status.ACCEPTED, by=officer_a, spo2=94)
    phone_page.goto(f"/ho-so/{token_for(link_for(case), STATUS)}/")
    expect(phone_page.get_by_test_id("openings")).to_be_visible()
    assert violations(phone_page) == []


def test_the_declaration_form_with_errors_has_no_wcag_violations(phone_page):
    page = phone_page
    page.goto("/khai-bao/")
    page.click("label[for=id_consent]")
    page.get_by_role("button", name="Bắt đầu khai báo").click()
    page.wait_for_url("**/khai-bao/thong-tin/")
    assert violations(page) == []
    page.get_by_role("button", name="Tiếp tục: kiểm tra lại").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert violations(page) == []


def test_the_officials_pages_have_no_wcag_violations(phone_page):
    demo_accounts_load()
    page = phone_page
    page.goto("/accounts/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    for path in ["/accounts/users/", "/accounts/users/new/", "/accounts/workspace/"]:
        page.goto(path)
        assert violations(page) == [], path


def test_the_pages_of_communes_districts_and_the_province_have_no_wcag_violations(
    phone_page, commune_a, officer_a, district_staff, province_health
):
    page = phone_page
    case = make_case(commune_a)
    make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    pages = {
        officer_a: [
            "/office/",
            "/office/?tab=isolating",
            f"/office/cases/{case.pk}/",
            "/office/import/",
        ],
        district_staff: ["/reports/", "/reports/service-levels/"],
        province_health: ["/reports/audit/"],
    }
    for user, paths in pages.items():
        browser_sign_in(page, user)
        for path in paths:
            page.goto(path)
            assert violations(page) == [], path
