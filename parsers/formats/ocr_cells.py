"""Cells of an OCR table read again, one by one: cells the page's reading left empty though they
hold ink, or read as one short token in doubt (all of them on one sheet, in one run), the
numbering column with only the characters a row number has; look-alike characters repaired
only where the cell's role or shape says what it must be (a number, a roman numeral)."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .ocr_grid import BASE_DPI, JOIN, px
from .ocr_words import LOW_CONFIDENCE, _Word, _text_of


def _ocr_words(*args, **kwargs):
    from .ocr import _ocr_words as read  # the one way Tesseract is run

    return read(*args, **kwargs)


_SHORT = 8  # characters: a cell read as one token this short may be read again on its own
_SURE = 0.90  # a short token read with this confidence or more is kept
# px at 300 dpi (ocr_grid.px scales them to the page's resolution)
_INSET = JOIN + 3  # inside a cell's lines: what is left of an erased line is not ink
_MIN_INK = 40  # dark px (an area: scaled twice): less is a speck, not a character
_GAP = 40  # white between two cells on the sheet they are read from
_PAD = 12  # white around a cell's ink on that sheet
_FLANK = 2  # a roman numeral's stem's flanks, each side
_NUMBERING_WIDTH = 0.10  # a first column this narrow (share of the table's width) numbers the rows
# What a numbering cell can hold: digits, roman numerals, letters of sub-items, dots and dashes.
_NUMBERING_CHARS = "0123456789IVXabcdđe.-+*)"
_NUMBER_LIKE = re.compile(r"[\dOoSsIl|!.,%‰]+")  # digits and the letters Tesseract reads for them
_AS_DIGIT = str.maketrans({"O": "0", "o": "0", "S": "5", "s": "5", "I": "1", "l": "1", "|": "1", "!": "1"})
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})*(?:,\d+)?%?|\d+(?:,\d+)?%?")
_POINT_DECIMAL = re.compile(r"(?<![\d.,])(\d+)\.(\d{1,2})(?![\d.,])")
_COMMA_DECIMAL = re.compile(r"(?<![\d.,])(\d+),(\d{1,2})(?![\d.,])")
_ROMAN_LIKE = re.compile(r"[IVXlH|!]+\.?")
_AS_ROMAN = str.maketrans({"l": "I", "|": "I", "!": "I", "H": "II"})
_NUMBERING = re.compile(r"\d+(?:\.\d+)*\.?|[IVX]+\.?|[a-zđ][.)]?|[-+*]")


@dataclass
class _Slot:
    """A grid cell while the page is read: its grid columns, box, text and confidence."""

    start: int
    end: int
    box: tuple[float, float, float, float]
    text: str
    conf: float | None
    continued: bool
    numbering: bool = False  # in the numbering column (STT)


def _ink_box(ink, box, dpi: float = BASE_DPI) -> tuple[int, int, int, int] | None:
    """The box of the ink inside a cell (its lines left out), None when it holds none."""
    import numpy as np

    inset = px(_INSET, dpi)
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    x0, y0, x1, y1 = x0 + inset, y0 + inset, x1 - inset, y1 - inset
    if x1 <= x0 or y1 <= y0:
        return None
    region = ink[y0:y1, x0:x1]
    if region.sum() < _MIN_INK * (dpi / BASE_DPI) ** 2:
        return None
    rows, cols = np.nonzero(region.any(axis=1))[0], np.nonzero(region.any(axis=0))[0]
    return x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1


def _doubtful(slot: _Slot) -> bool:
    """A cell worth reading again: read as nothing, or as one short token that is not sure
    or mixes digits with the letters Tesseract takes for digits."""
    text = slot.text
    if not text:
        return True
    if len(text) > _SHORT or " " in text:
        return False
    mixed = any(c.isdigit() for c in text) and not _NUMBER.fullmatch(text)
    return mixed or (slot.conf or 0) < _SURE


def _read_sheet(crops, program: str, timeout: float, config: tuple[str, ...] = (),
                dpi: float = BASE_DPI) -> list[tuple[str, float | None]]:
    """The text of each crop (grey arrays), stacked on one sheet a crop to a line with white
    between, read by Tesseract in one run as a block of text (psm 6)."""
    import numpy as np

    pad, gap = px(_PAD, dpi), px(_GAP, dpi)
    width = max(c.shape[1] for c in crops) + 2 * pad + 2 * gap
    height = sum(c.shape[0] + 2 * pad + gap for c in crops) + gap
    sheet = np.full((height, width), 255, dtype=np.uint8)
    bands, y = [], gap
    for crop in crops:
        h, w = crop.shape
        sheet[y + pad:y + pad + h, gap + pad:gap + pad + w] = crop
        bands.append((y, y + h + 2 * pad))
        y += h + 2 * pad + gap
    words = _ocr_words(sheet, program, timeout, psm=6, config=config, dpi=dpi)
    return [_text_of([w for w in words if top <= w.centre[1] <= bottom]) for top, bottom in bands]


def _as_number(text: str) -> str:
    """A token shaped as a number whose letters are the ones Tesseract reads for digits
    (S3 → 53, 3l → 31, O → 0 between digits) as the digits."""
    if _NUMBER_LIKE.fullmatch(text) and sum(c.isdigit() for c in text) >= 1:
        return text.translate(_AS_DIGIT)
    return text


def _as_numbering(text: str) -> str:
    """A row number: digits mixed with look-alike letters are digits; a roman numeral's
    strokes read as l, | or H (two I touching) are I."""
    if any(c.isdigit() for c in text):
        return _as_number(text)
    if _ROMAN_LIKE.fullmatch(text):
        return text.translate(_AS_ROMAN)
    return text


def _reread_short_cells(ink, image, slots: list[list[_Slot]], program: str, timeout: float,
                        decimal_comma: bool = True, dpi: float = BASE_DPI) -> None:
    """Cells the page's reading left empty though they hold ink, or read as one short token
    in doubt, read again on their own: Tesseract's page layout drops a lone % or II between
    wide cells and runs a short token into its neighbours. The cells of the numbering column
    (a narrow first column) are read with only the characters a row number has, and as they
    are: a header word (STT) read surer as it is stays a word. Repairs of
    look-alike characters follow the cell's role: a token shaped as a number becomes digits,
    a row number a number or a roman numeral."""
    if not slots:
        return
    table_x0, table_x1 = slots[0][0].box[0], slots[0][-1].box[2]
    numbering, others = [], []  # (slot, ink box) to read again
    for row in slots:
        for slot in row:
            if slot.continued:
                continue
            slot.numbering = slot.start == 0 and slot.end == 1 and \
                slot.box[2] - slot.box[0] <= _NUMBERING_WIDTH * (table_x1 - table_x0)
            if slot.numbering:  # read again unless surely a row number or a word (STT)
                sure = (slot.conf or 0) >= _SURE and (_NUMBERING.fullmatch(slot.text) or (
                    len(slot.text) > 1 and not _ROMAN_LIKE.fullmatch(slot.text) and not any(c.isdigit() for c in slot.text)))
                if sure:
                    continue
            elif not _doubtful(slot):
                continue
            found = _ink_box(ink, slot.box, dpi)
            if found:
                (numbering if slot.numbering else others).append((slot, found))
    if not others and not numbering:
        return
    # The numbering cells are read twice: with a row number's characters only, and on the sheet
    # of the other cells as they are, for the column's header (STT) the first reading lost.
    crop = lambda group: [image[y0:y1, x0:x1] for _, (x0, y0, x1, y1) in group]
    plain = _read_sheet(crop(others + numbering), program, timeout, (), dpi)
    for (slot, box), (text, conf) in zip(others, plain):
        if decimal_comma:  # read alone, a decimal comma often comes out a point
            text = _POINT_DECIMAL.sub(r"\1,\2", text)
        if text and (not slot.text or _better(text, conf, slot.text, slot.conf, box)):
            slot.text, slot.conf = text, conf
    if numbering:
        whitelist = (f"tessedit_char_whitelist={_NUMBERING_CHARS}",)
        readings = _read_sheet(crop(numbering), program, timeout, whitelist, dpi)
        for (slot, box), (text, conf), (word, word_conf) in zip(numbering, readings, plain[len(others):]):
            if set(text) <= {"I"} and (stems := _stems(ink, box, dpi)):
                # I's counted on the ink, which Tesseract misses alone: as sure as a doubtful reading
                text, conf = "I" * stems, max(conf or 0, LOW_CONFIDENCE)
            if _numbering_header(word) and (word_conf or 0) > (conf or 0):
                text, conf = word, word_conf
            # the row number read with its characters only, unless the cell held the header read surer
            if text and (not slot.text or not _numbering_header(slot.text) or (conf or 0) > (slot.conf or 0)):
                slot.text, slot.conf = text, conf
    for row in slots:
        for slot in row:
            if slot.text and " " not in slot.text:
                slot.text = _as_numbering(slot.text) if slot.numbering else _as_number(slot.text)


@cache
def _numbering_headers() -> frozenset[str]:
    with (Path(__file__).parent / "ocr_cells.toml").open("rb") as f:
        return frozenset(w.casefold() for w in tomllib.load(f)["numbering_header"]["words"])


def _numbering_header(text: str) -> bool:
    """Whether a numbering cell's text is the column's header (ocr_cells.toml).

    >>> _numbering_header("STT"), _numbering_header("Stt"), _numbering_header("Số TT"), _numbering_header("Hị")
    (True, True, True, False)
    """
    return " ".join(text.split()).casefold() in _numbering_headers()


def _better(text: str, conf: float | None, old: str, old_conf: float | None, box) -> bool:
    """Whether a cell's second reading beats its first: a reading too short for the width of
    the cell's ink lost characters; otherwise the surer one wins."""
    x0, y0, x1, y1 = box
    chars = (x1 - x0) / (0.5 * (y1 - y0))  # about as many characters as the ink is wide
    short = lambda t: len(t) < chars / 2
    if short(old) != short(text):
        return short(old)
    return (conf or 0) >= (old_conf or 0)


def _stems(ink, box, dpi: float = BASE_DPI) -> int:
    """The vertical strokes in a cell's ink (the I's of a roman numeral, serifs that touch
    included), 0 when other shapes are there too (a V, an X, a digit)."""
    import numpy as np

    x0, y0, x1, y1 = box
    region = ink[y0:y1, x0:x1]
    full = region.mean(axis=0) >= 0.75  # columns inked over most of the height
    stems = int(np.count_nonzero(np.diff(np.concatenate(([0], full.astype(np.int8), [0]))) == 1))
    flanks = np.ones(2 * px(_FLANK, dpi) + 1, dtype=np.int8)
    near = np.convolve(full.astype(np.int8), flanks, mode="same") > 0  # a stem's flanks
    # beyond the stems and their flanks only serifs: columns inked less than a third of the height
    others = ~near & (region.mean(axis=0) >= 1 / 3)
    return stems if stems and not others.any() else 0


def _decimal_comma(words: list[_Word]) -> bool:
    """Whether the page writes decimals with a comma (7,5), as Vietnamese does, rather than a
    point: more numbers read with a comma and one or two decimals than with a point."""
    text = " ".join(w.text for w in words)
    return len(_COMMA_DECIMAL.findall(text)) >= len(_POINT_DECIMAL.findall(text))
