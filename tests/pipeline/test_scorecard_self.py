"""A year-end report scores itself (SPEC §2.1, issue 20): the plan it quotes stands in as the
target, its 'Đánh giá' column is the stated verdict and a disagreement is noted; a value for
part of the year is kept and never scored. Real .docx tables of our own, run through the pipeline."""
from __future__ import annotations

import csv

import docx
import openpyxl

from chitieu.pipeline.run import Settings, run_extract
from chitieu.pipeline.xlsx import sheet_words


def report(path, header, rows):
    d = docx.Document()
    for text in ("ỦY BAN NHÂN DÂN TỈNH CAO BẰNG", "Số: 77/BC-UBND", "BÁO CÁO",
                 "Tình hình thực hiện kế hoạch phát triển kinh tế - xã hội năm 2025"):
        d.add_paragraph(text)
    table = d.add_table(rows=len(rows) + 1, cols=len(header))
    for j, text in enumerate(header):
        table.cell(0, j).text = text
    for i, row in enumerate(rows, 1):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    d.save(path)


def scorecard_of(tmp_path, header, rows) -> dict[str, dict]:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    report(raw / "bao_cao.docx", header, rows)
    run_extract(Settings(raw=raw, out=out, jobs=1, use_cache=False, isolate=False))
    with open(out / "scorecard.csv", encoding="utf-8-sig", newline="") as f:
        return {r["name"]: r for r in csv.DictReader(f)}


def test_a_year_end_report_alone_gives_its_scorecard_with_its_stated_verdicts(tmp_path):
    card = scorecard_of(tmp_path, ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Ước thực hiện năm 2025", "Đánh giá"], [
        ["1", "Tốc độ tăng trưởng GRDP", "%", "7,0 - 7,5", "7,1", "Đạt"],
        ["2", "Tỷ lệ che phủ rừng", "%", "56", "55,9", "Đạt"],  # the province's own 'Đạt' for 55,9 against 56
        ["3", "Số xã đạt chuẩn nông thôn mới", "xã", "≥ 60", "58", "Không đạt"],
    ])
    growth, forest, communes = card["Tốc độ tăng trưởng GRDP"], card["Tỷ lệ che phủ rừng"], card["Số xã đạt chuẩn nông thôn mới"]
    assert (growth["verdict"], float(growth["margin"]), growth["stated_verdict"]) == ("met", 0.1, "Đạt")
    assert (forest["verdict"], forest["stated_verdict"]) == ("not_met", "Đạt")
    assert "disagrees" in forest["note"] and "plan the report quotes" in forest["note"]
    assert (communes["verdict"], float(communes["margin"]), communes["stated_verdict"]) == ("not_met", -2.0, "Không đạt")
    assert "disagrees" not in communes["note"]
    # the workbook's scorecard for an analyst: Vietnamese headings and verdicts
    sheet = openpyxl.load_workbook(tmp_path / "out" / "targets.xlsx", read_only=True)[sheet_words("scorecard").title]
    header, _spec_names, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    verdicts = {r[header.index("Chỉ tiêu")]: r[header.index("Đánh giá")] for r in rows}
    assert verdicts == {"Tốc độ tăng trưởng GRDP": "Đạt", "Tỷ lệ che phủ rừng": "Không đạt",
                        "Số xã đạt chuẩn nông thôn mới": "Không đạt"}


def test_a_value_for_six_months_is_kept_but_never_scored(tmp_path):
    header = ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Ước thực hiện 6 tháng đầu năm 2025",
              "Ước thực hiện cả năm 2025"]
    card = scorecard_of(tmp_path, header, [["1", "Thu ngân sách nhà nước", "tỷ đồng", "3.000", "1.450", "3.100"]])
    row = card["Thu ngân sách nhà nước"]
    assert (row["actual"], row["verdict"], float(row["margin"])) == ("3100", "met", 100.0)
    with open(tmp_path / "out" / "actuals.csv", encoding="utf-8-sig", newline="") as f:
        half = [a for a in csv.DictReader(f) if a["value_text"] == "1.450"]
    assert half and half[0]["notes"] == "part_year" and half[0]["kind"] == "estimate"


PLAN_2026 = """HỘI ĐỒNG NHÂN DÂN
TỈNH CAO BẰNG

Số: 90/NQ-HĐND

NGHỊ QUYẾT
Về kế hoạch phát triển kinh tế - xã hội năm 2026

Điều 1. Thông qua kế hoạch năm 2026 như sau:

1. Các chỉ tiêu chủ yếu

- Thu ngân sách nhà nước đạt 3.200 tỷ đồng.

- Tỷ lệ che phủ rừng đạt 56%.
"""


def test_a_six_month_report_beside_its_plan_is_scored_on_its_full_year_estimate_only(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "nghi_quyet_2026.txt").write_text(PLAN_2026, encoding="utf-8")
    d = docx.Document()
    for text in ("ỦY BAN NHÂN DÂN TỈNH CAO BẰNG", "Số: 801/BC-UBND", "BÁO CÁO",
                 "Tình hình kinh tế - xã hội 6 tháng đầu năm 2026"):
        d.add_paragraph(text)
    header = ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2026", "Ước thực hiện 6 tháng đầu năm 2026",
              "Ước thực hiện cả năm 2026"]
    rows = [["1", "Thu ngân sách nhà nước", "tỷ đồng", "3.200", "1.500", "3.250"],
            ["2", "Tỷ lệ che phủ rừng", "%", "56", "-", "55,8"]]
    table = d.add_table(rows=3, cols=6)
    for i, row in enumerate([header, *rows]):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    d.save(raw / "bao_cao_6_thang.docx")
    run_extract(Settings(raw=raw, out=out, jobs=1, use_cache=False, isolate=False))
    with open(out / "scorecard.csv", encoding="utf-8-sig", newline="") as f:
        card = {r["name"]: r for r in csv.DictReader(f)}
    budget, forest = card["Thu ngân sách nhà nước"], card["Tỷ lệ che phủ rừng"]
    assert (budget["actual"], budget["verdict"], float(budget["margin"])) == ("3250", "met", 50.0)
    assert (forest["actual"], forest["verdict"]) == ("55.8", "not_met")
    # the resolution's own targets, not the plan the report quotes, and never the six months' value
    assert all("quotes" not in (r["note"] or "") for r in card.values())
    assert "1500" not in {r["actual"] for r in card.values()}
    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as f:
        report = next(r for r in csv.DictReader(f) if r["source"] == "bao_cao_6_thang.docx")
    assert (report["status"], report["targets"]) == ("ok", "0")  # a report of values, no targets of its own


def test_chitieu_report_renders_the_scorecard_the_run_wrote(tmp_path):
    """`chitieu report` re-renders the page from the outputs: the scorecard (linked again from
    targets and actuals) included, the same page the run wrote."""
    from chitieu.pipeline.report import render_report_from_outputs

    scorecard_of(tmp_path, ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Ước thực hiện năm 2025"], [
        ["1", "Tỷ lệ hộ nghèo", "%", "dưới 3", "2,8"],
        ["2", "Số bác sĩ trên 1 vạn dân", "bác sĩ", "12", "11,5"],
    ])
    page = tmp_path / "out" / "report.html"
    written = page.read_bytes()
    assert "Tỷ lệ hộ nghèo".encode() in written and b'id="scorecard"' in written
    page.unlink()
    render_report_from_outputs(tmp_path / "out", tmp_path / "raw" / "corrections.csv")
    assert page.read_bytes() == written
