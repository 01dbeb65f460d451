from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cases.tracking import ALPHABET, new_tracking_code, normalize_tracking_code
from cases.validators import (
    name_key,
    normalize_phone,
    validate_cccd,
    validate_cmnd,
)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("0912345678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0386.123.456", "0386123456"),
    ],
)
def test_phone_numbers_are_normalised(raw, normalized):
    assert normalize_phone(raw) == normalized


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("091234567", "10 chữ số"),
        ("09123456789", "10 chữ số"),
        ("0212345678", "bắt đầu bằng 03, 05, 07, 08 hoặc 09"),
        ("abc", "10 chữ số"),
    ],
)
def test_bad_phone_numbers_say_why(raw, message):
    with pytest.raises(ValidationError) as err:
        normalize_phone(raw)
    assert message in err.value.messages[0]


def test_a_consistent_cccd_passes():
    # Tuyên Quang (008), a woman born in 1990 (digit 1), year 90.
    assert (
        validate_cccd("008190123456", date_of_birth=date(1990, 5, 5), sex="female")
        == "008190123456"
    )
    # A boy born in 2005: digit 2, year 05.
    assert validate_cccd("008205000001", date_of_birth=date(2005, 1, 1), sex="male")


@pytest.mark.parametrize(
    ("number", "birth", "sex", "message"),
    [
        ("00819012345", date(1990, 5, 5), "female", "đúng 12 chữ số"),
        ("00819012345a", date(1990, 5, 5), "female", "đúng 12 chữ số"),
        ("099190123456", date(1990, 5, 5), "female", "mã tỉnh"),
        (
            "008090123456",
            date(1990, 5, 5),
            "female",
            "Chữ số thứ 4 của số định danh cá nhân phải là 1",
        ),
        (
            "008190123456",
            date(2005, 5, 5),
            "female",
            "Chữ số thứ 4 của số định danh cá nhân phải là 3",
        ),
        ("008191123456", date(1990, 5, 5), "female", "hai số cuối của năm sinh (90)"),
    ],
)
def test_inconsistent_cccd_is_refused_with_the_reason(number, birth, sex, message):
    with pytest.raises(ValidationError) as err:
        validate_cccd(number, date_of_birth=birth, sex=sex)
    assert message in err.value.messages[0]


def test_cmnd_has_nine_digits():
    assert validate_cmnd("070123456") == "070123456"
    with pytest.raises(ValidationError):
        validate_cmnd("0701234567")


def test_name_key_ignores_diacritics_case_and_spacing():
    assert name_key("  Nguyễn  Thị   Hoà ") == name_key("nguyen thi hoa") == "nguyen thi hoa"
    assert name_key("Đặng Văn Đức") == "dang van duc"


def test_tracking_codes_are_readable_and_normalised(settings):
    settings.TRACKING_CODE_PREFIX = "TQ"
    code = new_tracking_code()
    assert len(code) == len("TQ-7K3M-9QXH")
    body = code[3:].replace("-", "")
    assert all(c in ALPHABET for c in body)
    assert not set("0O1IL") & set(body)
    assert normalize_tracking_code(code.lower().replace("-", " ")) == code
    assert normalize_tracking_code(body) == code
    assert normalize_tracking_code("TQ-123") == ""
