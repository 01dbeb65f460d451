"""The "Thông báo hằng ngày" page on a phone: the choice, a refusal next to its field, WCAG."""

import os

import pytest
from playwright.sync_api import expect

from accounts.testing import browser_sign_in
from core.tests.axe import violations

pytestmark = [pytest.mark.browser]

SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def shoot(page, name: str) -> None:
    # Screenshots for a person to look at, when asked for (SCREENSHOTS_DIR).
    if SHOTS:
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})


def test_an_official_turns_on_the_sms_digest_and_is_told_why_it_cannot_be(phone_page, officer_a):
    page = phone_page
    browser_sign_in(page, officer_a)
    page.goto("/accounts/workspace/")
    page.get_by_role("link", name="Thông báo hằng ngày").click()
    expect(page.get_by_role("heading", name="Thông báo hằng ngày")).to_be_visible()
    expect(page.get_by_label("Nhận qua email")).to_be_checked()
    assert violations(page) == []
    shoot(page, "digest")
    page.get_by_text("Nhận qua SMS", exact=True).click()
    page.get_by_role("button", name="Lưu lựa chọn").click()
    expect(page.get_by_text("Tài khoản chưa có số điện thoại").first).to_be_visible()
    expect(page.get_by_label("Nhận qua SMS")).to_be_checked()
    assert violations(page) == []
    shoot(page, "digest-refused")
    page.get_by_text("Nhận qua SMS", exact=True).click()
    page.get_by_text("Nhận qua email", exact=True).click()
    page.get_by_role("button", name="Lưu lựa chọn").click()
    expect(page.get_by_text("Đã lưu lựa chọn nhận bản tin hằng ngày.")).to_be_visible()
    expect(page.get_by_label("Nhận qua email")).not_to_be_checked()
    assert page.js_errors == []
