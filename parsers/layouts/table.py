"""Target tables: STT / Chỉ tiêu / ĐVT / Chỉ tiêu năm YYYY / Cơ quan, with section rows.

The header is found by meaning (header.toml), not by exact text. Rows below it are section
rows (`I`, `Về kinh tế (05 chỉ tiêu)`), numbered target rows, and unnumbered sub-rows that
belong to the numbered row above. A merged agency or target cell continues from above.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

import regex

from normalizers.targets import parse_target
from normalizers.text import clean_name, clean_text

from ..model import Cell, LayoutResult, Row, Table, TargetRow

ROLES = ("number", "name", "unit", "target", "agency")
_ROMAN = regex.compile(r"^(?=[IVXLC]+$)M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_SECTION_LETTER = regex.compile(r"^[A-ZĐ]$")
_DECLARED = regex.compile(r"\(\s*(\d+)\s*chỉ\s*tiêu\s*\)", regex.IGNORECASE)
_YEAR = regex.compile(r"(?<!\d)(19[5-9]\d|20\d\d|21\d\d)(?!\d)")
_COLUMN_NUMBERS = regex.compile(r"^\(?\d{1,2}\)?$|^\(?[A-Z]\)?$")


@cache
def _header_words() -> dict:
    with (Path(__file__).parent / "header.toml").open("rb") as f:
        return tomllib.load(f)


@cache
def _role_spellings() -> tuple[dict[str, str], tuple[tuple[str, tuple[str, ...]], ...]]:
    """header.toml as matched: exact spelling → role, and each role's substrings in order."""
    words = _header_words()
    exact: dict[str, str] = {}
    for role, spellings in words["exact"].items():
        for s in spellings:
            exact.setdefault(s, role)
    contained = tuple((role, tuple(s for s in spellings if s not in words["exact"].get(role, ())))
                      for role, spellings in words["roles"].items())
    return exact, contained


@lru_cache(maxsize=4096)  # asked of every cell of every row (is this a repeated header?); cells repeat
def header_role(text: str) -> str | None:
    """The column role a header cell names ('Chỉ tiêu năm 2024' → 'target')."""
    t = clean_text(text).lower()
    if not t:
        return None
    exact, contained = _role_spellings()
    if t in exact:
        return exact[t]
    for role, spellings in contained:
        if any(s in t for s in spellings):
            return role
    return None


def grid(row: Row) -> list[Cell | None]:
    """The row's cells at their grid positions; positions covered by a span hold None."""
    out: list[Cell | None] = []
    for cell in row.cells:
        out.append(cell)
        out.extend([None] * (cell.span - 1))
    return out


@dataclass(frozen=True)
class Header:
    row_index: int  # position of the header row in table.rows
    columns: dict[str, int]  # role → grid position
    year: int | None


def find_header(table: Table, look: int = 6) -> Header | None:
    """The first row (of the first few) that names at least a name and a target column."""
    for i, row in enumerate(table.rows[:look]):
        columns: dict[str, int] = {}
        for pos, cell in enumerate(grid(row)):
            role = header_role(cell.text) if cell else None
            if role and role not in columns:
                columns[role] = pos
        if "name" in columns and "target" in columns:
            year = _YEAR.search(clean_text(grid(row)[columns["target"]].text))
            return Header(i, columns, int(year.group()) if year else None)
    return None


def _texts(row: Row, columns: dict[str, int]) -> dict[str, Cell]:
    cells = grid(row)
    return {role: (cells[pos] if pos < len(cells) and cells[pos] else Cell("")) for role, pos in columns.items()}


def _section(cells: dict[str, Cell], row: Row) -> tuple[str, str] | None:
    """(label, title) when the row is a section row: a roman numeral (or letter) and a title
    with no unit or target of its own."""
    label = clean_text(cells.get("number", Cell("")).text)
    if not (_ROMAN.match(label) or _SECTION_LETTER.match(label)):
        return None
    rest = [clean_text(c.text) for c in row.cells[1:] if clean_text(c.text)]
    if len(rest) != 1:
        return None
    return label, rest[0]


def _is_header(row: Row) -> bool:
    roles = {header_role(c.text) for c in row.cells}
    return {"name", "target"} <= roles and len(roles - {None}) >= 3


def _is_filler(row: Row) -> bool:
    """Rows with nothing to read: all blank, or the column numbering row '(1) (2) (3)…'."""
    texts = [clean_text(c.text) for c in row.cells]
    filled = [t for t in texts if t]
    return not filled or len(filled) >= 3 and all(_COLUMN_NUMBERS.match(t) for t in filled)


class _Section:
    def __init__(self, label=None, title=None, declared=None):
        self.label, self.title, self.declared = label, title, declared
        self.numbered = 0
        self.first_seq: int | None = None


def read_target_table(table: Table, start_seq: int = 1) -> tuple[list[TargetRow], int | None]:
    """Every target row of a table, in reading order, and the plan year its header names.
    A table with no recognizable header is not a target table: no rows."""
    header = find_header(table)
    if header is None:
        return [], None
    rows: list[TargetRow] = []
    sections: list[_Section] = [_Section()]
    seq = start_seq
    last_numbered: int | None = None
    above: dict[str, str] = {}  # the last text of each inheritable column
    for row in table.rows[header.row_index + 1:]:
        if _is_filler(row) or _is_header(row):
            continue  # a header repeated atop each page of a long table is not a target
        cells = _texts(row, header.columns)
        section = _section(cells, row)
        if section:
            label, title = section
            declared = _DECLARED.search(title)
            title = clean_name(_DECLARED.sub("", title))
            sections.append(_Section(label, title, int(declared.group(1)) if declared else None))
            last_numbered = None
            continue
        current = sections[-1]
        notes: list[str] = []
        number = clean_text(cells.get("number", Cell("")).text) or None
        name_raw = cells["name"].text
        unit_raw = cells.get("unit", Cell("")).text

        target_cell = cells["target"]
        target_text = target_cell.text
        if target_cell.merged_above and not clean_text(target_text) and above.get("target"):
            target_text = above["target"]
            notes.append("target_inherited")
        target = parse_target(target_text, unit=unit_raw, name=name_raw)

        agency_cell = cells.get("agency", Cell(""))
        agency = clean_text(agency_cell.text) or None
        if agency is None and above.get("agency") and (agency_cell.merged_above or target.kind != "none"):
            agency = above["agency"]
            notes.append("agency_inherited_across_page" if agency_cell.guessed_merge else "agency_inherited")
        if target.kind == "none" and clean_text(unit_raw):
            notes.append("missing_target")

        parent = None
        if number:
            last_numbered = seq
            current.numbered += 1
        elif last_numbered is not None:
            parent = last_numbered
        if current.first_seq is None:
            current.first_seq = seq
        rows.append(TargetRow(
            seq=seq, name=clean_name(name_raw), target=target,
            location=f"table {table.index}, row {row.index}",
            section=current.label, section_title=current.title, number=number, parent_seq=parent,
            agency=agency, page=row.page, notes=tuple(notes), anchor=table.after_line + 0.5,
        ))
        above["agency"] = agency or ""
        above["target"] = target_text if clean_text(target_text) else ""
        seq += 1
    return _flag_count_mismatches(rows, sections), header.year


def _flag_count_mismatches(rows: list[TargetRow], sections: list[_Section]) -> list[TargetRow]:
    """A section declaring '(05 chỉ tiêu)' with another count of numbered rows: every row of
    it is marked, since any of them may be the one too many or missing."""
    wrong = {s.label for s in sections if s.declared is not None and s.declared != s.numbered}
    if not wrong:
        return rows
    return [replace(r, notes=r.notes + ("declared_count_mismatch",)) if r.section in wrong else r for r in rows]


def read_tables(tables) -> LayoutResult:
    """All target tables of a document, numbered on from one table to the next."""
    rows: list[TargetRow] = []
    year = None
    for table in tables:
        found, table_year = read_target_table(table, start_seq=len(rows) + 1)
        rows.extend(found)
        year = year or table_year
    return LayoutResult(rows=tuple(rows), year=year)
