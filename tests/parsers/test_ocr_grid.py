"""The ruling lines of a scanned table (parsers/formats/ocr_grid.py): the whole-array run
finder gives exactly the runs a plain walk along each row gives, on any mask."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from chitieu.parsers.formats.ocr_grid import runs


def runs_walked(mask, min_len: int, gap: int = 0) -> list[tuple[int, int, int]]:
    """The definition, pixel by pixel: each row's runs of True, those `gap` px apart or less
    joined, kept when at least `min_len` long."""
    found = []
    for r, row in enumerate(mask.tolist()):
        spans, c = [], 0
        while c < len(row):
            if row[c]:
                s = c
                while c < len(row) and row[c]:
                    c += 1
                if spans and s - spans[-1][1] <= gap:
                    spans[-1][1] = c
                else:
                    spans.append([s, c])
            else:
                c += 1
        found += [(r, s, e) for s, e in spans if e - s >= min_len]
    return found


@settings(max_examples=300, deadline=None)
@given(mask=arrays(np.bool_, st.tuples(st.integers(1, 12), st.integers(1, 40))),
       min_len=st.integers(1, 12), gap=st.integers(0, 6))
def test_runs_are_the_runs_of_each_row(mask, min_len, gap):
    assert runs(mask, min_len, gap) == runs_walked(mask, min_len, gap)


def test_a_line_drawn_cell_by_cell_is_one_run_and_letters_are_none():
    page = np.zeros((5, 60), dtype=bool)
    page[2, 0:18] = page[2, 20:40] = page[2, 42:60] = True  # a border with two breaks of 2 px
    page[0, 5:8] = page[4, 30:33] = True  # strokes of letters
    assert runs(page, 30, gap=2) == [(2, 0, 60)]
    assert runs(page, 30, gap=1) == []
    assert runs(np.zeros((3, 3), dtype=bool), 1) == []


# --- the same grid at every resolution -------------------------------------------------------

def _structure(dpi: int):
    """The table seed's pages printed grey at `dpi`: each grid's rows and columns (at 300 dpi)
    and each row's cells (their grid columns, and whether each continues the cell above)."""
    import pypdfium2 as pdfium

    from conftest import RAW, TABLE_SEED
    from chitieu.parsers.formats import ocr
    from chitieu.parsers.formats.ocr_grid import DARK, JOIN, MIN_RULE, grids, px, rules

    document = pdfium.PdfDocument(str(RAW / f"{TABLE_SEED}.pdf"))
    pages = []
    for index in range(len(document)):
        dark = np.asarray(document[index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")) < DARK
        height, width = dark.shape
        found = grids(rules(runs(dark, int(width * MIN_RULE)), dpi),
                      rules(runs(dark.T, int(height * MIN_RULE), gap=px(JOIN, dpi)), dpi), dpi)
        pages.append([([x * 300 / dpi for x in g.xs], [y * 300 / dpi for y in g.ys],
                       [[(s.start, s.end, s.continued) for s in row] for row in ocr._slots(g, dark, [], [], dpi)[0]])
                      for g in found])
    document.close()
    return pages


@pytest.mark.parametrize("dpi", [200, 400])
def test_a_table_gives_the_same_grid_at_200_300_and_400_dpi(dpi):
    """The lengths in px (a line's thickness, how near two lines are one) scale with the page's
    resolution: the grid's lines are at the same places and its cells span and merge alike."""
    ours, at_300 = _structure(dpi), _structure(300)
    assert [len(page) for page in ours] == [len(page) for page in at_300] and any(ours)
    for page, reference in zip(ours, at_300):
        for (xs, ys, cells), (xs_300, ys_300, cells_300) in zip(page, reference):
            assert len(xs) == len(xs_300) and len(ys) == len(ys_300)
            assert max(abs(a - b) for a, b in zip(xs + ys, xs_300 + ys_300)) <= 3  # px at 300 dpi
            assert cells == cells_300


def test_doctests_of_the_grid_and_the_cells():
    import doctest

    from chitieu.parsers.formats import ocr_cells, ocr_grid

    assert doctest.testmod(ocr_grid).failed == 0 and doctest.testmod(ocr_cells).failed == 0


def test_a_double_rule_is_two_lines_at_every_resolution(tmp_path):
    """A header underlined twice, the rules 1.8 pt apart (7.5 px at 300 dpi, 5 px at 200): two
    lines at 300 dpi, and at 200 too, where 6 px (300 dpi's nearness) would make them one."""
    import pypdfium2 as pdfium
    from reportlab.pdfgen import canvas

    from chitieu.parsers.formats.ocr_grid import DARK, JOIN, MIN_RULE, grids, px, rules

    c = canvas.Canvas(str(tmp_path / "table.pdf"), pagesize=(400, 300))
    c.setLineWidth(0.6)
    for y in (250, 200, 198.2, 150, 100):
        c.line(50, y, 350, y)
    for x in (50, 150, 350):
        c.line(x, 100, x, 250)
    c.save()
    document = pdfium.PdfDocument(str(tmp_path / "table.pdf"))
    rows = {}
    for dpi in (200, 300):
        dark = np.asarray(document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")) < DARK
        height, width = dark.shape
        found = grids(rules(runs(dark, int(width * MIN_RULE)), dpi),
                      rules(runs(dark.T, int(height * MIN_RULE), gap=px(JOIN, dpi)), dpi), dpi)
        rows[dpi] = [len(g.ys) for g in found]
    document.close()
    assert rows[200] == rows[300] == [5]
