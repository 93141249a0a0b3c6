"""targets.xlsx opened with openpyxl: every table a sheet named and headed in Vietnamese, SPEC's
column names in the second header row, identifiers last, coded values and booleans in the
words of sheet_words.toml, typed numbers, text as text, a frozen header, filters, widths and
heights from the content; rows as in the CSVs; byte-stable; a table longer than a sheet goes
on right after it."""
from __future__ import annotations

import csv
import io
import math

import docx
import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from chitieu import pipeline
from chitieu.pipeline.corrections import parse_value
from chitieu.pipeline.run import Settings, run_extract
from chitieu.pipeline.schema import (ACTUAL_FIELDS, DOCUMENT_FIELDS, INDICATOR_FIELDS, LEFT_OUT_FIELDS,
                                     SCORECARD_FIELDS, TARGET_FIELDS)
from chitieu.pipeline.xlsx import ID_COLUMNS, Workbook, sheet_columns, sheet_words, workbook_bytes

TABLES = {"targets": TARGET_FIELDS, "documents": DOCUMENT_FIELDS, "actuals": ACTUAL_FIELDS,
          "left_out": LEFT_OUT_FIELDS, "indicators": INDICATOR_FIELDS, "scorecard": SCORECARD_FIELDS}
WORKBOOK_TABLES = ("targets", "documents", "actuals", "left_out", "indicators", "scorecard")  # outputs.py's order


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory):
    from conftest import RAW

    out = tmp_path_factory.mktemp("xlsx")
    run_extract(Settings(raw=RAW, out=out, jobs=1, use_cache=False, isolate=False))
    return out


def csv_rows(path, fields):
    """A CSV read back by its own conventions (the formula quote taken off), typed."""
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


def worded(rows, table):
    """CSV rows as the analyst's sheet writes them: codes and booleans in sheet_words.toml's words."""
    words = sheet_words(table)
    types = {f.name: f.type for f in TABLES[table]}

    def word(name, value):
        if value is None:
            return None
        if types[name] == "boolean":
            return words.yes if value else words.no
        return words.values.get(name, {}).get(value, value)
    return [{k: word(k, v) for k, v in row.items()} for row in rows]


def sheet_table(sheet):
    """(Vietnamese headings, SPEC names, rows keyed by SPEC name) of a sheet."""
    headings, names, *rows = sheet.iter_rows(values_only=True)
    return list(headings), list(names), [dict(zip(names, row)) for row in rows]


def test_every_table_of_the_run_is_a_sheet_named_in_vietnamese(seed_out):
    book = openpyxl.load_workbook(seed_out / "targets.xlsx", read_only=True)
    assert book.sheetnames == [sheet_words(t).title for t in WORKBOOK_TABLES]
    assert book.sheetnames[0] != "targets" and all(name.isprintable() for name in book.sheetnames)


@pytest.mark.parametrize("table", WORKBOOK_TABLES)
def test_a_sheet_heads_every_column_in_vietnamese_over_specs_name_with_the_ids_last(seed_out, table):
    book = openpyxl.load_workbook(seed_out / "targets.xlsx", read_only=True)
    headings, names, _ = sheet_table(book[sheet_words(table).title])
    fields = TABLES[table]
    # row 2: SPEC's names, every column once, the identifiers moved to the end
    assert sorted(names) == sorted(f.name for f in fields)
    ids = [n for n in names if n in ID_COLUMNS]
    assert ids and names[-len(ids):] == ids and names[0] not in ID_COLUMNS
    assert [n for n in names if n not in ID_COLUMNS] == [f.name for f in fields if f.name not in ID_COLUMNS]
    # row 1: a Vietnamese heading for each, from the TOML, none left in SPEC's English
    assert headings == [sheet_words(table).headings[n] for n in names]
    assert len(set(headings)) == len(headings)
    assert not set(headings) & {f.name for f in fields}
    assert any(not h.isascii() for h in headings)


def test_the_toml_words_every_column_of_every_table_the_run_writes():
    for table, fields in TABLES.items() | {("left_out", LEFT_OUT_FIELDS)}:
        words = sheet_words(table)
        assert set(words.headings) == {f.name for f in fields}, table
        assert len(words.title) <= 31 - len(" (99)") and not set(words.title) & set(":\\/?*[]"), table
    assert (sheet_words("targets").yes, sheet_words("targets").no) == ("Có", "Không")


def test_targets_sheet_rows_are_targets_csv_worded_and_typed(seed_out):
    book = openpyxl.load_workbook(seed_out / "targets.xlsx", read_only=True)
    _, _, rows = sheet_table(book[sheet_words("targets").title])
    expected = worded(csv_rows(seed_out / "targets.csv", TARGET_FIELDS), "targets")
    assert len(rows) == len(expected) > 300
    assert rows == expected
    types = {f.name: f.type for f in TARGET_FIELDS}
    for row in rows:
        for name, value in row.items():
            if value is None:
                continue
            if types[name] in ("integer", "number"):
                assert isinstance(value, (int, float)) and not isinstance(value, bool), (name, value)
            elif types[name] == "boolean":
                assert value in ("Có", "Không"), (name, value)  # the same in Excel and LibreOffice
            else:
                assert isinstance(value, str), (name, value)
    assert any(isinstance(r["value_low"], float) and not r["value_low"].is_integer() for r in rows)  # 6.5, not '6.5'
    # the codes in the analyst's words, not SPEC's
    assert {r["status"] for r in rows} <= set(sheet_words("targets").values["status"].values())
    assert {"Định lượng", "Dòng tiêu đề"} <= {r["target_type"] for r in rows}
    assert "Trong khoảng" in {r["comparator"] for r in rows} and "between" not in {r["comparator"] for r in rows}


@pytest.mark.parametrize("table", ("documents", "indicators"))
def test_other_sheets_are_their_csv_worded(seed_out, table):
    book = openpyxl.load_workbook(seed_out / "targets.xlsx", read_only=True)
    _, _, rows = sheet_table(book[sheet_words(table).title])
    assert rows and rows == worded(csv_rows(seed_out / f"{table}.csv", TABLES[table]), table)
    if table == "documents":  # a document's status has words of its own
        assert {r["status"] for r in rows} == {"Đã đọc"}


def test_header_frozen_filters_widths_and_heights(seed_out):
    sheet = openpyxl.load_workbook(seed_out / "targets.xlsx")[sheet_words("targets").title]
    names = [c.value for c in sheet[2]]
    assert sheet.freeze_panes == "A3"
    # the filter from SPEC's names down, so that sorting never moves the headings
    assert sheet.auto_filter.ref == f"A2:{get_column_letter(len(names))}{sheet.max_row}"
    width = column_widths(sheet)
    at = {name: width[k] for k, name in enumerate(names)}
    assert at["name"] > at["seq"] and at["target_text"] > at["year"]
    assert all(4 <= w <= 15 for w in width)
    # a wrapped name makes its row taller; headings set their own row's height
    name = names.index("name")
    tall = [r for r in sheet.iter_rows(min_row=3) if r[name].value and len(r[name].value) > 3 * at["name"]]
    assert tall and all(sheet.row_dimensions[r[0].row].height >= 3 * 12.75 for r in tall)
    assert sheet.row_dimensions[1].height >= 2 * 12.75


def column_widths(sheet) -> list[float]:
    widths = {}
    for dimension in sheet.column_dimensions.values():  # XlsxWriter writes equal neighbours as one range
        for k in range(dimension.min, dimension.max + 1):
            widths[k] = dimension.width
    return [widths[k] for k in range(1, sheet.max_column + 1)]


def test_a_year_end_report_gives_vietnamese_verdicts_and_kinds(tmp_path):
    """A report's own table through the run: the scorecard's verdicts and the actuals' kinds."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    d = docx.Document()
    for text in ("ỦY BAN NHÂN DÂN TỈNH CAO BẰNG", "Số: 77/BC-UBND", "BÁO CÁO",
                 "Tình hình thực hiện kế hoạch phát triển kinh tế - xã hội năm 2025"):
        d.add_paragraph(text)
    rows = [["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Ước thực hiện năm 2025"],
            ["1", "Tốc độ tăng trưởng GRDP", "%", "7,0 - 7,5", "7,1"],
            ["2", "Số xã đạt chuẩn nông thôn mới", "xã", "≥ 60", "58"]]
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    d.save(raw / "bao_cao.docx")
    run_extract(Settings(raw=raw, out=out, jobs=1, use_cache=False, isolate=False))
    book = openpyxl.load_workbook(out / "targets.xlsx", read_only=True)
    _, _, card = sheet_table(book[sheet_words("scorecard").title])
    assert {r["name"]: r["verdict"] for r in card} == {"Tốc độ tăng trưởng GRDP": "Đạt",
                                                        "Số xã đạt chuẩn nông thôn mới": "Không đạt"}
    assert card == worded(csv_rows(out / "scorecard.csv", SCORECARD_FIELDS), "scorecard")
    _, _, actuals = sheet_table(book[sheet_words("actuals").title])
    assert {r["kind"] for r in actuals} == {"Ước thực hiện", "Kế hoạch"}
    assert actuals == worded(csv_rows(out / "actuals.csv", ACTUAL_FIELDS), "actuals")


TEXTS = ["=HYPERLINK(\"http://x\")", "- Giảm 5%", "+84", "@SUM(A1)", "6,5", "24%", "0012", "http://a.vn", "1e5",
         "<r>x</r>", "<r>&</r>"]  # XlsxWriter's constant_memory copies '<r>…</r>' as rich-text XML


def one_sheet(rows, table="targets", fields=TARGET_FIELDS):
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes([(table, fields, rows)])))
    sheet = book.worksheets[0]
    names = [c.value for c in sheet[2]]
    return sheet, {name: [row[k] for row in sheet.iter_rows(min_row=3)] for k, name in enumerate(names)}


def test_text_stays_text_whatever_it_starts_with():
    row = dict.fromkeys(f.name for f in TARGET_FIELDS)
    rows = [row | {"source": text, "seq": i, "name": text, "value_low": 24.0} for i, text in enumerate(TEXTS, 1)]
    sheet, cells = one_sheet(rows)
    assert [c.value for c in cells["name"]] == TEXTS
    assert all(c.data_type == "s" for c in cells["name"])
    assert [c.value for c in cells["value_low"]] == [24] * len(TEXTS)  # 24 %, not 0.24
    assert not sheet._hyperlinks


def test_what_a_cell_cannot_hold_is_left_out():
    rows = [{"seq": 1, "name": "a\x01b\x0bc\ufffe", "value_low": math.nan, "value_high": math.inf},
            {"seq": 2, "name": "x" * 40_000, "value_low": 6.5, "low_inclusive": True, "approximate": False},
            {"seq": 3, "name": "<r>" + "x" * 40_000 + "</r>"}, {"seq": 4, "name": "😀" * 20_000}]
    _, cells = one_sheet(rows)
    # Excel's limit, in UTF-16 units
    assert [c.value for c in cells["name"]] == ["abc", "x" * 32_767, "<r>" + "x" * 32_764, "😀" * 16_383]
    assert [c.value for c in cells["value_low"]][:2] == [None, 6.5] and cells["value_high"][0].value is None
    assert [c.value for c in cells["low_inclusive"]][:2] == [None, "Có"]
    assert [c.value for c in cells["approximate"]][:2] == [None, "Không"]


def test_the_same_rows_give_the_same_bytes(seed_out, tmp_path):
    from conftest import RAW

    run_extract(Settings(raw=RAW, out=tmp_path, jobs=1, use_cache=False, isolate=False))
    assert (tmp_path / "targets.xlsx").read_bytes() == (seed_out / "targets.xlsx").read_bytes()


def test_a_table_longer_than_a_sheet_goes_on_in_a_second_one_right_after_it(monkeypatch):
    monkeypatch.setattr(pipeline.xlsx, "MAX_ROWS", 5)  # two header rows and three targets a sheet
    rows = [{"source": "a.txt", "seq": i} for i in range(1, 8)]
    documents = [{"source": "a.txt", "status": "ok"}]
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes([("targets", TARGET_FIELDS, rows),
                                                             ("documents", DOCUMENT_FIELDS, documents)])))
    title = sheet_words("targets").title
    assert book.sheetnames == [title, f"{title} (2)", f"{title} (3)", sheet_words("documents").title]
    seqs = [[r["seq"] for r in sheet_table(book[name])[2]] for name in book.sheetnames[:3]]
    assert seqs == [[1, 2, 3], [4, 5, 6], [7]]
    assert all(sheet_table(book[name])[1][0] == "source" for name in book.sheetnames)  # each keeps both header rows


def test_sheets_filled_side_by_side_keep_their_own_rows(tmp_path):
    """outputs.py adds a document's targets and actuals to their sheets in turn."""
    path = tmp_path / "book.xlsx"
    with path.open("wb") as file:
        book = Workbook(file)
        targets, actuals = book.sheet("targets", TARGET_FIELDS), book.sheet("actuals", ACTUAL_FIELDS)
        for doc in range(3):
            targets.write([{"source": f"{doc}.txt", "seq": i} for i in (1, 2)])
            actuals.write([{"source": f"{doc}.txt", "seq": 1, "kind": "estimate"}])
        book.close()
    wb = openpyxl.load_workbook(path)
    _, _, rows = sheet_table(wb[sheet_words("targets").title])
    assert [(r["source"], r["seq"]) for r in rows] == [(f"{d}.txt", i) for d in range(3) for i in (1, 2)]
    _, _, rows = sheet_table(wb[sheet_words("actuals").title])
    assert [(r["source"], r["kind"]) for r in rows] == [(f"{d}.txt", "Ước thực hiện") for d in range(3)]


def test_an_abandoned_workbook_writes_nothing_and_keeps_no_temporary_file(tmp_path):
    file = io.BytesIO()
    book = Workbook(file)
    sheet = book.sheet("targets", TARGET_FIELDS)
    sheet.write([{"source": "a.txt", "seq": 1}])
    book.abandon()
    book.close()
    assert file.getvalue() == b"" and sheet._buffer.closed


def test_sheet_columns_keep_specs_order_with_the_ids_last():
    names = [f.name for f in sheet_columns(SCORECARD_FIELDS)]
    assert names[-3:] == ["indicator_id", "target_doc", "actual_doc"] and names[:2] == ["jurisdiction", "name"]
