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


def _open(path: Path):
    import docx  # python-docx: opening the package is its job; the body we walk ourselves
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(path):
        head = path.read_bytes()[:8]
        kind = "an old Word .doc file" if head.startswith(b"\xd0\xcf\x11\xe0") else "not a Word .docx file"
        raise UnreadableDocument(
            f"the file is {kind} (a .docx is a zip archive); open it in Word or LibreOffice and save it as .docx"
        )
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile, ValueError) as e:
        raise UnreadableDocument(
            f"the .docx is damaged or incomplete ({type(e).__name__}); open it in Word to repair it, or get a fresh copy"
        ) from None


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
