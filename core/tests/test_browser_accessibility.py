"""WCAG 2.1 A and AA checks (axe-core, run in Chromium on a 360-px phone) on the pages each
kind of user works in, including a form showing its errors."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from cases.choices import Status
from cases.testing import make_case
from core.testing import browser_sign_in

pytestmark = [pytest.mark.browser]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(page) -> list[str]:
    found = Axe().run(page, options=WCAG_AA).response["violations"]
    return [
        f"{page.url}: {v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes'][:3]]}"
        for v in found
    ]


def test_public_pages_meet_wcag_aa(phone_page):
    page = phone_page
    found = []
    for path in ("/", "/khai-bao/", "/tra-cuu/", "/khai-bao-khoi-benh/", "/thong-ke/"):
        page.goto(path)
        found += violations(page)
    page.goto("/khai-bao/")
    page.click("label[for=id_consent]")
    page.get_by_role("button", name="Bắt đầu khai báo").click()
    page.wait_for_url("**/khai-bao/thong-tin/")
    found += violations(page)
    page.get_by_role("button", name="Tiếp tục: kiểm tra lại").click()
    expect(page.locator(".error-summary")).to_be_visible()
    found += violations(page)
    page.goto("/accounts/login/")
    found += violations(page)
    assert found == []


def test_officials_pages_meet_wcag_aa(
    phone_page, commune_a, officer_a, leader_a, district_staff, sysadmin
):
    page = phone_page
    case = make_case(commune_a)
    make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    found = []
    browser_sign_in(page, officer_a)
    for path in ("/office/", "/office/?tab=isolating", f"/office/cases/{case.pk}/", "/reports/"):
        page.goto(path)
        found += violations(page)
    browser_sign_in(page, district_staff)
    for path in ("/reports/", "/reports/service-levels/"):
        page.goto(path)
        found += violations(page)
    browser_sign_in(page, sysadmin)
    for path in ("/accounts/users/", "/reports/audit/"):
        page.goto(path)
        found += violations(page)
    assert found == []
