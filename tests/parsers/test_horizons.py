"""Horizons (SPEC §1.2): a heading or lead that names a time sets the `year` of the targets under
it, one row per horizon; a bare 'MỤC TIÊU' over horizon headings is a target list. Sentences of
our own, in the shapes the wider family of planning documents uses."""
from __future__ import annotations

import pytest

from chitieu.parsers.layouts.prose import horizon_of, read_prose
from chitieu.parsers.layouts.statements import Statement, read_statement
from chitieu.parsers.model import Line


def lines(*texts: str) -> tuple[Line, ...]:
    return tuple(Line(t, n) for n, t in enumerate(texts, 1))


def rows_of(*texts: str):
    return [(r.name, r.year, r.target.low and r.target.low.value, r.target.unit, r.section_title)
            for r in read_prose(lines(*texts), label="paragraph").rows]


@pytest.mark.parametrize("text,expected", [
    ("Đến năm 2030", (2030, "")),
    ("Tầm nhìn đến năm 2045:", (2045, "")),
    ("Đến hết năm 2027: Có ít nhất 40% trạm sạc dùng điện mặt trời.", (2027, "Có ít nhất 40% trạm sạc dùng điện mặt trời.")),
    ("Mục tiêu đến năm 2035", (2035, "")),
    ("Năm 2026, tỷ lệ che phủ rừng đạt 45%", None),  # a sentence that names its year, not a horizon
    ("Tỷ lệ trường đạt chuẩn đến năm 2030 là 80%", None),
])
def test_a_horizon_is_a_time_alone_before_a_colon_or_the_end(text, expected):
    assert horizon_of(text) == expected


def test_objectives_over_horizon_headings_give_a_row_per_horizon():
    got = rows_of(
        "NGHỊ QUYẾT", "Về phát triển thư viện số",
        "I- MỤC TIÊU",
        "1. Đến năm 2030",
        "Thư viện trở thành trung tâm tri thức của cộng đồng. Phấn đấu đạt các chỉ tiêu sau:",
        "- Tỷ lệ xã có điểm đọc sách điện tử đạt 60%.",
        "- Số đầu sách số hóa đạt 2 triệu bản.",
        "2. Tầm nhìn đến năm 2045",
        "Người dân tiếp cận tri thức bình đẳng ở mọi nơi.",
        "- Tỷ lệ xã có điểm đọc sách điện tử đạt 100%.",
        "II- NHIỆM VỤ, GIẢI PHÁP",
        "1. Đến năm 2027 đầu tư 5 thư viện vùng.",
    )
    assert got == [
        ("Tỷ lệ xã có điểm đọc sách điện tử", 2030, 60, "%", "Đến năm 2030"),
        ("Số đầu sách số hóa", 2030, 2, "triệu bản", "Đến năm 2030"),
        ("Tỷ lệ xã có điểm đọc sách điện tử", 2045, 100, "%", "Tầm nhìn đến năm 2045"),
    ]


def test_an_indicator_named_by_its_lead_at_several_horizons():
    got = rows_of(
        "KẾ HOẠCH", "Chuyển đổi phương tiện công cộng",
        "2. Mục tiêu cụ thể",
        "Tỷ lệ taxi sử dụng điện theo lộ trình như sau:",
        "a) Đến hết năm 2027: Có ≥ 25% taxi sử dụng điện.",
        "b) Đến hết năm 2032: Có ≥ 60% taxi sử dụng điện.",
    )
    assert [(n, y, v) for n, y, v, _, _ in got] == [("Tỷ lệ taxi sử dụng điện", 2027, 25),
                                                    ("Tỷ lệ taxi sử dụng điện", 2032, 60)]


def test_a_list_heading_that_names_a_horizon_sets_the_year_of_its_rows():
    got = rows_of("CHƯƠNG TRÌNH", "Phát triển du lịch", "3. Mục tiêu cụ thể đến năm 2030",
                  "- Tổng lượt khách đạt 12 triệu lượt.", "- Đến năm 2028, doanh thu du lịch đạt 9.000 tỷ đồng.")
    assert [(n, y) for n, y, *_ in got] == [("Tổng lượt khách", 2030), ("Doanh thu du lịch", 2028)]


def test_a_number_before_a_colon_names_who_the_values_after_it_are_for():
    rows = read_statement(Statement("Cân nặng trung bình của trẻ 10 tuổi đạt: nam 32 kg, nữ 31 kg", 1, None), 1, "line")
    assert [(r.name, r.target.low.value, r.target.unit) for r in rows] == [
        ("Cân nặng trung bình của trẻ 10 tuổi: nam", 32, "kg"), ("Cân nặng trung bình của trẻ 10 tuổi: nữ", 31, "kg")]
    rows = read_statement(Statement("Chiều dài đường ven biển loại 2 làn: phía bắc 40 km, phía nam 55 km", 1, None), 1, "line")
    assert [r.target.low.value for r in rows] == [40, 55]
