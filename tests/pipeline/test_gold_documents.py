"""Golden files: every seed, in every form, agrees with its hand-labelled gold row for row
on every column the gold has (SPEC §5)."""
from __future__ import annotations

import csv
import math
import unicodedata

import pytest

from conftest import FORMS, GOLD_DIR, PROSE_SEED, RAW, ROOT, SHARED_GOLD, TABLE_SEED
from pipeline.extract import extract_document


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


CASES = [(stem, form) for stem in (TABLE_SEED, PROSE_SEED) for form in FORMS]


@pytest.mark.parametrize("stem,form", CASES, ids=[f"{s[:3]}-{f}" for s, f in CASES])
def test_seed_matches_gold(stem, form):
    result = extract_document(RAW / f"{stem}.{form}", RAW)
    gold = read_gold(stem)
    assert result.document["status"] == "ok", result.document["error"]
    assert [r["seq"] for r in result.targets] == [int(g["seq"]) for g in gold]
    mismatches = []
    for g, row in zip(gold, result.targets):
        for column, text in g.items():
            want = expected(column, text, g["target_type"])
            if want is not ... and not same(want, row[column]):
                mismatches.append(f"seq {g['seq']} {column}: gold {want!r}, got {row[column]!r}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("stem", [TABLE_SEED, PROSE_SEED])
def test_every_form_gives_the_same_targets(stem):
    """Beyond the gold: the three forms agree on every target column but provenance."""
    provenance = {"doc_id", "source", "page", "location", "notes", "status"}
    forms = [extract_document(RAW / f"{stem}.{form}", RAW).targets for form in FORMS]
    strip = lambda rows: [{k: v for k, v in r.items() if k not in provenance} for r in rows]
    assert strip(forms[0]) == strip(forms[1]) == strip(forms[2])


@pytest.mark.skipif(not SHARED_GOLD.is_dir(), reason="no ../shared beside this clone")
@pytest.mark.parametrize("stem", [TABLE_SEED, PROSE_SEED])
def test_vendored_gold_is_the_shared_gold(stem):
    assert (ROOT / "tests" / "golden" / f"{stem}.csv").read_bytes() == (SHARED_GOLD / f"{stem}.csv").read_bytes()
