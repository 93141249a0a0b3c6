"""Format readers: one per file format, each returning a RawDocument."""
from __future__ import annotations

from pathlib import Path

from ..model import RawDocument, UnreadableDocument
from .docx import read_docx
from .html import read_html
from .markdown import read_markdown
from .office import read_office
from .pdf import read_pdf
from . import limits, ocr
from .textlayer import DamagedTextLayer, check_text_layer
from .txt import read_txt
from .xlsx import read_xlsx

READERS = {".txt": read_txt, ".docx": read_docx, ".pdf": read_pdf, ".xlsx": read_xlsx,
           ".html": read_html, ".htm": read_html, ".md": read_markdown, ".markdown": read_markdown, ".doc": read_office, ".odt": read_office, ".rtf": read_office}


def read_document(path: Path, suffix: str | None = None) -> RawDocument:
    """Read any supported file; UnreadableDocument says why one cannot be read. `suffix`
    names the format when `path` does not (an opened file's /proc/self/fd/N)."""
    suffix = (suffix if suffix is not None else path.suffix).lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise UnreadableDocument(f"{path.name}: the format {suffix or '(none)'} is not supported")
    if path.stat().st_size == 0:
        raise UnreadableDocument("the file is empty (0 bytes); copy it again from its source")
    limits.check_file_size(path)
    if suffix in (".txt", ".md", ".markdown"):
        check_plain_text(path)
    # LibreOffice is handed a copy under a name of ours; it needs the format the name says
    doc = read_office(path, suffix) if reader is read_office else reader(path)
    try:
        return check_text_layer(doc)  # legacy fonts converted, garbage stopped
    except DamagedTextLayer:
        if doc.format != "pdf" or doc.text_layer == "ocr" or ocr.tesseract() is None:
            raise
        return check_text_layer(ocr.read_scanned_pdf(path))  # the pages show text their layer lacks


# What a file named .txt really is, by its first bytes.
_NOT_TEXT = (
    (b"PK\x03\x04", "a zip archive (a Word .docx, an Excel .xlsx or an OpenDocument file)"),
    (b"%PDF-", "a PDF"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.doc or .xls)"),
    (b"{\\rtf", "an RTF document"),
)


def check_plain_text(path: Path) -> None:
    """A .txt within the text limit, and text at all: another format renamed .txt is called
    what it is instead of 'not UTF-8'."""
    with open(path, "rb") as f:
        head = f.read(8)
    kind = next((k for magic, k in _NOT_TEXT if head.startswith(magic)), None)
    if kind:
        raise UnreadableDocument(f"the file is {kind}, not plain text; give it its right extension")
    limits.check_file_size(path, limits.MAX_TEXT_BYTES, "the text")
