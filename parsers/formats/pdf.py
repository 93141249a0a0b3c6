"""PDF with a text layer: ruled tables across page breaks, and the prose around them.

Each page is read by pdfium (in C) where it can be read as pdfplumber would read it: its
characters and ruling edges (pdfium_page.py), tables found by pdfplumber's own finder on those
edges, cells and lines put together on arrays (pdfium_tables.py, textmap.py). The few pages it
cannot serve (rotated, rotated text, legacy fonts, a ruling inside a form) are read through
pdfplumber, as every page once was (pdf_pages.py). A file whose bytes are plainly sound
(pdfscan.py: not encrypted, a valid cross-reference table, every content stream unpacking
whole) is not opened by pdfminer unless a page needs pdfplumber; any other file is, first, to
tell damaged, encrypted and truncated files apart, and each page's content is checked there.

pdfplumber returns None for a grid position covered by a merged cell. A None to the right
of a cell that spans it is a horizontal merge; any other None continues the cell above. A
table cut by a page break goes on at the top of the next page: its first row may be the
tail of the last row (a row split across pages) and a merged cell cut there shows its text
only on the first page, so its blanks there are continuations, marked as guessed.
"""
from __future__ import annotations

from pathlib import Path

from . import ocr
from .legacy import starts_with_legacy_small_letter
from .limits import MAX_PDF_PAGES
from .textlayer import is_garbage, reads_badly
from .markers import split_marker
from .pdf_pages import PdfiumView, PlumberView
from .pdfcodes import amend_page_chars
from .pdfscan import plainly_sound
from .pdfium_page import read_page
from .pdfium_text import open_pdfium as _open_pdfium
from ..model import Cell, Line, RawDocument, Row, Table, UnreadableDocument

_TOP_OF_PAGE = 0.15  # a table starting in the top 15% of a page may continue the last one


def _guard_reference_loops() -> None:
    """pdfminer follows an indirect reference until it reaches an object; a file whose '5 0 R'
    is '6 0 R', which is '5 0 R' again, keeps it going forever. Following a chain of references
    at most once per object turns such a loop into a damaged file."""
    from pdfminer.pdftypes import PDFObjRef

    if getattr(PDFObjRef.resolve, "guards_loops", False):
        return
    resolve = PDFObjRef.resolve

    def resolve_once(self, default=None):
        seen, x = {self.objid}, resolve(self, default)
        while isinstance(x, PDFObjRef):
            if x.objid in seen:
                raise UnreadableDocument(
                    "the PDF is damaged: its objects refer to each other in a loop; get a complete copy of the file")
            seen.add(x.objid)
            x = resolve(x, default)
        return x

    resolve_once.guards_loops = True
    PDFObjRef.resolve = resolve_once


def _check_header(path: Path) -> None:
    with open(path, "rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:  # readers allow some bytes before the header, not its absence
        kind = ("a zip archive (a .docx or .xlsx?)" if head.startswith(b"PK\x03\x04")
                else "an old Office file (.doc/.xls?)" if head.startswith(b"\xd0\xcf\x11\xe0")
                else "a text file" if _is_text(head) else "another format")
        raise UnreadableDocument(
            f"the file is not a PDF (it has no PDF header; it looks like {kind}); give it its right extension"
        )


def _open(path: Path):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect, PDFEncryptionError
    from pdfminer.pdfparser import PDFSyntaxError

    _guard_reference_loops()
    try:
        pdf = pdfplumber.open(str(path))
        pdf.pages  # forces the page tree to be read
        return pdf
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise UnreadableDocument("the PDF is password-protected; ask its sender for an unprotected copy") from None
    except (PDFSyntaxError, Exception) as e:  # pdfminer raises many types for damaged files
        if "password" in str(e).lower() or type(e).__name__ == "PdfminerException" and "Password" in repr(e):
            raise UnreadableDocument("the PDF is password-protected; ask its sender for an unprotected copy") from None
        raise UnreadableDocument("the PDF is damaged or truncated; get a complete copy of the file") from None


class _Pages:
    """A document's pages as the reader walks them. A file pdfium opens and finds plainly
    sound (pdfscan.py) is read by pdfium alone, pdfminer opened only if a page needs
    pdfplumber; any other file is opened by pdfminer first, which tells a damaged, truncated
    or encrypted one apart and checks each page's content as the page comes."""

    def __init__(self, path: Path) -> None:
        import pypdfium2.raw as pdfium_c

        self.path, self.pdf, self.pdfium, self.checks = path, None, None, True
        _check_header(path)
        document = _open_pdfium(path, None)
        if document is not None:
            count = pdfium_c.FPDF_GetPageCount(document)
            if pdfium_c.FPDF_DocumentHasValidCrossReferenceTable(document) and plainly_sound(path.read_bytes(), count):
                self.pdfium, self.count, self.checks = document, count, False
                return
            pdfium_c.FPDF_CloseDocument(document)
        self.pdf = _open(path)
        self.count = len(self.pdf.pages)
        if self.count <= MAX_PDF_PAGES:
            self.pdfium = _open_pdfium(path, self.count)

    def checked(self, page_no: int) -> None:
        """Fails a page whose content does not unpack (a sound file's all do)."""
        if self.checks:
            _check_content(self.pdf.pages[page_no - 1], page_no)

    def plumber_page(self, index: int):
        """pdfplumber's page, pdfminer opening the file at the first call on a sound one."""
        if self.pdf is None:
            self.pdf = _open(self.path)
        return self.pdf.pages[index]

    def done(self, index: int) -> None:
        if self.pdf is not None:
            self.pdf.pages[index].close()  # drop its parsed objects: a long document need not hold every page's

    def close(self) -> None:
        import pypdfium2.raw as pdfium_c

        if self.pdfium is not None:
            pdfium_c.FPDF_CloseDocument(self.pdfium)
        if self.pdf is not None:
            self.pdf.close()


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        return e.start >= len(head) - 3  # only a character cut at the end of the sample
    return True


def _check_content(page, page_no: int) -> None:
    """A page whose compressed content is damaged reads as empty (pdfminer) or stops at the
    damage (pdfium), without a word: its targets would be lost in silence. Say so instead.
    The filters writers use for content (Flate, alone or under ASCII85 or ASCIIHex) are
    undone in turn, after decryption; a chain with another filter is checked up to it."""
    import zlib

    from pdfminer.ascii85 import ascii85decode, asciihexdecode
    from pdfminer.pdftypes import (LITERALS_ASCII85_DECODE, LITERALS_ASCIIHEX_DECODE, LITERALS_FLATE_DECODE,
                                   PDFStream, decompress_corrupted, resolve1)

    for stream in page.page_obj.contents:
        stream = resolve1(stream)
        if not isinstance(stream, PDFStream) or stream.rawdata is None:
            continue  # already decoded
        data = stream.rawdata
        if stream.decipher:
            data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
        try:
            for name, _ in stream.get_filters():
                if name in LITERALS_FLATE_DECODE:
                    try:
                        data = zlib.decompress(data)
                    except zlib.error:
                        data = decompress_corrupted(data)  # pdfminer's own repair: a bad checksum only
                elif name in LITERALS_ASCII85_DECODE:
                    data = ascii85decode(data)
                elif name in LITERALS_ASCIIHEX_DECODE:
                    data = asciihexdecode(data)
                else:
                    break
        except (zlib.error, ValueError):
            raise UnreadableDocument(
                f"the PDF is damaged: the content of page {page_no} cannot be unpacked, so its text "
                f"would be lost; get a complete copy of the file"
            ) from None


def _row_cells(geometry: list, columns: list[tuple[float, float]], text_row: list) -> list[Cell]:
    """Turn pdfplumber's row (None for covered positions) into Cells: `geometry` is the row's
    cell boxes, `columns` the table's column spans."""
    cells: list[Cell] = []
    for j, text in enumerate(text_row):
        if text is not None:
            cells.append(Cell(text.replace("\n", " ").strip()))
            continue
        left = next((geometry[k] for k in range(j - 1, -1, -1) if geometry[k] is not None), None)
        if left is not None and j < len(columns) and left[2] > columns[j][0] + 1 and cells:
            last = cells.pop()
            cells.append(Cell(last.text, last.merged_above, last.span + 1, last.guessed_merge))
        else:
            cells.append(Cell("", merged_above=True))
    return cells


def _join_fragment(previous: Row, fragment: list[Cell]) -> Row:
    """A row split across a page break: append the tail's text cell by cell."""
    joined = []
    for a, b in zip(previous.cells, fragment):
        text = f"{a.text} {b.text}".strip() if b.text else a.text
        joined.append(Cell(text, a.merged_above and not b.text, a.span, a.guessed_merge))
    return Row(tuple(joined) + previous.cells[len(joined):], previous.index, previous.page)


def _is_tail_of_split_row(cells: list[Cell]) -> bool:
    """The first row on a new page continues the last one when it has no number of its own
    and its text starts mid-sentence (lower case, in a legacy encoding too: not yet converted)."""
    from ...normalizers.text import is_lower_start  # text predicate shared with the prose reader

    texts = [c.text for c in cells]
    return bool(texts) and not texts[0] and any(texts) and all(
        not t or is_lower_start(t) or starts_with_legacy_small_letter(t) for t in texts[1:]
    )


def _needs_ocr(view) -> bool:
    """A page whose text layer is missing (no characters, but images: a scanned page),
    garbage that no legacy encoding explains, or a scanned page whose own OCR layer reads as
    no Vietnamese (a scanner's OCR without the Vietnamese model); its text is read by OCR
    instead. A page without characters or images is blank. Garbage is left to the document's
    gate when Tesseract is not installed."""
    text = view.text()
    if text.strip():
        if ocr.tesseract() is None:
            return False
        if is_garbage([text]):
            return True
        # a scan with the scanner's own OCR layer (an image under the text): read again where that
        # layer reads as no Vietnamese; the words are put together only for such a page
        if not view.has_image():
            return False
        return reads_badly([view.words_text()])
    return view.has_image()


def _view(pages: _Pages, index: int):
    """The page through pdfium when it can read it as pdfplumber would, else through pdfplumber."""
    import pypdfium2.raw as pdfium_c

    if pages.pdfium is not None:
        handle = pdfium_c.FPDF_LoadPage(pages.pdfium, index)
        if handle:
            try:
                read = read_page(pdfium_c, handle)
            finally:
                pdfium_c.FPDF_ClosePage(handle)
            if read is not None:
                return PdfiumView(read)
    page = pages.plumber_page(index)
    amend_page_chars(pages.pdf, page)  # legacy fonts' characters read from their codes
    return PlumberView(page, pages.pdfium, index)


def read_pdf(path: Path) -> RawDocument:
    pages = _Pages(path)
    try:
        if pages.count > MAX_PDF_PAGES:
            raise UnreadableDocument(f"the PDF has {pages.count} pages, over the limit of {MAX_PDF_PAGES}; "
                                     f"split it into the parts that hold targets")
        tables: list[Table] = []
        lines: list[Line] = []
        rows: list[Row] = []
        open_table = False  # the last table ran to the bottom of its page and may go on
        text_chars = 0
        table_line = 0
        reads, unread, low = {}, [], 0  # pages read by OCR, their doubtful lines and cells; pages that need it without Tesseract
        for page_no in range(1, pages.count + 1):
            pages.checked(page_no)
            view = _view(pages, page_no - 1)
            if _needs_ocr(view):
                if ocr.tesseract() is None:
                    unread.append(page_no)
                else:  # read by OCR, its tables joined to those of the pages around as a scan's are
                    reads[page_no] = ocr.read_pages(path, [page_no])[page_no]
                    gathered = ocr.Pages(tables, lines, rows, open_table, table_line, low)
                    gathered.add(page_no, reads[page_no])
                    rows, open_table, table_line, low = gathered.rows, gathered.open_table, gathered.after, gathered.low
                pages.done(page_no - 1)
                continue
            text_chars += view.characters
            found = view.tables()
            for table in found:
                view.set_aside(table.bbox)
            for t_i, table in enumerate(found):
                continues = open_table and t_i == 0 and table.bbox[1] < view.height * _TOP_OF_PAGE
                if not continues and rows:
                    tables.append(Table(tuple(rows), index=len(tables) + 1, after_line=table_line))
                    rows = []
                if not rows:  # reading order: after the lines of the pages before and this page's lines above it
                    table_line = len(lines) + view.lines_above(table.bbox[1])
                grid = table.rows  # pdfplumber works its rows and columns out anew at each call
                columns = [(c.bbox[0], c.bbox[2]) for c in table.columns]
                for r_i, text_row in enumerate(view.rows(table, grid)):
                    cells = _row_cells(grid[r_i].cells, columns, text_row)
                    if continues and r_i == 0 and rows:
                        if _is_tail_of_split_row(cells):
                            rows[-1] = _join_fragment(rows[-1], cells)
                            continue
                        cells = [Cell(c.text, True, c.span, True) if not c.text and not c.merged_above else c for c in cells]
                    rows.append(Row(tuple(cells), index=len(rows) + 1, page=page_no))
                open_table = table.bbox[3] > view.height * 0.8
            if not found:
                open_table = False
            for line, x0, bold in view.lines():
                if line.strip():
                    marker, rest = split_marker(line)
                    lines.append(Line(rest if marker else line, len(lines) + 1, page_no, marker=marker,
                                      indent=x0, bold=bold))
            pages.done(page_no - 1)
        if rows:
            tables.append(Table(tuple(rows), index=len(tables) + 1, after_line=table_line))
        if text_chars == 0:  # a scan: every page is read by OCR (fails saying what to install without it)
            return ocr.scanned(reads, pages.count) if reads else ocr.read_scanned_pdf(path)
        if unread:
            raise UnreadableDocument(
                f"page(s) {', '.join(map(str, unread))} of the PDF have no text layer (images, probably scanned) "
                f"and OCR needs Tesseract with its Vietnamese model, which is not installed; install it ({ocr.INSTALL})")
        if reads:  # some pages read by OCR: say which, as a scan does
            return RawDocument("pdf", tables=tuple(tables), lines=tuple(lines), pages=pages.count,
                               notes=ocr.ocr_notes(list(reads), low), text_layer="ocr")
        return RawDocument("pdf", tables=tuple(tables), lines=tuple(lines), pages=pages.count)
    finally:
        pages.close()
