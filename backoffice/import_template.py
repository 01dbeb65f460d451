"""The Excel template officers fill in to import cases (built with xlsxwriter)."""

import io
from datetime import date

import xlsxwriter
from django.utils.translation import gettext as _

from backoffice.import_columns import (
    CHOICE,
    COLUMNS,
    DATE,
    EXAMPLE_ROW,
    INT,
    MAX_ROWS,
    MULTI,
    NOTES_SHEET_NAME,
    SHEET_NAME,
)

DATE_FORMAT = "dd/mm/yyyy"


def import_template_xlsx() -> bytes:
    """The template: a header row, one example row, lists to pick from, and a notes sheet.

    Headers and list values are the sheet's format, read back by backoffice.imports, so
    they stay in Vietnamese whatever the interface language; the notes are translated.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    header = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F2DCDB", "border": 1}
    )
    required_header = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E6B8B7", "border": 1}
    )
    text = book.add_format({"num_format": "@"})
    day = book.add_format({"num_format": DATE_FORMAT})
    example_text = book.add_format({"num_format": "@", "italic": True, "font_color": "#595959"})
    example_day = book.add_format(
        {"num_format": DATE_FORMAT, "italic": True, "font_color": "#595959"}
    )

    sheet = book.add_worksheet(SHEET_NAME)
    sheet.freeze_panes(1, 1)
    sheet.set_row(0, 45)
    last_row = MAX_ROWS  # zero-based: rows 2..5001 in Excel
    for index, column in enumerate(COLUMNS):
        sheet.write_string(0, index, column.header, required_header if column.required else header)
        sheet.set_column(index, index, column.width, day if column.kind == DATE else text)
        example = EXAMPLE_ROW.get(column.field)
        if isinstance(example, date):
            sheet.write_datetime(1, index, _midnight(example), example_day)
        elif isinstance(example, int):
            sheet.write_number(1, index, example, example_text)
        elif example is not None:
            sheet.write_string(1, index, example, example_text)
        if column.kind == CHOICE:
            sheet.data_validation(
                1,
                index,
                last_row,
                index,
                {
                    "validate": "list",
                    "source": column.option_texts(),
                    "error_title": _("Giá trị không hợp lệ"),
                    "error_message": _("Chọn một giá trị trong danh sách: %s")
                    % ", ".join(column.option_texts()),
                },
            )
        elif column.kind == DATE:
            sheet.data_validation(
                1,
                index,
                last_row,
                index,
                {
                    "validate": "date",
                    "criteria": "between",
                    "minimum": _midnight(date(1900, 1, 1)),
                    "maximum": _midnight(date(2100, 12, 31)),
                    "input_title": _("Ngày"),
                    "input_message": _("Ghi ngày/tháng/năm, ví dụ 28/03/2022"),
                    "error_message": _("Ngày không hợp lệ; ghi theo dạng ngày/tháng/năm."),
                },
            )
        elif column.kind == INT and column.field == "vaccine_doses":
            sheet.data_validation(
                1,
                index,
                last_row,
                index,
                {
                    "validate": "integer",
                    "criteria": "between",
                    "minimum": 0,
                    "maximum": 4,
                    "error_message": _("Số mũi từ 0 đến 4."),
                },
            )
    _notes_sheet(book)
    book.close()
    return buffer.getvalue()


def _midnight(day: date):
    from datetime import datetime

    return datetime(day.year, day.month, day.day)


def _notes_sheet(book) -> None:
    notes = book.add_worksheet(NOTES_SHEET_NAME)
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    notes.set_column(0, 0, 30)
    notes.set_column(1, 1, 10)
    notes.set_column(2, 2, 90)
    lines = [
        _("Mỗi dòng của trang «Danh sách» là một người; giữ nguyên dòng tiêu đề (dòng 1)."),
        _("Dòng 2 là dòng ví dụ: xóa hoặc ghi đè; nếu để nguyên, dòng này được bỏ qua."),
        _("Tối đa %(rows)s dòng và 5 MB mỗi tệp.") % {"rows": f"{MAX_ROWS:,}".replace(",", ".")},
        _("Cột tô đậm là bắt buộc. Ngày ghi theo dạng ngày/tháng/năm (28/03/2022)."),
        _("Số giấy tờ và số điện thoại ở định dạng văn bản để giữ số 0 ở đầu."),
        _(
            "Sau khi tải lên, hệ thống kiểm tra từng dòng và cho xem trước; "
            "chưa ghi gì cho đến khi cán bộ xác nhận."
        ),
        _(
            "Người đã có hồ sơ đang mở (cùng số giấy tờ) không bị tạo hồ sơ mới: "
            "khai báo được gắn vào hồ sơ đó."
        ),
    ]
    notes.write_string(0, 0, _("Hướng dẫn nhập danh sách người mắc COVID-19"), title)
    row = 2
    for line in lines:
        notes.write_string(row, 0, "• " + line)
        row += 1
    row += 1
    for col, text in enumerate((_("Cột"), _("Bắt buộc"), _("Cách ghi"))):
        notes.write_string(row, col, text, bold)
    row += 1
    for column in COLUMNS:
        how = str(column.note)
        if column.kind == CHOICE:
            how = (_("Chọn: %s.") % ", ".join(column.option_texts()) + " " + how).strip()
        elif column.kind == DATE:
            how = (_("Ngày/tháng/năm.") + " " + how).strip()
        notes.write_string(row, 0, column.header, wrap)
        notes.write_string(row, 1, _("Có") if column.required else "", wrap)
        notes.write_string(row, 2, how, wrap)
        row += 1
    for column in COLUMNS:
        if column.kind != MULTI:
            continue
        row += 1
        notes.write_string(row, 0, _("Danh mục «%s»") % column.header, bold)
        row += 1
        for text in column.option_texts():
            notes.write_string(row, 0, text)
            row += 1
