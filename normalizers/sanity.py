"""The sanity checks of SPEC §4.1: a row whose reading looks wrong is marked for review even
when no rule had to guess. Each check adds a note code (normalizers/notes.py)."""
from __future__ import annotations

from functools import cache

import regex

from . import vocabulary
from .targets import Target

_MAX_NAME_WORDS = 30
_PERCENT = ("%", "‰")
# a number a qualitative text should not hold: a decimal, or two digits or more that are no year
_VALUE_LIKE = regex.compile(r"(?<![\p{N}.,/])(?:[0-9]+,[0-9]+|(?!(?:19|20)[0-9]{2}(?![0-9]))[0-9]{2,})(?![\p{N}/])")


@cache
def _pattern(table: str) -> regex.Pattern:
    words = vocabulary.load("vocabulary")[table]["words"]
    return regex.compile(rf"^(?:{vocabulary.alternation(words)})(?![\p{{L}}])", regex.IGNORECASE)


# '(12)' inside a name: items of an inline list that were not split apart
_ITEM_MARK = regex.compile(r"(?:^|\s)\(\d{1,2}\)(?:\s|$)")


def _heading_before_colon(name: str) -> bool:
    """'Về văn hóa - xã hội: …': a group heading of the list ran into the name."""
    head, colon, _ = name.partition(":")
    return bool(colon) and bool(_pattern("group_headings").match(head.strip()))


def _starts_with_place(name: str) -> bool:
    """'Tỉnh Tuyên Quang được công nhận …': an administrative word before a proper name."""
    m = _pattern("place_words").match(name)
    rest = name[m.end():].lstrip() if m else ""
    return bool(rest) and rest[:1].isupper()


def _holds_its_unit(name: str, target: Target) -> bool:
    """'Đón triệu lượt khách', 'Việt Nam hạng': the value's unit left inside the name, a sign
    the subject was not found. A scaled unit ('triệu lượt') or a rank."""
    unit = (target.unit or "").lower()
    if not unit or target.kind != "numeric":
        return False
    if unit == "hạng":
        return name.lower().endswith(" hạng")
    padded, written = f" {name.lower()} ", (target.unit_raw or "").lower().strip()
    if unit in vocabulary.load("units")["measures_in_names"]["words"] and f" {unit} " in padded:
        return True  # 'Hoàn thành nâng cấp km đường …': a length or an area left in a task's words
    if " " in written and written != unit and (_scales().match(unit) or any(c in unit for c in "%‰")) \
            and f" {written} " in padded:
        return True  # 'Tỷ lệ hộ nghèo điểm phần trăm theo …': a unit word folded to 'điểm %' left in the name
    return " " in unit and _scales().match(unit) is not None and f" {unit} " in padded


@cache
def _scales() -> regex.Pattern:
    return regex.compile(rf"^(?:{vocabulary.alternation(vocabulary.load('units')['scales'])})\s", regex.IGNORECASE)


def _age_not_named(name: str, target: Target) -> bool:
    """'Hoàn thành phổ cập … cho trẻ em' at '5 tuổi': an age inside a name read as the value;
    a value in years of age belongs to an indicator that names it ('Tuổi thọ …')."""
    unit = (target.unit or "").lower()
    ages = vocabulary.load("units")["ages"]["words"]
    return target.kind == "numeric" and unit in ages and unit not in name.lower()


def _looks_like_year(value: float | None) -> bool:
    return value is not None and value.is_integer() and 1990 <= value <= 2100


def sanity_notes(name: str, target: Target) -> tuple[str, ...]:
    """The checks a row fails, as note codes."""
    notes = []
    words = name.split()
    if len(words) > _MAX_NAME_WORDS:
        notes.append("long_name")
    if (len(name.strip(" .,;:")) < 3 or len(words) == 1 or _pattern("not_name_starts").match(name)
            or any(mark in name for mark in _PERCENT) or name[:1].isdigit() or _ITEM_MARK.search(name)
            or _heading_before_colon(name)):
        notes.append("odd_name")
    if _starts_with_place(name) or _holds_its_unit(name, target) or _age_not_named(name, target):
        notes.append("odd_name")
    if target.kind == "qualitative" and _VALUE_LIKE.search(target.text):
        notes.append("number_in_qualitative")  # '… khoảng 74,5 tuổi' read as words: check it
    if target.kind != "numeric" or target.status == "unparsed":
        return tuple(notes)
    bounds = [b.value for b in (target.low, target.high) if b is not None]
    if target.unit == "%" and _pattern("share_words").match(name) and any(v > 100 for v in bounds) \
            and target.measure == "level":
        notes.append("percent_over_100")
    if any(_looks_like_year(v) for v in bounds) and target.unit not in ("năm",):
        notes.append("bound_like_year")
    if not target.unit:
        notes.append("no_unit")
    return tuple(notes)
