"""Documents as Word files (python-docx), with the merges done the way Word stores them:
section titles as a horizontal merge (`w:gridSpan`), shared agency and target cells as
vertical merges (`w:vMerge`), as in `seeds/rendered/000_*.docx`.
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from bench.documents import MERGEABLE_COLUMNS, ResolutionDocument, TableDocument

COLUMN_WIDTHS_CM = (1.3, 10.5, 2.8, 4.5, 5.6)
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # zip entries carry this fixed time so equal content is equal bytes


def new_document(doc: TableDocument | ResolutionDocument) -> docx.Document:
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12 if isinstance(doc, TableDocument) else 13)
    props = document.core_properties
    props.title = " ".join(doc.title)
    props.author = props.last_modified_by = ""
    # python-docx would stamp nothing else, but pin the dates so the bytes depend on content only.
    props.created = props.modified = datetime(doc.year - 1, 12, 20, tzinfo=timezone.utc)
    return document


def add_centered(document: docx.Document, text: str, bold: bool = True) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(text).bold = bold


def set_landscape(document: docx.Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(1.5)


def repeat_as_header(row) -> None:
    """Mark the row as the table's header so Word repeats it on every page."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def table_to_docx(doc: TableDocument) -> bytes:
    document = new_document(doc)
    set_landscape(document)
    for line in doc.title:
        add_centered(document, line)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for column, width in zip(table.columns, COLUMN_WIDTHS_CM):
        column.width = Cm(width)
    for cell, text in zip(table.rows[0].cells, doc.header):
        cell.text = text
    repeat_as_header(table.rows[0])
    grid = []
    for row in doc.rows:
        cells = table.add_row().cells
        grid.append(cells)
        if row.is_section:
            cells[0].text = row.cells[0]
            cells[1].merge(cells[4]).text = row.cells[1]
        else:
            for cell, text in zip(cells, row.cells):
                cell.text = text or ""
    for column in MERGEABLE_COLUMNS:
        for top, bottom in doc.merged_runs(column):
            grid[top][column].merge(grid[bottom][column])
    return save(document)


def add_signature(document: docx.Document, doc: ResolutionDocument) -> None:
    """The closing block is a borderless two-column table in real resolutions (seed 004)."""
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = "\n".join(("Nơi nhận:", *doc.recipients))
    right.text = "\n".join(doc.signature)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def resolution_to_docx(doc: ResolutionDocument) -> bytes:
    document = new_document(doc)
    for block in doc.blocks:
        if block.kind == "title":
            add_centered(document, block.text)
            continue
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1)
        paragraph.add_run(block.text).bold = block.kind == "heading"
    add_signature(document, doc)
    return save(document)


def save(document: docx.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return with_fixed_zip_times(buffer.getvalue())


def with_fixed_zip_times(data: bytes) -> bytes:
    """python-docx stamps every zip entry with the current time; rewrite them with a fixed one."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, ZIP_EPOCH), source.read(info),
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def to_docx(doc: TableDocument | ResolutionDocument) -> bytes:
    if isinstance(doc, TableDocument):
        return table_to_docx(doc)
    return resolution_to_docx(doc)
