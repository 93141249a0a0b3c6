"""A whole document's layout: its tables and its prose read in reading order, with what its
header says about it. This is what the pipeline calls; it never opens a file."""
from __future__ import annotations

from dataclasses import dataclass, replace

from normalizers.sanity import sanity_notes

from ..model import ActualRow, RawDocument, TargetRow
from .actuals import prose_actuals, table_actuals
from .metadata import Metadata, bare_table_kind, read_metadata
from .prose import read_prose
from .table import read_tables


@dataclass(frozen=True)
class DocumentLayout:
    rows: tuple[TargetRow, ...]
    layout: str | None  # table | prose | mixed; None when nothing was read
    metadata: Metadata
    year: int | None  # the plan year of the targets (null for a term plan)
    actuals: tuple[ActualRow, ...] = ()  # what it reports was reached (SPEC §2.1), in reading order


def in_reading_order(rows: list[TargetRow]) -> list[TargetRow]:
    """Rows of tables and prose by where they stand, numbered 1, 2, 3 … with their
    sub-target links renumbered to match."""
    ordered = sorted(rows, key=lambda r: (r.anchor, r.seq))
    new_seq = {id(r): k for k, r in enumerate(ordered, 1)}
    by_old = {r.seq: new_seq[id(r)] for r in ordered}
    return [replace(r, seq=new_seq[id(r)], parent_seq=by_old.get(r.parent_seq) if r.parent_seq else None)
            for r in ordered]


def read_layout(doc: RawDocument) -> DocumentLayout:
    metadata = read_metadata(doc.lines, doc.tables)
    tables = read_tables(doc.tables)
    # Without a heading that names a target list, prose is read item by item only when no
    # table gave targets: a decision whose body only introduces its Phụ lục has none.
    prose = read_prose(doc.lines, label=doc.line_label, start_seq=len(tables.rows) + 1,
                       item_by_item=not tables.rows)
    if tables.rows and prose.rows:
        layout = "mixed"
    elif tables.rows:
        layout = "table"
    elif prose.rows:
        layout = "prose"
    else:
        layout = None
    ocr = ("ocr_text",) if doc.text_layer == "ocr" else ()  # a misread digit must not come out ok
    rows = [replace(r, notes=r.notes + extra) if (extra := sanity_notes(r.name, r.target) + ocr) else r
            for r in in_reading_order(list(tables.rows) + list(prose.rows))]
    year = None if metadata.period else (tables.year or prose.year or metadata.year)
    if metadata.kind is None and layout == "table" and not doc.lines:
        metadata = replace(metadata, kind=bare_table_kind())  # a table with no letter around it
    # A review part that names no year reviews the year before the plan year.
    reviewed = year - 1 if year else None
    found = table_actuals(rows, reviewed) + prose_actuals(doc.lines, doc.line_label, reviewed)
    actuals = [a for _, a in sorted(enumerate(found), key=lambda ka: (ka[1].anchor, ka[0]))]
    return DocumentLayout(tuple(rows), layout, metadata, year, tuple(actuals))
