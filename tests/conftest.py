"""Where the seeds and their gold live. The gold is read from ../shared/gold when the clone
sits beside shared/ (as in CI), else from the verbatim copy in tests/golden/ (checked to be
identical whenever both are there)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
SHARED_GOLD = ROOT.parent / "shared" / "gold"
GOLD_DIR = SHARED_GOLD if SHARED_GOLD.is_dir() else ROOT / "tests" / "golden"

TABLE_SEED = "000_955eea8916a792bc"
PROSE_SEED = "004_9e906e494297ca05"
FORMS = ("txt", "docx", "pdf")


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW


@pytest.fixture(scope="session")
def frozen_root(tmp_path_factory) -> Path:
    """A copy of chitieu's packages, taken once per session, to run `python -m chitieu.pipeline.cli` in
    (as its cwd) for tests that compare the results of several runs: the cache and the outputs
    are keyed by a hash of the code, and in a working tree someone may save a file of it
    between two runs of one test, which then reads everything again."""
    root = tmp_path_factory.mktemp("frozen")
    for package in ("chitieu", "pipeline", "parsers", "normalizers"):  # chitieu/ finds the others beside it
        shutil.copytree(ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    return root
