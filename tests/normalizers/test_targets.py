"""Target phrases → intervals: every line of SPEC §3, table-driven, grouped by origin."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings, strategies as st

import regex

from chitieu.normalizers.phrases import _phrases_in
from chitieu.normalizers.targets import (Bound, Target, _clause_directions, bounds_for, clause_direction,
                                 find_phrases, parse_target, read_name, tokenize)

INF = None  # an unbounded side


def reading(t: Target):
    low = (t.low.value, t.low.inclusive) if t.low else None
    high = (t.high.value, t.high.inclusive) if t.high else None
    return low, high, t.comparator, t.approximate


# SPEC §3, one row per spelling: (written, low, high, comparator, approximate)
SPEC_TABLE = [
    ("148", (148, True), (148, True), "=", False),
    ("đạt 94%", (94, True), (94, True), "=", False),
    ("là 55,5%", (55.5, True), (55.5, True), "=", False),
    ("6,5-7,0", (6.5, True), (7.0, True), "between", False),
    ("7,0 - 7,5%", (7.0, True), (7.5, True), "between", False),
    ("từ 6,0 - 6,5%", (6.0, True), (6.5, True), "between", False),
    ("từ 4 đến 5", (4, True), (5, True), "between", False),
    ("24,1% - 24,2%", (24.1, True), (24.2, True), "between", False),
    ("28 - 28,5%", (28, True), (28.5, True), "between", False),
    ("Trên 90", (90, False), INF, ">", False),
    ("trên 98,5%", (98.5, False), INF, ">", False),
    ("hơn 90", (90, False), INF, ">", False),
    ("vượt 90", (90, False), INF, ">", False),
    ("Ít nhất 4", (4, True), INF, ">=", False),
    ("tối thiểu 4", (4, True), INF, ">=", False),
    ("không dưới 4", (4, True), INF, ">=", False),
    ("từ 4 trở lên", (4, True), INF, ">=", False),
    ("4 trở lên", (4, True), INF, ">=", False),
    ("Dưới 2%", INF, (2, False), "<", False),
    ("thấp hơn 2%", INF, (2, False), "<", False),
    ("còn dưới 4%", INF, (4, False), "<", False),
    ("từ 9,2‰ trở xuống", INF, (9.2, True), "<=", False),
    ("không quá 9,2", INF, (9.2, True), "<=", False),
    ("tối đa 9,2", INF, (9.2, True), "<=", False),
    ("không vượt quá 9,2", INF, (9.2, True), "<=", False),
    ("khoảng 4.700 - 4.730", (4700, True), (4730, True), "between", True),
    ("trên dưới 90", (90, True), (90, True), "=", True),
    ("gần 90", (90, True), (90, True), "=", True),
    ("xấp xỉ 90", (90, True), (90, True), "=", True),
    ("> 90", (90, False), INF, ">", False),
    ("≥ 95%", (95, True), INF, ">=", False),
    ("< 4", INF, (4, False), "<", False),
    ("≤ 3", INF, (3, True), "<=", False),
]


@pytest.mark.parametrize("written,low,high,comparator,approximate", SPEC_TABLE, ids=[r[0] for r in SPEC_TABLE])
def test_spec_table(written, low, high, comparator, approximate):
    t = parse_target(written)
    assert t.kind == "numeric" and t.status != "unparsed"
    assert reading(t) == (low, high, comparator, approximate)


# SPEC §3 numbers
@pytest.mark.parametrize("written,value", [
    ("1.000", 1000), ("28,3", 28.3), ("50.400", 50400), ("99,77", 99.77), ("07", 7), ("1.234.567", 1234567),
])
def test_vietnamese_numbers(written, value):
    assert parse_target(written).low.value == value


# Words that look like comparators but belong to the name: the phrase found is the real one.
@pytest.mark.parametrize("text,values,op", [
    ("Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng từ 12,2% trở xuống", (12.2,), "<="),
    ("Tỷ lệ tuyển sinh từ trung cấp nghề trở lên đạt 27,3%", (27.3,), "="),
    ("Tỷ lệ đảng viên hoàn thành nhiệm vụ trở lên đạt 98%", (98,), "="),
    ("Tỷ lệ hộ nghèo (giai đoạn 2021 - 2025) giảm 0,1 điểm %", (0.1,), "="),
    ("Tăng trưởng kinh tế (GRDP theo giá so sánh 2010) đạt 7,0 - 7,5%", (7.0, 7.5), "between"),
    ("Số bác sĩ trên 10.000 dân đạt 12 bác sĩ", (12,), "="),
    ("Hội nghị ngày 04/01/2024 thống nhất tỷ lệ che phủ rừng đạt 42%", (42,), "="),
])
def test_name_words_are_not_targets(text, values, op):
    phrases = find_phrases(text)
    assert [(p.values, p.op) for p in phrases] == [(values, op)]


# Change targets, directions and reference years (SPEC §3), from phrase or name
@pytest.mark.parametrize("written,name,measure,direction,ref", [
    ("tăng 8% so với năm 2023", None, "change", "increase", 2023),
    ("giảm 0,1 điểm %", None, "change", "decrease", None),
    ("tăng tối thiểu 7%", None, "change", "increase", None),
    ("giảm 1 - 1,5%", None, "change", "decrease", None),
    ("còn dưới 4%", "Giảm tỷ lệ thất nghiệp khu vực thành thị", "level", "decrease", None),
    ("giảm xuống 3%", None, "level", "decrease", None),
    ("12,2%", "Giảm tỷ lệ suy dinh dưỡng từ", "change", "decrease", None),
    ("6,5-7,0", "Tốc độ tăng trưởng kinh tế (GRDP) tăng so với năm 2023", "change", "increase", 2023),
    ("35", "Giảm tỷ lệ hộ nghèo A trên tổng số hộ nghèo A", "change", "decrease", None),
    ("52", "Duy trì tỷ lệ che phủ cây xanh", "level", "maintain", None),
    ("7,0 - 7,5%", "Tăng trưởng kinh tế", "level", None, None),
])
def test_change_targets(written, name, measure, direction, ref):
    t = parse_target(written, name=name)
    assert (t.measure, t.direction, t.reference_year) == (measure, direction, ref)


def test_trailing_verb_is_a_guess():
    t = parse_target("7,6", unit="%", name="Tỷ lệ trẻ em suy dinh dưỡng cân nặng theo độ tuổi giảm")
    assert (t.measure, t.direction, t.status) == ("level", "decrease", "review")
    assert "direction_from_trailing_verb" in t.notes


# Target kinds from the table seed
@pytest.mark.parametrize("written,unit,kind", [
    ("Hoàn thành", "Hoàn thành", "completion"),
    ("Hoàn thành chỉ tiêu, nhiệm vụ thi hành án dân sự được giao trong năm 2024", "Hoàn thành", "completion"),
    ("Đạt dự toán được giao", "Tỷ đồng", "qualitative"),
    ("", "", "none"),
    ("  ", "%", "none"),
])
def test_kinds(written, unit, kind):
    assert parse_target(written, unit=unit).kind == kind


def test_unreadable_text_is_kept_unparsed():
    t = parse_target("xem phụ lục 3")
    assert t.status in ("unparsed",) or t.kind == "qualitative"
    t = parse_target("(1)/(2)")
    assert t.status == "unparsed" and t.text == "(1)/(2)" and t.low is None and t.high is None


def test_approximate_from_the_name():
    t = parse_target("124", unit="1.000 tỷ đồng", name="Tổng vốn đầu tư phát triển toàn xã hội khoảng")
    assert (t.low.value, t.unit, t.approximate) == (124000, "tỷ đồng", True)


def test_qualitative_direction_per_row_of_a_merged_cell():
    text = ("Phấn đấu kéo giảm số vụ về trật tự xã hội; kiềm chế làm giảm số vụ tai nạn giao thông "
            "nghiêm trọng và cháy nổ lớn và phát hiện số vụ ma túy theo Nghị quyết.")
    got = [parse_target(text, "Số vụ", name=n).direction for n in (
        "Số vụ phạm tội về trật tự xã hội", "Số vụ tai nạn giao thông nghiêm trọng",
        "Số vụ cháy nổ lớn", "Phát hiện số vụ ma túy")]
    assert got == ["decrease", "decrease", "decrease", None]


def test_read_name():
    ctx = read_name("Kim ngạch xuất khẩu tăng so với năm 2023")
    assert (ctx.direction, ctx.position, ctx.reference_year) == ("increase", "trailing", 2023)


# ---------------------------------------------------------------------------- properties

phrase_words = st.sampled_from([
    "trên", "dưới", "từ", "đến", "trở lên", "trở xuống", "khoảng", "không quá", "ít nhất", "-", "–",
    "%", "‰", "tỷ đồng", "giảm", "tăng", "so với năm", "còn", ",", ";", "(", ")", "trên dưới", "đạt", "là",
    "1.000", "6,5", "7,0", "2023", "0", "99,77", "≥", "≤", ">", "<", "xã", "người", "điểm %",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(phrase_words, max_size=10).map(" ".join))
def test_parse_target_reads_phrase_soup_without_raising(text):
    t = parse_target(text)
    if t.low and t.high:
        assert t.low.value <= t.high.value
    assert t.status in ("ok", "review", "unparsed")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.one_of(st.none(), st.text(max_size=15)), st.one_of(st.none(), st.text(max_size=30)))
def test_parse_target_never_raises_and_never_inverts(text, unit, name):
    t = parse_target(text, unit=unit, name=name)
    if t.low and t.high:
        assert t.low.value <= t.high.value
    for b in (t.low, t.high):
        assert b is None or math.isfinite(b.value)


values = st.decimals(min_value=0, max_value=10**7, places=2).map(float)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["=", ">", ">=", "<", "<=", "between"]), values, values,
       st.sampled_from([None, "%", "‰", "tỷ đồng", "xã"]), st.booleans())
def test_str_round_trips(op, a, b, unit, approximate):
    low, high = bounds_for(op, a, b if op == "between" else None)
    if op == "between" and a == b:
        op = "="
    t = Target("", low=low, high=high, unit=unit, approximate=approximate, measure="level")
    back = parse_target(str(t))
    assert (back.low, back.high, back.unit, back.approximate) == (low, high, unit, approximate)


# ---------------------------------------------------------------------------- tokens and caches

soup = st.lists(st.one_of(phrase_words, st.sampled_from(["  ", "\u00a0", "\n", "(2021)", "ab", "9,2‰", "5tỷ"])),
                max_size=12).map(lambda words: " ".join(words))


@settings(max_examples=300, deadline=None)
@given(st.one_of(soup, st.text(max_size=40)))
def test_tokens_cover_every_character_but_spaces_once_in_order(text):
    pos = 0
    for t in tokenize(text):
        assert text[t.start:t.end] == t.text and t.start < t.end
        assert not text[pos:t.start].strip()  # only spaces between tokens
        pos = t.end
    assert not text[pos:].strip()


@settings(max_examples=300, deadline=None)
@given(soup.map(lambda t: regex.sub(r"\s+", " ", t).strip()))
def test_cached_phrases_are_a_fresh_reading_in_a_new_list(text):
    found = find_phrases(text)
    found.clear()  # what a caller does to its list does not reach the cache
    assert find_phrases(text) == list(_phrases_in.__wrapped__(text))


MERGED = "Phấn đấu kéo giảm số vụ phạm pháp hình sự; kiềm chế làm giảm số vụ tai nạn giao thông và phát hiện số vụ ma túy"


@pytest.mark.parametrize("name", [None, "Số vụ phạm pháp hình sự", "Số vụ tai nạn giao thông", "Số vụ ma túy", "Khác"])
def test_clauses_of_a_merged_cell_read_once_give_each_row_its_fresh_answer(name):
    clause_direction(MERGED, None)  # the cell's first row fills the cache
    cached = clause_direction(MERGED, name)
    _clause_directions.cache_clear()
    assert cached == clause_direction(MERGED, name)
