"""Tesseract as a program (parsers/formats/ocr.py `_ocr_words`): the page goes in whole, a page
over the time limit or a program that fails ends in a sentence; and the numbering column's
second reading (ocr_cells.py), which keeps the column's header when it was read surer as it is.
The program is a small script standing in for Tesseract where Tesseract's own reading would
decide nothing."""
from __future__ import annotations

import sys

import numpy as np
import pytest

from chitieu.parsers.formats import ocr, ocr_cells
from chitieu.parsers.formats.ocr_cells import _Slot
from chitieu.parsers.model import UnreadableDocument

HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def _program(tmp_path, body: str):
    """An executable standing in for tesseract: a Python script with `body`."""
    path = tmp_path / "tesseract"
    path.write_text(f"#!{sys.executable}\nimport sys, time\n{body}\n")
    path.chmod(0o755)
    return str(path)


def test_the_page_goes_to_tesseract_whole(tmp_path):
    """A 12-million-pixel page, far more than a pipe holds: the program reads every byte."""
    program = _program(tmp_path, f"data = sys.stdin.buffer.read()\n"
                                 f"print({HEADER!r}); print('\\t'.join(['5', '1', '1', '1', '1', '1', '10', '10', "
                                 f"'40', '20', '96', str(len(data))]))")
    grey = np.full((3000, 4000), 255, dtype=np.uint8)
    words = ocr._ocr_words(grey, program, timeout=60, dpi=200)
    assert [w.text for w in words] == [str(len(b"P5\n4000 3000\n255\n") + grey.size)]


def test_a_page_over_the_time_limit_ends_the_program_and_says_so(tmp_path):
    program = _program(tmp_path, "time.sleep(60)")  # reads nothing: the page waits in the pipe
    with pytest.raises(UnreadableDocument, match="OCR took more than 1 s on one page"):
        ocr._ocr_words(np.zeros((2000, 2000), dtype=np.uint8), program, timeout=1)


def test_a_program_that_fails_without_reading_the_page_says_why(tmp_path):
    program = _program(tmp_path, "sys.stderr.write('Error: no such language'); sys.exit(1)")
    with pytest.raises(UnreadableDocument, match=r"Tesseract could not read a page \(Error: no such language\)"):
        ocr._ocr_words(np.zeros((2000, 2000), dtype=np.uint8), program, timeout=30)


# --- the numbering column read again ------------------------------------------------------

def _table(first: tuple[str, float], second: tuple[str, float]):
    """A two-row table, its numbering column narrow, an X of ink in each numbering cell (no
    upright strokes: none counted as a roman numeral's)."""
    ink = np.zeros((200, 1000), dtype=bool)
    for top in (30, 130):
        for k in range(40):
            ink[top + k, 20 + k:23 + k] = ink[top + k, 57 - k:60 - k] = True
    slots = [[_Slot(0, 1, (0, 0, 80, 100), *first, False), _Slot(1, 2, (80, 0, 1000, 100), "Chỉ tiêu", 0.95, False)],
             [_Slot(0, 1, (0, 100, 80, 200), *second, False), _Slot(1, 2, (80, 100, 1000, 200), "GRDP", 0.95, False)]]
    return ink, np.where(ink, 0, 255).astype(np.uint8), slots


def _read_again(monkeypatch, first, second, plain, digits_only):
    """The cells read again, the two sheets' readings given: `plain` (as they are) and
    `digits_only` (a row number's characters only), one per numbering cell."""
    def read_sheet(crops, program, timeout, config=(), dpi=300):
        assert len(crops) == 2
        return digits_only if config else plain

    monkeypatch.setattr(ocr_cells, "_read_sheet", read_sheet)
    ink, image, slots = _table(first, second)
    ocr_cells._reread_short_cells(ink, image, slots, "tesseract", 10)
    return [(row[0].text, row[0].conf) for row in slots]


def test_the_header_read_under_sure_stays_when_the_row_number_reading_is_less_sure(monkeypatch):
    """'STT' read at 0.89 (under the 0.90 that spares a cell a second reading): the digits-only
    reading makes it '51' at 0.0, which lost the whole table's header on a 200 dpi scan."""
    read = _read_again(monkeypatch, ("STT", 0.89), ("l", 0.50), plain=[("STT", 0.85), ("l", 0.4)],
                       digits_only=[("51", 0.0), ("1", 0.91)])
    assert read == [("STT", 0.89), ("1", 0.91)]


def test_the_header_the_page_lost_is_found_by_reading_the_cell_as_it_is(monkeypatch):
    read = _read_again(monkeypatch, ("", None), ("", None), plain=[("STT", 0.93), ("Hị", 0.95)],
                       digits_only=[("51", 0.0), ("II", 0.71)])
    assert read == [("STT", 0.93), ("II", 0.71)]  # 'Hị' is no header: a roman numeral stays one


def test_a_row_number_read_as_a_word_is_read_again_with_digits(monkeypatch):
    read = _read_again(monkeypatch, ("Sl", 0.62), ("IH", 0.50), plain=[("Sl", 0.60), ("IH", 0.5)],
                       digits_only=[("51", 0.55), ("III", 0.52)])
    assert read == [("51", 0.55), ("III", 0.52)]
