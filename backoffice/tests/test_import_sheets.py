"""Officers' own sheets: merged cells, a title above the header, other column titles, blank
and total rows (issue 10, part 3)."""

import io
import re
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from backoffice.import_columns import COLUMNS, column_for_title
from backoffice.import_sheet import merged_ranges
from backoffice.tests.test_import import FIELDS, HEADERS, IMPORT, person
from cases.models import Case
from jobs.models import BulkJob

SAMPLE = Path(__file__).parent / "data" / "officer-sheet-merged-household.xlsx"
YESTERDAY = datetime.combine(timezone.localdate() - timedelta(days=1), datetime.min.time())


def sheet_file(layout) -> SimpleUploadedFile:
    """A workbook built by `layout(sheet)`, as an upload."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    layout(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("ds-f0.xlsx", buffer.getvalue())


def cells(values, headers=HEADERS):
    return [values.get(FIELDS[HEADERS.index(h)]) if h in HEADERS else None for h in headers]


def post(client, upload):
    return client.post(IMPORT, {"file": upload}, follow=True)


def errors(job):
    return [issue["text"] for issue in job.preview_errors]


def warnings(job):
    return [issue["text"] for issue in job.preview_warnings]


@pytest.mark.django_db
def test_the_merged_household_sample_imports_all_three_with_village_and_test_place(
    client, login, officer_a
):
    # The officer's sample as it is, but tested yesterday so that it stays recent.
    book = load_workbook(SAMPLE)
    sheet = book["Danh sách"]
    assert {str(r) for r in sheet.merged_cells.ranges} == {"H2:H4", "K2:K4"}
    for number in (2, 3, 4):
        sheet[f"L{number}"] = YESTERDAY
    buffer = io.BytesIO()
    book.save(buffer)
    login(officer_a)
    post(client, SimpleUploadedFile("ho-gia-dinh.xlsx", buffer.getvalue()))
    job = BulkJob.objects.get()
    assert errors(job) == []
    assert [item["row"] for item in job.items] == [2, 3, 4]
    assert {(i["values"]["village"], i["values"]["test_place"]) for i in job.items} == {
        ("Tổ 3", "Trạm Y tế")
    }
    client.post(reverse("backoffice:job_confirm", args=[job.pk]))
    assert sorted(Case.objects.values_list("full_name", "village", "test_place")) == [
        ("Bùi Thị Em", "Tổ 3", "Trạm Y tế"),
        ("Bùi Văn Dũng", "Tổ 3", "Trạm Y tế"),
        ("Bùi Văn Giang", "Tổ 3", "Trạm Y tế"),
    ]


@pytest.mark.django_db
def test_a_wrong_value_merged_over_a_household_is_reported_on_each_of_its_rows(
    client, login, officer_a
):
    def layout(sheet):
        sheet.append(HEADERS)
        sheet.append(cells(person(1, test_type="Test nước bọt")))
        sheet.append(cells(person(2, test_type=None)))
        column = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[HEADERS.index("Loại xét nghiệm")]
        sheet.merge_cells(f"{column}2:{column}3")

    login(officer_a)
    post(client, sheet_file(layout))
    message = (
        "cột «Loại xét nghiệm»: «Test nước bọt» không có trong danh sách; chọn một trong: "
        "Xét nghiệm nhanh tại cơ sở y tế, Xét nghiệm nhanh tự làm, RT-PCR."
    )
    assert errors(BulkJob.objects.get()) == [f"Dòng 2, {message}", f"Dòng 3, {message}"]


@pytest.mark.django_db
def test_a_title_above_the_header_is_skipped_and_rows_keep_their_numbers(client, login, officer_a):
    def layout(sheet):
        sheet.append(["DANH SÁCH F0 ĐIỀU TRỊ TẠI NHÀ - XÃ HỢP THÀNH"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
        sheet.append(["(Kèm theo báo cáo ngày 28/11)"])
        sheet.append([])
        sheet.append(HEADERS)
        sheet.append(cells(person(1)))
        sheet.append(cells(person(2, sex="Nữa")))

    login(officer_a)
    post(client, sheet_file(layout))
    job = BulkJob.objects.get()
    assert [item["row"] for item in job.items] == [5]
    assert errors(job) == [
        "Dòng 6, cột «Giới tính»: «Nữa» không có trong danh sách; chọn một trong: Nam, Nữ."
    ]
    assert job.params["rows_read"] == 2
    assert warnings(job) == ["Dòng 4: Đây là dòng tiêu đề; các dòng phía trên không được nhập."]


@pytest.mark.django_db
def test_no_header_among_the_first_ten_rows_is_said_plainly(client, login, officer_a):
    def layout(sheet):
        for _ in range(10):
            sheet.append(["Ghi chú của xã"])
        sheet.append(HEADERS)
        sheet.append(cells(person(1)))

    login(officer_a)
    html = post(client, sheet_file(layout)).content.decode()
    assert "Không tìm thấy dòng tiêu đề trong 10 dòng đầu của bảng tính." in html
    assert not BulkJob.objects.exists()


@pytest.mark.django_db
def test_a_header_row_lower_down_names_its_row_when_a_column_is_missing(client, login, officer_a):
    headers = [h for h in HEADERS if h != "Số điện thoại"]

    def layout(sheet):
        sheet.append(["Danh sách F0"])
        sheet.append(headers)
        sheet.append(cells(person(1), headers))

    login(officer_a)
    html = post(client, sheet_file(layout)).content.decode()
    assert "Dòng tiêu đề (dòng 2) thiếu cột: «Số điện thoại»." in html


@pytest.mark.parametrize(
    "title,field",
    [
        ("SĐT", "phone"),
        ("Số ĐT", "phone"),
        ("ĐT", "phone"),
        ("so dien thoai", "phone"),
        ("  SỐ   ĐIỆN THOẠI ", "phone"),
        ("ĐTDĐ", "phone"),
        ("CCCD", "id_number"),
        ("Số CCCD/CMND", "id_number"),
        ("CMND/CCCD", "id_number"),
        ("Số CMT", "id_number"),
        ("Ngày sinh", "date_of_birth"),
        ("Ngay sinh", "date_of_birth"),
        ("NS", "date_of_birth"),
        ("Ngày sinh\n(ngày/tháng/năm)", "date_of_birth"),
        ("Thôn/xóm", "village"),
        ("Thôn/TDP", "village"),
        ("Nơi XN", "test_place"),
        ("Loại XN", "test_type"),
        ("Ngày XN", "positive_test_date"),
        ("Ngày XN (+)", "positive_test_date"),
        ("Họ và tên (*)", "full_name"),
        ("Họ tên", "full_name"),
        ("Giới tính (Nam/Nữ)", "sex"),
        ("Số mũi vắc-xin", "vaccine_doses"),
        ("Số mũi vaccine", "vaccine_doses"),
        ("SpO2", "spo2"),
        ("E-mail", "email"),
        ("SĐT người giám hộ", "guardian_phone"),
        ("Số ĐT người giám hộ", "guardian_phone"),
        ("STT", None),
        ("Ghi chú", None),
        ("Tên", None),  # a first name alone is not the full name
        ("Năm sinh", None),  # a year is not a date of birth
    ],
)
def test_column_titles_officers_use_are_recognised(title, field):
    column = column_for_title(title)
    assert (column.field if column else None) == field


def test_no_title_names_two_columns():
    owners = {}
    for column in COLUMNS:
        for key in column.header_keys():
            assert owners.setdefault(key, column.field) == column.field, key


@pytest.mark.django_db
def test_a_sheet_with_its_own_titles_imports_and_problems_use_those_titles(
    client, login, officer_a
):
    own = {
        "full_name": "HỌ VÀ TÊN (*)",
        "date_of_birth": "NS",
        "sex": "Giới tính (Nam/Nữ)",
        "id_type": "Loai giay to",
        "id_number": "Số CCCD/CMND",
        "phone": "SĐT",
        "village": "Thôn/xóm",
        "test_type": "Loại XN",
        "test_place": "Nơi XN",
        "positive_test_date": "Ngày XN",
        "vaccine_doses": "Số mũi vắc-xin",
    }
    titles = ["STT", *own.values(), "Ghi chú", None]

    def layout(sheet):
        sheet.append(titles)
        sheet.merge_cells(start_row=1, start_column=13, end_row=1, end_column=14)
        for n, values in enumerate(
            [person(1, test_place="TYT xã"), person(2, phone="0212345678")], start=1
        ):
            sheet.append([n, *(values.get(f) for f in own), "F0 mới"])

    login(officer_a)
    post(client, sheet_file(layout))
    job = BulkJob.objects.get()
    assert job.total == 1
    assert job.items[0]["values"]["test_place"] == "TYT xã"
    assert errors(job) == [
        "Dòng 3, cột «SĐT»: Số điện thoại di động Việt Nam bắt đầu bằng 03, 05, 07, 08 hoặc 09."
    ]
    assert warnings(job) == ["Dòng 1: Các cột không có trong mẫu, không được nhập: «Ghi chú»."]


@pytest.mark.django_db
def test_blank_numbered_and_total_rows_are_left_out(client, login, officer_a):
    def layout(sheet):
        sheet.append(["STT", *HEADERS])
        sheet.append([1, *cells(person(1))])
        sheet.append([])
        sheet.append([2, *cells(person(2, full_name="Tống Văn Hải", village="Cộng Hòa"))])
        sheet.append([3])  # numbered in advance, not filled in
        sheet.append(["Cộng thôn 1", None] + [None] * 11 + [4])
        sheet.append([None, "Tong cong"])
        sheet.append([None, "Tổng cộng: 2 người"] + [None] * 11 + [4])

    login(officer_a)
    post(client, sheet_file(layout))
    job = BulkJob.objects.get()
    assert errors(job) == []
    assert [item["row"] for item in job.items] == [2, 4]
    assert job.items[1]["values"]["full_name"] == "Tống Văn Hải"
    assert job.items[1]["values"]["village"] == "Cộng Hòa"
    assert warnings(job) == [
        "Dòng 6: Dòng tổng cộng, đã bỏ qua.",
        "Dòng 7: Dòng tổng cộng, đã bỏ qua.",
        "Dòng 8: Dòng tổng cộng, đã bỏ qua.",
    ]
    assert job.params["rows_read"] == 2


def test_merged_ranges_are_read_from_a_long_list():
    # 3,000 households: the list of ranges is longer than one block read from the file.
    book = Workbook()
    sheet = book.active
    for start in range(2, 6002, 2):
        sheet.cell(start, 8, "Thôn 1")
        sheet.merge_cells(start_row=start, start_column=8, end_row=start + 1, end_column=8)
    buffer = io.BytesIO()
    book.save(buffer)
    ranges = merged_ranges(buffer.getvalue(), sheet.title)
    assert sorted((r.min_row, r.max_row, r.min_col, r.max_col) for r in ranges) == [
        (start, start + 1, 7, 7) for start in range(2, 6002, 2)
    ]


@pytest.mark.django_db
def test_too_many_merged_cells_are_refused(client, login, officer_a, monkeypatch):
    monkeypatch.setattr("backoffice.import_sheet.MAX_MERGED_RANGES", 2)

    def layout(sheet):
        sheet.append(HEADERS)
        for n in range(1, 5):
            sheet.append(cells(person(n)))
        for start in (2, 3, 4):
            sheet.merge_cells(f"Q{start}:R{start}")

    login(officer_a)
    html = post(client, sheet_file(layout)).content.decode()
    assert "Bảng tính có quá nhiều ô gộp; vui lòng bỏ gộp ô rồi tải lên lại." in html
    assert not BulkJob.objects.exists()


@pytest.mark.django_db
def test_a_header_on_two_rows_is_read_with_its_group_titles(client, login, officer_a):
    titles = ["Họ và tên", "Ngày sinh", "Giới tính", "Loại giấy tờ", "Số CCCD", "SĐT", "Thôn"]
    tests = ["Loại", "Nơi", "Ngày dương tính"]

    def layout(sheet):
        sheet.append([*titles, "Xét nghiệm", None, None, "Số mũi vắc xin"])
        sheet.append([None] * len(titles) + tests)
        for index in range(1, len(titles) + 1):
            sheet.merge_cells(start_row=1, start_column=index, end_row=2, end_column=index)
        sheet.merge_cells("H1:J1")
        sheet.merge_cells("K1:K2")
        fields = [
            "full_name", "date_of_birth", "sex", "id_type", "id_number", "phone", "village",
            "test_type", "test_place", "positive_test_date", "vaccine_doses",
        ]  # fmt: skip
        for values in (person(1, test_place="Trạm Y tế"), person(2, test_type="PCR nước bọt")):
            sheet.append([values.get(f) for f in fields])

    login(officer_a)
    post(client, sheet_file(layout))
    job = BulkJob.objects.get()
    assert [(i["row"], i["values"]["test_place"]) for i in job.items] == [(3, "Trạm Y tế")]
    assert errors(job) == [
        "Dòng 4, cột «Loại (Xét nghiệm)»: «PCR nước bọt» không có trong danh sách; chọn một "
        "trong: Xét nghiệm nhanh tại cơ sở y tế, Xét nghiệm nhanh tự làm, RT-PCR."
    ]


@pytest.mark.django_db
def test_a_cell_showing_a_formula_error_is_reported_not_read_as_text(client, login, officer_a):
    def layout(sheet):
        sheet.append(HEADERS)
        sheet.append(cells(person(1, village="#N/A")))
        sheet.append(cells(person(2, date_of_birth="#REF!")))

    login(officer_a)
    post(client, sheet_file(layout))
    job = BulkJob.objects.get()
    assert job.total == 0
    assert errors(job) == [
        "Dòng 2, cột «Thôn, tổ dân phố»: Ô này báo lỗi công thức (#N/A), không đọc được; ghi "
        "giá trị thay cho công thức.",
        "Dòng 3, cột «Ngày sinh»: Ô này báo lỗi công thức (#REF!), không đọc được; ghi giá "
        "trị thay cho công thức.",
    ]


@pytest.mark.django_db
def test_rows_past_the_size_the_sheet_states_are_read(client, login, officer_a):
    def layout(sheet):
        sheet.append(HEADERS)
        for n in (1, 2, 3):
            sheet.append(cells(person(n)))

    upload = sheet_file(layout)
    # As some programs write it: the sheet says it ends at its header.
    data = rewrite_part(
        upload.read(),
        "xl/worksheets/sheet1.xml",
        lambda content: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:Y1"', content),
    )
    login(officer_a)
    post(client, SimpleUploadedFile("ds.xlsx", data))
    assert [item["row"] for item in BulkJob.objects.get().items] == [2, 3, 4]


def rewrite_part(data: bytes, name: str, change) -> bytes:
    rewritten = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(rewritten, "w") as new:
        for item in old.infolist():
            content = old.read(item.filename)
            new.writestr(item, change(content) if item.filename == name else content)
    return rewritten.getvalue()


def test_merged_ranges_are_those_of_the_named_sheet_whatever_its_xml_prefix():
    book = Workbook()
    notes = book.active
    notes.title = "Ghi chú"
    notes.merge_cells("A1:D1")
    sheet = book.create_sheet("Danh sách")
    sheet.merge_cells("H2:H4")
    sheet.merge_cells("K2:K4")
    buffer = io.BytesIO()
    book.save(buffer)

    def prefixed(content):
        # Some programs write the main namespace with a prefix: <x:mergeCell ref="H2:H4"/>.
        main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        content = content.replace(b'xmlns="' + main + b'"', b'xmlns:x="' + main + b'"')
        return re.sub(rb"<(/?)(?!\?)", rb"<\1x:", content)

    data = rewrite_part(buffer.getvalue(), "xl/worksheets/sheet2.xml", prefixed)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b'<x:mergeCell ref="H2:H4"/>' in archive.read("xl/worksheets/sheet2.xml")
    spans = sorted(
        (r.min_row, r.max_row, r.min_col, r.max_col) for r in merged_ranges(data, "Danh sách")
    )
    assert spans == [(2, 4, 7, 7), (2, 4, 10, 10)]
    assert [(r.min_col, r.max_col) for r in merged_ranges(data, "Ghi chú")] == [(0, 3)]


@pytest.mark.django_db
def test_the_import_page_says_officers_own_sheets_are_read(client, login, officer_a):
    login(officer_a)
    html = client.get(IMPORT).content.decode()
    assert "Có thể dùng bảng tính sẵn có của xã" in html


@pytest.mark.django_db
def test_the_list_is_found_on_a_later_sheet_when_the_workbook_opens_on_a_summary(
    client, login, officer_a
):
    book = Workbook()
    summary = book.active
    summary.title = "Tổng hợp"
    summary.append(["Tổng số F0", 2])
    cases = book.create_sheet("DS F0 T11")
    cases.append(HEADERS)
    cases.append(cells(person(1)))
    cases.append(cells(person(2)))
    buffer = io.BytesIO()
    book.save(buffer)
    login(officer_a)
    post(client, SimpleUploadedFile("bao-cao.xlsx", buffer.getvalue()))
    assert [item["row"] for item in BulkJob.objects.get().items] == [2, 3]


@pytest.mark.django_db
def test_a_header_missing_a_column_on_a_later_sheet_is_the_problem_told(client, login, officer_a):
    book = Workbook()
    book.active.title = "Tổng hợp"
    book.active.append(["Tổng số F0", 2])
    cases = book.create_sheet("DS F0 T11")
    cases.append([h for h in HEADERS if h != "Giới tính"])
    buffer = io.BytesIO()
    book.save(buffer)
    login(officer_a)
    html = post(client, SimpleUploadedFile("bao-cao.xlsx", buffer.getvalue())).content.decode()
    assert "Trang «DS F0 T11»: Dòng tiêu đề (dòng 1) thiếu cột: «Giới tính»." in html
