"""PDF with a text layer, through pdfplumber: ruled tables across page breaks, and lines.

pdfplumber returns None for a grid position covered by a merged cell. A None to the right
of a cell that spans it is a horizontal merge; any other None continues the cell above. A
table cut by a page break goes on at the top of the next page: its first row may be the
tail of the last row (a row split across pages) and a merged cell cut there shows its text
only on the first page, so its blanks there are continuations, marked as guessed.
"""
from __future__ import annotations

from pathlib import Path

from ..model import Cell, Line, RawDocument, Row, Table, UnreadableDocument

_TOP_OF_PAGE = 0.15  # a table starting in the top 15% of a page may continue the last one


def _open(path: Path):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect, PDFEncryptionError
    from pdfminer.pdfparser import PDFSyntaxError

    with open(path, "rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:  # readers allow some bytes before the header, not its absence
        kind = ("a zip archive (a .docx or .xlsx?)" if head.startswith(b"PK\x03\x04")
                else "an old Office file (.doc/.xls?)" if head.startswith(b"\xd0\xcf\x11\xe0")
                else "a text file" if _is_text(head) else "another format")
        raise UnreadableDocument(
            f"the file is not a PDF (it has no PDF header; it looks like {kind}); give it its right extension"
        )
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


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        return e.start >= len(head) - 3  # only a character cut at the end of the sample
    return True


def _check_content(page, page_no: int) -> None:
    """pdfminer reads a page whose compressed content is damaged as empty, without a word:
    its targets would be lost in silence. Say so instead. (The usual case only: content
    compressed with Flate alone, encrypted or not; other filter chains are not checked.)"""
    import zlib

    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, decompress_corrupted, resolve1

    for stream in page.page_obj.contents:
        stream = resolve1(stream)
        if not isinstance(stream, PDFStream) or stream.rawdata is None:
            continue  # already decoded
        filters = stream.get_filters()
        if len(filters) != 1 or filters[0][0] not in LITERALS_FLATE_DECODE:
            continue
        data = stream.rawdata
        if stream.decipher:
            data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
        try:
            zlib.decompress(data)
        except zlib.error:
            try:
                decompress_corrupted(data)  # pdfminer's own repair: a bad checksum only
            except zlib.error:
                raise UnreadableDocument(
                    f"the PDF is damaged: the content of page {page_no} cannot be unpacked, so its text "
                    f"would be lost; get a complete copy of the file"
                ) from None


def _columns_x(table) -> list[tuple[float, float]]:
    return [(c.bbox[0], c.bbox[2]) for c in table.columns]


def _row_cells(table, row_index: int, text_row: list) -> list[Cell]:
    """Turn pdfplumber's row (None for covered positions) into Cells."""
    geometry = table.rows[row_index].cells
    columns = _columns_x(table)
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
    and its text starts mid-sentence (lower case)."""
    from normalizers.text import is_lower_start  # text predicate shared with the prose reader

    texts = [c.text for c in cells]
    return bool(texts) and not texts[0] and any(texts) and all(
        not t or is_lower_start(t) for t in texts[1:]
    )


def read_pdf(path: Path) -> RawDocument:
    pdf = _open(path)
    try:
        tables: list[Table] = []
        lines: list[Line] = []
        rows: list[Row] = []
        open_table = False  # the last table ran to the bottom of its page and may go on
        text_chars = 0
        for page_no, page in enumerate(pdf.pages, 1):
            _check_content(page, page_no)
            text_chars += len(page.chars)
            found = page.find_tables()
            for t_i, table in enumerate(found):
                continues = open_table and t_i == 0 and table.bbox[1] < page.height * _TOP_OF_PAGE
                if not continues and rows:
                    tables.append(Table(tuple(rows), index=len(tables) + 1))
                    rows = []
                for r_i, text_row in enumerate(table.extract()):
                    cells = _row_cells(table, r_i, text_row)
                    if continues and r_i == 0 and rows:
                        if _is_tail_of_split_row(cells):
                            rows[-1] = _join_fragment(rows[-1], cells)
                            continue
                        cells = [Cell(c.text, True, c.span, True) if not c.text and not c.merged_above else c for c in cells]
                    rows.append(Row(tuple(cells), index=len(rows) + 1, page=page_no))
                open_table = table.bbox[3] > page.height * 0.8
            if not found:
                open_table = False
            outside = page
            for table in found:
                outside = outside.outside_bbox(table.bbox)
            for text in (outside.extract_text() or "").splitlines():
                if text.strip():
                    lines.append(Line(text, len(lines) + 1, page_no))
        if rows:
            tables.append(Table(tuple(rows), index=len(tables) + 1))
        if text_chars == 0:
            raise UnreadableDocument(
                f"the PDF has no text layer ({len(pdf.pages)} page(s) of images, probably a scan); run OCR on it first"
            )
        return RawDocument("pdf", tables=tuple(tables), lines=tuple(lines), pages=len(pdf.pages))
    finally:
        pdf.close()
