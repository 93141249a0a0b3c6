"""Resolutions in prose: the items of the target lists in a document's outline, read as targets.

Stages: lines → outline (outline.py) → the target lists (subtrees under a heading that names
targets) → group headings as sections, items as statements → rows (statements.py). A
document with targets and no such heading is read item by item, every row for review.
"""
from __future__ import annotations

from dataclasses import replace
from functools import cache

import regex

from ...normalizers import vocabulary
from ...normalizers.numbers import english_to_vietnamese, writes_english_numbers
from ...normalizers.targets import find_phrases
from ...normalizers.text import clean_name, clean_text

from ..model import LayoutResult, Line, TargetRow
from .metadata import period_named
from .outline import Node, build_outline
from .naming import horizon_of, horizon_year
from .statements import Statement, read_plain_item, read_statement
from .table import declared_count



@cache
def named_year() -> tuple[regex.Pattern, regex.Pattern]:
    """'năm 2025', and the month before a year that makes it a date ('tháng 12 năm 2024')."""
    words = vocabulary.load("vocabulary")["date_words"]
    year, month = vocabulary.alternation(words["year"]), vocabulary.alternation(words["month"])
    return (regex.compile(rf"(?<![\p{{L}}])(?:{year})\s+(19[5-9]\d|20\d\d)(?!\d)", regex.IGNORECASE),
            regex.compile(rf"(?:{month})\s+\d{{1,2}}\s*$", regex.IGNORECASE))
_COLON = regex.compile(r":\s*")
_SENTENCE = regex.compile(r"(?<=[.;])\s+")


_words = vocabulary.table_words




# ---------------------------------------------------------------------------- headings


def head_text(node: Node) -> str:
    """What a node says as a heading: its text up to the first ':' (all of it without one)."""
    m = _COLON.search(node.text)
    return node.text[: m.start()] if m else node.text


def names_targets(text: str) -> bool:
    """A heading that names a target list, not a review of results or a list of tasks before it."""
    found = _words("target_list_headings").search(text)
    if not found:
        return False
    review = _words("review_headings").search(text)
    if review and review.start() < found.start():
        return False
    # 'Một số chỉ tiêu chủ yếu so với kế hoạch năm 2024:': a table's caption that compares
    return not _reference_words().search(text, found.end())


@cache
def _reference_words() -> regex.Pattern:
    return vocabulary.word_pattern(vocabulary.load("vocabulary")["reference"]["words"])


def is_review_heading(node: Node) -> bool:
    """'I. Tình hình thực hiện kế hoạch năm 2024', 'Đánh giá kết quả …': a part that reviews."""
    if node.kind in ("text", "lead"):
        return False
    head = head_text(node).strip()
    if _words("review_headings").match(head):
        return not names_targets(head)
    # 'Điều 1. Hội đồng nhân dân tỉnh cơ bản tán thành đánh giá tình hình thực hiện … Năm 2025 …':
    # an article that assents to a review and gives it; one with parts under it may hold the plan too
    if node.children:
        return False
    first = first_sentence(head)
    assent = _words("assent_openers").search(first)
    review = assent and _words("review_headings").search(first, assent.end())
    return bool(review) and not names_targets(first)


def is_other_heading(node: Node) -> bool:
    """'Mục tiêu tổng quát', 'Nhiệm vụ, giải pháp', 'Đánh giá …': a part that is not a target list."""
    head = head_text(node)
    m = _words("other_headings").match(head.strip())
    return bool(m) and not names_targets(head)


def is_group_heading(node: Node) -> bool:
    """'a) Về kinh tế:', '- Các chỉ tiêu về xã hội:', '3.1. Về kinh tế': a section of a list."""
    text = clean_text(node.text)
    if find_phrases(declared_count().sub("", text)):
        return False
    if node.children:
        return True
    return text.endswith(":") or bool(_words("group_headings").match(_strip_list_word(text)))


def _strip_list_word(text: str) -> str:
    return regex.sub(rf"^(?:{_words('list_words').pattern})\s*", "", text.strip(), flags=regex.IGNORECASE)


def section_title(node: Node) -> str:
    return clean_name(declared_count().sub("", head_text(node)))


def target_lists(root: Node) -> list[Node]:
    """The nodes whose subtree is a target list: headings that name targets, innermost first
    (`II. MỤC TIÊU VÀ CÁC CHỈ TIÊU` holds `1. Mục tiêu tổng quát` and `2. Chỉ tiêu cụ thể`;
    the list is the second)."""
    found: list[Node] = []

    def visit(node: Node) -> bool:
        if node.kind != "root" and is_review_heading(node):
            return False  # 'I. TÌNH HÌNH THỰC HIỆN KẾ HOẠCH NĂM 2024' and all under it
        inner = False
        for child in node.children:
            inner = visit(child) or inner
        if node.kind != "root" and names_targets(head_text(node)) and (node.children or _after_colon(node)):
            listed = {id(f) for f in found}
            groups = {id(c) for c in node.children if id(c) in listed}
            if len(groups) >= 2 and all(c.children for c in node.children if id(c) in groups) and not any(
                    id(d) in listed and id(d) not in groups for d in node.walk()):
                # 'Các chỉ tiêu chủ yếu' > 'a) Các chỉ tiêu về kinh tế', 'b) Các chỉ tiêu về xã hội':
                # lists that each name targets, side by side, are the groups of one list
                found[:] = [f for f in found if id(f) not in groups] + [node]
            elif not inner or _own_items(node, found):
                found.append(node)  # '2. Các chỉ tiêu chủ yếu:' with its items, and a list inside
            return True
        if node.kind != "root" and is_objectives_heading(node):
            # each horizon under 'MỤC TIÊU' that no list inside it already holds is a list of its own
            listed = {id(f) for f in found}
            for child in node.children:
                if horizon_of(child.text) and not any(id(d) in listed for d in child.walk()):
                    found.append(child)
            return True
        return inner

    visit(root)
    return sorted(found, key=lambda n: n.line)


def is_objectives_heading(node: Node) -> bool:
    """'II- MỤC TIÊU' with horizon headings under it ('1. Đến năm 2030', '2. Tầm nhìn đến năm 2045')."""
    words = vocabulary.load("vocabulary")["horizons"]["objectives"]
    if clean_name(head_text(node)).lower() not in words:
        return False
    return any(horizon_of(c.text) and (c.children or find_phrases(horizon_of(c.text)[1])) for c in node.children)


def _own_items(node: Node, found: list[Node]) -> bool:
    """Whether a list heading has items of its own beside the lists found inside it."""
    listed = {id(f) for f in found}
    return sum(1 for c in node.children if id(c) not in listed and c.marker and find_phrases(c.text)) >= 2


def first_sentence(text: str) -> str:
    return _SENTENCE.split(text, maxsplit=1)[0]


def _after_colon(node: Node) -> str:
    m = _COLON.search(node.text)
    return node.text[m.end():] if m else ""


# ---------------------------------------------------------------------------- reading a list


class _Reader:
    def __init__(self, label: str, start_seq: int, english: bool = False):
        self.label = label
        self.rows: list[TargetRow] = []
        self.start_seq = start_seq
        self.english = english  # the document writes numbers the English way ('4.5%')
        self.lists: set[int] = set()  # the target lists, each read on its own

    @property
    def next_seq(self) -> int:
        return self.start_seq + len(self.rows)

    def statement(self, text: str, node: Node, section, parent: int | None, notes=(),
                  horizon: int | None = None) -> list[TargetRow]:
        own = horizon_of(text)
        if own and find_phrases(own[1]):
            horizon, text = own  # 'Đến hết năm 2025: Có ≥ 30% …': when, then what
        if self.english:
            text, swapped = english_to_vietnamese(text)
            notes = tuple(notes) + (("number_format",) if swapped else ())
        read = read_statement(Statement(text, node.line, node.page), self.next_seq, self.label)
        if len(_values_outside_brackets(text)) > len(read) + sum("stretch" in r.notes for r in read):
            notes = tuple(notes) + ("value_not_read",)  # a value of the item gave no row: one may be missing
        read = [replace(r, section=section[0], section_title=section[1],
                        parent_seq=r.parent_seq if r.parent_seq is not None else parent,
                        notes=r.notes + tuple(notes), anchor=float(node.line), year=r.year or horizon) for r in read]
        self.rows.extend(read)
        return read

    def plain(self, node: Node, section, parent: int | None, notes=(), horizon: int | None = None) -> list[TargetRow]:
        row = read_plain_item(Statement(node.text, node.line, node.page), self.next_seq, self.label)
        if row is None:
            return []
        row = replace(row, section=section[0], section_title=section[1], parent_seq=parent,
                      notes=row.notes + tuple(notes), anchor=float(node.line), year=row.year or horizon)
        self.rows.append(row)
        return [row]

    def items(self, node: Node, section=(None, None), parent: int | None = None, notes=(),
              horizon: int | None = None) -> None:
        for child in node.children:
            if is_other_heading(child) or id(child) in self.lists:
                continue
            own = horizon_of(child.text)
            if own and child.children:
                # 'Đến năm 2030' / 'Tầm nhìn đến năm 2045': a section whose targets are for its year
                if find_phrases(own[1]):
                    self.statement(own[1], child, section, parent, notes, own[0])
                title = clean_name(head_text(child)) if not own[1] or find_phrases(own[1]) else section_title(child)
                self.items(child, (child.label, title), parent, notes, own[0])
                continue
            if horizon and child.kind == "lead" and not child.marker and not find_phrases(child.text):
                self.items(child, section, parent, notes, horizon)  # the horizon's aim, then its list
                continue
            if is_group_heading(child) and not find_phrases(child.text):
                self.items(child, (child.label, section_title(child)), parent, notes, horizon)
                continue
            if not find_phrases(child.text):
                if horizon and not child.marker and not child.children:
                    continue  # the aim a horizon opens on ('Người dân có sức khỏe …'): no target
                # a target without a number: an item of a list of targets, not a note in brackets
                listed = child.marker or any(find_phrases(c.text) for c in node.children if c is not child)
                read = self.plain(child, section, parent, notes, horizon) \
                    if listed and not child.text.startswith("(") else []
                if child.children:
                    self.items(child, section, read[0].seq if read else parent, notes, horizon)
                continue
            read = self.statement(child.text, child, section, parent, notes, horizon)
            if child.children:
                self.items(child, section, read[0].seq if read else parent, notes, horizon)


def _year_of(node: Node, ancestors: dict[int, Node]) -> int | None:
    """The plan year a list's heading (or a heading above it) names: 'năm 2025', not the
    date of an earlier resolution it cites ('… ngày 12/12/2024')."""
    current: Node | None = node
    while current is not None:
        text = head_text(current)
        named, date_before = named_year()
        years = [int(m.group(1)) for m in named.finditer(text) if not date_before.search(text[: m.start()])]
        if years:
            return years[-1]  # '… đánh giá năm 2023 …, nhiệm vụ năm 2024 như sau:' plans for the last
        current = ancestors.get(id(current))
    return None


def _horizon_above(node: Node, parents: dict[int, Node]) -> tuple[Node, int] | None:
    """The nearest heading above a list that is a horizon ('1. Đến năm 2030'), with its year."""
    current = parents.get(id(node))
    while current is not None and current.kind != "root":
        own = horizon_of(current.text)
        if own and not own[1]:
            return current, own[0]
        current = parents.get(id(current))
    return None


_BRACKETED = regex.compile(r"\([^()]*\)")


def _values_outside_brackets(text: str) -> list:
    """The item's value phrases with a unit, outside brackets (a bracket restates or qualifies)."""
    return [p for p in find_phrases(_BRACKETED.sub(" ", text)) if p.unit]


def _parents(root: Node) -> dict[int, Node]:
    parents: dict[int, Node] = {}
    for node in root.walk():
        for child in node.children:
            parents[id(child)] = node
    return parents


def read_prose(lines: tuple[Line, ...], label: str = "line", start_seq: int = 1,
               item_by_item: bool = True) -> LayoutResult:
    """Targets of a document's target lists, numbered on from `start_seq`; without a list
    heading, every item holding a target (`item_by_item`), each for review."""
    root = build_outline(lines, wrapped=label == "line")
    reader = _Reader(label, start_seq, english=writes_english_numbers(" ".join(l.text for l in lines)))
    lists = target_lists(root)
    reader.lists = {id(n) for n in lists}
    parents = _parents(root)
    year = period = None
    for heading in lists:
        own = horizon_of(heading.text)
        above = _horizon_above(heading, parents)
        if own:  # '1. Đến năm 2030' under 'MỤC TIÊU': a section whose targets are for its year
            section, horizon, rest = (heading.label, clean_name(head_text(heading))), own[0], own[1]
        elif above:  # '1. Đến năm 2030' > 'Phấn đấu đạt các chỉ tiêu sau:'
            node, year_above = above
            section, horizon, rest = (node.label, clean_name(head_text(node))), year_above, _after_colon(heading)
        else:
            year = year or _year_of(heading, parents)
            period = period or period_named(head_text(heading))
            # 'Mục tiêu cụ thể đến năm 2030': the year the list's own heading sets for its targets
            section, horizon, rest = (None, None), horizon_year(head_text(heading)), _after_colon(heading)
        if rest and find_phrases(rest) and not heading.children:
            reader.statement(rest, heading, section, None, horizon=horizon)
        reader.items(heading, section, horizon=horizon)
    if not lists and item_by_item:
        for node in root.walk():
            if node.marker and node.kind not in ("article",) and not node.children and find_phrases(node.text) \
                    and not _words("review_words").search(node.text):
                reader.statement(node.text, node, (None, None), None, ("no_target_heading",))
    return LayoutResult(rows=tuple(reader.rows), year=year, period=period)
