"""A text-layer PDF page as pdfium (in C) reads it: its characters and its ruling edges, in the
shape pdfplumber gives pdfminer's, at a small part of the cost.

pdfminer interprets a page in Python; pdfium has interpreted it in C before the first call. What
costs here is only the calls: a few per character (made in one pass, pdfium_calls.py), a few
per text object and per path. The characters come out as arrays (numpy), the shape the text
map (textmap.py) groups without a Python object per character.

A page is read here only when it is drawn as pdfplumber would measure it the same way:
- not rotated, with the media box at the origin and the crop box the media box (pdfplumber's
  coordinates start at its corner);
- every character upright (rotated lines are put together another way) and none in a legacy
  font (its codes are read through pdfminer, pdfcodes.py);
- no path inside a form XObject (pdfminer draws it into the page; pdfium keeps it apart);
- no glyph without a Unicode mapping (see _UNMAPPED).
Any other page is None: pdfplumber reads it (pdf.py).
"""
from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import regex

from .legacy import legacy_font
from .pdfium_calls import CharFacts, Calls, calls as _calls, page_paths
from .pdfium_text import is_bold_font

# pdfium's path segment kinds (fpdf_edit.h)
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2
_MADE_UP = np.zeros(0x10000, dtype=bool)  # what pdfium makes up between words and lines
_MADE_UP[[ord(c) for c in " \r\n\t\xa0"]] = True
_WHITE = re.compile(r"\s")
_MARK = regex.compile(r"\p{Mn}")  # a combining mark: no width of its own  # str.isspace, one character at a time
_HYPHEN_MARK = np.zeros(0x10000, dtype=bool)  # pdfium's marks for a hyphen ending a line
_HYPHEN_MARK[[0x02, 0xFFFE]] = True
# glyphs without a Unicode mapping come out of pdfium as control characters; pdfminer names
# them (cid:NN), which the text-layer gate reads as glyph codes (textlayer.py)
_UNMAPPED = re.compile("[\x00\x01\x03-\x08\x0b\x0c\x0e-\x1f]")


@cache
def _blank_table() -> np.ndarray:
    """For each code point of the Basic Multilingual Plane, whether it is blank (str's \\s);
    none beyond it is."""
    table = np.zeros(0x10000, dtype=bool)
    table[[i for i in range(0x10000) if _WHITE.match(chr(i))]] = True
    return table


@dataclass(frozen=True)
class PageChars:
    """A page's characters in drawing order, one letter each, as pdfplumber measures them: x
    from the page's left edge, top from its top edge, a character's top its baseline raised by
    the font size; `bold` when its font's name says so (pdfium_text.is_bold_font). `codes`
    and `blank` (a space of any kind: it ends a word; every other character shows something)
    are worked out once for the page."""

    text: list[str]
    x0: np.ndarray
    x1: np.ndarray
    top: np.ndarray
    bottom: np.ndarray
    bold: np.ndarray
    single: bool = False  # the coordinates were single-precision values (pdfium's)
    codes: np.ndarray = field(init=False)  # each character's code point
    blank: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        codes = np.frombuffer("".join(self.text).encode("utf-32-le"), dtype=np.uint32)
        object.__setattr__(self, "codes", codes)
        object.__setattr__(self, "blank", _blank_table()[np.minimum(codes, 0xFFFF)])

    def __len__(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class PdfiumPage:
    height: float
    chars: PageChars
    edges: list[dict]  # pdfplumber's edges: each painted line, rectangle side and curve segment
    has_image: bool  # an image drawn on the page itself (a scan has one under its text)


def read_page(pdfium_c, page) -> PdfiumPage | None:
    """The page's characters and edges, or None when pdfplumber must read it (see above)."""
    if pdfium_c.FPDFPage_GetRotation(page) or not _boxes_at_origin(pdfium_c, page):
        return None
    height = pdfium_c.FPDF_GetPageHeightF(page)
    handle = ctypes.cast(page, ctypes.c_void_p).value
    drawn = _edges(handle, height)
    if drawn is None:
        return None
    edges, has_image = drawn
    textpage = pdfium_c.FPDFText_LoadPage(page)
    if not textpage:
        return None
    try:
        chars = _chars(pdfium_c, _calls(), textpage, height)
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)
    return None if chars is None else PdfiumPage(height, chars, edges, has_image)


def _boxes_at_origin(pdfium_c, page) -> bool:
    media = [ctypes.c_float() for _ in range(4)]
    if not pdfium_c.FPDFPage_GetMediaBox(page, *media):
        return True  # no media box of its own: pdfium and pdfminer both take the page size
    left, bottom, right, top = (v.value for v in media)
    crop = [ctypes.c_float() for _ in range(4)]
    if pdfium_c.FPDFPage_GetCropBox(page, *crop) and [v.value for v in crop] != [left, bottom, right, top]:
        return False
    return left == 0 and bottom == 0


def _chars(pdfium_c, calls: Calls, textpage, height: float) -> PageChars | None:
    """Every character pdfium read but the spaces and line breaks it made up (pdfplumber judges
    gaps itself). pdfium turns a hyphen ending a line into \\x02. What a character shares with
    its text object (top, size, font) is read once per object and spread over its characters."""
    handle = ctypes.cast(textpage, ctypes.c_void_p).value
    n = pdfium_c.FPDFText_CountChars(textpage)
    if n <= 0:
        return PageChars([], *(np.empty(0) for _ in range(4)), np.empty(0, dtype=bool))
    buffer = np.zeros(n + 1, dtype=np.uint16)
    calls.get_text(handle, 0, n, buffer.ctypes.data)
    text = buffer[:n].tobytes().decode("utf-16-le", "surrogatepass")
    if len(text) != n or _UNMAPPED.search(text):
        return None
    facts = CharFacts(handle, n)
    _marks_at_pen(facts, text)
    keep = np.ones(n, dtype=bool)
    codes = buffer[:n]  # one unit a character: no surrogate pair (above)
    spaces = np.flatnonzero(_MADE_UP[codes])
    made_up = spaces[facts.generated(spaces)]
    keep[made_up] = _drawn_spaces(facts, made_up)
    index = np.flatnonzero(keep)
    _, first, spread = np.unique(facts.objects[index], return_index=True, return_inverse=True)
    styles = _styles(calls, facts, index[first], height)
    if styles is None:
        return None
    tops, sizes, bold = styles
    chosen = facts.boxes[index].astype(np.float64)
    kept_codes = codes[index].copy()
    kept_codes[_HYPHEN_MARK[kept_codes]] = ord("-")
    kept = kept_codes.tobytes().decode("utf-16-le", "surrogatepass")
    return PageChars(list(kept), chosen[:, 0], chosen[:, 2], tops[spread], tops[spread] + sizes[spread], bold[spread],
                     single=True)


def _marks_at_pen(facts: CharFacts, text: str) -> None:
    """A combining mark drawn as a glyph of its own (decomposed Vietnamese: `o` then U+0302
    then U+0301) has no width: pdfminer places it at the pen, where the letter before it
    ends; pdfium's box is the mark's own glyph, drawn back over that letter, and sorting by it
    would move the mark onto the letter before (`thị` read `tḥi`). Marks that one glyph's
    Unicode mapping gives with their letter (`ầ` mapped to `a`, U+0302, U+0300) start where
    the letter starts, and keep the slices of the glyph's box pdfium gives them in order."""
    marks = [m.start() for m in _MARK.finditer(text)]
    if not marks:
        return
    letters = []
    for i in marks:
        letter = i - 1
        while letter >= 0 and _MARK.match(text, letter):
            letter -= 1
        letters.append(letter)
    pens = facts.origins(np.array(marks, dtype=np.intp))[:, 0]
    bases = facts.origins(np.array([max(letter, 0) for letter in letters], dtype=np.intp))[:, 0]
    for i, letter, x, base in zip(marks, letters, pens.tolist(), bases.tolist()):
        if letter >= 0 and abs(base - x) < 0.01:
            continue
        facts.boxes[i, 0] = facts.boxes[i, 2] = x


def _drawn_spaces(facts: CharFacts, spaces: np.ndarray) -> np.ndarray:
    """Which of the spaces pdfium marks as made up are ones the page draws (pdfplumber has
    them). pdfium makes a space up for a gap between two text objects (it has none) or for a
    gap a show-text operator leaves (at the next character's origin); when that next character
    is a drawn space, pdfium keeps its own in its place, so it stands apart from the
    character after it."""
    drawn = (facts.objects[spaces] != 0) & (spaces + 1 < len(facts.objects))
    asked = spaces[drawn]
    if len(asked):
        drawn[drawn] = np.abs(facts.origins(asked + 1)[:, 0] - facts.boxes[asked, 0].astype(np.float64)) > 0.01
    return drawn


def _styles(calls: Calls, facts: CharFacts, firsts: np.ndarray, height: float
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """What each text object's characters share, read at its first character (`firsts`): one
    show-text operator draws them on one baseline, in one font at one size. Their top (the
    baseline raised by the size), their size, whether their font is bold. None when any object's
    characters are not upright on a level baseline or are drawn in a legacy font.

    pdfminer lowers the top by the descent the font's descriptor gives (0 in LibreOffice's
    PDFs); pdfium gives the descent of the font program instead, which differs between the
    regular and the bold face of one family: characters on one baseline would stand at two
    heights and a line would break in two. The baseline is what puts them on one line."""
    a, b, c, d = facts.matrices(firsts)[:, :4].astype(np.float64).T
    if not np.all((a * d > 0) & (b * c <= 0) & (np.abs(b) <= 1e-6 * np.abs(a))):
        return None
    handles = facts.fonts(firsts).tolist()
    names = {font: _font_name(calls, font) for font in set(handles)}
    if any(legacy_font(name) for name in names.values()):
        return None
    bold = {font: is_bold_font(name) for font, name in names.items()}
    sizes = facts.sizes(firsts)
    return height - (facts.origins(firsts)[:, 1] + sizes), sizes, np.array([bold[font] for font in handles], dtype=bool)


def _font_name(calls: Calls, font: int | None) -> str:
    if not font:
        return ""
    size = calls.font_name(font, None, 0)
    buffer = ctypes.create_string_buffer(size)
    calls.font_name(font, ctypes.addressof(buffer), size)
    return buffer.value.decode("latin-1")


def _edges(page: int, height: float) -> tuple[list[dict], bool] | None:
    """pdfplumber's edges of the page's painted paths (pdfminer's line, rect and curve) and
    whether an image is drawn on it, or None when a form XObject holds a path."""
    drawn = page_paths(page)
    if drawn is None:
        return None
    paths, has_image = drawn
    edges: list[dict] = []
    for segments in paths:
        path: list[tuple[str, float, float]] = []
        bezier = 0
        for kind, closes, x, y in segments:
            if kind == _BEZIERTO:
                bezier += 1
                if bezier % 3:
                    continue  # a curve's control points: pdfminer keeps its end point only
                path.append(("c", x, y))
            else:
                bezier = 0
                path.append(("m" if kind == _MOVETO else "l", x, y))
            if closes:
                path.append(("h", x, y))
        for start in [i for i, op in enumerate(path) if op[0] == "m"]:
            end = next((j for j in range(start + 1, len(path)) if path[j][0] == "m"), len(path))
            edges += _subpath_edges(path[start:end], height)
    return edges, has_image


def _subpath_edges(path: list[tuple[str, float, float]], height: float) -> list[dict]:
    """One subpath as pdfminer sorts it (converter.paint_path) and pdfplumber turns it into
    edges (utils.geometry): a line, a rectangle's four sides, or a curve's segments."""
    shape = "".join(op for op, _, _ in path)
    pts = [(px, py) if op != "h" else (path[0][1], path[0][2]) for op, px, py in path]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("mlh", "ml"):
        (x0, y0), (x1, y1) = pts[0], pts[1]
        top, bottom = height - max(y0, y1), height - min(y0, y1)
        return [_edge(min(x0, x1), max(x0, x1), top, bottom, "h" if top == bottom else "v")]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            left, right = min(x0, x2), max(x0, x2)
            top, bottom = height - max(y0, y2), height - min(y0, y2)
            return [_edge(left, right, top, top, "h"), _edge(left, right, bottom, bottom, "h"),
                    _edge(left, left, top, bottom, "v"), _edge(right, right, top, bottom, "v")]
    flipped = [(px, height - py) for px, py in pts]
    return [_edge(min(p[0], q[0]), max(p[0], q[0]), min(p[1], q[1]), max(p[1], q[1]),
                  "v" if p[0] == q[0] else ("h" if p[1] == q[1] else None))
            for p, q in zip(flipped, flipped[1:])]


def _edge(x0: float, x1: float, top: float, bottom: float, orientation: str | None) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "width": x1 - x0,
            "height": bottom - top, "orientation": orientation, "object_type": "edge"}
