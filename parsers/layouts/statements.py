"""One statement of a target list → its target rows: clauses, one group of words per target,
a name for each (naming.py), sub-targets after 'trong đó' and in brackets of sub-totals,
and list items with no number (qualitative or completion targets).

A statement is the text of one list item, already free of its marker and of wrapping.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import regex

from ...normalizers.targets import bracketed_direction, find_phrases, parse_target, read_name, tokenize
from ...normalizers.tokens import first_token
from ...normalizers.text import capitalize_first, clean_name, clean_text
from ...normalizers.units import split_bracketed_unit, unit_in_brackets

from ..model import TargetRow
from .clauses import (_BRACKET, _bracket_parts, _is_qualifier, _split, _sub_subject, bracket_after, split_clauses,
                      split_respectively, split_targets)
from .naming import (_SUB_RUN, _colon_stem, _has_parallel, _is_elliptical, _is_stretch, _leading, _linking,
                     _possessives, _strip_openers, _strip_sub_marker, _time_phrase, _words, inherit_stem, name_target,
                     year_named)

__all__ = ["Statement", "read_statement", "read_plain_item", "name_target", "split_clauses", "split_targets"]


@dataclass(frozen=True)
class Statement:
    text: str
    line: int
    page: int | None


def read_statement(s: Statement, seq: int, label: str) -> list[TargetRow]:
    rows: list[TargetRow] = []
    parent: int | None = None
    stem = None
    stem_clause = None  # the clause whose colon opened `stem`
    year = None

    def add(name, target_text, group_prefix, notes=(), parent_seq=None):
        # 'Tổng thu ngân sách (tỷ đồng): 76.800': the unit written after the name, not the value
        unit = unit_in_brackets(group_prefix) or unit_in_brackets(name)
        if unit and any(p.unit for p in find_phrases(target_text)[:1]):
            unit = None  # '1.800 triệu đô la Mỹ (USD)': the value's own unit, and a bracket after it
        if unit:
            name = split_bracketed_unit(name.rstrip(" :"))[1]
        target = parse_target(target_text, unit=unit, name=group_prefix)
        rows.append(TargetRow(seq=seq + len(rows), name=clean_name(_time_phrase().sub(" ", name)) or name,
                              target=target, location=f"{label} {s.line}",
                              parent_seq=parent_seq, page=s.page, notes=tuple(notes), year=year))
        return rows[-1]

    sub_run = False  # 'trong đó: A 3%; B 12%; C 7%': every clause after the colon is a part
    for clause in split_clauses(s.text):
        opened = _SUB_RUN.match(clause)
        clause, is_sub = _strip_sub_marker(clause)
        sub_run = sub_run or bool(opened and is_sub)
        is_sub = is_sub or sub_run
        # a clause's own year, else the one before it ('Cơ cấu kinh tế năm 2025: …; …'); a year
        # named later does not reach back ('tăng bình quân 12%/năm; đến năm 2030 thu nội địa …'),
        # not even within a clause ('tăng bình quân 12%/năm, phấn đấu năm 2030 đạt …')
        carried = year
        pairs = split_respectively(clause)
        if pairs:
            year = year_named(clause) or carried
            for k, (name, value) in enumerate(pairs):
                if k > 0 and _is_elliptical(name):
                    name = inherit_stem(rows[-1].name, name)  # 'Kim ngạch xuất khẩu và nhập khẩu'
                add(capitalize_first(name), value, name, parent_seq=parent if is_sub else None)
            if not is_sub:
                parent = rows[-1].seq
            continue
        counts: list[tuple[TargetRow, str]] = []  # rows named from a number first, with the words after
        for group in split_targets(clause):
            year = year_named(group) or (None if _PERIOD.search(group) else year)  # 'bình quân giai đoạn 2026 - 2030'
            phrases = find_phrases(group)
            if not phrases:
                continue
            phrase = _value_phrase(group, phrases)
            head_stem, head = _colon_stem(group[: phrase.start])
            if head_stem:
                stem, group = head_stem, head + group[phrase.start:]
                stem_clause = clause
                phrase = find_phrases(group)[0]
            said = _BRACKET.match(group[phrase.end:])
            if said and bracketed_direction(said.group(0)):  # '16,2 (giữ ổn định)': the direction, not a name's part
                group = group[: phrase.end] + group[phrase.end + said.end():]
                said = said.group(0)
            else:
                said = ""
            bracket, sub_targets = bracket_after(group, phrase)
            end = phrase.end + (group[phrase.end:].index(")") + 1 if bracket else 0)
            outside = [p for p in phrases if p is phrase or p.start >= end]
            notes: list[str] = ["several_targets_in_cell"] if len(outside) > 1 else []
            if bracket and not sub_targets:
                notes.append("restated")
            name = name_target(group, phrase)
            qualifier = _BRACKET.match(group[phrase.end:])
            if qualifier and _is_qualifier(qualifier.group(1)) and regex.search(r"\p{L}", qualifier.group(1)) \
                    and not unit_in_brackets(qualifier.group(0)):  # '640 triệu đô la Mỹ (USD)' restates the unit
                name = f"{name} ({clean_text(qualifier.group(1))})"  # how it is measured belongs to its name
            if stem and not head_stem and not _is_elliptical(name) and stem_clause is not clause:
                stem = None  # a new indicator after a colon enumeration ends it (not within its clause:
                # 'Cây cà phê: diện tích …, năng suất …, sản lượng …' are all the crop's)
            if stem and head_stem and not clean_name(_strip_openers(head)):
                name = stem  # 'Chỉ số PAR (PAR Index): trên 88%': the words before the colon name it
            elif stem:
                # 'Tổng đàn gia súc: trâu 1.250 con': a part of the stem, not a count named by its unit
                name = capitalize_first(f"{stem}: {_without_unit(name, phrase.unit)}")
            elif rows and _is_stretch(group, phrase):
                name = rows[-1].name  # 'đạt 7%, phấn đấu 7,5%'
                notes.append("stretch")
            elif rows and not is_sub and clean_name(_strip_openers(group[: phrase.start])).lower() in ("", *_linking()) \
                    and not clean_text(group[phrase.end:]).strip(" .;,"):
                # '… tăng bình quân 12%/năm, đến năm 2030 đạt trên 55.000 tỷ đồng': no words of its
                # own but when: the same indicator's level after its rate
                name = rows[-1].name
            elif rows and is_sub and clean_text(group).lower().startswith(_possessives()):
                name = f"{rows[-1].name} {clean_name(group[: phrase.start])}"  # 'trong đó có bằng cấp …'
            elif rows and is_sub and (whole := _predicate_part(
                    next((r.name for r in rows if r.seq == parent), ""), group[phrase.end:])):
                name = whole  # '100% giáo viên đạt chuẩn …, trong đó 65% đạt trên chuẩn'
            elif rows and is_sub and (whole := _enumerated_part(
                    next((r.name for r in rows if r.seq == parent), ""), name)):
                name = whole  # 'xuất khẩu nông, lâm, thủy sản …; trong đó nông sản đạt …'
            elif rows and is_sub and _is_elliptical(name) and _has_parallel(name):
                name = f"{rows[-1].name} {name[0].lower()}{name[1:]}"  # '…, trong đó khu vực đô thị đạt 100%'
            elif rows and _is_elliptical(name) and not is_sub:
                name = capitalize_first(inherit_stem(rows[-1].name, name))
            else:
                name = capitalize_first(name)
            row = add(name, f"{group[phrase.start:phrase.end]}{said}", group[: phrase.start], notes,
                      parent if is_sub else None)
            compared = read_name(group[phrase.end:])  # 'Giảm 15% số vụ tai nạn so với năm 2025'
            if row.target.reference_year is None and compared.reference_year and row.target.kind == "numeric":
                row = rows[-1] = replace(row, target=replace(row.target, reference_year=compared.reference_year))
            if clean_name(_strip_openers(group[: phrase.start])).lower() in ("", *_linking()):
                counts.append((row, clean_text(group[phrase.end:]).strip(" .;")))
            if sub_targets:
                for part in _split(bracket, _bracket_parts()):
                    part_phrases = find_phrases(part)
                    if part_phrases:
                        part_name = capitalize_first(_sub_subject(part))
                        # '… giảm 0,5 điểm % (tỷ lệ hộ nghèo cuối năm còn dưới 1%)': the parent again, not a part
                        again = ("bracket_restates_parent",) if part_name.lower().startswith(row.name.lower()) else ()
                        add(part_name, part[part_phrases[0].start:part_phrases[0].end],
                            part[: part_phrases[0].start], again, parent_seq=row.seq)
            if not is_sub and "stretch" not in notes:
                parent = row.seq
        _share_tail(rows, counts)
        _share_verb(rows, counts)
        _share_predicate(rows, counts)
    return rows


def _without_unit(name: str, unit: str | None) -> str:
    tail = f" {unit}" if unit else None
    return name[: -len(tail)] if tail and name.lower().endswith(tail.lower()) and len(name) > len(tail) else name


def _predicate_part(parent: str, tail: str) -> str | None:
    """A part of the parent's subject named only by its own predicate: the parent 'Tỷ lệ giáo
    viên, cán bộ quản lý đạt chuẩn …' and '65% đạt trên chuẩn' → 'Tỷ lệ giáo viên, cán bộ quản
    lý đạt trên chuẩn'."""
    tail = clean_text(tail).strip(" .;,")
    own = _words("predicate_openers").match(tail)
    verb = _words("predicate_openers").search(parent)
    if not own or not verb or verb.start() == 0:
        return None
    return clean_name(f"{parent[: verb.start()]} {tail}")


_PERIOD = regex.compile(r"(?<!\d)(?:19|20)\d\d\s*[-–—]\s*(?:19|20)\d\d(?!\d)")
_ENUMERATED = regex.compile(r"^(?P<head>.*?\S)\s+(?P<parts>\p{L}+(?:\s*,\s*\p{L}+)+)\s+(?P<noun>\p{L}+)$")


def _enumerated_part(parent: str, name: str) -> str | None:
    """The full name of a part an enumeration in the parent's name stands for: 'Tổng kim
    ngạch xuất khẩu nông, lâm, thủy sản' and 'nông sản' → 'Kim ngạch xuất khẩu nông sản'."""
    m = _ENUMERATED.match(clean_text(parent))
    words = clean_text(name).lower().split()
    if not m or len(words) != 2 or words[1] != m["noun"].lower():
        return None
    if words[0] not in [w.strip().lower() for w in m["parts"].split(",")]:
        return None
    head = _leading("total_words", repeated=False).sub("", m["head"])
    return capitalize_first(f"{head} {words[0]} {words[1]}")


def _ends_with_link(text: str) -> bool:
    before = f" {clean_text(text).lower()}"
    return any(before.endswith(f" {w}") for w in _linking())


@cache
def _linking_longest_first() -> tuple[str, ...]:
    return tuple(sorted(_linking(), key=len, reverse=True))


def _value_phrase(group: str, phrases: list) -> object:
    """The phrase that is the target: the first, unless words of the name and a linking verb
    follow it before the next ('… khám sàng lọc ít nhất 1 lần trong năm đạt 100%', 'Số lao
    động được đào tạo từ 3 tháng trở lên đạt 25.000 người'): then the first is the name's."""
    if len(phrases) < 2:
        return phrases[0]
    between = clean_text(group[phrases[0].end: phrases[1].start])
    if between.startswith(":") and not _ends_with_link(group[: phrases[0].start]):
        return phrases[1]  # 'Chiều cao của thanh niên 18 tuổi: nam trên 172 cm': the number names who
    verb = next((w for w in _linking_longest_first() if f" {between.lower()}".endswith(f" {w}")), None)
    words = between[: len(between) - len(verb)].strip() if verb else ""
    if words and regex.fullmatch(r"[\p{L}\p{M} /]+", words):
        return phrases[1]
    first, before = phrases[0], group[: phrases[0].start]
    if verb and not words and first.direction is None and not first.has_reference and clean_text(before) \
            and not _ends_with_link(before):
        return phrases[1]  # '… với số lượng tối thiểu 60 lít/người/ngày đạt 63%'
    return phrases[0]


def _share_verb(rows: list[TargetRow], counts: list[tuple[TargetRow, str]]) -> None:
    """'Có thêm 20 xã đạt chuẩn …, 12 xã đạt chuẩn … nâng cao': the first count's verb
    carries over to the counts of the same unit after it that have none of their own."""
    first = counts[0][0].target if counts else None
    if first is None or first.measure != "change" or not first.direction:
        return
    for row, _ in counts[1:]:
        if row.target.kind == "numeric" and row.target.direction is None and row.target.measure == "level" \
                and row.target.unit == first.unit:  # a count of the same things, not '80% xã …' after it
            k = rows.index(row)
            rows[k] = replace(row, target=replace(row.target, measure="change", direction=first.direction))


def _share_predicate(rows: list[TargetRow], counts: list[tuple[TargetRow, str]]) -> None:
    """'95% rác thải đô thị, 85% rác thải nông thôn được thu gom, xử lý': the last value-first
    target's predicate belongs to every one before it that has none (SPEC §1.2)."""
    if len(counts) < 2:
        return
    last = counts[-1][1]
    verb = _words("predicate_openers").search(last)
    if verb is None or verb.start() == 0:
        return
    negated = _words("negations").search(last[: verb.start()].rstrip()[-8:])
    start = verb.start() if negated is None else last.rindex(negated.group(), 0, verb.start())
    predicate = last[start:]  # '… không sử dụng sản phẩm nhựa dùng một lần' keeps its 'không' 
    unit = counts[-1][0].target.unit
    for row, own in counts[:-1]:
        if own and not _words("predicate_openers").search(own) and row.target.unit == unit \
                and row.name.endswith(clean_name(own)):
            k = rows.index(row)
            rows[k] = replace(row, name=clean_name(f"{row.name} {predicate}"))


def _share_tail(rows: list[TargetRow], counts: list[tuple[TargetRow, str]]) -> None:
    """'có 15 bác sĩ và 36 giường bệnh trên 10.000 dân': the last count's 'per' words
    belong to every count before it."""
    if len(counts) < 2 or not _leading("per_words", repeated=False).match(counts[-1][1]):
        return
    tail = counts[-1][1]
    for row, own in counts[:-1]:
        if not own:
            k = rows.index(row)
            rows[k] = TargetRow(**{**row.__dict__, "name": f"{row.name} {tail}"})


def read_plain_item(s: Statement, seq: int, label: str) -> TargetRow | None:
    """A list item with no number: a completion ('Hoàn thành chỉ tiêu tuyển quân') or a
    qualitative target ('Thu ngân sách … đạt dự toán được giao'; 'Kiềm chế, kéo giảm tai nạn
    giao thông …'). Its name is the subject before a linking verb, or the object of its verbs."""
    text = clean_text(s.text).rstrip(" .")
    if not text or _leading("not_target_openers", repeated=False).match(text):
        return None  # 'Giao Sở Tài chính chủ trì …', 'Quyết định này có hiệu lực …'
    target = parse_target(text)
    if target.kind == "completion":
        name = _leading("completion_openers", repeated=True).sub("", text)
        return TargetRow(seq, capitalize_first(clean_name(name)), target, f"{label} {s.line}", page=s.page,
                         year=year_named(s.text))
    link = _words("qualitative_links").search(text)
    opener = first_token(text)
    if opener is not None and opener.kind == "DIR":
        link = None  # 'Duy trì xã đạt Bộ tiêu chí …': the verb governs all of it, 'đạt' included
    if link and link.start() > 0:
        name, target_text = text[: link.start()], text[link.start():]
    else:
        name, target_text = _strip_verbs(text), text
        stop = _words("qualitative_name_stops").search(name)
        name = name[: stop.start()] if stop and stop.start() > 0 else name
    target = parse_target(target_text, name=name if not link else None)
    if target.kind == "qualitative" and target.reference_year is None and read_name(text).reference_year:
        target = replace(target, reference_year=read_name(text).reference_year)  # 'Kéo giảm … so với năm 2025'
    completes = _words("completion").search(text)
    if target.kind == "qualitative" and not link and target.direction is None and completes:
        # 'Công tác tuyển quân: hoàn thành chỉ tiêu được giao' (its subject before a colon);
        # 'Tỉnh … được công nhận hoàn thành nhiệm vụ …' (a completion stated of its subject)
        subject = text[: completes.start()].rstrip()
        if subject.endswith(":"):
            name, done = subject.rstrip(" :"), text[completes.start():]
        else:
            name, done = text, text
        return TargetRow(seq, capitalize_first(clean_name(name)), replace(target, kind="completion", text=done),
                         f"{label} {s.line}", page=s.page, year=year_named(s.text))
    if target.kind != "qualitative" or not link and target.direction is None:
        return None  # an aim with no verb of change and nothing to reach ('Hạ tầng số hiện đại, an toàn')
    return TargetRow(seq, capitalize_first(clean_name(name)), target, f"{label} {s.line}", page=s.page,
                     year=year_named(s.text))


def _strip_verbs(text: str) -> str:
    """The object after the verbs that open a qualitative target ('Kiềm chế, kéo giảm …')."""
    text = _strip_openers(text)
    tokens = tokenize(text)
    while tokens and tokens[0].kind == "DIR":
        rest = text[tokens[0].end:]
        if len(tokens) > 1 and tokens[1].text == ",":  # 'Kiềm chế, kéo giảm …': verbs in a row
            text = rest.lstrip(" ,")
            tokens = tokenize(text)
        else:
            return rest.strip()
    return text
