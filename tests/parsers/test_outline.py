"""The outline and target-list rules on documents written for these tests, in other words and
shapes than the corpus: Word numbering, typed markers of every style, inline items, unmarked
paragraphs, review parts with numbers, headings at any depth."""
from __future__ import annotations

import docx
import pytest

from chitieu.parsers.formats.docx import read_docx
from chitieu.parsers.formats.markers import split_marker
from chitieu.parsers.formats.txt import read_txt
from chitieu.parsers.layouts.document import read_layout


def _txt(tmp_path, text: str):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return read_layout(read_txt(path))


def _rows(layout):
    return [(r.name, r.target.low and r.target.low.value, r.target.high and r.target.high.value, r.target.unit,
             r.section_title) for r in layout.rows]


@pytest.mark.parametrize("line,marker", [
    ("a) Về kinh tế:", "a)"), ("đ) Tỷ lệ", "đ)"), ("(12) Tỷ lệ", "(12)"), ("(12). Tỷ lệ", "(12)."), ("2.1. Tốc độ", "2.1."), ("IV. NHIỆM VỤ", "IV."),
    ("Điều 3. Tổ chức thực hiện", "Điều 3."), ("+ Thu nội địa", "+"), ("-Tỷ lệ", "-"), ("• Tỷ lệ", "•"),
    ("1.250 tỷ đồng", None), ("2030 có 15 bác sĩ", None), ("Mục tiêu tổng quát", None),
])
def test_markers_split_from_text(line, marker):
    assert split_marker(line)[0] == marker


@pytest.mark.parametrize("items", [
    ["a) Tốc độ tăng trưởng GRDP đạt 9%.", "b) Thu ngân sách đạt 4.100 tỷ đồng."],
    ["(1) Tốc độ tăng trưởng GRDP đạt 9%.", "(2) Thu ngân sách đạt 4.100 tỷ đồng."],
    ["1) Tốc độ tăng trưởng GRDP đạt 9%.", "2) Thu ngân sách đạt 4.100 tỷ đồng."],
    ["3.1. Tốc độ tăng trưởng GRDP đạt 9%.", "3.2. Thu ngân sách đạt 4.100 tỷ đồng."],
    ["Tốc độ tăng trưởng GRDP đạt 9%.", "Thu ngân sách đạt 4.100 tỷ đồng."],
    ["(1) Tốc độ tăng trưởng GRDP đạt 9%; (2) Thu ngân sách đạt 4.100 tỷ đồng."],
])
def test_any_numbering_under_a_heading_gives_the_targets_and_nothing_else(tmp_path, items):
    text = "\n".join([
        "NGHỊ QUYẾT", "Căn cứ Luật số 77/2015/QH13 ngày 19 tháng 6 năm 2015;",
        "Điều 1. Đánh giá năm 2024: tăng trưởng ước đạt 7,2%, thu ngân sách đạt 3.900 tỷ đồng.",
        "Điều 2. Kế hoạch năm 2025", "1. Mục tiêu tổng quát: tăng trưởng nhanh, bền vững.",
        "3. Chỉ tiêu chủ yếu năm 2025:", *items,
        "4. Nhiệm vụ: hoàn thành 12 công trình trước ngày 30/6/2025.", "Điều 3. Giao UBND tỉnh thực hiện.",
    ])
    layout = _txt(tmp_path, text)
    assert _rows(layout) == [("Tốc độ tăng trưởng GRDP", 9, 9, "%", None), ("Thu ngân sách", 4100, 4100, "tỷ đồng", None)]
    assert layout.year == 2025 and layout.layout == "prose"


def test_group_headings_are_sections_not_targets(tmp_path):
    text = "\n".join([
        "II. CÁC CHỈ TIÊU CHỦ YẾU", "* Nhóm chỉ tiêu kinh tế:", "- Kim ngạch xuất khẩu đạt 2,1 tỷ USD.",
        "* Lĩnh vực xã hội:", "- Tỷ lệ hộ nghèo giảm còn dưới 2%.", "III. GIẢI PHÁP", "- Đầu tư 300 tỷ đồng.",
    ])
    rows = _rows(_txt(tmp_path, text))
    assert rows == [("Kim ngạch xuất khẩu", 2.1, 2.1, "tỷ USD", "Nhóm chỉ tiêu kinh tế"),
                    ("Tỷ lệ hộ nghèo", None, 2, "%", "Lĩnh vực xã hội")]


def test_items_without_a_heading_are_read_for_review(tmp_path):
    text = "\n".join(["CHỈ THỊ", "1. Sở Y tế bảo đảm tỷ lệ tiêm chủng đạt 97%.", "2. Sở Tài chính quản lý chi tiêu."])
    layout = _txt(tmp_path, text)
    assert [(r.target.low.value, r.status, "no_target_heading" in r.all_notes) for r in layout.rows] == [(97, "review", True)]


def test_word_numbering_gives_the_markers_a_reader_sees(tmp_path):
    d = docx.Document()
    d.add_paragraph("Một số chỉ tiêu chủ yếu năm 2026 như sau:")
    d.add_paragraph("Tổng vốn đầu tư toàn xã hội đạt 61.000 tỷ đồng.", style="List Number")
    d.add_paragraph("Tỷ lệ đô thị hóa đạt 45%.", style="List Number")
    d.add_paragraph("Ghi chú: số liệu sơ bộ năm 2025 là 58.200 tỷ đồng.")
    path = tmp_path / "numbered.docx"
    d.save(path)
    raw = read_docx(path)
    assert [(l.marker, l.level) for l in raw.lines] == [(None, None), ("1.", 0), ("2.", 0), (None, None)]
    assert _rows(read_layout(raw)) == [("Tổng vốn đầu tư toàn xã hội", 61000, 61000, "tỷ đồng", None),
                                       ("Tỷ lệ đô thị hóa", 45, 45, "%", None)]


def test_header_metadata(tmp_path):
    text = "\n".join([
        "HỘI ĐỒNG NHÂN DÂN                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỈNH QUẢNG NGÃI                   Độc lập - Tự do - Hạnh phúc",
        "Số: 78/NQ-HĐND                    Quảng Ngãi, ngày 9 tháng 12 năm 2024",
        "NGHỊ QUYẾT", "Về kế hoạch phát triển kinh tế - xã hội 5 năm 2026 - 2030",
        "Các chỉ tiêu chủ yếu:", "- Tỷ lệ đô thị hóa đạt 40% vào năm 2030.",
    ])
    meta = _txt(tmp_path, text).metadata
    assert (meta.kind, meta.doc_number, meta.date, meta.jurisdiction, meta.issuer, meta.period) == (
        "nghị quyết", "78/NQ-HĐND", "2024-12-09", "Quảng Ngãi", "HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG NGÃI", "2026-2030")


def test_items_numbered_afresh_under_lettered_groups_belong_to_the_groups(tmp_path):
    """'2. Các chỉ tiêu' > 'a) Kinh tế:' > '1.' … : the items take the heading's own marker
    style and are numbered through the groups (a commune's habit); they are the list's items,
    not siblings of '1. Mục tiêu tổng quát'."""
    text = "\n".join([
        "NGHỊ QUYẾT", "Về kế hoạch năm 2026 của phường Tân Mỹ",
        "Điều 1. Chỉ tiêu năm 2026", "1. Mục tiêu tổng quát", "Giữ vững tăng trưởng, chăm lo an sinh.",
        "2. Chỉ tiêu cụ thể", "a) Nhóm kinh tế:", "1. Thu ngân sách trên địa bàn đạt 9.400 triệu đồng.",
        "2. Giá trị sản xuất tăng 7,5%.", "b) Nhóm xã hội:", "3. Tỷ lệ hộ nghèo dưới 1%.",
        "4. Số lao động có việc làm mới đạt 260 lao động.", "Điều 2. Tổ chức thực hiện",
        "1. Giao Ủy ban nhân dân phường thực hiện 3 nhiệm vụ trọng tâm.",
    ])
    layout = _txt(tmp_path, text)
    assert [(name, low, section) for name, low, _, _, section in _rows(layout)] == [
        ("Thu ngân sách trên địa bàn", 9400, "Nhóm kinh tế"), ("Giá trị sản xuất", 7.5, "Nhóm kinh tế"),
        ("Tỷ lệ hộ nghèo", None, "Nhóm xã hội"), ("Số lao động có việc làm mới", 260, "Nhóm xã hội"),
    ]


def test_inline_items_numbered_on_from_the_group_before(tmp_path):
    """'- Về xã hội: (3) …; (4) …': an inline run that carries the numbering on from the
    group before opens after the group's colon."""
    text = "\n".join([
        "NGHỊ QUYẾT ĐẠI HỘI", "Các chỉ tiêu chủ yếu đến năm 2030:",
        "- Về kinh tế: (1) Tăng trưởng kinh tế bình quân 8%/năm; (2) Thu ngân sách đạt 12.000 tỷ đồng.",
        "- Về xã hội: (3) Tỷ lệ lao động qua đào tạo đạt 80%; (4) Tỷ lệ bao phủ bảo hiểm y tế trên 96%.",
    ])
    names = [row[0] for row in _rows(_txt(tmp_path, text))]
    assert names == ["Tăng trưởng kinh tế", "Thu ngân sách", "Tỷ lệ lao động qua đào tạo",
                     "Tỷ lệ bao phủ bảo hiểm y tế"]


def test_a_unit_written_after_the_name_in_brackets(tmp_path):
    """'Tên chỉ tiêu (đơn vị): giá trị': the bracket is the unit, not a part of the name; a
    bracket of words that are no unit stays in the name, and a value's own unit wins."""
    text = "\n".join([
        "Các chỉ tiêu chủ yếu năm 2026:", "(1) Sản lượng thủy sản (nghìn tấn): 215;",
        "(2) Doanh thu du lịch (tỷ đồng): từ 6.500 trở lên;", "(3) Chỉ số cải cách hành chính (PAR Index): trên 88%;",
        "(4) Kim ngạch nhập khẩu đạt 640 triệu đô la Mỹ (USD);", "(5) Diện tích rừng trồng mới (ha): 1.200 (duy trì).",
    ])
    rows = _txt(tmp_path, text).rows
    assert [(r.name, r.target.low.value, r.target.unit) for r in rows] == [
        ("Sản lượng thủy sản", 215, "nghìn tấn"), ("Doanh thu du lịch", 6500, "tỷ đồng"),
        ("Chỉ số cải cách hành chính (PAR Index)", 88, "%"), ("Kim ngạch nhập khẩu", 640, "triệu USD"),
        ("Diện tích rừng trồng mới", 1200, "ha"),
    ]
    assert rows[-1].target.direction == "maintain" and rows[-1].target.status == "ok"


def test_a_review_table_of_the_year_before_gives_actuals_not_targets(tmp_path):
    """A report reviews 2025 in a table (its 'Kế hoạch 2025' column is last year's target) and
    then plans 2026 in prose: the targets are 2026's; the table gives plans and estimates."""
    path = tmp_path / "bao_cao.docx"
    d = docx.Document()
    d.add_paragraph("BÁO CÁO")
    d.add_paragraph("Kết quả năm 2025 và kế hoạch phát triển kinh tế - xã hội năm 2026")
    d.add_paragraph("I. KẾT QUẢ THỰC HIỆN NĂM 2025")
    table = d.add_table(rows=3, cols=5)
    for r, cells in enumerate([("STT", "Chỉ tiêu", "ĐVT", "Kế hoạch 2025", "Ước thực hiện 2025"),
                               ("1", "Thu ngân sách", "Tỷ đồng", "3.000", "3.150"),
                               ("2", "Tỷ lệ hộ nghèo", "%", "dưới 2", "1,9")]):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    d.add_paragraph("II. CÁC CHỈ TIÊU CHỦ YẾU NĂM 2026")
    d.add_paragraph("- Thu ngân sách đạt 3.400 tỷ đồng.")
    d.add_paragraph("- Tỷ lệ hộ nghèo giảm còn 1,5%.")
    d.save(path)
    layout = read_layout(read_docx(path))
    assert [(r.name, r.target.low.value) for r in layout.rows] == [("Thu ngân sách", 3400), ("Tỷ lệ hộ nghèo", 1.5)]
    assert layout.year == 2026
    assert sorted((a.name, a.kind, a.year, a.text) for a in layout.actuals) == [
        ("Thu ngân sách", "estimate", 2025, "3.150"), ("Thu ngân sách", "plan", 2025, "3.000"),
        ("Tỷ lệ hộ nghèo", "estimate", 2025, "1,9"), ("Tỷ lệ hộ nghèo", "plan", 2025, "dưới 2")]


def test_a_duy_tri_item_with_no_number_is_one_qualitative_target(tmp_path):
    text = "\n".join(["Các chỉ tiêu chủ yếu năm 2026:", "- Tỷ lệ hộ nghèo dưới 1,2%.",
                      "- Duy trì thị trấn đạt chuẩn đô thị văn minh."])
    rows = _txt(tmp_path, text).rows
    assert (rows[1].name, rows[1].target.kind, rows[1].target.direction, rows[1].target.text) == (
        "Thị trấn đạt chuẩn đô thị văn minh", "qualitative", "maintain", "Duy trì thị trấn đạt chuẩn đô thị văn minh")


def test_lists_side_by_side_under_a_list_heading_are_its_sections(tmp_path):
    """'3. Các chỉ tiêu chủ yếu' > 'a) Các chỉ tiêu về kinh tế' > '(1) …': every group names
    targets itself, but they are the sections of one list."""
    path = tmp_path / "numbered.docx"
    d = docx.Document()
    d.add_paragraph("NGHỊ QUYẾT")
    d.add_paragraph("3. Các chỉ tiêu chủ yếu năm 2026")
    d.add_paragraph("a) Các chỉ tiêu về kinh tế")
    d.add_paragraph("(1) Tăng trưởng GRDP đạt 8,5%.")
    d.add_paragraph("(2) Thu ngân sách đạt 21.000 tỷ đồng.")
    d.add_paragraph("b) Các chỉ tiêu về xã hội")
    d.add_paragraph("(1) Tỷ lệ hộ nghèo giảm 1 điểm %.")
    d.save(path)
    rows = read_layout(read_docx(path)).rows
    assert [(r.section, r.section_title) for r in rows] == [
        ("a", "Các chỉ tiêu về kinh tế"), ("a", "Các chỉ tiêu về kinh tế"), ("b", "Các chỉ tiêu về xã hội")]


@pytest.mark.parametrize("left,body,issuer,jurisdiction", [
    (["ỦY BAN NHÂN DÂN TỈNH GIA LAI", "SỞ GIÁO DỤC VÀ ĐÀO", "TẠO"], "", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Gia Lai"),
    (["BỘ CÔNG THƯƠNG", ""], "", "BỘ CÔNG THƯƠNG", "Việt Nam"),
    (["HỘI ĐỒNG NHÂN DÂN", "PHƯỜNG BÌNH MINH"], "Căn cứ Nghị quyết về sắp xếp đơn vị hành chính cấp xã của tỉnh "
     "Quảng Ninh;", "HỘI ĐỒNG NHÂN DÂN PHƯỜNG BÌNH MINH", "Quảng Ninh"),
])
def test_the_letterhead_of_a_department_a_ministry_or_a_commune(tmp_path, left, body, issuer, jurisdiction):
    """A department is its province's, a ministry national, a commune its province's (SPEC:
    the province or city); their names may run on to a second line of the letterhead."""
    motto = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", ""]
    header = [f"{l:<34}{m}".rstrip() for l, m in zip(left + [""] * (3 - len(left)), motto)]
    text = "\n".join([*header, "Số: 12/KH-XX                      Hà Nội, ngày 3 tháng 1 năm 2026", "KẾ HOẠCH",
                      "Thực hiện nhiệm vụ năm 2026", body, "Các chỉ tiêu chủ yếu:", "- Tỷ lệ hồ sơ trực tuyến đạt 90%."])
    meta = _txt(tmp_path, text).metadata
    assert (meta.issuer, meta.jurisdiction, meta.doc_number) == (issuer, jurisdiction, "12/KH-XX")


def test_a_sheets_title_rows_give_its_metadata(tmp_path):
    """An Excel plan table whose issuer, title and resolution stand in rows above its header."""
    import openpyxl

    from chitieu.parsers.formats.xlsx import read_xlsx

    path = tmp_path / "bieu.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["HỘI ĐỒNG NHÂN DÂN TỈNH CÀ MAU", None, None, "Biểu 02"], ["CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2026"],
                ["(Kèm theo Nghị quyết số 30/NQ-HĐND ngày 8 tháng 12 năm 2025)"],
                ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2026"], [1, "Tốc độ tăng trưởng GRDP", "%", "8,5"]):
        sheet.append(row)
    book.save(path)
    meta = read_layout(read_xlsx(path)).metadata
    assert (meta.issuer, meta.jurisdiction, meta.doc_number, meta.date) == (
        "HỘI ĐỒNG NHÂN DÂN TỈNH CÀ MAU", "Cà Mau", "30/NQ-HĐND", "2025-12-08")


def test_closing_and_assigning_paragraphs_are_no_qualitative_targets(tmp_path):
    text = "\n".join(["Các chỉ tiêu chủ yếu năm 2026:", "- Tỷ lệ hộ nghèo dưới 1,2%.",
                      "- Giữ vững an ninh chính trị, trật tự an toàn xã hội.",
                      "Giao Sở Nội vụ chủ trì theo dõi việc thực hiện.",
                      "Kế hoạch này có hiệu lực kể từ ngày ký."])
    assert [r.name for r in _txt(tmp_path, text).rows] == ["Tỷ lệ hộ nghèo", "An ninh chính trị, trật tự an toàn xã hội"]


def test_a_letter_and_an_action_programme_are_called_what_they_are(tmp_path):
    letter = "\n".join(["ỦY BAN NHÂN DÂN              CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                        "TỈNH AN GIANG                Độc lập - Tự do - Hạnh phúc",
                        "Số: 77/UBND-TH               An Giang, ngày 6 tháng 1 năm 2026",
                        "V/v thực hiện chỉ tiêu năm 2026", "Kính gửi: Các sở, ngành.",
                        "Các chỉ tiêu chủ yếu năm 2026 như sau:", "- Tỷ lệ hộ nghèo dưới 1,5%."])
    assert _txt(tmp_path, letter).metadata.kind == "công văn"
    programme = letter.replace("V/v thực hiện chỉ tiêu năm 2026", "CHƯƠNG TRÌNH HÀNH ĐỘNG").replace("77/UBND-TH", "9/CTr-UBND")
    assert _txt(tmp_path, programme).metadata.kind == "chương trình hành động"


def test_a_web_pages_letterhead_under_its_own_lines(tmp_path):
    """A portal prints a date bar and the page's title above the document's letterhead table."""
    from chitieu.parsers.formats.html import read_html

    path = tmp_path / "page.html"
    path.write_text(
        "<html><body><div>Thứ Hai, 15/12/2025 | Hotline</div><h1>Nghị quyết về kế hoạch năm 2026</h1>"
        "<table><tr><td>HỘI ĐỒNG NHÂN DÂN<br>TỈNH BẮC KẠN<br>Số: 90/NQ-HĐND</td><td>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        "<br>Bắc Kạn, ngày 10 tháng 12 năm 2025</td></tr></table><p><strong>NGHỊ QUYẾT</strong></p>"
        "<p>Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;</p>"
        "<p><strong>Các chỉ tiêu chủ yếu năm 2026:</strong></p><p>- Thu ngân sách đạt 1.200 tỷ đồng.</p>"
        "</body></html>", encoding="utf-8")
    meta = read_layout(read_html(path)).metadata
    assert (meta.doc_number, meta.date, meta.issuer) == ("90/NQ-HĐND", "2025-12-10", "HỘI ĐỒNG NHÂN DÂN TỈNH BẮC KẠN")


def test_a_term_plan_whose_period_only_its_list_heading_names(tmp_path):
    text = "\n".join(["CHƯƠNG TRÌNH HÀNH ĐỘNG", "Thực hiện Nghị quyết Đại hội Đảng bộ tỉnh",
                      "II. CÁC CHỈ TIÊU CHỦ YẾU GIAI ĐOẠN 2026 - 2030",
                      "1.1. Tỷ lệ đô thị hóa đến năm 2030 đạt 45%.", "1.2. Tăng trưởng kinh tế bình quân 8%/năm."])
    layout = _txt(tmp_path, text)
    assert (layout.metadata.period, layout.year, [r.year for r in layout.rows]) == ("2026-2030", None, [2030, None])


def test_a_note_after_the_list_is_no_target(tmp_path):
    text = "\n".join(["Các chỉ tiêu chủ yếu năm 2026:", "- Số xã đạt chuẩn nông thôn mới đạt 64 xã (1).",
                      "Ghi chú: (1) Tính cả 12 xã đã sáp nhập; (2) Số liệu năm 2025 là số ước."])
    assert [r.name for r in _txt(tmp_path, text).rows] == ["Số xã đạt chuẩn nông thôn mới"]
