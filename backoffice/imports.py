"""Import of cases from an officer's Excel sheet: read, check every row, preview, then write.

Nothing is written but the preview job until the officer confirms it; the confirmed job
declares each valid row with a key derived from the job and the row number, so a job run
twice declares nobody twice.
"""

import io
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from backoffice.case_forms import CaseFieldsForm
from backoffice.import_columns import (
    CHOICE,
    COLUMN_BY_FIELD,
    EXAMPLE_ROW,
    MULTI,
    PHONE,
    SHEET_NAME,
    Column,
)
from backoffice.import_sheet import formula_errors, issue, read_sheet
from cases.choices import IdType
from cases.models import Case
from cases.services import case_declare
from cases.validators import name_key
from jobs.models import BulkJob

IMPORT_KIND = "import_cases"
DATE_FIELDS = {"date_of_birth", "positive_test_date", "last_dose_date", "symptom_onset_date"}
_IN_CHUNK = 500


@dataclass
class SheetReport:
    items: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    rows_read: int = 0
    # The sheet's column titles and, for each row with an error, its cells as text: the
    # officer downloads them to fix and import again (error_rows_xlsx).
    columns: list[str] = field(default_factory=list)
    error_rows: list[dict] = field(default_factory=list)


def _is_filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


# Cells to form values ------------------------------------------------------------------


def _cell_text(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and column.kind == PHONE and len(str(value)) == 9:
        # Excel drops the leading 0 of a phone typed into a number cell.
        return f"0{value}"
    return str(value).strip()


def _choice(text: str, column: Column) -> str:
    key = name_key(text)
    for option_text, value in column.options:
        if key in (name_key(option_text), name_key(value)):
            return value
    if key in column.aliases:
        return column.aliases[key]
    raise ValidationError(
        _("«%(value)s» không có trong danh sách; chọn một trong: %(options)s.")
        % {"value": text, "options": ", ".join(column.option_texts())}
    )


def _multi(text: str, column: Column) -> list[str]:
    values = []
    for part in text.replace("\n", ";").split(";"):
        if part.strip():
            values.append(_choice(part.strip(), column))
    return values


def row_form_data(values: tuple, columns: dict[int, Column]) -> tuple[dict, dict[str, str]]:
    """Form data of one row, and the cells that could not even be read (field -> message)."""
    data: dict[str, Any] = {}
    unreadable: dict[str, str] = {}
    raw: dict[str, Any] = {}
    for index, column in columns.items():
        value = values[index] if index < len(values) else None
        raw[column.field] = value
        text = _cell_text(value, column)
        try:
            if column.kind == CHOICE and text:
                data[column.field] = _choice(text, column)
            elif column.kind == MULTI:
                data[column.field] = _multi(text, column)
            else:
                data[column.field] = text
        except ValidationError as exc:
            unreadable[column.field] = " ".join(exc.messages)
    doses = data.get("vaccine_doses", "")
    if doses.isdigit() and int(doses) > 4:
        data["vaccine_doses"] = "4"  # the form's last choice is "4 or more"
    # An ID number typed into a number cell lost its leading zeros.
    number = raw.get("id_number")
    if isinstance(number, int | float) and not isinstance(number, bool):
        width = {IdType.CCCD: 12, IdType.CMND: 9}.get(data.get("id_type"), 0)
        data["id_number"] = str(int(number)).zfill(width)
    return data, unreadable


def _is_example(values: tuple, columns: dict[int, Column]) -> bool:
    for index, column in columns.items():
        value = values[index] if index < len(values) else None
        expected = EXAMPLE_ROW.get(column.field)
        if expected is None:
            if _is_filled(value):
                return False
        elif _cell_text(value, column) != _cell_text(expected, column):
            return False
    return True


# Checking the sheet --------------------------------------------------------------------


def check_sheet(data: bytes) -> SheetReport:
    """Read and check every row; the valid rows become the items of the import job."""
    sheet = read_sheet(data)
    columns, rows = sheet.columns, sheet.rows
    # Problems name each column as the officer's own header titles it.
    by_field = {**COLUMN_BY_FIELD, **{c.field: c for c in columns.values()}}
    report = SheetReport(rows_read=len(rows))
    ordered = sorted(columns.items())
    report.columns = [column.header for _index, column in ordered]
    cells_of: dict[int, list[str]] = {}
    report.warnings.extend(issue(number, message) for number, message in sheet.notes)
    rule_sets: dict = {}
    valid: list[tuple[int, dict]] = []
    for number, values in rows:
        if _is_example(values, columns):
            report.warnings.append(issue(number, _("Dòng ví dụ của tệp mẫu, đã bỏ qua.")))
            continue
        cells_of[number] = [
            _cell_text(values[index] if index < len(values) else None, column)
            for index, column in ordered
        ]
        form_data, unreadable = row_form_data(values, columns)
        unreadable.update(formula_errors(values, columns))
        form = CaseFieldsForm(form_data, rule_sets=rule_sets)
        form.is_valid()
        row_errors = [
            issue(number, message, by_field.get(name)) for name, message in unreadable.items()
        ]
        for name, errors in form.errors.as_data().items():
            if name in unreadable:
                continue
            column = by_field.get(name) if name != "__all__" else None
            for error in errors:
                row_errors.append(issue(number, " ".join(error.messages), column))
        if row_errors:
            report.errors.extend(row_errors)
        else:
            valid.append((number, form.case_values()))
    _check_duplicates(valid, report, by_field)
    failed = sorted({error["row"] for error in report.errors if error["row"] in cells_of})
    for number in failed:
        problems = [
            e["message"] if not e["column"] else f"{e['column']}: {e['message']}"
            for e in report.errors
            if e["row"] == number
        ]
        report.error_rows.append(
            {"row": number, "cells": cells_of[number], "errors": "; ".join(problems)}
        )
    return report


def _check_duplicates(
    valid: list[tuple[int, dict]], report: SheetReport, by_field: dict[str, Column]
) -> None:
    """Same person twice in the sheet is an error; a match with an open case a warning."""
    id_column, phone_column = by_field["id_number"], by_field["phone"]
    first_by_id: dict[str, int] = {}
    first_by_phone: dict[str, int] = {}
    kept = []
    for number, values in valid:
        id_number, phone = values["id_number"], values["phone"]
        if id_number and id_number in first_by_id:
            report.errors.append(
                issue(
                    number,
                    _("Trùng số giấy tờ với dòng %(row)s trong tệp.")
                    % {"row": first_by_id[id_number]},
                    id_column,
                )
            )
            continue
        if id_number:
            first_by_id[id_number] = number
        if phone in first_by_phone:
            report.warnings.append(
                issue(
                    number,
                    _("Trùng số điện thoại với dòng %(row)s (có thể cùng hộ gia đình).")
                    % {"row": first_by_phone[phone]},
                    phone_column,
                )
            )
        else:
            first_by_phone[phone] = number
        kept.append((number, values))

    open_by_id = _open_cases("id_number", list(first_by_id))
    open_by_phone = _open_cases("phone", list(first_by_phone))
    for number, values in kept:
        if case := open_by_id.get(values["id_number"]):
            report.warnings.append(
                issue(
                    number,
                    _(
                        "Người này đang có hồ sơ mở (%(where)s); dòng này sẽ được gắn vào hồ sơ "
                        "đó, không tạo hồ sơ mới."
                    )
                    % {"where": case.commune.name},
                    id_column,
                )
            )
        elif case := open_by_phone.get(values["phone"]):
            report.warnings.append(
                issue(
                    number,
                    _("Số điện thoại trùng với một hồ sơ đang mở (%(where)s).")
                    % {"where": case.commune.name},
                    phone_column,
                )
            )
        report.items.append({"row": number, "values": serialise(values)})


def _open_cases(field_name: str, values: list[str]) -> dict[str, Case]:
    found: dict[str, Case] = {}
    for start in range(0, len(values), _IN_CHUNK):
        chunk = values[start : start + _IN_CHUNK]
        for case in (
            Case.objects.open()
            .filter(**{f"{field_name}__in": chunk})
            .select_related("commune")
            .only(field_name, "commune__name")
        ):
            found.setdefault(getattr(case, field_name), case)
    return found


def serialise(values: dict) -> dict:
    return {
        k: v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v
        for k, v in values.items()
    }


def deserialise(values: dict) -> dict:
    result = dict(values)
    for name in DATE_FIELDS:
        if result.get(name):
            result[name] = date.fromisoformat(result[name])
    if result.get("temperature") is not None:
        result["temperature"] = Decimal(result["temperature"])
    return result


# The job -------------------------------------------------------------------------------


def import_job_create(*, by: User, data: bytes, filename: str) -> BulkJob:
    """Check a sheet and keep the outcome as a job awaiting confirmation; no case is written."""
    report = check_sheet(data)
    if report.rows_read == 0:
        raise ValidationError(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    return BulkJob.objects.create(
        kind=IMPORT_KIND,
        commune_id=by.unit_id,
        created_by=by,
        params={
            "filename": filename[:150],
            "rows_read": report.rows_read,
            "error_columns": report.columns,
            "error_rows": report.error_rows,
        },
        items=report.items,
        total=len(report.items),
        preview_errors=report.errors,
        preview_warnings=report.warnings,
    )


def submission_key_for(job: BulkJob, row: int) -> uuid.UUID:
    return uuid.uuid5(job.uuid, f"row-{row}")


def import_one(job: BulkJob, item: dict) -> str:
    """Declare one row; a row already declared by an earlier run of the job is not redone."""
    result = case_declare(
        commune=job.commune,
        values=deserialise(item["values"]),
        entered_by=job.created_by,
        submission_key=submission_key_for(job, item["row"]),
        audit_detail={"job": job.pk, "row": item["row"]},
    )
    return result.kind


def import_item_ref(job: BulkJob, item: dict) -> str:
    return _("Dòng %(row)s") % {"row": item["row"]}


ERROR_COLUMN = "Lỗi cần sửa"


def error_rows_xlsx(job: BulkJob) -> bytes:
    """The rows of an import's sheet that had errors, as an .xlsx to fix and import again:
    the sheet's own column titles, each row's cells as the officer typed them, and a last
    column «Lỗi cần sửa» (which the import does not read) saying what to fix and where.
    Cells are written as text so that ID and phone numbers keep their leading zeros."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    text = book.add_format({"num_format": "@"})
    wrapped = book.add_format({"text_wrap": True, "font_color": "#9C0006"})
    sheet = book.add_worksheet(SHEET_NAME)
    titles = [*job.params.get("error_columns", []), ERROR_COLUMN]
    for index, title in enumerate(titles):
        sheet.write_string(0, index, title, bold)
        sheet.set_column(index, index, 40 if title == ERROR_COLUMN else 18, text)
    for offset, row in enumerate(job.params.get("error_rows", []), start=1):
        for index, value in enumerate([*row["cells"], row["errors"]]):
            if value:
                fmt = wrapped if index == len(titles) - 1 else text
                sheet.write_string(offset, index, str(value), fmt)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
