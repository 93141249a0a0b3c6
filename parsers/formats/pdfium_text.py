"""The PDF in pdfium (in C), what it tells of a page at no cost (whether it holds an image),
and the lines of a page pdfplumber reads (pdfium_page.py reads the others).
"""
from __future__ import annotations

from pathlib import Path

# pt between two characters from which they belong to two words. pdfplumber's default is 3; a
# glyph drawn from a fallback font (LibreOffice's 'ứ' in DejaVu amid Liberation Serif) is wider
# than its place and leaves 2 pt before the next word.
WORD_GAP = 1.5

def is_bold_font(name: str | None) -> bool:
    """A PDF font whose name says it is bold (`ABCDEF+LiberationSerif-Bold`, `Arial,Bold`): a
    line is bold when every letter of it is drawn in one (both readers judge so)."""
    return "bold" in (name or "").lower()


# pdfium is called through its raw bindings, with raw handles only. pypdfium2's helper objects
# turn into handles in Python code, and a signal (Ctrl-C, the time limit) raised there would
# come out of ctypes as an ArgumentError instead of the interruption.

def open_pdfium(path: Path, pages: int | None):
    """The document in pdfium, or None if pdfium cannot open it or counts other pages than
    `pages` (None: any) (then pdfplumber reads every page)."""
    import os

    import pypdfium2.raw as pdfium_c

    document = pdfium_c.FPDF_LoadDocument(os.fsencode(path), None)
    if document and pages is not None and pdfium_c.FPDF_GetPageCount(document) != pages:
        pdfium_c.FPDF_CloseDocument(document)
        return None
    return document or None


def text_lines(textmap) -> list[tuple[str, float, bool]]:
    """(text, x-position, bold) of each line of a page's text, as pdfplumber lays it out."""
    out = []
    for line in textmap.extract_text_lines(strip=True, return_chars=True):
        letters = [c for c in line["chars"] if c["text"].strip()]
        bold = bool(letters) and all(is_bold_font(c.get("fontname")) for c in letters)
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
