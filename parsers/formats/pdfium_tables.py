"""The ruled tables of a page pdfium read (pdfium_page.py), found by pdfplumber's own table
finder and filled as pdfplumber's Table.extract fills them, on arrays.

pdfplumber's finder (snap and join the ruling edges, intersect them, make cells, group cells
into tables) works on the edges alone: a few dozen per page, cheap in Python. It is handed a
page that holds only the edges pdfium gave. Filling the cells is the costly part in pdfplumber
(every character tested against every row and cell, in Python); here each cell takes the
characters whose middle lies in it in one array test, and textmap.py puts them into text.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from .pdfium_page import PdfiumPage
from .textmap import cell_texts


@dataclass
class _EdgesOnly:
    """What pdfplumber's TableFinder reads of a page when both strategies are 'lines'."""

    edges: list[dict]


def find_tables(page: PdfiumPage) -> list:
    """pdfplumber's tables of the page (its Table objects: bbox, rows, columns), top first:
    its TableFinder's steps, with its cells found as `_cells` finds them."""
    from pdfplumber.table import Table, TableFinder, TableSettings

    if not page.edges:
        return []
    settings = TableSettings.resolve(None)
    finder = TableFinder.__new__(TableFinder)  # its edges, without the rest of its __init__
    finder.page, finder.settings = _EdgesOnly(page.edges), settings
    crossings = _crossings(finder.get_edges(), settings.intersection_x_tolerance, settings.intersection_y_tolerance)
    return [Table(finder.page, group) for group in _cells_to_tables(_cells(*_joins(*crossings)))]


def _crossings(edges: list[dict], x_tolerance: float, y_tolerance: float) -> tuple[list, list, list]:
    """Where pdfplumber's edges_to_intersections finds vertical and horizontal edges crossing
    (within the tolerances), every pair at once: the vertical edges and the horizontal ones in
    its order, and the crossing pairs (i, j) in its order."""
    vertical = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    horizontal = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    if not vertical or not horizontal:
        return vertical, horizontal, []
    v = np.array([(e["x0"], e["top"], e["bottom"]) for e in vertical], dtype=np.float64)
    h = np.array([(e["top"], e["x0"], e["x1"]) for e in horizontal], dtype=np.float64)
    v_x, v_top, v_bottom = (v[:, k, None] for k in range(3))
    crossing = ((v_top <= h[:, 0] + y_tolerance) & (v_bottom >= h[:, 0] - y_tolerance)
                & (v_x >= h[:, 1] - x_tolerance) & (v_x <= h[:, 2] + x_tolerance))
    return vertical, horizontal, list(zip(*(axis.tolist() for axis in np.nonzero(crossing))))


def _joins(vertical: list[dict], horizontal: list[dict], pairs: list) -> tuple[dict, dict]:
    """For each crossing point, the vertical and the horizontal edges through it, each edge as
    the number of its box: two points are joined when an edge of the same box passes through
    both (pdfplumber compares the edges' boxes)."""
    from pdfplumber.utils import obj_to_bbox

    boxes: dict[tuple, int] = {}
    v_number = [boxes.setdefault(obj_to_bbox(e), len(boxes)) for e in vertical]
    h_number = [boxes.setdefault(obj_to_bbox(e), len(boxes)) for e in horizontal]
    v_x, h_top = [e["x0"] for e in vertical], [e["top"] for e in horizontal]
    down: dict[tuple, set] = {}
    across: dict[tuple, set] = {}
    for i, j in pairs:
        point = (v_x[i], h_top[j])
        down.setdefault(point, set()).add(v_number[i])
        across.setdefault(point, set()).add(h_number[j])
    return down, across


def _cells_to_tables(cells: list[tuple]) -> list[list[tuple]]:
    """pdfplumber's cells_to_tables: cells that share a corner, one table; pass after pass over
    the cells left, as it goes, without removing each cell from a list (which made it
    quadratic). The cells are distinct, as the finder gives them (pdfplumber removes a
    cell's first copy, which would tell two copies apart)."""
    remaining = list(cells)
    tables: list[list[tuple]] = []
    corners: set = set()
    current: list[tuple] = []
    while remaining:
        before = len(current)
        left = []
        for cell in remaining:
            x0, top, x1, bottom = cell
            own = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(c in corners for c in own):
                corners.update(own)
                current.append(cell)
            else:
                left.append(cell)
        remaining = left
        if len(current) == before:
            tables.append(current)
            corners, current = set(), []
    if current:
        tables.append(current)
    return [t for t in sorted(tables, key=lambda t: min((c[1], c[0]) for c in t)) if len(t) > 1]


def _cells(vertical: dict, horizontal: dict) -> list[tuple]:
    """pdfplumber's intersections_to_cells: from each point, the smallest cell whose corners
    are points joined by ruling edges (`vertical`, `horizontal`: each point's edges, by box,
    from _joins). pdfplumber looks for the points below and right of each point among all
    the points after it; here they are taken from its column and its row, which gives the
    same cells without going through every point for every point."""
    columns: dict[float, list] = {}
    rows: dict[float, list] = {}
    for point in sorted(vertical):  # sorted by x, then y: each column top down, each row left to right
        columns.setdefault(point[0], []).append(point)
        rows.setdefault(point[1], []).append(point)
    place = {p: (row, k) for row in rows.values() for k, p in enumerate(row)}
    cells = []
    for column in columns.values():
        downs = [vertical[p] for p in column]
        for k, (x, y) in enumerate(column):
            down, across = downs[k], horizontal[(x, y)]
            if not down or not across:
                continue  # joined to nothing below or nothing to the right: no cell starts here
            row, j = place[(x, y)]
            cell = None
            for kb in range(k + 1, len(column)):
                if down.isdisjoint(downs[kb]):
                    continue
                bottom = column[kb]
                for right in itertools.islice(row, j + 1, None):
                    if across.isdisjoint(horizontal[right]):
                        continue
                    corner = (right[0], bottom[1])
                    if (corner in vertical and not vertical[corner].isdisjoint(vertical[right])
                            and not horizontal[corner].isdisjoint(horizontal[bottom])):
                        cell = (x, y, right[0], bottom[1])
                        break
                if cell is not None:
                    break
            if cell is not None:
                cells.append(cell)
    return cells


def extract(page: PdfiumPage, rows: list) -> list[list[str | None]]:
    """The text of a table's rows (pdfplumber's CellGroups), row by row: None where a merged
    cell covers the grid position. pdfplumber gives a cell the characters whose middle lies in
    its row and in it; a row's box holds its cells, so that is the characters whose middle lies
    in the cell."""
    chars = page.chars
    h_mid = (chars.x0 + chars.x1) / 2
    v_mid = (chars.top + chars.bottom) / 2
    cells = [cell for row in rows for cell in row.cells if cell is not None]
    members = _cell_members(h_mid, v_mid, cells)
    if members is None:  # cells that overlap (none pdfplumber makes from a ruled grid): row by row
        members = []
        for row in rows:
            x0, top, x1, bottom = row.bbox
            in_row = np.flatnonzero((h_mid >= x0) & (h_mid < x1) & (v_mid >= top) & (v_mid < bottom))
            h, v = h_mid[in_row], v_mid[in_row]
            members += [in_row[(h >= cell[0]) & (h < cell[2]) & (v >= cell[1]) & (v < cell[3])]
                        for cell in row.cells if cell is not None]
    texts = iter(cell_texts(chars, members))
    return [[None if cell is None else next(texts) for cell in row.cells] for row in rows]


def _cell_members(h_mid: np.ndarray, v_mid: np.ndarray, cells: list[tuple]) -> list[np.ndarray] | None:
    """The characters of each cell, in drawing order, all cells at once; None when cells
    overlap. The cells' sides cut the table into slots; each slot belongs to the one cell
    that covers it (or none), and each character to its slot's cell."""
    if not cells:
        return []
    lefts, tops, rights, bottoms = np.array(cells, dtype=np.float64).T
    xs, ys = np.unique(np.concatenate([lefts, rights])), np.unique(np.concatenate([tops, bottoms]))
    slots = np.full((len(ys) - 1, len(xs) - 1), -1, dtype=np.int64)
    spans = [np.searchsorted(edges, sides) for edges, sides in ((ys, tops), (ys, bottoms), (xs, lefts), (xs, rights))]
    for k, (top, bottom, left, right) in enumerate(zip(*(span.tolist() for span in spans))):
        slots[top:bottom, left:right] = k
    covered = int(((spans[1] - spans[0]) * (spans[3] - spans[2])).sum())
    if covered != int((slots >= 0).sum()):  # a slot painted twice: cells overlap
        return None
    column = np.searchsorted(xs, h_mid, side="right") - 1
    row = np.searchsorted(ys, v_mid, side="right") - 1
    inside = (column >= 0) & (column < len(xs) - 1) & (row >= 0) & (row < len(ys) - 1)
    which = np.full(len(h_mid), -1, dtype=np.int64)
    which[inside] = slots[row[inside], column[inside]]
    order = np.argsort(which, kind="stable")
    bounds = np.searchsorted(which[order], np.arange(len(cells) + 1)).tolist()
    return [order[bounds[k]:bounds[k + 1]] for k in range(len(cells))]


def outside(page: PdfiumPage, index: np.ndarray, bbox) -> np.ndarray:
    """The characters of `index` wholly outside the box (pdfplumber's outside_bbox: no
    overlap, touching at a corner or along an edge of no length aside)."""
    chars = page.chars
    left, top, right, bottom = bbox
    width = np.minimum(chars.x1[index], right) - np.maximum(chars.x0[index], left)
    height = np.minimum(chars.bottom[index], bottom) - np.maximum(chars.top[index], top)
    overlaps = (height >= 0) & (width >= 0) & (height + width > 0)
    return index[~overlaps]
