from datetime import date

import pytest

from documents.rendering import in_running_text, vn_date, vn_date_line


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2022, 4, 2), "Tràng Đà, ngày 02 tháng 4 năm 2022"),
        (date(2022, 3, 29), "Tràng Đà, ngày 29 tháng 3 năm 2022"),
        (date(2022, 1, 15), "Tràng Đà, ngày 15 tháng 01 năm 2022"),
        (date(2022, 2, 9), "Tràng Đà, ngày 09 tháng 02 năm 2022"),
        (date(2022, 10, 1), "Tràng Đà, ngày 01 tháng 10 năm 2022"),
        (date(2022, 12, 31), "Tràng Đà, ngày 31 tháng 12 năm 2022"),
    ],
)
def test_date_line_pads_days_below_10_and_only_months_1_and_2(day, expected):
    assert vn_date_line("Tràng Đà", day) == expected


def test_body_dates_are_day_month_year():
    assert vn_date(date(2022, 4, 7)) == "07/04/2022"


def test_unit_names_in_a_sentence_start_lowercase():
    assert in_running_text("Xã Tràng Đà") == "xã Tràng Đà"
    assert in_running_text("Thị trấn Sơn Dương") == "thị trấn Sơn Dương"
