"""The text-layer check's grammar (syllables.toml) and the project's own words: which words
read as Vietnamese, which a lost TCVN3 ư explains, and the share of words a page can hold."""
from __future__ import annotations

import pytest

from chitieu.parsers.formats.syllables import is_syllable, known_syllables, suspect, suspect_share, with_u_horn

SYLLABLES = ["người", "Người", "NGƯỜI", "giường", "quyết", "Quỳnh", "kiểm", "gì", "thuở", "Đắk", "Lắk", "xoong", "khuya"]
# what a legacy font or a scanner leaves: codes converted by halves, wrong case, a stop with a
# tone it cannot take, a rime Vietnamese has not
NOT_SYLLABLES = ["trưêng", "PhÊn", "tÕ", "ngờng", "đợc", "b×nh", "càp", "ngườ", "Sụỷ", "Cuùc"]


@pytest.mark.parametrize("word", SYLLABLES)
def test_a_vietnamese_syllable_is_one(word):
    assert is_syllable(word) and not suspect(word)


@pytest.mark.parametrize("word", NOT_SYLLABLES)
def test_garbled_words_are_none(word):
    assert not is_syllable(word) and suspect(word)


@pytest.mark.parametrize("word", ["GRDP", "ĐVT", "HĐND", "ƯTH", "2024", "đồng/người", "Rịa-Vũng"])
def test_abbreviations_numbers_and_compounds_are_not_suspect(word):
    assert not suspect(word)


@pytest.mark.parametrize("lost,restored", [("trờng", "trường"), ("ngời", "người"), ("Nớc", "Nước"), ("t", "tư"),
                                           ("nh", "như"), ("giờng", "giường"), ("dới", "dưới"), ("hng", "hưng")])
def test_a_lost_u_horn_goes_back_where_it_makes_a_syllable(lost, restored):
    assert with_u_horn(lost) == restored


@pytest.mark.parametrize("word", ["mới", "lợi", "V", "GRDP", "cơ", "ĐVT"])
def test_a_word_that_stands_as_it_is_keeps_its_letters(word):
    """`mới` is a word the project knows; `lợi` → `lượi` is a syllable nobody writes."""
    assert with_u_horn(word) is None


def test_the_project_knows_its_own_words():
    assert {"người", "dưới", "được", "tỷ", "đồng", "giường"} <= known_syllables()


def test_a_share_counts_only_words_beyond_ascii():
    assert suspect_share(["Sở Tài nguyên và Môi trưêng, GRDP 7,5%"]) == (1, 6)
