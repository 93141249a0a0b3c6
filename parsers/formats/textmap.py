"""Characters into words and lines as pdfplumber puts them (utils/text.py), on arrays.

pdfplumber walks a Python dict per character; a page of tables holds two thousand of them, and
grouping them cost more than pdfium's reading the page. The same steps are taken here on the
arrays of pdfium_page.PageChars, for upright text read left to right:

1. lines: the characters' tops, as a set of values, are clustered (a value within the
   tolerance of the last one joins its cluster); characters are ordered by cluster, then by
   x0, ties in drawing order;
2. words: a blank character ends a word; a character starts one when it stands left of the
   last one, more than the x tolerance to the right of its end, or more than the y tolerance
   above or below it;
3. the words are clustered again by their tops into the lines given back, joined by a space.

`page_lines` gives what pdfplumber's `chars_to_textmap(...).extract_text_lines()` gives
(lines in order of the words), `cell_text` what its `extract_text` gives a table cell (lines
sorted by their cluster, joined by a line break).
"""
from __future__ import annotations

import itertools

import numpy as np

from .pdfium_page import PageChars

Y_TOLERANCE = 3  # pdfplumber's default, for lines and for the words' vertical test
CELL_X_TOLERANCE = 3  # pdfplumber's default for the text of a table cell


def _ligatures() -> dict[str, str]:
    from pdfplumber.utils.text import LIGATURES

    return LIGATURES


def _cluster_ids(groups: np.ndarray, values: np.ndarray, tolerance: float) -> np.ndarray:
    """pdfplumber's cluster_list over the values of each group apart: each value's cluster
    number, numbered through the groups in turn (a value within the tolerance of the one
    before it, in sorted order, joins its cluster)."""
    order = np.lexsort((values, groups))
    g, v = groups[order], values[order]
    starts = np.ones(len(order), dtype=np.int64)
    starts[1:] = (g[1:] != g[:-1]) | (np.diff(v) > tolerance)
    ids = np.empty(len(order), dtype=np.int64)
    ids[order] = starts.cumsum()
    return ids


def _words(chars: PageChars, index: np.ndarray, groups: np.ndarray, x_tolerance: float) -> list[tuple]:
    """The words of the characters `index` (drawing order), each group (a table cell) apart:
    each word as (text, top, x0, its characters, its group)."""
    if not len(index):
        return []
    lines = _cluster_ids(groups, chars.top[index], Y_TOLERANCE)
    order = np.lexsort((np.arange(len(index)), chars.x0[index], lines))
    ordered = index[order]
    texts = chars.text
    blank = chars.blank[ordered]
    line, x0, x1, top = lines[order], chars.x0[ordered], chars.x1[ordered], chars.top[ordered]
    starts = np.ones(len(ordered), dtype=bool)
    starts[1:] = (blank[:-1] | (line[1:] != line[:-1]) | (x0[1:] < x0[:-1])
                  | (x0[1:] > x1[:-1] + x_tolerance) | (np.abs(top[1:] - top[:-1]) > Y_TOLERANCE))
    bounds = np.flatnonzero(starts | blank)
    lows_top = np.minimum.reduceat(top, bounds).tolist()
    lows_x0 = np.minimum.reduceat(x0, bounds).tolist()
    word_groups = groups[order][bounds].tolist()
    ligatures = _ligatures()
    ordered_list, blank_list = ordered.tolist(), blank.tolist()
    words = []
    ends = bounds.tolist()[1:] + [len(ordered)]
    for k, (a, b) in enumerate(zip(bounds.tolist(), ends)):
        if blank_list[a]:
            continue
        members = ordered_list[a:b]
        words.append(("".join([ligatures.get(texts[i], texts[i]) for i in members]),
                      lows_top[k], lows_x0[k], members, word_groups[k]))
    return words


def _word_lines(words: list, keep_order: bool) -> list[list]:
    """The words clustered by their tops into lines, each group apart: in the words' order
    (`keep_order`, as pdfplumber's text map) or sorted by cluster (as its extract_text)."""
    if not words:
        return []
    ids = _cluster_ids(np.array([w[4] for w in words]), np.array([w[1] for w in words]), Y_TOLERANCE).tolist()
    pairs = list(zip(words, ids))
    if not keep_order:
        pairs.sort(key=lambda p: p[1])
    return [[w for w, _ in group] for _, group in itertools.groupby(pairs, key=lambda p: p[1])]


def page_lines(chars: PageChars, index: np.ndarray, x_tolerance: float) -> list[tuple[str, float, bool]]:
    """(text, x-position, bold) of each line of the characters `index`, as pdfplumber's text
    map lays them out: bold when every letter's font name says so."""
    out = []
    for line in _word_lines(_words(chars, index, np.zeros(len(index), dtype=np.int64), x_tolerance), keep_order=True):
        text = " ".join(w[0] for w in line)
        if not text.strip():
            continue
        members = [i for w in line for i in w[3]]
        letters = ~chars.blank[members]
        bold = bool(letters.any()) and bool(chars.bold[members][letters].all())
        # pdfium keeps coordinates in single precision: 85.15 comes as 85.1499996, which pdfminer's
        # double precision rounds up; four places first give the tenth pdfplumber gives
        out.append((text.strip(" "), round(round(float(min(w[2] for w in line)), 4), 1), bold))
    return out


def cell_texts(chars: PageChars, cells: list[np.ndarray]) -> list[str]:
    """The text of each table cell's characters, as pdfplumber's Table.extract gives it."""
    if not cells:
        return []
    index = np.concatenate(cells) if cells else np.empty(0, dtype=np.intp)
    groups = np.repeat(np.arange(len(cells)), [len(c) for c in cells])
    texts: list[list[str]] = [[] for _ in cells]
    for line in _word_lines(_words(chars, index, groups, CELL_X_TOLERANCE), keep_order=False):
        texts[line[0][4]].append(" ".join(w[0] for w in line))
    return ["\n".join(lines) for lines in texts]
