"""List markers typed at the start of a line: what every reader uses to split a line into its
marker and its text, so that a typed `a)` and one made by Word's numbering look the same.

A marker is only a marker when text follows it after a space (or a TAB): `1.500 tỷ đồng` at
the start of a wrapped line is a number, `1. Về kinh tế` is an item. The words of article
markers (`Điều 1.`) are data in markers.toml.
"""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import regex

_ROMAN = r"(?=[IVXLC]{1,6}\b)M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})"
_LETTER = r"[a-zđ]"
_SPACES = regex.compile(r"\s+")


@cache
def _words() -> dict:
    with (Path(__file__).parent / "markers.toml").open("rb") as f:
        return tomllib.load(f)


@cache
def _pattern() -> regex.Pattern:
    articles = "|".join(regex.escape(w) for w in _words()["articles"]["words"])
    bullets = "".join(regex.escape(b) for b in _words()["bullets"]["symbols"])
    forms = [
        rf"(?:{articles})\s+\d{{1,3}}[.:]?",          # Điều 1.  Điều 2:
        r"\(\s*(?:\d{1,3}|[a-zđ]|" + _ROMAN + r")\s*\)[.:]?",  # (1)  (a)  (II)  (1).
        r"\d{1,2}(?:\.\d{1,2}){1,3}\.?(?=\s+\p{Lu})",  # 2.1 Về … (no closing point: a capital follows)
        r"\d{1,2}(?:\.\d{1,2}){0,3}[.)]",              # 1.  1)  2.1.  2.1.3.
        rf"{_LETTER}[.)]",                               # a)  đ)  a.
        rf"[A-ZĐ][.)]",                                  # A.  B)
        _ROMAN + r"[.)/-]",                              # I.  II.  IV-
    ]
    # A bullet may touch its text ('-Tốc độ …'); any other marker is followed by a space.
    return regex.compile(
        rf"^\s*(?:(?P<marker>{'|'.join(forms)})[ \t\u00a0]+|(?P<marker>[{bullets}]+)(?:[ \t\u00a0]+|(?=\p{{L}})))"
        rf"(?P<rest>\S.*)$",
        regex.DOTALL,
    )


def split_marker(text: str) -> tuple[str | None, str]:
    """(marker, text after it) of a line; (None, text) when it has no list marker.

    >>> split_marker("a) Về kinh tế:")
    ('a)', 'Về kinh tế:')
    >>> split_marker("1.500 tỷ đồng")
    (None, '1.500 tỷ đồng')
    >>> split_marker("(3) Tỷ lệ hộ nghèo giảm 1%")
    ('(3)', 'Tỷ lệ hộ nghèo giảm 1%')
    """
    m = _pattern().match(text)
    if not m:
        return None, text
    marker = _SPACES.sub(" ", m.group("marker").strip())
    return marker, m.group("rest")
