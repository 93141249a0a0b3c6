"""Characters a PDF draws in a legacy Vietnamese font, read from their codes.

A document typed in `.VnTime` and saved as PDF by Word keeps the font's own codes in the page:
a simple TrueType font, WinAnsi codes that are the TCVN3 bytes themselves. Text extraction maps
each code through the font's encoding or ToUnicode map and loses what they give no letter:
TCVN3's ư is 0xAD, WinAnsi's soft hyphen, which pdfminer reads as a space and pdfium as a
hyphen (`ng-ời`, `d ới 2%`), and a symbolic font without an encoding is read through pdfium's
own guesses. For a font named as a legacy font (legacy_fonts.toml) whose codes are the legacy
bytes (its ASCII letters drawn at their own codes), each character that is ASCII or one of
the encoding's codes is its code read as Latin-1: the legacy text that legacy.py converts
(a sign the encoding has no code for, ‰ typed from Windows-1252, keeps its own reading). A
font whose codes a writer renumbered (a subset's 1, 2, 3 …) keeps what its ToUnicode map says.

The codes come from pdfminer: the page is interpreted once more by a device that only notes
each character's code and matrix, in the order pdfplumber's characters come in (the same
interpretation), so they are matched one for one. A page drawn in a legacy font is never left
to pdfium, which guesses a symbolic font's letters and may give two for one code.
"""
from __future__ import annotations

from .legacy import legacy_characters, legacy_font

_AGREE = 0.9  # share of a font's ASCII letters and digits drawn at their own codes: its codes are the bytes typed


def legacy_codes(pdf, page) -> list[tuple[tuple, str | None]]:
    """Each character the page draws, in drawing order: its matrix and, when it is drawn in a
    legacy font whose codes are the bytes typed, its code as a Latin-1 character (else None)."""
    from pdfminer.pdfdevice import PDFTextDevice
    from pdfminer.pdfinterp import PDFPageInterpreter

    drawn: list[tuple[tuple, str | None, int, str]] = []  # (matrix, font name, code, text its encoding gives)

    class Codes(PDFTextDevice):
        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
            name = font.fontname if isinstance(font.fontname, str) else str(font.fontname)
            text = ""
            if not font.is_multibyte() and legacy_font(name):
                try:
                    text = font.to_unichr(cid)
                except Exception:  # no letter for the code: the code itself tells
                    text = ""
            drawn.append((tuple(matrix), name if legacy_font(name) else None, cid, text))
            return font.char_width(cid) * fontsize * scaling

    device = Codes(pdf.rsrcmgr)
    try:
        PDFPageInterpreter(pdf.rsrcmgr, device).process_page(page.page_obj)
    finally:
        device.close()
    typed = set()  # legacy fonts whose codes are the bytes typed
    for name in {n for _, n, _, _ in drawn if n}:
        plain = [(cid, t) for _, n, cid, t in drawn if n == name and len(t) == 1 and t.isascii() and t.isalnum()]
        if plain and sum(chr(cid) == t for cid, t in plain) >= _AGREE * len(plain):
            typed.add(name)  # else codes renumbered by the writer: its ToUnicode map is all there is
    out = []
    for matrix, name, cid, _ in drawn:
        code = None
        if name in typed and (cid < 0x80 or chr(cid) in legacy_characters(legacy_font(name)[0])):
            code = chr(cid)
        out.append((matrix, code))
    return out


def amend_page_chars(pdf, page) -> None:
    """pdfplumber's characters of a page, those drawn in a legacy font given their code's text
    (in place: every view of the page, its tables and its crops, reads these characters)."""
    chars = page.chars
    if not any(legacy_font(n) for n in {c.get("fontname") for c in chars} if n):
        return
    codes = legacy_codes(pdf, page)
    if len(codes) != len(chars) or any(tuple(c["matrix"]) != m for c, (m, _) in zip(chars, codes)):
        return  # not the characters pdfplumber drew (never seen): leave them as read
    for c, (_, code) in zip(chars, codes):
        if code is not None:
            c["text"] = code
