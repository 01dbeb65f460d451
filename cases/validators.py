"""Checks of Vietnamese identity numbers and phone numbers, with messages for citizens."""

import csv
import re
import unicodedata
from datetime import date
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.text import compact_number, national_phone_digits
from units.sets import KNOWN_SETS

MOBILE_PREFIXES = ("03", "05", "07", "08", "09")


def normalize_phone(raw: str) -> str:
    """A mobile number in national form, normalised first and then checked.

    `+84 912 345 678`, `0084 912 345 678`, `+84 (0) 912.345.678`, `84912345678` and
    full-width or other-script digits -> `0912345678` (`core.text.national_phone_digits`);
    then 10 ASCII digits starting 03/05/07/08/09, or ValidationError.
    """
    digits = national_phone_digits(raw)
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise ValidationError(
            _("Số điện thoại di động gồm 10 chữ số, ví dụ 0912345678 (có thể ghi +84912345678)."),
            code="phone_format",
        )
    if not digits.startswith(MOBILE_PREFIXES):
        raise ValidationError(
            _("Số điện thoại di động Việt Nam bắt đầu bằng 03, 05, 07, 08 hoặc 09."),
            code="phone_prefix",
        )
    return digits


@cache
def cccd_province_codes() -> frozenset[str]:
    """The 3-digit place codes of CCCD numbers: the 63 provinces' GSO codes (before 2025)."""
    with KNOWN_SETS["gso-2021"].path.open(encoding="utf-8") as fh:
        return frozenset(
            "0" + row["code"] for row in csv.DictReader(fh) if row["level"] == "province"
        )


def cccd_sex_century_digit(sex: str, date_of_birth: date) -> str:
    """The 4th digit of a CCCD: 0/1 for men/women born 1900-1999, 2/3 for 2000-2099, ..."""
    century_index = (date_of_birth.year - 1900) // 100
    return str(century_index * 2 + (1 if sex == "female" else 0))


def validate_cccd(number: str, *, date_of_birth: date | None, sex: str | None) -> str:
    """A CCCD number, separators and non-ASCII digits normalised first, then checked."""
    number = compact_number(number)
    if not re.fullmatch(r"[0-9]{12}", number):
        raise ValidationError(_("Số định danh cá nhân gồm đúng 12 chữ số."), code="cccd_format")
    if number[:3] not in cccd_province_codes():
        raise ValidationError(
            _(
                "Ba chữ số đầu của số định danh cá nhân (%(code)s) không phải mã tỉnh nơi đăng ký khai sinh."
            )
            % {"code": number[:3]},
            code="cccd_province",
        )
    if date_of_birth and sex:
        expected = cccd_sex_century_digit(sex, date_of_birth)
        if number[3] != expected:
            raise ValidationError(
                _(
                    "Chữ số thứ 4 của số định danh cá nhân phải là %(expected)s đối với %(sex)s sinh năm "
                    "%(year)s. Vui lòng kiểm tra lại số định danh cá nhân, ngày sinh và giới tính."
                )
                % {
                    "expected": expected,
                    "sex": _("nam") if sex == "male" else _("nữ"),
                    "year": date_of_birth.year,
                },
                code="cccd_sex_century",
            )
        if number[4:6] != f"{date_of_birth.year % 100:02d}":
            raise ValidationError(
                _(
                    "Chữ số thứ 5 và 6 của số định danh cá nhân là hai số cuối của năm sinh (%(yy)s). "
                    "Vui lòng kiểm tra lại số định danh cá nhân và ngày sinh."
                )
                % {"yy": f"{date_of_birth.year % 100:02d}"},
                code="cccd_year",
            )
    return number


def validate_cmnd(number: str) -> str:
    number = compact_number(number)
    if not re.fullmatch(r"[0-9]{9}", number):
        raise ValidationError(_("Số chứng minh nhân dân gồm đúng 9 chữ số."), code="cmnd_format")
    return number


def validate_passport(number: str) -> str:
    number = compact_number(number)
    if not re.fullmatch(r"[A-Z0-9]{6,12}", number):
        raise ValidationError(
            _("Số hộ chiếu gồm 6 đến 12 chữ cái hoặc chữ số, ví dụ C1234567."),
            code="passport_format",
        )
    return number


def validate_social_insurance(number: str) -> str:
    number = compact_number(number)
    if number and not re.fullmatch(r"[0-9]{10}", number):
        raise ValidationError(_("Mã số bảo hiểm xã hội gồm 10 chữ số."), code="bhxh_format")
    return number


def name_key(name: str) -> str:
    """A name without diacritics, lower case, single-spaced: for search and duplicate hints."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().split())


def clean_person_name(name: str) -> str:
    """Trim, collapse spaces, NFC-normalise; a name has letters and spaces only."""
    name = " ".join(unicodedata.normalize("NFC", name or "").split())
    if not name or not all(c.isalpha() or c in " '-." for c in name):
        raise ValidationError(
            _("Họ và tên chỉ gồm chữ cái và dấu cách, ví dụ Nguyễn Thị Hoa."), code="name_chars"
        )
    return name
