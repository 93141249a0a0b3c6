"""Vietnamese into canonical tokens: every word the grammar knows comes from the tables of
vocabulary.toml ("không vượt quá" → OP "<=", "trở xuống" → POST "<="), a number takes the unit
written after it, and every other character is a WORD or PUNCT token."""
from __future__ import annotations

from functools import cache
from typing import NamedTuple

import regex

from . import vocabulary
from .numbers import NUMBER, number_value
from .units import unit_pattern


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


def first_token(text: str) -> Token | None:
    """The first token of a text, read alone: what a caller asks who only needs to know how
    a text begins ('Giảm tỷ lệ …' begins with a DIR), without tokenizing all of it."""
    start = len(text) - len(text.lstrip())
    for token in _tokens_of(_master().match(text, start), text):
        return token
    return None


def _tokens_of(m, text: str) -> list[Token]:
    if m is None:
        return []
    kind, (start, end) = m.lastgroup, m.span()
    if kind == "num" or kind == "unit":
        word = text[start:m.end("num")]
        return [Token("NUM", word, start, m.end("num"), number_value(word))]
    if kind == "vocab" or kind == "sym":
        tk, meaning = _lexicon()[m.group().lower()]
        return [Token(tk, m.group(), start, end, meaning)]
    return [Token("PUNCT" if kind == "punct" else "WORD", m.group(), start, end)]
