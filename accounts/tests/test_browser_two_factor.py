"""Enrolling the second factor on a phone, as an official does at the first sign-in."""

import os

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.testing import browser_sign_in, make_user
from core.tests.axe import violations

pytestmark = [pytest.mark.browser]


def test_an_officer_enrols_an_authenticator_on_a_phone(phone_page, settings):
    settings.TWO_FACTOR_ROLES = ["commune_officer"]
    page = phone_page
    officer = make_user("canbo.2fa", "commune_officer", "02209")
    browser_sign_in(page, officer)
    page.goto("/office/")
    expect(page.get_by_role("heading", name="Đăng ký xác thực hai bước")).to_be_visible()
    expect(page.get_by_test_id("totp-secret")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert violations(page) == []
    if shots := os.environ.get("SCREENSHOTS_DIR"):
        page.screenshot(path=f"{shots}/two-factor-setup-360.png", full_page=True)
    device = TOTPDevice.objects.get(user=officer)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.fill("#id_code", f"{code:06d}")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="Tôi đã lưu mã, tiếp tục").click()
    page.wait_for_url("**/office/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xã Tràng Đà")
