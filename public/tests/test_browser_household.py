"""A mother on a phone declares her household of three in one submission (issue 13
part 3): herself, her son (a child, with her as guardian) and her father (no papers,
declared by her as a relative)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from cases.testing import jpeg_bytes

pytestmark = [pytest.mark.browser]

CODE = re.compile(r"TQ-[2-9A-HJ-NP-TV-Z]{4}-[2-9A-HJ-NP-TV-Z]{4}")


def choose(page, label_for: str):
    # USWDS draws its own radio and checkbox: people tap the label.
    page.click(f"label[for={label_for}]")


def person(page, photo, *, name, born, sex, id_number=None, relative=None):
    """Fill one person's own answers (the address and phone may be there already)."""
    page.fill("#id_full_name", name)
    page.fill("#id_date_of_birth", born)
    choose(page, "id_sex_0" if sex == "male" else "id_sex_1")
    if id_number:
        page.fill("#id_id_number", id_number)
    else:
        # Tapped by what it says: which papers are offered depends on the day (ID_TERMS).
        page.locator("label.usa-radio__label", has_text="Chưa có giấy tờ").click()
        page.fill("#id_guardian_name", relative[0])
        page.fill("#id_guardian_id_number", relative[1])
        page.fill("#id_guardian_phone", relative[2])
    choose(page, "id_test_type_0")
    page.fill("#id_positive_test_date", (timezone.localdate() - timedelta(days=1)).isoformat())
    page.set_input_files("#id_test_photo", str(photo))
    page.select_option("#id_vaccine_doses", "2")
    page.get_by_role("button", name="Tiếp tục: kiểm tra lại").click()
    expect(page.get_by_role("heading", name="Kiểm tra lại thông tin trước khi gửi")).to_be_visible()


def test_a_household_of_three_declared_in_one_submission_on_a_phone(phone_page, tmp_path):
    page = phone_page
    photo = tmp_path / "que-test.jpg"
    photo.write_bytes(jpeg_bytes(size=(640, 480)))
    mother = ("Nguyễn Thị Hoa", "008190123456", "0912345678")

    page.goto("/khai-bao/")
    choose(page, "id_consent")
    page.get_by_role("button", name="Bắt đầu khai báo").click()
    page.fill("#id_phone", mother[2])
    page.select_option("#id_district", label="Thành phố Tuyên Quang")
    expect(page.locator("#id_commune option")).to_have_count(16)
    page.select_option("#id_commune", label="Xã Tràng Đà")
    page.fill("#id_village", "Thôn Cầu Bâm")
    person(page, photo, name=mother[0], born="1990-05-05", sex="female", id_number=mother[1])

    page.get_by_role("button", name="Khai báo thêm người trong hộ").click()
    expect(page.get_by_role("heading", name=re.compile("người thứ 2 trong hộ"))).to_be_visible()
    # The address and phone are kept; the person is not.
    assert page.input_value("#id_phone") == mother[2]
    assert page.input_value("#id_village") == "Thôn Cầu Bâm"
    assert page.input_value("#id_full_name") == ""
    person(page, photo, name="Trần Minh Khang", born="2016-02-10", sex="male", relative=mother)

    page.get_by_role("button", name="Khai báo thêm người trong hộ").click()
    person(page, photo, name="Nguyễn Văn Tư", born="1940-07-01", sex="male", relative=mother)

    for name in (mother[0], "Trần Minh Khang", "Nguyễn Văn Tư"):
        expect(page.get_by_role("heading", name=re.compile(name))).to_be_visible()
    assert not Case.objects.exists()
    page.get_by_role("button", name="Gửi khai báo cho 3 người").dblclick()  # a double tap

    expect(page.get_by_role("heading", name="Đã gửi khai báo cho 3 người")).to_be_visible()
    codes = [c.strip() for c in page.get_by_test_id("tracking-code").all_inner_texts()]
    assert len(codes) == 3 and all(CODE.fullmatch(c) for c in codes)
    cases = Case.objects.order_by("pk")
    assert [c.tracking_code for c in cases] == codes
    assert len({c.household_key for c in cases}) == 1
    assert not page.js_errors
