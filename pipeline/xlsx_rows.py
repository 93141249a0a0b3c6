"""A sheet's data rows as SpreadsheetML made here, a document at a time, and handed to
XlsxWriter's row stream as it writes the workbook (issue 24).

XlsxWriter spends about 5 µs of Python on each cell: 25 s for the 10,000 small documents of
`bench.large`, whatever changed. A row's cells do not depend on the rest of the batch: only its
number, its height (from the column widths, known when every row is in) and the two cell
styles' indices (known when the workbook is written) do. So each row's cells are made once
into XML with placeholders for those (`row_body`, kept in a document's fragment), and when the
sheet is written each row becomes its number, its height and the body with the placeholders
filled (`write_row`): a few string replacements in C, not 29 cell objects.

The XML is XlsxWriter's own, to the byte (the test compares whole workbooks written both ways):
its cell forms in `constant_memory` mode (inline strings, `.16G` numbers), its escapes (the
functions it uses itself, imported), its row heights (pixels, then points). A row is written
into the worksheet's row stream the way XlsxWriter writes one, after the row before is out.
Where that stream is not there (another XlsxWriter), `available` says so and the sheet is
written cell by cell as before.
"""
from __future__ import annotations

import math
from functools import lru_cache

from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name
from xlsxwriter.xmlwriter import XMLwriter

# Placeholders in a row's body: no cell holds them (xlsx._NOT_XML takes them out of every text).
ROW, TEXT_STYLE, NUMBER_STYLE = "\x00", "\x01", "\x02"
BLOCK_ROWS = 1024  # rows written into the stream at once
_XML = XMLwriter()


def column_letters(count: int) -> list[str]:
    return [xl_col_to_name(column) for column in range(count)]


def row_body(values: tuple, letters: list[str], numeric: list[bool]) -> str | None:
    """The row's cells as XlsxWriter writes them, with placeholders for the row's number and the
    styles; None for a row XlsxWriter must write itself (a text it takes for a rich string)."""
    cells = []
    for column, value in enumerate(values):
        if value is None:
            continue
        style = NUMBER_STYLE if numeric[column] else TEXT_STYLE
        if type(value) is float:
            cells.append(f'<c r="{letters[column]}{ROW}" s="{style}"><v>{value:.16G}</v></c>')
            continue
        text = XMLwriter._escape_control_characters(value)
        if text.startswith("<r>") and text.endswith("</r>"):
            return None
        preserve = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
        cells.append(f'<c r="{letters[column]}{ROW}" s="{style}" t="inlineStr"><is><t{preserve}>'
                     f'{_XML._escape_data(text)}</t></is></c>')
    return "".join(cells)


def available(worksheet) -> bool:
    """Whether the worksheet has the row stream `write_row` writes into (XlsxWriter 3's
    `constant_memory` mode)."""
    return all(hasattr(worksheet, name) for name in
               ("_write_single_row", "_check_dimensions", "previous_row", "fh", "default_row_height",
                "original_row_height"))


class RowWriter:
    """Rows into one worksheet's stream, each after the row before is out: gathered a block at a
    time (one write, one replacement of the style placeholders); `flush` before XlsxWriter writes
    a row itself, and at the sheet's end."""

    def __init__(self, worksheet, text_format, number_format):
        self.worksheet = worksheet
        self._styles = {TEXT_STYLE: text_format, NUMBER_STYLE: number_format}
        self._indices: dict[str, str] = {}  # placeholder → style index, given in the order XlsxWriter gives them
        self._block: list[str] = []
        self._last = 0  # the block's last row

    def write_row(self, row: int, body: str, height: float | None) -> None:
        """Row `row` (0-based) with the cells of `body` and, if any, `height` in points."""
        if not body:
            return  # XlsxWriter writes no row without cells or a height of its own
        sheet = self.worksheet
        if not self._block and row > sheet.previous_row:
            sheet._write_single_row(row)  # the row before, if XlsxWriter holds one
        pixels = sheet.default_row_height if height is None else int(height * 4.0 / 3.0 + 0.5)  # as set_row takes it
        attributes = ""
        if pixels != sheet.original_row_height or pixels != sheet.default_row_height:
            attributes = f' ht="{pixels * 0.75:.16g}" customHeight="1"'
        number = str(row + 1)
        self._block.append(f'<row r="{number}"{attributes}>{body.replace(ROW, number)}</row>')
        self._last = row
        if len(self._block) >= BLOCK_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self._block:
            return
        text, self._block = "".join(self._block), []
        if len(self._indices) < len(self._styles):
            self._number_styles(text)
        for placeholder, index in self._indices.items():
            text = text.replace(placeholder, index)
        sheet = self.worksheet
        if self._last > sheet.previous_row:
            sheet._write_single_row(self._last)  # holds nothing: moves XlsxWriter's row on to the block's last
        sheet.fh.write(text)
        sheet._check_dimensions(self._last, 0)

    def _number_styles(self, body: str) -> None:
        """Give the styles the body uses for the first time their indices, in the order of their
        first cells: XlsxWriter numbers a format when it writes its first cell."""
        first = sorted((body.find(p), p) for p in self._styles if p not in self._indices and p in body)
        for _, placeholder in first:
            self._indices[placeholder] = str(self._styles[placeholder]._get_xf_index())


# ---------------------------------------------------------------------------- cell by cell, and heights


def write_cells(worksheet, row: int, values: tuple, kinds: list) -> bool:
    """A row's cells through XlsxWriter's own calls; whether it had any."""
    written = False
    for column, value in enumerate(values):
        if value is None:
            continue
        written = True
        if type(value) is float:
            worksheet.write_number(row, column, value, kinds[column])
        elif value[:3] == "<r>" and value[-4:] == "</r>":
            # constant_memory copies such a string into the XML unescaped, as a rich
            # string; three plain fragments make it one that it escapes
            worksheet.write_rich_string(row, column, value[0], value[1], value[2:], kinds[column])
        else:
            worksheet.write_string(row, column, value, kinds[column])
    return written


def forget_height(worksheet, row: int) -> None:
    """Drop a written row's height from XlsxWriter's memory, which in constant_memory mode
    otherwise grows by two entries for every row given a height (`row_info`, and `row_sizes`
    kept to place images; neither is public: if they go, memory grows again, nothing else)."""
    for kept in (getattr(worksheet, "row_info", None), getattr(worksheet, "row_sizes", None)):
        if isinstance(kept, dict):
            kept.pop(row, None)


@lru_cache(maxsize=1 << 16)  # names and units recur from document to document
def row_lines(text: str, holds: float) -> int:
    """How many lines `text` takes in a cell whose line holds `holds` characters: broken between
    words, and inside a word longer than a line, as Excel and LibreOffice break it. A text all
    in capitals is wider."""
    if text.isupper():
        holds *= 0.8
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            if used and used + 1 + len(word) > holds:
                lines, used = lines + 1, 0
            if len(word) > holds:
                more = math.ceil(len(word) / holds) - 1
                lines, used = lines + more, len(word) - more * holds
            else:
                used += (1 if used else 0) + len(word)
    return lines
