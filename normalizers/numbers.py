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
# A number glued to one capital letter is a name ('5G', '4G', '3D'), not a value.
NUMBER = regex.compile(
    r"(?<![\p{N}.,])[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?(?![\p{N}]|[.,]\d|\p{Lu}(?!\p{L}))"
    r"|(?<![\p{N}.,])[0-9]+(?:[,.][0-9]+)?(?![\p{N}]|[.,]\d|\p{Lu}(?!\p{L}))"
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


# English-style numbers (SPEC 3.1): '4.5%' cannot be Vietnamese (one or two digits after a
# point); a document that writes one such number writes '12,000 USD' the English way too.
_ENGLISH_DECIMAL = regex.compile(r"(?<![\p{N}.,])[0-9]+\.[0-9]{1,2}(?![\p{N}]|[.,][0-9])")
_ENGLISH_NUMBER = regex.compile(r"(?<![\p{N}.,])[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![\p{N}]|[.,][0-9])"
                                r"|(?<![\p{N}.,])[0-9]+\.[0-9]{1,2}(?![\p{N}]|[.,][0-9])")


def writes_english_numbers(text: str) -> bool:
    """True when the text holds a number only the English way can read ('4.5%')."""
    return bool(_ENGLISH_DECIMAL.search(text))


def english_to_vietnamese(text: str) -> tuple[str, bool]:
    """The text with its English-style numbers written the Vietnamese way ('12,000' →
    '12.000', '4.5' → '4,5'), and whether any was rewritten.

    >>> english_to_vietnamese("đạt 12,000 USD, tăng 4.5%")
    ('đạt 12.000 USD, tăng 4,5%', True)
    """
    swapped = _ENGLISH_NUMBER.sub(lambda m: m.group().translate(_SWAP), text)
    return swapped, swapped != text


_SWAP = str.maketrans({",": ".", ".": ","})
