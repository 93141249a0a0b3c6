"""targets.xlsx: the output tables as an Excel workbook, for people who open data in Excel.

The CSV is the contract (SPEC §2), but Excel with a Vietnamese locale reads `6.5` as text and
`24%` as 0.24 from it. The workbook holds the same rows typed: numbers are numbers, booleans
are booleans, text is text (an inline string, never a formula, a number or a link, whatever it
starts with). Each table is a sheet with a frozen header, filters and column widths from its
content.

The SpreadsheetML is written here rather than through a general writer: a workbook of typed
cells needs a few fixed parts and one line of XML per row, and a general writer's machinery
per cell cost more than reading the documents did. Rows stream to a temporary file per sheet
as they come, so memory stays flat however many targets there are; at `close()` each sheet is
its header (widths need every row), its rows and its filter, zipped into the file. Rows must
come in order, sheet by sheet (sheets may be filled side by side). The same rows give the same
bytes.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import tomllib
import zipfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from .schema import Field
from .writers import finite_or_none

# Excel's limit; a table longer than this goes on into a second sheet ("targets (2)").
MAX_ROWS = 1_048_576
MAX_CELL_CHARS = 32_767
# Widths in characters: at least the header, at most this, from the longest cell seen.
MIN_WIDTH, MAX_WIDTH = 6, 60
NUMBER_WIDTH = 12
# A fixed date on every part and in the properties, so that the same rows give the same bytes.
CREATED = "2024-01-01T00:00:00Z"
_ZIP_DATE = (2024, 1, 1, 0, 0, 0)
# Characters XML 1.0 cannot hold; a cell drops them rather than make the file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {_NS}>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFF0F0F0"/><bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _number(value: float) -> str:
    """A number as Excel stores it: 2024, not 2024.0; 6.5 as the shortest repr that reads back."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _text(value: str) -> str:
    value = value[:MAX_CELL_CHARS]
    if not value.isprintable():  # most cells are: no character XML refuses in them
        value = _NOT_XML.sub("", value)
    return escape(value) if ("&" in value or "<" in value or ">" in value) else value


class Workbook:
    """An .xlsx file written into `file` (any seekable binary file); `sheet()` adds a table."""

    def __init__(self, file: BinaryIO):
        self._file = file
        self._sheets: list[Sheet] = []
        self._closed = False

    def sheet(self, name: str, fields: tuple[Field, ...], words: bool = False) -> "Sheet":
        """A sheet of `fields`; with `words`, headed and worded for an analyst (sheet_words.toml)."""
        headings, values = analyst_words(name) if words else ({}, {})
        sheet = Sheet(name, fields, headings, values)
        self._sheets.append(sheet)
        return sheet

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        parts = [part for sheet in self._sheets for part in sheet.finish()]
        try:
            with zipfile.ZipFile(self._file, "w", zipfile.ZIP_DEFLATED) as z:
                self._write_fixed_parts(z, parts)
                for number, part in enumerate(parts, 1):
                    with z.open(self._info(f"xl/worksheets/sheet{number}.xml"), "w") as out:
                        part.copy_to(out)
        finally:
            for sheet in self._sheets:
                sheet.discard()

    def abandon(self) -> None:
        """Give the file up unwritten (an interrupted run: its staged file is deleted)."""
        self._closed = True
        for sheet in self._sheets:
            sheet.discard()

    @staticmethod
    def _info(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        # Deflate's fastest level: a third of the time of its default, on data written after the
        # last document is read, for a file a fifth larger (the attribute is public from 3.13)
        info._compresslevel = 1
        info.external_attr = 0o600 << 16
        return info

    def _write_fixed_parts(self, z: zipfile.ZipFile, parts: list["_Part"]) -> None:
        sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
                         f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                         for n in range(1, len(parts) + 1))
        head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        z.writestr(self._info("[Content_Types].xml"), head + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/'
            'vnd.openxmlformats-package.core-properties+xml"/>' + sheets + '</Types>'))
        z.writestr(self._info("_rels/.rels"), head + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/></Relationships>'))
        z.writestr(self._info("docProps/core.xml"), head + (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>chitieu</dc:title>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{CREATED}</dcterms:created></cp:coreProperties>'))
        names = "".join(f'<sheet name="{escape(p.title)}" sheetId="{n}" r:id="rId{n}"/>'
                        for n, p in enumerate(parts, 1))
        filters = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
                          f"{escape(p.quoted_title)}!{p.filter_range(absolute=True)}</definedName>"
                          for n, p in enumerate(parts))
        z.writestr(self._info("xl/workbook.xml"), head + (
            f'<workbook {_NS} {_NS_R}><bookViews><workbookView/></bookViews><sheets>{names}</sheets>'
            f'<definedNames>{filters}</definedNames></workbook>'))
        rels = "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                       for n in range(1, len(parts) + 1))
        z.writestr(self._info("xl/_rels/workbook.xml.rels"), head + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + rels +
            f'<Relationship Id="rId{len(parts) + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'))
        z.writestr(self._info("xl/styles.xml"), _STYLES)


@cache
def _sheet_words() -> dict:
    with (Path(__file__).parent / "sheet_words.toml").open("rb") as f:
        return tomllib.load(f)


def analyst_words(table: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The Vietnamese headings of a table's sheet, and the words its coded values are written in."""
    words = _sheet_words()
    return words["headings"].get(table, {}), words["values"]


class _Part:
    """One worksheet: its rows as XML in a temporary file, its header and filter at the end."""

    def __init__(self, title: str, fields: tuple[Field, ...], headings: dict[str, str] | None = None):
        self.title = title[:31]
        self.fields = fields
        self.rows = 1  # the header
        self.file = tempfile.TemporaryFile()
        headings = headings or {}
        header = "".join(f'<c r="{_column_letter(k)}1" t="inlineStr" s="1"><is><t>{_text(headings.get(f.name, f.name))}'
                         f'</t></is></c>' for k, f in enumerate(fields))
        self.file.write(f'<row r="1">{header}</row>'.encode())
        self.widths: list[float] = []

    @property
    def quoted_title(self) -> str:
        return "'" + self.title.replace("'", "''") + "'"

    def filter_range(self, absolute: bool = False) -> str:
        last = _column_letter(len(self.fields) - 1)
        if absolute:
            return f"$A$1:${last}${self.rows}"
        return f"A1:{last}{self.rows}"

    def copy_to(self, out) -> None:
        cols = "".join(f'<col min="{k}" max="{k}" width="{w + 0.71:.2f}" customWidth="1"/>'
                       for k, w in enumerate(self.widths, 1))
        # the dimension tells a reader how wide every row is, trailing empty cells included
        out.write((f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS} {_NS_R}>'
                   f'<dimension ref="{self.filter_range()}"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                   'state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>'
                   '<sheetFormatPr defaultRowHeight="15"/>'
                   f'<cols>{cols}</cols><sheetData>').encode())
        self.file.seek(0)
        shutil.copyfileobj(self.file, out)
        out.write(f'</sheetData><autoFilter ref="{self.filter_range()}"/></worksheet>'.encode())


class Sheet:
    """One table: a header row, then records written in order (`write`)."""

    def __init__(self, name: str, fields: tuple[Field, ...], headings: dict[str, str] | None = None,
                 values: dict[str, dict[str, str]] | None = None):
        self.name, self.fields = name, fields
        self.headings, self.values = headings or {}, values or {}
        self._widths = [max(MIN_WIDTH, len(self.headings.get(f.name, f.name)) + 3) for f in fields]  # the filter arrow
        self._letters = [_column_letter(k) for k in range(len(fields))]
        self._kinds = [("number" if f.type in ("number", "integer") else "boolean" if f.type == "boolean" else "text")
                       for f in fields]
        self._parts: list[_Part] = []
        self._new_part()

    def _new_part(self) -> None:
        number = len(self._parts) + 1
        self._parts.append(_Part(self.name if number == 1 else f"{self.name} ({number})", self.fields, self.headings))

    def write(self, records: Iterable[dict]) -> None:
        lines = []
        for record in records:
            part = self._parts[-1]
            if part.rows >= MAX_ROWS:
                part.file.write("".join(lines).encode())
                lines = []
                self._new_part()
                part = self._parts[-1]
            part.rows += 1
            lines.append(self._row_xml(part.rows, record))
            if len(lines) >= 512:
                part.file.write("".join(lines).encode())
                lines = []
        if lines:
            self._parts[-1].file.write("".join(lines).encode())

    def _row_xml(self, row: int, record: dict) -> str:
        cells = []
        widths = self._widths
        for column, (field, kind) in enumerate(zip(self.fields, self._kinds)):
            value = record.get(field.name)
            if value is None:
                continue
            ref = f"{self._letters[column]}{row}"
            if kind == "number":
                number = finite_or_none(value)
                if number is not None:
                    cells.append(f'<c r="{ref}"><v>{_number(number)}</v></c>')
                    if widths[column] < NUMBER_WIDTH:
                        widths[column] = NUMBER_WIDTH
            elif kind == "boolean":
                cells.append(f'<c r="{ref}" t="b"><v>{1 if value else 0}</v></c>')
            else:
                text = self.values.get(field.name, {}).get(value, str(value))
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_text(text)}</t></is></c>')
                if len(text) > widths[column]:
                    widths[column] = min(MAX_WIDTH, len(text) + 1)
        return f'<row r="{row}">{"".join(cells)}</row>'

    def finish(self) -> list[_Part]:
        for part in self._parts:
            part.widths = list(self._widths)
        return self._parts

    def discard(self) -> None:
        for part in self._parts:
            part.file.close()


def workbook_bytes(tables: Iterable[tuple[str, tuple[Field, ...], Iterable[dict]]]) -> bytes:
    """A whole workbook in memory, one sheet per (name, fields, records): for small tables."""
    import io

    buffer = io.BytesIO()
    book = Workbook(buffer)
    for name, fields, records in tables:
        book.sheet(name, fields).write(records)
    book.close()
    return buffer.getvalue()
