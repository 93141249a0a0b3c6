"""Nothing silent (SPEC §4.2): every paragraph and table row of a document that carries a number
is accounted for, as a target, an actual, or a number deliberately not read with its reason.

    outline nodes and table rows with a digit ─┬─ gave a target or actual row → read
                                               └─ else: the part it stands in says why
                                                  (preamble, general objective, review of
                                                  the past, task, assignment, funding, note,
                                                  in a target list, not a target heading)

A paragraph outside every part known to hold no targets that reads like a target (an
indicator's name, a linking verb, a value with a unit) becomes a target row for review with
the note `outside_target_list`, never nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import regex

from ...normalizers import vocabulary
from ...normalizers.text import clean_text

from ..model import ActualRow, Line, Table, TargetRow
from .header import find_header, header_role, is_column_numbers
from .outline import Node, build_outline
from .prose import head_text, is_review_heading, names_targets, target_lists
from .statements import Statement, read_statement

_DIGIT = regex.compile(r"\d")
# Numbers that are no values: years, dates, documents' numbers ('72/2025/QH15', '57-NQ/TW'),
# a period's bounds, and roman or list numbering.
_NOT_VALUES = regex.compile(
    r"\d{1,2}/\d{1,2}/\d{2,4}|\d+(?:/\d+)*[/-]\p{Lu}[\p{Lu}\p{Ll}Đđ\d/-]*|(?<![\d,.])(?:19|20)\d\d(?![\d,.])")


@cache
def _date_parts() -> regex.Pattern:
    words = vocabulary.load("vocabulary")["date_words"]
    day_month = vocabulary.alternation(list(words["day"]) + list(words["month"]))
    return regex.compile(rf"(?<![\p{{L}}])(?:{day_month})\s+\d{{1,2}}(?!\d)", regex.IGNORECASE)


def carries_number(text: str) -> bool:
    """A value-like number, not only years, dates and documents' numbers."""
    return bool(_DIGIT.search(_date_parts().sub(" ", _NOT_VALUES.sub(" ", text))))
# Reasons, as SPEC §4.2 words them (the report shows them, translated).
IN_TARGET_LIST = "in a target list, not read"
NOT_A_TARGET_HEADING = "not a target heading"
PREAMBLE = "preamble"


@cache
def _reasons() -> tuple[str, ...]:
    return (IN_TARGET_LIST, NOT_A_TARGET_HEADING, *vocabulary.load("vocabulary")["no_target_parts"])


REASONS = _reasons()  # every reason a left-out paragraph can have (left_out.reason)
_TEXT_CHARS = 300  # a left-out paragraph's text is kept to this length


@dataclass(frozen=True)
class LeftOut:
    """A paragraph or table row with a number that gave no row, and why."""

    text: str
    location: str
    page: int | None
    reason: str
    anchor: float


@dataclass(frozen=True)
class Accounts:
    seen: int  # paragraphs and table rows that carry a number
    read: int  # of them, those that gave a target or an actual
    left_out: tuple[LeftOut, ...]
    outside: tuple[TargetRow, ...]  # target-like paragraphs outside every list, for review


@cache
def _part_words() -> tuple[tuple[str, regex.Pattern], ...]:
    table = vocabulary.load("vocabulary")["no_target_parts"]
    return tuple((reason, regex.compile(rf"^\s*(?:{vocabulary.alternation(words)})(?![\p{{L}}])", regex.IGNORECASE))
                 for reason, words in table.items())


@cache
def _indicator_start() -> regex.Pattern:
    words = vocabulary.load("vocabulary")["indicator_heads"]["words"]
    return regex.compile(rf"^(?:{vocabulary.alternation(words)})(?![\p{{L}}])", regex.IGNORECASE)


def part_reason(node: Node) -> str | None:
    """Why a part's numbers are not targets, from its heading; None for a part not known."""
    if node.kind in ("root", "text"):
        return None
    if is_review_heading(node):
        return "review of the past"
    head = clean_text(head_text(node))
    if names_targets(head):
        return None
    return next((reason for reason, words in _part_words() if words.match(head)), None)


def account(lines: tuple[Line, ...], tables: tuple[Table, ...], label: str,
            rows: list[TargetRow], actuals: list[ActualRow], start_seq: int, first_year: int | None = None) -> Accounts:
    """What a document's numbers gave: the counts of SPEC §4.2, the paragraphs and rows left
    out with their reasons, and rows for target-like paragraphs outside every target list."""
    read_at = {r.location for r in rows} | {a.location for a in actuals}
    seen = read = 0
    left: list[LeftOut] = []
    outside: list[TargetRow] = []
    root = build_outline(lines, wrapped=label == "line")
    lists = {id(n) for n in target_lists(root)}
    body_started = False

    def visit(node: Node, reason: str | None, in_list: bool) -> None:
        nonlocal seen, read, body_started
        if node.kind != "root":
            if not node.heading or node.marker:
                body_started = True
            in_list = in_list or id(node) in lists
            reason = part_reason(node) or (None if id(node) in lists else reason)
            if body_started and carries_number(node.text):
                seen += 1
                location = f"{label} {node.line}"
                if location in read_at:
                    read += 1
                else:
                    why = reason or (IN_TARGET_LIST if in_list else _opening_reason(node, first_year))
                    found = [] if in_list or reason or why != NOT_A_TARGET_HEADING \
                        else _reads_like_target(node, label, start_seq + len(outside))
                    if found:
                        outside.extend(found)
                        read += 1
                    else:
                        left.append(LeftOut(clean_text(node.text)[:_TEXT_CHARS], location, node.page, why,
                                            float(node.line)))
        for child in node.children:
            visit(child, reason, in_list)

    visit(root, None, False)
    for table in tables:
        header = find_header(table)
        first = header.row_index + 1 if header else 0
        for row in table.rows[first:]:
            texts = [clean_text(c.text) for c in row.cells if not c.merged_above]
            if not any(carries_number(t) for t in texts) or is_column_numbers(row) or _is_furniture(texts):
                continue
            seen += 1
            location = f"table {table.index}, row {row.index}"
            if location in read_at:
                read += 1
                continue
            left.append(LeftOut(" | ".join(t for t in texts if t)[:_TEXT_CHARS], location, row.page,
                                _table_reason(table, header), table.after_line + 0.5))
    return Accounts(seen, read, tuple(left), tuple(outside))


def _opening_reason(node: Node, first_year: int | None) -> str:
    """A paragraph outside every known part: what it opens on ('Căn cứ …', 'Ghi chú: …'), a
    review of the past (it estimates, or names a year before the plan's), else no target heading."""
    text = clean_text(node.text)
    reason = next((r for r, words in _part_words() if words.match(text)), None)
    if reason:
        return reason
    years = [int(y) for y in _YEAR_NAMED.findall(text)]
    if _estimates().search(text) or first_year and any(y < first_year for y in years):
        return "review of the past"
    return NOT_A_TARGET_HEADING


_YEAR_NAMED = regex.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@cache
def _estimates() -> regex.Pattern:
    return vocabulary.word_pattern(vocabulary.load("indicators")["actual_verbs"]["estimate"])


def _reads_like_target(node: Node, label: str, seq: int) -> list[TargetRow]:
    """The rows of a paragraph that reads like a target: every phrase named by an indicator
    ('Tỷ lệ …', 'Số …') or counted from a value first, with a unit."""
    if node.kind == "text" and len(node.text.split()) > 60:
        return []  # running text, not a stated target
    rows = read_statement(Statement(node.text, node.line, node.page), seq, label)
    if not rows or not all(r.target.kind == "numeric" and r.target.unit and _indicator_start().match(r.name)
                           for r in rows):
        return []
    return [replace(r, notes=r.notes + ("outside_target_list",), anchor=float(node.line)) for r in rows]


def _is_furniture(texts: list[str]) -> bool:
    """A letterhead or signature table ('Số: 12/KH-UBND', 'Nơi nhận: …')."""
    joined = " ".join(texts).lower()
    return any(w in joined for w in _letterhead_marks())


@cache
def _letterhead_marks() -> tuple[str, ...]:
    return tuple(vocabulary.load("vocabulary")["letterhead_marks"]["words"])


def _table_reason(table: Table, header) -> str:
    """A task table's rows are tasks; a table with no header of targets is no target list."""
    if header is None:
        tasks = any(header_role(c.text) == "task" for r in table.rows[:4] for c in r.cells)
        return "task" if tasks else NOT_A_TARGET_HEADING
    return IN_TARGET_LIST
