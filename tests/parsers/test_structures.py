"""Every structure rule on documents of our own, in four forms each (tests/structures.py):
typed .txt, .docx numbered by Word, a reportlab PDF and a LibreOffice PDF. Each document must
give exactly its targets, whatever the form, and nothing from its preamble, review or tasks."""
from __future__ import annotations

import shutil

import pytest

from chitieu.parsers.formats import read_document
from chitieu.parsers.layouts.document import read_layout
from structures import write_docx, write_libreoffice_pdfs, write_reportlab_pdf, write_txt

HEADER = [("title", "HỘI ĐỒNG NHÂN DÂN TỈNH ĐIỆN BIÊN"), ("title", "NGHỊ QUYẾT"),
          ("title", "Về kế hoạch phát triển kinh tế - xã hội năm 2026"),
          ("para", "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;")]

STRUCTURES = {
    # Điều > 2. heading > a) items, with last year's review in Điều 1 and tasks after
    "article_decimal_letters": (HEADER + [
        ("item", "1.", 0, "Đánh giá năm 2025: tăng trưởng ước đạt 7,1%, thu ngân sách đạt 3.950 tỷ đồng."),
        ("item", "1.", 0, "Các chỉ tiêu chủ yếu năm 2026:"),
        ("item", "a)", 1, "Tốc độ tăng trưởng kinh tế (GRDP) đạt 8 - 8,5%."),
        ("item", "a)", 1, "Thu ngân sách nhà nước trên địa bàn đạt 4.300 tỷ đồng."),
        ("item", "a)", 1, "Tỷ lệ hộ nghèo giảm còn dưới 12%."),
        ("item", "1.", 0, "Nhiệm vụ: hoàn thành 14 công trình giao thông trước ngày 30/9/2026."),
    ], [("Tốc độ tăng trưởng kinh tế (GRDP)", 8, 8.5, "%", None), ("Thu ngân sách nhà nước trên địa bàn", 4300, 4300, "tỷ đồng", None),
        ("Tỷ lệ hộ nghèo", None, 12, "%", None)]),
    # roman heading > decimal group headings > bullets
    "roman_groups_bullets": (HEADER + [
        ("item", "I.", 0, "MỤC TIÊU TỔNG QUÁT"),
        ("para", "Phát triển nhanh và bền vững, phấn đấu tăng trưởng hai con số trong 5 năm tới."),
        ("item", "I.", 0, "CÁC CHỈ TIÊU CHỦ YẾU"),
        ("item", "1.", 1, "Về kinh tế"),
        ("item", "-", 2, "Kim ngạch xuất khẩu đạt 420 triệu USD."),
        ("item", "-", 2, "Tổng vốn đầu tư toàn xã hội khoảng 21.500 tỷ đồng."),
        ("item", "1.", 1, "Về xã hội"),
        ("item", "-", 2, "Tỷ lệ lao động qua đào tạo đạt trên 60%."),
        ("item", "I.", 0, "NHIỆM VỤ, GIẢI PHÁP"),
        ("item", "-", 1, "Đầu tư 3 trường học đạt chuẩn, giải ngân 95% vốn được giao."),
    ], [("Kim ngạch xuất khẩu", 420, 420, "triệu USD", "Về kinh tế"),
        ("Tổng vốn đầu tư toàn xã hội", 21500, 21500, "tỷ đồng", "Về kinh tế"),
        ("Tỷ lệ lao động qua đào tạo", 60, None, "%", "Về xã hội")]),
    # an unmarked lead ending in ':' > (1) items
    "lead_paren_numbers": (HEADER + [
        ("para", "Hội đồng nhân dân tỉnh thống nhất các chỉ tiêu chủ yếu năm 2026 như sau:"),
        ("item", "(1)", 0, "GRDP bình quân đầu người đạt 62 triệu đồng."),
        ("item", "(1)", 0, "Tỷ lệ che phủ rừng duy trì 44,5%."),
        ("item", "(1)", 0, "Số xã đạt chuẩn nông thôn mới tăng thêm 6 xã."),
        ("para", "Giao Ủy ban nhân dân tỉnh triển khai thực hiện trong năm 2026 và báo cáo kết quả."),
    ], [("GRDP bình quân đầu người", 62, 62, "triệu đồng", None), ("Tỷ lệ che phủ rừng", 44.5, 44.5, "%", None),
        ("Số xã đạt chuẩn nông thôn mới", 6, 6, "xã", None)]),
    # a heading, then one unmarked paragraph per target; tasks with numbers after
    "unmarked_paragraphs": (HEADER + [
        ("item", "I.", 0, "CÁC CHỈ TIÊU CỤ THỂ NĂM 2026"),
        ("para", "Tổng sản lượng lương thực có hạt đạt 560 nghìn tấn."),
        ("para", "Tỷ lệ dân số tham gia bảo hiểm y tế đạt 98,5%."),
        ("para", "Tỷ suất sinh thô giảm 0,2‰."),
        ("item", "I.", 0, "NHIỆM VỤ TRỌNG TÂM"),
        ("para", "Trồng mới 3.000 ha rừng sản xuất và hỗ trợ 450 hộ nghèo làm nhà ở."),
    ], [("Tổng sản lượng lương thực có hạt", 560, 560, "nghìn tấn", None),
        ("Tỷ lệ dân số tham gia bảo hiểm y tế", 98.5, 98.5, "%", None), ("Tỷ suất sinh thô", 0.2, 0.2, "‰", None)]),
    # bold unmarked group headings with + items
    "bold_groups_plus": (HEADER + [
        ("item", "1.", 0, "Chỉ tiêu chủ yếu"),
        ("head", "VỀ KINH TẾ"),
        ("item", "+", 1, "Thu nhập bình quân đầu người đạt 55 triệu đồng/người/năm."),
        ("item", "+", 1, "Giá trị sản xuất nông nghiệp tăng 4,5% so với năm 2025."),
        ("head", "VỀ MÔI TRƯỜNG"),
        ("item", "+", 1, "Tỷ lệ chất thải rắn đô thị được thu gom đạt từ 92% trở lên."),
        ("item", "1.", 0, "Tổ chức thực hiện"),
        ("para", "Các sở, ngành xây dựng kế hoạch trước ngày 15/01/2026."),
    ], [("Thu nhập bình quân đầu người", 55, 55, "triệu đồng/người/năm", "VỀ KINH TẾ"),
        ("Giá trị sản xuất nông nghiệp", 4.5, 4.5, "%", "VỀ KINH TẾ"),
        ("Tỷ lệ chất thải rắn đô thị được thu gom", 92, None, "%", "VỀ MÔI TRƯỜNG")]),
    # items written inline in one paragraph
    "inline_items": (HEADER + [
        ("item", "1.", 0, "Các chỉ tiêu chủ yếu: (1) Tốc độ tăng trưởng GRDP từ 7,5% trở lên; (2) Số bác sĩ trên "
                          "10.000 dân đạt 13 bác sĩ; (3) Tỷ lệ thất nghiệp khu vực thành thị dưới 3%."),
        ("item", "1.", 0, "Giải pháp: đẩy nhanh giải ngân 2.100 tỷ đồng vốn đầu tư công."),
    ], [("Tốc độ tăng trưởng GRDP", 7.5, None, "%", None), ("Số bác sĩ trên 10.000 dân", 13, 13, "bác sĩ", None),
        ("Tỷ lệ thất nghiệp khu vực thành thị", None, 3, "%", None)]),
    # bullets directly under a heading in capitals, a review part before it
    "review_then_bullets": (HEADER + [
        ("head", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM 2025"),
        ("item", "•", 0, "Tốc độ tăng trưởng ước đạt 6,4%, thấp hơn kế hoạch 7%."),
        ("head", "MỘT SỐ CHỈ TIÊU CHỦ YẾU NĂM 2026"),
        ("item", "•", 0, "Tốc độ tăng trưởng đạt 7,5 - 8%."),
        ("item", "•", 0, "Tổng mức bán lẻ hàng hóa tăng 11% so với năm 2025."),
    ], [("Tốc độ tăng trưởng", 7.5, 8, "%", None), ("Tổng mức bán lẻ hàng hóa", 11, 11, "%", None)]),
    # capital-letter sections > decimal items
    "letter_sections": (HEADER + [
        ("head", "CÁC CHỈ TIÊU KẾ HOẠCH NĂM 2026"),
        ("item", "A.", 0, "Nhóm chỉ tiêu kinh tế"),
        ("item", "1.", 1, "Năng suất lao động xã hội tăng 6%."),
        ("item", "1.", 1, "Tỷ trọng công nghiệp - xây dựng trong GRDP đạt 38%."),
        ("item", "A.", 0, "Nhóm chỉ tiêu xã hội"),
        ("item", "1.", 1, "Tuổi thọ trung bình đạt 71,5 năm."),
    ], [("Năng suất lao động xã hội", 6, 6, "%", "Nhóm chỉ tiêu kinh tế"),
        ("Tỷ trọng công nghiệp - xây dựng trong GRDP", 38, 38, "%", "Nhóm chỉ tiêu kinh tế"),
        ("Tuổi thọ trung bình", 71.5, 71.5, "năm", "Nhóm chỉ tiêu xã hội")]),
}
FORMS = ("txt", "docx", "reportlab.pdf", "libreoffice.pdf")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    base = tmp_path_factory.mktemp("structures")
    files = {}
    docxs = []
    for name, (paragraphs, _) in STRUCTURES.items():
        files[(name, "txt")] = write_txt(paragraphs, base / f"{name}.txt")
        files[(name, "docx")] = write_docx(paragraphs, base / f"{name}.docx")
        files[(name, "reportlab.pdf")] = write_reportlab_pdf(paragraphs, base / f"{name}.rl.pdf")
        docxs.append(files[(name, "docx")])
    if shutil.which("soffice"):
        lo = base / "lo"
        lo.mkdir()
        for name, pdf in zip(STRUCTURES, write_libreoffice_pdfs(docxs, lo)):
            files[(name, "libreoffice.pdf")] = pdf
    return files


CASES = [(name, form) for name in STRUCTURES for form in FORMS]


@pytest.mark.parametrize("name,form", CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_structure_gives_its_targets_in_every_form(rendered, name, form):
    if (name, form) not in rendered:
        pytest.skip("LibreOffice is not installed (make test installs it)")
    layout = read_layout(read_document(rendered[(name, form)]))
    got = [(r.name, r.target.low and r.target.low.value, r.target.high and r.target.high.value, r.target.unit,
            r.section_title) for r in layout.rows]
    assert got == STRUCTURES[name][1]
