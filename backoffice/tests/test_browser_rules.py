"""Province health staff add a rule set on a phone: preview, save, read it back."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.testing import browser_sign_in, make_user
from core.tests.axe import violations

pytestmark = [pytest.mark.browser]


def test_province_health_adds_a_rule_set_on_a_phone(phone_page):
    page = phone_page
    user = make_user("soyte.rules", "province_health", "08")
    browser_sign_in(page, user)
    page.goto("/office/rules/")
    page.get_by_role("link", name="Thêm quy định mới").click()
    page.fill("#id_name", "Hướng dẫn cách ly tháng 5")
    page.fill("#id_legal_basis", "Quyết định số 1234/QĐ-BYT ngày 01/5/2022 của Bộ Y tế")
    page.fill("#id_isolation_days", "5")
    page.get_by_role("button", name="Xem trước").click()
    tomorrow = timezone.localdate() + timedelta(days=1)
    expect(page.get_by_text("Với người có kết quả dương tính ngày")).to_be_visible()
    expect(
        page.get_by_text((tomorrow + timedelta(days=4)).strftime("%d/%m/%Y")).first
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert violations(page) == []
    if shots := os.environ.get("SCREENSHOTS_DIR"):
        page.screenshot(path=f"{shots}/rule-preview-360.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=f"{shots}/rule-preview-1280.png", full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})
    page.get_by_role("button", name="Lưu quy định").click()
    expect(page.get_by_role("heading", name="Hướng dẫn cách ly tháng 5")).to_be_visible()
    expect(page.get_by_text("Đã lưu quy định")).to_be_visible()
    page.get_by_role("link", name="Quy định cách ly").first.click()
    expect(page.get_by_text("Sắp áp dụng")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert violations(page) == []
    if shots:
        page.screenshot(path=f"{shots}/rule-list-360.png", full_page=True)
