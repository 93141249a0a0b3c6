"""Units (SPEC §4), numbers (SPEC §3) and text cleanup."""
from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given, strategies as st

from chitieu.normalizers.numbers import InvalidNumber, parse_number
from chitieu.normalizers.targets import format_vn, parse_target
from chitieu.normalizers.text import _SPACES, clean_name, clean_text
from chitieu.normalizers.units import match_unit, normalize_unit


@pytest.mark.parametrize("written,unit,factor", [
    ("Tỷ đồng", "tỷ đồng", 1), ("ngàn tỷ đồng", "nghìn tỷ đồng", 1), ("đô la Mỹ (USD)", "USD", 1),
    ("phần trăm", "%", 1), ("phần nghìn", "‰", 1), ("điểm phần trăm", "điểm %", 1), ("Số vụ ", "vụ", 1),
    ("1.000 tỷ đồng", "tỷ đồng", 1000), ("Triệu đồng/người", "triệu đồng/người", 1), ("Bác sĩ", "bác sĩ", 1),
    ("Xã", "xã", 1), ("GRDP", "GRDP", 1), ("%", "%", 1), ("10 nghìn người", "nghìn người", 10),
])
def test_normalize_unit(written, unit, factor):
    u = normalize_unit(written)
    assert (u.name, u.factor) == (unit, factor)
    assert u.raw == clean_text(written)


def test_completion_is_not_a_unit():
    u = normalize_unit("Hoàn thành")
    assert u.name is None and u.completion


@pytest.mark.parametrize("text,unit", [
    ("5 tỷ USD", "tỷ USD"), ("168 nghìn tỷ đồng", "nghìn tỷ đồng"), ("75,8 - 76,2 triệu đồng", "triệu đồng"),
    ("890 doanh nghiệp", "doanh nghiệp"), ("24 giường bệnh", "giường bệnh"), ("từ 9,2‰ trở xuống", "‰"),
])
def test_scale_words_written_with_the_value_stay_in_the_unit(text, unit):
    assert parse_target(text).unit == unit


def test_percent_in_the_value_is_the_unit_when_the_column_has_none():
    assert parse_target("Dưới 2%").unit == "%"
    assert parse_target("Dưới 2%", unit="%").unit == "%"


def test_unit_column_wins_and_a_difference_is_flagged():
    t = parse_target("5 xã", unit="huyện")
    assert t.unit == "huyện" and "unit_mismatch" in t.notes and t.status == "review"


# Digits of other scripts: Arabic-Indic, fullwidth, and Nag Mundari, which is newer than
# Python 3.11's Unicode tables (hypothesis found float() failing on it).
OTHER_DIGITS = ["\u0665", "\uff11\uff12", "\U0001e4f0", "1\U0001e4f0", "\U0001e4f1,5"]


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1..0", "-", *OTHER_DIGITS])
def test_invalid_numbers(text):
    with pytest.raises(InvalidNumber):
        parse_number(text)


@pytest.mark.parametrize("digits", OTHER_DIGITS)
def test_a_target_in_other_digits_is_kept_unparsed_not_misread(digits):
    t = parse_target(f"Trên {digits}%", unit="%")
    assert (t.status, t.low, t.high, t.text) == ("unparsed", None, None, f"Trên {digits}%")


@given(st.decimals(min_value=0, max_value=10**12, places=3).map(float))
def test_format_vn_parses_back(x):
    assert parse_number(format_vn(x)) == pytest.approx(x)


@pytest.mark.parametrize("raw,name", [
    ("Phân loại và xử lý rác thải sinh hoạt tại nguồn, trong đó:", "Phân loại và xử lý rác thải sinh hoạt tại nguồn"),
    ("GRDP bình quân đầu người (giá hiện hành) đạt", "GRDP bình quân đầu người (giá hiện hành)"),
    ("Tỷ lệ lao động không có việc làm ở khu vực thành thị ở mức ", "Tỷ lệ lao động không có việc làm ở khu vực thành thị"),
    ("Tỷ lệ dân số sử dụng nước sạch đạt chuẩn ", "Tỷ lệ dân số sử dụng nước sạch đạt chuẩn"),
    ("Tỷ lệ  lao động qua đào tạo có bằng,\nchứng chỉ đạt", "Tỷ lệ lao động qua đào tạo có bằng, chứng chỉ đạt".removesuffix(" đạt")),
    ("Ở\u00a0các hộ gia đình đạt ", "Ở các hộ gia đình"),
])
def test_clean_name(raw, name):
    assert clean_name(raw) == name


@given(st.text())
def test_clean_text_is_idempotent_nfc_single_spaced(text):
    once = clean_text(text)
    assert clean_text(once) == once and "  " not in once and once == once.strip()


def test_a_printable_text_holds_no_space_but_the_ascii_one():
    """What clean_text's shortcut for clean texts rests on."""
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if ch != " " and (_SPACES.match(ch) or ch.isspace()):
            assert not ch.isprintable(), hex(code)


odd_spaces = st.sampled_from([" ", "  ", "\u00a0", "\n", "\t", "\u2009", "\u200b", "\u3000", "\ufeff", "e\u0301"])


@given(st.lists(st.one_of(st.text(max_size=8), odd_spaces), max_size=8).map("".join))
def test_clean_text_is_the_full_fold_of_spaces(text):
    assert clean_text(text) == _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@given(st.lists(st.one_of(st.sampled_from(["đạt", "trong đó", "là", ":", ",", "-", "Tỷ lệ", "GRDP"]), odd_spaces),
                max_size=8).map(" ".join))
def test_cached_names_are_a_fresh_cleaning(text):
    assert clean_name(text) == clean_name.__wrapped__(text)
