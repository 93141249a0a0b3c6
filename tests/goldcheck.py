"""Comparing targets with the hand-labelled gold (SPEC §5): shared by the golden tests and
the batch tests, which check the same seeds read inside a larger, messier batch."""
from __future__ import annotations

import csv
import math
import unicodedata

from conftest import GOLD_DIR


def read_gold(stem: str) -> list[dict]:
    with open(GOLD_DIR / f"{stem}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def as_bool(text: str):
    return {"1": True, "true": True, "0": False, "false": False, "": None}[text.strip().lower()]


def expected(column: str, text: str, target_type: str):
    """The gold cell as a typed value, or ... where the gold does not pin it."""
    if column in ("seq", "parent_seq", "reference_year"):
        return int(text) if text else None
    if column in ("value_low", "value_high"):
        return float(text) if text else None
    if column in ("low_inclusive", "high_inclusive"):
        return as_bool(text)
    if column == "approximate":
        return bool(as_bool(text))
    if column == "target_text" and target_type not in ("completion", "qualitative"):
        return ...  # a hint only (SPEC §5)
    return unicodedata.normalize("NFC", text) if text else None


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9)
    return a == b


def gold_mismatches(stem: str, targets: list[dict]) -> list[str]:
    """Every way `targets` (typed records of one document, in seq order) differs from the
    gold of `stem`; [] when they agree row for row on every column the gold pins."""
    gold = read_gold(stem)
    seqs = [r["seq"] for r in targets]
    if seqs != [int(g["seq"]) for g in gold]:
        return [f"seqs {seqs} differ from the gold's {[int(g['seq']) for g in gold]}"]
    mismatches = []
    for g, row in zip(gold, targets):
        for column, text in g.items():
            want = expected(column, text, g["target_type"])
            if want is not ... and not same(want, row[column]):
                mismatches.append(f"seq {g['seq']} {column}: gold {want!r}, got {row[column]!r}")
    return mismatches
