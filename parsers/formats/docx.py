"""Word .docx: paragraphs and tables in body order, merged cells read from the XML.

Only the main document part is read: the package's relationships name it, and lxml parses
it. python-docx would load and parse every part of the package (styles, numbering, themes,
headers…) to hand back the same body, at more than ten times the cost on a batch. Its
table API also repeats a merged cell at every grid position it covers and can raise on
irregular grids, so the grid is read from the XML on purpose: `w:gridSpan` gives a
horizontal span, `w:vMerge` without `restart` marks the continuation of a vertical merge.
"""
from __future__ import annotations

import posixpath
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from .markers import split_marker
from .wordlists import WordLists
from . import limits
from ..model import Cell, Line, RawDocument, Row, Table, UnreadableDocument

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# The package relationship that points at the main document (transitional and strict OOXML).
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
)
# No entity expansion and no network: the XML comes from someone else's file.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)

# What a zip archive named .docx really is, by a part only that kind of file has.
_OTHER_PACKAGES = (
    ("xl/workbook.xml", "an Excel workbook (.xlsx)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
    ("content.xml", "an OpenDocument file (.odt/.ods)"),
)

_DAMAGED = "the .docx is damaged or truncated ({}); open it in Word to repair it, or get a complete copy"


def _open(path: Path):
    """The `w:body` element of the document's main part."""
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
            limits.check_package(z)
            names = set(z.namelist())
            main = _main_part(z, names)
            root = limits.parse_xml(limits.read_part(z, main)) if main else None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
        raise UnreadableDocument(_DAMAGED.format("a part of it cannot be unpacked")) from None
    except etree.XMLSyntaxError as e:
        if "entity" in str(e).lower():  # libxml2 stops entities that expand past its limit
            raise UnreadableDocument(
                "the .docx is not an ordinary document: its XML defines entities that expand without "
                "bound (an XML entity bomb); do not open it, and check where it came from") from None
        raise UnreadableDocument(_DAMAGED.format("its XML is cut short or garbled")) from None
    if root is None or root.tag != f"{W}document":
        kind = next((k for part, k in _OTHER_PACKAGES if part in names), "a zip archive of other files")
        raise UnreadableDocument(
            f"the file is {kind}, not a Word document; give it its right extension, "
            f"or open it and save it as .docx"
        )
    body = root.find(f"{W}body")
    if body is None:
        raise UnreadableDocument(_DAMAGED.format("its main part has no document body"))
    return body


def _main_part(z: zipfile.ZipFile, names: set[str]) -> str | None:
    """The name of the main document part: where the package relationships point, else
    the usual place; None when there is no Word document in the package."""
    if "_rels/.rels" in names:
        try:
            rels = limits.parse_xml(limits.read_part(z, "_rels/.rels", limits.MB))
        except etree.XMLSyntaxError:
            rels = None
        for rel in rels.iter(_RELATIONSHIPS) if rels is not None else ():
            if rel.get("Type") in _OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
                target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                if target in names:
                    return target
    return "word/document.xml" if "word/document.xml" in names else None


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


def _paragraph_line(p, number: int, lists: WordLists) -> Line | None:
    """A paragraph as a Line: its Word number or typed marker split off, its numbering
    level, indentation, weight and heading style."""
    text = _text(p)
    ppr = p.find(f"{W}pPr")
    style = lists.style(ppr.find(f"{W}pStyle").get(f"{W}val") if ppr is not None and ppr.find(f"{W}pStyle") is not None else None)
    numpr = ppr.find(f"{W}numPr") if ppr is not None else None
    num = None
    if numpr is not None and numpr.find(f"{W}numId") is not None:
        ilvl = numpr.find(f"{W}ilvl")
        num = (numpr.find(f"{W}numId").get(f"{W}val"), int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0)
    num = num or style.num
    marker = lists.marker(*num) if num else None
    if not text:
        return None
    level = num[1] if num else style.outline
    outline = ppr.find(f"{W}outlineLvl") if ppr is not None else None
    if outline is not None and outline.get(f"{W}val", "").isdigit():
        level = int(outline.get(f"{W}val"))
    if marker is None:
        marker, rest = split_marker(text)
        text = rest if marker else text
    ind = ppr.find(f"{W}ind") if ppr is not None else None
    left = ind.get(f"{W}left") or ind.get(f"{W}start") if ind is not None else None
    runs = [r for r in p.iter(f"{W}r") if "".join(t.text or "" for t in r.iter(f"{W}t")).strip()]
    bold = bool(runs) and all(_run_bold(r) for r in runs) or style.bold and not any(_run_not_bold(r) for r in runs)
    return Line(text, number, marker=marker, level=level,
                indent=int(left) / 20 if left and left.lstrip("-").isdigit() else None,
                bold=bold, heading=style.heading or (outline is not None and style.outline is None and level is not None and not num))


def _run_bold(r) -> bool:
    b = r.find(f"{W}rPr/{W}b")
    return b is not None and b.get(f"{W}val", "1") not in ("0", "false")


def _run_not_bold(r) -> bool:
    b = r.find(f"{W}rPr/{W}b")
    return b is not None and b.get(f"{W}val", "1") in ("0", "false")


def read_docx(path: Path) -> RawDocument:
    body = _open(path)
    lists = WordLists.load(path)
    tables, lines, paragraph = [], [], 0
    for child in body.iterchildren():
        if child.tag == f"{W}p":
            paragraph += 1
            line = _paragraph_line(child, paragraph, lists)
            if line is not None:
                lines.append(line)
        elif child.tag == f"{W}tbl":
            rows = tuple(Row(tuple(_grid_cells(tr)), index=i) for i, tr in enumerate(child.iter(f"{W}tr"), 1))
            tables.append(Table(rows, index=len(tables) + 1, after_line=paragraph))
    return RawDocument("docx", tables=tuple(tables), lines=tuple(lines), line_label="paragraph")
