"""The commune's pages changed for issue 14 (items 7, 8, 9, 12), on a phone and at 1280 px:
no WCAG violations, and the leader's header menu on one line at 1280 px.

With SCREENSHOTS=<folder> set, each page is also saved there as PNG to be looked at."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.testing import browser_sign_in
from cases.services import case_accept
from cases.testing import make_case
from core.tests.axe import violations

pytestmark = [pytest.mark.browser]
WIDTHS = (360, 1280)


def shoot(page, name: str) -> None:
    if folder := os.environ.get("SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)


def test_the_leaders_header_menu_fits_one_line_at_1280(phone_page, leader_a):
    page = phone_page
    page.set_viewport_size({"width": 1280, "height": 800})
    browser_sign_in(page, leader_a)
    page.goto("/office/")
    items = page.locator(".usa-nav__primary > li")
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    shoot(page, "leader-header")
    assert items.count() >= 7 and len({round(b["y"]) for b in boxes}) == 1, boxes
    assert max(b["x"] + b["width"] for b in boxes) <= 1280
    # The site's name on one line, the province under it: not squeezed word by word.
    name = page.locator(".site-logo__name").bounding_box()
    assert name["height"] < 40, name


@pytest.mark.parametrize("width", WIDTHS)
def test_bulk_accept_confirmation_shows_flags(phone_page, commune_a, officer_a, width):
    page = phone_page
    page.set_viewport_size({"width": width, "height": 800})
    make_case(commune_a, full_name="Trần Văn Bình")
    make_case(commune_a, full_name="Lê Thị Khó Thở", symptoms=["breathlessness"])
    browser_sign_in(page, officer_a)
    page.goto("/office/")
    page.locator("summary", has_text="Xử lý nhiều hồ sơ cùng lúc").click()
    page.get_by_role("button", name="Với tất cả hồ sơ chờ tiếp nhận khớp bộ lọc").click()
    expect(page.get_by_test_id("held-alert")).to_contain_text("1 hồ sơ có dấu hiệu nguy hiểm")
    shoot(page, "bulk-confirm")
    assert violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_inbox_search_says_where_results_are_and_the_case_page_marks_notes(
    phone_page, commune_a, officer_a, width
):
    page = phone_page
    page.set_viewport_size({"width": width, "height": 800})
    case = make_case(commune_a, full_name="Nguyễn Văn Tìm")
    case_accept(case=case, by=officer_a, note="Gọi trước 8 giờ sáng")
    browser_sign_in(page, officer_a)
    page.goto("/office/")
    page.fill("input[name=q]", "nguyen van tim")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.get_by_test_id("found-elsewhere").first).to_contain_text("Đang cách ly (1)")
    shoot(page, "inbox-elsewhere")
    assert violations(page) == []
    page.goto(f"/office/cases/{case.pk}/")
    expect(page.locator("body")).to_contain_text("Ghi chú nội bộ: Gọi trước 8 giờ sáng")
    shoot(page, "case-page")
    assert violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_audit_log_reads_in_vietnamese(phone_page, province_health, width):
    page = phone_page
    page.set_viewport_size({"width": width, "height": 800})
    browser_sign_in(page, province_health)
    page.goto("/reports/audit/")
    expect(page.locator("table")).to_contain_text("Đăng nhập")
    page.select_option("select[name=hanh_dong]", "auth.login")
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(page.locator("tbody")).to_contain_text("Đăng nhập")
    shoot(page, "audit")
    assert violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_a_finished_bulk_accept_lists_its_people(phone_page, commune_a, officer_a, width):
    page = phone_page
    page.set_viewport_size({"width": width, "height": 800})
    make_case(commune_a, full_name="Đỗ Văn Một")
    make_case(commune_a, full_name="Vũ Thị Hai")
    browser_sign_in(page, officer_a)
    page.goto("/office/")
    page.locator("summary", has_text="Xử lý nhiều hồ sơ cùng lúc").click()
    page.get_by_role("button", name="Với tất cả hồ sơ chờ tiếp nhận khớp bộ lọc").click()
    page.get_by_role("button", name="Xác nhận tiếp nhận: các hồ sơ đã đánh dấu").click()
    expect(page.get_by_test_id("job-people")).to_contain_text("Vũ Thị Hai")
    shoot(page, "bulk-done")
    assert violations(page) == []
