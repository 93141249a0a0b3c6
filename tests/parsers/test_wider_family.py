"""Phrases of the wider family of planning documents (SPEC §1.2) and the review checks of §4.1,
table-driven, in sentences of our own."""
from __future__ import annotations

import pytest

from chitieu.parsers.layouts.document import read_layout
from chitieu.parsers.layouts.statements import Statement, read_plain_item, read_statement
from chitieu.parsers.model import Line, RawDocument


def rows_of(text: str):
    return [(r.name, (r.target.low or r.target.high).value, r.target.unit, r.parent_seq)
            for r in read_statement(Statement(text, 1, None), 1, "line")]


@pytest.mark.parametrize("text,expected", [
    # value first, one predicate shared by every noun phrase before it
    ("90% trường tiểu học, 75% trường trung học cơ sở được kết nối mạng giáo dục",
     [("Tỷ lệ trường tiểu học được kết nối mạng giáo dục", 90, "%", None),
      ("Tỷ lệ trường trung học cơ sở được kết nối mạng giáo dục", 75, "%", None)]),
    ("80% chợ dân sinh, 100% siêu thị không sử dụng túi ni lông khó phân hủy",
     [("Tỷ lệ chợ dân sinh không sử dụng túi ni lông khó phân hủy", 80, "%", None),
      ("Tỷ lệ siêu thị không sử dụng túi ni lông khó phân hủy", 100, "%", None)]),
    # a colon's stem holds for every part of its clause, and a part takes no unit in its name
    ("Cây chè: diện tích 3.400 ha, năng suất 11 tấn/ha, sản lượng 37.000 tấn",
     [("Cây chè: diện tích", 3400, "ha", None), ("Cây chè: năng suất", 11, "tấn/ha", None),
      ("Cây chè: sản lượng", 37000, "tấn", None)]),
    ("Đàn vật nuôi: dê 3.200 con, ngựa 450 con",
     [("Đàn vật nuôi: dê", 3200, "con", None), ("Đàn vật nuôi: ngựa", 450, "con", None)]),
    # a sub-target named only by its own predicate takes the parent's subject
    ("100% nhân viên y tế xã đạt chuẩn chuyên môn, trong đó 40% đạt trình độ đại học",
     [("Tỷ lệ nhân viên y tế xã đạt chuẩn chuyên môn", 100, "%", None),
      ("Tỷ lệ nhân viên y tế xã đạt trình độ đại học", 40, "%", 1)]),
    # a count after a verb of receiving: the count's name, unscaled
    ("Đón 6 triệu lượt khách tham quan", [("Số lượt khách tham quan", 6, "triệu lượt", None)]),
    # a number with its unit after a word that may name is a value
    ("Diện tích cây lâu năm 8.100 ha", [("Diện tích cây lâu năm", 8100, "ha", None)]),
    # a short duration: the value after a comparator, part of the name otherwise
    ("Thời gian cấp giấy phép xây dựng không quá 7 ngày làm việc",
     [("Thời gian cấp giấy phép xây dựng", 7, "ngày làm việc", None)]),
])
def test_wider_family_phrases(text, expected):
    assert rows_of(text) == expected


@pytest.mark.parametrize("text,kind", [
    ("Phủ sóng mạng 5G đến toàn bộ khu công nghiệp", "completion"),
    ("Huyện Mẫu Sơn được công nhận hoàn thành nhiệm vụ xây dựng nông thôn mới", "completion"),
    ("Hạ tầng dữ liệu đồng bộ, an toàn, kết nối liên thông", None),  # an aim: no row
    ("Nâng cao nhận thức của người dân về bảo vệ môi trường", None),
    ("Kéo giảm số vụ cháy rừng", "qualitative"),
])
def test_items_without_a_number(text, kind):
    row = read_plain_item(Statement(text, 1, None), 1, "line")
    assert (row.target.kind if row else None) == kind


def layout_of(*texts: str):
    return read_layout(RawDocument("txt", lines=tuple(Line(t, n) for n, t in enumerate(texts, 1))))


def test_review_marks_an_item_whose_value_gave_no_row():
    rows = layout_of("NGHỊ QUYẾT", "Về kế hoạch năm 2026", "2. Các chỉ tiêu chủ yếu:",
                     "- Tổng vốn đầu tư đạt 12.000 tỷ đồng với khoảng 300 dự án mới.").rows
    assert rows and all("value_not_read" in r.all_notes and r.status == "review" for r in rows)


@pytest.mark.parametrize("name,odd", [
    ("Tỉnh Hòa Bình được công nhận đạt chuẩn", True),  # a place, then a verb
    ("Đón triệu lượt khách", True),  # its scaled unit left inside the name
    ("Số lượt khách", False),
    ("Mở rộng diện tích cà phê tái canh", True),  # a task's verb
    ("Xã đạt chuẩn nông thôn mới", False),
])
def test_review_marks_names_that_do_not_start_an_indicator(name, odd):
    from chitieu.normalizers.sanity import sanity_notes
    from chitieu.normalizers.targets import parse_target

    unit = "triệu lượt" if "lượt" in name else "%"
    assert ("odd_name" in sanity_notes(name, parse_target("5", unit=unit))) is odd
