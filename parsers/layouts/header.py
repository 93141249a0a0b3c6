"""A target table's header: one to three rows merged per column, every column given a role.

Header words are data (header.toml). The text of a column is what its header rows say above
it, a spanning cell counting for every column it covers (`Năm 2024` over `Kế hoạch` |
`Ước thực hiện`). A value column has a role (`target`, `actual`, `estimate`, `derived`) and
a year; the targets are the target column of the latest plan year, the other value columns
stay on the row for the actuals.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import regex

from ...normalizers import vocabulary
from ...normalizers.text import clean_text

from ..model import Cell, Row, Table

_YEAR = regex.compile(r"(?<!\d)(19[5-9]\d|20\d\d|21\d\d)(?!\d)")
_SHORT_YEAR = regex.compile(r"(?<![\d/])(\d\d)(?![\d/])")
_COLUMN_NUMBER = regex.compile(r"^\(?(?:\d{1,2}|[A-ZĐ])\)?(?:\s*=\s*[\d/()*+\-\s]+)?$")
_LOOK = 8  # rows from the top where a header may start
_DEPTH = 4  # header rows at most


@cache
def _words() -> dict:
    with (Path(__file__).parent / "header.toml").open("rb") as f:
        return tomllib.load(f)


@cache
def _matchers() -> tuple[dict[str, str], tuple[tuple[str, regex.Pattern], ...]]:
    """Exact short spellings → role, and each role's words as a whole-word pattern, in order."""
    words = _words()
    exact = {s: role for role, spellings in words["exact"].items() for s in spellings}
    ordered = []
    for role, spellings in words["roles"].items():
        alternation = "|".join(regex.escape(s) for s in sorted(spellings, key=len, reverse=True))
        ordered.append((role, regex.compile(rf"(?<![\p{{L}}])(?:{alternation})(?![\p{{L}}])", regex.IGNORECASE)))
    return exact, tuple(ordered)


@cache
def _loose_matchers() -> tuple[tuple[str, regex.Pattern], ...]:
    """Each role's words with the spaces between them optional: OCR drops the space between
    two syllables ('Kếhoạch năm 2026'), and a header it misses loses its whole table."""
    ordered = []
    for role, spellings in _words()["roles"].items():
        loose = (r"\s*".join(regex.escape(w) for w in s.split()) for s in sorted(spellings, key=len, reverse=True))
        ordered.append((role, regex.compile(rf"(?<![\p{{L}}])(?:{'|'.join(loose)})(?![\p{{L}}])", regex.IGNORECASE)))
    return tuple(ordered)


@lru_cache(maxsize=4096)  # asked of every cell of every row (is this a repeated header?); cells repeat
def header_role(text: str) -> str | None:
    """The role a header text names: 'Chỉ tiêu năm 2024' → 'target', 'ĐVT' → 'unit',
    'Ước thực hiện năm 2024' → 'estimate', 'So sánh (%)' → 'derived'."""
    t = clean_text(text).lower()
    if not t:
        return None
    exact, ordered = _matchers()
    if t in exact:
        return exact[t]
    for first in ("task", "agency"):
        # 'Cơ quan chủ trì theo dõi, đánh giá': who, before what they do; 'Nhiệm vụ …', 'Thời
        # gian hoàn thành': a task table's columns (not 'Chỉ tiêu, nhiệm vụ', a name)
        if any(role == first and pattern.match(t) for role, pattern in ordered):
            return first
    for role, pattern in ordered:
        if role != "task" and pattern.search(t):
            return role
    if _YEAR.fullmatch(_period_group().sub("", t).replace("năm", "").strip()):
        return "target"  # a column headed only by a year holds that year's plan
    for role, pattern in _loose_matchers():
        if role != "task" and pattern.search(t):
            return role
    return None


@cache
def _part_year() -> regex.Pattern:
    words = "|".join(regex.escape(w) for w in _words()["part_year"]["words"])
    return regex.compile(rf"(?<![\p{{L}}])(?:{words})(?![\p{{L}}])", regex.IGNORECASE)


@cache
def _period_group() -> regex.Pattern:
    """'Giai đoạn 2026 - 2030' over a year's column: the group, not the column's year."""
    words = vocabulary.alternation(vocabulary.load("vocabulary")["period_words"]["words"])  # as a title's period
    return regex.compile(rf"(?:{words})\s*(?:19|20)\d\d\s*[-–—]\s*(?:19|20)\d\d", regex.IGNORECASE)


VALUE_ROLES = ("target", "actual", "estimate", "derived", "actual_part", "estimate_part")
STATED = "verdict"  # the document's own verdict on a value ('Đánh giá': Đạt, Vượt, Không đạt)


@dataclass(frozen=True)
class Column:
    position: int
    role: str
    text: str  # what the header says above it, rows joined
    year: int | None


@dataclass(frozen=True)
class Header:
    first_row: int  # index in table.rows of the header's first row
    row_index: int  # index in table.rows of its last row
    columns: dict[str, int]  # role → grid position (number, name, unit, target, agency, note)
    values: tuple[Column, ...]  # every value column, the target one included
    year: int | None
    # A year that spans two measures ('Lượng (Tấn)' | 'Giá trị (Nghìn USD)'): each measure's
    # column with the words its own header cell says; one target per measure. Empty otherwise.
    measures: tuple[tuple[int, str], ...] = ()
    period: str | None = None  # 'Giai đoạn 2026 - 2030' over the target columns: a term plan's table
    horizon: bool = False  # the target column names a horizon ('Chỉ tiêu đến năm 2030'), not a plan year

    @property
    def target(self) -> Column | None:
        pos = self.columns.get("target")
        return next((c for c in self.values if c.position == pos), None)


def grid(row: Row) -> list[Cell | None]:
    """The row's cells at their grid positions; positions covered by a span hold None."""
    out: list[Cell | None] = []
    for cell in row.cells:
        out.append(cell)
        out.extend([None] * (cell.span - 1))
    return out


def _column_texts(rows: tuple[Row, ...], leaves: bool = False) -> list[str]:
    """Each grid column's header text, a spanning cell's text counted under every column (with
    `leaves`, only the text of the lowest header cell over the column)."""
    width = max(len(grid(r)) for r in rows)
    texts = [[] for _ in range(width)]
    for row in rows:
        pos = 0
        for cell in row.cells:
            text = clean_text(cell.text)
            if text and not cell.merged_above:
                for p in range(pos, min(pos + cell.span, width)):
                    texts[p].append(text)
            pos += cell.span
    return [t[-1] if t else "" for t in texts] if leaves else [" ".join(t) for t in texts]


def _year_of(text: str, fallback: int | None) -> int | None:
    years = _YEAR.findall(text)
    if years:
        return int(years[-1])
    short = _SHORT_YEAR.findall(regex.sub(r"\d+\s*=.*", "", text))  # 'KH 25', not '5=3/2'
    return 2000 + int(short[-1]) if short and fallback and abs(2000 + int(short[-1]) - fallback) <= 5 else None


def is_column_numbers(row: Row) -> bool:
    """'A | B | C | 1 | 2 | 3 | 4 | 5=3/2': the row that numbers the columns."""
    filled = [t for t in map(clean_text, (c.text for c in row.cells)) if t]
    return len(filled) >= 3 and all(_COLUMN_NUMBER.match(t) for t in filled)


def _starts_header(row: Row) -> bool:
    roles = {header_role(c.text) for c in row.cells if not c.merged_above}
    return "name" in roles and len(roles - {None, "name"}) >= 1


def _continues_header(row: Row, name_pos: int) -> bool:
    """A header row below the first: the name column is merged from above, or every filled
    cell names a role or a year and none reads as a value."""
    cells = grid(row)
    if name_pos < len(cells) and cells[name_pos] is not None and cells[name_pos].merged_above:
        return True
    filled = [clean_text(c.text) for c in row.cells if clean_text(c.text) and not c.merged_above]
    return bool(filled) and all(header_role(t) or _YEAR.search(t) for t in filled)


def find_header(table: Table) -> Header | None:
    """The header of a target table: a row naming a name column and another role, and the
    rows under it that go on naming columns. None when the table has no such header."""
    for first, row in enumerate(table.rows[:_LOOK]):
        if not _starts_header(row):
            continue
        name_pos = next(p for p, c in enumerate(grid(row)) if c is not None and header_role(c.text) == "name")
        last = first
        while last + 1 < len(table.rows) and last + 1 - first < _DEPTH and _continues_header(table.rows[last + 1], name_pos):
            last += 1
        header = _roles(table.rows[first:last + 1], first, last)
        if header is not None:
            return header
    return None


def _roles(rows: tuple[Row, ...], first: int, last: int) -> Header | None:
    texts = _column_texts(rows)
    year_hint = next((int(y) for t in texts for y in _YEAR.findall(t)), None)
    columns: dict[str, int] = {}
    values: list[Column] = []
    leaves = _column_texts(rows, leaves=True)
    for pos, text in enumerate(texts):
        role = header_role(text)
        if role is None and len(rows) > 1 and leaves[pos] and text.endswith(leaves[pos]):
            # 'Năm 2030' over 'Lượng (Tấn)'; 'Lộ trình giai đoạn 2026 - 2030' over 'Năm 2028'
            upper, leaf = header_role(text[: len(text) - len(leaves[pos])]), header_role(leaves[pos])
            role = leaf if leaf in VALUE_ROLES else upper if upper in VALUE_ROLES else None
        if role in ("actual", "estimate") and _part_year().search(text):
            role = f"{role}_part"  # 'Ước thực hiện 6 tháng đầu năm': part of the year
        if role in VALUE_ROLES or role == STATED:
            values.append(Column(pos, role, text, _year_of(text, year_hint)))
        elif role and role not in columns:
            columns[role] = pos
    if "task" in columns:
        return None  # a task table: its cells ('Ít nhất 10 cơ sở') are outputs of tasks (SPEC §1.2)
    targets = [c for c in values if c.role == "target"]
    if not targets:
        # 'TT | Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì': with no plan column beside it, the
        # result a plan names is its target
        results = [c for c in values if c.role == "actual" and c.text.lower() in _words()["result_targets"]["words"]]
        values = [Column(c.position, "target", c.text, c.year) if c in results else c for c in values]
        targets = results
    if "name" not in columns or not targets:
        return None
    # The plan of the latest year; among equals, the last (a plan column after an estimate).
    chosen = max(targets, key=lambda c: (c.year or 0, c.position))
    columns["target"] = chosen.position
    year = chosen.year
    group = _period_group().search(chosen.text)
    period = "-".join(regex.findall(r"(?:19|20)\d\d", group.group())) if group else None
    horizon = bool(_until_words().search(chosen.text))
    return Header(first, last, columns, tuple(values), year, _measures(rows, values, chosen), period, horizon)


@cache
def _until_words() -> regex.Pattern:
    """'Chỉ tiêu đến năm 2030': a horizon, as in a title (vocabulary.toml's horizons.until)."""
    return vocabulary.word_pattern(vocabulary.load("vocabulary")["horizons"]["until"])


def _measures(rows: tuple[Row, ...], values: list[Column], chosen: Column) -> tuple[tuple[int, str], ...]:
    """The columns of the chosen year's measures when the year spans more than one: the same
    group text above, a leaf of their own that names no role ('Lượng (Tấn)')."""
    if len(rows) < 2:
        return ()
    leaves = _column_texts(rows, leaves=True)
    group = lambda c: c.text[: len(c.text) - len(leaves[c.position])].strip()  # noqa: E731
    same = [c for c in values if c.role == "target" and c.year == chosen.year and group(c) == group(chosen)
            and leaves[c.position] and header_role(leaves[c.position]) is None]
    return tuple((c.position, leaves[c.position]) for c in same) if len(same) >= 2 else ()


def is_repeated_header(row: Row) -> bool:
    """A header repeated atop a page of a long table is not a target."""
    roles = {header_role(c.text) for c in row.cells}
    return "name" in roles and len(roles & set(VALUE_ROLES)) >= 1 and len(roles - {None}) >= 3
