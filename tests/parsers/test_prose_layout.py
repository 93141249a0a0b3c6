"""Resolution prose: splitting statements into targets and naming them, with real phrases
from the seed and phrases national and provincial resolutions use that the seed does not."""
from __future__ import annotations

import pytest

from chitieu.parsers.layouts.outline import drop_furniture, join_paragraphs
from chitieu.parsers.layouts.prose import read_prose
from chitieu.parsers.layouts.statements import Statement, read_statement, split_clauses, split_targets
from chitieu.parsers.model import Line


def targets_of(text: str):
    rows = read_statement(Statement(text, 1, None), 1, "line")
    return [(r.name, r.parent_seq, r.target.low and r.target.low.value, r.target.high and r.target.high.value,
             r.target.unit) for r in rows]


@pytest.mark.parametrize("clause,parts", [
    # from the seed
    ("Tổng thu ngân sách đạt 8.801 tỷ đồng. Tổng chi ngân sách địa phương đạt 14.456 tỷ đồng.", 2),
    ("Giải quyết việc làm cho 18.000 lao động; trong đó, đưa 400 lao động làm việc ở nước ngoài.", 2),
    ("Số bác sĩ/vạn dân đạt 7,8 bác sĩ; số giường bệnh/vạn dân đạt 24 giường bệnh", 2),
    # not in the seed
    ("Tỷ lệ lao động qua đào tạo đạt 70%, trong đó có bằng cấp, chứng chỉ đạt 30%.", 2),
    ("Tỷ lệ hộ nghèo (giai đoạn 2021 - 2025) giảm 1 - 1,5%.", 1),
])
def test_split_clauses(clause, parts):
    assert len(split_clauses(clause)) == parts


@pytest.mark.parametrize("clause,groups", [
    ("02 huyện được công nhận đạt chuẩn và 02 huyện đạt chuẩn nâng cao", 2),
    ("Tỷ lệ trường học đạt chuẩn quốc gia: mầm non đạt 65%, trung học cơ sở đạt 66%, trung học phổ thông đạt 66% và tiểu học đạt 84%", 4),
    ("Chỉ tiêu tuyển quân đạt 100%, đảm bảo chất lượng giao quân", 1),
    ("Tỷ lệ chất thải rắn đô thị được thu gom và xử lý đạt trên 98,5%", 1),
    ("Tỷ lệ trạm y tế xã, phường, thị trấn có bác sĩ đạt 100%", 1),
    ("nhà trẻ 17,5%, trung học phổ thông và tương đương 84%", 2),
    ("Trên 98% đảng viên đủ tư cách, hoàn thành nhiệm vụ trở lên", 1),
    ("Có thêm 15 xã đạt chuẩn nông thôn mới, 5 xã đạt chuẩn nông thôn mới nâng cao", 2),
])
def test_split_targets_only_between_two_targets(clause, groups):
    assert len(split_targets(clause)) == groups


@pytest.mark.parametrize("statement,expected", [
    # subject before the phrase
    ("Tổng kim ngạch xuất khẩu đạt 5 tỷ USD.", [("Tổng kim ngạch xuất khẩu", None, 5, 5, "tỷ USD")]),
    # the number first: the subject follows it
    ("10 xã đạt chuẩn nông thôn mới nâng cao", [("Số xã đạt chuẩn nông thôn mới nâng cao", None, 10, 10, "xã")]),
    ("Trên 98% đảng viên đủ tư cách, hoàn thành nhiệm vụ trở lên",
     [("Tỷ lệ đảng viên đủ tư cách, hoàn thành nhiệm vụ trở lên", None, 98, None, "%")]),
    ("Phấn đấu có 90% số xã đạt chuẩn nông thôn mới", [("Tỷ lệ số xã đạt chuẩn nông thôn mới", None, 90, 90, "%")]),
    # a verb, the number, then its object
    ("Kết nạp 1.500 đảng viên mới.", [("Kết nạp đảng viên mới", None, 1500, 1500, "đảng viên")]),
    ("Tạo việc làm mới cho khoảng 32.000 lao động.", [("Tạo việc làm mới", None, 32000, 32000, "lao động")]),
    # trong đó: a sub-target of the one before
    ("Tỷ lệ lao động qua đào tạo là 55,5%; trong đó, tỷ lệ lao động qua đào tạo có bằng cấp, chứng chỉ là 24%.",
     [("Tỷ lệ lao động qua đào tạo", None, 55.5, 55.5, "%"),
      ("Tỷ lệ lao động qua đào tạo có bằng cấp, chứng chỉ", 1, 24, 24, "%")]),
    # an enumeration after a colon keeps the shared stem
    ("Tỷ lệ huy động học sinh trong độ tuổi: nhà trẻ 17,5%, mẫu giáo 87,5%.",
     [("Tỷ lệ huy động học sinh trong độ tuổi: nhà trẻ", None, 17.5, 17.5, "%"),
      ("Tỷ lệ huy động học sinh trong độ tuổi: mẫu giáo", None, 87.5, 87.5, "%")]),
    # a direction verb leads: the name is its object
    ("Giảm tỷ lệ thất nghiệp khu vực thành thị còn dưới 4%.", [("Tỷ lệ thất nghiệp khu vực thành thị", None, None, 4, "%")]),
    # national and provincial wordings the seed does not have
    ("Tốc độ tăng trưởng kinh tế (GRDP) từ 6,0 - 6,5%.", [("Tốc độ tăng trưởng kinh tế (GRDP)", None, 6.0, 6.5, "%")]),
    ("GRDP bình quân đầu người đạt khoảng 4.700 - 4.730 USD.", [("GRDP bình quân đầu người", None, 4700, 4730, "USD")]),
    ("Kim ngạch xuất khẩu tăng tối thiểu 7%.", [("Kim ngạch xuất khẩu", None, 7, None, "%")]),
    ("Tỷ lệ hộ nghèo giảm 1 - 1,5%.", [("Tỷ lệ hộ nghèo", None, 1, 1.5, "%")]),
    ("Thu ngân sách nhà nước trên địa bàn đạt 168 nghìn tỷ đồng.",
     [("Thu ngân sách nhà nước trên địa bàn", None, 168, 168, "nghìn tỷ đồng")]),
    ("Số bác sĩ trên 10.000 dân đạt 12 bác sĩ.", [("Số bác sĩ trên 10.000 dân", None, 12, 12, "bác sĩ")]),
    ("Tổng sản phẩm (GRDP) tăng 8,5 - 9% so với năm 2024; trong đó, nông nghiệp tăng 3%.",
     [("Tổng sản phẩm (GRDP)", None, 8.5, 9, "%"), ("Nông nghiệp", 1, 3, 3, "%")]),
])
def test_names_and_values(statement, expected):
    assert targets_of(statement) == expected


def test_sentences_without_targets_give_no_rows():
    lines = [Line(t, n) for n, t in enumerate([
        "NGHỊ QUYẾT", "về nhiệm vụ năm 2025", "-----",
        "1. Thông qua Báo cáo tình hình thực hiện nhiệm vụ năm 2024 và 6 tháng đầu năm.",
        "2. Thống nhất các chỉ tiêu chủ yếu năm 2025 như sau:",
        "- Tăng trưởng kinh tế đạt 8%.",
        "3. Giao Ban Thường vụ triển khai 3 nhóm giải pháp trong năm 2025.",
        "Nơi nhận:", "- Như trên: 2 bản.",
    ], 1)]
    result = read_prose(tuple(lines))
    assert [(r.name, r.location) for r in result.rows] == [("Tăng trưởng kinh tế", "line 6")]
    assert result.year == 2025


def test_page_furniture_is_dropped():
    lines = (Line("- Tỷ lệ A đạt", 1, 1), Line("- 2 -", 2, 2), Line("90%.", 3, 2), Line("Nơi nhận:", 4, 2), Line("- Lưu 5 bản", 5, 2))
    assert [l.text for l in drop_furniture(lines)] == ["- Tỷ lệ A đạt", "90%."]


def test_wrapped_lines_join_into_one_statement():
    lines = [Line("- Tỷ lệ dân số đô thị được cung cấp nước sạch qua hệ thống cấp nước tập", 1), Line("trung đạt 99,77%.", 3)]
    [p] = join_paragraphs(lines, wrapped=True)
    assert p.text.endswith("cấp nước tập trung đạt 99,77%.") and p.line == 1 and p.marker == "-"
