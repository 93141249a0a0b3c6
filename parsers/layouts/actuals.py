"""What a document says was reached (SPEC §2.1 `actuals`): the value columns of its target
tables that are not the plan year's target, and the sentences of its review parts.

    table rows' other columns (role, year, text) ──┐
                                                   ├─→ ActualRow (name, value, kind, year, where)
    outline → review parts → clauses → phrases  ───┘

A review part is the text from a heading such as `I. TÌNH HÌNH THỰC HIỆN KẾ HOẠCH NĂM 2024`
or `1. Kết quả thực hiện các chỉ tiêu chủ yếu` to the next heading that is not a review. In
it a value is read only where a verb reports it (`ước đạt` → estimate, `đạt` / `thực hiện` →
actual; a clause without its own verb keeps the kind of the clause before it), or where its
own phrase carries a direction (`tỷ lệ hộ nghèo giảm 0,92 điểm %`). A bracket quoting the
plan (`(kế hoạch 7 - 7,5%)`) is a `plan` row of the same indicator. A share of something
else (`bằng 105,2% dự toán`, `đạt 71,5% kế hoạch`, `tăng 4,1% so với cùng kỳ`) is not a value
of the indicator and is left out, as are numbers without a subject (`đứng thứ 5/6 tỉnh`).
"""
from __future__ import annotations

from dataclasses import replace
from functools import cache

import regex

from ...normalizers import vocabulary
from ...normalizers.targets import Target, find_phrases, parse_target
from ...normalizers.text import capitalize_first, clean_name, clean_text

from ..model import ActualRow, Line, TargetRow
from .header import STATED
from .outline import Node, build_outline
from .prose import first_sentence, head_text, is_review_heading, named_year, names_targets
from .statements import name_target, split_clauses, split_targets

# A table column's role → the kind of value it holds (an earlier year's target is a plan).
ROLE_KINDS = {"actual": "actual", "estimate": "estimate", "target": "plan", "plan": "plan",
              "actual_part": "actual", "estimate_part": "estimate"}  # '_part': for part of the year

_YEAR = regex.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
# Markers of items that sit inside a part; any other marked or heading node opens a new part.
_ITEM_KINDS = ("-", "+", "*", "•", "(1)", "(a)", "a)", "a.", "text", "lead")
# Markers that always open a part of the document (`I.`, `A.`, `Điều 2.`).
_PART_KINDS = ("I.", "A.", "article")


@cache
def _words(table: str, meaning: str = "words") -> regex.Pattern:
    return vocabulary.word_pattern(vocabulary.load("indicators")[table][meaning])


@cache
def _sub_marker() -> regex.Pattern:
    words = vocabulary.load("vocabulary")["sub_target_markers"]["words"]
    return regex.compile(rf"^\s*(?:{vocabulary.alternation(words)})(?![\p{{L}}])[\s,:]*", regex.IGNORECASE)


@cache
def _plan_bracket() -> regex.Pattern:
    words = vocabulary.alternation(vocabulary.load("indicators")["plan_brackets"]["words"])
    return regex.compile(rf"\(\s*(?:{words})(?![\p{{L}}])\s*:?\s*([^()]*)\)", regex.IGNORECASE)


@cache
def _relative() -> regex.Pattern:
    table = vocabulary.load("indicators")
    words, leads = vocabulary.alternation(table["relative_to"]["words"]), vocabulary.alternation(table["relative_leads"]["words"])
    return regex.compile(rf"^\s*(?:(?:{leads})\s+)?(?:{words})(?![\p{{L}}])", regex.IGNORECASE)


@cache
def _compared() -> regex.Pattern:
    """'tăng 4,1% so với cùng kỳ': a comparison with something else, not a value of its own."""
    table = vocabulary.load("indicators")
    words, compare = vocabulary.alternation(table["relative_to"]["words"]), vocabulary.alternation(table["comparison_words"]["words"])
    return regex.compile(rf"(?<![\p{{L}}])(?:{compare})\s+(?:{words})(?![\p{{L}}])", regex.IGNORECASE)


@cache
def _heads() -> regex.Pattern:
    words = vocabulary.load("vocabulary")["indicator_heads"]["words"]
    return regex.compile(rf"^(?:{vocabulary.alternation(words)})(?![\p{{L}}])", regex.IGNORECASE)


_ESTIMATE_LEAD = regex.compile(r"^\s*ước(?:\s+tính)?\s+(?=\S)", regex.IGNORECASE)
_TRAILING_ESTIMATE = regex.compile(r"(?:\s+(?:ước|ước tính|ước đạt|ước thực hiện|dự kiến|đã|mới))+\s*$",
                                   regex.IGNORECASE)


# ---------------------------------------------------------------------------- tables


def table_actuals(rows: tuple[TargetRow, ...] | list[TargetRow], year: int | None = None) -> list[ActualRow]:
    """The other value columns of each table row, read with the row's unit and name, linked to
    the row's target by `target_seq`. Empty cells and `x`/`-` give no row."""
    found = []
    for row in rows:
        stated = {y: clean_text(t) for role, y, t in row.values if role == STATED and clean_text(t)}
        reported = [y for role, y, _ in row.values if role in ("actual", "estimate")]
        for role, column_year, text in row.values:
            kind = ROLE_KINDS.get(role)
            if kind is None:
                continue
            # 'Giảm 10%' in the plan cell of a row counted in 'Vụ': the estimate '412' is 412 vụ
            value = parse_target(text, unit=row.unit_column or row.target.unit_raw, name=row.name)
            if value.kind == "none":
                continue
            # the 'Đánh giá' of the year it judges (of the only reported value when it names none)
            verdict = stated.get(column_year, stated.get(None) if len(reported) == 1 else None) \
                if role in ("actual", "estimate") else None
            found.append(ActualRow(
                name=row.name, value=value, kind=kind, year=column_year if column_year is not None else year,
                location=row.location, page=row.page, target_seq=row.seq, text=clean_text(text), anchor=row.anchor,
                stated_verdict=verdict, notes=("part_year",) if role.endswith("_part") else (),
            ))
    return found


def review_table_actuals(rows: tuple[TargetRow, ...], year: int | None) -> list[ActualRow]:
    """A table that plans an earlier year than the document (its review of the past year):
    each row's target is that year's plan, and its other columns are what they are. None is
    linked to a target of this document."""
    found = []
    for row in rows:
        if row.target.kind != "none":
            found.append(ActualRow(name=row.name, value=row.target, kind="plan", year=year, location=row.location,
                                   page=row.page, target_seq=None, text=row.target.text, anchor=row.anchor))
        found += [replace(a, target_seq=None) for a in table_actuals([row], year)]
    return found


# ---------------------------------------------------------------------------- review parts


def review_parts(root: Node, reviewed: int | None = None) -> list[tuple[Node, int | None, str | None]]:
    """The nodes of the outline's review parts, in reading order, each with the year its part
    reviews and the kind its heading implies (`Ước thực hiện …` → estimate). A paragraph of
    running text that opens on a year up to `reviewed` and estimates ('Năm 2025, … ước đạt …')
    is a review of its own, heading or not."""
    found: list[tuple[Node, int | None, str | None]] = []
    year: int | None = None
    kind: str | None = None
    active = False
    for node in root.walk():
        if node.kind == "root":
            continue
        if is_review_heading(node):
            active = True
            years = _YEAR.findall(first_sentence(head_text(node)))  # not a year the review then cites
            year = int(years[-1]) if years else year
            kind = "estimate" if _words("actual_verbs", "estimate").search(head_text(node)) else kind
            if not node.children and find_phrases(node.text):
                found.append((node, year, kind))  # 'Điều 1. … tán thành đánh giá … Năm 2025 ước có …'
            continue
        if not active:
            review = _review_paragraph(node, reviewed)
            if review:
                found.append(review)
            continue
        item = node.kind in _ITEM_KINDS and not (node.heading and not node.marker)
        if not item and (node.kind in _PART_KINDS or node.kind.startswith("heading") or not find_phrases(node.text)
                         or names_targets(head_text(node))):
            active, year, kind = False, None, None  # the next part begins
            continue
        if find_phrases(node.text):
            found.append((node, year, kind))
    return found


_PART_START = regex.compile(r"(?:^|(?<=[:.;])\s+)")


def _review_paragraph(node: Node, reviewed: int | None) -> tuple[Node, int, None] | None:
    """Running text that reports the past year without a heading: from where a sentence or a
    colon's part opens on a year up to `reviewed` ('Năm 2025, … ước đạt …', 'Hội nghị nhận
    thấy: năm 2025 có … ước đạt …') to the paragraph's end, when it estimates."""
    if node.kind != "text" or node.heading or not reviewed:
        return None
    named = named_year()[0]
    for start in _PART_START.finditer(node.text):
        opening = named.match(node.text, start.end())
        if opening and int(opening.group(1)) <= reviewed:
            rest = node.text[start.end():]
            if _words("actual_verbs", "estimate").search(rest) and find_phrases(rest):
                return replace(node, text=rest), int(opening.group(1)), None
            return None
    return None


def _verb_kind(prefix: str) -> str | None:
    """`estimate` after `ước …`, `actual` after `đạt`/`thực hiện`, None without a verb."""
    if _words("actual_verbs", "estimate").search(prefix):
        return "estimate"
    if _words("actual_verbs", "actual").search(prefix):
        return "actual"
    return None


@cache
def _openers() -> regex.Pattern:
    words = vocabulary.alternation(vocabulary.load("indicators")["review_openers"]["words"])
    return regex.compile(rf"^\s*(?:(?:{words})|[^,]*(?<!\d)(?:19|20)\d\d(?!\d)[^,]*)\s*,\s*", regex.IGNORECASE)


_LEAD_WORDS = 6  # words before a colon beyond which they are a sentence leading in, not a name's stem


def _subject(group: str, start: int, end: int) -> str:
    """The name of the value at group[start:end]: the subject before it, without `ước` and
    without an opening `Tuy nhiên,` or `Giai đoạn 2021 - 2025,`."""
    phrases = [p for p in find_phrases(group) if p.start == start] or find_phrases(group)
    name = name_target(group[:end], phrases[0]) if phrases else clean_name(group[:start])
    name = _TRAILING_ESTIMATE.sub("", clean_name(name)).strip()
    lead, colon, rest = name.rpartition(": ")
    if colon and rest and (len(lead.split()) > _LEAD_WORDS or "," in lead):
        name = rest  # 'kinh tế của tỉnh vẫn duy trì đà tăng trưởng: tốc độ tăng trưởng GRDP ước đạt …'
    return clean_name(_openers().sub("", name))


def _value(text: str, name: str) -> Target:
    """A reported value read with the target grammar. `ước đạt` says the value is an
    estimate, not that it is approximate: the `ước` is left to the kind."""
    return parse_target(_ESTIMATE_LEAD.sub("", text), name=name)


def read_review_sentence(text: str, line: int, page: int | None, label: str, year: int | None,
                         kind: str | None) -> tuple[list[ActualRow], str | None]:
    """The values one review paragraph reports; also the kind its last clause was in."""
    found: list[ActualRow] = []
    parent: str | None = None
    for clause in split_clauses(text):
        sub = _sub_marker().match(clause)
        is_sub = bool(sub) and sub.end() > 0
        clause = clause[sub.end():] if is_sub else clause
        plans = [(m.start(), clean_text(m.group(1))) for m in _plan_bracket().finditer(clause)]
        bare = _plan_bracket().sub(lambda m: " " * len(m.group(0)), clause)
        clause_rows: list[ActualRow] = []
        for group in split_targets(bare):
            phrases = find_phrases(group)
            if not phrases:
                continue
            phrase = phrases[0]
            prefix = group[: phrase.start]
            written = group[phrase.start:phrase.end]
            verb = _verb_kind(prefix + " " + written[:12])
            if verb is None and not phrase.direction:
                continue  # a number without a verb reporting it: a count, a date, a rank
            if _relative().match(group[phrase.end:]) or _compared().search(written):
                continue  # '105,2% dự toán': a share of the plan, not the indicator's value
            name = _subject(group, phrase.start, phrase.end)
            if not name:
                continue
            if is_sub and parent and not _heads().match(name):
                name = f"{parent} {name[0].lower()}{name[1:]}"
            name = capitalize_first(name)
            if _words("actual_verbs", "estimate").search(prefix + " " + written[:12]):
                kind = "estimate"
            elif kind is None:
                kind = verb or "actual"
            value = _value(written, prefix)
            clause_rows.append(ActualRow(name=name, value=value, kind=kind, year=year,
                                         location=f"{label} {line}", page=page, text=clean_text(written),
                                         anchor=float(line)))
            if not is_sub:
                parent = name
        for start, plan_text in plans:
            before = [r for r in clause_rows if clause.find(r.text) < start] or clause_rows
            if not before or not find_phrases(plan_text):
                continue
            owner = before[-1]
            value = parse_target(plan_text)
            if value.kind == "numeric" and value.unit is None and owner.value.unit_raw:
                value = parse_target(plan_text, unit=owner.value.unit_raw)
            if value.kind != "numeric":
                continue
            clause_rows.append(ActualRow(name=owner.name, value=value, kind="plan", year=year,
                                         location=owner.location, page=page, text=plan_text, anchor=owner.anchor))
        found.extend(clause_rows)
    return found, kind


def prose_actuals(lines: tuple[Line, ...], label: str = "line", year: int | None = None) -> list[ActualRow]:
    """The values the review parts of a document's prose report. `year` is the year a review
    reviews when its heading names none (the year before the plan year)."""
    if not lines:
        return []
    root = build_outline(lines, wrapped=label == "line")
    found: list[ActualRow] = []
    for node, part_year, part_kind in review_parts(root, year):
        if not find_phrases(node.text):
            continue
        default = part_kind or ("estimate" if _words("actual_verbs", "estimate").search(node.text) else None)
        rows, _ = read_review_sentence(node.text, node.line, node.page, label,
                                       part_year if part_year is not None else year, default)
        found.extend(rows)
    return found
