"""On a phone: the warning before the staff session ends, and the inbox search's URLs."""

import pytest
from playwright.sync_api import expect

from accounts.testing import browser_sign_in
from cases.testing import make_case
from core.tests.axe import violations

pytestmark = [pytest.mark.browser]


def test_the_warning_shows_before_the_end_and_continuing_hides_it(phone_page, officer_a, settings):
    # A session five seconds longer than the warning: the warning is due at once.
    settings.SESSION_COOKIE_AGE = 305
    page = phone_page
    browser_sign_in(page, officer_a)
    page.goto("/office/")
    warning = page.locator(".session-warning")
    expect(warning).to_be_visible(timeout=20_000)
    expect(warning).to_contain_text("Phiên làm việc sắp kết thúc")
    assert violations(page) == []
    page.get_by_role("button", name="Tiếp tục làm việc").click()
    expect(warning).to_be_hidden()
    assert page.js_errors == []


def test_the_inbox_search_keeps_the_phone_out_of_the_address_bar(phone_page, commune_a, officer_a):
    make_case(commune_a, phone="0987654321", full_name="Người Cần Tìm")
    make_case(commune_a, full_name="Lò Văn Khác")
    page = phone_page
    browser_sign_in(page, officer_a)
    page.goto("/office/")
    page.fill("input[name=q]", "0987654321")
    page.get_by_role("button", name="Tìm").click()
    expect(page.locator(".inbox-table")).not_to_contain_text("Lò Văn Khác")
    expect(page.locator(".inbox-table")).to_contain_text("Người Cần Tìm")
    assert "0987654321" not in page.url and "s=" in page.url
    page.go_back()
    page.go_forward()
    expect(page.locator(".inbox-table")).to_contain_text("Người Cần Tìm")
