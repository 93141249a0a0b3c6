"""The two routes of the PDF reader give one structure (issue 23): pages read from pdfium
(pdfium_page, pdfium_tables, textmap) and the same pages read through pdfplumber, on the
corpus, the seeds and the blind sets; and textmap groups any characters into the words and
lines pdfplumber's own code makes of them."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chitieu.parsers.formats import pdf as pdf_reader
from chitieu.parsers.formats.pdf import read_pdf
from chitieu.parsers.formats.pdfium_page import PageChars
from chitieu.parsers.formats.pdfium_text import WORD_GAP, is_bold_font, text_lines
from chitieu.parsers.formats.textmap import cell_texts, page_lines
from test_pdf_reader import FONT, font, make_pdf, write  # noqa: F401  (font is a fixture)

ROOT = Path(__file__).resolve().parents[2]
PDFS = sorted({*ROOT.glob("raw/*.pdf"), *ROOT.glob("tests/corpus/raw/*.pdf"), *ROOT.glob("tests/blind*/raw/*.pdf")})


def structure(document):
    """Everything the layouts read of a document, the lines' x-positions aside (compared apart)."""
    return (document.pages, document.tables, document.notes, document.text_layer,
            [(line.page, line.number, line.marker, line.text, line.bold) for line in document.lines])


@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_pdfium_and_pdfplumber_give_one_structure(path, monkeypatch):
    by_pdfium = read_pdf(path)
    with monkeypatch.context() as m:
        m.setattr(pdf_reader, "_open_pdfium", lambda path, pages: None)
        by_pdfplumber = read_pdf(path)
    assert structure(by_pdfium) == structure(by_pdfplumber)
    # a line's x-position is its first letter's left edge: pdfminer's is the glyph's origin, pdfium's
    # the glyph's own box where the font gives no ascent and descent (up to 0.8 pt in the sets here);
    # no layout reads it, the model keeps it for the record
    assert all(abs(a.indent - b.indent) <= 1.0 for a, b in zip(by_pdfium.lines, by_pdfplumber.lines))


def test_the_routes_are_compared_on_tables_and_prose():
    tables = sum(bool(read_pdf(p).tables) for p in PDFS)
    assert len(PDFS) >= 20 and tables >= 8


# ------------------------------------------------------------------- textmap against pdfplumber

LETTERS = "aăâbcđeêhiklmnoôơpqrstuưvxyàảãáạ ,.%-\ufb01\x00"  # a ligature, and a NUL (no text has one)


@st.composite
def characters(draw):
    """Characters on a few baselines, some touching, some a gap apart, some overlapping, in
    any drawing order: what pdfplumber's word and line grouping decides on."""
    n = draw(st.integers(1, 60))
    baselines = draw(st.lists(st.floats(50, 120, allow_nan=False), min_size=1, max_size=4))
    chars = []
    for _ in range(n):
        top = draw(st.sampled_from(baselines)) + draw(st.sampled_from([0, 0, 0, 0.5, 2.9, 3.1, -1.2]))
        x0 = draw(st.floats(50, 200, allow_nan=False))
        width = draw(st.sampled_from([0, 2.5, 4, 6.1]))
        size = draw(st.sampled_from([10.0, 12.0, 13.0]))
        chars.append({"text": draw(st.sampled_from(LETTERS)), "x0": x0, "x1": x0 + width, "top": top,
                      "bottom": top + size, "doctop": top, "upright": True,
                      "fontname": draw(st.sampled_from(["Serif", "Serif-Bold"]))})
    return chars


def as_arrays(chars: list[dict]) -> PageChars:
    column = lambda key: np.array([c[key] for c in chars], dtype=np.float64)
    return PageChars([c["text"] for c in chars], column("x0"), column("x1"), column("top"), column("bottom"),
                     np.array([is_bold_font(c["fontname"]) for c in chars], dtype=bool))


@settings(max_examples=200, deadline=None)
@given(characters())
def test_page_lines_are_pdfplumbers_lines(chars):
    from pdfplumber.utils import chars_to_textmap

    ours = page_lines(as_arrays(chars), np.arange(len(chars)), WORD_GAP)
    assert ours == text_lines(chars_to_textmap(chars, x_tolerance=WORD_GAP))


@pytest.mark.parametrize("x0,single,x", [
    (128.5499756390505, False, 128.5),  # hypothesis found it: four places first made it 128.6
    (float(np.float32(85.15)), True, 85.2),  # pdfium's 85.1499996 is pdfminer's 85.15, which rounds up
    (float(np.float32(128.54999)), True, 128.5),  # five places written stay five places
])
def test_a_lines_x_position_is_pdfplumbers_tenth(x0, single, x):
    chars = PageChars(["a"], np.array([x0]), np.array([x0 + 5]), np.array([50.0]), np.array([60.0]),
                      np.array([False]), single=single)
    assert page_lines(chars, np.arange(1), WORD_GAP) == [("a", x, False)]


@settings(max_examples=200, deadline=None)
@given(st.lists(characters(), min_size=1, max_size=4))
def test_cell_texts_are_pdfplumbers_cell_texts(cells):
    from pdfplumber.utils import extract_text

    flat = [c for cell in cells for c in cell]
    starts = np.cumsum([0] + [len(cell) for cell in cells])
    members = [np.arange(a, b) for a, b in zip(starts, starts[1:])]
    assert cell_texts(as_arrays(flat), members) == [extract_text(cell) for cell in cells]


# ---------------------------------------------- files found by a blind comparison of the routes

def both_routes(path: Path, monkeypatch):
    by_pdfium = read_pdf(path)
    with monkeypatch.context() as m:
        m.setattr(pdf_reader, "_open_pdfium", lambda path, pages: None)
        return by_pdfium, read_pdf(path)


def ruled_table(c, x0=72, top=520):
    ys, xs = [top, top - 20, top - 40], [x0, x0 + 40, x0 + 300, x0 + 380]
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    c.setFont(FONT, 10)
    for k, text in enumerate(["1", "Tỷ lệ che phủ rừng", "57,2"]):
        c.drawString(xs[k] + 3, ys[0] - 14, text)
    for k, text in enumerate(["2", "Thu nhập bình quân đầu người", "98,4"]):
        c.drawString(xs[k] + 3, ys[1] - 14, text)


def test_a_ruled_table_on_a_page_turned_by_rotate_does_not_fail_the_document(tmp_path, monkeypatch, font):
    """A landscape annex written on a portrait page turned by /Rotate 90: pdfplumber finds its
    table in the turned frame, past the page's own box, and refused to set it aside."""
    def turned(c):
        c.setPageRotation(90)
        ruled_table(c)

    path = make_pdf(tmp_path / "turned.pdf", turned)
    by_pdfium, by_pdfplumber = both_routes(path, monkeypatch)
    assert structure(by_pdfium) == structure(by_pdfplumber)
    # read in the turned page's frame, as a viewer shows it: the drawn rows stand as columns
    cells = {c.text for table in by_pdfium.tables for row in table.rows for c in row.cells}
    assert cells == {"1", "2", "Tỷ lệ che phủ rừng", "Thu nhập bình quân đầu người", "57,2", "98,4"}


def test_decomposed_vietnamese_keeps_each_mark_on_its_letter(tmp_path, monkeypatch, font):
    """Text typed decomposed (a letter, then its combining marks, each a glyph of no width):
    pdfium's box of a mark is drawn back over the letter before; it stands at the pen."""
    import unicodedata

    said = ["Tỷ lệ đô thị hóa đạt 45%; thu ngân sách trên địa bàn 12.400 tỷ đồng."]
    path = make_pdf(tmp_path / "nfd.pdf", lambda c: write(c, [unicodedata.normalize("NFD", t) for t in said]))
    by_pdfium, by_pdfplumber = both_routes(path, monkeypatch)
    assert structure(by_pdfium) == structure(by_pdfplumber)
    assert [unicodedata.normalize("NFC", line.full_text) for line in by_pdfium.lines] == said


def test_text_drawn_twice_in_one_place_is_read_once_from_pdfium(tmp_path, font):
    """A heading made bold by drawing it twice, 0.3 pt apart: pdfium keeps one copy (pdfplumber
    has both, `NNHHÓÓMM`); the route differs there, for the better."""
    def doubled(c):
        write(c, ["I. NHÓM CHỈ TIÊU KINH TẾ"])
        write(c, ["I. NHÓM CHỈ TIÊU KINH TẾ"], x=72.3)

    document = read_pdf(make_pdf(tmp_path / "doubled.pdf", doubled))
    assert [line.full_text for line in document.lines] == ["I. NHÓM CHỈ TIÊU KINH TẾ"]


# ------------------------------------------------------------ table cells against pdfplumber

@st.composite
def ruled_grids(draw):
    """Ruling lines on a grid, any of their pieces left out (merged cells, open borders), some
    drawn twice: what pdfplumber's finder makes cells of."""
    xs = sorted(draw(st.sets(st.integers(0, 40), min_size=2, max_size=6)))
    ys = sorted(draw(st.sets(st.integers(0, 40), min_size=2, max_size=6)))
    edges = []
    for y in ys:
        for a, b in zip(xs, xs[1:]):
            for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2]))):
                edges.append({"x0": a * 10.0, "x1": b * 10.0, "top": y * 10.0, "bottom": y * 10.0,
                              "width": (b - a) * 10.0, "height": 0.0, "orientation": "h", "object_type": "line"})
    for x in xs:
        for a, b in zip(ys, ys[1:]):
            for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2]))):
                edges.append({"x0": x * 10.0, "x1": x * 10.0, "top": a * 10.0, "bottom": b * 10.0,
                              "width": 0.0, "height": (b - a) * 10.0, "orientation": "v", "object_type": "line"})
    return edges


@settings(max_examples=300, deadline=None)
@given(ruled_grids(), st.booleans())
def test_points_cells_and_tables_are_pdfplumbers(edges, joined):
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    from chitieu.parsers.formats.pdfium_tables import _cells, _cells_to_tables, _crossings, _joins

    if joined:  # as the finder hands them over: snapped and joined
        edges = merge_edges(edges, 3, 3, 3, 3)
    intersections = edges_to_intersections(edges, 3, 3)
    vertical, horizontal, pairs = _crossings(edges, 3, 3)
    crossed: dict = {}  # pdfplumber's intersections, made from the crossing pairs
    for i, j in pairs:
        point = crossed.setdefault((vertical[i]["x0"], horizontal[j]["top"]), {"v": [], "h": []})
        point["v"].append(vertical[i])
        point["h"].append(horizontal[j])
    assert list(crossed.items()) == list(intersections.items())
    cells = intersections_to_cells(intersections)
    assert _cells(*_joins(*_crossings(edges, 3, 3))) == cells
    assert _cells_to_tables(cells) == cells_to_tables(cells)
    assert _cells_to_tables(cells[::-1]) == cells_to_tables(cells[::-1])  # any order of distinct cells


@settings(max_examples=200, deadline=None)
@given(characters(), st.lists(st.tuples(st.floats(40, 200), st.floats(40, 130), st.floats(1, 80), st.floats(1, 30)),
                              min_size=1, max_size=6))
def test_a_cell_takes_the_characters_whose_middle_lies_in_its_row_and_in_it(chars, boxes):
    """pdfium_tables.extract against pdfplumber's rule, cells overlapping or not: one row per
    cell box, and a row of all of them."""
    from types import SimpleNamespace

    from chitieu.parsers.formats.pdfium_page import PdfiumPage
    from chitieu.parsers.formats.pdfium_tables import extract

    cells = [(x, top, x + w, top + h) for x, top, w, h in boxes]
    bbox = lambda group: (min(c[0] for c in group), min(c[1] for c in group), max(c[2] for c in group),
                          max(c[3] for c in group))
    rows = [SimpleNamespace(bbox=bbox([c]), cells=[c, None]) for c in cells]
    rows.append(SimpleNamespace(bbox=bbox(cells), cells=cells))
    page = PdfiumPage(200.0, as_arrays(chars), [], False)
    expected = []
    for row in rows:
        inside = lambda c, box: (box[0] <= (c["x0"] + c["x1"]) / 2 < box[2]
                                 and box[1] <= (c["top"] + c["bottom"]) / 2 < box[3])
        in_row = [c for c in chars if inside(c, row.bbox)]
        expected.append([None if cell is None else pdfplumber.utils.extract_text(
            [c for c in in_row if inside(c, cell)], x_tolerance=3, y_tolerance=3) for cell in row.cells])
    assert extract(page, rows) == expected
