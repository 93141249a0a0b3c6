"""The grammar over tokens: where a target phrase is in a text and what it says.

    phrase := lead* NUM [UNIT] [JOIN NUM [UNIT]] [POST] [REF [NUM]]
    lead   := OP | APPROX | DIR | LEVEL | RANK | FILL

Numbers that belong to a name (periods, dates, ages, per-population counts, document
numbers) are passed over; an old value restated ('từ 6,5% lên trên 8%') gives way to the new.
"""
from __future__ import annotations

from functools import cache, lru_cache
from typing import NamedTuple

import regex

from . import vocabulary
from .numbers import uses_decimal_point
from .tokens import Token, tokenize
from .units import normalize_unit, unit_pattern


class Phrase(NamedTuple):  # a tuple, like Token: one is made for every number read
    """A target phrase found in a text: its token span and what the grammar read in it."""

    start: int  # character offsets in the text
    end: int
    op: str
    values: tuple[float, ...]
    unit: str | None
    approximate: bool
    direction: str | None
    level_marker: bool
    has_reference: bool
    reference_year: int | None
    notes: tuple[str, ...]


_RANK_UNIT = "hạng"
_LEAD = ("OP", "APPROX", "DIR", "LEVEL", "RANK", "FILL")
_DIGIT = regex.compile("[0-9]")  # what NUMBER, and so every phrase, begins with
_CONTEXT = 40  # characters before a number that may say it belongs to the name


@cache
def _name_number_contexts() -> tuple[regex.Pattern, ...]:
    table = vocabulary.load("vocabulary")["name_numbers"]
    before = regex.compile(rf"(?<![\p{{L}}])(?:{vocabulary.alternation(table['before'])})\s*$", regex.IGNORECASE)
    after = regex.compile(rf"^\s*(?:{vocabulary.alternation(table['after'])})(?![\p{{L}}])", regex.IGNORECASE)
    duration = regex.compile(rf"^\s*(?:{vocabulary.alternation(table['durations'])})(?![\p{{L}}])", regex.IGNORECASE)
    ages = regex.compile(rf"^\s*(?:{vocabulary.alternation(table['ages'])})(?![\p{{L}}])", regex.IGNORECASE)
    short = regex.compile(rf"^\s*(?:{vocabulary.alternation(table['durations_short'])})(?![\p{{L}}])", regex.IGNORECASE)
    return before, after, duration, ages, short


def _is_name_number(text: str, tokens: list[Token], i: int, depth: int) -> bool:
    """A number that belongs to the name: 'giai đoạn 2021', 'dưới 5 tuổi', '(… 2010)',
    '04/01/2024', 'kế hoạch 5 năm'; not the number after a rank word ('xếp hạng 15/63')."""
    tok = tokens[i]
    if i > 0 and tokens[i - 1].kind == "RANK":
        return False
    if depth > 0:
        return True
    before, after, duration, ages, short = _name_number_contexts()
    window = text[max(0, tok.start - _CONTEXT): tok.start]
    if tok.start and before.search(window) and not _value_after_name_word(text, tok, before.search(window).group()):
        return True
    if after.match(text[tok.end:]):
        return True  # 'trên 10.000 dân', '17/17 chỉ tiêu'
    if short.match(text[tok.end:]) and not _value_link().search(window) \
            and not (i > 0 and tokens[i - 1].kind in ("OP", "DIR", "LEVEL", "APPROX")):
        return True  # 'trong 30 ngày làm việc'; not 'đạt 2,4 ngày', 'không quá 5 ngày'
    m = ages.match(text[tok.end:])
    if m and not _value_link().search(window) and _WORD_AFTER.match(text, tok.end + m.end()):
        return True  # 'trẻ em dưới 5 tuổi …'; but '(tuổi thọ đạt) khoảng 74,5 tuổi' is a value
    if tok.meaning == 1 and _per_one().search(window) and _LETTER_AFTER.match(text[tok.end:]) \
            and not unit_pattern().match(text, tok.end) or tok.meaning == 1 and _per_one().search(window) \
            and _per_one_noun(text[tok.end:]):
        return True  # 'trên 1 ha', 'trên một lao động': per, not a bound
    if duration.match(text[tok.end:]) and (tok.meaning < _DURATION_YEARS or _YEAR_AFTER.match(text[tok.end:])):
        return True  # 'kế hoạch 5 năm', '5 năm 2021 - 2025'; not 'tuổi thọ 75,5 năm'
    if tok.end < len(text) and text[tok.end] == "/" or tok.start > 0 and text[tok.start - 1] == "/":
        return True  # a date or a ratio written in the name
    return False


_DURATION_YEARS = 20


def _value_after_name_word(text: str, tok: Token, word: str) -> bool:
    """'cây hằng năm 2.150 ha', 'rau màu các loại 420 ha': a number with its unit after a word
    that may name ('năm 2025', 'loại 2') is a value, unless it is a year after 'năm'."""
    unit = unit_pattern().match(text, tok.end)
    if not unit or normalize_unit(unit.group("unit")).name in ("năm",):
        return False
    return not (1900 <= (tok.meaning or 0) <= 2100 and float(tok.meaning).is_integer())
_WORD_AFTER = regex.compile(r"[\s,(]*\p{L}")  # more of the name follows
_LETTER_AFTER = regex.compile(r"\s+\p{L}")


def _per_one_noun(after: str) -> bool:
    """'1 ha đất', '1 lao động': a measure or count of one, after which the name goes on."""
    m = unit_pattern().match(after)
    if not m or normalize_unit(m.group("unit")).name in ("%", "‰") or _scale_start().match(m.group("unit")):
        return False
    return bool(_LETTER_AFTER.match(after[m.end():]))


@cache
def _per_one() -> regex.Pattern:
    """'trên' or '/' just before a number: 'trên 1 ha' is per hectare."""
    return regex.compile(rf"(?:{vocabulary.alternation(vocabulary.load('vocabulary')['per_words']['words'])})\s*$",
                         regex.IGNORECASE)


@cache
def _scale_start() -> regex.Pattern:
    """A scale word ('triệu', 'tỷ') opening a unit: '1 tỷ USD' is a value, not a count of one."""
    return regex.compile(rf"(?:{vocabulary.alternation(vocabulary.load('units')['scales'])})(?![\p{{L}}])",
                         regex.IGNORECASE)


@cache
def _value_link() -> regex.Pattern:
    """'đạt', 'là', 'ở mức' (and 'khoảng' …) just before a number: it is the value."""
    vocab = vocabulary.load("vocabulary")
    links = vocabulary.alternation(vocab["value_links"]["words"])
    approx = vocabulary.alternation(list(vocab["approximations"]["approximate"]) + list(vocab["prefix_operators"][">"])
                                    + list(vocab["prefix_operators"]["<"]))
    return regex.compile(rf"(?<![\p{{L}}])(?:{links})(?:\s+(?:{approx}))?\s*$", regex.IGNORECASE)
_YEAR_AFTER = regex.compile(r"\s*\p{L}+\s+(?:19|20)\d\d")


def _read_phrase(text: str, tokens: list[Token], i: int) -> tuple[Phrase, int]:
    """Read the phrase around the number tokens[i]; returns it and the index after it."""
    j = i
    while j > 0 and tokens[j - 1].kind in _LEAD:
        j -= 1
    values, units, notes = [tokens[i].meaning], [], []
    if uses_decimal_point(tokens[i].text):
        notes.append("number_format")
    rank = next((t.meaning for t in reversed(tokens[j:i]) if t.kind == "RANK"), None)
    n, k = len(tokens), i + 1
    if rank and k + 1 < n and tokens[k].text == "/" and tokens[k + 1].kind == "NUM":
        k += 2  # 'xếp hạng 15/63': the rank among 63
    if k < n and tokens[k].kind == "UNIT":
        units.append(tokens[k].text); k += 1
    if k + 1 < n and tokens[k].kind == "JOIN" and tokens[k + 1].kind == "NUM":
        values.append(tokens[k + 1].meaning); k += 2
        if k < n and tokens[k].kind == "UNIT":
            units.append(tokens[k].text); k += 1
    post = None
    if k < n and tokens[k].kind == "POST":
        post = tokens[k].meaning; k += 1
    has_ref, ref_year = False, None
    if k < n and tokens[k].kind == "REF":
        has_ref = True; k += 1
        if k < n and tokens[k].kind == "NUM" and 1900 <= tokens[k].meaning <= 2100:
            ref_year = int(tokens[k].meaning); k += 1
    elif units and normalize_unit(units[-1]).name == "lần" and k + 1 < n and tokens[k].kind == "WORD" \
            and tokens[k].text.lower() == "năm" and tokens[k + 1].kind == "NUM" and 1900 <= tokens[k + 1].meaning <= 2100:
        has_ref, ref_year = True, int(tokens[k + 1].meaning); k += 2  # 'gấp 1,5 lần năm 2020'

    # the lead words, in one pass: operators in order, the first direction
    ops, approximate, direction, level_marker = [], False, None, False
    for t in tokens[j:i]:
        if t.kind == "OP":
            ops.append(t.meaning)
        elif t.kind == "APPROX":
            approximate = True
        elif t.kind == "DIR":
            if direction is None:
                direction = t.meaning
        elif t.kind == "LEVEL":
            level_marker = True
    if "about" in ops:
        approximate = True
        ops = [o for o in ops if o != "about"]
    if len(values) == 2:
        op = "between"
        if any(o != "from" for o in ops):
            notes.append("operator_with_range")
        if values[0] > values[1]:
            notes.append("reversed_range")  # '7,0 - 6,5': read as 6,5 … 7,0, never silently
    elif post:
        op = post
    elif ops:
        op = ops[-1]
        if op == "from":
            op = ">="
            notes.append("open_from")
    else:
        op = "="
    if len(units) == 2 and units[0] != units[1]:
        notes.append("unit_mismatch")
    if rank:  # a rank: the value is the place, a better place a lower number
        op = "<=" if rank == "within" else "="
        units = units or [_RANK_UNIT]
    phrase = Phrase(
        start=tokens[j].start, end=tokens[k - 1].end, op=op, values=tuple(values),
        unit=units[-1] if units else None, approximate=approximate, direction=direction,
        level_marker=level_marker, has_reference=has_ref,
        reference_year=ref_year, notes=tuple(notes),
    )
    return phrase, k


def find_phrases(text: str) -> list[Phrase]:
    """Every target phrase in a clean text, in order; numbers that belong to names are skipped.

    >>> [(p.op, p.values, p.unit) for p in find_phrases("Tỷ suất tử vong trẻ em dưới 1 tuổi từ 9,2‰ trở xuống")]
    [('<=', (9.2,), '‰')]
    """
    return list(_phrases_in(text))


@lru_cache(maxsize=8192)  # prose asks again for a clause's parts and groups; cells repeat ("100%")
def _phrases_in(text: str) -> tuple[Phrase, ...]:
    if not _DIGIT.search(text):
        return ()  # every phrase holds a number (NUMBER is written in ASCII digits)
    tokens = tokenize(text)
    phrases, depth, i = [], 0, 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth = max(0, depth - 1)
        if tok.kind == "NUM" and i + 2 < len(tokens) and tokens[i + 1].kind == "JOIN" and tokens[i + 2].kind == "NUM" \
                and _is_year(tok.meaning) and _is_year(tokens[i + 2].meaning):
            i += 3  # a period ('thời kỳ 2021-2025', '2026 - 2030'): never a target range
            continue
        if tok.kind == "NUM" and not _is_name_number(text, tokens, i, depth):
            phrase, i = _read_phrase(text, tokens, i)
            if phrases and _restates(text, phrases[-1], phrase):
                # 'từ 6,5% lên trên 8%': the new value is the target, the verb before the old one its direction
                phrases[-1] = phrase._replace(start=phrases[-1].start, direction=phrase.direction or phrases[-1].direction)
            else:
                phrases.append(phrase)
            continue
        if tok.kind == "NUM" and i + 2 < len(tokens) and tokens[i + 1].kind == "JOIN" and tokens[i + 2].kind == "NUM":
            i += 3  # "giai đoạn 2021 - 2025": the range belongs to the name as a whole
            continue
        i += 1
    return tuple(phrases)


def _is_year(value: float) -> bool:
    return value.is_integer() and 1950 <= value <= 2100


def _restates(text: str, old: Phrase, new: Phrase) -> bool:
    """'(nâng chỉ tiêu …) từ 6,5% lên trên 8%', 'giảm từ 12% xuống còn 10%': an old value
    then the new one; the old one is no bound."""
    return "open_from" in old.notes and new.level_marker and not text[old.end:new.start].strip(" ,")
