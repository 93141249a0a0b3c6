"""Target phrases → typed intervals (SPEC §3).

Vietnamese is first translated into canonical tokens using the word tables in
vocabulary.toml ("không vượt quá" → OP "<=", "trở xuống" → POST "<="), then one small grammar
reads the canonical form:

    phrase := lead* NUM [UNIT] [JOIN NUM [UNIT]] [POST] [REF [NUM]]
    lead   := OP | APPROX | DIR | LEVEL

The same grammar reads a table's target cell (`parse_target`) and finds the targets inside a
resolution's sentence (`find_targets`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple

import regex

from . import vocabulary
from .numbers import NUMBER, number_value, uses_decimal_point
from .text import clean_name, clean_text
from .notes import status_for
from .units import Unit, normalize_unit, unit_pattern


class InvalidTarget(ValueError):
    """A target phrase the grammar cannot read."""


# ---------------------------------------------------------------------------- the value type


@dataclass(frozen=True)
class Bound:
    """One end of an interval; `inclusive` says whether `value` itself meets the target."""

    value: float
    inclusive: bool


@dataclass(frozen=True)
class Target:
    """A target as read: an interval with its unit and meaning, and the raw text beside it."""

    text: str
    kind: str = "numeric"  # numeric | completion | qualitative | none
    low: Bound | None = None
    high: Bound | None = None
    unit: str | None = None
    unit_raw: str | None = None
    approximate: bool = False
    measure: str | None = None  # level | change (numeric only)
    direction: str | None = None  # increase | decrease | maintain
    reference_year: int | None = None
    status: str = "ok"  # ok | review | unparsed
    notes: tuple[str, ...] = field(default=())

    @property
    def comparator(self) -> str | None:
        return comparator_for(self.low, self.high) if self.kind == "numeric" else None

    def __str__(self) -> str:
        if self.kind != "numeric" or self.status == "unparsed":
            return self.text
        op = self.comparator
        parts = ["khoảng"] if self.approximate else []
        if self.measure == "change" and self.direction in ("increase", "decrease"):
            parts.append("tăng" if self.direction == "increase" else "giảm")
        if op == "between":
            parts.append(f"{format_vn(self.low.value)} - {format_vn(self.high.value)}")
        elif op == "=":
            parts.append(format_vn(self.low.value))
        else:
            value = self.low.value if op in (">", ">=") else self.high.value
            parts.append(f"{_SYMBOL[op]} {format_vn(value)}")
        if self.unit:
            parts.append(self.unit)
        if self.reference_year is not None:
            parts.append(f"so với năm {self.reference_year}")
        return " ".join(parts)

    def __repr__(self) -> str:
        lo = f"[{self.low.value:g}" if self.low and self.low.inclusive else f"({self.low.value:g}" if self.low else "(-∞"
        hi = f"{self.high.value:g}]" if self.high and self.high.inclusive else f"{self.high.value:g})" if self.high else "∞)"
        interval = f"{lo}, {hi}" if self.kind == "numeric" and (self.low or self.high) else self.kind
        extras = "".join(f" {x}" for x in (self.unit, self.measure, self.direction) if x)
        return f"<Target {interval}{extras}{' ~' if self.approximate else ''} {self.text!r}>"


_SYMBOL = {">": ">", ">=": "≥", "<": "<", "<=": "≤"}


def format_vn(value: float) -> str:
    """A number as Vietnamese write it, so that `str(target)` parses back.

    >>> format_vn(124000.0), format_vn(6.5), format_vn(99.77)
    ('124.000', '6,5', '99,77')
    """
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    grouped = ".".join(regex.findall(r"\d{1,3}", whole[::-1]))[::-1]
    return f"{sign}{grouped}{',' + frac if frac else ''}"


def bounds_for(op: str, a: float, b: float | None = None) -> tuple[Bound | None, Bound | None]:
    """The interval an operator makes of one or two values."""
    if op == "=":
        return Bound(a, True), Bound(a, True)
    if op == "between":
        return Bound(min(a, b), True), Bound(max(a, b), True)
    if op in (">", ">="):
        return Bound(a, op == ">="), None
    if op in ("<", "<="):
        return None, Bound(a, op == "<=")
    raise InvalidTarget(f"unknown comparator {op!r}; expected one of = between > >= < <=")


def comparator_for(low: Bound | None, high: Bound | None) -> str | None:
    """The comparator a pair of bounds reads as (SPEC: derived from the bounds)."""
    if low and high:
        return "=" if low.value == high.value else "between"
    if low:
        return ">=" if low.inclusive else ">"
    if high:
        return "<=" if high.inclusive else "<"
    return None


# ---------------------------------------------------------------------------- tokens


class Token(NamedTuple):  # a tuple, not a dataclass: one is made for every word, and builds 3× faster
    kind: str  # NUM UNIT OP POST JOIN APPROX DIR LEVEL REF PUNCT WORD
    text: str
    start: int
    end: int
    meaning: object = None


_TABLES = {
    "prefix_operators": "OP",
    "postfix_operators": "POST",
    "range_joiners": "JOIN",
    "approximations": "APPROX",
    "directions": "DIR",
}


@cache
def _lexicon() -> dict[str, tuple[str, object]]:
    """Every spelling the grammar knows → (token kind, canonical meaning)."""
    vocab = vocabulary.load("vocabulary")
    lexicon: dict[str, tuple[str, object]] = {}
    for table, kind in _TABLES.items():
        for spelling, meaning in vocabulary.spellings(vocab[table]).items():
            lexicon[spelling] = (kind, meaning)
    for spelling in vocab["level_markers"]["words"]:
        lexicon[spelling] = ("LEVEL", True)
    for spelling in vocab["reference"]["words"]:
        lexicon[spelling] = ("REF", None)
    for meaning, words in vocab["ranks"].items():
        for spelling in words:
            lexicon[spelling] = ("RANK", meaning)
    for spelling in vocab["lead_fillers"]["words"]:
        lexicon[spelling] = ("FILL", None)
    # Words that merely contain a direction ("tăng trưởng" is growth, a noun).
    for spelling in vocab["not_directions"]["words"]:
        lexicon[spelling] = ("WORD", None)
    return lexicon


@cache
def _master() -> regex.Pattern:
    r"""One token at a time; a number takes the unit written after it (group 'unit').

    No alternative starts with a space, so `finditer` steps over the spaces between tokens,
    and every other character starts one (`\S` is the last resort): no text is skipped.
    """
    lexicon = _lexicon()
    words = [s for s in lexicon if regex.search(r"\p{L}", s)]
    symbols = [s for s in lexicon if s not in words]
    return regex.compile(
        rf"(?P<num>{NUMBER.pattern})(?:{unit_pattern().pattern})?"
        rf"|(?P<vocab>(?<![\p{{L}}\p{{N}}])(?:{vocabulary.alternation(words)})(?![\p{{L}}\p{{N}}]))"
        rf"|(?P<sym>{vocabulary.alternation(symbols)})"
        r"|(?P<punct>[;:,()/.%‰])"
        r"|(?P<word>[\p{L}\p{M}]+|\S)",
        regex.IGNORECASE,
    )


def tokenize(text: str) -> list[Token]:
    """Canonical tokens of a clean text; a unit right after a number becomes one UNIT token."""
    lexicon = _lexicon()
    tokens: list[Token] = []
    append = tokens.append
    for m in _master().finditer(text):
        kind = m.lastgroup  # 'unit' when a number has its unit: the last group to close
        start, end = m.span()
        if kind == "num" or kind == "unit":
            num_end = m.end("num")
            word = text[start:num_end]
            append(Token("NUM", word, start, num_end, number_value(word)))
            if kind == "unit":
                append(Token("UNIT", m.group("unit"), m.start("unit"), end))
        elif kind == "vocab" or kind == "sym":
            word = m.group()
            tk, meaning = lexicon[word.lower()]
            append(Token(tk, word, start, end, meaning))
        else:
            append(Token("PUNCT" if kind == "punct" else "WORD", m.group(), start, end))
    return tokens


# ---------------------------------------------------------------------------- the grammar


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
_SHARES = ("%", "‰", "điểm %")
_LEAD = ("OP", "APPROX", "DIR", "LEVEL", "RANK", "FILL")
_CONTEXT = 40  # characters before a number that may say it belongs to the name


@cache
def _name_number_contexts() -> tuple[regex.Pattern, ...]:
    table = vocabulary.load("vocabulary")["name_numbers"]
    before = regex.compile(rf"(?<![\p{{L}}])(?:{vocabulary.alternation(table['before'])})\s*$", regex.IGNORECASE)
    after = regex.compile(rf"^\s*(?:{vocabulary.alternation(table['after'])})(?![\p{{L}}])", regex.IGNORECASE)
    duration = regex.compile(rf"^\s*(?:{vocabulary.alternation(table['durations'])})(?![\p{{L}}])", regex.IGNORECASE)
    ages = regex.compile(rf"^\s*(?:{vocabulary.alternation(table['ages'])})(?![\p{{L}}])", regex.IGNORECASE)
    return before, after, duration, ages


def _is_name_number(text: str, tokens: list[Token], i: int, depth: int) -> bool:
    """A number that belongs to the name: 'giai đoạn 2021', 'dưới 5 tuổi', '(… 2010)',
    '04/01/2024', 'kế hoạch 5 năm'; not the number after a rank word ('xếp hạng 15/63')."""
    tok = tokens[i]
    if i > 0 and tokens[i - 1].kind == "RANK":
        return False
    if depth > 0:
        return True
    before, after, duration, ages = _name_number_contexts()
    window = text[max(0, tok.start - _CONTEXT): tok.start]
    if tok.start and before.search(window):
        return True
    if after.match(text[tok.end:]):
        return True  # 'trên 10.000 dân', '17/17 chỉ tiêu'
    m = ages.match(text[tok.end:])
    if m and not _value_link().search(window) and _WORD_AFTER.match(text, tok.end + m.end()):
        return True  # 'trẻ em dưới 5 tuổi …'; but '(tuổi thọ đạt) khoảng 74,5 tuổi' is a value
    if tok.meaning == 1 and _PER_ONE.search(window) and _LETTER_AFTER.match(text[tok.end:]) \
            and not unit_pattern().match(text, tok.end) or tok.meaning == 1 and _PER_ONE.search(window) \
            and _per_one_noun(text[tok.end:]):
        return True  # 'trên 1 ha', 'trên một lao động': per, not a bound
    if duration.match(text[tok.end:]) and (tok.meaning < _DURATION_YEARS or _YEAR_AFTER.match(text[tok.end:])):
        return True  # 'kế hoạch 5 năm', '5 năm 2021 - 2025'; not 'tuổi thọ 75,5 năm'
    if tok.end < len(text) and text[tok.end] == "/" or tok.start > 0 and text[tok.start - 1] == "/":
        return True  # a date or a ratio written in the name
    return False


_DURATION_YEARS = 20
_WORD_AFTER = regex.compile(r"[\s,(]*\p{L}")  # more of the name follows
_PER_ONE = regex.compile(r"(?:trên|/)\s*$", regex.IGNORECASE)
_LETTER_AFTER = regex.compile(r"\s+\p{L}")


def _per_one_noun(after: str) -> bool:
    """'1 ha đất', '1 lao động': a measure or count of one, after which the name goes on."""
    m = unit_pattern().match(after)
    if not m or normalize_unit(m.group("unit")).name in ("%", "‰") or _SCALE_START.match(m.group("unit")):
        return False
    return bool(_LETTER_AFTER.match(after[m.end():]))


_SCALE_START = regex.compile(r"(?:nghìn|ngàn|triệu|tỷ|tỉ)\b", regex.IGNORECASE)


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


# ---------------------------------------------------------------------------- reading a target


@dataclass(frozen=True)
class NameContext:
    """What an indicator's name says about its target: 'Giảm …', '… khoảng', '… tăng so với năm 2023'."""

    direction: str | None = None
    position: str | None = None  # leading | trailing
    approximate: bool = False
    has_reference: bool = False
    reference_year: int | None = None


@cache
def _openers() -> regex.Pattern:  # noqa: E302
    words = vocabulary.load("vocabulary")["prose_openers"]["words"]
    return regex.compile(rf"^(?:(?:{vocabulary.alternation(words)})(?![\p{{L}}])\s*)+", regex.IGNORECASE)


@lru_cache(maxsize=8192)  # a document's names repeat in the next year's and the next province's
def read_name(name: str | None) -> NameContext:
    """Direction, approximation and reference year written in an indicator's name.

    >>> read_name("Tốc độ tăng trưởng kinh tế (GRDP) tăng so với năm 2023")
    NameContext(direction='increase', position='trailing', approximate=False, has_reference=True, reference_year=2023)
    >>> read_name("Duy trì tỷ lệ che phủ cây xanh").direction
    'maintain'
    """
    text = clean_text(name)
    if not text:
        return NameContext()
    text = _openers().sub("", text)
    tokens = [t for t in tokenize(text) if t.kind != "PUNCT"]
    if not tokens:
        return NameContext()
    has_ref, ref_year, end = False, None, len(tokens)
    for k, t in enumerate(tokens):
        if t.kind == "REF":
            has_ref, end = True, k
            if k + 1 < len(tokens) and tokens[k + 1].kind == "NUM" and 1900 <= tokens[k + 1].meaning <= 2100:
                ref_year = int(tokens[k + 1].meaning)
            break
    body = tokens[:end]
    approximate = bool(body) and body[-1].kind == "APPROX"
    if approximate:
        body = body[:-1]
    direction = position = None
    if body and body[0].kind == "DIR":
        direction, position = body[0].meaning, "leading"
    elif body and body[-1].kind == "DIR":
        direction, position = body[-1].meaning, "trailing"
    return NameContext(direction, position, approximate, has_ref, ref_year)


def measure_for(direction: str | None, where: str | None, phrase: Phrase, unit: str | None,
                has_reference: bool = False) -> tuple[str, tuple[str, ...]]:
    """Whether the value is the indicator's level or its change, and what had to be guessed.

    'tăng 8% so với năm 2023' and 'giảm 0,1 điểm %' are changes; 'giảm … còn dưới 4%' and
    'giảm … từ 12,2% trở xuống' are levels; a verb at the end of a table's name
    ('Tỷ lệ … giảm' | 7,6) most often names the level the rate should fall to: a guess.
    """
    has_reference = has_reference or phrase.has_reference
    if direction is None or direction == "maintain":
        return ("change" if has_reference else "level"), ()
    if has_reference or unit == "điểm %":
        return "change", ()
    if phrase.level_marker:
        return "level", ()
    if where == "phrase":
        return "change", ()
    if where == "leading":
        return ("level" if phrase.op in ("<", "<=", ">", ">=") else "change"), ()
    # A verb ending a table's name ('Tỷ lệ hộ nghèo giảm' | 3 - 3,5): a range is how offices
    # write a reduction to make; one value most often the level to fall to. Both are a guess.
    if phrase.op == "between":
        return "change", ("direction_from_trailing_verb",)
    return "level", ("direction_from_trailing_verb",)


@cache
def _linking_words() -> tuple[str, ...]:
    return tuple(vocabulary.load("vocabulary")["linking"]["trailing"])


@cache
def _completion_words() -> regex.Pattern:
    words = vocabulary.load("vocabulary")["completion"]["words"]
    return regex.compile(rf"^(?:{vocabulary.alternation(words)})(?![\p{{L}}])", regex.IGNORECASE)


def is_completion(text: str) -> bool:
    """'Hoàn thành …' says the target is to complete something, not to reach a number."""
    return bool(_completion_words().match(clean_text(text)))


_DIGIT = regex.compile(r"\d")


_WORDS = regex.compile(r"\p{L}{2,}")


def _only_name_numbers(text: str) -> bool:
    """Every number of the text belongs to a name ('Giảm trên cả 3 tiêu chí', 'giai đoạn
    2021 - 2025'): the text is a qualitative target, not an unread number."""
    if not _WORDS.search(text):
        return False  # '(1)/(2)': nothing but numbers is no qualitative target
    tokens = tokenize(text)
    depth, found = 0, False
    for i, tok in enumerate(tokens):
        depth += tok.text == "("
        depth -= tok.text == ")" and depth > 0
        if tok.kind == "NUM":
            found = True
            if not _is_name_number(text, tokens, i, depth) and not (
                    i >= 2 and tokens[i - 1].kind == "JOIN" and tokens[i - 2].kind == "NUM"):
                return False
    return found


@cache
def _no_target_cells() -> frozenset[str]:
    """'x', '-': a cell that says the row has no target."""
    return frozenset(vocabulary.load("vocabulary")["no_target_cells"]["words"])


def parse_target(text: str | None, unit: str | Unit | None = None, name: str | None = None) -> Target:
    """Read a target as written in a table's target cell, with the row's unit and name.

    Never raises: a text the grammar cannot read comes back with status 'unparsed'.

    >>> str(parse_target("Trên 90", unit="%"))
    '> 90 %'
    >>> t = parse_target("124", unit="1.000 tỷ đồng", name="Tổng vốn đầu tư phát triển toàn xã hội khoảng")
    >>> (t.low.value, t.unit, t.approximate)
    (124000.0, 'tỷ đồng', True)
    >>> parse_target("từ 9,2‰ trở xuống")
    <Target (-∞, 9.2] ‰ level 'từ 9,2‰ trở xuống'>
    """
    raw = clean_text(text)
    u = unit if isinstance(unit, Unit) else normalize_unit(unit)
    context = read_name(name)
    if not raw or raw.lower() in _no_target_cells():
        return Target(raw, kind="none", unit=u.name, unit_raw=u.raw)
    if u.completion or is_completion(raw):
        return Target(raw, kind="completion", unit=None, unit_raw=u.raw)
    phrases = find_phrases(raw)
    if phrases and not all(math.isfinite(v * u.factor) for p in phrases for v in p.values):
        # a number too large for a float (300+ digits) is kept as written, never as inf
        return Target(raw, kind="numeric", unit=u.name, unit_raw=u.raw, status="unparsed", notes=("number_out_of_range",))
    if not phrases:
        if _DIGIT.search(raw) and not _only_name_numbers(raw):
            return Target(raw, kind="numeric", unit=u.name, unit_raw=u.raw, status="unparsed", notes=("no_target_phrase",))
        return Target(raw, kind="qualitative", unit=u.name, unit_raw=u.raw, direction=clause_direction(raw, name))
    phrase = phrases[0]
    notes = list(phrase.notes)
    if len(phrases) > 1:
        notes.append("several_targets_in_cell")
    if raw[phrase.end:].strip(" .;,"):
        notes.append("text_after_target")
    if phrase.start and clean_name(_openers().sub("", raw[: phrase.start])) not in ("", *_linking_words()):
        notes.append("text_before_target")
    return build_target(raw, phrase, u, context, notes)


def build_target(text: str, phrase: Phrase, unit: Unit, context: NameContext, notes: list[str]) -> Target:
    """Combine a phrase, the row's unit and what the name says into one Target."""
    written_unit = normalize_unit(phrase.unit) if phrase.unit else None
    if unit.name and written_unit and written_unit.name in _SHARES and unit.name not in _SHARES:
        # 'Giảm 10% so với năm 2025' in a row whose unit is 'Vụ': the change is in percent
        name, raw, factor = written_unit.name, phrase.unit, written_unit.factor
        notes.append("unit_mismatch")
    elif unit.name:
        name, raw, factor = unit.name, unit.raw, unit.factor
        if written_unit and written_unit.name != unit.name:
            notes.append("unit_mismatch")
    elif written_unit:
        name, raw, factor = written_unit.name, phrase.unit, written_unit.factor
    else:
        name, raw, factor = None, unit.raw, 1.0
    values = phrase.values if factor == 1.0 else [v * factor for v in phrase.values]
    low, high = bounds_for(phrase.op, *values)
    if phrase.direction:
        direction, where = phrase.direction, "phrase"
    else:
        direction, where = context.direction, context.position
    has_reference = phrase.has_reference or context.has_reference
    reference_year = phrase.reference_year if phrase.has_reference else context.reference_year
    measure, guessed = measure_for(direction, where, phrase, name, has_reference)
    notes.extend(guessed)
    if factor != 1.0:
        notes.append("unit_factor_folded")
    return Target(
        text=text, kind="numeric", low=low, high=high, unit=name, unit_raw=raw,
        approximate=phrase.approximate or context.approximate, measure=measure,
        direction=direction, reference_year=reference_year,
        status=status_for(notes), notes=tuple(dict.fromkeys(notes)),
    )


# ---------------------------------------------------------------------------- qualitative text


@cache
def _neutral_verbs() -> regex.Pattern:
    words = vocabulary.load("vocabulary")["neutral_verbs"]["words"]
    return regex.compile(rf"^(?:{vocabulary.alternation(words)})(?![\p{{L}}])", regex.IGNORECASE)


_WORD = regex.compile(r"[\p{L}\p{M}]+")
_SENTENCE_STOP = regex.compile(r";|\.\s")


@cache
def _clause_stop() -> regex.Pattern:
    """Where a qualitative sentence divides into clauses: ',' or a clause joiner ('và')."""
    words = vocabulary.load("vocabulary")["clause_joiners"]["words"]
    return regex.compile(rf"\s+(?:{vocabulary.alternation(words)})\s+|,\s*")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def clause_direction(text: str, name: str | None) -> str | None:
    """The direction a qualitative target gives the row named `name`.

    A merged target cell often covers several rows: 'Phấn đấu kéo giảm số vụ …; kiềm chế làm
    giảm số vụ tai nạn … và cháy nổ lớn và phát hiện số vụ ma túy …'. Each clause carries the
    direction of its own verb, or of the clause before when it starts with no verb; the row
    takes the clause that shares most words with its name.
    """
    clauses = _clause_directions(text)
    if not clauses:
        return None
    if not name:
        return clauses[0][1]
    want = _words(name)
    best = max(clauses, key=lambda c: len(want & _words(c[0])))
    return best[1] if want & _words(best[0]) else None


@lru_cache(maxsize=1024)  # a merged cell's text is read again for every row it covers
def _clause_directions(text: str) -> tuple[tuple[str, str | None], ...]:
    """Each clause of a qualitative text with the direction it carries."""
    clauses: list[tuple[str, str | None]] = []
    for part in _SENTENCE_STOP.split(clean_text(text)):
        current = None
        for clause in _clause_stop().split(part):
            clause = _openers().sub("", clause.strip())
            if not clause:
                continue
            dirs = [t.meaning for t in tokenize(clause) if t.kind == "DIR"]
            if dirs:
                current = dirs[0]
            elif _neutral_verbs().match(clause):
                current = None
            clauses.append((clause, current))
    return tuple(clauses)
