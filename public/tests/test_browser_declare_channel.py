"""The SMS-or-Zalo choice on the declaration form, on a phone (issue 13.5)."""

import os

import pytest
from playwright.sync_api import expect

from core.tests.axe import violations
from notifications.testing import fake_zns

pytestmark = [pytest.mark.browser]


def test_with_zalo_on_the_form_offers_sms_or_zalo_next_to_the_phone(phone_page, settings):
    page = phone_page
    with fake_zns(settings):
        page.goto("/khai-bao/")
        page.click("label[for=id_consent]")
        page.get_by_role("button", name="Bắt đầu khai báo").click()
        page.wait_for_url("**/khai-bao/thong-tin/")
        expect(page.get_by_label("Tin nhắn SMS")).to_be_checked()
        page.get_by_text("Tin nhắn Zalo", exact=True).click()
        expect(page.get_by_label("Tin nhắn Zalo")).to_be_checked()
        assert violations(page) == []
        if shots := os.environ.get("SCREENSHOTS_DIR"):
            page.locator("#id_phone").scroll_into_view_if_needed()
            for width in (360, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                page.locator("#id_phone").scroll_into_view_if_needed()
                page.screenshot(path=f"{shots}/declare-zalo-{width}.png")
