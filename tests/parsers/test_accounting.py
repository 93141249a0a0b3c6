"""Nothing silent (SPEC §4.2): every paragraph with a value-like number is a target, an actual,
or left out with the reason of the part it stands in; a target-like paragraph outside every
list is a row for review. Documents of our own sentences."""
from __future__ import annotations

import pytest

from chitieu.parsers.layouts.accounting import carries_number
from chitieu.parsers.layouts.document import read_layout
from chitieu.parsers.model import Line, RawDocument


def layout_of(*texts: str):
    return read_layout(RawDocument("txt", lines=tuple(Line(t, n) for n, t in enumerate(texts, 1))))


@pytest.mark.parametrize("text,carries", [
    ("Căn cứ Luật Thủy lợi số 08/2017/QH14 ngày 19 tháng 6 năm 2017;", False),
    ("Căn cứ Kết luận số 12-KL/TW ngày 05/3/2026 của Bộ Chính trị;", False),
    ("Đến năm 2030:", False),
    ("giai đoạn 2026 - 2030", False),
    ("Tỷ lệ kênh mương được kiên cố hóa đạt 70%.", True),
    ("Nạo vét 45 km kênh cấp I.", True),
])
def test_a_number_is_a_value_not_a_year_date_or_document_number(text, carries):
    assert carries_number(text) is carries


PLAN = (
    "KẾ HOẠCH", "Phát triển thủy lợi giai đoạn 2026 - 2030",
    "Căn cứ Nghị quyết số 30/NQ-HĐND ngày 10 tháng 12 năm 2025;",
    "I. TÌNH HÌNH", "Năm 2025, toàn tỉnh ước kiên cố hóa được 1.150 km kênh mương.",
    "II. MỤC TIÊU", "1. Mục tiêu tổng quát", "Bảo đảm nước tưới cho 95% diện tích lúa hai vụ.",
    "2. Mục tiêu cụ thể",
    "- Tỷ lệ kênh mương nội đồng được kiên cố hóa đạt 75%.",
    "- Diện tích cây trồng cạn được tưới tiết kiệm đạt 12.000 ha.",
    "- Phấn đấu 3 hồ chứa lớn trở thành điểm du lịch sinh thái như đã nêu, xem phụ lục 2 và 4.",
    "III. NHIỆM VỤ, GIẢI PHÁP", "1. Nâng cấp 25 trạm bơm điện.",
    "IV. KINH PHÍ", "Tổng kinh phí khoảng 2.400 tỷ đồng.",
    "V. CÔNG TÁC KIỂM TRA", "Số công trình được kiểm tra an toàn đạt 100 công trình mỗi năm.",
)


def test_every_numbered_paragraph_is_read_or_left_out_with_its_reason():
    result = layout_of(*PLAN)
    accounts = result.accounts
    reasons = {k.location: k.reason for k in accounts.left_out}
    assert "line 5" not in reasons and [a.location for a in result.actuals] == ["line 5"]  # the review's estimate
    assert reasons["line 8"] == "general objective"
    assert reasons["line 14"] == "task"
    assert reasons["line 16"] == "funding"
    assert accounts.seen == accounts.read + len(accounts.left_out)
    assert "line 3" not in reasons  # a citation's numbers are no values


def test_a_target_like_paragraph_outside_every_list_is_a_row_for_review():
    rows = layout_of(*PLAN).rows
    outside = [r for r in rows if "outside_target_list" in r.all_notes]
    assert [(r.name, r.target.low.value, r.status) for r in outside] == [
        ("Số công trình được kiểm tra an toàn", 100, "review")]


def test_a_paragraph_of_a_target_list_that_gave_no_row_is_said_so():
    reasons = {k.location: k.reason for k in layout_of(*PLAN).accounts.left_out}
    assert reasons.get("line 12") in (None, "in a target list, not read")
    read = {r.location for r in layout_of(*PLAN).rows}
    assert "line 12" in read or reasons["line 12"] == "in a target list, not read"
