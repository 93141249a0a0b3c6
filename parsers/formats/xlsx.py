"""Excel .xlsx: every visible sheet's grid, merged cells read as the docx reader reads them.

A merged range gives its top-left cell a `span` as wide as the range, and each row below it a
`merged_above` cell of the same width, exactly as Word's `w:gridSpan` and `w:vMerge` read.
Numbers stored as numbers come out as the text a Vietnamese reader sees in Excel: the cell's
number format decides the decimals and the grouping, written with a decimal comma and a
thousands point (6.5 → `6,5`, 1000 → `1.000`, `0.0` with 8 → `8,0`, `0%` with 0.12 → `12%`).

A sheet is a table framed by text: rows before the first row with two filled cells (the
title, often merged across the sheet) and rows after the last (the signature) are lines, as
the docx reader gives the paragraphs around a table. Empty rows are left out.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ..model import Cell, Line, RawDocument, Row, Table, UnreadableDocument
from . import limits
from .legacy import convert_run, legacy_font

_OTHER_PACKAGES = (
    ("word/document.xml", "a Word document (.docx)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
    ("content.xml", "an OpenDocument file (.ods/.odt)"),
)


def _open(path: Path):
    import openpyxl

    head = path.read_bytes()[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableDocument(
            "the file is an old Excel .xls or a password-protected workbook (not a .xlsx zip archive); "
            "remove the password, or open it in Excel or LibreOffice and save it as .xlsx"
        )
    if not zipfile.is_zipfile(path):
        raise UnreadableDocument(
            "the file is not an Excel .xlsx workbook (a .xlsx is a zip archive), or it is truncated; "
            "open it in Excel or LibreOffice and save it as .xlsx"
        )
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        if "xl/workbook.xml" not in names:
            kind = next((k for part, k in _OTHER_PACKAGES if part in names), "a zip archive of other files")
            raise UnreadableDocument(f"the file is {kind}, not an Excel workbook; give it its right extension")
        limits.check_package(z)
        check_declared_cells(z)
    try:
        # data_only: a formula cell gives the value Excel last computed, as the reader saw it
        # a file object: openpyxl judges a name by its extension, and the pipeline may hand
        # over a descriptor's name (/proc/self/fd/N) that has none
        with open(path, "rb") as f:
            return openpyxl.load_workbook(io.BytesIO(f.read()), data_only=True)
    except Exception:  # openpyxl raises many types (KeyError, zipfile errors, XML errors) for damaged files
        raise UnreadableDocument(
            "the .xlsx is damaged or truncated; open it in Excel to repair it, or get a complete copy"
        ) from None


# A cell and a merged range as a sheet's XML declares them (counted before openpyxl makes an
# object for each cell, merged ones included: a 2 KB file can declare A1:XFD1048576).
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def check_declared_cells(z: zipfile.ZipFile) -> None:
    """Refuse a workbook whose sheets declare more cells (written or merged) than any
    planning table has, before openpyxl makes an object for each."""
    total = 0
    for name in z.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        data = limits.read_part(z, name)
        total += len(_CELL.findall(data))
        for first_col, first_row, last_col, last_row in _MERGE.findall(data):
            if last_col:
                width = abs(_column_number(last_col) - _column_number(first_col)) + 1
                total += width * (abs(int(last_row) - int(first_row)) + 1)
        if total > limits.MAX_SHEET_CELLS:
            raise limits.too_many_cells(total, "cells (written or merged)")


def _group(digits: str) -> str:
    """1234567 → 1.234.567 (the Vietnamese thousands point)."""
    head = len(digits) % 3 or 3
    return ".".join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def shown_number(value: float | int, number_format: str = "General") -> str:
    """A number as Excel shows it under its format, in Vietnamese notation.

    >>> shown_number(6.5), shown_number(1000), shown_number(8, "0.0"), shown_number(0.125, "0.0%")
    ('6,5', '1.000', '8,0', '12,5%')
    >>> shown_number(1234.5, "#,##0"), shown_number(-0.25)
    ('1.235', '-0,25')
    """
    section = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format.split(";")[0])  # literals, colours
    percent = "%" in section
    if percent:
        value = value * 100
    if section.strip().lower() in ("general", "@", ""):
        text = f"{abs(value):.15g}"  # as many digits as Excel's General shows
        if "e" in text:
            text = f"{abs(value):.15f}".rstrip("0")
        whole, _, fraction = text.partition(".")
        grouped = True
    else:
        decimals = len(re.search(r"\.([0#?]*)", section).group(1)) if "." in section else 0
        exact = Decimal(repr(abs(value)))  # Excel rounds a half away from zero, Python to even
        whole, _, fraction = f"{exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP):f}".partition(".")
        grouped = "," in section.split(".")[0]
    text = (_group(whole) if grouped else whole) + ("," + fraction if fraction else "")
    negative = value < 0 and text.strip("0,.") != ""
    return ("-" if negative else "") + text + ("%" if percent else "")


def _shown(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return shown_number(value, cell.number_format or "General")
    if isinstance(value, dt.datetime) and (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", str(value)[:limits.MAX_CELL_CHARS]).strip()


def _text(cell, legacy: set[str]) -> str:
    """A cell's text as shown; typed in a legacy font (its font's name says which: `.VnTime`,
    `VNI-Times`), converted with that font's encoding, noted in `legacy`."""
    text = _shown(cell)
    if text and isinstance(cell.value, str) and cell.font is not None and (font := legacy_font(cell.font.name)):
        legacy.add(font[0])
        return convert_run(text, *font, starts_sentence=True)
    return text


def _sheet_grid(sheet, budget: limits.TextBudget, legacy: set[str] | None = None) -> list[list[Cell]]:
    """Each row of the sheet as grid cells: a merged range is its top-left cell with a span,
    and a merged_above cell of the same width on each row below; covered cells are left out.
    Cells in a legacy font are converted by their font (their encodings go into `legacy`)."""
    legacy = set() if legacy is None else legacy
    starts, covered = {}, set()
    for merged in sheet.merged_cells.ranges:
        width = merged.max_col - merged.min_col + 1
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                covered.add((r, c))
            starts[(r, merged.min_col)] = (width, r != merged.min_row)
    last_col = max(
        [c.column for row in sheet.iter_rows() for c in row if c.value is not None]
        + [m.max_col for m in sheet.merged_cells.ranges] + [0]
    )
    grid = []
    for r, row in enumerate(sheet.iter_rows(max_col=last_col), 1):
        cells = []
        for cell in row:
            key = (r, cell.column)
            if key in starts:
                width, continued = starts[key]
                cells.append(Cell("", merged_above=True, span=width) if continued
                             else Cell(budget.spend(_text(cell, legacy)), span=width, bold=_bold(cell)))
            elif key not in covered:
                cells.append(Cell(budget.spend(_text(cell, legacy)), bold=_bold(cell)))
        grid.append(cells)
    return grid


def _bold(cell) -> bool:
    return bool(cell.value is not None and cell.font is not None and cell.font.b)


def _filled(cells: list[Cell]) -> int:
    return sum(1 for c in cells if c.text)


def read_xlsx(path: Path) -> RawDocument:
    book = _open(path)
    tables: list[Table] = []
    lines: list[Line] = []
    notes: list[str] = []
    legacy: set[str] = set()  # encodings of the legacy fonts cells were typed in
    budget = limits.TextBudget()
    try:
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible":
                notes.append(f"xlsx_hidden_sheet_skipped:{sheet.title}")
                continue
            grid = [cells for cells in _sheet_grid(sheet, budget, legacy)
                    if _filled(cells) or any(c.merged_above for c in cells)]
            body = [i for i, cells in enumerate(grid) if _filled(cells) >= 2]
            first, last = (body[0], body[-1]) if body else (len(grid), len(grid) - 1)
            for cells in grid[:first]:
                lines.append(_line(cells, len(lines) + 1))
            if body:
                rows = tuple(Row(tuple(cells), index=i) for i, cells in enumerate(grid[first:last + 1], 1))
                tables.append(Table(rows, index=len(tables) + 1, after_line=len(lines)))
            for cells in grid[last + 1:]:
                lines.append(_line(cells, len(lines) + 1))
    finally:
        book.close()
    if legacy:
        return RawDocument("xlsx", tables=tuple(tables), lines=tuple(lines), text_layer="legacy_font_converted",
                           notes=tuple(notes) + tuple(f"legacy_encoding:{e}" for e in sorted(legacy)))
    return RawDocument("xlsx", tables=tuple(tables), lines=tuple(lines), notes=tuple(notes))


def _line(cells: list[Cell], number: int) -> Line:
    from .markers import split_marker

    filled = [c for c in cells if c.text]
    marker, text = split_marker(" ".join(c.text for c in filled))
    return Line(text, number, marker=marker, bold=all(c.bold for c in filled))
