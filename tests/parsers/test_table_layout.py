"""Target tables: header by meaning, sections and counts, sub-rows, merged cells; on real
.docx files built with python-docx, and on the txt cell-dump form."""
from __future__ import annotations

import docx
import pytest
from hypothesis import given, strategies as st

from chitieu.parsers.formats.docx import read_docx
from chitieu.parsers.formats.txt import read_txt
from chitieu.parsers.layouts.table import find_header, header_role, read_tables


@pytest.mark.parametrize("text,role", [
    ("STT", "number"), ("TT", "number"), ("Chỉ tiêu", "name"), ("Nội dung", "name"), ("ĐVT", "unit"),
    ("Đơn vị tính", "unit"), ("Chỉ tiêu năm 2024", "target"), ("Kế hoạch năm 2025", "target"),
    ("Mục tiêu", "target"), ("Cơ quan báo cáo", "agency"), ("Cơ quan báo báo", "agency"),
    ("Cơ quan chủ trì", "agency"), ("Ghi chú", "note"), ("Cơ quan chủ trì theo dõi, đánh giá", "agency"),
    ("Đơn vị chủ trì thực hiện", "agency"), ("Đánh giá", "verdict"), ("So sánh ƯTH/KH", "derived"),
    ("Ước thực hiện 6 tháng đầu năm 2026", "estimate"), ("Chỉ tiêu đến năm 2030", "target"),
])
def test_header_roles(text, role):
    assert header_role(text) == role


header_words = st.sampled_from(["STT", "tt", "Số TT", "Chỉ tiêu", "năm 2024", "Kế hoạch", "ĐVT", "Đơn vị",
                                "Cơ quan", "chủ trì", "Ghi chú", "Tỷ lệ", "\u00a0", "\n", ""])


@given(st.lists(header_words, max_size=4).map(" ".join))
def test_cached_header_roles_are_a_fresh_reading(text):
    assert header_role(text) == header_role.__wrapped__(text)


def build_docx(path, header, rows, merges=()):
    """A real Word table; `merges` are ((r1, c1), (r2, c2)) cell ranges merged by python-docx."""
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2025")
    table = document.add_table(rows=len(rows) + 1, cols=len(header))
    for j, text in enumerate(header):
        if text is not None:  # a cell a merge will cover
            table.cell(0, j).text = text
    for i, row in enumerate(rows, 1):
        for j, text in enumerate(row):
            if text is not None:
                table.cell(i, j).text = text
    for (r1, c1), (r2, c2) in merges:
        table.cell(r1, c1).merge(table.cell(r2, c2))
    document.save(path)
    return path


def test_docx_with_other_header_words_merges_and_a_wrong_count(tmp_path):
    path = build_docx(tmp_path / "kh2025.docx",
        ["TT", "Nội dung", "Đơn vị tính", "Kế hoạch năm 2025", "Cơ quan chủ trì"],
        [
            ["A", "Chỉ tiêu kinh tế (03 chỉ tiêu)", None, None, None],
            ["1", "Tốc độ tăng trưởng GRDP", "%", "8,0 - 8,5", "Sở Kế hoạch và Đầu tư"],
            ["2", "Thu ngân sách", "Tỷ đồng", "Trên 12.000", None],
            ["", "Trong đó thu nội địa", "Tỷ đồng", "10.500", None],
        ],
        merges=[((1, 1), (1, 4)), ((2, 4), (4, 4))],
    )
    result = read_tables(read_docx(path).tables)
    assert result.year == 2025
    got = [(r.section, r.section_title, r.number, r.parent_seq, r.name, r.agency, r.target.comparator) for r in result.rows]
    assert got == [
        ("A", "Chỉ tiêu kinh tế", "1", None, "Tốc độ tăng trưởng GRDP", "Sở Kế hoạch và Đầu tư", "between"),
        ("A", "Chỉ tiêu kinh tế", "2", None, "Thu ngân sách", "Sở Kế hoạch và Đầu tư", ">"),
        ("A", "Chỉ tiêu kinh tế", None, 2, "Trong đó thu nội địa", "Sở Kế hoạch và Đầu tư", "="),
    ]
    # the section declares 3 targets and numbers 2: every row says so and needs review
    assert all("declared_count_mismatch" in r.notes and r.status == "review" for r in result.rows)
    assert "agency_inherited" in result.rows[1].notes


def test_merged_agency_is_read_once_not_duplicated(tmp_path):
    path = build_docx(tmp_path / "m.docx", ["STT", "Chỉ tiêu", "ĐVT", "Chỉ tiêu năm 2024", "Cơ quan báo cáo"], [
        ["1", "Tỷ lệ A", "%", "90", "Sở Y tế"], ["", "Tỷ lệ B", "%", "80", None],
    ], merges=[((1, 4), (2, 4))])
    table = read_docx(path).tables[0]
    assert [c.merged_above for c in table.rows[2].cells] == [False, False, False, False, True]
    assert table.rows[2].cells[4].text == ""  # python-docx would repeat "Sở Y tế" here


def test_table_without_target_header_gives_no_rows(tmp_path):
    path = build_docx(tmp_path / "sig.docx", ["Nơi nhận:", "T/M UBND TỈNH"], [["- Như trên", "CHỦ TỊCH"]])
    assert read_tables(read_docx(path).tables).rows == ()
    assert find_header(read_docx(path).tables[0]) is None


def test_txt_cell_dump_quirks(tmp_path):
    text = (" \tSTT\n\tChỉ tiêu\n\tĐVT\n\tChỉ tiêu năm 2024\n\tCơ quan báo cáo\n\n"
            "\t1\n\tTổng vốn đầu tư khoảng\n\t1.000\n tỷ đồng\n\t124\n\tCục Thống kê\n\n"
            "\t\n\tTrong đó vốn ngân sách\n\tTỷ đồng\n\t30.000\n\t\n\n"
            "\t2\n\tDân số đô thị đạt\n\t%\n\t89\n\t\u00a0\n")
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    rows = read_tables(read_txt(path).tables).rows
    assert [(r.name, r.target.low.value, r.target.unit, r.target.approximate, r.agency) for r in rows] == [
        ("Tổng vốn đầu tư", 124000.0, "tỷ đồng", True, "Cục Thống kê"),
        ("Trong đó vốn ngân sách", 30000.0, "tỷ đồng", False, "Cục Thống kê"),  # empty cell: merged
        ("Dân số đô thị", 89.0, "%", False, "Cục Thống kê"),  # a blank cell on a target row inherits too
    ]
    assert rows[1].parent_seq == 1 and "agency_inherited" in rows[1].notes


def test_a_header_repeated_on_each_page_is_not_a_target(tmp_path):
    header = ["STT", "Chỉ tiêu", "ĐVT", "Chỉ tiêu năm 2024", "Cơ quan báo cáo"]
    path = build_docx(tmp_path / "repeat.docx", header, [
        ["I", "Về kinh tế (02 chỉ tiêu)", None, None, None],
        ["1", "Tỷ lệ A", "%", "90", "Sở Y tế"],
        header,
        ["2", "Tỷ lệ B", "%", "80", "Sở Y tế"],
    ], merges=[((1, 1), (1, 4))])
    rows = read_tables(read_docx(path).tables).rows
    assert [r.number for r in rows] == ["1", "2"]
    assert not any("declared_count_mismatch" in r.notes for r in rows)


def test_a_rows_other_values_take_the_unit_column_not_the_target_cells_unit(tmp_path):
    """'Số vụ cháy rừng | Vụ | 35 | Giảm 15%': the target is a change in percent, the actual
    35 is still 35 fires."""
    from chitieu.parsers.layouts.actuals import table_actuals

    path = build_docx(tmp_path / "t.docx", ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2024", "Kế hoạch năm 2025"],
                      [["1", "Số vụ cháy rừng", "Vụ", "35", "Giảm 15%"]])
    rows = read_tables(read_docx(path).tables).rows
    assert (rows[0].target.unit, rows[0].target.measure) == ("%", "change")
    [actual] = table_actuals(rows)
    assert (actual.kind, actual.year, actual.value.low.value, actual.value.unit) == ("actual", 2024, 35, "vụ")


def test_a_table_without_a_unit_column_takes_the_unit_its_names_end_with(tmp_path):
    path = build_docx(tmp_path / "t.docx", ["TT", "Chỉ tiêu", "Kế hoạch năm 2026"],
                      [["1", "Tỷ lệ đô thị hóa (%)", "Khoảng 42"], ["2", "Vốn đầu tư toàn xã hội (nghìn tỷ đồng)", "96"],
                       ["3", "Chỉ số cải cách hành chính (PAR Index)", "Trên 90"]])
    rows = read_tables(read_docx(path).tables).rows
    assert [(r.name, r.target.unit) for r in rows] == [
        ("Tỷ lệ đô thị hóa", "%"), ("Vốn đầu tư toàn xã hội", "nghìn tỷ đồng"), ("Chỉ số cải cách hành chính (PAR Index)", None)]


@pytest.mark.parametrize("text,role", [
    ("Kếhoạch năm 2026", "target"),  # OCR lost the space between two syllables
    ("Đơnvị tính", "unit"),
    ("Chỉtiêu", "name"),
    ("Cơ quanchủ trì", "agency"),
    ("Ướcthực hiện năm 2025", "estimate"),
])
def test_a_header_whose_syllables_ocr_ran_together_keeps_its_role(text, role):
    assert header_role(text) == role
