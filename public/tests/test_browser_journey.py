"""A citizen on a phone declares, keeps the code, looks the case up and declares recovery."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.testing import make_user
from cases.models import Case
from cases.services import case_accept
from cases.testing import jpeg_bytes

pytestmark = [pytest.mark.browser]


def choose(page, label_for: str):
    # USWDS draws its own radio and checkbox: people tap the label.
    page.click(f"label[for={label_for}]")


def test_declare_look_up_and_declare_recovery_on_a_phone(phone_page, tmp_path):
    page = phone_page
    photo = tmp_path / "que-test.jpg"
    photo.write_bytes(jpeg_bytes(size=(640, 480)))

    page.goto("/")
    page.get_by_role("link", name="Khai báo nhiễm").first.click()
    page.get_by_role("button", name="Bắt đầu khai báo").click()
    # Without consent the form does not open.
    expect(page.get_by_text("Bạn cần đồng ý để gửi khai báo.").first).to_be_visible()
    choose(page, "id_consent")
    page.get_by_role("button", name="Bắt đầu khai báo").click()

    page.get_by_label("Họ và tên").fill("Trần Thị Mai")
    page.fill("#id_date_of_birth", "1990-05-05")
    choose(page, "id_sex_1")
    page.fill("#id_id_number", "008190777888")
    page.fill("#id_phone", "+84 912 777 888")
    page.select_option("#id_district", label="Thành phố Tuyên Quang")
    # The commune list narrows to the district's communes (htmx).
    expect(page.locator("#id_commune option")).to_have_count(16)
    page.select_option("#id_commune", label="Xã Tràng Đà")
    page.fill("#id_village", "Thôn Cầu Bâm")
    choose(page, "id_test_type_0")
    tested = timezone.localdate() - timedelta(days=6)
    page.fill("#id_positive_test_date", tested.isoformat())
    page.set_input_files("#id_test_photo", str(photo))
    page.select_option("#id_vaccine_doses", "2")
    # A mistake: the phone number is cut short. The error shows; nothing typed is lost.
    page.fill("#id_phone", "091277")
    page.get_by_role("button", name="Tiếp tục: kiểm tra lại").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.locator("#id_phone-error").inner_text().startswith("Số điện thoại di động gồm 10")
    assert page.input_value("#id_full_name") == "Trần Thị Mai"
    expect(page.locator(".staged-upload")).to_be_visible()  # the photo is kept
    page.fill("#id_phone", "0912777888")
    page.get_by_role("button", name="Tiếp tục: kiểm tra lại").click()

    expect(page.get_by_role("heading", name="Kiểm tra lại thông tin trước khi gửi")).to_be_visible()
    expect(page.get_by_text("Thôn Cầu Bâm, Xã Tràng Đà")).to_be_visible()
    page.get_by_role("button", name="Gửi khai báo").dblclick()  # an impatient double tap

    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"TQ-[2-9A-HJ-NP-TV-Z]{4}-[2-9A-HJ-NP-TV-Z]{4}", code)
    assert Case.objects.filter(tracking_code=code).count() == 1
    assert Case.objects.count() == 1

    # The commune accepts the declaration.
    case = Case.objects.get()
    case_accept(case=case, by=make_user("canbo.trangda", "commune_officer", "02209"))

    # Later, on another visit, the citizen looks the case up with code and ID number.
    page.context.clear_cookies()
    page.goto("/")
    page.get_by_role("link", name="Tra cứu").first.click()
    page.get_by_label("Mã hồ sơ").fill(code.lower())
    page.get_by_label("Số giấy tờ đã khai báo").fill("008190777888")
    page.get_by_role("button", name="Tra cứu").click()
    assert page.get_by_test_id("case-status").inner_text() == "Đang cách ly"
    earliest = (tested + timedelta(days=6)).strftime("%d/%m/%Y")
    assert page.get_by_test_id("earliest-recovery").inner_text() == earliest

    # Day 7: a negative test, declared from the status page.
    page.get_by_role("link", name="Khai báo khỏi bệnh").click()
    assert page.input_value("#id_tracking_code") == code
    page.get_by_label("Số giấy tờ đã khai báo").fill("008190777888")
    page.fill("#id_negative_test_date", timezone.localdate().isoformat())
    choose(page, "id_test_type_0")
    choose(page, "id_tested_by_0")
    page.set_input_files("#id_result_photo", str(photo))
    page.get_by_role("button", name="Gửi khai báo khỏi bệnh").click()
    assert page.get_by_test_id("case-status").inner_text() == "Đã khai báo khỏi bệnh, chờ xác nhận"
    expect(page.get_by_text("Đã gửi khai báo khỏi bệnh")).to_be_visible()

    # Nothing overflows sideways on a 360-px screen, and no script failed.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.js_errors == []
