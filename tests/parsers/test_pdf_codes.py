"""PDFs drawn in a legacy font as Word saves them (legacyforms.word_pdf: a simple TrueType font
named `.VnTime`, the TCVN3 bytes as its codes): the letters extraction loses are read from the
glyphs' codes. Issue 22: TCVN3's ư is 0xAD, WinAnsi's soft hyphen; pdfminer reads it as a
space and pdfium as a hyphen, so `người` came out `ng ời` or `ng-ời`, `dưới 2%` lost its bound,
and the table seed gave 50 of its 59 gold rows, the resolution 42 of 44, wrong rows `ok`."""
from __future__ import annotations

import pytest

from conftest import PROSE_SEED, RAW, TABLE_SEED
from goldcheck import gold_mismatches, read_gold
from chitieu.parsers.formats import read_document
from chitieu.parsers.formats.legacy import legacy_font
from chitieu.pipeline.extract import extract_document
from legacyforms import word_pdf

FORMS = {  # what a writer does with a legacy font, and the stem it is tried on
    "winansi": ({}, TABLE_SEED),
    "winansi prose": ({}, PROSE_SEED),
    "symbolic font, no encoding": ({"win_ansi": False}, PROSE_SEED),
    "ToUnicode as the font's cmap": ({"to_unicode": True}, TABLE_SEED),
    "lines drawn in random order": ({"shuffled": True}, TABLE_SEED),
    "VNI": ({"encoding": "vni"}, PROSE_SEED),
    "VISCII": ({"encoding": "viscii"}, TABLE_SEED),
}


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    """Each form built once and read once by the pipeline: its path, the document's record,
    and the differences from the gold its targets add to those of the seed's own .docx."""
    baseline = {stem: set(gold_mismatches(stem, extract_document(RAW / f"{stem}.docx", RAW).targets))
                for stem in (TABLE_SEED, PROSE_SEED)}
    out = {}
    for name, (options, stem) in FORMS.items():
        folder = tmp_path_factory.mktemp(name.split()[0])
        path = word_pdf(RAW / f"{stem}.pdf", folder / f"{stem}.pdf", **options)
        result = extract_document(path, folder)
        added = [m for m in gold_mismatches(stem, result.targets) if m not in baseline[stem]]
        out[name] = path, stem, result, added
    return out


@pytest.mark.parametrize("form", FORMS)
def test_a_pdf_in_a_legacy_font_gives_its_gold_rows(forms, form):
    _, stem, result, added = forms[form]
    assert result.document["text_layer"] == "legacy_font_converted"
    assert not added and len(result.targets) == len(read_gold(stem))


def test_the_soft_hyphen_code_of_tcvn3_is_read_as_u_horn(forms):
    doc = read_document(forms["winansi"][0])
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert {"Triệu đồng/người", "Giường", "Sở Tài nguyên và Môi trường"} <= cells


def test_dưới_keeps_its_bound(forms):
    rows = {r["name"]: r for r in forms["winansi prose"][2].targets}
    row = rows["Tỷ lệ thất nghiệp khu vực thành thị"]
    assert (row["value_high"], row["high_inclusive"], row["status"]) == (4.0, False, "ok")


@pytest.mark.parametrize("name,found", [
    (".VnTime", ("tcvn3", False)), ("ABCDEF+.VnTimeH,Bold", ("tcvn3", True)), ("VnArial-Bold", ("tcvn3", False)),
    ("VNI-Times", ("vni", False)), ("VK Times", ("viscii", False)), ("TimesNewRomanPSMT", None), ("Verdana", None),
])
def test_legacy_fonts_are_known_by_name(name, found):
    assert legacy_font(name) == found
