"""OCR of PDF pages without a usable text layer (scans), tables included, with Tesseract's
Vietnamese model.

A page is read as a grey image: a scan's own picture at its own resolution when it is 200 dpi
or finer, else the page drawn by pdfium at 300 dpi (ocr_image.py); lengths in px are scaled to
the image's resolution (ocr_grid.px). The ruling lines of a table are found on the image
(dark runs far longer than any letter), and give the same grid a text-layer table gives:
the lines' positions are the grid's rows and columns, a missing stretch of a vertical line
inside a row band is a horizontal span, a missing stretch of a horizontal line above a cell
continues the cell above (merged_above). The lines are then erased and Tesseract reads the
page once (TSV: words with their boxes and confidence, ocr_words.py); each word goes to the
cell its centre is in, and the words outside tables make the page's lines. Cells in doubt
are read again on their own (ocr_cells.py).

Tesseract runs as a program (as pytesseract would run it, without the extra package), with one
thread (OMP_THREAD_LIMIT=1), under a time limit, its process ended with the page; a document's
pages are read one per core at once (ocr_threads). Each cell and line carries its mean word confidence
(0–1); the document's notes say which pages were read by OCR and how many lines and cells
read with low confidence.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..model import Cell, Line, RawDocument, Row, Table, UnreadableDocument
from .markers import split_marker
from .ocr_grid import DARK, JOIN, MIN_RULE, Rule, px, ruled, rules, runs
from .ocr_grid import grids as find_grids
from .ocr_image import DPI, render_page  # noqa: F401 (the page images OCR reads; render_page for callers)
from .ocr_cells import _Slot, _as_number, _as_numbering, _decimal_comma, _reread_short_cells  # noqa: F401 (tests)
from .ocr_words import LOW_CONFIDENCE, _Word, _text_of, lines_of  # noqa: F401 (tests)

LANGUAGE = "vie"
PAGE_TIMEOUT = 120  # seconds for one page
INSTALL = "apt-get install tesseract-ocr tesseract-ocr-vie"
_TOP_OF_PAGE, _BOTTOM_OF_PAGE = 0.15, 0.80
_ERASE = 4  # px at 300 dpi each side of a ruling line's middle painted white
_SPECK = 3  # px at 300 dpi: a "word" this narrow is a bit of a ruling line left by the eraser


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

def _ocr_words(grey, program: str, timeout: float, psm: int = 3, config: tuple[str, ...] = (),
               dpi: int = DPI) -> list[_Word]:
    """The words Tesseract reads on a grey image (a 2-D uint8 array) of `dpi`."""
    height, width = grey.shape
    # PGM, unpacked, written here: Tesseract reads it as fast as PNG, whose encoding cost 5% of OCR
    pgm = b"P5\n%d %d\n255\n" % (width, height) + grey.tobytes()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    options = [o for c in config for o in ("-c", c)]
    process = subprocess.Popen([program, "stdin", "stdout", "-l", LANGUAGE, "--psm", str(psm), "--dpi", str(round(dpi)),
                                *options, "tsv"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                               start_new_session=True)
    # The image goes in one write from a thread of its own (communicate writes a pipe's worth at
    # a time between polls: 6 ms of CPU for a page); communicate reads what comes back.
    stdin, process.stdin = process.stdin, None
    writer = threading.Thread(target=_feed, args=(stdin, pgm), daemon=True)
    writer.start()
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise UnreadableDocument(f"OCR took more than {timeout:.0f} s on one page; the scan may be too large") from None
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        writer.join()
    if process.returncode != 0:
        raise UnreadableDocument(f"Tesseract could not read a page ({err.decode(errors='replace').strip()[:200]})")
    words, speck = [], px(_SPECK, dpi)
    for row in out.decode("utf-8", errors="replace").splitlines()[1:]:
        f = row.split("\t")
        if len(f) == 12 and f[0] == "5" and f[11].strip():
            if f[11].strip() in ("|", "_", "—") or int(f[8]) <= speck:  # a bit of a ruling line left by the eraser
                continue
            words.append(_Word(f[11].strip(), int(f[6]), int(f[7]), int(f[8]), int(f[9]), float(f[10]) / 100,
                               (int(f[2]), int(f[3]), int(f[4]))))
    return words


def _feed(pipe, data: bytes) -> None:
    """`data` written to a program's input, which is then closed (the program may have ended)."""
    try:
        pipe.write(data)
    except OSError:  # a broken pipe: the program ended or was ended; its exit status says why
        pass
    finally:
        try:
            pipe.close()
        except OSError:
            pass


# --- a page -----------------------------------------------------------------------------

@dataclass
class PageRead:
    """What OCR read on one page: its tables' rows (top to bottom) and its lines, in order."""

    items: list = field(default_factory=list)  # ("line", Line-args dict) | ("table", [Row cells], top, bottom)
    height: int = 0


def _erase(dark, rules_h: list[Rule], rules_v: list[Rule], dpi: float = DPI):
    """The page with its ruling lines painted white (Tesseract reads them as | and _)."""
    half = px(_ERASE, dpi)
    for r in rules_h:
        y = int(round(r.at))
        dark[max(0, y - half):y + half + 1, r.start:r.end] = False
    for r in rules_v:
        x = int(round(r.at))
        dark[r.start:r.end, max(0, x - half):x + half + 1] = False
    return dark


def image_dpi(image) -> float:
    """A page image's resolution: its info["dpi"] (ocr_image sets it), else 300 dpi."""
    dpi = image.info.get("dpi")
    return float(dpi[0]) if dpi and dpi[0] > 0 else float(DPI)


def read_page(image, program: str, timeout: float = PAGE_TIMEOUT) -> PageRead:
    """OCR of one grey page image (at the resolution image_dpi says): its tables as grids of
    cells and its other lines."""
    import numpy as np

    dpi = image_dpi(image)
    grey = np.asarray(image if image.mode == "L" else image.convert("L"))
    dark = grey < DARK
    height, width = dark.shape
    horizontal = rules(runs(dark, int(width * MIN_RULE)), dpi)
    vertical = rules(runs(dark.T, int(height * MIN_RULE), gap=px(JOIN, dpi)), dpi)
    grids = find_grids(horizontal, vertical, dpi)
    cleaned = _erase(dark.copy(), [r for g in grids for r in g.horizontal], [r for g in grids for r in g.vertical],
                     dpi) if grids else dark
    ink_image = np.where(cleaned, np.uint8(0), np.uint8(255))
    words = _ocr_words(ink_image, program, timeout, dpi=dpi)
    decimal_comma = _decimal_comma(words)

    page = PageRead(height=height)
    free = list(range(len(words)))  # words not yet in a cell, in Tesseract's order
    for grid in grids:
        slots, free = _slots(grid, dark, words, free, dpi)
        _reread_short_cells(cleaned, ink_image, slots, program, timeout, decimal_comma, dpi)
        rows = _cells(slots)
        if any(c.text for row in rows for c in row):  # a drawn frame with nothing in it is no table
            page.items.append(("table", rows, grid.ys[0], grid.ys[-1]))
    for ws in lines_of([words[k] for k in free]):
        text, conf = _text_of(ws)
        top = min(w.top for w in ws)
        page.items.append(("line", {"text": text, "indent": round(min(w.left for w in ws) * 72 / dpi, 1),
                                    "confidence": conf}, top, top))
    page.items.sort(key=lambda item: item[2])
    return page


def _slots(grid, dark, words: list[_Word], free: list[int], dpi: float) -> tuple[list[list[_Slot]], list[int]]:
    """A grid's cells row by row, each with the words whose centre is in it (of those still
    `free`), and the words left free. A cell runs on to the right while the line between it
    and the next is missing (a span)."""
    slots: list[list[_Slot]] = []
    taken: set[int] = set()
    for i in range(len(grid.ys) - 1):
        y0, y1 = grid.ys[i], grid.ys[i + 1]
        band = [(k, words[k].centre[0]) for k in free if y0 <= words[k].centre[1] <= y1 and k not in taken]
        row, j = [], 0
        while j < len(grid.xs) - 1:
            start = j
            while j + 1 < len(grid.xs) - 1 and not ruled(dark, False, grid.xs[j + 1], y0, y1, dpi):
                j += 1
            x0, x1 = grid.xs[start], grid.xs[j + 1]
            inside = [k for k, x in band if x0 <= x <= x1 and k not in taken]
            taken.update(inside)
            text, conf = _text_of([words[k] for k in inside])
            continued = i > 0 and not ruled(dark, True, y0, grid.xs[start], grid.xs[start + 1], dpi)
            row.append(_Slot(start, j + 1, (x0, y0, x1, y1), text, conf, continued))
            j += 1
        slots.append(row)
    return slots, [k for k in free if k not in taken]


def _cells(slots: list[list[_Slot]]) -> list[list[Cell]]:
    """A grid's cells: a cell continued from the one above (its top line missing) is merged
    above, and the text it holds goes on the text of the merge's first cell."""
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
    return rows


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
