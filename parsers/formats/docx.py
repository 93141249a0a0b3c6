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
import re
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from .legacy import convert_run, legacy_font
from .markers import split_marker
from .wordlists import WordLists, run_font
from . import limits
from ..model import Cell, Line, RawDocument, Row, Table, UnreadableDocument

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Tags of the main part, spelled once (the readers below ask for them tens of thousands of times)
_BR = f"{W}br"
_CR = f"{W}cr"
_GRIDBEFORE = f"{W}gridBefore"
_GRIDSPAN = f"{W}gridSpan"
_GRIDCOL = f"{W}tblGrid/{W}gridCol"  # the table's columns, as its grid declares them
_ILVL = f"{W}ilvl"
_IND = f"{W}ind"
_LEFT = f"{W}left"
_NUMID = f"{W}numId"
_NUMPR = f"{W}numPr"
_OUTLINELVL = f"{W}outlineLvl"
_P = f"{W}p"
_PPR = f"{W}pPr"
_PSTYLE = f"{W}pStyle"
_R = f"{W}r"
_START = f"{W}start"
_T = f"{W}t"
_TAB = f"{W}tab"
_TBL = f"{W}tbl"
_TC = f"{W}tc"
_TCPR = f"{W}tcPr"
_TR = f"{W}tr"
_TRPR = f"{W}trPr"
_VAL = f"{W}val"
_VMERGE = f"{W}vMerge"
_RPR_B = f"{W}rPr/{W}b"
_RPR = f"{W}rPr"
_RSTYLE = f"{W}rStyle"
_FONT_NAME = re.compile(rb'w:(?:ascii|hAnsi)="([^"]*)"')
_TEXT_TAGS = (_T, _BR, _TAB, _CR, _P)  # text, and what reads as a space
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
    """The `w:body` element of the document's main part, and the fonts its runs name."""
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
            data = limits.read_part(z, main) if main else None
            root = limits.parse_xml(data) if main else None
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
    return body, {name.decode("utf-8", "replace") for name in set(_FONT_NAME.findall(data))}


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


def _text(element, fonts: "_RunFonts | None" = None) -> str:
    """The text of a paragraph or cell; line breaks and tabs become spaces. With `fonts` (the
    document names a legacy font), each run in a legacy font is converted on its own."""
    if fonts is None:
        return "".join((node.text or "") if node.tag == _T else " " for node in element.iter(_TEXT_TAGS)).strip()
    parts, started = [], False
    for node in element.iter(_TEXT_TAGS):
        if node.tag != _T:
            parts.append(" ")
            continue
        text = node.text or ""
        if text.strip() and (legacy := fonts.of(node.getparent())):
            text = convert_run(text, *legacy, starts_sentence=not started)
            fonts.seen.add(legacy[0])
        started = started or bool(text.strip())
        parts.append(text)
    return "".join(parts).strip()


class _RunFonts:
    """The legacy font of each run, as Word resolves a run's font: its own w:rFonts, its
    character style's, its paragraph style's, the document's default. A document mixes
    fonts run by run (a TCVN3 body retouched in Unicode), so each run is judged on its own."""

    def __init__(self, lists: WordLists):
        self.lists = lists
        self.seen: set[str] = set()  # the legacy encodings converted

    def of(self, run) -> tuple[str, bool] | None:
        if run is None or run.tag != _R:
            return None
        rpr = run.find(_RPR)
        name = run_font(rpr)
        if name is None and rpr is not None and (rstyle := rpr.find(_RSTYLE)) is not None:
            name = self.lists.style(rstyle.get(_VAL)).font
        if name is None:
            p = run.getparent()
            while p is not None and p.tag != _P:
                p = p.getparent()
            ppr = p.find(_PPR) if p is not None else None
            pstyle = ppr.find(_PSTYLE) if ppr is not None else None
            name = self.lists.style(pstyle.get(_VAL) if pstyle is not None else "Normal").font or self.lists.default_font
        return legacy_font(name)


def _count(text: str) -> int:
    """A count the XML gives (a span, cells skipped); 0 when it is no number."""
    text = text.strip()[:9]
    return int(text) if text.isdigit() else 0


def _grid_cells(tr, columns: int, fonts: _RunFonts | None = None) -> list[Cell]:
    """A row's cells; spans no wider than the table's grid (`columns`: its w:gridCol count)."""
    cells = []
    trPr = tr.find(_TRPR)
    before = trPr.find(_GRIDBEFORE) if trPr is not None else None
    if before is not None:
        cells.extend(Cell("") for _ in range(min(_count(before.get(_VAL, "0")), columns)))
    for tc in tr.iterchildren(_TC):
        span, continued = 1, False
        tcPr = tc.find(_TCPR)
        if tcPr is not None:
            for prop in tcPr:  # one pass over the cell's properties, not a search for each
                if prop.tag == _GRIDSPAN:
                    span = limits.span(_count(prop.get(_VAL, "1")), columns)
                elif prop.tag == _VMERGE:
                    continued = prop.get(_VAL, "continue") != "restart"
        cells.append(Cell("" if continued else _text(tc, fonts), merged_above=continued, span=span))
    return cells


def _paragraph_line(p, number: int, lists: WordLists, fonts: _RunFonts | None = None) -> Line | None:
    """A paragraph as a Line: its Word number or typed marker split off, its numbering
    level, indentation, weight and heading style."""
    text = _text(p, fonts)
    ppr = p.find(_PPR)
    style = lists.style(ppr.find(_PSTYLE).get(_VAL) if ppr is not None and ppr.find(_PSTYLE) is not None else None)
    numpr = ppr.find(_NUMPR) if ppr is not None else None
    num = None
    if numpr is not None and numpr.find(_NUMID) is not None:
        ilvl = numpr.find(_ILVL)
        num = (numpr.find(_NUMID).get(_VAL), int(ilvl.get(_VAL, "0")) if ilvl is not None else 0)
    num = num or style.num
    marker = lists.marker(*num) if num else None
    if not text:
        return None
    level = num[1] if num else style.outline
    outline = ppr.find(_OUTLINELVL) if ppr is not None else None
    if outline is not None and outline.get(_VAL, "").isdigit():
        level = int(outline.get(_VAL))
    if marker is None:
        marker, rest = split_marker(text)
        text = rest if marker else text
    ind = ppr.find(_IND) if ppr is not None else None
    left = ind.get(_LEFT) or ind.get(_START) if ind is not None else None
    runs = [r for r in p.iter(_R) if "".join(t.text or "" for t in r.iter(_T)).strip()]
    bold = bool(runs) and all(_run_bold(r) for r in runs) or style.bold and not any(_run_not_bold(r) for r in runs)
    return Line(text, number, marker=marker, level=level,
                indent=int(left) / 20 if left and left.lstrip("-").isdigit() else None,
                bold=bold, heading=style.heading or (outline is not None and style.outline is None and level is not None and not num))


def _run_bold(r) -> bool:
    b = r.find(_RPR_B)
    return b is not None and b.get(_VAL, "1") not in ("0", "false")


def _run_not_bold(r) -> bool:
    b = r.find(_RPR_B)
    return b is not None and b.get(_VAL, "1") in ("0", "false")


def read_docx(path: Path) -> RawDocument:
    body, font_names = _open(path)
    lists = WordLists.load(path)
    # Runs are judged by their fonts only where a legacy font is named at all (in the body or
    # the styles): an ordinary document is read in one pass over its text.
    fonts = _RunFonts(lists) if any(legacy_font(n) for n in font_names | _style_fonts(lists)) else None
    tables, lines, paragraph = [], [], 0
    for child in body.iterchildren():
        if child.tag == _P:
            paragraph += 1
            line = _paragraph_line(child, paragraph, lists, fonts)
            if line is not None:
                lines.append(line)
        elif child.tag == _TBL:
            columns = limits.span(len(child.findall(_GRIDCOL)) or limits.MAX_COLUMNS)
            rows = tuple(Row(tuple(_grid_cells(tr, columns, fonts)), index=i) for i, tr in enumerate(child.iter(_TR), 1))
            tables.append(Table(rows, index=len(tables) + 1, after_line=paragraph))
    if fonts is not None and fonts.seen:
        return RawDocument("docx", tables=tuple(tables), lines=tuple(lines), line_label="paragraph",
                           text_layer="legacy_font_converted",
                           notes=tuple(f"legacy_encoding:{e}" for e in sorted(fonts.seen)))
    return RawDocument("docx", tables=tuple(tables), lines=tuple(lines), line_label="paragraph")


def _style_fonts(lists: WordLists) -> set[str]:
    return {name.decode("utf-8", "replace") for name in set(_FONT_NAME.findall(lists.styles_xml))}
