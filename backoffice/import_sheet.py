"""Reading an officer's own sheet: merged cells filled, the header row found, blank and total
rows left out, every row kept with the number Excel shows for it.

Officers' sheets are not flat grids: a village or a test place is merged over the rows of one
household, a title sits above the header, a total row closes the list. The workbook is read
in openpyxl's streaming (read-only) mode, which does not expose merged ranges, so they are
read first from the sheet's own XML (`<mergeCell ref="H2:H4"/>`). A full load would give
them, but it builds every cell before the row limit can refuse a huge sheet, and on a
sheet of 5,000 rows takes twice the CPU time (1.4 s against 0.7 s) and three to four times
the memory (25 MB against 7 MB).
"""

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils.cell import range_boundaries
from openpyxl.xml.functions import fromstring

from backoffice.import_columns import (
    COLUMNS,
    HEADER_SEARCH_ROWS,
    MAX_BYTES,
    MAX_MERGED_RANGES,
    MAX_ROWS,
    SHEET_NAME,
    Column,
    column_for_title,
    is_row_number_title,
    is_total_label,
)

# A real workbook of 5,000 rows unpacks to a few megabytes; more is a zip bomb.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# A merged range is filled into at most this many columns: a title merged over the whole
# width (A1:XFD1) must not make every row 16,384 cells long.
MAX_FILLED_COLUMNS = 200


@dataclass
class Sheet:
    """The rows of the import sheet under its header.

    columns: zero-based column index -> Column, titled as in the officer's sheet.
    rows: (row number as Excel shows it, cell values with merged ranges filled in).
    notes: (row number, message) of rows left out that the officer should know of.
    """

    columns: dict[int, Column]
    rows: list[tuple[int, tuple]] = field(default_factory=list)
    header_row: int = 1
    notes: list[tuple[int | None, str]] = field(default_factory=list)


def issue(row: int | None, message: str, column: Column | None = None) -> dict:
    """One problem, with its text naming the row and the column as the officer sees them."""
    if row is None:
        text = message
    elif column is None:
        text = _("Dòng %(row)s: %(message)s") % {"row": row, "message": message}
    else:
        text = _("Dòng %(row)s, cột «%(column)s»: %(message)s") % {
            "row": row,
            "column": column.header,
            "message": message,
        }
    return {
        "row": row,
        "column": column.header if column else "",
        "message": message,
        "text": text,
    }


def check_xlsx(data: bytes) -> None:
    """Refuse anything that is not a reasonable .xlsx workbook, before openpyxl sees it."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("Tệp lớn hơn 5 MB; vui lòng chia thành nhiều tệp."))
    if not data.startswith(b"PK\x03\x04"):
        raise ValidationError(
            _("Tệp không phải bảng tính Excel .xlsx. Vui lòng dùng tệp mẫu và lưu dạng .xlsx.")
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ValidationError(_("Tệp .xlsx bị hỏng, không mở được.")) from None
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise ValidationError(
            _("Tệp không phải bảng tính Excel .xlsx. Vui lòng dùng tệp mẫu và lưu dạng .xlsx.")
        )
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(_("Tệp .xlsx quá lớn khi giải nén; vui lòng chia thành nhiều tệp."))


class HeaderNotFound(ValidationError):
    """No header row, or one missing a required column, in a sheet's first rows.

    found: how many columns the best header row named (0: none).
    """

    def __init__(self, message: str, found: int = 0):
        super().__init__(message)
        self.found = found


def read_sheet(data: bytes) -> Sheet:
    """The import sheet of an .xlsx file, read for checking.

    The sheet is "Danh sách" (the template's), else the first sheet, in the workbook's order,
    with a header row: a commune's workbook may open on a summary or a notes sheet.
    Raises ValidationError (Vietnamese) for a file that is not a workbook, no sheet with a
    recognisable header row among its first HEADER_SEARCH_ROWS rows (the problem of the
    sheet whose header named most columns is told: no header, or the required columns it
    lacks), and a sheet of more than MAX_ROWS data rows.
    """
    from openpyxl import load_workbook

    check_xlsx(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ValidationError(_("Tệp .xlsx bị hỏng, không mở được.")) from None
    try:
        sheets = [book[SHEET_NAME]] if SHEET_NAME in book.sheetnames else book.worksheets
        if not sheets:
            raise ValidationError(_("Tệp không có trang bảng tính nào."))
        problems = []
        for sheet in sheets:
            try:
                return _read(data, sheet)
            except HeaderNotFound as problem:
                problems.append((problem.found, sheet.title, problem.messages[0]))
        # Told of the sheet that came closest to a list; the first one if none named a column.
        _found, title, message = max(problems, key=lambda p: p[0])
        if len(sheets) > 1:
            message = _("Trang «%(sheet)s»: %(problem)s") % {"sheet": title, "problem": message}
        raise ValidationError(message)
    finally:
        book.close()


def _read(data: bytes, sheet) -> Sheet:
    """The rows of one sheet under its header (see read_sheet)."""
    try:
        merged = merged_ranges(data, sheet.title)
    except ValidationError:
        raise
    except Exception:  # malformed XML or relationships, as openpyxl's own opening above
        raise ValidationError(_("Tệp .xlsx bị hỏng, không mở được.")) from None
    filler = MergeFiller(merged)
    # The size a sheet states for itself is wrong in files some programs write; read it
    # to its last row rather than lose the rows past the stated end.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    # Rows are numbered from 1 as Excel shows them: openpyxl yields the missing ones empty.
    head = []
    for number, values in enumerate(rows, start=1):
        head.append((number, values, filler.fill(number, values)))
        if number == HEADER_SEARCH_ROWS:
            break
    result = _find_header(head)
    if any(_is_filled(v) for _n, own, _v in head[: result.header_row - 1] for v in own):
        result.notes.insert(
            0,
            (
                result.header_row,
                _("Đây là dòng tiêu đề; các dòng phía trên không được nhập."),
            ),
        )
    width = max(result.columns) + 1
    # A total's label is written in the first columns, up to the names; further right a
    # village or a test place may well be called "Cộng Hòa".
    label_width = 1 + next(i for i, c in result.columns.items() if c.field == "full_name")
    following = ((n, v, filler.fill(n, v)) for n, v in enumerate(rows, start=len(head) + 1))
    for number, own, values in chain(head[result.header_row :], following):
        if not any(_is_filled(own[i]) for i in result.columns if i < len(own)):
            # Blank, or filled only by a range merged over it from the rows above.
            continue
        values = values[:width]
        if any(isinstance(v, str) and is_total_label(v) for v in values[:label_width]):
            result.notes.append((number, _("Dòng tổng cộng, đã bỏ qua.")))
            continue
        if len(result.rows) >= MAX_ROWS:
            raise ValidationError(
                _("Tệp có hơn %(max)s dòng dữ liệu; vui lòng chia thành nhiều tệp.")
                % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        result.rows.append((number, values))
    return result


def formula_errors(values: tuple, columns: dict[int, Column]) -> dict[str, str]:
    """The cells that show a formula's error (#N/A, #REF!, ...) instead of a value.

    Returns field -> message. Such a cell would otherwise be read as text, a village called
    "#N/A".
    """
    found = {}
    for index, column in columns.items():
        value = values[index] if index < len(values) else None
        if isinstance(value, str) and value.strip() in ERROR_CODES:
            found[column.field] = _(
                "Ô này báo lỗi công thức (%(error)s), không đọc được; ghi giá trị thay cho "
                "công thức."
            ) % {"error": value.strip()}
    return found


def _is_filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _find_header(head: list[tuple[int, tuple, tuple]]) -> Sheet:
    """The header is the row among the first ones whose titles name the most columns.

    A tie goes to the upper row. Titles are matched by import_columns.column_for_title; a
    title it does not know is tried again with the title above it, for a header on two rows
    ("Xét nghiệm" merged over "Loại" and "Nơi"). A title that names a column already found
    is left out (a header merged over two columns).
    """
    best: tuple[int, dict[int, Column], list] | None = None
    above: tuple = ()
    for number, _own, values in head:
        columns: dict[int, Column] = {}
        unknown = []
        for index, cell in enumerate(values):
            if not _is_filled(cell):
                continue
            title = " ".join(str(cell).split())
            column = column_for_title(title)
            group = " ".join(str(above[index]).split()) if index < len(above) else ""
            if column is None and _is_filled(group) and group != title:
                column = column_for_title(f"{title} {group}") or column_for_title(
                    f"{group} {title}"
                )
                if column is not None:
                    title = f"{title} ({group})"
            if column is None:
                if not is_row_number_title(title) and title not in unknown:
                    unknown.append(title)  # once, if merged over several columns
            elif all(found.field != column.field for found in columns.values()):
                columns[index] = replace(column, header=title)
        if columns and (best is None or len(columns) > len(best[1])):
            best = (number, columns, unknown)
        above = values
    if best is None:
        raise HeaderNotFound(
            _(
                "Không tìm thấy dòng tiêu đề trong %(rows)s dòng đầu của bảng tính. Vui lòng "
                "dùng tệp mẫu và giữ nguyên dòng tiêu đề."
            )
            % {"rows": HEADER_SEARCH_ROWS}
        )
    number, columns, unknown = best
    found = {column.field for column in columns.values()}
    missing = [c.header for c in COLUMNS if c.required and c.field not in found]
    if missing:
        raise HeaderNotFound(
            _(
                "Dòng tiêu đề (dòng %(row)s) thiếu cột: %(columns)s. Vui lòng dùng tệp mẫu "
                "và giữ nguyên dòng tiêu đề."
            )
            % {"row": number, "columns": ", ".join(f"«{h}»" for h in missing)},
            found=len(columns),
        )
    notes: list[tuple[int | None, str]] = []
    if unknown:
        notes.append(
            (
                number,
                _("Các cột không có trong mẫu, không được nhập: %(columns)s.")
                % {"columns": ", ".join(f"«{t}»" for t in unknown)},
            )
        )
    return Sheet(columns=columns, header_row=number, notes=notes)


# Merged ranges -------------------------------------------------------------------------


@dataclass(frozen=True)
class MergedRange:
    """Rows numbered from 1, columns from 0 (the index into a row's values), inclusive."""

    min_row: int
    max_row: int
    min_col: int
    max_col: int


class MergeFiller:
    """Gives each cell of a merged range the value of its top-left cell, row after row.

    Rows must be passed in order, from 1, each once; only the ranges over the current row
    are held.
    """

    def __init__(self, ranges: list[MergedRange]):
        self._waiting = sorted(ranges, key=lambda r: r.min_row, reverse=True)
        self._active: list[tuple[MergedRange, Any]] = []

    def fill(self, number: int, values: tuple) -> tuple:
        self._active = [(r, v) for r, v in self._active if r.max_row >= number]
        while self._waiting and self._waiting[-1].min_row <= number:
            merged = self._waiting.pop()
            if merged.min_row == number and merged.max_row >= number:
                top_left = values[merged.min_col] if merged.min_col < len(values) else None
                self._active.append((merged, top_left))
        if not self._active:
            return values
        filled = list(values)
        for merged, value in self._active:
            last = min(merged.max_col, MAX_FILLED_COLUMNS - 1)
            if last >= len(filled):
                filled.extend([None] * (last + 1 - len(filled)))
            for index in range(merged.min_col, last + 1):
                filled[index] = value
        return tuple(filled)


def merged_ranges(data: bytes, title: str) -> list[MergedRange]:
    """The merged ranges of the sheet named `title`, read from the workbook's XML.

    The sheet's part is found through xl/workbook.xml and its relationships (ECMA-376 part 1,
    §18.2.20 sheet); tags are compared by local name so that both the transitional and the
    strict namespaces are read. A `<mergeCell ref="H2:H4"/>` (§18.3.1.55) is a flat element
    with one attribute, in a `<mergeCells>` list after all the rows: the part is scanned as
    bytes for that list and only the list is read (0.03 s of CPU for 5,000 rows, where
    parsing every cell again takes 0.16 s). Raises ValidationError for more than
    MAX_MERGED_RANGES ranges.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = _sheet_part(archive, title)
        if part is None:
            return []
        listing = _merge_list(archive, part)
    refs = _MERGE_CELL.findall(listing)
    if len(refs) > MAX_MERGED_RANGES:
        raise ValidationError(_("Bảng tính có quá nhiều ô gộp; vui lòng bỏ gộp ô rồi tải lên lại."))
    ranges = []
    for ref in refs:
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii"))
        ranges.append(MergedRange(min_row, max_row, min_col - 1, max_col - 1))
    return ranges


_MERGE_LIST_START = re.compile(rb"<(?:[\w.-]+:)?mergeCells[\s>/]")
_MERGE_LIST_END = re.compile(rb"</(?:[\w.-]+:)?mergeCells\s*>")
_MERGE_CELL = re.compile(
    rb"<(?:[\w.-]+:)?mergeCell\s[^>]*?\bref\s*=\s*[\"']([A-Z]{1,3}[0-9]+(?::[A-Z]{1,3}[0-9]+)?)[\"']"
)
_MERGE_CELL_BYTES = 64  # generous size of one <mergeCell ref="..."/>


def _merge_list(archive: zipfile.ZipFile, part: str) -> bytes:
    """The bytes of the sheet's <mergeCells> list, b"" if it has none."""
    limit = MAX_MERGED_RANGES * _MERGE_CELL_BYTES
    found: list[bytes] = []
    size = 0
    tail = b""
    with archive.open(part) as source:
        while chunk := source.read(1 << 16):
            window = tail + chunk
            tail = window[-32:]  # a tag cut between two chunks is found in the next window
            if not found:
                if start := _MERGE_LIST_START.search(window):
                    found.append(window[start.start() :])
                    size = len(found[0])
            else:
                found.append(chunk)
                size += len(chunk)
            if found and _MERGE_LIST_END.search(window if len(found) > 1 else found[0]):
                break
            if size > limit:
                raise ValidationError(
                    _("Bảng tính có quá nhiều ô gộp; vui lòng bỏ gộp ô rồi tải lên lại.")
                )
    return b"".join(found)


def _sheet_part(archive: zipfile.ZipFile, title: str) -> str | None:
    workbook = fromstring(archive.read("xl/workbook.xml"))
    relation = None
    for element in workbook.iter():
        if _local(element.tag) == "sheet" and element.get("name") == title:
            relation = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            break
    try:
        relations = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return None
    for element in relations.iter():
        if _local(element.tag) == "Relationship" and element.get("Id") == relation:
            target = element.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            part = posixpath.normpath(part)
            return part if part in archive.namelist() else None
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
