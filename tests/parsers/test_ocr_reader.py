"""OCR of scans: the seed PDFs printed to 200 dpi grey images (no text layer) read by Tesseract,
their tables' ruling lines giving the grid the text-layer table gives."""
from __future__ import annotations

import pytest

from conftest import RAW, TABLE_SEED
from parsers.formats import ocr
from parsers.formats.docx import read_docx
from parsers.model import UnreadableDocument
from seedforms import structure

needs_tesseract = pytest.mark.skipif(ocr.tesseract() is None, reason="Tesseract with its Vietnamese model is not installed")


def scan_of(pdf, out, dpi=200):
    """The PDF printed and scanned: each page a grey image at `dpi`, in an image-only PDF."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    images = [document[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(document))]
    document.close()
    images[0].save(out, save_all=True, append_images=images[1:], resolution=dpi)
    return out


@pytest.fixture(scope="module")
def table_scan(tmp_path_factory):
    path = scan_of(RAW / f"{TABLE_SEED}.pdf", tmp_path_factory.mktemp("scan") / f"{TABLE_SEED}.pdf")
    return path, ocr.read_scanned_pdf(path)


@needs_tesseract
def test_a_scanned_table_gives_the_grid_of_its_docx(table_scan):
    _, doc = table_scan
    assert doc.text_layer == "ocr" and doc.notes[0] == "ocr_pages:1,2,3"
    ours, theirs = structure(doc), structure(read_docx(RAW / f"{TABLE_SEED}.docx"))
    assert ours[0] == theirs[0]
    assert len(ours[1]) == len(theirs[1]) == 1
    shape = lambda grid: [[(span, merged) for _, span, merged in row] for row in grid]
    assert shape(ours[1][0]) == shape(theirs[1][0])  # every span and vertical merge, rows cut by pages joined
    same_text = sum(a == b for a, b in zip(ours[1][0], theirs[1][0]))
    assert same_text >= 0.75 * len(theirs[1][0])


@needs_tesseract
def test_every_ocr_cell_and_line_carries_its_confidence(table_scan):
    _, doc = table_scan
    cells = [c for t in doc.tables for r in t.rows for c in r.cells if c.text]
    assert all(0 <= c.confidence <= 1 for c in cells) and all(l.confidence is not None for l in doc.lines)


def test_without_tesseract_a_scan_fails_saying_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "tesseract", lambda: None)
    path = scan_of(RAW / f"{TABLE_SEED}.pdf", tmp_path / "scan.pdf", dpi=50)
    with pytest.raises(UnreadableDocument, match=r"apt-get install tesseract-ocr tesseract-ocr-vie"):
        ocr.read_scanned_pdf(path)
