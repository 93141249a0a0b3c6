"""The verdict of a target against a reported value (SPEC §2.1), and the words a document
states one in: the scorecard's rules, apart from how the batch is gathered (pipeline/linking.py).
"""
from __future__ import annotations

from decimal import Decimal

from ..normalizers import vocabulary
from ..normalizers.indicators import unit_key


def note(target: dict, reported: dict, verdict: str) -> str | None:
    """Where the reader should look: a quoted plan standing in, a stated verdict that disagrees."""
    notes = []
    if target.get("role") == "plan":  # a plan the report quotes (pipeline/linking.py)
        notes.append("target is the plan the report quotes")
    stated = stated_meaning(reported.get("stated_verdict"))
    if stated and verdict != "unknown" and stated != verdict:
        notes.append(f"stated '{reported['stated_verdict']}' disagrees with the verdict")
    return "; ".join(notes) or None


def stated_meaning(text: str | None) -> str | None:
    """'Đạt', 'Vượt' → met; 'Không đạt', 'Xấp xỉ đạt' → not_met; else None."""
    clean = (text or "").strip().lower()
    table = vocabulary.load("indicators")["stated_verdicts"]
    for meaning in ("not_met", "met"):  # 'không đạt' before 'đạt'
        if any(clean.startswith(w) for w in table[meaning]):
            return meaning
    return None


def point(a: dict) -> float | None:
    """The value reached when it is one number."""
    if a["target_type"] != "numeric" or a["value_low"] is None or a["value_low"] != a["value_high"]:
        return None
    return a["value_low"]


# ---------------------------------------------------------------------------- the verdict


def _sub(a: float, b: float) -> float:
    """a - b in decimal, so that 73,2 - 72 is 1,2 and not 1.2000000000000028."""
    return float(Decimal(repr(float(a))) - Decimal(repr(float(b))))


def judge(target: dict, actual: dict) -> tuple[str, float | None]:
    """The verdict (met, not_met, unknown) and margin of a target against a reported value,
    by the rules of SPEC §2.1. The target reads as a promise: `>=`/`>` are met when the value
    reaches the bound, `<=`/`<` when it stays under it; `=` and `between` when it reaches the
    low bound or, for a level promised to decrease, stays at or under the high bound. Inside a
    range the margin is taken to the nearer bound. `unknown` rather than a guess: a
    qualitative target, units or measures (level/change) that differ, a value that is a range
    or a text, a completion held against an estimate.

    >>> judge(dict(target_type="numeric", comparator="between", value_low=7.0, value_high=7.5,
    ...            low_inclusive=True, high_inclusive=True, measure="level", direction=None, unit="%"),
    ...       dict(target_type="numeric", value_low=6.6, value_high=6.6, measure="level", direction=None,
    ...            unit="%", kind="estimate", value_text="6,6"))
    ('not_met', -0.4)
    """
    if target["target_type"] not in ("numeric", "completion"):
        return "unknown", None
    if unit_key(target.get("unit")) != unit_key(actual.get("unit")):
        return "unknown", None
    if target["target_type"] == "completion":
        return _judge_completion(actual), None
    x = point(actual)
    if x is None or target["comparator"] is None:
        return "unknown", None
    if (target.get("measure") or "level") != (actual.get("measure") or "level"):
        return "unknown", None  # a change promised, a level reported (or the other way round)
    if (target.get("measure") == "change" and {target.get("direction"), actual.get("direction")} == {"increase", "decrease"}):
        x = -x  # the indicator moved the other way
    low, high, op = target["value_low"], target["value_high"], target["comparator"]
    if op in (">", ">="):
        met = x > low if op == ">" else x >= low
        return ("met" if met else "not_met"), _sub(x, low)
    if op in ("<", "<="):
        met = x < high if op == "<" else x <= high
        return ("met" if met else "not_met"), _sub(high, x)
    # SPEC §2.1, one deciding bound: a level promised to decrease ('giảm còn 1,5 - 2%') is met at
    # or under its high bound; every other '=' or range (levels, and changes in their promised
    # direction) when it reaches its low bound. Past the promise in its own direction is meeting it.
    if target.get("measure") != "change" and target.get("direction") == "decrease":
        return ("met" if x <= high else "not_met"), _sub(high, x)
    return ("met" if x >= low else "not_met"), _sub(x, low)


def _judge_completion(actual: dict) -> str:
    """A completion target is met by a reported `Hoàn thành`/`Đạt`/`Vượt` (SPEC §2.1: a year-end
    report's estimate of a completion is how it reports one), not met by `Không hoàn thành`: the
    words a document states a verdict in."""
    return stated_meaning(actual.get("value_text")) or "unknown"


def plain_target(t: dict) -> str:
    """The target in plain notation (`6,5 – 7,0 %`, `≥ 800 doanh nghiệp`, `Hoàn thành`)."""
    try:
        from .report_data import format_reading  # the report's one reading of a target
    except ImportError:  # before the report's split (issue 15)
        from .report import format_reading

    return format_reading(t)
