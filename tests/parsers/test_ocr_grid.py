"""The ruling lines of a scanned table (parsers/formats/ocr_grid.py): the whole-array run
finder gives exactly the runs a plain walk along each row gives, on any mask."""
from __future__ import annotations

import numpy as np
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
