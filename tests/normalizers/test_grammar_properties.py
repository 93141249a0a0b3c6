"""What the grammar must never do, whatever it is given (issue 11): raise, give low > high,
give an infinite or NaN bound, or swap a reversed range silently."""
from __future__ import annotations

import math

from hypothesis import given, settings, strategies as st

from chitieu.normalizers.targets import format_vn, parse_target
from chitieu.parsers.layouts.statements import Statement, read_statement

numbers = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False).map(float)
words = st.sampled_from(["đạt", "trên", "dưới", "khoảng", "từ", "đến", "trở lên", "trở xuống", "tăng", "giảm", "còn",
                         "lên", "gấp", "lần", "xếp hạng", "trong nhóm", "so với năm", "phấn đấu", "lần lượt", "và",
                         ",", ";", "(", ")", "%", "tỷ đồng", "điểm %", "tuổi", "năm", "-", "/", "trong đó",
                         "Tỷ lệ", "Thu ngân sách", "bình quân", "giai đoạn"])
tokens = st.lists(st.one_of(words, numbers.map(format_vn), st.integers(1990, 2100).map(str)), max_size=14)


def _sound(target) -> None:
    for bound in (target.low, target.high):
        assert bound is None or math.isfinite(bound.value)
    if target.low and target.high:
        assert target.low.value <= target.high.value


@settings(max_examples=400, deadline=None)
@given(tokens.map(" ".join))
def test_a_statement_of_any_words_reads_without_raising_into_sound_intervals(text):
    for row in read_statement(Statement(text, 1, None), 1, "line"):
        _sound(row.target)


@settings(max_examples=300, deadline=None)
@given(tokens.map(" ".join), st.sampled_from([None, "%", "1.000 tỷ đồng", "Hoàn thành", "xã", "x"]))
def test_a_cell_of_any_words_reads_into_a_sound_interval(text, unit):
    _sound(parse_target(text, unit=unit))


@given(numbers, numbers)
def test_a_reversed_range_is_never_swapped_silently(a, b):
    t = parse_target(f"{format_vn(a)} - {format_vn(b)}", unit="%")
    assert (t.low.value, t.high.value) == (min(a, b), max(a, b))
    assert ("reversed_range" in t.notes) == (a > b) and (t.status == "review") == (a > b)


@given(st.integers(310, 420))  # past the largest float (about 1.8e308)
def test_a_number_too_long_for_a_float_is_unparsed(digits):
    t = parse_target("9" * digits + " tỷ đồng")
    assert t.status == "unparsed" and t.low is None and t.high is None
