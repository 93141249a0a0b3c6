"""Target phrases → typed intervals (SPEC §3): a table's target cell (`parse_target`) with
its unit and name, and what a name says about its target (direction, approximation,
reference year), read over the grammar of phrases.py.

The value type lives in interval.py, the tokens in tokens.py, the grammar in phrases.py; this
module re-exports them, so `normalizers.targets` stays the one import for a reader of targets.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from . import vocabulary
from .interval import Bound, InvalidTarget, Target, bounds_for, comparator_for, format_vn
from .notes import status_for
from .phrases import Phrase, _is_name_number, find_phrases
from .text import clean_name, clean_text
from .tokens import Token, tokenize
from .units import Unit, normalize_unit

_SHARES = ("%", "‰", "điểm %")  # units a value written with its number keeps over a count's column

__all__ = ["Bound", "InvalidTarget", "Target", "bounds_for", "comparator_for", "format_vn", "Phrase",
           "find_phrases", "Token", "tokenize", "NameContext", "read_name", "measure_for", "parse_target",
           "build_target", "is_completion", "clause_direction"]


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
    text = _trailing_rate().sub("", _openers().sub("", text))  # '… tăng bình quân' ends on its verb
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


@cache
def _trailing_rate() -> regex.Pattern:
    words = vocabulary.load("vocabulary")["rate_words"]["words"]
    return regex.compile(rf"\s+(?:{vocabulary.alternation(words)})\s*$", regex.IGNORECASE)


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
_LONGEST_FLOAT = 300  # characters: a text this short holds no number past the largest float


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


@lru_cache(maxsize=16384)  # cells repeat across rows and documents ('100%', 'Hoàn thành'); a Target is frozen
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
    if phrases and len(raw) > _LONGEST_FLOAT and not all(math.isfinite(v * u.factor) for p in phrases for v in p.values):
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
    after = raw[phrase.end:].strip(" .;,")
    said = bracketed_direction(after)
    if said and not phrase.direction:
        phrase = phrase._replace(direction=said)  # '16,2 (giữ ổn định)'
    elif after:
        notes.append("text_after_target")
    if phrase.start and clean_name(_openers().sub("", raw[: phrase.start])) not in ("", *_linking_words()):
        notes.append("text_before_target")
    return build_target(raw, phrase, u, context, notes)


_IN_BRACKETS = regex.compile(r"^\(\s*([^()]+?)\s*\)$")


def bracketed_direction(text: str) -> str | None:
    """The direction a bracket after a value says and says alone: '(giữ ổn định)' → maintain."""
    m = _IN_BRACKETS.match(text.strip())
    if not m:
        return None
    tokens = [t for t in tokenize(m.group(1)) if t.kind not in ("PUNCT", "FILL")]
    return tokens[0].meaning if len(tokens) == 1 and tokens[0].kind == "DIR" else None


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
