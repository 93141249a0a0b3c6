"""OCR of PDF pages without a usable text layer (scans), tables included, with Tesseract's
Vietnamese model.

A page is rendered grey by pdfium. The ruling lines of a table are found on the image
(dark runs far longer than any letter), and give the same grid a text-layer table gives:
the lines' positions are the grid's rows and columns, a missing stretch of a vertical line
inside a row band is a horizontal span, a missing stretch of a horizontal line above a cell
continues the cell above (merged_above). The lines are then erased and Tesseract reads the
page once (TSV: words with their boxes and confidence); each word goes to the cell its centre
is in, and the words outside tables make the page's lines.

Tesseract runs as a program (as pytesseract would run it, without the extra package), one
thread per page (OMP_THREAD_LIMIT=1: the batch's workers are the parallelism), under a time
limit, its process ended with the page. Each cell and line carries its mean word confidence
(0–1); the document's notes say which pages were read by OCR and how many lines and cells
read with low confidence.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..model import Cell, Line, RawDocument, Row, Table, UnreadableDocument
from .markers import split_marker

DPI = 300
LANGUAGE = "vie"
PAGE_TIMEOUT = 120  # seconds for one page
LOW_CONFIDENCE = 0.60  # mean word confidence under which a line or a cell is doubtful
INSTALL = "apt-get install tesseract-ocr tesseract-ocr-vie"
_DARK = 150  # grey level under which a pixel is ink
_MIN_RULE = 0.04  # a ruling line is a dark run at least this share of the page's width or height
_JOIN = 6  # px at 300 dpi: line runs this close are one line; a line this close to a position is at it
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


# --- ruling lines and the grid ----------------------------------------------------------

@dataclass
class _Rule:
    at: float  # y of a horizontal line, x of a vertical one
    start: int
    end: int


def _runs(mask, min_len: int, gap: int = 0) -> list[tuple[int, int, int]]:
    """(line index, start, end) of every run of True at least min_len long, row by row; runs
    on a row `gap` px apart or less are one (a border drawn cell by cell)."""
    import numpy as np

    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    runs = []
    for r, c in zip(*np.nonzero(edges == 1)):
        runs.append((r, c))
    ends = list(zip(*np.nonzero(edges == -1)))
    joined: list[list[int]] = []
    for (r, s), (_, e) in zip(runs, ends):  # starts and ends pair up row by row, in order
        if joined and joined[-1][0] == r and s - joined[-1][2] <= gap:
            joined[-1][2] = e
        else:
            joined.append([r, s, e])
    return [(int(r), int(s), int(e)) for r, s, e in joined if e - s >= min_len]


def _rules(runs: list[tuple[int, int, int]]) -> list[_Rule]:
    """Runs on neighbouring rows that overlap are one ruling line (its thickness)."""
    rules: list[_Rule] = []
    open_: list[tuple[int, _Rule, int]] = []  # (last row, rule, rows)
    for r, s, e in sorted(runs):
        for k, (last, rule, n) in enumerate(open_):
            if r - last <= 2 and s <= rule.end and e >= rule.start:
                rule.at = (rule.at * n + r) / (n + 1)
                rule.start, rule.end = min(rule.start, s), max(rule.end, e)
                open_[k] = (r, rule, n + 1)
                break
        else:
            rule = _Rule(float(r), s, e)
            rules.append(rule)
            open_.append((r, rule, 1))
        open_ = [o for o in open_ if r - o[0] <= 2]
    return rules


def _positions(rules: list[_Rule]) -> list[float]:
    """The distinct positions of a set of lines (lines a few px apart are one)."""
    out: list[float] = []
    for at in sorted(r.at for r in rules):
        if out and at - out[-1] <= _JOIN:
            continue
        out.append(at)
    return out


def _ruled(dark, horizontal: bool, at: float, a: float, b: float) -> bool:
    """Whether ink runs along `at` across the middle three fifths of the stretch a…b: the
    border between two cells is there (it is not where cells are merged)."""
    margin = (b - a) / 5
    lo, hi = int(a + margin), int(b - margin)
    at = int(round(at))
    if hi <= lo:
        return True
    band = dark[max(0, at - _JOIN):at + _JOIN + 1, lo:hi] if horizontal else dark[lo:hi, max(0, at - _JOIN):at + _JOIN + 1].T
    return bool(band.any(axis=0).mean() >= 0.9)


@dataclass
class _Grid:
    xs: list[float]
    ys: list[float]
    horizontal: list[_Rule]
    vertical: list[_Rule]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


def _grids(horizontal: list[_Rule], vertical: list[_Rule]) -> list[_Grid]:
    """The tables: groups of crossing lines with at least two of each direction."""
    nodes = [("h", r) for r in horizontal] + [("v", r) for r in vertical]
    parent = list(range(len(nodes)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (ki, a) in enumerate(nodes):
        if ki != "h":
            continue
        for j, (kj, b) in enumerate(nodes):
            if kj == "v" and b.start - _JOIN <= a.at <= b.end + _JOIN and a.start - _JOIN <= b.at <= a.end + _JOIN:
                parent[find(i)] = find(j)
    groups: dict[int, list] = {}
    for i, node in enumerate(nodes):
        groups.setdefault(find(i), []).append(node)
    grids = []
    for group in groups.values():
        hs = [r for k, r in group if k == "h"]
        vs = [r for k, r in group if k == "v"]
        if len(hs) >= 2 and len(vs) >= 2:
            grids.append(_Grid(_positions(vs), _positions(hs), hs, vs))
    return sorted(grids, key=lambda g: g.ys[0])


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


def _ocr_words(image, program: str, timeout: float) -> list[_Word]:
    png = io.BytesIO()
    image.save(png, format="PNG", dpi=(DPI, DPI))
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    process = subprocess.Popen([program, "stdin", "stdout", "-l", LANGUAGE, "--psm", "3", "--dpi", str(DPI), "tsv"],
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
            if f[11].strip() in ("|", "_", "—"):  # a bit of a ruling line left by the eraser
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
    return text.strip(" |"), round(sum(w.conf for w in words) / len(words), 3)


# --- a page -----------------------------------------------------------------------------

@dataclass
class PageRead:
    """What OCR read on one page: its tables' rows (top to bottom) and its lines, in order."""

    items: list = field(default_factory=list)  # ("line", Line-args dict) | ("table", [Row cells], top, bottom)
    height: int = 0


def _erase(dark, rules_h: list[_Rule], rules_v: list[_Rule]):
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
    dark = grey < _DARK
    height, width = dark.shape
    horizontal = _rules(_runs(dark, int(width * _MIN_RULE)))
    vertical = _rules(_runs(dark.T, int(height * _MIN_RULE), gap=_JOIN))
    grids = _grids(horizontal, vertical)
    cleaned = _erase(dark.copy(), [r for g in grids for r in g.horizontal], [r for g in grids for r in g.vertical])
    words = _ocr_words(Image.fromarray(np.where(cleaned, 0, 255).astype(np.uint8)), program, timeout)

    page = PageRead(height=height)
    taken: set[int] = set()
    for grid in grids:
        rows: list[list[Cell]] = []
        origin: dict[int, tuple[int, int]] = {}  # grid column → (row, cell) of the cell a merge goes on from
        for i in range(len(grid.ys) - 1):
            y0, y1 = grid.ys[i], grid.ys[i + 1]
            cells, j = [], 0
            while j < len(grid.xs) - 1:
                start = j
                while j + 1 < len(grid.xs) - 1 and not _ruled(dark, False, grid.xs[j + 1], y0, y1):
                    j += 1
                x0, x1 = grid.xs[start], grid.xs[j + 1]
                inside = [k for k, w in enumerate(words) if k not in taken
                          and x0 <= w.centre[0] <= x1 and y0 <= w.centre[1] <= y1]
                taken.update(inside)
                text, conf = _text_of([words[k] for k in inside])
                continued = i > 0 and not _ruled(dark, True, y0, grid.xs[start], grid.xs[start + 1])
                if continued and start in origin:
                    if text:  # the merged cell's text runs on below its first row: it is the first row's
                        r, c = origin[start]
                        above = rows[r][c]
                        rows[r][c] = Cell(f"{above.text} {text}".strip(), span=above.span, confidence=min(
                            x for x in (above.confidence, conf) if x is not None))
                    cells.append(Cell("", merged_above=True, span=j + 1 - start))
                else:
                    origin[start] = (len(rows), len(cells))
                    cells.append(Cell(text, span=j + 1 - start, confidence=conf))
                j += 1
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
        return page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
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
        reads = {n: read_page(render_page(document, n - 1), program, timeout) for n in wanted}
    finally:
        document.close()
    if not any(item for read in reads.values() for item in read.items):
        raise UnreadableDocument(no_text_sentence(len(wanted)))
    return assemble(reads, count)


def _is_tail_of_split_row(cells: list[Cell]) -> bool:
    """A row cut by a page break: the first row on the next page has no number of its own and
    its text starts mid-sentence (the pdf reader's rule)."""
    from normalizers.text import is_lower_start

    texts = [c.text for c in cells]
    return bool(texts) and not texts[0] and any(texts) and all(not t or is_lower_start(t) for t in texts[1:])


def _join_tail(row: Row, tail: list[Cell]) -> Row:
    joined = [Cell(f"{a.text} {b.text}".strip() if b.text else a.text, a.merged_above and not b.text, a.span,
                   a.guessed_merge, confidence=a.confidence if not b.text else b.confidence)
              for a, b in zip(row.cells, tail)]
    return Row(tuple(joined) + row.cells[len(joined):], row.index, row.page)


def assemble(reads: dict[int, PageRead], page_count: int) -> RawDocument:
    """The pages' lines and tables as one document; a table that runs to the bottom of a page
    and one that starts at the top of the next with as many columns are one table, as the
    pdf reader joins them (blank cells on its first row there continue the cell above)."""
    tables: list[Table] = []
    lines: list[Line] = []
    rows: list[Row] = []
    open_table = False
    low = 0
    for page_no in sorted(reads):
        read = reads[page_no]
        first_table = True
        for item in read.items:
            if item[0] == "line":
                args = item[1]
                marker, text = split_marker(args["text"])
                lines.append(Line(text, len(lines) + 1, page_no, marker=marker, indent=args["indent"],
                                  confidence=args["confidence"]))
                low += (args["confidence"] or 0) < LOW_CONFIDENCE
                continue
            _, grid_rows, top, bottom = item
            width = lambda cells: sum(c.span for c in cells)
            continues = (open_table and first_table and top < read.height * _TOP_OF_PAGE and rows
                         and grid_rows and width(grid_rows[0]) == width(rows[-1].cells))
            if not continues and rows:
                tables.append(Table(tuple(rows), index=len(tables) + 1, after_line=after))
                rows = []
            if not rows:
                after = len(lines)
            for r_i, cells in enumerate(grid_rows):
                if continues and r_i == 0 and _is_tail_of_split_row(cells):
                    rows[-1] = _join_tail(rows[-1], cells)
                    continue
                if continues and r_i == 0:
                    cells = [Cell("", True, c.span, True, confidence=c.confidence) if not c.text and not c.merged_above
                             else c for c in cells]
                low += sum(1 for c in cells if c.confidence is not None and c.confidence < LOW_CONFIDENCE)
                rows.append(Row(tuple(cells), index=len(rows) + 1, page=page_no))
            open_table = bottom > read.height * _BOTTOM_OF_PAGE
            first_table = False
        if first_table:
            open_table = False
    if rows:
        tables.append(Table(tuple(rows), index=len(tables) + 1, after_line=after))
    notes = ["ocr_pages:" + ",".join(map(str, sorted(reads)))]
    if low:
        notes.append(f"ocr_low_confidence:{low}")
    return RawDocument("pdf", tables=tuple(tables), lines=tuple(lines), pages=page_count,
                       notes=tuple(notes), text_layer="ocr")
