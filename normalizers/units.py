"""Units as written → normalized units (SPEC §4), from the tables in units.toml."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from . import vocabulary
from .numbers import NUMBER, parse_number
from .text import clean_text


@dataclass(frozen=True)
class Unit:
    """A normalized unit and the factor folded out of it ("1.000 tỷ đồng" → tỷ đồng × 1000)."""

    name: str | None
    raw: str | None
    factor: float = 1.0
    completion: bool = False  # the ĐVT cell said "Hoàn thành": not a unit, a kind of target


@cache
def _tables() -> dict:
    return vocabulary.load("units")


def _proper_case(word: str) -> str:
    proper = {w.lower(): w for w in _tables()["proper"]["words"]}
    return proper.get(word.lower(), word.lower())


def _fold_words(text: str) -> str:
    """Lower-case except proper symbols; fold known spellings of a whole unit or its parts."""
    t = _tables()
    low = text.lower()
    if low in t["folds"]:
        return t["folds"][low]
    # Per-units ("Triệu đồng/người") fold each side.
    if "/" in low:
        return "/".join(_fold_words(part.strip()) for part in text.split("/"))
    words = [w for w in _SPACE.split(text) if w]
    out, i = [], 0
    while i < len(words):
        # scale + currency, scale alone, or any word in its proper case
        two = " ".join(words[i:i + 2]).lower()
        if two in t["scales"]:
            out.append(t["scales"][two]); i += 2; continue
        if words[i].lower() in t["scales"]:
            out.append(t["scales"][words[i].lower()]); i += 1; continue
        rest = " ".join(words[i:]).lower()
        if rest in t["folds"]:
            out.append(t["folds"][rest]); break
        out.append(_proper_case(words[i])); i += 1
    return " ".join(out)


_LEADING_NUMBER = regex.compile(rf"({NUMBER.pattern})\s+(?=\p{{L}})")
_SPACE = regex.compile(r"\s+")


@lru_cache(maxsize=4096)  # a unit column holds a handful of distinct units
def normalize_unit(raw: str | None) -> Unit:
    """Normalize a unit as written, folding a leading number into the factor.

    >>> normalize_unit("1.000 tỷ đồng")
    Unit(name='tỷ đồng', raw='1.000 tỷ đồng', factor=1000.0, completion=False)
    >>> normalize_unit("Triệu đồng/người").name, normalize_unit("Số vụ ").name, normalize_unit("đô la Mỹ (USD)").name
    ('triệu đồng/người', 'vụ', 'USD')
    >>> normalize_unit("Hoàn thành").completion
    True
    """
    text = clean_text(raw)
    if not text:
        return Unit(None, None)
    low = text.lower()
    not_units = _tables()["not_units"]["words"]
    if low in not_units:
        return Unit(None, text, completion=low == "hoàn thành")
    factor = 1.0
    m = _LEADING_NUMBER.match(text)
    if m:
        factor = parse_number(m.group(1))
        text = text[m.end():]
    return Unit(_fold_words(text.strip()), clean_text(raw), factor)


@cache
def _unit_after_pattern() -> regex.Pattern:
    """unit := [scale] (currency | counted noun) [/ per …]* | scale: "5 tỷ USD", "6,2 triệu
    lượt", "168 nghìn tỷ đồng", "60 triệu đồng/người/năm", "2,1 con/phụ nữ", "37% GRDP",
    "110 bé trai/100 bé gái", "890 doanh nghiệp"; a scale alone ("3,2 triệu") last."""
    t = _tables()
    scales = vocabulary.alternation(t["scales"])
    currencies = vocabulary.alternation(t["currencies"])
    counted = vocabulary.alternation(list(t["counted"]["words"]) + list(t["folds"]))
    per = vocabulary.alternation(t["per"]["words"])
    end = r"(?![\p{L}\p{N}])"
    per_part = rf"(?:\s*/\s*(?:{per}){end})*"
    return regex.compile(
        rf"(?:(?:{scales})\s+)?(?:{currencies}){end}{per_part}"
        rf"|(?:(?:{scales})\s+)?(?:{counted}){end}{per_part}"
        rf"|(?:{scales}){end}(?!\s+(?:{currencies}))",
        regex.IGNORECASE,
    )


@cache
def unit_pattern() -> regex.Pattern:
    """A unit after optional spaces, as group 'unit' (used by the tokenizer at a position)."""
    return regex.compile(rf"\s*(?P<unit>{_unit_after_pattern().pattern})", regex.IGNORECASE)


def match_unit(text: str) -> str | None:
    """The unit written at the start of `text` (after a number), longest spelling first.

    >>> match_unit("tỷ USD."), match_unit("giường bệnh; giảm"), match_unit("% so với"), match_unit("đảng viên đủ")
    ('tỷ USD', 'giường bệnh', '%', 'đảng viên')
    """
    m = _unit_after_pattern().match(text)
    return m.group().strip() if m else None


_BRACKETED_END = regex.compile(r"\(\s*([^()]{1,30}?)\s*\)\s*:?\s*$")


def split_bracketed_unit(name: str | None) -> tuple[str | None, str]:
    """(the unit a name ends with in brackets, the name without it), as lists written 'name
    (unit): value' have it; (None, name) when the brackets hold anything but a unit.

    >>> split_bracketed_unit("Tổng thu ngân sách (tỷ đồng): ")
    ('tỷ đồng', 'Tổng thu ngân sách')
    >>> split_bracketed_unit("Chỉ số năng lực cạnh tranh (PCI):")
    (None, 'Chỉ số năng lực cạnh tranh (PCI):')
    """
    name = name or ""
    m = _BRACKETED_END.search(name)
    inside = clean_text(m.group(1)) if m else ""
    if not inside or match_unit(inside) != inside:
        return None, name
    return inside, name[: m.start()].rstrip()


def unit_in_brackets(name: str | None) -> str | None:
    return split_bracketed_unit(name)[0]
