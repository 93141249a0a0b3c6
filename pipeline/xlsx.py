"""targets.xlsx: the output tables as an Excel workbook, for people who open data in Excel.

The CSV is the contract (SPEC §2), but Excel with a Vietnamese locale reads `6.5` as text and
`24%` as 0.24 from it. The workbook holds the same rows typed: numbers are numbers, booleans
are booleans, text is text (never a formula, a number or a link, whatever it starts with). Each
table is a sheet with a frozen header, filters and column widths from its content.

Written with xlsxwriter in constant-memory mode: a row goes to disk as soon as it is written,
so memory stays flat however many targets there are. Rows must come in order, sheet by sheet
(sheets may be filled side by side). The same rows give the same bytes.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import BinaryIO

from .schema import Field
from .writers import finite_or_none

# Excel's limit; a table longer than this goes on into a second sheet ("targets (2)").
MAX_ROWS = 1_048_576
MAX_CELL_CHARS = 32_767
# Widths in characters: at least the header, at most this, from the longest cell seen.
MIN_WIDTH, MAX_WIDTH = 6, 60
NUMBER_WIDTH = 12
# A fixed creation date, so that the same rows give the same bytes.
CREATED = datetime.datetime(2024, 1, 1)


class Workbook:
    """An .xlsx file written into `file` (any seekable binary file); `sheet()` adds a table."""

    def __init__(self, file: BinaryIO):
        import xlsxwriter  # imported here: only a run that writes outputs needs it

        self._book = xlsxwriter.Workbook(file, {
            "constant_memory": True,
            # text is text: nothing in a cell turns into a formula, a number or a link
            "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
        })
        self._book.set_properties({"created": CREATED, "title": "chitieu"})
        self._header = self._book.add_format({"bold": True, "bg_color": "#F0F0F0", "bottom": 1})
        self._sheets: list[Sheet] = []
        self._closed = False

    def sheet(self, name: str, fields: tuple[Field, ...]) -> Sheet:
        sheet = Sheet(self, name, fields)
        self._sheets.append(sheet)
        return sheet

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for sheet in self._sheets:
            sheet.finish()
        from xlsxwriter.exceptions import FileCreateError

        try:
            self._book.close()
        except FileCreateError as error:  # a full disk says so as an OSError, as other writers do
            cause = error.args[0] if error.args else None
            raise cause if isinstance(cause, OSError) else error from None

    def abandon(self) -> None:
        """Give the file up unwritten (an interrupted run: its staged file is deleted)."""
        self._closed = True
        self._book.fileclosed = True  # or xlsxwriter would try to write it when collected


class Sheet:
    """One table: a header row, then records written in order (`write`)."""

    def __init__(self, book: Workbook, name: str, fields: tuple[Field, ...]):
        self._book, self.name, self.fields = book, name, fields
        self._widths = [max(MIN_WIDTH, len(f.name) + 3) for f in fields]  # room for the filter arrow
        self._parts: list = []
        self._new_part()

    def _new_part(self) -> None:
        number = len(self._parts) + 1
        title = self.name if number == 1 else f"{self.name} ({number})"
        worksheet = self._book._book.add_worksheet(title[:31])
        for column, field in enumerate(self.fields):
            worksheet.write_string(0, column, field.name, self._book._header)
        worksheet.freeze_panes(1, 0)
        self._parts.append(worksheet)
        self._row = 1

    def write(self, records: Iterable[dict]) -> None:
        for record in records:
            if self._row >= MAX_ROWS:
                self._new_part()
            self._write_row(self._parts[-1], self._row, record)
            self._row += 1

    def _write_row(self, worksheet, row: int, record: dict) -> None:
        for column, field in enumerate(self.fields):
            value = record.get(field.name)
            if value is None:
                continue
            if field.type in ("number", "integer"):
                number = finite_or_none(value)
                if number is not None:
                    worksheet.write_number(row, column, number)
                    self._widths[column] = max(self._widths[column], NUMBER_WIDTH)
            elif field.type == "boolean":
                worksheet.write_boolean(row, column, bool(value))
            else:
                text = str(value)[:MAX_CELL_CHARS]
                worksheet.write_string(row, column, text)
                if len(text) > self._widths[column]:
                    self._widths[column] = min(MAX_WIDTH, len(text) + 1)

    def finish(self) -> None:
        """Filters over every written row and the column widths (set last: they need every row)."""
        for number, worksheet in enumerate(self._parts, 1):
            last = (self._row if number == len(self._parts) else MAX_ROWS) - 1
            worksheet.autofilter(0, 0, max(last, 0), len(self.fields) - 1)
            for column, width in enumerate(self._widths):
                worksheet.set_column(column, column, width)


def workbook_bytes(tables: Iterable[tuple[str, tuple[Field, ...], Iterable[dict]]]) -> bytes:
    """A whole workbook in memory, one sheet per (name, fields, records): for small tables."""
    import io

    buffer = io.BytesIO()
    book = Workbook(buffer)
    for name, fields, records in tables:
        book.sheet(name, fields).write(records)
    book.close()
    return buffer.getvalue()
