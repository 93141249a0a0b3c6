"""What a format reader hands to the layout parsers: tables of cells and lines of prose.

A reader knows its file format and nothing about targets; a layout parser knows tables or
prose and nothing about file formats. These frozen types are the only thing they share.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from normalizers.notes import status_for
from normalizers.targets import Target


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


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    index: int  # 1-based, as a person counts the rows of the table
    page: int | None = None


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]
    index: int  # 1-based among the document's tables


@dataclass(frozen=True)
class Line:
    """A line (txt, pdf) or paragraph (docx) of text outside tables."""

    text: str
    number: int  # 1-based
    page: int | None = None


@dataclass(frozen=True)
class RawDocument:
    format: str
    tables: tuple[Table, ...] = ()
    lines: tuple[Line, ...] = ()
    pages: int | None = None
    line_label: str = "line"  # "line" for txt/pdf, "paragraph" for docx
    notes: tuple[str, ...] = field(default=())


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
    title: str | None = None
    date: str | None = None
    issuer: str | None = None
