"""Word .docx: paragraphs and tables in body order, merged cells read from the XML.

python-docx's table API repeats a merged cell at every grid position it covers and can raise
on irregular grids, so the grid is read from the XML on purpose: `w:gridSpan` gives a
horizontal span, `w:vMerge` without `restart` marks the continuation of a vertical merge.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..model import Cell, Line, RawDocument, Row, Table, UnreadableDocument

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# What a zip archive named .docx really is, by a part only that kind of file has.
_OTHER_PACKAGES = (
    ("xl/workbook.xml", "an Excel workbook (.xlsx)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
    ("content.xml", "an OpenDocument file (.odt/.ods)"),
)

_DAMAGED = "the .docx is damaged or truncated ({}); open it in Word to repair it, or get a complete copy"


def _open(path: Path):
    import zlib

    import docx  # python-docx: opening the package is its job; the body we walk ourselves
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    if not zipfile.is_zipfile(path):
        head = path.read_bytes()[:8]
        if head.startswith(b"PK\x03\x04"):  # a zip whose end (the directory of its parts) is missing
            raise UnreadableDocument(_DAMAGED.format("its end is missing"))
        kind = "an old Word .doc file" if head.startswith(b"\xd0\xcf\x11\xe0") else "not a Word .docx file"
        raise UnreadableDocument(
            f"the file is {kind} (a .docx is a zip archive); open it in Word or LibreOffice and save it as .docx"
        )
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        raise UnreadableDocument(_DAMAGED.format("its list of parts is broken")) from None
    if "word/document.xml" not in names:
        kind = next((k for part, k in _OTHER_PACKAGES if part in names), "a zip archive of other files")
        raise UnreadableDocument(
            f"the file is {kind}, not a Word document; give it its right extension, "
            f"or open it and save it as .docx"
        )
    try:
        return docx.Document(str(path))
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise UnreadableDocument(_DAMAGED.format("a part of it cannot be unpacked")) from None
    except XMLSyntaxError:
        raise UnreadableDocument(_DAMAGED.format("its XML is cut short or garbled")) from None
    except (PackageNotFoundError, KeyError, ValueError):
        raise UnreadableDocument(_DAMAGED.format("a part of it is missing or malformed")) from None


def _text(element) -> str:
    """The text of a paragraph or cell; line breaks and tabs become spaces."""
    parts = []
    for node in element.iter(f"{W}t", f"{W}br", f"{W}tab", f"{W}cr", f"{W}p"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        else:
            parts.append(" ")
    return "".join(parts).strip()


def _grid_cells(tr) -> list[Cell]:
    cells = []
    trPr = tr.find(f"{W}trPr")
    before = trPr.find(f"{W}gridBefore") if trPr is not None else None
    if before is not None:
        cells.extend(Cell("") for _ in range(int(before.get(f"{W}val", "0"))))
    for tc in tr.findall(f"{W}tc"):
        tcPr = tc.find(f"{W}tcPr")
        span, continued = 1, False
        if tcPr is not None:
            gs = tcPr.find(f"{W}gridSpan")
            span = int(gs.get(f"{W}val", "1")) if gs is not None else 1
            vm = tcPr.find(f"{W}vMerge")
            continued = vm is not None and vm.get(f"{W}val", "continue") != "restart"
        cells.append(Cell("" if continued else _text(tc), merged_above=continued, span=span))
    return cells


def read_docx(path: Path) -> RawDocument:
    body = _open(path).element.body
    tables, lines, paragraph = [], [], 0
    for child in body.iterchildren():
        if child.tag == f"{W}p":
            paragraph += 1
            text = _text(child)
            if text:
                lines.append(Line(text, paragraph))
        elif child.tag == f"{W}tbl":
            rows = tuple(Row(tuple(_grid_cells(tr)), index=i) for i, tr in enumerate(child.iter(f"{W}tr"), 1))
            tables.append(Table(rows, index=len(tables) + 1))
    return RawDocument("docx", tables=tuple(tables), lines=tuple(lines), line_label="paragraph")
