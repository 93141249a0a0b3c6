"""report.html: readings in Vietnamese notation, one row per target, problems visible, byte-stable."""
from __future__ import annotations

import csv
import doctest
import json
import re
from html import unescape

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import chitieu.pipeline.report
import chitieu.pipeline.report_data
from chitieu.pipeline.report_scorecard import scorecard_section
import chitieu.pipeline.report_html
from chitieu import pipeline
from chitieu.normalizers.notes import NOTE_CODES
from chitieu.pipeline.corrections import format_value
from chitieu.pipeline.report import (
    format_number_vi,
    format_reading,
    read_outputs,
    render_report_from_outputs,
    write_report,
)
from chitieu.pipeline.schema import DOCUMENT_COLUMNS, DOCUMENT_FIELDS, TARGET_COLUMNS, TARGET_FIELDS

TABLE = "000_955eea8916a792bc.txt"
PROSE = "004_9e906e494297ca05.pdf"
FAILED = "scan/nghi-quyet-2024.pdf"


def target(source: str, seq: int, name: str, **values) -> dict:
    row = dict.fromkeys(TARGET_COLUMNS)
    row.update(doc_id=source[:12], source=source, year=2024, seq=seq, name=name,
               target_type="numeric", approximate=False, measure="level", status="ok",
               location=f"line {10 + seq}")
    row.update(values)
    return row


def document(source: str, **values) -> dict:
    row = dict.fromkeys(DOCUMENT_COLUMNS)
    row.update(doc_id=source[:12], source=source, sha256="0" * 64, format=source.rsplit(".", 1)[1],
               layout="table", year=2024, status="ok")
    row.update(values)
    return row


TARGETS = [
    target(TABLE, 1, "Tốc độ tăng trưởng kinh tế (GRDP) tăng so với năm 2023", section="I",
           section_title="Về kinh tế", number="1", unit="%", unit_raw="%", value_low=6.5,
           value_high=7.0, low_inclusive=True, high_inclusive=True, comparator="between",
           measure="change", direction="increase", reference_year=2023, target_text="6,5-7,0",
           agency="Cục Thống kê tỉnh", location="table 1, row 3"),
    target(TABLE, 2, "Tổng vốn đầu tư phát triển toàn xã hội", section="I", number="4",
           unit="tỷ đồng", unit_raw="1.000 tỷ đồng", value_low=124000.0, value_high=124000.0,
           low_inclusive=True, high_inclusive=True, comparator="=", approximate=True,
           target_text="Khoảng 124", agency="Cục Thống kê tỉnh", status="review",
           notes="unit:scaled;agency:inherited", location="table 1, row 6"),
    target(TABLE, 3, "Tổng thu ngân sách <b>\"nhà nước\"</b> & phí", section="I", number="5",
           target_type="qualitative", measure=None, target_text="Đạt dự toán được giao",
           agency="Sở Tài chính", location="table 1, row 7"),
    target(PROSE, 1, "Tỷ lệ thất nghiệp khu vực thành thị", unit="%", value_high=4.0,
           high_inclusive=False, comparator="<", direction="decrease",
           target_text="dưới 4%", page=2, location="line 57"),
    target(PROSE, 2, "Giải quyết việc làm cho người lao động", target_type="none",
           measure=None, status="unparsed", target_text="khoảng 18 nghìn – 19 nghìn lao động",
           page=2, location="line 60", notes="value:unreadable"),
]
DOCUMENTS = [
    document(TABLE, title="Chỉ tiêu kinh tế - xã hội năm 2024", targets=3, review=1),
    document(PROSE, layout="prose", pages=4, targets=2, unparsed=1),
    document(FAILED, layout=None, year=None, status="failed", targets=0,
             error="The PDF has no text layer (a scan); OCR it or supply the .docx."),
]
STALE = [
    {"line": 2, "source": TABLE, "seq": 9, "name": "Tỷ lệ che phủ rừng", "field": "value_low",
     "value": 28.3, "note": "", "reason": f"{TABLE} has no target 9 (its targets are 1–3)."},
]


def reading(**values) -> dict:
    row = dict.fromkeys(TARGET_COLUMNS)
    row.update(target_type="numeric", approximate=False, measure="level")
    row.update(values)
    return row


@pytest.mark.parametrize(
    "row, expected",
    [
        (reading(unit="%", value_low=90.0, low_inclusive=False), "> 90 %"),
        (reading(unit="%", value_low=95.0, low_inclusive=True), "≥ 95 %"),
        (reading(unit="%", value_low=6.5, value_high=7.0, low_inclusive=True, high_inclusive=True),
         "6,5 – 7,0 %"),
        (reading(unit="%", value_low=24.1, value_high=24.25, low_inclusive=True, high_inclusive=True),
         "24,10 – 24,25 %"),
        (reading(unit="‰", value_high=9.2, high_inclusive=True), "≤ 9,2 ‰"),
        (reading(unit="%", value_high=4.0, high_inclusive=False, direction="decrease"), "< 4 %"),
        (reading(unit="tỷ đồng", value_low=124000.0, value_high=124000.0, low_inclusive=True,
                 high_inclusive=True, approximate=True), "≈ 124.000 tỷ đồng"),
        (reading(unit="tỷ đồng", value_low=4700.0, value_high=4730.0, low_inclusive=True,
                 high_inclusive=True, approximate=True), "≈ 4.700 – 4.730 tỷ đồng"),
        (reading(unit="triệu đồng/người", value_low=148.0, value_high=148.0, low_inclusive=True,
                 high_inclusive=True), "148 triệu đồng/người"),
        (reading(unit=None, value_low=7.0, value_high=7.0, low_inclusive=True, high_inclusive=True),
         "7"),
        (reading(unit="%", value_low=8.0, value_high=8.0, low_inclusive=True, high_inclusive=True,
                 measure="change", direction="increase", reference_year=2023),
         "tăng 8 % so với năm 2023"),
        (reading(unit="điểm %", value_low=0.1, value_high=0.1, low_inclusive=True,
                 high_inclusive=True, measure="change", direction="decrease"), "giảm 0,1 điểm %"),
        (reading(unit="%", value_low=8.0, value_high=8.0, low_inclusive=True, high_inclusive=True,
                 measure="change"), "thay đổi 8 %"),
        (reading(unit="%", value_low=5.0, value_high=6.0, low_inclusive=False, high_inclusive=True),
         "> 5 và ≤ 6 %"),
        (reading(target_type="completion", measure=None, target_text="Hoàn thành"), "Hoàn thành"),
        (reading(target_type="qualitative", measure=None, target_text="Đạt dự toán được giao"),
         "Đạt dự toán được giao"),
        (reading(target_type="none", measure=None, target_text=None), ""),
        (reading(status="unparsed", target_text="khoảng 18 nghìn – 19 nghìn"), ""),
    ],
)
def test_format_reading(row, expected):
    assert format_reading(row) == expected


@pytest.mark.parametrize(
    "number, expected",
    [(0.0, "0"), (-0.0, "0"), (28.3, "28,3"), (1000.0, "1.000"), (50400.0, "50.400"),
     (99.77, "99,77"), (1e16, "10.000.000.000.000.000"), (0.0005, "0,0005")],
)
def test_format_number_vi(number, expected):
    assert format_number_vi(number) == expected


# --- the page -----------------------------------------------------------------------------


def rows_of(out, source: str) -> list[dict]:
    """A document's rows as the page loads them (its report_files/ script)."""
    section = re.search(rf'<section class="doc"[^>]*data-doc="{re.escape(source)}"[^>]*>', (out / "report.html").read_text())
    file = re.search(r'data-file="([^"]+)"', section.group(0)).group(1)
    text = (out / file).read_text(encoding="utf-8")
    assert text.startswith("chitieu.load(") and text.endswith(");\n")
    data = json.loads(text[len("chitieu.load("):-3])
    assert data["source"] == source
    return [dict(zip(data["cols"], values)) for values in data["rows"]]


@pytest.fixture
def out(tmp_path):
    write_report(TARGETS, DOCUMENTS, STALE, tmp_path / "out" / "report.html", raw=tmp_path / "raw")
    return tmp_path / "out"


def test_every_target_is_a_row_of_its_document_with_reading_and_place(out):
    table, prose = rows_of(out, TABLE), rows_of(out, PROSE)
    assert [(r["seq"], r["status"]) for r in table] == [(1, "ok"), (2, "review"), (3, "ok")]
    assert [(r["seq"], r["status"]) for r in prose] == [(1, "ok"), (2, "unparsed")]
    assert table[0]["reading"] == "tăng 6,5 – 7,0 % so với năm 2023"
    assert table[0]["where"] == "bảng 1, dòng 3"
    assert prose[0]["where"] == "tr. 2, dòng 57" and prose[0]["page"] == 2
    assert table[1]["value_low"] == 124000.0 and table[1]["approximate"] is True


def test_the_overview_is_vietnamese_with_counts_failed_documents_and_stale_corrections(out):
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in html
    assert "3 văn bản (1 không đọc được), 5 chỉ tiêu: 1 cần xem lại, 1 chưa đọc được" in html
    assert '<tr class="doc-failed" data-summary data-doc="scan/nghi-quyet-2024.pdf">' in html
    assert "The PDF has no text layer (a scan); OCR it or supply the .docx." in html
    assert '<section id="stale"><h2>Sửa lỗi không áp dụng (1)</h2>' in html
    assert f"<td>{TABLE} has no target 9 (its targets are 1–3).</td>" in html
    assert "<td>28.3</td>" in html
    assert 'data-raw="../raw"' in html


def test_every_note_code_is_explained_in_vietnamese(out):
    html = (out / "report.html").read_text(encoding="utf-8")
    meanings = json.loads(re.search(r'<script type="application/json" id="note-meanings">(.*?)</script>', html).group(1))
    assert {code: meanings[code] for code in NOTE_CODES} == {code: note.vi for code, note in NOTE_CODES.items()}
    legend = dict(re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", html))
    assert unescape(legend["direction_from_trailing_verb"]).startswith(NOTE_CODES["direction_from_trailing_verb"].vi)


def test_all_text_is_escaped(out):
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<b>" not in html
    assert rows_of(out, TABLE)[2]["name"] == 'Tổng thu ngân sách <b>"nhà nước"</b> & phí'  # data, not markup


def test_the_page_needs_nothing_but_its_own_files(out):
    html = (out / "report.html").read_text(encoding="utf-8")
    for reference in ("<link", "<img", "@import", "http:", "https:"):
        assert reference not in html
    named = set(re.findall(r'data-file="report_files/([^"]+)"', html))
    assert named == {p.name for p in (out / "report_files").iterdir()} and len(named) == 2


def test_the_report_is_byte_stable_whatever_the_input_order(tmp_path):
    first, second = tmp_path / "a" / "report.html", tmp_path / "b" / "report.html"
    write_report(TARGETS, DOCUMENTS, STALE, first)
    write_report(TARGETS[::-1], DOCUMENTS[::-1], STALE, second)
    assert first.read_bytes() == second.read_bytes()
    files = lambda folder: {p.name: p.read_bytes() for p in (folder / "report_files").iterdir()}
    assert files(first.parent) == files(second.parent)


def test_doctests_of_the_report_modules():
    for module in (pipeline.report, pipeline.report_data, pipeline.report_html):
        assert doctest.testmod(module).failed == 0


# --- re-rendering from written outputs ----------------------------------------------------

ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(),
               "boolean": pa.bool_()}


def write_parquet(path, rows, fields):
    schema = pa.schema([(f.name, ARROW_TYPES[f.type]) for f in fields])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


def write_csv(path, rows, columns):
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        writer.writerows([format_value(row[c]) for c in columns] for row in rows)


def test_read_outputs_reads_parquet_as_python_values(tmp_path):
    write_parquet(tmp_path / "targets.parquet", TARGETS, TARGET_FIELDS)
    write_parquet(tmp_path / "documents.parquet", DOCUMENTS, DOCUMENT_FIELDS)
    assert read_outputs(tmp_path) == (TARGETS, DOCUMENTS)


def test_read_outputs_falls_back_to_csv(tmp_path):
    write_csv(tmp_path / "targets.csv", TARGETS, TARGET_COLUMNS)
    write_csv(tmp_path / "documents.csv", DOCUMENTS, DOCUMENT_COLUMNS)
    assert read_outputs(tmp_path) == (TARGETS, DOCUMENTS)


def test_read_outputs_without_outputs_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="neither targets.parquet nor targets.csv; run the extraction"):
        read_outputs(tmp_path)


def test_re_rendering_from_outputs_lists_corrections_not_in_effect(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    write_csv(out / "targets.csv", TARGETS, TARGET_COLUMNS)
    write_csv(out / "documents.csv", DOCUMENTS, DOCUMENT_COLUMNS)
    corrections = tmp_path / "raw" / "corrections.csv"
    corrections.parent.mkdir()
    corrections.write_text(
        "source,seq,name,field,value,note\n"
        f"{TABLE},9,Tỷ lệ che phủ rừng,value_low,28.3,\n", encoding="utf-8"
    )
    path = render_report_from_outputs(out, corrections)
    assert path == out / "report.html"
    # as the run writes it: with the scorecard's section (empty: these outputs report no values)
    write_report(TARGETS, DOCUMENTS, STALE, tmp_path / "expected" / "report.html", raw=tmp_path / "raw",
                 sections=[scorecard_section([], {}, DOCUMENTS)])
    assert path.read_bytes() == (tmp_path / "expected" / "report.html").read_bytes()


def test_the_csv_fall_back_takes_off_the_formula_quote(tmp_path):
    rows = [TARGETS[0] | {"name": "- Giảm tỷ lệ hộ nghèo", "agency": "=SUM(1)"}]
    CsvWriterRows(tmp_path / "targets.csv", rows, TARGET_FIELDS)
    CsvWriterRows(tmp_path / "documents.csv", DOCUMENTS[:1], DOCUMENT_FIELDS)
    assert "'- Giảm" in (tmp_path / "targets.csv").read_text(encoding="utf-8-sig")
    targets, _ = read_outputs(tmp_path)
    assert (targets[0]["name"], targets[0]["agency"]) == ("- Giảm tỷ lệ hộ nghèo", "=SUM(1)")


def CsvWriterRows(path, rows, fields):
    from chitieu.pipeline.writers import csv_bytes

    path.write_bytes(csv_bytes(rows, fields))


def test_a_re_render_writes_only_the_documents_that_changed_and_removes_the_rest(tmp_path):
    write_parquet(tmp_path / "targets.parquet", TARGETS, TARGET_FIELDS)
    write_parquet(tmp_path / "documents.parquet", DOCUMENTS, DOCUMENT_FIELDS)
    render_report_from_outputs(tmp_path)
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "report_files").iterdir()}
    changed = [t | {"status": "ok", "notes": None} if t["seq"] == 2 and t["source"] == PROSE else t for t in TARGETS]
    write_parquet(tmp_path / "targets.parquet", changed, TARGET_FIELDS)
    report = pipeline.report.ReportWriter(tmp_path)
    for document, rows in pipeline.report_data.documents_with_targets(tmp_path, DOCUMENTS):
        report.add(document, rows)
    assert report.written == 1  # the prose document's file; the table's is there already
    render_report_from_outputs(tmp_path)
    after = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "report_files").iterdir()}
    kept = set(before) & set(after)
    assert len(kept) == 1 and before.keys() != after.keys() and len(after) == 2
    assert all(before[name] == after[name] for name in kept)  # not written again


def test_re_rendering_streams_the_targets_a_batch_at_a_time(tmp_path, monkeypatch):
    """Only one document's rows are held: the reader hands them over a document at a time."""
    many = [target(f"doc{d:03}.txt", seq, f"Chỉ tiêu {seq}") for d in range(40) for seq in range(1, 30)]
    write_parquet(tmp_path / "targets.parquet", many, TARGET_FIELDS)
    write_parquet(tmp_path / "documents.parquet", [document(f"doc{d:03}.txt") for d in range(40)], DOCUMENT_FIELDS)
    monkeypatch.setattr(pipeline.report_data, "BATCH_ROWS", 50)
    seen = []
    for doc, rows in pipeline.report_data.documents_with_targets(tmp_path, pipeline.report_data.read_documents(tmp_path)):
        seen.append((doc["source"], len(rows)))
    assert seen == [(f"doc{d:03}.txt", 29) for d in range(40)]
