"""bench/report.py on a few copies of the seed table: every figure is there and the report opens."""
from __future__ import annotations

import shutil

import pytest

from bench.report import report_rows, table_copies


def test_copies_of_the_seed_table_differ_in_values_only(tmp_path):
    first, second = table_copies(tmp_path, 2)
    a, b = first.read_text(encoding="utf-8").split("\n"), second.read_text(encoding="utf-8").split("\n")
    assert len(a) == len(b) and a != b
    assert sum(x != y for x, y in zip(a, b)) < len(a) // 4


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed")
def test_the_report_rows_on_a_few_documents(tmp_path):
    rows = dict(report_rows(4, 1, tmp_path))
    assert "0 of 4 document files written again" in rows["`chitieu report` re-render, nothing changed"]
    opened = rows["open in headless Chromium, browser start included"]
    assert "/ 236 chỉ tiêu" in opened
