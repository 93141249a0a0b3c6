"""Naming a target in prose: the subject of its phrase, without the openers, verbs, agencies and
times around it; elliptical items completed from the item before ('bảo hiểm y tế đạt 95%, bảo
hiểm xã hội 40%'); stretch targets named as the target they stretch."""
from __future__ import annotations

from functools import cache

import regex

from ...normalizers import vocabulary
from ...normalizers.targets import Phrase
from ...normalizers.tokens import first_token
from ...normalizers.text import clean_name, clean_text


_words = vocabulary.table_words


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
    return regex.compile(rf"(?:^\s*năm\s+(?:19|20)\d\d\s*(?:,|$)|(?<![\p{{L}}])(?:{words})\s+(?:19|20)\d\d(?!\d)\s*,?)",
                         regex.IGNORECASE)


@cache
def _horizon() -> regex.Pattern:
    """'Đến năm 2030', 'Tầm nhìn đến năm 2045', 'Đến hết năm 2025: …' (SPEC §1.2): a time alone
    before the end of a heading or a colon; the year is group 1, what follows the colon the rest."""
    h = vocabulary.load("vocabulary")["horizons"]
    before, words = vocabulary.alternation(h["before"]), vocabulary.alternation(h["words"])
    return regex.compile(rf"^\s*(?:(?:{before})\s+)?(?:{words})\s+((?:19|20)\d\d)(?!\d)\s*(?::\s*|[.;]?\s*$)",
                         regex.IGNORECASE)


def horizon_of(text: str) -> tuple[int, str] | None:
    """(year, the text after the colon) of an item that opens on a horizon, else None."""
    m = _horizon().match(clean_text(text))
    return (int(m.group(1)), clean_text(text)[m.end():]) if m else None


def horizon_year(text: str) -> int | None:
    """The year a time phrase names ('… ĐẾN NĂM 2030'), else None."""
    m = _time_phrase().search(text)
    years = regex.findall(r"(?:19|20)\d\d", m.group()) if m else []
    return int(years[0]) if years else None


def year_named(text: str) -> int | None:
    """The year a clause names for its target, for a term plan's rows: 'đến năm 2030', or the
    first 'năm 2025' that is not what it is compared with ('gấp 1,5 lần năm 2020', 'so với năm
    2020'), a period ('5 năm 2026 - 2030') or a date."""
    m = _time_phrase().search(text)
    years = regex.findall(r"(?:19|20)\d\d", m.group()) if m else []
    if years:
        return int(years[0])
    for m in _bare_year().finditer(text):
        if not _not_the_year().search(text[max(0, m.start() - 25): m.start()]) and not _PERIOD_AFTER.match(text, m.end()):
            return int(m.group(1))
    return None


_PERIOD_AFTER = regex.compile(r"\s*[-–—]\s*(?:19|20)\d\d")


@cache
def _bare_year() -> regex.Pattern:
    year = vocabulary.alternation(vocabulary.load("vocabulary")["date_words"]["year"])
    return regex.compile(rf"(?<![\p{{L}}])(?:{year})\s+((?:19|20)\d\d)(?!\d)", regex.IGNORECASE)


@cache
def _not_the_year() -> regex.Pattern:
    """Words just before 'năm YYYY' that make it a reference, a base or a date, not the target's year."""
    vocab = vocabulary.load("vocabulary")
    words = list(vocab["reference"]["words"]) + list(vocab["year_not_target"]["words"]) + list(vocab["date_words"]["month"])
    return regex.compile(rf"(?<![\p{{L}}])(?:{vocabulary.alternation(words)})\s*[\d\s]*$", regex.IGNORECASE)


_SUB_RUN = regex.compile(r"^\s*\p{L}+(?:\s+\p{L}+)?\s*:")  # 'trong đó:' with its colon (checked with the marker)


def _strip_sub_marker(text: str) -> tuple[str, bool]:
    m = _leading("sub_target_markers", repeated=False).match(text)
    return (text[m.end():], True) if m else (text, False)


def _strip_direction(text: str) -> str:
    """'Giảm tỷ lệ thất nghiệp …' names 'tỷ lệ thất nghiệp …'; the verb is the direction."""
    first = first_token(text)
    if first is not None and first.kind == "DIR":
        return text[first.end:].lstrip()
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
    counted = unit and unit not in _PERCENT_UNITS and not _money().search(unit) and unit.lower() not in _measures()
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
            if counted and _words("count_verbs").fullmatch(subject):  # 'Đón 14 triệu lượt khách'
                return clean_name(f"Số {_unscaled(unit)} {tail}")
            return clean_name(" ".join(x for x in (subject, unit if counted else "", tail) if x))
        if counted and len(subject.split()) <= 2 and not ends_with_link and _unscaled(unit).lower() not in subject.lower() \
                and not _words("measure_names").match(subject):  # 'diện tích 48.800 ha' names a measure
            return clean_name(f"{subject} {_unscaled(unit)}")  # 'Kết nạp (mới) … 1.500 đảng viên'
        return subject
    tail = clean_name(rest.lstrip(" ,:").rstrip(" .;"))
    if unit in _PERCENT_UNITS:
        return f"Tỷ lệ {tail}" if tail else "Tỷ lệ"
    if counted:
        return f"Số {_unscaled(unit)} {tail}".strip()
    return tail


@cache
def _measures() -> frozenset[str]:
    return frozenset(vocabulary.load("units")["measures"]["words"])


def _unscaled(unit: str) -> str:
    """'triệu lượt' → 'lượt': the thing counted, without its scale."""
    scales = vocabulary.alternation(vocabulary.load("units")["scales"])
    return regex.sub(rf"^(?:{scales})\s+", "", unit, flags=regex.IGNORECASE)


_COLON = regex.compile(r":")


def _colon_stem(text: str) -> tuple[str | None, str]:
    spans = _top_level_splits(text, _COLON)
    if not spans:
        return None, text
    a, b = spans[-1]  # 'Cây trồng chính: Lúa: diện tích …': the innermost colon names the parts
    start = spans[-2][1] if len(spans) > 1 else 0
    return clean_name(text[start:a]), text[b:]


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
def _possessives() -> tuple[str, ...]:
    return tuple(vocabulary.load("vocabulary")["possessive_sub"]["words"])


def _top_level_splits(text: str, pattern: regex.Pattern) -> list[tuple[int, int]]:
    """Spans of `pattern` matches outside parentheses."""
    spans, depth, pos = [], 0, 0
    for m in pattern.finditer(text):
        depth += text.count("(", pos, m.start()) - text.count(")", pos, m.start())
        pos = m.start()
        if depth <= 0:
            spans.append((m.start(), m.end()))
    return spans
