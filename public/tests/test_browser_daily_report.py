"""On a phone: the case is accepted, the person reports "fine" in one tap from the link of the
SMS, and the next day SpO2 94; the commune sees the danger at once and the person what to do."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from accounts.testing import browser_sign_in, make_user
from cases.models import DailyReport
from cases.testing import make_case
from core.tests.axe import violations
from core.tests.clock import set_local_clock
from notifications.models import Notification
from units.testing import unit

pytestmark = [pytest.mark.browser]


def test_fine_in_one_tap_then_spo2_94_the_next_day_is_escalated_at_once(
    phone_page, seeded_rules, live_server, settings, monkeypatch, tmp_path
):
    settings.SITE_URL = live_server.url
    page = phone_page
    today = set_local_clock(monkeypatch, "2026-11-30 08:00").date()
    officer = make_user("canbo.trangda", "commune_officer", "02209", email="canbo@trangda.gov.vn")
    case = make_case(unit("02209"), full_name="Trần Thị Mai")

    # The officer accepts the case; the person's SMS carries the daily link.
    browser_sign_in(page, officer)
    page.goto(f"/office/cases/{case.pk}/")
    page.get_by_role("button", name="Tiếp nhận, bắt đầu cách ly").click()
    expect(page.get_by_text("Đang cách ly").first).to_be_visible()
    sms = Notification.objects.get(kind="daily_report_link", channel="sms").body
    link = re.search(r"https?://\S+/theo-doi/\S+/", sms)[0]

    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("heading", name="Báo cáo sức khỏe hằng ngày")).to_be_visible()
    assert violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Tôi khỏe, không có dấu hiệu nguy hiểm").click()
    expect(page.get_by_test_id("reported")).to_contain_text("Đã ghi nhận báo cáo hôm nay")
    page.screenshot(path=tmp_path / "fine.png", full_page=True)

    # The next day: SpO2 94 (the 2022 rules: 96 or under is a danger sign).
    set_local_clock(monkeypatch, f"{today + timedelta(days=1):%Y-%m-%d} 09:15")
    page.goto(link)
    expect(page.get_by_test_id("reported")).to_have_count(0)
    page.get_by_label("SpO2 (%) (nếu có máy đo)").fill("94")
    page.get_by_role("button", name="Gửi báo cáo").click()
    emergency = page.get_by_test_id("emergency")
    expect(emergency).to_contain_text("Bạn có dấu hiệu nguy hiểm")
    expect(emergency.get_by_role("link", name="Gọi 115")).to_have_attribute("href", "tel:115")
    assert violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=tmp_path / "danger.png", full_page=True)
    assert [r.spo2 for r in DailyReport.objects.order_by("created_at")] == [None, 94]

    # The alert went to the commune's officer, and the case is in the danger list.
    alert = Notification.objects.get(kind="danger_alert", channel="email")
    assert alert.recipient == "canbo@trangda.gov.vn" and case.tracking_code in alert.body
    browser_sign_in(page, officer)
    page.goto("/office/?tab=danger")
    expect(page.get_by_role("link", name="Trần Thị Mai")).to_be_visible()

    # Another isolating person has not reported: the officer calls and notes it.
    make_case(unit("02209"), status="accepted", by=officer, full_name="Lê Văn Im")
    page.goto("/office/not-reporting/")
    row = page.locator("tr", has=page.get_by_role("link", name="Lê Văn Im"))
    expect(page.locator("tr", has=page.get_by_role("link", name="Trần Thị Mai"))).to_have_count(0)
    assert violations(page) == []
    row.get_by_role("button", name="Đã gọi, ghi nhận").click()
    expect(page.get_by_text("Đã ghi nhận cuộc gọi cho hồ sơ")).to_be_visible()
    expect(page.locator("tr", has=page.get_by_role("link", name="Lê Văn Im"))).to_contain_text(
        "Đã gọi lúc"
    )
