"""targets.xlsx opened with openpyxl: typed numbers, text as text, a frozen header, filters,
widths, rows as in targets.csv; written a row at a time (constant memory), byte-stable."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest

import chitieu.pipeline.xlsx
from chitieu import pipeline
from chitieu.pipeline.corrections import parse_value
from openpyxl.utils import get_column_letter

from chitieu.pipeline.schema import ACTUAL_FIELDS, DOCUMENT_FIELDS, INDICATOR_FIELDS, SCORECARD_FIELDS, TARGET_FIELDS
from chitieu.pipeline.xlsx import analyst_words, workbook_bytes

NUMERIC = {f.name for f in TARGET_FIELDS if f.type in ("integer", "number")}


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory):
    from conftest import RAW
    from chitieu.pipeline.run import Settings, run_extract

    out = tmp_path_factory.mktemp("xlsx")
    run_extract(Settings(raw=RAW, out=out, jobs=1, use_cache=False, isolate=False))
    return out


def csv_rows(path, fields):
    """targets.csv read back by its own conventions (the formula quote taken off)."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    types = {f.name: f.type for f in fields}
    return [{k: _unquote(v, types[k]) for k, v in row.items()} for row in rows]


def _unquote(text, kind):
    if kind == "string" and text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return text[1:]
    if kind == "string":
        return text or None
    return parse_value(text, kind)


def sheet_rows(sheet):
    header, *rows = sheet.iter_rows(values_only=True)
    return list(header), [dict(zip(header, row)) for row in rows]


def test_targets_sheet_rows_match_targets_csv_typed(seed_out):
    book = openpyxl.load_workbook(seed_out / "targets.xlsx", read_only=True)
    header, rows = sheet_rows(book["targets"])
    assert header == [f.name for f in TARGET_FIELDS]
    expected = csv_rows(seed_out / "targets.csv", TARGET_FIELDS)
    assert len(rows) == len(expected) > 300
    assert rows == expected
    for row in rows:
        for name, value in row.items():
            if value is None:
                continue
            if name in NUMERIC:
                assert isinstance(value, (int, float)) and not isinstance(value, bool), (name, value)
            elif name in ("low_inclusive", "high_inclusive", "approximate"):
                assert isinstance(value, bool)
            else:
                assert isinstance(value, str), (name, value)
    assert any(isinstance(r["value_low"], float) and not r["value_low"].is_integer() for r in rows)  # 6.5, not '6.5'


def test_documents_sheet_matches_documents_csv(seed_out):
    book = openpyxl.load_workbook(seed_out / "targets.xlsx", read_only=True)
    _, rows = sheet_rows(book["documents"])
    assert rows == csv_rows(seed_out / "documents.csv", DOCUMENT_FIELDS)


def test_header_frozen_filters_and_widths(seed_out):
    sheet = openpyxl.load_workbook(seed_out / "targets.xlsx")["targets"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(TARGET_FIELDS))}{sheet.max_row}"
    width = {c: sheet.column_dimensions[column(c)].width for c in ("name", "seq", "target_text")}
    assert width["name"] > 40 and width["target_text"] > 20 and 5 < width["seq"] < 15


def column(name: str) -> str:
    return get_column_letter(1 + [f.name for f in TARGET_FIELDS].index(name))


def test_every_table_of_the_run_is_a_sheet(seed_out):
    book = openpyxl.load_workbook(seed_out / "targets.xlsx", read_only=True)
    assert book.sheetnames == ["targets", "documents", "actuals", "indicators", "scorecard"]
    for name in book.sheetnames[2:]:
        _, rows = sheet_rows(book[name])
        fields = {"actuals": ACTUAL_FIELDS, "indicators": INDICATOR_FIELDS, "scorecard": SCORECARD_FIELDS}[name]
        # an analyst's sheet: Vietnamese headings and words for the coded values, the CSV's values otherwise
        headings, values = analyst_words(name)
        worded = [{headings.get(k, k): values.get(k, {}).get(v, v) for k, v in row.items()}
                  for row in csv_rows(seed_out / f"{name}.csv", fields)]
        assert rows == worded



TEXTS = ["=HYPERLINK(\"http://x\")", "- Giảm 5%", "+84", "@SUM(A1)", "6,5", "24%", "0012", "http://a.vn", "1e5"]


def test_text_stays_text_whatever_it_starts_with():
    row = dict.fromkeys(f.name for f in TARGET_FIELDS)
    rows = [row | {"source": text, "seq": i, "name": text, "value_low": 24.0} for i, text in enumerate(TEXTS, 1)]
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes([("targets", TARGET_FIELDS, rows)])))
    sheet = book["targets"]
    names, lows = sheet[column("name")][1:], sheet[column("value_low")][1:]
    assert [c.value for c in names] == TEXTS
    assert all(c.data_type == "s" for c in names)
    assert [c.value for c in lows] == [24] * len(TEXTS)  # 24 %, not 0.24
    assert not sheet._hyperlinks


def test_the_same_rows_give_the_same_bytes(seed_out, tmp_path):
    from conftest import RAW
    from chitieu.pipeline.run import Settings, run_extract

    run_extract(Settings(raw=RAW, out=tmp_path, jobs=1, use_cache=False, isolate=False))
    assert (tmp_path / "targets.xlsx").read_bytes() == (seed_out / "targets.xlsx").read_bytes()


def test_a_table_longer_than_a_sheet_goes_on_in_a_second_one(monkeypatch):
    monkeypatch.setattr(pipeline.xlsx, "MAX_ROWS", 4)
    rows = [{"source": "a.txt", "seq": i} for i in range(1, 8)]
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes([("targets", TARGET_FIELDS, rows)])))
    assert book.sheetnames == ["targets", "targets (2)", "targets (3)"]
    seq = [f.name for f in TARGET_FIELDS].index("seq")
    seqs = [[r[seq] for r in book[name].iter_rows(min_row=2, values_only=True)] for name in book.sheetnames]
    assert seqs == [[1, 2, 3], [4, 5, 6], [7]]
