"""report.html: readings in Vietnamese notation, one row per target, problems visible, byte-stable."""
from __future__ import annotations

import csv
import doctest
from html.parser import HTMLParser

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pipeline.report
from pipeline.corrections import format_value
from pipeline.report import (
    format_number_vi,
    format_reading,
    read_outputs,
    render_report,
    render_report_from_outputs,
    write_report,
)
from pipeline.schema import DOCUMENT_COLUMNS, DOCUMENT_FIELDS, TARGET_COLUMNS, TARGET_FIELDS

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


class TargetRows(HTMLParser):
    """Collects each target row's attributes and text."""

    def __init__(self, html: str):
        super().__init__()
        self.rows: list[dict] = []
        self._open: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-status" in attrs:
            self._open = attrs | {"text": ""}
            self.rows.append(self._open)

    def handle_endtag(self, tag):
        if tag == "tr":
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data


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


def test_doctests():
    assert doctest.testmod(pipeline.report).failed == 0


# --- the page -----------------------------------------------------------------------------


def test_every_target_is_a_row_marked_with_its_status_and_document():
    rows = TargetRows(render_report(TARGETS, DOCUMENTS, STALE)).rows
    assert [(r["data-doc"], r["data-status"], r["class"]) for r in rows] == [
        (TABLE, "ok", "status-ok"),
        (TABLE, "review", "status-review"),
        (TABLE, "ok", "status-ok"),
        (PROSE, "ok", "status-ok"),
        (PROSE, "unparsed", "status-unparsed"),
    ]
    assert "tăng 6,5 – 7,0 % so với năm 2023" in rows[0]["text"]
    assert "p. 2, line 57" in rows[3]["text"]


def test_the_page_shows_failed_documents_and_stale_corrections():
    html = render_report(TARGETS, DOCUMENTS, STALE)
    assert '<tr class="doc-failed" data-doc="scan/nghi-quyet-2024.pdf">' in html
    assert "The PDF has no text layer (a scan); OCR it or supply the .docx." in html
    assert '<section id="stale"><h2>Stale corrections (1)</h2>' in html
    assert f"<td>{TABLE} has no target 9 (its targets are 1–3).</td>" in html
    assert "<td>28.3</td>" in html


def test_all_text_is_escaped():
    html = render_report(TARGETS, DOCUMENTS, STALE)
    assert "Tổng thu ngân sách &lt;b&gt;&quot;nhà nước&quot;&lt;/b&gt; &amp; phí" in html
    assert "<b>" not in html


def test_the_page_is_self_contained():
    html = render_report(TARGETS, DOCUMENTS, STALE)
    for reference in ("<link", "<img", "src=", "url(", "@import", "http:", "https:"):
        assert reference not in html


def test_the_page_is_byte_stable_whatever_the_input_order(tmp_path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    write_report(TARGETS, DOCUMENTS, STALE, first)
    write_report(TARGETS[::-1], DOCUMENTS[::-1], STALE, second)
    assert first.read_bytes() == second.read_bytes()


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
    write_csv(tmp_path / "targets.csv", TARGETS, TARGET_COLUMNS)
    write_csv(tmp_path / "documents.csv", DOCUMENTS, DOCUMENT_COLUMNS)
    corrections = tmp_path / "corrections.csv"
    corrections.write_text(
        "source,seq,name,field,value,note\n"
        f"{TABLE},9,Tỷ lệ che phủ rừng,value_low,28.3,\n", encoding="utf-8"
    )
    path = render_report_from_outputs(tmp_path, corrections)
    assert path == tmp_path / "report.html"
    assert path.read_text(encoding="utf-8") == render_report(
        TARGETS, DOCUMENTS, STALE
    )
