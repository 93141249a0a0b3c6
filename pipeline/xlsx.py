"""targets.xlsx: the run's tables as a workbook a Vietnamese analyst opens, filters and prints.

The CSV is the contract (SPEC §2), but Excel with a Vietnamese locale reads `6.5` as text and
`24%` as 0.24 from it. The workbook holds the same rows typed, and worded for a person rather
than a program. Each table is a sheet:

- named, headed and worded in Vietnamese from `sheet_words.toml` (looked up by the table's and
  the column's SPEC name; no word is spelled here): statuses, verdicts, kinds, types and
  comparators as a province writes them, booleans as `Có` / `Không` (a boolean cell shows
  TRUE/FALSE in one program, 1/0 or ĐÚNG/SAI in another); a code without a word stays;
- row 1 the Vietnamese headings, row 2 SPEC's column names in a small grey font (below);
- numbers are numbers; text is a string whatever it starts with (never a formula, a number
  or a link), without the characters XML cannot hold, cut at Excel's 32,767 characters;
  a number that is not finite is an empty cell;
- identifiers (`doc_id`, `sha256`, `indicator_id`, `target_doc`, `actual_doc`) in the last
  columns, what a person reads first;
- set up to print: A4 landscape, one page wide however many long, both header rows on every
  page, gridlines, the sheet's name and the page number in the footer; on screen a frozen
  header and a filter on every column. Widths come from the content: text as wide as four
  cells in five need (at most MAX_WIDTH, or more where the page has room; longer text wraps),
  numbers and `Có`/`Không` as their longest, never narrower than a heading's longest word.
  Every row is as tall as its wrapped text needs, computed here: neither Excel nor
  LibreOffice fits a row to its text on opening a file, and a row of one line would print
  its text over the next. The targets sheet's 29 columns print at half size (10-point Arial
  at 5 points in LibreOffice's PDF); the indicators sheet's 8 at nearly full size.

A table longer than a sheet (1,048,576 rows, the two header rows included) goes on in a second
one, `Chỉ tiêu (2)`, right after it.

SPEC's names in a second header row, not in a legend sheet: a program finds them in the sheet
it reads, over the column it reads (`pandas.read_excel(..., header=1)`, or row 2 with
openpyxl), with no second sheet to join and nothing to break when a Vietnamese word in the TOML
changes; a continued sheet carries them too; and every printed page shows them under the
headings, so an analyst and the person holding the CSV name a column the same way. The cost:
row 1 is no longer a program's header, and the filter buttons sit on row 2.

Written with XlsxWriter in its `constant_memory` mode, a well-kept writer that knows the page
set-up, print titles, filters, styles and escapes that SpreadsheetML spells in many places;
this module only decides what goes where. Cell by cell it costs time: XlsxWriter spends about
5 µs of Python on each cell (12.5 s for 50,000 targets on a quiet 2-core machine, where an
earlier hand-made SpreadsheetML took 1.5 s), whatever changed since the last run. So the data
rows are made into XlsxWriter's own XML when their document is encoded, kept in its fragment,
and handed to XlsxWriter's row stream when the sheet is written (xlsx_rows.py; the same bytes,
a test writes workbooks both ways); what is left is the page set-up, the header rows and the
deflate at zlib's default level. Memory stays flat: `constant_memory` is the mode that writes a
row out as the next begins (the whole workbook in memory would not be).

Rows come in order, a table at a time or several side by side (outputs.py fills the targets
and actuals sheets together). XlsxWriter takes rows of several sheets interleaved in
`constant_memory` mode (tried), but each row's height needs the column widths, which need
every row; it puts sheets in the order they were added and cannot move one, so a continued
`Chỉ tiêu (2)` would land after every other sheet; and it has no public way to give up a
half-written workbook. So each sheet keeps its rows, already turned into cell values and their
XML, in a temporary file of its own (marshal, a document's rows at a time) and `close()` writes
the sheets one after another; `abandon()` only deletes the temporary files.

The same rows give the same bytes: a fixed creation date in the properties, XlsxWriter's fixed
zip timestamps, inline strings (no shared-strings table).
"""
from __future__ import annotations

import marshal
import re
import tempfile
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import BinaryIO

import xlsxwriter
import xlsxwriter.exceptions

from .schema import Field
from .writers import finite_or_none
from .xlsx_rows import RowWriter, available, column_letters, forget_height, row_body, row_lines, write_cells

# Excel's limit; a table longer than this goes on into a second sheet ("Chỉ tiêu (2)").
MAX_ROWS = 1_048_576
HEADER_ROWS = 2  # the Vietnamese headings, then SPEC's names
MAX_SHEET_NAME = 31
MAX_CELL_CHARS = 32_767  # a cell's text is cut there
# Widths in characters (Sheet.widths): MAX_WIDTH keeps a table of 29 columns printable on one
# page's width at half size, text longer than it wraps; a sheet with room on its page widens
# its wrapped columns up to WIDEST.
MIN_WIDTH, MAX_WIDTH, WIDEST = 4, 14, 60
# A4 landscape between the margins, and a column, in pixels at 96 dpi (a width of w is
# w digits of 7 pixels and 5 of padding): the widths that print at full size.
PAGE_PIXELS, DIGIT_PIXELS, PADDING_PIXELS = 1045, 7, 5
FONT = {"font_name": "Arial", "font_size": 10}  # LibreOffice has its metrics (Liberation Sans)
LINE_HEIGHT = 12.75  # points, a line of it
# Characters of it a line of a column holds, per unit of width (a digit's width): measured on
# Vietnamese text in LibreOffice's PDF; bold holds about a tenth fewer.
CHARS_PER_WIDTH, BOLD_CHARS_PER_WIDTH = 1.1, 1.0
MAX_ROW_HEIGHT = 409  # points, Excel's limit
# Identifier columns (SPEC names): written last, after everything a person reads.
ID_COLUMNS = ("doc_id", "sha256", "indicator_id", "target_doc", "actual_doc")
# A fixed date in the properties, so that the same rows give the same bytes.
CREATED = datetime(2024, 1, 1, tzinfo=timezone.utc)
# Characters XML 1.0 cannot hold (and lone surrogates, which UTF-8 cannot): a cell drops them
# rather than make the file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_OPTIONS = {
    "constant_memory": True,
    # text is text: XlsxWriter would otherwise turn '=…' into a formula and 'http…' into a link
    "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
}
_GREY_BORDER = {"border": 1, "border_color": "#BFBFBF"}
_FORMATS = {
    "heading": {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F0F0F0", **_GREY_BORDER},
    "spec": {"font_size": 8, "font_color": "#7F7F7F", "valign": "top", "bg_color": "#F0F0F0", "shrink": True,
             **_GREY_BORDER},
    "text": {"text_wrap": True, "valign": "top"},
    "number": {"valign": "top"},
}


# ---------------------------------------------------------------------------- the words


@dataclass(frozen=True)
class SheetWords:
    """A table's sheet in the analyst's words (sheet_words.toml); a code without a word stays."""

    title: str
    headings: dict[str, str]  # SPEC column name → heading
    values: dict[str, dict[str, str]]  # SPEC column name → {code: word}
    yes: str
    no: str
    page: str  # the footer's word before the page number

    def heading(self, column: str) -> str:
        return self.headings.get(column, column)


@cache
def _vocabulary() -> dict:
    with (Path(__file__).parent / "sheet_words.toml").open("rb") as f:
        return tomllib.load(f)


@cache
def sheet_words(table: str) -> SheetWords:
    words = _vocabulary()
    values = dict(words["values"]) | words.get("sheet_values", {}).get(table, {})
    return SheetWords(title=words["titles"].get(table, table), headings=words["headings"].get(table, {}),
                      values=values, yes=words["booleans"]["true"], no=words["booleans"]["false"],
                      page=words["print"]["page"])


def sheet_columns(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """A table's columns in the sheet's order: SPEC's, with the identifiers moved to the end."""
    return (*(f for f in fields if f.name not in ID_COLUMNS), *(f for f in fields if f.name in ID_COLUMNS))


# ---------------------------------------------------------------------------- the workbook


class Workbook:
    """An .xlsx file written into `file` (any seekable binary file); `sheet()` adds a table."""

    def __init__(self, file: BinaryIO):
        self._file = file
        self._sheets: list[Sheet] = []
        self._closed = False

    def sheet(self, name: str, fields: tuple[Field, ...]) -> "Sheet":
        """A sheet of the table `name` with SPEC's `fields`, worded for an analyst (sheet_words.toml)."""
        sheet = Sheet(name, fields)
        self._sheets.append(sheet)
        return sheet

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            # XlsxWriter's temporary files (a row's cells, each part of the file) go in here
            with tempfile.TemporaryDirectory(prefix="chitieu-xlsx-", ignore_cleanup_errors=True) as tmp:
                # a copy of FONT: XlsxWriter adds to the dict it is given
                book = xlsxwriter.Workbook(self._file, _OPTIONS | {"tmpdir": tmp,
                                                                   "default_format_properties": dict(FONT)})
                book.set_properties({"title": "chitieu", "created": CREATED})
                # no font scheme: the theme's font (Calibri) would stand in for Arial in Excel
                formats = {name: book.add_format(properties | {"font_scheme": "none"})
                           for name, properties in _FORMATS.items()}
                for sheet in self._sheets:
                    sheet.write_into(book, formats)
                try:
                    book.close()
                except xlsxwriter.exceptions.FileCreateError as error:
                    # XlsxWriter wraps the OSError (a full disk): the run reports it as one
                    if error.args and isinstance(error.args[0], OSError):
                        raise error.args[0] from None
                    raise
        finally:
            for sheet in self._sheets:
                sheet.discard()

    def abandon(self) -> None:
        """Give the file up unwritten (an interrupted run: its staged file is deleted)."""
        self._closed = True
        for sheet in self._sheets:
            sheet.discard()


class Sheet:
    """One table: records written in order (`write`), kept as cell values until the workbook
    is closed."""

    def __init__(self, name: str, fields: tuple[Field, ...]):
        self.name = name
        self.words = sheet_words(name)
        self.columns = sheet_columns(fields)
        self._buffer = tempfile.TemporaryFile()
        self._cells = [self._cell_maker(f) for f in self.columns]
        # widths: the longest word of a heading, and of a column's words for its codes, fits;
        # the cells' lengths widen the column from there
        self._least = [max([MIN_WIDTH, *(len(w) + 1 for w in self.words.heading(f.name).split()),
                            *(len(w) + 1 for v in self.words.values.get(f.name, {}).values() for w in v.split())])
                       for f in self.columns]
        self._text = [f.type == "string" for f in self.columns]
        self._numeric = [f.type in ("number", "integer") for f in self.columns]
        self._letters = column_letters(len(self.columns))
        self._lengths = [[0] * (WIDEST + 1) for _ in self.columns]  # cells of each length, capped

    def _cell_maker(self, field: Field):
        """The function from a record's value to the cell's value: a float, a string or None."""
        if field.type in ("number", "integer"):
            return finite_or_none
        if field.type == "boolean":
            yes, no = self.words.yes, self.words.no
            return lambda value: yes if value else no
        words = self.words.values.get(field.name, {})

        def text(value) -> str | None:
            value = str(value)
            value = words.get(value, value)
            if not value.isprintable():  # most cells are: no character XML refuses in them
                value = _NOT_XML.sub("", value)
            if len(value) > MAX_CELL_CHARS // 2:  # Excel counts UTF-16 units
                value = value.encode("utf-16-le")[:2 * MAX_CELL_CHARS].decode("utf-16-le", "ignore")
            return value or None
        return text

    def write(self, records: Iterable[dict]) -> None:
        self.write_encoded(*self.encode(records))

    def encode(self, records: Iterable[dict]) -> tuple[bytes, list[list[int]]]:
        """The records' cell values (marshal), and the cell lengths they add to the column
        widths as [column, length, count]: what `write_encoded` takes, so that a document's rows
        kept from an earlier run go in without being made into cells again."""
        rows = []
        columns = [(f.name, make, {}) for f, make in zip(self.columns, self._cells)]
        for record in records:
            row = []
            for name, make, counts in columns:
                value = record.get(name)
                if value is not None:
                    value = make(value)
                    if value is not None:
                        width = len(value) if type(value) is str else len(f"{value:.15g}") + 1
                        width = width if width < WIDEST else WIDEST
                        counts[width] = counts.get(width, 0) + 1
                row.append(value)
            rows.append(tuple(row))
        lengths = [[column, width, count] for column, (_, _, counts) in enumerate(columns)
                   for width, count in counts.items()]
        bodies = [row_body(row, self._letters, self._numeric) for row in rows]
        return (marshal.dumps((rows, bodies)) if rows else b""), lengths

    def write_encoded(self, rows: bytes, lengths: list[list[int]]) -> None:
        for column, width, count in lengths:
            self._lengths[column][width] += count
        if rows:
            # marshal.load reads a file in small pieces; a chunk's length first lets it read once
            self._buffer.write(len(rows).to_bytes(8, "little"))
            self._buffer.write(rows)

    def widths(self) -> list[int]:
        """Each column's width in characters: for text the length four cells in five fit in (the
        longer ones wrap), for numbers and booleans the longest cell's; never under the longest
        word of its heading or of its codes' words, never over MAX_WIDTH. Where the page has
        room for more at full size, the columns whose longest cells wrap share it, up to what
        those need (at most WIDEST)."""
        widths, longest = [], []
        for counts, least, text in zip(self._lengths, self._least, self._text):
            cells = sum(counts)
            length = max((n for n, count in enumerate(counts) if count), default=0)
            longest.append(max(least, length + 1))
            if cells and text:
                enough, seen = cells * 0.8, 0
                for length, count in enumerate(counts):
                    seen += count
                    if seen >= enough:
                        break
            widths.append(min(MAX_WIDTH, max(least, length + 1)))
        room = (PAGE_PIXELS - PADDING_PIXELS * len(widths)) / DIGIT_PIXELS - sum(widths)
        cut = sum(need - width for need, width in zip(longest, widths))
        if room > 0 and cut:
            share = min(1.0, room / cut)
            widths = [width + int((need - width) * share) for need, width in zip(longest, widths)]
        return widths

    def _rows(self) -> Iterator[tuple[tuple, str | None]]:
        """Each row's cell values, and its cells as XML (xlsx_rows.row_body)."""
        self._buffer.seek(0)
        while length := self._buffer.read(8):
            rows, bodies = marshal.loads(self._buffer.read(int.from_bytes(length, "little")))
            yield from zip(rows, bodies)

    def write_into(self, book: xlsxwriter.Workbook, formats: dict) -> None:
        """The sheet (and its continuations) into `book`, a row at a time."""
        kinds = [formats["number"] if f.type in ("number", "integer") else formats["text"] for f in self.columns]
        widths = self.widths()
        # what a line of each text column holds, in characters (None: numbers and Có/Không never wrap)
        wrapping = [(column, widths[column] * CHARS_PER_WIDTH) for column, text in enumerate(self._text) if text]
        worksheet, row, part, rows = None, 0, 0, None
        tall = None  # the last row given a height, until a later row's first cell writes it out
        for values, body in self._rows():
            if worksheet is None or row == MAX_ROWS:
                if worksheet is not None:
                    if rows is not None:
                        rows.flush()
                    self._finish_worksheet(worksheet, row)
                part, tall = part + 1, None
                worksheet, row = self._new_worksheet(book, formats, widths, part), HEADER_ROWS
                rows = RowWriter(worksheet, formats["text"], formats["number"]) if available(worksheet) else None
            # a row's height before its cells (constant_memory): neither Excel nor LibreOffice
            # fits a row to its wrapped text on opening the file
            lines = 1
            for column, holds in wrapping:
                value = values[column]
                if value is not None and len(value) > holds:
                    lines = max(lines, row_lines(value, holds))
            height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines) if lines > 1 else None
            if rows is not None and body is not None:  # the row made when its document was encoded
                rows.write_row(row, body, height)
                written = bool(body)
            else:
                if rows is not None:
                    rows.flush()  # the rows before this one, which XlsxWriter writes itself
                if height is not None:
                    worksheet.set_row(row, height)
                written = write_cells(worksheet, row, values, kinds)
            if written and tall is not None:  # that row is in the file now
                forget_height(worksheet, tall)
                tall = None
            if height is not None and (rows is None or body is None):
                tall = row
            row += 1
        if rows is not None:
            rows.flush()
        if worksheet is None:  # a table without rows is still a sheet with its headings
            worksheet, row = self._new_worksheet(book, formats, widths, 1), HEADER_ROWS
        self._finish_worksheet(worksheet, row)

    def _new_worksheet(self, book: xlsxwriter.Workbook, formats: dict, widths: list[int], part: int):
        suffix = f" ({part})" if part > 1 else ""
        worksheet = book.add_worksheet(self.words.title[:MAX_SHEET_NAME - len(suffix)] + suffix)
        headings = [self.words.heading(f.name) for f in self.columns]
        for column, width in enumerate(widths):
            worksheet.set_column(column, column, width)
        # constant_memory: a row's height is set before its cells are written
        lines = max(row_lines(heading, width * BOLD_CHARS_PER_WIDTH) for heading, width in zip(headings, widths))
        worksheet.set_row(0, LINE_HEIGHT * lines)
        for column, heading in enumerate(headings):  # rows in order: constant_memory writes a row out
            worksheet.write_string(0, column, heading, formats["heading"])  # when the next begins
        for column, field in enumerate(self.columns):
            worksheet.write_string(1, column, field.name, formats["spec"])
        worksheet.freeze_panes(HEADER_ROWS, 0)
        worksheet.repeat_rows(0, HEADER_ROWS - 1)
        worksheet.set_landscape()
        worksheet.set_paper(9)  # A4
        worksheet.fit_to_pages(1, 0)  # one page wide, as many long as it takes
        worksheet.hide_gridlines(0)  # printed too
        worksheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        page = self.words.page.replace("&", "&&")
        worksheet.set_footer(f"&L&A&R{page} &P / &N")
        return worksheet

    def _finish_worksheet(self, worksheet, rows: int) -> None:
        """`rows` written, the header rows included."""
        # the filter from SPEC's names down, so that sorting never moves the header rows
        worksheet.autofilter(HEADER_ROWS - 1, 0, rows - 1, len(self.columns) - 1)

    def discard(self) -> None:
        self._buffer.close()


def workbook_bytes(tables: Iterable[tuple[str, tuple[Field, ...], Iterable[dict]]]) -> bytes:
    """A whole workbook in memory, one sheet per (name, fields, records): for small tables."""
    import io

    buffer = io.BytesIO()
    book = Workbook(buffer)
    for name, fields, records in tables:
        book.sheet(name, fields).write(records)
    book.close()
    return buffer.getvalue()
