"""What a format reader hands to the layout parsers: tables of cells and lines of prose.

A reader knows its file format and nothing about targets; a layout parser knows tables or
prose and nothing about file formats. These frozen types are the only thing they share.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..normalizers.notes import status_for
from ..normalizers.targets import Target


class UnreadableDocument(Exception):
    """A file that cannot be read; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class Cell:
    """One grid cell. `merged_above` marks the continuation of a vertically merged cell: it
    has no text of its own and takes the text of the cell above. `guessed_merge` says the
    merge was inferred (a PDF table cut by a page break), not read from the file."""

    text: str
    merged_above: bool = False
    span: int = 1
    guessed_merge: bool = False
    bold: bool = False  # every character of the cell is bold (section rows often are)
    confidence: float | None = None  # OCR: the mean confidence (0–1) of its words; None when not OCR


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    index: int  # 1-based, as a person counts the rows of the table
    page: int | None = None


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]
    index: int  # 1-based among the document's tables
    after_line: int = 0  # reading order: the `number` of the last Line before the table (0: none)


@dataclass(frozen=True)
class Line:
    """A line (txt, pdf) or paragraph (docx) of text outside tables, with the structure the
    format shows: its list marker, outline level, indent, weight and heading style.

    `text` is the text after the marker; `marker` is the list marker as a reader sees it on
    screen (`a)`, `(1)`, `1.`, `2.1.`, `-`, `II.`), whether typed or made by Word's
    automatic numbering; None when the line has none. `level` is the outline level the format
    states (Word's numbering level or outline level, an HTML heading's rank), None when it
    says nothing. `indent` is the left edge in points (PDF x-position, Word indentation)."""

    text: str
    number: int  # 1-based
    page: int | None = None
    marker: str | None = None
    level: int | None = None
    indent: float | None = None
    bold: bool = False  # the whole line is bold
    heading: bool = False  # a heading style (Heading 1…, Title, HTML h1–h6)
    confidence: float | None = None  # OCR: the mean confidence (0–1) of its words; None when not OCR

    @property
    def full_text(self) -> str:
        """The line as a reader sees it: its marker, then its text."""
        return f"{self.marker} {self.text}" if self.marker else self.text


@dataclass(frozen=True)
class RawDocument:
    format: str
    tables: tuple[Table, ...] = ()
    lines: tuple[Line, ...] = ()
    pages: int | None = None
    line_label: str = "line"  # "line" for txt/pdf, "paragraph" for docx
    notes: tuple[str, ...] = field(default=())
    text_layer: str = "ok"  # ok | ocr | legacy_font_converted | damaged (documents.text_layer)


@dataclass(frozen=True)
class TargetRow:
    """A target with where it came from: what a layout parser produces for each row/phrase."""

    seq: int
    name: str
    target: Target
    location: str
    section: str | None = None
    section_title: str | None = None
    number: str | None = None
    parent_seq: int | None = None
    agency: str | None = None
    page: int | None = None
    notes: tuple[str, ...] = ()
    year: int | None = None  # the year the row itself names ('đến năm 2030' in a term plan)
    anchor: float = 0.0  # where it stands in reading order: its line, or a table's place
    # The row's other value columns as (role, year, text as written): last year's plan, the
    # actual, the estimate. Kept for the actuals output; derived columns are not kept.
    values: tuple[tuple[str, int | None, str], ...] = ()
    unit_column: str | None = None  # a table's ĐVT cell: the unit of those values, whatever the target cell wrote

    @property
    def all_notes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.target.notes + self.notes))

    @property
    def status(self) -> str:
        return status_for(self.all_notes, unparsed=self.target.status == "unparsed")


@dataclass(frozen=True)
class LayoutResult:
    """What a layout parser read from a document: its rows and what it says about itself."""

    rows: tuple[TargetRow, ...] = ()
    year: int | None = None
    period: str | None = None  # the plan period a list's heading names ('giai đoạn 2026 - 2030')
    # each table's rows with the plan year its header names (tables only)
    tables: tuple[tuple[tuple[TargetRow, ...], int | None], ...] = ()


@dataclass(frozen=True)
class ActualRow:
    """A reported value that is not the document's own target (SPEC §2.1 `actuals`): an
    actual, an estimate, or a plan quoted beside them, read with the same grammar as targets."""

    name: str
    value: Target
    kind: str  # actual | estimate | plan
    year: int | None
    location: str
    page: int | None = None
    target_seq: int | None = None  # the target on the same table row, else None
    text: str = ""  # the cell or phrase as written
    notes: tuple[str, ...] = ()
    anchor: float = 0.0  # where it stands in reading order, as TargetRow.anchor
    stated_verdict: str | None = None  # the document's own verdict beside the value ('Đạt', 'Vượt')

    @property
    def all_notes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.value.notes + self.notes))

    @property
    def status(self) -> str:
        return status_for(self.all_notes, unparsed=self.value.status == "unparsed")
