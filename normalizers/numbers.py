"""Vietnamese numbers: ',' is the decimal mark, '.' groups thousands (SPEC §3)."""
from __future__ import annotations

import regex


class InvalidNumber(ValueError):
    """A text that is not a number as Vietnamese documents write them."""


# A number as written: "1.000", "50.400", "28,3", "99,77", "07", "1.234,5"; also "6.5" (a
# decimal point, which some offices type) — told apart from grouping by the three digits rule.
# Digits are ASCII [0-9], the ones Vietnamese documents use: `\d` would also take digits of
# other scripts, some newer than this Python's Unicode tables, which float() cannot read. A
# number in other digits is left unread (its row is unparsed), never misread.
NUMBER = regex.compile(
    r"(?<![\p{N}.,])[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?(?![\p{N}]|[.,]\d)"
    r"|(?<![\p{N}.,])[0-9]+(?:[,.][0-9]+)?(?![\p{N}]|[.,]\d)"
)


_GROUPED = regex.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?")
_POINT = regex.compile(r"[0-9]+\.[0-9]+")
_GROUPED_ONLY = regex.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")


def parse_number(text: str) -> float:
    """The value of a Vietnamese number.

    >>> parse_number("1.000"), parse_number("28,3"), parse_number("50.400"), parse_number("07")
    (1000.0, 28.3, 50400.0, 7.0)
    >>> parse_number("1.234,5")
    1234.5
    """
    s = text.strip()
    if not NUMBER.fullmatch(s):
        raise InvalidNumber(f"{text!r} is not a number (expected digits, '.' between thousands, ',' before decimals)")
    return number_value(s)


def number_value(number: str) -> float:
    """The value of a text NUMBER has matched (the tokenizer's numbers: checked already)."""
    if "." in number and _GROUPED.fullmatch(number):
        return float(number.replace(".", "").replace(",", "."))
    return float(number.replace(",", "."))


def uses_decimal_point(text: str) -> bool:
    """True for "6.5": a '.' that cannot be a thousands separator, read as a decimal point."""
    if "." not in text:
        return False  # most numbers: no regex needed
    return bool(_POINT.fullmatch(text.strip())) and not _GROUPED_ONLY.fullmatch(text.strip())
