"""Target phrases as Vietnamese documents write them: `6,5-7,0`, `Trên 90`, `từ 9,2‰ trở xuống`.

The phrase forms are a table (`FORMS`) keyed by the meaning SPEC §3 gives them, so every
spelling the pipeline must read has a place, and a draw picks one of them at random.
"""
from __future__ import annotations

import random

from bench.vocabulary import ENUMERATIONS, PROSE_CLAUSES, TABLE_SECTIONS, Value

# `{v}` is one number with its unit; `{a}`/`{b}` are a range's ends, `{u}` the unit after `b`.
FORMS: dict[str, tuple[str, ...]] = {
    "eq": ("{v}",),
    "range": ("{a}-{b}{u}", "{a} - {b}{u}", "từ {a} - {b}{u}", "từ {a} đến {b}{u}"),
    "gt": ("trên {v}", "trên {v}", "hơn {v}", "vượt {v}"),
    "ge": ("ít nhất {v}", "tối thiểu {v}", "không dưới {v}", "từ {v} trở lên", "{v} trở lên"),
    "lt": ("dưới {v}", "dưới {v}", "thấp hơn {v}"),
    "le": ("từ {v} trở xuống", "không quá {v}", "tối đa {v}", "không vượt quá {v}"),
    "approx": ("khoảng {v}", "khoảng {v}", "trên dưới {v}", "gần {v}", "xấp xỉ {v}"),
    "approx_range": ("khoảng {a} - {b}{u}",),
}
# Tables also write comparators as symbols (`> 90`, `≥ 95%`); prose does not.
SYMBOL_FORMS = {"gt": ("> {v}",), "ge": ("≥ {v}",), "lt": ("< {v}",), "le": ("≤ {v}",)}
RANGE_FORMS = ("range", "approx_range")
SYMBOLS = "%‰"  # units written against the number, with no space


def format_number(value: float, decimals: int) -> str:
    """Vietnamese notation: `.` groups thousands, `,` is the decimal mark.

    >>> format_number(50400, 0), format_number(7.0, 1), format_number(1234.5, 1)
    ('50.400', '7,0', '1.234,5')
    """
    whole, _, fraction = f"{value:,.{decimals}f}".partition(".")
    whole = whole.replace(",", ".")
    return f"{whole},{fraction}" if fraction else whole


def draw_number(rng: random.Random, value: Value) -> float:
    return round(rng.uniform(value.low, value.high), value.decimals)


def range_end(rng: random.Random, low: float, value: Value) -> float:
    """The upper end of a range starting at `low`: a small step up (0.5-5 %), never past the cap."""
    step = max(10 ** -value.decimals, abs(low) * rng.uniform(0.005, 0.05))
    return min(round(low + step, value.decimals), value.high)


def unit_after(unit: str) -> str:
    """How a unit follows its number: `94%`, `9,2‰`, `890 doanh nghiệp`, `0,1 điểm %`."""
    unit = unit.strip()
    if not unit:
        return ""
    return unit if unit in SYMBOLS else f" {unit}"


def render_phrase(rng: random.Random, form: str, value: Value, unit: str = "", symbols: bool = False) -> str:
    """One target phrase in `form`, with `unit` written in it ('' leaves the unit out, as a
    table's value cell does when the ĐVT column has it); `symbols` allows `> 90` and the like."""
    low = draw_number(rng, value)
    high = range_end(rng, low, value)
    if form in RANGE_FORMS and high == low:
        form = "eq"  # a capped value (100 %) has no room for a range
    use_symbol = symbols and form in SYMBOL_FORMS and rng.random() < 0.2
    template = rng.choice((SYMBOL_FORMS if use_symbol else FORMS)[form])
    a, b, u = format_number(low, value.decimals), format_number(high, value.decimals), unit_after(unit)
    v = a + u
    if form in RANGE_FORMS and u and u in SYMBOLS and rng.random() < 0.3:
        a += u  # `24,1% - 24,2%`: the symbol repeated on both ends
    return template.format(v=v, a=a, b=b, u=u)


def draw_form(rng: random.Random, value: Value) -> str:
    return rng.choice(value.forms.split())


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def table_target(rng: random.Random, value: Value, unit: str, year: int) -> str:
    """A table's value cell: `148`, `Trên 90`, now and then `Dưới 2%` with the % repeated."""
    if value.text is not None:
        return value.text.format(year=year, prev=year - 1)
    repeat_symbol = unit.strip() in SYMBOLS and rng.random() < 0.25
    phrase = render_phrase(rng, draw_form(rng, value), value, unit if repeat_symbol else "", symbols=True)
    return capitalize(phrase)


def prose_target(rng: random.Random, value: Value, unit: str) -> str:
    """A target inside a sentence: `7,0 - 7,5%`, `từ 9,2‰ trở xuống`, sometimes `07 xã`."""
    phrase = render_phrase(rng, draw_form(rng, value), value, unit)
    if value.decimals == 0 and phrase[:1].isdigit() and phrase[1:2] == " " and rng.random() < 0.4:
        phrase = "0" + phrase  # `07 xã`, `02 huyện`: the seed's leading zeros
    return phrase


def enumeration_value(rng: random.Random, low: float, high: float) -> str:
    decimals = 0 if rng.random() < 0.5 else 1
    return format_number(round(rng.uniform(low, high), decimals), decimals) + "%"


# The seed's and SPEC §3's own spellings, so the throughput list always holds them.
SPEC_EXAMPLES: tuple[tuple[str, str | None], ...] = (
    ("148", "Triệu đồng/người"), ("đạt 94%", None), ("là 55,5%", None), ("6,5-7,0", "%"),
    ("7,0 - 7,5%", None), ("từ 6,0 - 6,5%", None), ("từ 4 đến 5", "Xã"), ("24,1% - 24,2%", None),
    ("28 - 28,5%", None), ("Trên 90", "%"), ("trên 98,5%", None), ("hơn 90", "%"), ("vượt 90", "%"),
    ("Ít nhất 4", "Xã"), ("tối thiểu 4", "Xã"), ("không dưới 4", "Xã"), ("từ 4 trở lên", "Xã"),
    ("4 trở lên", "Xã"), ("Dưới 2%", "%"), ("thấp hơn 2%", None), ("còn dưới 4%", None),
    ("từ 9,2‰ trở xuống", None), ("không quá 9,2", "‰"), ("tối đa 9,2", "‰"),
    ("không vượt quá 9,2", "‰"), ("khoảng 4.700 - 4.730", "Căn"), ("trên dưới 90", "%"),
    ("> 90", "%"), ("≥ 95%", None), ("< 4", "%"), ("≤ 3", "%"), ("tăng 8% so với năm 2023", None),
    ("giảm 0,1 điểm %", None), ("124", "1.000 tỷ đồng"), ("5 tỷ USD", None),
    ("Hoàn thành", "Hoàn thành"), ("Đạt dự toán được giao", "Tỷ đồng"),
    ("Trên 90% tổng số án khởi tố", "%"),
)


def sample_phrases(n: int, seed: int = 0) -> list[tuple[str, str | None]]:
    """`n` (text, unit) pairs as `parse_target` meets them: table cells with their ĐVT, prose
    phrases carrying their own unit, the SPEC's spellings; numbers vary so few repeat."""
    rng = random.Random(f"phrases:{seed}")
    table = [i for _, entries in TABLE_SECTIONS for e in entries for i in (e.head, *e.subs)
             if i.value is not None]
    phrases = list(SPEC_EXAMPLES)
    while len(phrases) < n:
        draw = rng.random()
        if draw < 0.55:
            indicator = rng.choice(table)
            phrases.append((table_target(rng, indicator.value, indicator.unit, 2024), indicator.unit.strip()))
        elif draw < 0.95:
            c = rng.choice(PROSE_CLAUSES)
            phrases.append((prose_target(rng, c.value, c.unit), None))
        else:
            _, _, items = rng.choice(ENUMERATIONS)
            _, low, high = rng.choice(items)
            phrases.append((enumeration_value(rng, low, high), None))
    return phrases[:n]
