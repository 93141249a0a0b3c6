"""OCR of PDF pages without a usable text layer (scans), tables included, with Tesseract's
Vietnamese model.

A page is rendered grey by pdfium. The ruling lines of a table are found on the image
(dark runs far longer than any letter), and give the same grid a text-layer table gives:
the lines' positions are the grid's rows and columns, a missing stretch of a vertical line
inside a row band is a horizontal span, a missing stretch of a horizontal line above a cell
continues the cell above (merged_above). The lines are then erased and Tesseract reads the
page once (TSV: words with their boxes and confidence); each word goes to the cell its centre
is in, and the words outside tables make the page's lines. Cells the page's reading left
empty though they hold ink, or read as one short token in doubt, are read again on their
own (all of them on one sheet, in one run), the numbering column with only the characters
a row number has; look-alike characters are repaired only where the cell's role or shape
says what it must be (a number, a roman numeral).

Tesseract runs as a program (as pytesseract would run it, without the extra package), one
thread per page (OMP_THREAD_LIMIT=1: the batch's workers are the parallelism), under a time
limit, its process ended with the page. Each cell and line carries its mean word confidence
(0–1); the document's notes say which pages were read by OCR and how many lines and cells
read with low confidence.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..model import Cell, Line, RawDocument, Row, Table, UnreadableDocument
from . import limits
from .markers import split_marker
from .ocr_grid import DARK, JOIN, MIN_RULE, Rule, ruled, rules, runs
from .ocr_grid import grids as find_grids

DPI = 300
LANGUAGE = "vie"
PAGE_TIMEOUT = 120  # seconds for one page
LOW_CONFIDENCE = 0.60  # mean word confidence under which a line or a cell is doubtful
INSTALL = "apt-get install tesseract-ocr tesseract-ocr-vie"
_TOP_OF_PAGE, _BOTTOM_OF_PAGE = 0.15, 0.80


@cache
def tesseract() -> str | None:
    """The tesseract program when it and its Vietnamese model are installed, else None."""
    program = shutil.which("tesseract")
    if program is None:
        return None
    try:
        langs = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return program if LANGUAGE in langs.split() else None


def missing_ocr_sentence(pages: int) -> str:
    return (f"the PDF has no text layer ({pages} page(s) of images, probably a scan) and OCR needs Tesseract "
            f"with its Vietnamese model, which is not installed; install it ({INSTALL})")


def no_text_sentence(pages: int) -> str:
    return (f"the PDF has no text layer ({pages} page(s) of images, probably a scan), and OCR found no text "
            f"on them; check that the scan is legible, or get the document as .docx")


# --- words ------------------------------------------------------------------------------

@dataclass
class _Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    line: tuple[int, int, int]  # tesseract's (block, paragraph, line)

    @property
    def centre(self) -> tuple[float, float]:
        return self.left + self.width / 2, self.top + self.height / 2


def _ocr_words(image, program: str, timeout: float, psm: int = 3, config: tuple[str, ...] = ()) -> list[_Word]:
    png = io.BytesIO()
    image.save(png, format="PPM")  # PGM, unpacked: Tesseract reads it as fast, and encoding PNG cost 5% of OCR
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    options = [o for c in config for o in ("-c", c)]
    process = subprocess.Popen([program, "stdin", "stdout", "-l", LANGUAGE, "--psm", str(psm), "--dpi", str(DPI),
                                *options, "tsv"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                               start_new_session=True)
    try:
        out, err = process.communicate(png.getvalue(), timeout=timeout)
    except subprocess.TimeoutExpired:
        raise UnreadableDocument(f"OCR took more than {timeout:.0f} s on one page; the scan may be too large") from None
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if process.returncode != 0:
        raise UnreadableDocument(f"Tesseract could not read a page ({err.decode(errors='replace').strip()[:200]})")
    words = []
    for row in out.decode("utf-8", errors="replace").splitlines()[1:]:
        f = row.split("\t")
        if len(f) == 12 and f[0] == "5" and f[11].strip():
            if f[11].strip() in ("|", "_", "—") or int(f[8]) <= 3:  # a bit of a ruling line left by the eraser
                continue
            words.append(_Word(f[11].strip(), int(f[6]), int(f[7]), int(f[8]), int(f[9]), float(f[10]) / 100,
                               (int(f[2]), int(f[3]), int(f[4]))))
    return words


def _text_of(words: list[_Word]) -> tuple[str, float | None]:
    """Words in reading order (tesseract's lines top to bottom, words left to right) and their
    mean confidence."""
    if not words:
        return "", None
    lines: dict[tuple, list[_Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    ordered = sorted(lines.values(), key=lambda ws: (min(w.top for w in ws), min(w.left for w in ws)))
    text = " ".join(" ".join(w.text for w in sorted(ws, key=lambda w: w.left)) for ws in ordered)
    text = _PER_MILLE.sub("‰", text)
    return text.strip(" |"), round(sum(w.conf for w in words) / len(words), 3)


# Tesseract's model has no ‰ and reads it as %o; after a number nothing else is written so.
_PER_MILLE = re.compile(r"(?<=\d)%o(?!\w)")


# --- cells read again, one by one ------------------------------------------------------

_SHORT = 8  # characters: a cell read as one token this short may be read again on its own
_SURE = 0.90  # a short token read with this confidence or more is kept
_INSET = JOIN + 3  # px inside a cell's lines: what is left of an erased line is not ink
_MIN_INK = 40  # dark px: less is a speck, not a character
_GAP = 40  # px of white between two cells on the sheet they are read from
_NUMBERING_WIDTH = 0.10  # a first column this narrow (share of the table's width) numbers the rows
# What a numbering cell can hold: digits, roman numerals, letters of sub-items, dots and dashes.
_NUMBERING_CHARS = "0123456789IVXabcdđe.-+*)"
_NUMBER_LIKE = re.compile(r"[\dOoSsIl|!.,%‰]+")  # digits and the letters Tesseract reads for them
_AS_DIGIT = str.maketrans({"O": "0", "o": "0", "S": "5", "s": "5", "I": "1", "l": "1", "|": "1", "!": "1"})
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})*(?:,\d+)?%?|\d+(?:,\d+)?%?")
_POINT_DECIMAL = re.compile(r"(?<![\d.,])(\d+)\.(\d{1,2})(?![\d.,])")
_COMMA_DECIMAL = re.compile(r"(?<![\d.,])(\d+),(\d{1,2})(?![\d.,])")
_ROMAN_LIKE = re.compile(r"[IVXlH|!]+\.?")
_AS_ROMAN = str.maketrans({"l": "I", "|": "I", "!": "I", "H": "II"})
_NUMBERING = re.compile(r"\d+(?:\.\d+)*\.?|[IVX]+\.?|[a-zđ][.)]?|[-+*]")


@dataclass
class _Slot:
    """A grid cell while the page is read: its grid columns, box, text and confidence."""

    start: int
    end: int
    box: tuple[float, float, float, float]
    text: str
    conf: float | None
    continued: bool
    numbering: bool = False  # in the numbering column (STT)


def _ink_box(ink, box) -> tuple[int, int, int, int] | None:
    """The box of the ink inside a cell (its lines left out), None when it holds none."""
    import numpy as np

    x0, y0, x1, y1 = (int(round(v)) for v in box)
    x0, y0, x1, y1 = x0 + _INSET, y0 + _INSET, x1 - _INSET, y1 - _INSET
    if x1 <= x0 or y1 <= y0:
        return None
    region = ink[y0:y1, x0:x1]
    if region.sum() < _MIN_INK:
        return None
    rows, cols = np.nonzero(region.any(axis=1))[0], np.nonzero(region.any(axis=0))[0]
    return x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1


def _doubtful(slot: _Slot) -> bool:
    """A cell worth reading again: read as nothing, or as one short token that is not sure
    or mixes digits with the letters Tesseract takes for digits."""
    text = slot.text
    if not text:
        return True
    if len(text) > _SHORT or " " in text:
        return False
    mixed = any(c.isdigit() for c in text) and not _NUMBER.fullmatch(text)
    return mixed or (slot.conf or 0) < _SURE


def _read_sheet(crops, program: str, timeout: float, config: tuple[str, ...] = ()) -> list[tuple[str, float | None]]:
    """The text of each crop (grey arrays), stacked on one sheet a crop to a line with white
    between, read by Tesseract in one run as a block of text (psm 6)."""
    import numpy as np
    from PIL import Image

    pad = 12
    width = max(c.shape[1] for c in crops) + 2 * pad + 2 * _GAP
    height = sum(c.shape[0] + 2 * pad + _GAP for c in crops) + _GAP
    sheet = np.full((height, width), 255, dtype=np.uint8)
    bands, y = [], _GAP
    for crop in crops:
        h, w = crop.shape
        sheet[y + pad:y + pad + h, _GAP + pad:_GAP + pad + w] = crop
        bands.append((y, y + h + 2 * pad))
        y += h + 2 * pad + _GAP
    words = _ocr_words(Image.fromarray(sheet), program, timeout, psm=6, config=config)
    return [_text_of([w for w in words if top <= w.centre[1] <= bottom]) for top, bottom in bands]


def _as_number(text: str) -> str:
    """A token shaped as a number whose letters are the ones Tesseract reads for digits
    (S3 → 53, 3l → 31, O → 0 between digits) as the digits."""
    if _NUMBER_LIKE.fullmatch(text) and sum(c.isdigit() for c in text) >= 1:
        return text.translate(_AS_DIGIT)
    return text


def _as_numbering(text: str) -> str:
    """A row number: digits mixed with look-alike letters are digits; a roman numeral's
    strokes read as l, | or H (two I touching) are I."""
    if any(c.isdigit() for c in text):
        return _as_number(text)
    if _ROMAN_LIKE.fullmatch(text):
        return text.translate(_AS_ROMAN)
    return text


def _reread_short_cells(ink, image, slots: list[list[_Slot]], program: str, timeout: float,
                        decimal_comma: bool = True) -> None:
    """Cells the page's reading left empty though they hold ink, or read as one short token
    in doubt, read again on their own: Tesseract's page layout drops a lone % or II between
    wide cells and runs a short token into its neighbours. The cells of the numbering column
    (a narrow first column) are read with only the characters a row number has. Repairs of
    look-alike characters follow the cell's role: a token shaped as a number becomes digits,
    a row number a number or a roman numeral."""
    if not slots:
        return
    table_x0, table_x1 = slots[0][0].box[0], slots[0][-1].box[2]
    numbering, others = [], []  # (slot, ink box) to read again
    for row in slots:
        for slot in row:
            if slot.continued:
                continue
            slot.numbering = slot.start == 0 and slot.end == 1 and \
                slot.box[2] - slot.box[0] <= _NUMBERING_WIDTH * (table_x1 - table_x0)
            if slot.numbering:  # read again unless surely a row number or a word (STT)
                sure = (slot.conf or 0) >= _SURE and (_NUMBERING.fullmatch(slot.text) or (
                    len(slot.text) > 1 and not _ROMAN_LIKE.fullmatch(slot.text) and not any(c.isdigit() for c in slot.text)))
                if sure:
                    continue
            elif not _doubtful(slot):
                continue
            found = _ink_box(ink, slot.box)
            if found:
                (numbering if slot.numbering else others).append((slot, found))
    for group, config in ((others, ()), (numbering, (f"tessedit_char_whitelist={_NUMBERING_CHARS}",))):
        if not group:
            continue
        readings = _read_sheet([image[y0:y1, x0:x1] for _, (x0, y0, x1, y1) in group], program, timeout, config)
        for (slot, box), (text, conf) in zip(group, readings):
            if decimal_comma and not slot.numbering:  # read alone, a decimal comma often comes out a point
                text = _POINT_DECIMAL.sub(r"\1,\2", text)
            if slot.numbering and set(text) <= {"I"} and (stems := _stems(ink, box)):
                # I's counted on the ink, which Tesseract misses alone: as sure as a doubtful reading
                text, conf = "I" * stems, max(conf or 0, LOW_CONFIDENCE)
            if text and (not slot.text or slot.numbering or _better(text, conf, slot.text, slot.conf, box)):
                slot.text, slot.conf = text, conf
    for row in slots:
        for slot in row:
            if slot.text and " " not in slot.text:
                slot.text = _as_numbering(slot.text) if slot.numbering else _as_number(slot.text)


def _better(text: str, conf: float | None, old: str, old_conf: float | None, box) -> bool:
    """Whether a cell's second reading beats its first: a reading too short for the width of
    the cell's ink lost characters; otherwise the surer one wins."""
    x0, y0, x1, y1 = box
    chars = (x1 - x0) / (0.5 * (y1 - y0))  # about as many characters as the ink is wide
    short = lambda t: len(t) < chars / 2
    if short(old) != short(text):
        return short(old)
    return (conf or 0) >= (old_conf or 0)


def _stems(ink, box) -> int:
    """The vertical strokes in a cell's ink (the I's of a roman numeral, serifs that touch
    included), 0 when other shapes are there too (a V, an X, a digit)."""
    import numpy as np

    x0, y0, x1, y1 = box
    region = ink[y0:y1, x0:x1]
    full = region.mean(axis=0) >= 0.75  # columns inked over most of the height
    stems = int(np.count_nonzero(np.diff(np.concatenate(([0], full.astype(np.int8), [0]))) == 1))
    near = np.convolve(full.astype(np.int8), np.ones(5, dtype=np.int8), mode="same") > 0  # a stem's flanks
    # beyond the stems and their flanks only serifs: columns inked less than a third of the height
    others = ~near & (region.mean(axis=0) >= 1 / 3)
    return stems if stems and not others.any() else 0


def _decimal_comma(words: list[_Word]) -> bool:
    """Whether the page writes decimals with a comma (7,5), as Vietnamese does, rather than a
    point: more numbers read with a comma and one or two decimals than with a point."""
    text = " ".join(w.text for w in words)
    return len(_COMMA_DECIMAL.findall(text)) >= len(_POINT_DECIMAL.findall(text))


# --- a page -----------------------------------------------------------------------------

@dataclass
class PageRead:
    """What OCR read on one page: its tables' rows (top to bottom) and its lines, in order."""

    items: list = field(default_factory=list)  # ("line", Line-args dict) | ("table", [Row cells], top, bottom)
    height: int = 0


def _erase(dark, rules_h: list[Rule], rules_v: list[Rule]):
    """The page with its ruling lines painted white (Tesseract reads them as | and _)."""
    for r in rules_h:
        y = int(round(r.at))
        dark[max(0, y - 4):y + 5, r.start:r.end] = False
    for r in rules_v:
        x = int(round(r.at))
        dark[r.start:r.end, max(0, x - 4):x + 5] = False
    return dark


def read_page(image, program: str, timeout: float = PAGE_TIMEOUT) -> PageRead:
    """OCR of one grey page image: its tables as grids of cells and its other lines."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(image.convert("L"))
    dark = grey < DARK
    height, width = dark.shape
    horizontal = rules(runs(dark, int(width * MIN_RULE)))
    vertical = rules(runs(dark.T, int(height * MIN_RULE), gap=JOIN))
    grids = find_grids(horizontal, vertical)
    cleaned = _erase(dark.copy(), [r for g in grids for r in g.horizontal], [r for g in grids for r in g.vertical])
    ink_image = np.where(cleaned, 0, 255).astype(np.uint8)
    words = _ocr_words(Image.fromarray(ink_image), program, timeout)
    decimal_comma = _decimal_comma(words)

    page = PageRead(height=height)
    taken: set[int] = set()
    for grid in grids:
        slots: list[list[_Slot]] = []
        for i in range(len(grid.ys) - 1):
            y0, y1 = grid.ys[i], grid.ys[i + 1]
            row, j = [], 0
            while j < len(grid.xs) - 1:
                start = j
                while j + 1 < len(grid.xs) - 1 and not ruled(dark, False, grid.xs[j + 1], y0, y1):
                    j += 1
                x0, x1 = grid.xs[start], grid.xs[j + 1]
                inside = [k for k, w in enumerate(words) if k not in taken
                          and x0 <= w.centre[0] <= x1 and y0 <= w.centre[1] <= y1]
                taken.update(inside)
                text, conf = _text_of([words[k] for k in inside])
                continued = i > 0 and not ruled(dark, True, y0, grid.xs[start], grid.xs[start + 1])
                row.append(_Slot(start, j + 1, (x0, y0, x1, y1), text, conf, continued))
                j += 1
            slots.append(row)
        _reread_short_cells(cleaned, ink_image, slots, program, timeout, decimal_comma)
        rows: list[list[Cell]] = []
        origin: dict[int, tuple[int, int]] = {}  # grid column → (row, cell) of the cell a merge goes on from
        for row in slots:
            cells = []
            for slot in row:
                text, conf, span = slot.text, slot.conf, slot.end - slot.start
                if slot.continued and slot.start in origin:
                    if text:  # the merged cell's text runs on below its first row: it is the first row's
                        r, c = origin[slot.start]
                        above = rows[r][c]
                        rows[r][c] = Cell(f"{above.text} {text}".strip(), span=above.span, confidence=min(
                            x for x in (above.confidence, conf) if x is not None))
                    cells.append(Cell("", merged_above=True, span=span))
                else:
                    origin[slot.start] = (len(rows), len(cells))
                    cells.append(Cell(text, span=span, confidence=conf))
            rows.append(cells)
        if any(c.text for row in rows for c in row):  # a drawn frame with nothing in it is no table
            page.items.append(("table", rows, grid.ys[0], grid.ys[-1]))
    lines: dict[tuple, list[_Word]] = {}
    for k, w in enumerate(words):
        if k not in taken:
            lines.setdefault(w.line, []).append(w)
    for ws in lines.values():
        text, conf = _text_of(ws)
        top = min(w.top for w in ws)
        page.items.append(("line", {"text": text, "indent": round(min(w.left for w in ws) * 72 / DPI, 1),
                                    "confidence": conf}, top, top))
    page.items.sort(key=lambda item: item[2])
    return page


def render_page(pdfium_document, index: int):
    """A PDF page as a grey image at the OCR resolution."""
    page = pdfium_document[index]
    try:
        width, height = page.get_size()  # points; a page's box is a number in the file, not paper
        scale = DPI / 72
        if width * height * scale * scale > limits.MAX_PAGE_PIXELS:
            scale = (limits.MAX_PAGE_PIXELS / max(width * height, 1.0)) ** 0.5
        return page.render(scale=scale, grayscale=True).to_pil().convert("L")
    finally:
        page.close()


def read_scanned_pdf(path: Path, pages: list[int] | None = None, timeout: float = PAGE_TIMEOUT) -> RawDocument:
    """A PDF read by OCR: every page, or only `pages` (1-based) when given."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        count = len(document)
        wanted = pages or list(range(1, count + 1))
        program = tesseract()
        if program is None:
            raise UnreadableDocument(missing_ocr_sentence(len(wanted)))
        reads = read_rendered(document, wanted, program, timeout)
    finally:
        document.close()
    return scanned(reads, count)


def scanned(reads: dict[int, PageRead], page_count: int) -> RawDocument:
    """A scan's pages as one document; UnreadableDocument when OCR found no text on them."""
    if not any(item for read in reads.values() for item in read.items):
        raise UnreadableDocument(no_text_sentence(len(reads)))
    return assemble(reads, page_count)


def read_pages(path: Path, pages: list[int], timeout: float = PAGE_TIMEOUT) -> dict[int, PageRead]:
    """What OCR reads on some pages (1-based) of a PDF whose other pages have a text layer."""
    import pypdfium2 as pdfium

    program = tesseract()
    if program is None:
        raise UnreadableDocument(missing_ocr_sentence(len(pages)))
    document = pdfium.PdfDocument(str(path))
    try:
        return read_rendered(document, pages, program, timeout)
    finally:
        document.close()


def ocr_threads() -> int:
    """Pages read at once: one per core this process may run on. Tesseract runs as a program
    with one thread, so a long scan keeps every core busy; several workers reading scans at
    once share the cores the system gives them."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def read_rendered(document, pages: list[int], program: str, timeout: float) -> dict[int, PageRead]:
    """OCR of some pages (1-based) of an open pdfium document, several at once. pdfium is not
    thread-safe: pages are rendered here, one after another, each as soon as a reader is free
    for it, and read (numpy, and Tesseract as a program) in threads."""
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    threads = min(ocr_threads(), len(pages))
    if threads <= 1:
        return {n: read_page(render_page(document, n - 1), program, timeout) for n in pages}
    reads: dict[int, PageRead] = {}
    pool = ThreadPoolExecutor(threads)
    try:
        pending: dict = {}
        for n in pages:
            if len(pending) >= threads:  # at most one rendered page waits per reader: memory stays flat
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    reads[pending.pop(future)] = future.result()
            pending[pool.submit(read_page, render_page(document, n - 1), program, timeout)] = n
        for future, n in pending.items():
            reads[n] = future.result()
    finally:  # a page that failed, or the time limit: the pages not begun are not read
        pool.shutdown(wait=True, cancel_futures=True)
    return {n: reads[n] for n in pages}


def _is_tail_of_split_row(cells: list[Cell]) -> bool:
    """A row cut by a page break: the first row on the next page has no number of its own and
    its text starts mid-sentence (the pdf reader's rule)."""
    from ...normalizers.text import is_lower_start

    texts = [c.text for c in cells]
    return bool(texts) and not texts[0] and any(texts) and all(not t or is_lower_start(t) for t in texts[1:])


def _join_tail(row: Row, tail: list[Cell]) -> Row:
    joined = [Cell(f"{a.text} {b.text}".strip() if b.text else a.text, a.merged_above and not b.text, a.span,
                   a.guessed_merge, confidence=a.confidence if not b.text else b.confidence)
              for a, b in zip(row.cells, tail)]
    return Row(tuple(joined) + row.cells[len(joined):], row.index, row.page)


@dataclass
class Pages:
    """A document's lines and tables gathered page by page: the pdf reader's, when some of its
    pages are read by OCR, or a scan's. A table that runs to the bottom of a page and one that
    starts at the top of the next with as many columns are one table, as the pdf reader joins
    them (blank cells on its first row there continue the cell above)."""

    tables: list[Table] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)  # of the table still open
    open_table: bool = False  # the open table ran to the bottom of its page
    after: int = 0  # the open table's after_line
    low: int = 0  # lines and cells read with low confidence

    def add(self, page_no: int, read: PageRead) -> None:
        first_table = True
        for item in read.items:
            if item[0] == "line":
                args = item[1]
                marker, text = split_marker(args["text"])
                self.lines.append(Line(text, len(self.lines) + 1, page_no, marker=marker, indent=args["indent"],
                                       confidence=args["confidence"]))
                self.low += (args["confidence"] or 0) < LOW_CONFIDENCE
                continue
            _, grid_rows, top, bottom = item
            width = lambda cells: sum(c.span for c in cells)
            continues = (self.open_table and first_table and top < read.height * _TOP_OF_PAGE and self.rows
                         and grid_rows and width(grid_rows[0]) == width(self.rows[-1].cells))
            if not continues:
                self.close_table()
                self.after = len(self.lines)
            rows = self.rows
            for r_i, cells in enumerate(grid_rows):
                if continues and r_i == 0 and _is_tail_of_split_row(cells):
                    rows[-1] = _join_tail(rows[-1], cells)
                    continue
                if continues and r_i == 0:
                    cells = [Cell("", True, c.span, True, confidence=c.confidence) if not c.text and not c.merged_above
                             else c for c in cells]
                self.low += sum(1 for c in cells if c.confidence is not None and c.confidence < LOW_CONFIDENCE)
                rows.append(Row(tuple(cells), index=len(rows) + 1, page=page_no))
            self.open_table = bottom > read.height * _BOTTOM_OF_PAGE
            first_table = False
        if first_table:
            self.open_table = False

    def close_table(self) -> None:
        if self.rows:
            self.tables.append(Table(tuple(self.rows), index=len(self.tables) + 1, after_line=self.after))
        self.rows = []


def ocr_notes(pages: list[int], low: int) -> tuple[str, ...]:
    """The document's notes: which pages were read by OCR, how many lines and cells doubtful."""
    notes = ["ocr_pages:" + ",".join(map(str, sorted(pages)))]
    if low:
        notes.append(f"ocr_low_confidence:{low}")
    return tuple(notes)


def assemble(reads: dict[int, PageRead], page_count: int) -> RawDocument:
    """A scan's pages as one document."""
    pages = Pages()
    for page_no in sorted(reads):
        pages.add(page_no, reads[page_no])
    pages.close_table()
    return RawDocument("pdf", tables=tuple(pages.tables), lines=tuple(pages.lines), pages=page_count,
                       notes=ocr_notes(list(reads), pages.low), text_layer="ocr")
