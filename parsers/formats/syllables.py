"""Whether words are Vietnamese syllables (syllables.toml), and whether a page's text reads as
Vietnamese: the text-layer check of what legacy fonts and scanners leave.

A word is checked when it holds a letter or sign beyond ASCII (ASCII words are numbers,
abbreviations, foreign names); it is a syllable when its letters, its tone mark taken off, are
an onset and a rime of the grammar, with a tone its rime allows, and its case is one a writer
uses (`người`, `Người`, `NGƯỜI`, not `tÕ`). A word the grammar takes may still stand where it
cannot: a legacy font's misreading of a word the project knows (its vocabulary, units and
indicators: `ngời` for `người` when the printed ư was lost), which is suspect unless the
project knows it too.
"""
from __future__ import annotations

import collections
import itertools
import tomllib
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import regex

from .legacy import legacy_only

_TONES = {"\u0301": "sắc", "\u0300": "huyền", "\u0309": "hỏi", "\u0303": "ngã", "\u0323": "nặng"}
_WORD = regex.compile(r"\S+")
_EDGES = regex.compile(r"^[\p{P}\p{S}\d]+|[\p{P}\p{S}\d]+$")  # punctuation, signs and numbers around a word


@cache
def _grammar() -> dict:
    with (Path(__file__).parent / "syllables.toml").open("rb") as f:
        table = tomllib.load(f)
    return {"onsets": sorted(table["onsets"]["letters"], key=len, reverse=True),
            "rimes": frozenset(table["rimes"]["letters"]), "stops": tuple(table["stops"]["endings"])}


def _toneless(word: str) -> tuple[str, str | None] | None:
    """The word's letters without its tone mark, and the tone; None when it has two tones."""
    tones = [c for c in unicodedata.normalize("NFD", word) if c in _TONES]
    if len(tones) > 1:
        return None
    bare = unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", word) if c not in _TONES))
    return bare, (_TONES[tones[0]] if tones else None)


@cache
def is_syllable(word: str) -> bool:
    """
    >>> [is_syllable(w) for w in ("người", "Người", "NGƯỜI", "giường", "quyết", "kiểm", "gì")]
    [True, True, True, True, True, True, True]
    >>> [is_syllable(w) for w in ("trưêng", "PhÊn", "tÕ", "ngờng", "đợc", "b×nh", "cáp", "càp")]
    [False, False, False, False, False, False, True, False]
    """
    if not (word.islower() or word.isupper() or (word[:1].isupper() and word[1:].islower())):
        return False
    found = _toneless(word.lower())
    if found is None:
        return False
    bare, tone = found
    grammar = _grammar()
    for onset in grammar["onsets"]:
        rime = bare[len(onset):]
        if bare.startswith(onset) and rime in grammar["rimes"] or (onset == "gi" and bare == "gi"):
            if tone in (None, "huyền", "hỏi", "ngã") and rime.endswith(grammar["stops"]):
                continue
            return True
    return False


@cache
def known_syllables() -> frozenset[str]:
    """Every syllable the project's own word tables hold (vocabulary, units, indicators), lower case."""
    from ...normalizers.vocabulary import load

    found: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            found.update(w for w in regex.findall(r"\p{L}+", value.lower()))

    for name in ("vocabulary", "units", "indicators"):
        walk(load(name))
    return frozenset(found)


def with_u_horn(word: str) -> str | None:
    """The word with a TCVN3 ư put back, where a writer that took the code 0xAD for a soft
    hyphen left it out (`trờng`, `ngời`, `đầu t`), or None: it goes back where it makes the
    word a syllable, and into a word that is one already only where the project knows the
    word with it and not without it (`dới` → `dưới`, never `mới` → `mưới`).

    >>> [with_u_horn(w) for w in ("trờng", "ngời", "Nớc", "t", "nh", "đợc", "dới", "mới", "ĐVT", "V")]
    ['trường', 'người', 'Nước', 'tư', 'như', 'được', 'dưới', None, None, None]
    """
    if word.isupper() or word.isascii() and not word.islower():
        return None  # a roman numeral, an abbreviation, or capitals (whose Ư has its own code)
    lower = word.lower()
    found = {onset + "ư" + lower[len(onset):] for onset in _grammar()["onsets"] if lower.startswith(onset)}
    found = {w for w in found if is_syllable(w)}
    if len(found) != 1:
        return None
    (restored,) = found
    if is_syllable(lower) and (lower in known_syllables() or restored not in known_syllables()):
        return None
    return restored.capitalize() if word[:1].isupper() else restored


def words_of(text: str) -> list[str]:
    """The words of a text, the punctuation and numbers around each taken off."""
    return [w for token in _WORD.findall(text) if (w := _edges_off(token))]


@lru_cache(maxsize=1 << 16)  # a document says a few thousand words over and over
def _edges_off(token: str) -> str:
    return _EDGES.sub("", token)


_PARTS = regex.compile(r"[-/]")
_ABBREVIATION = 4  # capitals: `ƯTH` (ước thực hiện) is an abbreviation, a longer word in capitals is checked
_VOWEL = regex.compile(r"[aeiouyăâêôơư]", regex.I)
_SIGNS_AND_NUMBERS = regex.compile(r"[\p{S}\p{N}]")


@lru_cache(maxsize=1 << 16)  # a document says a few thousand words over and over
def odd_word(word: str, plain: bool = False) -> bool:
    """A word of a row that is no syllable, its signs and numbers aside (`ngườ` of a unit cell
    wrapped inside a word; `m²/người` is none). `plain`: small ASCII words are judged too
    (OCR's `theu` for `theo`; a text layer's are English words, `logistics`)."""
    word = _SIGNS_AND_NUMBERS.sub("", word)
    if plain and word.isascii() and word.isalpha() and word.islower():
        return _VOWEL.search(word) is not None and not is_syllable(word)
    return suspect(word, signs=False)


@lru_cache(maxsize=1 << 16)
def suspect(word: str, signs: bool = True) -> bool:
    """A word a reader of Vietnamese would stop at: beyond ASCII and no syllable (the signs a
    legacy code reads as, `b×nh`, `M«i`, make any word one), a compound's parts each judged (`Bà Rịa-Vũng Tàu`,
    `đồng/người`); an abbreviation (no vowel, `ĐVT`, `HĐND`, or a few capitals, `ƯTH`) is none."""
    if word.isascii():
        return False
    if signs and legacy_only().search(word):
        return True
    return any(part and not part.isascii() and _VOWEL.search(unicodedata.normalize("NFD", part))
               and not (part.isupper() and len(part) <= _ABBREVIATION) and not is_syllable(part)
               for part in _PARTS.split(word))


def suspect_share(texts: list[str]) -> tuple[int, int]:
    """(suspect words, words checked) of some texts: the words beyond ASCII."""
    # an ASCII token's word is ASCII too: only the others are looked at
    verdicts = collections.Counter(map(_verdict, itertools.filterfalse(str.isascii, _WORD.findall(" ".join(texts)))))
    return verdicts[2], verdicts[1] + verdicts[2]


@lru_cache(maxsize=1 << 16)
def _verdict(token: str) -> int:
    """0: its word is ASCII (not checked); 1: checked, a syllable; 2: checked, suspect."""
    word = _edges_off(token)
    return 0 if word.isascii() else 1 + suspect(word)
