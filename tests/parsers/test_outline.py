"""The outline and target-list rules on documents written for these tests, in other words and
shapes than the corpus: Word numbering, typed markers of every style, inline items, unmarked
paragraphs, review parts with numbers, headings at any depth."""
from __future__ import annotations

import docx
import pytest

from parsers.formats.docx import read_docx
from parsers.formats.markers import split_marker
from parsers.formats.txt import read_txt
from parsers.layouts.document import read_layout


def _txt(tmp_path, text: str):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return read_layout(read_txt(path))


def _rows(layout):
    return [(r.name, r.target.low and r.target.low.value, r.target.high and r.target.high.value, r.target.unit,
             r.section_title) for r in layout.rows]


@pytest.mark.parametrize("line,marker", [
    ("a) Về kinh tế:", "a)"), ("đ) Tỷ lệ", "đ)"), ("(12) Tỷ lệ", "(12)"), ("2.1. Tốc độ", "2.1."), ("IV. NHIỆM VỤ", "IV."),
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
