"""Excel files written row by row in xlsxwriter's constant_memory mode (memory stays flat).

Text is always written as text: a cell that begins like a formula (`=`, `+`, `-`, `@`, tab,
carriage return) gets Excel's quote prefix as well, so that even editing the cell later
does not turn it into a formula. Dates and times are real Excel dates, in local time.
Past the Excel row limit the rows continue on a new sheet with the same header.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import xlsxwriter
from django.utils import timezone

EXCEL_MAX_ROWS = 1_048_576
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PROGRESS_EVERY = 5_000
EXCEL_EPOCH = date(1899, 12, 30).toordinal()


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text | int | float | date | datetime
    width: float = 14


class SheetWriter:
    """Writes rows of `columns` to a workbook at `path`, splitting into sheets as needed."""

    def __init__(
        self,
        path: str,
        *,
        title: str,
        columns: Sequence[Column],
        rows_per_sheet: int = EXCEL_MAX_ROWS - 1,
    ):
        self.workbook = xlsxwriter.Workbook(
            path,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.title = title[:25]
        self.columns = list(columns)
        self.rows_per_sheet = rows_per_sheet
        self.header_format = self.workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E7E6E6", "border": 1}
        )
        self.quoted = self.workbook.add_format({"quote_prefix": True})
        self.date_format = self.workbook.add_format({"num_format": "dd/mm/yyyy"})
        self.datetime_format = self.workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        self.sheets = 0
        self.rows = 0
        self._sheet = None
        self._row = 0
        self._tz = timezone.get_current_timezone()
        self._cells = [self._cell_writer(c.kind) for c in self.columns]

    def _cell_writer(self, kind: str) -> Callable:
        quoted = self.quoted

        def text(sheet, r, c, value):
            if value is None or value == "":
                return
            value = str(value)
            if value.startswith(FORMULA_PREFIXES):
                sheet.write_string(r, c, value, quoted)
            else:
                sheet.write_string(r, c, value)

        def number(sheet, r, c, value):
            if value is not None and value != "":
                sheet.write_number(r, c, value)

        date_format, datetime_format, tz = self.date_format, self.datetime_format, self._tz

        # An Excel date is a number of days since 30/12/1899 shown with a date format;
        # working it out here is cheaper than xlsxwriter's general conversion.
        def day(sheet, r, c, value: date | None):
            if value is not None:
                sheet.write_number(r, c, value.toordinal() - EXCEL_EPOCH, date_format)

        def moment(sheet, r, c, value: datetime | None):
            if value is not None:
                local = value.astimezone(tz)
                serial = (
                    local.toordinal()
                    - EXCEL_EPOCH
                    + (local.hour * 3600 + local.minute * 60 + local.second) / 86400
                )
                sheet.write_number(r, c, serial, datetime_format)

        return {"text": text, "int": number, "float": number, "date": day, "datetime": moment}[kind]

    def _new_sheet(self) -> None:
        self.sheets += 1
        name = self.title if self.sheets == 1 else f"{self.title} ({self.sheets})"
        self._sheet = self.workbook.add_worksheet(name)
        for index, column in enumerate(self.columns):
            self._sheet.set_column(index, index, column.width)
            self._sheet.write_string(0, index, column.header, self.header_format)
        self._sheet.freeze_panes(1, 0)
        self._row = 1

    def write_rows(
        self, rows: Iterable[Sequence], progress: Callable[[int], None] | None = None
    ) -> int:
        """Write every row; returns how many were written (always all of them)."""
        cells = self._cells
        for values in rows:
            if self._sheet is None or self._row > self.rows_per_sheet:
                self._new_sheet()
            sheet, r = self._sheet, self._row
            for c, write in enumerate(cells):
                write(sheet, r, c, values[c])
            self._row += 1
            self.rows += 1
            if progress and self.rows % PROGRESS_EVERY == 0:
                progress(self.rows)
        if self._sheet is None:
            self._new_sheet()
        return self.rows

    def close(self) -> None:
        self.workbook.close()
