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
from dataclasses import dataclass
from functools import cache

import numpy as np

from .pdfium_page import PageChars

Y_TOLERANCE = 3  # pdfplumber's default, for lines and for the words' vertical test
CELL_X_TOLERANCE = 3  # pdfplumber's default for the text of a table cell


@cache
def _ligatures() -> dict[str, str]:
    from pdfplumber.utils.text import LIGATURES

    return LIGATURES


@cache
def _ligature_marks() -> np.ndarray:
    """For each code point of the Basic Multilingual Plane, whether it is a ligature."""
    marks = np.zeros(0x10000, dtype=bool)
    marks[[ord(k) for k in _ligatures()]] = True
    return marks


@cache
def _ligature_table() -> dict[int, str]:
    return {ord(k): v for k, v in _ligatures().items()}


def _cluster_ids(groups: np.ndarray, values: np.ndarray, tolerance: float) -> np.ndarray:
    """pdfplumber's cluster_list over the values of each group apart: each value's cluster
    number, numbered through the groups in turn (a value within the tolerance of the one
    before it, in sorted order, joins its cluster)."""
    order = np.lexsort((values, groups)) if groups.any() else np.argsort(values, kind="stable")
    g, v = groups[order], values[order]
    starts = np.ones(len(order), dtype=np.int64)
    starts[1:] = (g[1:] != g[:-1]) | (np.diff(v) > tolerance)
    ids = np.empty(len(order), dtype=np.int64)
    ids[order] = starts.cumsum()
    return ids


@dataclass(frozen=True)
class _Words:
    """The words of some characters, in the order pdfplumber makes them: each one's text, top,
    x0, group (a table cell) and how many of its letters are not bold."""

    text: list[str]
    top: np.ndarray
    x0: np.ndarray
    group: np.ndarray
    plain: np.ndarray


def _words(chars: PageChars, index: np.ndarray, groups: np.ndarray, x_tolerance: float) -> _Words:
    """The words of the characters `index` (drawing order), each group (a table cell) apart."""
    if not len(index):
        return _Words([], *(np.empty(0) for _ in range(4)))
    lines = _cluster_ids(groups, chars.top[index], Y_TOLERANCE)
    order = np.lexsort((chars.x0[index], lines))  # stable: ties keep drawing order
    ordered = index[order]
    blank = chars.blank[ordered]
    line, x0, x1, top = lines[order], chars.x0[ordered], chars.x1[ordered], chars.top[ordered]
    starts = np.ones(len(ordered), dtype=bool)
    starts[1:] = (blank[:-1] | (line[1:] != line[:-1]) | (x0[1:] < x0[:-1])
                  | (x0[1:] > x1[:-1] + x_tolerance) | (np.abs(top[1:] - top[:-1]) > Y_TOLERANCE))
    piece = starts | blank  # a blank is a piece of its own, never part of a word
    bounds = np.flatnonzero(piece)
    words = ~blank[bounds]
    codes = chars.codes[ordered]
    if codes.all():  # a NUL before each piece, and the pieces split apart at C speed
        spaced = np.zeros(len(codes) + len(bounds), dtype=np.uint32)
        spaced[np.arange(len(codes)) + np.cumsum(piece)] = codes
        pieces = spaced.tobytes().decode("utf-32-le").split("\0")[1:]
        texts = list(itertools.compress(pieces, words.tolist()))
    else:
        letters = codes.tobytes().decode("utf-32-le")
        ends = np.append(bounds[1:], len(ordered))
        texts = [letters[a:b] for a, b in zip(bounds[words].tolist(), ends[words].tolist())]
    if _ligature_marks()[np.minimum(codes, 0xFFFF)].any():
        texts = [t.translate(_ligature_table()) for t in texts]
    plain = np.add.reduceat((~chars.bold[ordered]).astype(np.int64), bounds)[words]
    return _Words(texts, np.minimum.reduceat(top, bounds)[words], np.minimum.reduceat(x0, bounds)[words],
                  groups[order][bounds][words], plain)


def _word_lines(words: _Words, keep_order: bool) -> tuple[np.ndarray, list[int], list[int]]:
    """The words clustered by their tops into lines, each group apart: in the words' order
    (`keep_order`, as pdfplumber's text map) or sorted by cluster (as its extract_text). The
    words' order, and each line's first and end position in it."""
    ids = _cluster_ids(words.group, words.top, Y_TOLERANCE)
    order = np.arange(len(ids)) if keep_order else np.argsort(ids, kind="stable")
    ids = ids[order]
    firsts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    return order, firsts.tolist(), firsts[1:].tolist() + [len(ids)]


def page_lines(chars: PageChars, index: np.ndarray, x_tolerance: float) -> list[tuple[str, float, bool]]:
    """(text, x-position, bold) of each line of the characters `index`, as pdfplumber's text
    map lays them out: bold when every letter's font name says so."""
    words = _words(chars, index, np.zeros(len(index), dtype=np.int64), x_tolerance)
    if not words.text:
        return []
    _, firsts, ends = _word_lines(words, keep_order=True)
    lefts = np.minimum.reduceat(words.x0, firsts).tolist()
    plain = np.add.reduceat(words.plain, firsts).tolist()
    out = []
    for a, b, left, not_bold in zip(firsts, ends, lefts, plain):
        text = " ".join(words.text[a:b])
        if not text.strip():
            continue
        # pdfium keeps coordinates in single precision: 85.15 comes as 85.1499996, which rounds
        # down where pdfminer's 85.15 rounds up; the shortest decimal of the single-precision
        # value is the number pdfminer has
        x = float(str(np.float32(left))) if chars.single else float(left)
        out.append((text.strip(" "), round(x, 1), not_bold == 0))
    return out


def cell_texts(chars: PageChars, cells: list[np.ndarray]) -> list[str]:
    """The text of each table cell's characters, as pdfplumber's Table.extract gives it."""
    if not cells:
        return []
    index = np.concatenate(cells)
    groups = np.repeat(np.arange(len(cells)), [len(c) for c in cells])
    texts: list[list[str]] = [[] for _ in cells]
    words = _words(chars, index, groups, CELL_X_TOLERANCE)
    if words.text:
        order, firsts, ends = _word_lines(words, keep_order=False)
        ordered = [words.text[i] for i in order.tolist()]
        owners = words.group[order].tolist()
        for a, b in zip(firsts, ends):
            texts[owners[a]].append(" ".join(ordered[a:b]))
    return ["\n".join(lines) for lines in texts]
