"""One indicator across documents and years (SPEC §2.1): its canonical key and its id.

The key is the printed name without what varies between offices and years: case, linking and
direction words, the year and period, `so với năm …`, brackets, punctuation; known synonyms
are folded first (`indicators.toml`). The id is a hash of the jurisdiction, the key and the
folded unit, so it depends on nothing but the row itself: not on batch order, `--jobs`, or
which other documents were read.

>>> indicator_key("Tỷ lệ che phủ của rừng") == indicator_key("Tỷ lệ che phủ rừng")
True
>>> indicator_key("Tổng thu ngân sách nhà nước trên địa bàn năm 2024")
'thu ngân sách nhà nước trên địa bàn'
>>> indicator_key("Số bác sỹ trên 10.000 dân") == indicator_key("Số bác sĩ/vạn dân")
True
>>> unit_key("giường bệnh") == unit_key("giường")
True
"""
from __future__ import annotations

import hashlib
import unicodedata
from functools import cache, lru_cache

import regex

from . import vocabulary

_YEARS = regex.compile(
    r"(?:(?:so với|so)\s+(?:cùng kỳ\s+)?(?:năm\s+)?\d{4})"
    r"|(?:(?:giai đoạn|thời kỳ|nhiệm kỳ|kế hoạch|kỳ|5 năm)\s+)?(?<!\d)(?:19|20)\d\d\s*[-–]\s*(?:19|20)?\d\d(?!\d)"
    r"|(?:(?:đến|vào|trong|của)\s+)?(?:năm\s+)?(?<![\d.,])(?:19[5-9]\d|20\d\d)(?![\d.,])", regex.IGNORECASE)
_BRACKETS = regex.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_PUNCTUATION = regex.compile(r"[^\p{L}\p{N}\p{M}%‰/²³\s]")
_SPACES = regex.compile(r"\s+")
_SLASH = regex.compile(r"\s*/\s*")


@cache
def _table(name: str) -> dict:
    return vocabulary.load("indicators")[name]


@cache
def _synonyms() -> tuple[regex.Pattern, dict[str, str]]:
    spelled = {s.lower(): canon for canon, words in _table("synonyms").items() for s in words}
    pattern = regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{vocabulary.alternation(spelled)})(?![\p{{L}}\p{{N}}])")
    return pattern, spelled


@cache
def _dropped() -> regex.Pattern:
    return vocabulary.word_pattern(_table("dropped_words")["words"])


@cache
def _kept() -> regex.Pattern:
    return vocabulary.word_pattern(_table("kept_compounds")["words"])


@cache
def _leading() -> regex.Pattern:
    words = vocabulary.alternation(_table("leading_words")["words"])
    return regex.compile(rf"^(?:(?:{words})(?![\p{{L}}\p{{N}}])\s*)+")


@cache
def _heads() -> regex.Pattern:
    words = vocabulary.load("vocabulary")["indicator_heads"]["words"]
    return regex.compile(rf"^(?:{vocabulary.alternation(words)})(?![\p{{L}}\p{{N}}])")


def _fold(text: str) -> str:
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip().lower()
    pattern, spelled = _synonyms()
    return pattern.sub(lambda m: spelled[m.group(0)], text)


@lru_cache(maxsize=16384)  # one indicator's name comes back in every document and year
def indicator_key(name: str | None, parent: str | None = None) -> str:
    """The canonical key of an indicator's printed name. A sub-row that names only what
    differs from its parent (`Trong đó: có bằng cấp, chứng chỉ` under `Tỷ lệ lao động qua
    đào tạo`) is keyed under its parent's key."""
    text = _YEARS.sub(" ", _fold(name or ""))
    text = _fold(text)
    text = _BRACKETS.sub(" ", text)
    text = _SLASH.sub("/", _PUNCTUATION.sub(" ", text))
    # keep the nouns that hold a direction word ('tăng trưởng'), drop the words themselves
    text = _kept().sub(lambda m: m.group(0).replace(" ", "\x00").replace("tăng", "\x01").replace("giảm", "\x02"), text)
    text = _dropped().sub(" ", text)
    text = text.replace("\x00", " ").replace("\x01", "tăng").replace("\x02", "giảm")
    text = _SPACES.sub(" ", text).strip()
    text = _leading().sub("", text).strip()
    if parent and text and not _heads().match(text):
        return f"{indicator_key(parent)} {text}".strip()
    return text


@lru_cache(maxsize=1024)
def unit_key(unit: str | None) -> str:
    """The unit as the link compares it: `giường bệnh` and `giường` are one unit."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", unit or "")).strip()
    folds = {s: canon for canon, words in _table("unit_folds").items() for s in words}
    return folds.get(text.lower(), text)


def indicator_id(jurisdiction: str | None, key: str, unit: str | None) -> str | None:
    """12 hex digits of the SHA-256 of jurisdiction, key and folded unit; None without a key."""
    if not key:
        return None
    text = "\x1f".join((unicodedata.normalize("NFC", jurisdiction or ""), key, unit_key(unit)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
