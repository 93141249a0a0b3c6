"""Golden files: every seed, in every form, agrees with its hand-labelled gold row for row
on every column the gold has (SPEC §5)."""
from __future__ import annotations

import pytest

from conftest import FORMS, PROSE_SEED, RAW, ROOT, SHARED_GOLD, TABLE_SEED
from goldcheck import gold_mismatches
from chitieu.pipeline.extract import extract_document


CASES = [(stem, form) for stem in (TABLE_SEED, PROSE_SEED) for form in FORMS]


@pytest.mark.parametrize("stem,form", CASES, ids=[f"{s[:3]}-{f}" for s, f in CASES])
def test_seed_matches_gold(stem, form):
    result = extract_document(RAW / f"{stem}.{form}", RAW)
    assert result.document["status"] == "ok", result.document["error"]
    mismatches = gold_mismatches(stem, result.targets)
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
