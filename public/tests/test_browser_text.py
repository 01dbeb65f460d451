"""On a phone: a name pasted from a TCVN3 document, and a number pasted with +84 (0)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from cases.testing import jpeg_bytes

pytestmark = [pytest.mark.browser]


def test_a_legacy_name_is_offered_converted_and_a_long_pasted_number_is_kept(phone_page, tmp_path):
    page = phone_page
    photo = tmp_path / "que-test.jpg"
    photo.write_bytes(jpeg_bytes(size=(640, 480)))
    page.goto("/khai-bao/")
    page.click("label[for=id_consent]")
    page.get_by_role("button", name="Bắt đầu khai báo").click()

    page.get_by_label("Họ và tên").fill("NguyÔn ThÞ Hoa")
    page.fill("#id_date_of_birth", "1990-05-05")
    page.click("label[for=id_sex_1]")
    page.fill("#id_id_number", "008 190 777 888")
    page.fill("#id_phone", "+84 (0) 912 777 888")  # 19 characters, all kept
    assert page.input_value("#id_phone") == "+84 (0) 912 777 888"
    page.select_option("#id_commune", label="Xã Tràng Đà")
    page.fill("#id_village", "Thôn Cầu Bâm")
    page.click("label[for=id_test_type_0]")
    tested = timezone.localdate() - timedelta(days=2)
    page.fill("#id_positive_test_date", tested.isoformat())
    page.set_input_files("#id_test_photo", str(photo))
    page.select_option("#id_vaccine_doses", "2")
    page.get_by_role("button", name="Tiếp tục: kiểm tra lại").click()

    error = page.locator("#id_full_name-error")
    expect(error).to_contain_text("bảng mã cũ TCVN3 (ABC)")
    expect(error).to_contain_text("«Nguyễn Thị Hoa»")
    assert page.input_value("#id_full_name") == "Nguyễn Thị Hoa"
    page.get_by_role("button", name="Tiếp tục: kiểm tra lại").click()
    expect(page.get_by_role("heading", name="Kiểm tra lại thông tin trước khi gửi")).to_be_visible()
    page.get_by_role("button", name="Gửi khai báo").click()
    expect(page.get_by_test_id("tracking-code")).to_be_visible()
    case = Case.objects.get()
    assert (case.full_name, case.phone, case.id_number) == (
        "Nguyễn Thị Hoa",
        "0912777888",
        "008190777888",
    )
