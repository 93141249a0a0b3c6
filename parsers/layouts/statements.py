"""One statement of a target list → its target rows: clauses, one group of words per target,
a name for each (the subject of its phrase), sub-targets after 'trong đó'.

A statement is the text of one list item, already free of its marker and of wrapping.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from normalizers import vocabulary
from normalizers.targets import Phrase, find_phrases, parse_target, tokenize
from normalizers.text import capitalize_first, clean_name, clean_text

from ..model import TargetRow


@cache
def _words(table: str) -> regex.Pattern:
    words = vocabulary.load("vocabulary")[table]["words"]
    return regex.compile(rf"(?<![\p{{L}}])(?:{vocabulary.alternation(words)})(?![\p{{L}}])", regex.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    text: str
    line: int
    page: int | None


# ---------------------------------------------------------------------------- statements → groups


def _top_level_splits(text: str, pattern: regex.Pattern) -> list[tuple[int, int]]:
    """Spans of `pattern` matches outside parentheses."""
    spans, depth, pos = [], 0, 0
    for m in pattern.finditer(text):
        depth += text.count("(", pos, m.start()) - text.count(")", pos, m.start())
        pos = m.start()
        if depth <= 0:
            spans.append((m.start(), m.end()))
    return spans


def _split(text: str, pattern: regex.Pattern) -> list[str]:
    parts, start = [], 0
    for a, b in _top_level_splits(text, pattern):
        parts.append(text[start:a])
        start = b
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip(" .;,")]


@cache
def _clause_stop() -> regex.Pattern:
    """';', a sentence stop, and ', trong đó …'."""
    subs = vocabulary.alternation(vocabulary.load("vocabulary")["clause_sub_markers"]["words"])
    return regex.compile(rf";|\.\s+(?=\p{{Lu}})|,\s*(?=(?:{subs})(?![\p{{L}}]))", regex.IGNORECASE)


@cache
def _segment_stop() -> regex.Pattern:
    """Where a clause may divide between two targets: ',' (not a decimal comma) or a clause joiner."""
    words = vocabulary.load("vocabulary")["clause_joiners"]["words"]
    return regex.compile(rf",(?!\d)\s*|\s+(?:{vocabulary.alternation(words)})\s+")


def split_clauses(text: str) -> list[str]:
    """A statement's clauses: on ';', on a sentence stop, before ', trong đó'.

    >>> split_clauses("Tổng thu ngân sách đạt 8.801 tỷ đồng. Tổng chi ngân sách địa phương đạt 14.456 tỷ đồng.")
    ['Tổng thu ngân sách đạt 8.801 tỷ đồng', 'Tổng chi ngân sách địa phương đạt 14.456 tỷ đồng.']
    """
    return _split(text.strip(), _clause_stop())


def _number_first(group: str) -> bool:
    phrases = find_phrases(group)
    return bool(phrases) and not _strip_openers(group[: phrases[0].start]).strip(" ,:")


def split_targets(clause: str) -> list[str]:
    """One text per target: a clause is cut at ',' and 'và' only where both sides hold a target.

    >>> split_targets("02 huyện đạt chuẩn nông thôn mới và 02 huyện đạt chuẩn nông thôn mới nâng cao")
    ['02 huyện đạt chuẩn nông thôn mới', '02 huyện đạt chuẩn nông thôn mới nâng cao']
    >>> split_targets("Chỉ tiêu tuyển quân đạt 100%, đảm bảo chất lượng giao quân")
    ['Chỉ tiêu tuyển quân đạt 100%, đảm bảo chất lượng giao quân']
    """
    cuts = _top_level_splits(clause, _segment_stop())
    bounds = [0] + [b for _, b in cuts]
    ends = [a for a, _ in cuts] + [len(clause)]
    segments = [(s, e, len(find_phrases(clause[s:e]))) for s, e in zip(bounds, ends)]
    if sum(n for _, _, n in segments) <= 1:
        return [clause.strip()]
    groups: list[list[int]] = []  # [start, end, phrases]
    for k, (s, e, n) in enumerate(segments):
        if not groups:
            groups.append([s, e, n]); continue
        current = groups[-1]
        later = any(m for _, _, m in segments[k + 1:])
        if current[2] == 0 or (n == 0 and not (later and not _number_first(clause[current[0]:current[1]]))):
            current[1], current[2] = e, current[2] + n
        else:
            groups.append([s, e, n])
    return [clause[s:e].strip() for s, e, _ in groups]


# ---------------------------------------------------------------------------- naming


@cache
def _leading(table: str, repeated: bool) -> regex.Pattern:
    """The words of `table` at the start of a text, with the spaces and ',:' after them."""
    words = rf"(?:{_words(table).pattern})[\s,:]*"
    return regex.compile(rf"^\s*(?:{words})+" if repeated else rf"^\s*{words}", regex.IGNORECASE)


def _strip_openers(text: str) -> str:
    return _leading("prose_openers", repeated=True).sub("", _time_phrase().sub(" ", text))


@cache
def _time_phrase() -> regex.Pattern:
    """'đến năm 2030', 'vào năm 2030', 'Năm 2025,' at the start: when, not what."""
    words = vocabulary.alternation(vocabulary.load("vocabulary")["time_phrases"]["words"])
    return regex.compile(rf"(?:^\s*năm\s+(?:19|20)\d\d\s*,|(?<![\p{{L}}])(?:{words})\s+(?:19|20)\d\d(?!\d)\s*,?)",
                         regex.IGNORECASE)


def year_named(text: str) -> int | None:
    """The year a statement names for itself ('đến năm 2030'), for a term plan's rows."""
    m = _time_phrase().search(text)
    years = regex.findall(r"(?:19|20)\d\d", m.group()) if m else []
    return int(years[0]) if years else None


_SUB_RUN = regex.compile(r"^\s*\p{L}+(?:\s+\p{L}+)?\s*:")  # 'trong đó:' with its colon (checked with the marker)


def _strip_sub_marker(text: str) -> tuple[str, bool]:
    m = _leading("sub_target_markers", repeated=False).match(text)
    return (text[m.end():], True) if m else (text, False)


def _strip_direction(text: str) -> str:
    """'Giảm tỷ lệ thất nghiệp …' names 'tỷ lệ thất nghiệp …'; the verb is the direction."""
    tokens = tokenize(text)
    if tokens and tokens[0].kind == "DIR":
        return text[tokens[0].end:].lstrip()
    return text


_PERCENT_UNITS = ("%", "‰")
@cache
def _money() -> regex.Pattern:
    """A unit of money ('tỷ đồng', 'triệu USD'): a count's name never takes it."""
    return regex.compile(rf"(?:{vocabulary.alternation(vocabulary.load('units')['currencies'])})$", regex.IGNORECASE)


def strip_assignee(prefix: str) -> str:
    """'Sở Công Thương chủ trì phát triển thị trường, phấn đấu kim ngạch xuất khẩu' → 'kim
    ngạch xuất khẩu': in a task given to an agency, the subject follows the last verb of the
    task, or starts at the words that open an indicator."""
    if not _leading("assignees", repeated=False).match(prefix):
        return prefix
    verbs = list(_words("task_verbs").finditer(prefix))
    if verbs:
        return prefix[verbs[-1].end():]
    start = _words("subject_starts").search(prefix)
    return prefix[start.start():] if start else prefix


def name_target(group: str, phrase: Phrase) -> str:
    """The subject of a target phrase: before it ('Tỷ lệ … đạt 94%'), around it ('Kết nạp
    1.500 đảng viên mới'), or after it ('Trên 98% đảng viên …' → 'Tỷ lệ đảng viên …')."""
    prefix = _strip_direction(_strip_openers(strip_assignee(group[: phrase.start])))
    rest = group[phrase.end:]
    unit = phrase.unit or ""
    counted = unit and unit not in _PERCENT_UNITS and not _money().search(unit)
    subject = clean_name(prefix)
    if subject.lower() in _linking():
        subject = ""  # 'Đạt 12 bác sĩ …': nothing but a linking word before the number
    if subject:
        ends_with_link = clean_text(prefix) != subject  # 'đạt', 'là' … : the subject is complete
        tail = clean_text(rest).strip(" .;")
        # the words after the phrase finish the subject ('Kết nạp 1.500 đảng viên mới') unless
        # the subject is complete, they are a bracket, or they name what a rank or change is
        # measured against ('đứng thứ 10 cả nước', 'tăng 10% so với dự toán')
        if tail and not rest.lstrip().startswith((",", ";", "(")) and not ends_with_link \
                and unit != "hạng" and not phrase.has_reference:
            return clean_name(" ".join(x for x in (subject, unit if counted else "", tail) if x))
        if counted and len(subject.split()) <= 2 and not ends_with_link and _unscaled(unit).lower() not in subject.lower():
            return clean_name(f"{subject} {_unscaled(unit)}")  # 'Kết nạp (mới) … 1.500 đảng viên'
        return subject
    tail = clean_name(rest.lstrip(" ,:").rstrip(" .;"))
    if unit in _PERCENT_UNITS:
        return f"Tỷ lệ {tail}" if tail else "Tỷ lệ"
    if counted:
        return f"Số {unit} {tail}".strip()
    return tail


def _unscaled(unit: str) -> str:
    """'triệu lượt' → 'lượt': the thing counted, without its scale."""
    scales = vocabulary.alternation(vocabulary.load("units")["scales"])
    return regex.sub(rf"^(?:{scales})\s+", "", unit, flags=regex.IGNORECASE)


_COLON = regex.compile(r":")


def _colon_stem(text: str) -> tuple[str | None, str]:
    spans = _top_level_splits(text, _COLON)
    if not spans:
        return None, text
    a, b = spans[0]
    return clean_name(text[:a]), text[b:]


# ---------------------------------------------------------------------------- the layout


def _is_elliptical(name: str) -> bool:
    """'bảo hiểm xã hội', 'khu vực nông thôn': an item that names only what differs from the
    indicator before it (it does not open with an indicator's head word)."""
    return bool(name) and not _leading("indicator_heads", repeated=False).match(name)


def inherit_stem(previous: str, name: str) -> str:
    """The previous indicator's name with its differing part replaced by the elliptical item:
    'Tỷ lệ dân số tham gia bảo hiểm y tế' + 'bảo hiểm xã hội' → '… tham gia bảo hiểm xã hội';
    'Tỷ lệ dân số đô thị được cấp nước sạch' + 'khu vực nông thôn' → 'Tỷ lệ dân số khu vực
    nông thôn được cấp nước sạch'. The name is kept as it is when nothing lines up."""
    words, item = previous.split(), name.split()
    low = [w.lower() for w in words]
    first = item[0].lower()
    if len(item) < len(words) and item[-1].lower() == low[-1] and first not in low:
        return " ".join(words[: len(words) - len(item)] + item)  # 'Kim ngạch xuất khẩu' + 'nhập khẩu'
    if first in low:
        k = low.index(first)
        return " ".join(words[:k] + item + words[k + len(item):])
    for a, b in _parallels():
        if a in name.lower() and b in previous.lower():
            i = previous.lower().index(b)
            return f"{previous[:i]}{name[0].lower()}{name[1:]}{previous[i + len(b):]}"
    if len(item) <= _SHORT_ITEM < len(words) and _leading("indicator_heads", repeated=False).match(previous):
        return " ".join(words[: len(words) - len(item)] + item)  # '… đi nhà trẻ 38%, mẫu giáo 99,5%'
    return name


_SHORT_ITEM = 3  # an elliptical item this short names only the last words it replaces


def _has_parallel(name: str) -> bool:
    low = name.lower()
    return any(w in low for g in vocabulary.load("vocabulary")["parallel_words"]["groups"] for w in g)


@cache
def _parallels() -> tuple[tuple[str, str], ...]:
    groups = vocabulary.load("vocabulary")["parallel_words"]["groups"]
    return tuple((a, b) for g in groups for a in g for b in g if a != b and a not in b and b not in a)


def _is_stretch(group: str, phrase: Phrase) -> bool:
    """'…, phấn đấu 7,5%', '; phấn đấu đạt 8%': a second, higher reading of the indicator before."""
    m = _leading("stretch_words", repeated=False).match(group)
    if not m:
        return False
    between = clean_text(group[m.end(): phrase.start]).lower()
    return between in ("", *_linking())


@cache
def _linking() -> tuple[str, ...]:
    return tuple(vocabulary.load("vocabulary")["linking"]["trailing"])


@cache
def _respectively() -> regex.Pattern:
    return _words("respectively")


def split_respectively(clause: str) -> list[tuple[str, str]] | None:
    """'A và B (đạt) lần lượt X và Y' → [(A, X), (B, Y)]; None when the clause does not pair
    names and values in order, or their counts differ."""
    m = _respectively().search(clause)
    if not m:
        return None
    names = [n for n in _split(clause[: m.start()], _segment_stop()) if n.strip()]
    values_text = clause[m.end():]
    phrases = find_phrases(values_text)
    if len(names) < 2 or len(phrases) != len(names):
        return None
    names[-1] = clean_name(names[-1])
    return [(clean_name(n), values_text[p.start:p.end]) for n, p in zip(names, phrases)]


_BRACKET = regex.compile(r"^\s*\(([^()]*)\)")


def bracket_after(group: str, phrase: Phrase) -> tuple[str | None, bool]:
    """The bracket right after a target phrase and whether it holds sub-targets
    ('(thu nội địa trên 56.500 tỷ đồng, …)'), not a restatement ('(66/112 thôn)',
    '(còn 0,9%)', '(tăng thêm 20 thôn)')."""
    m = _BRACKET.match(group[phrase.end:])
    if not m or not regex.search(r"[0-9]", m.group(1)) or _is_qualifier(m.group(1)):
        return None, False
    parts = [p for p in _split(m.group(1), _bracket_parts()) if find_phrases(p)]
    named = all(_sub_subject(p) for p in parts)
    return m.group(1), bool(parts) and named


def _is_qualifier(inner: str) -> bool:
    """'(theo chuẩn nghèo đa chiều giai đoạn 2022 - 2025)', '(giá so sánh 2010)': a bracket
    that says how the indicator is measured, with no value of its own."""
    return not find_phrases(inner) and not regex.search(r"[0-9]\s*/\s*[0-9]", inner)


@cache
def _bracket_parts() -> regex.Pattern:
    """Where a bracket of sub-totals divides: ';' as well as ',' and 'và'."""
    return regex.compile(rf";\s*|{_segment_stop().pattern}")


def _sub_subject(part: str) -> str:
    """The words naming a part of a bracket before its number; '' when it opens with a
    number, a direction or a level word (a restatement)."""
    phrase = find_phrases(part)[0]
    head = clean_text(_strip_openers(part[: phrase.start]))
    if not head or _leading("restating_words", repeated=False).match(head) or tokenize(head)[0].kind in ("DIR", "LEVEL"):
        return ""
    return clean_name(head)


def read_statement(s: Statement, seq: int, label: str) -> list[TargetRow]:
    rows: list[TargetRow] = []
    parent: int | None = None
    stem = None
    year = year_named(s.text)

    def add(name, target_text, group_prefix, notes=(), parent_seq=None):
        target = parse_target(target_text, name=group_prefix)
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
        pairs = split_respectively(clause)
        if pairs:
            for k, (name, value) in enumerate(pairs):
                if k > 0 and _is_elliptical(name):
                    name = inherit_stem(rows[-1].name, name)  # 'Kim ngạch xuất khẩu và nhập khẩu'
                add(capitalize_first(name), value, name, parent_seq=parent if is_sub else None)
            if not is_sub:
                parent = rows[-1].seq
            continue
        counts: list[tuple[TargetRow, str]] = []  # rows named from a number first, with the words after
        for group in split_targets(clause):
            phrases = find_phrases(group)
            if not phrases:
                continue
            phrase = phrases[0]
            head_stem, head = _colon_stem(group[: phrase.start])
            if head_stem:
                stem, group = head_stem, head + group[phrase.start:]
                phrase = find_phrases(group)[0]
            bracket, sub_targets = bracket_after(group, phrase)
            end = phrase.end + (group[phrase.end:].index(")") + 1 if bracket else 0)
            outside = [p for p in phrases if p is phrase or p.start >= end]
            notes: list[str] = ["several_targets_in_cell"] if len(outside) > 1 else []
            if bracket and not sub_targets:
                notes.append("restated")
            name = name_target(group, phrase)
            qualifier = _BRACKET.match(group[phrase.end:])
            if qualifier and _is_qualifier(qualifier.group(1)) and regex.search(r"\p{L}", qualifier.group(1)):
                name = f"{name} ({clean_text(qualifier.group(1))})"  # how it is measured belongs to its name
            if stem and not head_stem and not _is_elliptical(name):
                stem = None  # a new indicator after a colon enumeration ends it
            if stem:
                name = f"{stem}: {name}"
            elif rows and _is_stretch(group, phrase):
                name = rows[-1].name  # 'đạt 7%, phấn đấu 7,5%'
                notes.append("stretch")
            elif rows and is_sub and clean_text(group).lower().startswith(_possessives()):
                name = f"{rows[-1].name} {clean_name(group[: phrase.start])}"  # 'trong đó có bằng cấp …'
            elif rows and is_sub and _is_elliptical(name) and _has_parallel(name):
                name = f"{rows[-1].name} {name[0].lower()}{name[1:]}"  # '…, trong đó khu vực đô thị đạt 100%'
            elif rows and _is_elliptical(name) and not is_sub:
                name = capitalize_first(inherit_stem(rows[-1].name, name))
            else:
                name = capitalize_first(name)
            row = add(name, group[phrase.start:phrase.end], group[: phrase.start], notes,
                      parent if is_sub else None)
            if clean_name(_strip_openers(group[: phrase.start])).lower() in ("", *_linking()):
                counts.append((row, clean_text(group[phrase.end:]).strip(" .;")))
            if sub_targets:
                for part in _split(bracket, _bracket_parts()):
                    part_phrases = find_phrases(part)
                    if part_phrases:
                        add(capitalize_first(_sub_subject(part)), part[part_phrases[0].start:part_phrases[0].end],
                            part[: part_phrases[0].start], parent_seq=row.seq)
            if not is_sub and "stretch" not in notes:
                parent = row.seq
        _share_tail(rows, counts)
    return rows


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
    if not text:
        return None
    target = parse_target(text)
    if target.kind == "completion":
        name = _leading("completion_openers", repeated=True).sub("", text)
        return TargetRow(seq, capitalize_first(clean_name(name)), target, f"{label} {s.line}", page=s.page,
                         year=year_named(s.text))
    link = _words("qualitative_links").search(text)
    if link and link.start() > 0:
        name, target_text = text[: link.start()], text[link.start():]
    else:
        name, target_text = _strip_verbs(text), text
        stop = _words("qualitative_name_stops").search(name)
        name = name[: stop.start()] if stop and stop.start() > 0 else name
    target = parse_target(target_text, name=name if not link else None)
    if target.kind != "qualitative":
        return None
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


@cache
def _possessives() -> tuple[str, ...]:
    return tuple(vocabulary.load("vocabulary")["possessive_sub"]["words"])
