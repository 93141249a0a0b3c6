"""Format readers: one per file format, each returning a RawDocument."""
from __future__ import annotations

from pathlib import Path

from ..model import RawDocument, UnreadableDocument
from .docx import read_docx
from .html import read_html
from .office import read_office
from .pdf import read_pdf
from . import ocr
from .textlayer import DamagedTextLayer, check_text_layer
from .txt import read_txt
from .xlsx import read_xlsx

READERS = {".txt": read_txt, ".docx": read_docx, ".pdf": read_pdf, ".xlsx": read_xlsx,
           ".html": read_html, ".htm": read_html, ".doc": read_office, ".odt": read_office, ".rtf": read_office}


def read_document(path: Path) -> RawDocument:
    """Read any supported file; UnreadableDocument says why one cannot be read."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnreadableDocument(f"{path.name}: the format {path.suffix or '(none)'} is not supported")
    if path.stat().st_size == 0:
        raise UnreadableDocument("the file is empty (0 bytes); copy it again from its source")
    doc = reader(path)
    try:
        return check_text_layer(doc)  # legacy fonts converted, garbage stopped
    except DamagedTextLayer:
        if doc.format != "pdf" or doc.text_layer == "ocr" or ocr.tesseract() is None:
            raise
        return check_text_layer(ocr.read_scanned_pdf(path))  # the pages show text their layer lacks
