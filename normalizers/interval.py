"""A target as one frozen value: an interval of two bounds with its unit, meaning and the text
it was read from (SPEC §3). `str()` writes it back the Vietnamese way; `repr` shows the interval."""
from __future__ import annotations

from dataclasses import dataclass, field

import regex


class InvalidTarget(ValueError):
    """A target phrase the grammar cannot read."""


@dataclass(frozen=True)
class Bound:
    """One end of an interval; `inclusive` says whether `value` itself meets the target."""

    value: float
    inclusive: bool


@dataclass(frozen=True)
class Target:
    """A target as read: an interval with its unit and meaning, and the raw text beside it."""

    text: str
    kind: str = "numeric"  # numeric | completion | qualitative | none
    low: Bound | None = None
    high: Bound | None = None
    unit: str | None = None
    unit_raw: str | None = None
    approximate: bool = False
    measure: str | None = None  # level | change (numeric only)
    direction: str | None = None  # increase | decrease | maintain
    reference_year: int | None = None
    status: str = "ok"  # ok | review | unparsed
    notes: tuple[str, ...] = field(default=())

    @property
    def comparator(self) -> str | None:
        return comparator_for(self.low, self.high) if self.kind == "numeric" else None

    def __str__(self) -> str:
        if self.kind != "numeric" or self.status == "unparsed":
            return self.text
        op = self.comparator
        parts = ["khoảng"] if self.approximate else []
        if self.measure == "change" and self.direction in ("increase", "decrease"):
            parts.append("tăng" if self.direction == "increase" else "giảm")
        if op == "between":
            parts.append(f"{format_vn(self.low.value)} - {format_vn(self.high.value)}")
        elif op == "=":
            parts.append(format_vn(self.low.value))
        else:
            value = self.low.value if op in (">", ">=") else self.high.value
            parts.append(f"{_SYMBOL[op]} {format_vn(value)}")
        if self.unit:
            parts.append(self.unit)
        if self.reference_year is not None:
            parts.append(f"so với năm {self.reference_year}")
        return " ".join(parts)

    def __repr__(self) -> str:
        lo = f"[{self.low.value:g}" if self.low and self.low.inclusive else f"({self.low.value:g}" if self.low else "(-∞"
        hi = f"{self.high.value:g}]" if self.high and self.high.inclusive else f"{self.high.value:g})" if self.high else "∞)"
        interval = f"{lo}, {hi}" if self.kind == "numeric" and (self.low or self.high) else self.kind
        extras = "".join(f" {x}" for x in (self.unit, self.measure, self.direction) if x)
        return f"<Target {interval}{extras}{' ~' if self.approximate else ''} {self.text!r}>"


_SYMBOL = {">": ">", ">=": "≥", "<": "<", "<=": "≤"}


def format_vn(value: float) -> str:
    """A number as Vietnamese write it, so that `str(target)` parses back.

    >>> format_vn(124000.0), format_vn(6.5), format_vn(99.77)
    ('124.000', '6,5', '99,77')
    """
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    grouped = ".".join(regex.findall(r"\d{1,3}", whole[::-1]))[::-1]
    return f"{sign}{grouped}{',' + frac if frac else ''}"


def bounds_for(op: str, a: float, b: float | None = None) -> tuple[Bound | None, Bound | None]:
    """The interval an operator makes of one or two values."""
    if op == "=":
        return Bound(a, True), Bound(a, True)
    if op == "between":
        return Bound(min(a, b), True), Bound(max(a, b), True)
    if op in (">", ">="):
        return Bound(a, op == ">="), None
    if op in ("<", "<="):
        return None, Bound(a, op == "<=")
    raise InvalidTarget(f"unknown comparator {op!r}; expected one of = between > >= < <=")


def comparator_for(low: Bound | None, high: Bound | None) -> str | None:
    """The comparator a pair of bounds reads as (SPEC: derived from the bounds)."""
    if low and high:
        return "=" if low.value == high.value else "between"
    if low:
        return ">=" if low.inclusive else ">"
    if high:
        return "<=" if high.inclusive else "<"
    return None
