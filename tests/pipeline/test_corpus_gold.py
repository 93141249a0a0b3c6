"""The development corpus (../shared/corpus, or its verbatim copy in tests/corpus): 24
documents in the structures real offices use, each read against its hand-labelled gold with
the project's own scorer (compare.py, vendored beside the copy).

Every document must give rows, and no document may read fewer gold rows exactly than the
floor below: the floors are what the pipeline reads today, so a rule that helps one office's
habit at another's cost fails here. The rows still missed are the known limits listed
below, each with why.
"""
from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from pipeline.extract import extract_document

SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS = SHARED_CORPUS if SHARED_CORPUS.is_dir() else ROOT / "tests" / "corpus"
VENDORED = ROOT / "tests" / "corpus"

# exact rows at least, per document (gold rows in brackets)
FLOORS = {
    "d01": 24, "d02": 23, "d03": 23, "d04": 18, "d05": 21, "d06": 10, "d07": 17, "d08": 13,
    "d09": 15, "d10": 12, "d11": 16, "d12": 14, "d13": 15, "d14": 11, "d15": 14, "d16": 12,
    "d17": 7, "d18": 21, "d19": 18, "d20": 18, "d21": 18, "d22": 16, "d23": 6, "d24": 15,
}
# Known limits behind the floors below the gold:
# d08 'Đến năm 2030 có 15 bác sĩ và 36 giường bệnh trên 10.000 dân': two targets before a shared tail;
# d11 sub-totals in brackets are not yet read as sub-targets;
# d17 task assignments: the agency before the verb stays in the name;
# d23 English-style numbers are flagged for review, not yet read the English way;
# d24 'gấp 1,5 lần năm 2020' and a colon enumeration of a structure.


def _scorer():
    spec = importlib.util.spec_from_file_location("corpus_compare", VENDORED / "compare.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _documents():
    return sorted(p for p in (CORPUS / "raw").iterdir() if p.is_file())


def _as_csv_row(record: dict) -> dict:
    out = {}
    for k, v in record.items():
        out[k] = "" if v is None else ("true" if v is True else "false" if v is False else
                                      (f"{v:g}" if isinstance(v, float) else str(v)))
    return out


# The blind set (tests/blind): ten documents a helper wrote from real resolutions without
# seeing these rules or tests, labelled by SPEC. First scored at 121/153 exact.
BLIND = ROOT / "tests" / "blind"
BLIND_FLOORS = {"b01": 18, "b02": 13, "b03": 14, "b04": 11, "b05": 12, "b06": 7, "b07": 11, "b08": 22, "b09": 16,
                "b10": 11}
CASES = [(CORPUS, p, FLOORS[p.stem[:3]]) for p in _documents()] + \
        [(BLIND, p, BLIND_FLOORS[p.stem[:3]]) for p in sorted((BLIND / "raw").iterdir())]


@pytest.mark.parametrize("base,path,floor", CASES, ids=[p.stem[:3] for _, p, _ in CASES])
def test_document_reads_its_gold(base, path, floor):
    result = extract_document(path, base / "raw")
    assert result.document["status"] == "ok", result.document["error"]
    with open(base / "gold" / f"{path.stem}.csv", encoding="utf-8", newline="") as f:
        gold = list(csv.DictReader(f))
    score = _scorer().score_doc(gold, [_as_csv_row(r) for r in result.targets])
    assert score["exact"] >= floor, (score["misses"], score["unmatched"], score["extra"])


def test_corpus_as_a_whole():
    scorer = _scorer()
    exact = total = 0
    for path in _documents():
        result = extract_document(path, CORPUS / "raw")
        with open(CORPUS / "gold" / f"{path.stem}.csv", encoding="utf-8", newline="") as f:
            gold = list(csv.DictReader(f))
        score = scorer.score_doc(gold, [_as_csv_row(r) for r in result.targets])
        exact, total = exact + score["exact"], total + score["gold"]
    assert total == 402 and exact / total >= 0.93


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="no ../shared beside this clone")
def test_vendored_corpus_is_the_shared_corpus():
    for sub in ("raw", "gold"):
        for path in (SHARED_CORPUS / sub).iterdir():
            assert (VENDORED / sub / path.name).read_bytes() == path.read_bytes(), path.name
    assert (VENDORED / "compare.py").read_bytes() == (ROOT.parent / "shared" / "tools" / "compare.py").read_bytes()
