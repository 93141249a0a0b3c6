"""A PDF page's text read by pdfium (in C): many times faster than pdfminer, for the pages that
cannot hold a table, and what pdfium tells of a page at no cost (whether it may hold a table,
whether it holds an image).

pdfplumber's tables are drawn by ruling edges, which come only from path objects (lines,
rectangles, curves): a page without any, or with only flat horizontal rules (under a title,
under a word), cannot hold one, so pdfium reads it, unless the page is rotated. pdfplumber's
own algorithm puts pdfium's characters into lines, so the lines come out as pdfplumber would
give them.
"""
from __future__ import annotations

from pathlib import Path

from .legacy import legacy_font

EDGE = 3  # pt: pdfplumber keeps ruling edges of 3 pt or more and joins those 3 pt or less apart
# pt between two characters from which they belong to two words. pdfplumber's default is 3; a
# glyph drawn from a fallback font (LibreOffice's 'ứ' in DejaVu amid Liberation Serif) is wider
# than its place and leaves 2 pt before the next word.
WORD_GAP = 1.5

# pdfium is called through its raw bindings, with raw handles only. pypdfium2's helper objects
# turn into handles in Python code, and a signal (Ctrl-C, the time limit) raised there would
# come out of ctypes as an ArgumentError instead of the interruption.

def open_pdfium(path: Path, pages: int):
    """The document in pdfium, or None if pdfium cannot open it or counts other pages (then
    pdfplumber reads every page)."""
    import os

    import pypdfium2.raw as pdfium_c

    document = pdfium_c.FPDF_LoadDocument(os.fsencode(path), None)
    if document and pdfium_c.FPDF_GetPageCount(document) != pages:
        pdfium_c.FPDF_CloseDocument(document)
        return None
    return document or None


def read_by_pdfium(document, index: int) -> tuple[str, int] | None:
    """The text of a page that cannot hold a table, and its number of characters; None for a
    page pdfplumber must read (it may hold a table, it is rotated, pdfium fails on it, or it
    is drawn in a legacy font: pdfplumber's characters are its codes one for one, pdfcodes.py,
    where pdfium guesses a symbolic font's letters and may give two for one code)."""
    import pypdfium2.raw as pdfium_c
    from pdfplumber.utils import chars_to_textmap

    page = pdfium_c.FPDF_LoadPage(document, index)
    if not page:
        return None
    try:
        if pdfium_c.FPDFPage_GetRotation(page) or _may_hold_table(page):
            return None
        textpage = pdfium_c.FPDFText_LoadPage(page)
        if not textpage:
            return None
        try:
            chars = _pdfium_chars(page, textpage)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
    finally:
        pdfium_c.FPDF_ClosePage(page)
    if any(legacy_font(name) for name in {c["fontname"] for c in chars}):
        return None
    return (text_lines(chars_to_textmap(chars, x_tolerance=WORD_GAP)) if chars else []), len(chars)


def _may_hold_table(page) -> bool:
    """Whether pdfplumber could find a table on the page. Its cells need vertical ruling
    edges of 3 pt or more, made from the segments of path objects (joined when 3 pt or
    less apart); flat horizontal rules, apart from one another, make none. A form XObject
    with a path in it counts whatever the path's shape (it is in the form's own space)."""
    import pypdfium2.raw as pdfium_c

    rules = []
    for i in range(pdfium_c.FPDFPage_CountObjects(page)):
        obj = pdfium_c.FPDFPage_GetObject(page, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and _form_has_path(obj):
            return True
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH and (extent := _vertical_extent(obj)):
            if extent[1] - extent[0] >= EDGE:
                return True
            rules.append(extent)
    low = reach = None  # the band of rules close enough for their edges to join
    for bottom, top in sorted(rules):
        if reach is None or bottom > reach + EDGE:
            low = bottom
        reach = top if reach is None else max(reach, top)
        if reach - low >= EDGE:
            return True
    return False


def _form_has_path(form) -> bool:
    import pypdfium2.raw as pdfium_c

    for i in range(pdfium_c.FPDFFormObj_CountObjects(form)):
        obj = pdfium_c.FPDFFormObj_GetObject(form, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH or (kind == pdfium_c.FPDF_PAGEOBJ_FORM and _form_has_path(obj)):
            return True
    return False


def _vertical_extent(path) -> tuple[float, float] | None:
    """The lowest and highest of a path's points on the page (its stroke left out, as
    pdfplumber leaves it out of edges); None for a path without points."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    m, x, y = pdfium_c.FS_MATRIX(), ctypes.c_float(), ctypes.c_float()
    if not pdfium_c.FPDFPageObj_GetMatrix(path, m):
        m.a, m.b, m.c, m.d, m.e, m.f = 1, 0, 0, 1, 0, 0
    ys = []
    for i in range(pdfium_c.FPDFPath_CountSegments(path)):
        if pdfium_c.FPDFPathSegment_GetPoint(pdfium_c.FPDFPath_GetPathSegment(path, i), x, y):
            ys.append(m.b * x.value + m.d * y.value + m.f)
    return (min(ys), max(ys)) if ys else None


def _pdfium_chars(page, textpage) -> list[dict]:
    """The characters pdfium read on the page, with the geometry pdfplumber gives pdfminer's
    (x0, x1, top, bottom, upright), and font, for pdfplumber to put into words and lines. The spaces
    and line breaks pdfium generates are left out (pdfplumber judges gaps itself); pdfium
    turns a hyphen ending a line into \\x02. An upright character's top is pdfminer's: the
    baseline raised by the font size and lowered by the font's descent."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    height = pdfium_c.FPDF_GetPageHeightF(page)
    box, x, y, matrix = pdfium_c.FS_RECTF(), ctypes.c_double(), ctypes.c_double(), pdfium_c.FS_MATRIX()
    descent = ctypes.c_float()
    chars: list[dict] = []
    names: dict[int, str] = {}  # font handle → base font name, as pdfminer gives fontname
    run = top = upright = None  # (baseline, size) of the last character, and what it gave
    for i in range(pdfium_c.FPDFText_CountChars(textpage)):
        if pdfium_c.FPDFText_IsGenerated(textpage, i):
            continue
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        pdfium_c.FPDFText_GetLooseCharBox(textpage, i, box)
        pdfium_c.FPDFText_GetCharOrigin(textpage, i, x, y)
        size = pdfium_c.FPDFText_GetFontSize(textpage, i)
        if run != (y.value, size):
            run = (y.value, size)
            font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(textpage, i))
            if not (font and pdfium_c.FPDFFont_GetDescent(font, size, descent)):
                descent.value = 0
            top = height - (y.value + size + descent.value)
            pdfium_c.FPDFText_GetMatrix(textpage, i, matrix)
            upright = matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0
        text = "-" if code in (0x02, 0xFFFE) else chr(code)
        font = _font_name(pdfium_c, pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(textpage, i)), names)
        if upright:
            chars.append({"text": text, "x0": box.left, "x1": box.right, "top": top,
                          "bottom": top + size, "doctop": top, "upright": True, "fontname": font})
        else:
            chars.append({"text": text, "x0": box.left, "x1": box.right, "top": height - box.top,
                          "bottom": height - box.bottom, "doctop": height - box.top, "upright": False,
                          "fontname": font})
    return chars


def _font_name(pdfium_c, font, names: dict[int, str]) -> str:
    """The base font name of a text object's font ('ABCDEF+DejaVuSans-Bold'), read once per font."""
    import ctypes

    key = ctypes.cast(font, ctypes.c_void_p).value or 0
    if key not in names:
        size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0) if key else 0
        buffer = ctypes.create_string_buffer(size) if size else None
        if buffer is not None:
            pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
        names[key] = buffer.value.decode("latin-1") if buffer is not None else ""
    return names[key]


def text_lines(textmap) -> list[tuple[str, float, bool]]:
    """(text, x-position, bold) of each line of a page's text, as pdfplumber lays it out."""
    out = []
    for line in textmap.extract_text_lines(strip=True, return_chars=True):
        letters = [c for c in line["chars"] if c["text"].strip()]
        bold = bool(letters) and all("bold" in (c.get("fontname") or "").lower() for c in letters)
        out.append((line["text"], round(float(line["x0"]), 1), bold))
    return out


def has_image(document, index: int) -> bool:
    import pypdfium2.raw as pdfium_c

    page = pdfium_c.FPDF_LoadPage(document, index)
    if not page:
        return False
    try:
        return any(pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page, i)) == pdfium_c.FPDF_PAGEOBJ_IMAGE
                   for i in range(pdfium_c.FPDFPage_CountObjects(page)))
    finally:
        pdfium_c.FPDF_ClosePage(page)
