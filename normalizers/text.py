"""Text cleanup shared by every layer: NFC, no non-breaking spaces, single spaces."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

from . import vocabulary

_SPACES = regex.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")


def clean_text(text: str | None) -> str:
    """NFC, every kind of space folded to one ASCII space, trimmed.

    >>> clean_text("  Bảo hiểm \\n xã\\u00a0hội  ")
    'Bảo hiểm xã hội'
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    # Most texts are clean already (cells, names, their parts cleaned before): a printable
    # text holds no space but ' ' (tested over every code point), so only '  ' needs the regex.
    if text.isprintable() and "  " not in text:
        return text.strip()
    return _SPACES.sub(" ", text).strip()


def _trailing_pattern() -> regex.Pattern:
    words = vocabulary.load("vocabulary")["linking"]["trailing"]
    return regex.compile(rf"(?:[\s:;,.\-–]|(?<![\p{{L}}])(?:{vocabulary.alternation(words)}))+$", regex.IGNORECASE)


_TRAILING = _trailing_pattern()


@lru_cache(maxsize=8192)  # names repeat from one year's, one province's document to the next
def clean_name(text: str | None) -> str:
    """An indicator's name: clean text without trailing punctuation or linking word.

    >>> clean_name("Phân loại và xử lý rác thải sinh hoạt tại nguồn, trong đó:")
    'Phân loại và xử lý rác thải sinh hoạt tại nguồn'
    >>> clean_name("GRDP bình quân đầu người (giá hiện hành) đạt")
    'GRDP bình quân đầu người (giá hiện hành)'
    >>> clean_name("Tỷ lệ dân số sử dụng nước sạch đạt chuẩn ")
    'Tỷ lệ dân số sử dụng nước sạch đạt chuẩn'
    """
    name = clean_text(text)
    while (m := _TRAILING.search(name)) and m.start() > 0:
        name = name[: m.start()].rstrip()
    # A name that is nothing but a linking word keeps it: better a short name than none.
    return name.strip(" :;,.-–") if not name.strip(" :;,.-–") == "" else name


def capitalize_first(text: str) -> str:
    """Upper-case the first letter only ("tỷ suất …" → "Tỷ suất …")."""
    return text[:1].upper() + text[1:] if text else text


def is_lower_start(text: str) -> bool:
    """Whether a text starts with a lower-case letter (a line that continues a sentence)."""
    for ch in text:
        if ch.isalpha():
            return ch.islower()
        if not ch.isspace():
            return False
    return False
