"""The quick look at a PDF's bytes (parsers/formats/pdfscan.py) that spares a plainly sound
file pdfminer's slow check: it says sound only when nothing is left for pdfminer to judge, and
the reader then never opens pdfminer; any doubt sends the file the old way."""
from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

import badfiles
from chitieu.parsers.formats import pdf as pdf_reader
from chitieu.parsers.formats.pdfscan import plainly_sound
from conftest import PROSE_SEED, RAW, TABLE_SEED
from test_pdf_reader import damaged, damaged_ascii85

ROOT = Path(__file__).resolve().parents[2]


def pages_of(path: Path) -> int:
    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def with_bytes(seed: Path, path: Path, change) -> Path:
    path.write_bytes(change(seed.read_bytes()))
    return path


SEED = RAW / f"{PROSE_SEED}.pdf"
CASES = [
    ("a seed as LibreOffice writes it", lambda p: SEED, True),
    ("a table seed", lambda p: RAW / f"{TABLE_SEED}.pdf", True),
    ("a page's content damaged", lambda p: damaged(SEED, p, 2), False),
    ("content under ASCII85 and Flate", damaged_ascii85, False),
    ("a stream's length that points at a loop", badfiles.reference_loop_pdf, False),
    ("encrypted against copying", lambda p: badfiles.encrypted_pdf(p), False),
    ("a length written wrong", lambda p: with_bytes(SEED, p, lambda d: re.sub(rb"/Length (\d+)/Filter",
                                                                            rb"/Length 7/Filter", d, count=1)), False),
    ("a page object pdfium does not count", lambda p: with_bytes(SEED, p, lambda d: d.replace(
        b"%%EOF", b"99 0 obj\n<</Type/Page>>\nendobj\n%%EOF")), False),
]


@pytest.mark.parametrize("make,sound", [(m, s) for _, m, s in CASES], ids=[c[0] for c in CASES])
def test_plainly_sound(tmp_path, make, sound):
    path = make(tmp_path / "file.pdf")
    try:
        pages = pages_of(path)
    except pdfium.PdfiumError:
        pages = 0
    assert plainly_sound(path.read_bytes(), pages) is sound


def test_a_sound_file_is_read_without_pdfminer(monkeypatch):
    expected = pdf_reader.read_pdf(SEED)

    def no_pdfminer(path):
        raise AssertionError("pdfminer opened a plainly sound file")

    monkeypatch.setattr(pdf_reader, "_open", no_pdfminer)
    assert pdf_reader.read_pdf(SEED) == expected


def test_a_sound_file_in_a_legacy_font_opens_pdfminer_for_its_pages(monkeypatch):
    """A TCVN3 PDF is sound, but pdfium cannot serve its pages: pdfminer is opened once, when
    the first page needs it, and the document reads as the old way reads it."""
    (legacy,) = ROOT.glob("tests/blind10/raw/k01_*tcvn3*.pdf")
    opened = []
    open_pdfminer = pdf_reader._open
    monkeypatch.setattr(pdf_reader, "_open", lambda path: opened.append(path) or open_pdfminer(path))
    lazily = pdf_reader.read_pdf(legacy)
    assert opened == [legacy]
    monkeypatch.setattr(pdf_reader, "plainly_sound", lambda data, pages: False)
    assert pdf_reader.read_pdf(legacy) == lazily
