"""Target tables: a header with column roles, then section rows, numbered target rows and the
sub-rows under them (SPEC §1.1).

The header (header.py) says which column holds the plan of the latest year; the other value
columns (last year's plan, actuals, estimates) are kept on the row for the actuals output.
Rows below the header are: filler (blank, the column-numbering row, a header repeated atop a
page, a footnote), section rows (`I`, `A`, `Các chỉ tiêu về kinh tế (06 chỉ tiêu)`, `1` with a
title in capitals), numbered rows (`1`, `2.1`) and sub-rows (`-`, `+`, unnumbered, `Trong đó:`)
that belong to the numbered row above. A merged agency or target cell continues from above.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import regex

from ...normalizers import vocabulary
from ...normalizers.targets import find_phrases, is_completion, parse_target, read_name
from ...normalizers.text import clean_name, clean_text
from ...normalizers.units import split_bracketed_unit

from ..model import Cell, LayoutResult, Row, Table, TargetRow
from .header import STATED, Header, find_header, grid, header_role, is_column_numbers, is_repeated_header
from .naming import horizon_of
from .statements import Statement, read_plain_item, read_statement

__all__ = ["read_tables", "read_target_table", "find_header", "header_role", "grid"]

_ROMAN = regex.compile(r"^(?=[IVXLC]+$)M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_SECTION_LETTER = regex.compile(r"^[A-ZĐ]$")
_NUMBERED = regex.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$|^[a-zđ][.)]?$")
_OCR_ROMAN = regex.compile(r"^[1lI|]{1,3}$")
_SUB_MARK = regex.compile(r"^[-–—+•*]$")
_FOOTNOTE = regex.compile(r"^(?:\(\s*(?:\*+|\d{1,2})\s*\)|\*+)")


@cache
def declared_count() -> regex.Pattern:
    """'(05 chỉ tiêu)': a section's declared count (group 1), never part of its title."""
    words = vocabulary.alternation(vocabulary.load("vocabulary")["declared_count"]["words"])
    return regex.compile(rf"\(\s*(\d+)\s*(?:{words})[^()]*\)", regex.IGNORECASE)


@cache
def _group_words() -> regex.Pattern:
    vocab = vocabulary.load("vocabulary")
    lead = vocabulary.alternation(vocab["list_words"]["words"])
    group = vocabulary.alternation(vocab["group_headings"]["words"])
    return regex.compile(rf"^(?:(?:{lead})\s+)?(?:{group})(?![\p{{L}}])", regex.IGNORECASE)


@cache
def _sub_markers() -> regex.Pattern:
    words = vocabulary.load("vocabulary")["sub_target_markers"]["words"]
    return regex.compile(rf"^(?:{vocabulary.alternation(words)})\s*[:,]?\s*", regex.IGNORECASE)


def _cells(row: Row, header: Header) -> dict[str, Cell]:
    cells = grid(row)
    return {role: (cells[pos] if pos < len(cells) and cells[pos] else Cell("")) for role, pos in header.columns.items()}


def _filled(row: Row) -> list[str]:
    return [t for t in (clean_text(c.text) for c in row.cells) if t]


def _is_filler(row: Row) -> bool:
    """Nothing to read: all blank, the column-numbering row, a header repeated atop a page,
    a footnote ('(*) Phấn đấu theo …', 'Ghi chú: …')."""
    filled = _filled(row)
    if not filled or is_column_numbers(row) or is_repeated_header(row):
        return True
    return len(filled) <= 2 and bool(_FOOTNOTE.match(filled[0])) and len(" ".join(filled)) > 12 \
        or header_role(filled[0]) == "note" and len(filled) == 1


def _section(cells: dict[str, Cell], row: Row, header: Header) -> tuple[str | None, str] | None:
    """(label, title) of a section row: a roman numeral or a letter with a title and nothing
    else; a title alone that names a group (`Các chỉ tiêu về kinh tế (06 chỉ tiêu)`); a number
    with a title in capitals and no unit or value."""
    label = clean_text(cells.get("number", Cell("")).text)
    rest = [t for t in _filled(row) if t != label]
    if len(rest) != 1:
        return None
    title = rest[0]
    if _ROMAN.match(label) or _SECTION_LETTER.match(label):
        return label, title
    if declared_count().search(title) or _group_words().match(title):
        number_cell = cells.get("number", Cell(""))
        if label and number_cell.confidence is not None and _OCR_ROMAN.match(label):
            label = "I" * len(label)  # OCR reads a roman 'I', 'II' as '1', '11', 'l'
        return label or None, title
    letters = [c for c in title if c.isalpha()]
    if label.isdigit() and len(letters) > 6 and all(c.isupper() for c in letters):
        return label, title
    return None


@dataclass
class _Section:
    label: str | None = None
    title: str | None = None
    declared: int | None = None
    numbered: int = 0


@dataclass
class _Open:
    """The numbered rows above, for the sub-rows under them."""

    seq: int | None = None  # the last numbered row
    by_number: dict | None = None  # '2' → seq, for '2.1'
    change: str | None = None  # 'có thêm:', 'Giảm:': the direction the heading gives its sub-rows


def _parent_of(number: str | None, marker: bool, open_: _Open) -> int | None:
    if number and "." in number.strip("."):
        return (open_.by_number or {}).get(number.strip(".").rsplit(".", 1)[0])
    if number:
        return None
    return open_.seq


def _heading_change(name: str) -> str | None:
    """A heading row whose verb applies to its sub-rows: 'Phấn đấu … có thêm:', 'Giảm:'."""
    text = clean_text(name)
    if not text.endswith(":"):
        return None
    context = read_name(text.rstrip(":"))
    if context.direction in ("increase", "decrease"):
        return context.direction
    return "increase" if vocabulary.word_pattern(vocabulary.load("vocabulary")["added_words"]["words"]).search(text) else None


def _other_values(row: Row, header: Header, target: int | None = None,
                  leaf: str | None = None) -> tuple[tuple[str, int | None, str], ...]:
    """The row's other value columns; for one measure of a year that spans two ('Lượng (Tấn)'),
    only that measure's columns."""
    cells = grid(row)
    out = []
    target = header.columns["target"] if target is None else target
    for column in header.values:
        if column.position == target or column.role == "derived":
            continue
        if leaf and column.role != STATED and not column.text.endswith(leaf):
            continue  # a 'verdict' column is kept: the document's own 'Đánh giá' of the row
        cell = cells[column.position] if column.position < len(cells) else None
        text = clean_text(cell.text) if cell else ""
        out.append((column.role, column.year, text))
    return tuple(out)


def read_target_table(table: Table, start_seq: int = 1,
                      caption_year: int | None = None) -> tuple[list[TargetRow], int | None]:
    """Every target row of a table, in reading order, and the plan year its header names.
    A table with no recognizable header is not a target table: no rows. `caption_year` is the
    horizon a caption above the table names ('… ĐẾN NĂM 2030'), for rows that name none."""
    header = find_header(table)
    if header is None:
        return read_statement_table(table, start_seq, caption_year), None
    return _read_rows(table, header, start_seq, caption_year), None if header.horizon else header.year


def _read_rows(table: Table, header: Header, start_seq: int, caption_year: int | None) -> list[TargetRow]:
    rows: list[TargetRow] = []
    sections: list[_Section] = [_Section()]
    seq = start_seq
    open_ = _Open(by_number={})
    above: dict[str, str] = {}  # the last text of each inheritable column
    measures = header.measures or ((header.columns["target"], None),)
    for row in table.rows[header.row_index + 1:]:
        if _is_filler(row):
            continue
        cells = _cells(row, header)
        section = _section(cells, row, header)
        if section:
            label, title = section
            declared = declared_count().search(title)
            sections.append(_Section(label, clean_name(declared_count().sub("", title)),
                                     int(declared.group(1)) if declared else None))
            open_ = _Open(by_number={})
            continue
        number = clean_text(cells.get("number", Cell("")).text) or None
        name_raw = clean_text(cells["name"].text)
        if number and (_ROMAN.match(number) or _SECTION_LETTER.match(number)) and name_raw:
            # 'I | Nông sản | Triệu USD | 1.930 | …': a section row that carries values is a
            # section and a target of its own (SPEC §1.2)
            sections.append(_Section(number, clean_name(declared_count().sub("", name_raw))))
            open_ = _Open(by_number={})
        current = sections[-1]
        horizon = horizon_of(current.title) if current.title else None  # 'I | Đến năm 2030'
        row_year = horizon[0] if horizon else header.year or caption_year
        notes: list[str] = []
        marker = bool(number and _SUB_MARK.match(number))
        if marker:
            number = None
        if not _sub_markers().sub("", name_raw) and not any(clean_text(_cell_at(row, p).text) for p, _ in measures):
            continue  # a bare 'Trong đó:' row
        unit_column = cells.get("unit", Cell("")).text
        if not clean_text(unit_column):
            # no unit column, or an empty cell: 'GDP bình quân đầu người (USD)' names its unit
            bracketed, bare = split_bracketed_unit(name_raw)
            unit_column, name_raw = (bracketed, bare) if bracketed else (unit_column, name_raw)
        heading_row = bool(number) and not clean_text(unit_column)  # '3 | Đàn gia súc | | …': a heading, not a merge
        agency_cell = cells.get("agency", Cell(""))
        filled = [(p, leaf) for p, leaf in measures if clean_text(_cell_at(row, p).text)]
        made = []
        # a year over two measures gives a target for each that is filled (one 'none' row when none is)
        for position, leaf in (filled or ((header.columns["target"], None),)) if header.measures else measures:
            row_notes = list(notes)
            name, unit_raw = clean_name(name_raw), unit_column
            if leaf:
                # 'Lượng (Tấn)' | 'Giá trị (Nghìn USD)': one target per measure, named and counted by it
                leaf_unit, leaf_name = split_bracketed_unit(leaf)
                name, unit_raw = f"{name} ({clean_name(leaf_name)})", leaf_unit or unit_column
            target_cell = _cell_at(row, position)
            target_text = target_cell.text
            if target_cell.merged_above and not clean_text(target_text) and above.get("target") and not heading_row:
                target_text = above["target"]
                row_notes.append("target_inherited")
            target = parse_target(target_text, unit=unit_raw, name=name_raw)
            parent = _parent_of(number, marker, open_)
            if parent is not None and open_.change and target.kind == "numeric" and target.direction is None \
                    and target.measure == "level":
                target = replace(target, measure="change", direction=open_.change)
            agency = clean_text(agency_cell.text) or None
            if agency is None and above.get("agency") and (agency_cell.merged_above or target.kind != "none"):
                agency = above["agency"]
                row_notes.append("agency_inherited_across_page" if agency_cell.guessed_merge else "agency_inherited")
            if target.kind == "none" and clean_text(unit_raw):
                row_notes.append("missing_target")
            made.append(TargetRow(
                seq=seq + len(made), name=name, target=target,
                location=f"table {table.index}, row {row.index}",
                section=current.label, section_title=current.title, number=number, parent_seq=parent,
                agency=agency, page=row.page, notes=tuple(row_notes), anchor=table.after_line + 0.5,
                values=_other_values(row, header, position, leaf), unit_column=clean_text(unit_raw) or None,
                year=row_year,
            ))
            above["target"] = target_text if clean_text(target_text) else ""
        if number:
            open_.seq = seq
            open_.by_number[number.strip(".")] = seq
            open_.change = _heading_change(cells["name"].text) if made[0].target.kind == "none" else None
            current.numbered += 1 if _NUMBERED.match(number) and "." not in number.strip(".") else 0
        rows.extend(made)
        above["agency"] = made[0].agency or ""
        seq += len(made)
    return _flag_count_mismatches(rows, sections)


def _cell_at(row: Row, position: int) -> Cell:
    cells = grid(row)
    return cells[position] if position < len(cells) and cells[position] else Cell("")


def read_statement_table(table: Table, start_seq: int = 1, caption_year: int | None = None) -> list[TargetRow]:
    """'TT | Chỉ tiêu | Đơn vị chủ trì' with the whole target in the name cell ('Tỷ lệ … đạt
    80%'): no value column, each name cell read as a statement (SPEC §1.2)."""
    header_at = next((k for k, row in enumerate(table.rows[:4]) if _names_statement_columns(row)), None)
    if header_at is None:
        return []
    roles = {header_role(c.text): p for p, c in enumerate(grid(table.rows[header_at])) if c is not None}
    rows: list[TargetRow] = []
    sections = [_Section()]
    agency_above = None
    for row in table.rows[header_at + 1:]:
        cells = grid(row)
        text = lambda role: clean_text(cells[roles[role]].text) if role in roles and roles[role] < len(cells) \
            and cells[roles[role]] is not None else ""  # noqa: E731
        number, statement = text("number") or None, text("name")
        if not statement or _is_filler(row):
            continue
        if not find_phrases(statement) and not is_completion(statement):
            if number and (_ROMAN.match(number) or _SECTION_LETTER.match(number)) or len(_filled(row)) == 1:
                sections.append(_Section(number, clean_name(statement)))
            continue
        agency = text("agency") or agency_above
        notes = ("agency_inherited",) if not text("agency") and agency else ()
        agency_above = agency
        read = read_statement(Statement(statement, row.index, row.page), start_seq + len(rows), "row") \
            or [r for r in [read_plain_item(Statement(statement, row.index, row.page), start_seq + len(rows), "row")] if r]
        horizon = horizon_of(sections[-1].title) if sections[-1].title else None
        rows.extend(replace(r, location=f"table {table.index}, row {row.index}", number=number, agency=agency,
                            section=sections[-1].label, section_title=sections[-1].title, notes=r.notes + notes,
                            anchor=table.after_line + 0.5, year=r.year or (horizon[0] if horizon else caption_year))
                    for r in read)
    return rows


def _names_statement_columns(row: Row) -> bool:
    """A header of a name column and a number or agency column, and no value column."""
    roles = [header_role(c.text) for c in row.cells if not c.merged_above]
    return "name" in roles and bool({"number", "agency"} & set(roles)) and not any(
        r in ("target", "actual", "estimate", "derived", "unit", "task") for r in roles)


def _flag_count_mismatches(rows: list[TargetRow], sections: list[_Section]) -> list[TargetRow]:
    """A section declaring '(05 chỉ tiêu)' with another count of numbered rows: every row of
    it is marked, since any of them may be the one too many or missing."""
    wrong = {(s.label, s.title) for s in sections if s.declared is not None and s.declared != s.numbered}
    if not wrong:
        return rows
    return [replace(r, notes=r.notes + ("declared_count_mismatch",)) if (r.section, r.section_title) in wrong else r
            for r in rows]


def read_tables(tables, caption_years: dict[int, int] | None = None) -> LayoutResult:
    """All target tables of a document, numbered on from one table to the next; a table's
    caption year (by its index) dates the rows that name none."""
    rows: list[TargetRow] = []
    year = period = None
    each = []
    for table in tables:
        header = find_header(table)
        caption_year = (caption_years or {}).get(table.index)
        if header is None:
            found, table_year = read_statement_table(table, len(rows) + 1, caption_year), None
        else:
            found = _read_rows(table, header, len(rows) + 1, caption_year)
            table_year = None if header.horizon else header.year
        rows.extend(found)
        year = year or table_year
        if found:
            each.append((tuple(found), table_year))
            period = period or (header.period if header else None)  # 'Giai đoạn 2026 - 2030' over the years
    return LayoutResult(rows=tuple(rows), year=year, period=period, tables=tuple(each))
