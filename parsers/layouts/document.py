"""A whole document's layout: its tables and its prose read in reading order, with what its
header says about it. This is what the pipeline calls; it never opens a file."""
from __future__ import annotations

from dataclasses import dataclass, replace

import regex

from ...normalizers.sanity import sanity_notes

from ..model import ActualRow, LayoutResult, RawDocument, TargetRow
from .accounting import Accounts, account
from .actuals import prose_actuals, review_table_actuals, table_actuals
from .confidence import confidence_notes, odd_word_notes
from .metadata import Metadata, bare_table_kind, read_metadata
from .naming import horizon_year
from .prose import read_prose
from .table import read_tables


@dataclass(frozen=True)
class DocumentLayout:
    rows: tuple[TargetRow, ...]
    layout: str | None  # table | prose | mixed; None when nothing was read
    metadata: Metadata
    year: int | None  # the plan year of the targets (null for a term plan)
    actuals: tuple[ActualRow, ...] = ()  # what it reports was reached (SPEC §2.1), in reading order
    accounts: Accounts | None = None  # what its numbers gave, and what was left out and why (SPEC §4.2)


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
    tables = read_tables(doc.tables, _caption_years(doc))
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
    if not metadata.period and not metadata.year and (prose.period or tables.period):
        # 'III. CÁC CHỈ TIÊU CHỦ YẾU GIAI ĐOẠN 2026 - 2030', or year columns under that group
        metadata = replace(metadata, period=prose.period or tables.period)
    table_rows, earlier, table_year = _plan_year_tables(tables, prose.year or metadata.year)
    # a misread digit, a word a legacy font or a scanner garbled, must not come out ok
    ocr = {"ocr": ("ocr_text",), "damaged": ("damaged_text_layer",)}.get(doc.text_layer, ())
    rows = [replace(r, notes=r.notes + extra) if (extra := sanity_notes(r.name, r.target) + ocr) else r
            for r in _stated_twice(in_reading_order(table_rows + list(prose.rows)))]
    year = None if metadata.period else (table_year or prose.year or metadata.year)
    if metadata.kind is None and layout == "table" and not doc.lines:
        metadata = replace(metadata, kind=bare_table_kind())  # a table with no letter around it
    # A review part that names no year reviews the year before the plan year.
    reviewed = year - 1 if year else None
    found = table_actuals(rows, reviewed) + prose_actuals(doc.lines, doc.line_label, reviewed) \
        + [a for table, table_year in earlier for a in review_table_actuals(table, table_year)]
    actuals = [a for _, a in sorted(enumerate(found), key=lambda ka: (ka[1].anchor, ka[0]))]
    first_year = year or (int(metadata.period[:4]) if metadata.period else None)
    accounts = account(doc.lines, doc.tables, doc.line_label, rows, actuals, len(rows) + 1, first_year)
    if accounts.outside:
        rows = [replace(r, notes=r.notes + extra) if (extra := sanity_notes(r.name, r.target) + ocr) else r
                for r in in_reading_order(rows + list(accounts.outside))]
        layout = layout or "prose"
    rows = odd_word_notes(confidence_notes(rows, doc), ocr=True) if doc.text_layer == "ocr" else odd_word_notes(rows)
    return DocumentLayout(tuple(rows), layout, metadata, year, tuple(actuals), accounts)


_KEY = regex.compile(r"[^\p{L}\p{N}]+")


def _stated_twice(rows: list[TargetRow]) -> list[TargetRow]:
    """SPEC §1.2 and §4.1: a target in the prose and again in a table keeps a row each; where
    their values differ, both are for review."""
    def key(r: TargetRow):
        return _KEY.sub(" ", r.name.lower()).strip(), r.year, r.target.unit

    def where(r: TargetRow) -> str:
        return "table" if r.location.startswith("table ") else "prose"

    def value(r: TargetRow):
        t = r.target
        return (t.kind, t.low and (t.low.value, t.low.inclusive), t.high and (t.high.value, t.high.inclusive))

    groups: dict[tuple, list[TargetRow]] = {}
    for r in rows:
        if r.target.kind == "numeric":
            groups.setdefault(key(r), []).append(r)
    differ = {id(r) for g in groups.values() if len({where(r) for r in g}) > 1 and len({value(r) for r in g}) > 1
              for r in g}
    return [replace(r, notes=r.notes + ("stated_twice_differs",)) if id(r) in differ else r for r in rows]


_REPORTED_ROLES = ("actual", "estimate", "actual_part", "estimate_part")
_CAPTION_LINES = 4  # the lines just above a table that may be its caption


def _caption_years(doc: RawDocument) -> dict[int, int]:
    """The horizon a table's caption names ('CHỈ TIÊU … ĐẾN NĂM 2030' over a Phụ lục), by the
    table's index: the year of its rows that name none of their own (SPEC §1.2)."""
    years: dict[int, int] = {}
    for table in doc.tables:
        caption = " ".join(l.text for l in doc.lines if table.after_line - _CAPTION_LINES < l.number <= table.after_line)
        if caption and (year := horizon_year(caption)):
            years[table.index] = year
    return years


def _plan_year_tables(tables: LayoutResult, other_year: int | None):
    """The rows of the tables that plan the document's latest year, the tables that plan an
    earlier one (a review of the past year: 'Kế hoạch năm 2025 | Ước thực hiện năm 2025' in a
    report that then plans 2026), and the plan year of the first kept table. SPEC §1.1: the
    targets are the target column of the latest plan year; earlier years' go to actuals."""
    latest = max([y for _, y in tables.tables if y] + ([other_year] if other_year else []), default=None)
    kept, earlier = [], []
    for rows, year in tables.tables:
        reviews = year is not None and any(role in _REPORTED_ROLES and y == year for r in rows for role, y, _ in r.values)
        # SPEC §1.1: a plan column beside an estimate of the same year is a plan the report quotes
        # ('Kế hoạch năm 2026 | Ước thực hiện cả năm 2026'), not the document's own target
        (earlier if year and (latest and year < latest or reviews) else kept).append((rows, year))
    return [r for rows, _ in kept for r in rows], earlier, next((y for _, y in kept if y), None)

