"""The ruling lines of a table on a page image, and the grid they give (for OCR of scans).

The lines are dark runs far longer than any letter; their positions are the grid's rows and
columns, and a stretch of line missing inside a row band or above a cell says the cells
there are merged (read by ocr.py, which puts each word in the cell its centre is in).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

DARK = 150  # grey level under which a pixel is ink
MIN_RULE = 0.04  # a ruling line is a dark run at least this share of the page's width or height
# Lengths in px are written for a page at 300 dpi (BASE_DPI); a page read at its scan's own
# resolution (200 dpi, 400 dpi) has them scaled by px().
BASE_DPI = 300
JOIN = 6  # px: line runs this close are one line; a line this close to a position is at it
_ROW_GAP = 2  # px: a ruling line's runs on rows this far apart are still one line (its thickness)


def px(length: float, dpi: float) -> int:
    """A length of `length` px at 300 dpi on a page at `dpi`, rounded up (these are tolerances:
    a line's thickness, a margin), at least 1.

    >>> px(6, 300), px(6, 200), px(2, 200), px(3, 400), px(1, 100)
    (6, 4, 2, 4, 1)
    """
    return max(1, math.ceil(length * dpi / BASE_DPI - 1e-9))


@dataclass
class Rule:
    at: float  # y of a horizontal line, x of a vertical one
    start: int
    end: int


def runs(mask, min_len: int, gap: int = 0) -> list[tuple[int, int, int]]:
    """(line index, start, end) of every run of True at least min_len long, row by row; runs
    on a row `gap` px apart or less are one (a border drawn cell by cell).

    Whole-array work (numpy): a page has hundreds of thousands of short runs (every letter's
    strokes), and a loop over them in Python cost a fifth of a page's OCR time.

    >>> import numpy as np
    >>> runs(np.array([[1, 1, 0, 1, 1, 1], [0, 1, 1, 1, 1, 0]], dtype=bool), 3)
    [(0, 3, 6), (1, 1, 5)]
    >>> runs(np.array([[1, 1, 0, 1, 1, 1]], dtype=bool), 3, gap=1)
    [(0, 0, 6)]
    """
    import numpy as np

    # Only rows with ink enough for such a run are walked: a run min_len long, its gaps `gap`
    # px at most, holds a dark px in every gap + 1 (two thirds of a text page's rows have less).
    lines = np.flatnonzero(np.count_nonzero(mask, axis=1) >= -(-min_len // (gap + 1)))
    width = mask.shape[1]
    ink = np.zeros((lines.size, width + 2), dtype=bool)  # a blank column each side: every run starts and ends
    ink[:, 1:-1] = mask[lines]
    # Row-major, each row's changes come in pairs: where a run starts, then where it ends.
    changes = np.flatnonzero(ink[:, 1:] != ink[:, :-1])
    rows, starts = np.divmod(changes[0::2], width + 1)
    ends = changes[1::2] - rows * (width + 1)
    if rows.size == 0:
        return []
    rows = lines[rows]
    # a run goes on the one before it when both are on one row, `gap` px or less apart
    joins = (rows[1:] == rows[:-1]) & (starts[1:] - ends[:-1] <= gap)
    first = np.concatenate(([True], ~joins))  # where each joined run begins
    last = np.concatenate((first[1:], [True]))  # where each joined run ends
    joined_rows, joined_starts, joined_ends = rows[first], starts[first], ends[last]
    long = joined_ends - joined_starts >= min_len
    return [(int(r), int(s), int(e)) for r, s, e in zip(joined_rows[long], joined_starts[long], joined_ends[long])]


def rules(runs: list[tuple[int, int, int]], dpi: float = BASE_DPI) -> list[Rule]:
    """Runs on neighbouring rows that overlap are one ruling line (its thickness)."""
    gap = px(_ROW_GAP, dpi)
    rules: list[Rule] = []
    open_: list[tuple[int, Rule, int]] = []  # (last row, rule, rows)
    for r, s, e in sorted(runs):
        for k, (last, rule, n) in enumerate(open_):
            if r - last <= gap and s <= rule.end and e >= rule.start:
                rule.at = (rule.at * n + r) / (n + 1)
                rule.start, rule.end = min(rule.start, s), max(rule.end, e)
                open_[k] = (r, rule, n + 1)
                break
        else:
            rule = Rule(float(r), s, e)
            rules.append(rule)
            open_.append((r, rule, 1))
        open_ = [o for o in open_ if r - o[0] <= gap]
    return rules


def positions(rules: list[Rule], dpi: float = BASE_DPI) -> list[float]:
    """The distinct positions of a set of lines (lines a few px apart are one)."""
    join = px(JOIN, dpi)
    out: list[float] = []
    for at in sorted(r.at for r in rules):
        if out and at - out[-1] <= join:
            continue
        out.append(at)
    return out


def ruled(dark, horizontal: bool, at: float, a: float, b: float, dpi: float = BASE_DPI) -> bool:
    """Whether ink runs along `at` across the middle three fifths of the stretch a…b: the
    border between two cells is there (it is not where cells are merged)."""
    join = px(JOIN, dpi)
    margin = (b - a) / 5
    lo, hi = int(a + margin), int(b - margin)
    at = int(round(at))
    if hi <= lo:
        return True
    band = dark[max(0, at - join):at + join + 1, lo:hi] if horizontal else dark[lo:hi, max(0, at - join):at + join + 1].T
    return bool(band.any(axis=0).mean() >= 0.9)


@dataclass
class Grid:
    xs: list[float]
    ys: list[float]
    horizontal: list[Rule]
    vertical: list[Rule]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


def grids(horizontal: list[Rule], vertical: list[Rule], dpi: float = BASE_DPI) -> list[Grid]:
    """The tables: groups of crossing lines with at least two of each direction."""
    join = px(JOIN, dpi)
    nodes = [("h", r) for r in horizontal] + [("v", r) for r in vertical]
    parent = list(range(len(nodes)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (ki, a) in enumerate(nodes):
        if ki != "h":
            continue
        for j, (kj, b) in enumerate(nodes):
            if kj == "v" and b.start - join <= a.at <= b.end + join and a.start - join <= b.at <= a.end + join:
                parent[find(i)] = find(j)
    groups: dict[int, list] = {}
    for i, node in enumerate(nodes):
        groups.setdefault(find(i), []).append(node)
    grids = []
    for group in groups.values():
        hs = [r for k, r in group if k == "h"]
        vs = [r for k, r in group if k == "v"]
        if len(hs) >= 2 and len(vs) >= 2:
            grids.append(Grid(positions(vs, dpi), positions(hs, dpi), hs, vs))
    return sorted(grids, key=lambda g: g.ys[0])
