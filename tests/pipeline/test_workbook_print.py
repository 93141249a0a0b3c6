"""targets.xlsx printed: every sheet set up for A4 landscape, one page wide, both header rows
repeated on each page (openpyxl reads the set-up); then LibreOffice prints the seeds' workbook
to PDF and pdfplumber reads it back: the targets sheet's pages are landscape, each shows every
Vietnamese heading and SPEC name of the sheet, the last column's included, at a size one can
still read."""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess

import openpyxl
import pdfplumber
import pytest

from chitieu.pipeline.api import extract_folder
from chitieu.pipeline.xlsx import sheet_words

A4_LANDSCAPE = (842, 595)  # points


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    """The table seed's Word file through the run: pages enough, few enough to read quickly."""
    from conftest import RAW, TABLE_SEED

    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("print")
    shutil.copy(RAW / f"{TABLE_SEED}.docx", raw)
    extract_folder(raw, out, jobs=1, use_cache=False)
    return out / "targets.xlsx"


def test_every_sheet_is_set_up_to_print(workbook):
    book = openpyxl.load_workbook(workbook)
    # targets, documents, actuals, left_out, indicators, scorecard
    assert len(book.worksheets) == 6
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and setup.paperSize == 9, sheet.title  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0  # absent is 1 (ECMA-376)
        assert sheet.print_title_rows == "$1:$2"  # the Vietnamese headings and SPEC's names
        assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref.startswith("A2:")
        assert sheet.print_options.gridLines
        assert "&P" in sheet.oddFooter.right.text and "&A" in sheet.oddFooter.left.text


@pytest.fixture(scope="module")
def pdf(workbook, tmp_path_factory):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the printed workbook is not checked")
    folder = tmp_path_factory.mktemp("pdf")
    profile = folder / "profile"  # its own profile: no clash with a LibreOffice already open
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(workbook)], check=True, capture_output=True, timeout=120,
                   env=os.environ | {"HOME": str(folder)})
    with pdfplumber.open(folder / "targets.pdf") as document:
        yield document


def sheet_pages(pdf, title):
    """The pages of one sheet: the footer names the sheet at its left (&A)."""
    pages = [p for p in pdf.pages if footer(p).startswith(f"{title} ")]
    assert pages, title
    return pages


def footer(page) -> str:
    return (page.crop((0, page.height * 0.9, page.width, page.height)).extract_text() or " ").splitlines()[-1]


def header_words(page) -> tuple[set[str], set[str]]:
    """The words of the page's two header rows (in its top third): above the first data row,
    which starts under SPEC's name of the first column."""
    top = page.crop((0, 0, page.width, page.height / 3))
    words = top.extract_words(x_tolerance=1)  # at 5 points, neighbouring cells are closer than 3
    spec_row = next((w for w in words if w["text"] == "source"), None)
    assert spec_row, f"page {page.page_number} has no header rows"
    band = [w for w in words if w["top"] < spec_row["bottom"] + 1]
    above = {w["text"] for w in band if w["top"] < spec_row["top"] - 1}
    return above, {w["text"] for w in band if w["top"] >= spec_row["top"] - 1}


def test_the_targets_sheet_prints_landscape_with_its_headings_on_every_page(workbook, pdf):
    title = sheet_words("targets").title
    sheet = openpyxl.load_workbook(workbook)[title]
    headings, names = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    pages = sheet_pages(pdf, title)
    assert len(pages) > 1  # the heading repeated, not only printed once
    for page in pages:
        assert (round(page.width), round(page.height)) == A4_LANDSCAPE
        vietnamese, spec = header_words(page)
        # every column's heading (however it wraps) and SPEC name: the full width on the page
        assert {w for h in headings for w in h.split()} <= vietnamese, page.page_number
        assert set(names) <= spec, page.page_number
    assert names[-1] == "indicator_id" and set(headings[-1].split()) <= header_words(pages[0])[0]
    # one page wide at a size still read without a lens: the body's text at 4.5 points or more
    sizes = [c["size"] for c in pages[0].chars if c["top"] > pages[0].height / 3]
    assert statistics.median(sizes) >= 4.5


def test_rows_are_as_tall_as_their_wrapped_text(pdf):
    """Long names wrap onto several lines, and no line is drawn over another: no program fits
    a row's height to its text on opening the file, so the heights are the workbook's."""
    page = sheet_pages(pdf, sheet_words("targets").title)[0]
    words = page.extract_words(x_tolerance=1)  # at 5 points, neighbouring cells are closer than 3
    _, spec = header_words(page)
    column = {w["text"]: w for w in words if w["text"] in spec}

    def in_column(name):
        x0, x1 = column[name]["x0"] - 1, column[name]["x1"] + 30
        return [w for w in words if w["top"] > column[name]["bottom"] and x0 <= w["x0"] < x1]
    rows = {round(w["top"]) for w in in_column("seq")}
    name_lines = {round(w["top"]) for w in in_column("name")}
    assert overlapping(words) == []
    assert len(name_lines) > 1.5 * len(rows) > 10


def overlapping(words) -> list[tuple[str, str]]:
    """Pairs of words drawn over one another (text overflowing a row too low for it)."""
    found, active = [], []
    for word in sorted(words, key=lambda w: w["top"]):
        active = [a for a in active if a["bottom"] > word["top"] + 0.5]
        found += [(a["text"], word["text"]) for a in active
                  if min(a["x1"], word["x1"]) - max(a["x0"], word["x0"]) > 0.5]
        active.append(word)
    return found
