"""The bulk account page on a phone: choose, preview, confirm, download; WCAG 2.1 AA."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role, User
from accounts.testing import browser_sign_in, make_user
from core.tests.axe import violations

pytestmark = [pytest.mark.browser]


def test_an_administrator_gives_every_district_an_account_from_a_phone(phone_page):
    page = phone_page
    admin = make_user("admin.p", Role.SYSTEM_ADMIN, "08")
    browser_sign_in(page, admin)
    page.goto("/accounts/users/")
    page.get_by_role("link", name="Tạo tài khoản hàng loạt cho nhiều đơn vị").click()
    assert violations(page) == []

    # Nothing chosen: the message sits next to the field.
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("#id_groups-error")).to_contain_text("Chọn ít nhất một nhóm đơn vị")
    assert violations(page) == []

    page.get_by_text("Mọi huyện, thành phố thuộc tỉnh").click()
    page.get_by_text("Cán bộ cấp huyện (UBND huyện, TTYT)").click()
    page.get_by_role("button", name="Xem trước").click()
    expect(page.get_by_test_id("provision-plan")).to_contain_text("Tài khoản mới")
    assert violations(page) == []

    page.get_by_role("button", name="Tạo 7 tài khoản").click()
    expect(page.locator("#job-progress")).to_contain_text("Đã xong")
    assert violations(page) == []
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải danh sách (Excel)").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    assert User.objects.filter(role=Role.DISTRICT_STAFF).count() == 7
    assert page.js_errors == []
