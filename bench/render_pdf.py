"""Documents as PDFs with a text layer (reportlab), built so pdfplumber reads them like real ones:
tables drawn with full grid lines (pdfplumber's default `lines` strategy finds them), merged
cells as spans, the header repeated on every page the table runs over; resolutions with the
page number `- 2 -` on top of every page after the first.

The font must carry Vietnamese glyphs: DejaVu Sans, looked up where Debian (fonts-dejavu-core)
and matplotlib put it. `invariant=1` keeps dates and ids out of the file so the bytes depend
only on the content.
"""
from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from bench.documents import MERGEABLE_COLUMNS, ResolutionDocument, TableDocument

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
)
COLUMN_WIDTHS = (34, 320, 92, 140, 170)  # points; fits landscape A4 inside 40 pt margins
REGULAR, BOLD = "BenchSans", "BenchSans-Bold"


def font_candidates(filename: str) -> list[Path]:
    candidates = [d / filename for d in FONT_DIRS]
    try:  # matplotlib ships DejaVu Sans, if it happens to be installed
        import matplotlib

        candidates.append(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / filename)
    except ImportError:
        pass
    return candidates


def find_font(filename: str = "DejaVuSans.ttf") -> Path:
    for path in font_candidates(filename):
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"No {filename} found (looked in {', '.join(str(d) for d in FONT_DIRS)} and matplotlib); "
        "the PDF corpus needs a font with Vietnamese glyphs: apt-get install fonts-dejavu-core")


@cache
def register_fonts() -> None:
    regular = find_font("DejaVuSans.ttf")
    try:
        bold = find_font("DejaVuSans-Bold.ttf")
    except FileNotFoundError:
        bold = regular  # headings lose their weight, the text stays the same
    pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(bold)))


def style(size: float, bold: bool = False, **kwargs) -> ParagraphStyle:
    return ParagraphStyle("s", fontName=BOLD if bold else REGULAR, fontSize=size, leading=size * 1.2, **kwargs)


def markup(text: str) -> str:
    """Paragraph text is XML: escape it, and keep the hard line breaks cells have."""
    return escape(text).replace("\n", "<br/>")


def template(buffer: io.BytesIO, doc: TableDocument | ResolutionDocument, pagesize) -> SimpleDocTemplate:
    return SimpleDocTemplate(buffer, pagesize=pagesize, invariant=1, title=" ".join(doc.title),
                             author="", creator="", producer="bench", subject="",
                             leftMargin=40 if pagesize[0] > pagesize[1] else 3 * cm,
                             rightMargin=40 if pagesize[0] > pagesize[1] else 2 * cm,
                             topMargin=36, bottomMargin=36)


def span_commands(doc: TableDocument) -> list[tuple]:
    """SPAN for section titles (across columns 1-4) and for merged target and agency cells."""
    header = 1  # table row 0 is the header, so document row r is table row r + 1
    commands = [("SPAN", (1, r + header), (4, r + header)) for r, row in enumerate(doc.rows) if row.is_section]
    for column in MERGEABLE_COLUMNS:
        commands += [("SPAN", (column, top + header), (column, bottom + header))
                     for top, bottom in doc.merged_runs(column)]
    return commands


def table_to_pdf(doc: TableDocument) -> bytes:
    register_fonts()
    cell, head = style(9.5), style(9.5, bold=True, alignment=TA_CENTER)
    data = [[Paragraph(markup(t), head) for t in doc.header]]
    for row in doc.rows:
        cells = row.cells + ("",) * (5 - len(row.cells))
        font = head if row.is_section else cell
        data.append([Paragraph(markup(c), font) if c else "" for c in cells])
    table = Table(data, colWidths=COLUMN_WIDTHS, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *span_commands(doc),
    ]))
    buffer = io.BytesIO()
    title = [Paragraph(markup(line), style(12, bold=True, alignment=TA_CENTER)) for line in doc.title]
    template(buffer, doc, landscape(A4)).build([*title, Spacer(1, 8), table])
    return buffer.getvalue()


def draw_page_number(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont(REGULAR, 11)
    canvas.drawCentredString(document.pagesize[0] / 2, document.pagesize[1] - 24, f"- {document.page} -")
    canvas.restoreState()


def signature_table(doc: ResolutionDocument) -> Table:
    """A borderless two-column block, so not a table pdfplumber should report."""
    left = Paragraph("<br/>".join(markup(t) for t in ("Nơi nhận:", *doc.recipients)), style(9))
    right = Paragraph("<br/>".join(markup(t) for t in doc.signature), style(11, bold=True, alignment=TA_CENTER))
    return Table([[left, right]], colWidths=(240, 200))


def resolution_to_pdf(doc: ResolutionDocument) -> bytes:
    register_fonts()
    title = style(12.5, bold=True, alignment=TA_CENTER, spaceAfter=3)
    body = style(12.5, alignment=TA_JUSTIFY, firstLineIndent=1 * cm, spaceAfter=5)
    heading = style(12.5, bold=True, alignment=TA_JUSTIFY, firstLineIndent=1 * cm, spaceAfter=5)
    styles = {"title": title, "paragraph": body, "bullet": body, "heading": heading}
    flowables = [Paragraph(markup(b.text), styles[b.kind]) for b in doc.blocks]
    buffer = io.BytesIO()
    template(buffer, doc, A4).build([*flowables, Spacer(1, 12), signature_table(doc)],
                                    onLaterPages=draw_page_number)
    return buffer.getvalue()


def to_pdf(doc: TableDocument | ResolutionDocument) -> bytes:
    if isinstance(doc, TableDocument):
        return table_to_pdf(doc)
    return resolution_to_pdf(doc)
