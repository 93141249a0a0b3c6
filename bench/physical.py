"""The physical side of speed (issue 23), measured in one run against the tools that set the
floor on this machine:

- text-layer PDFs: chitieu's CPU per page (reading, layout, every row; in this process)
  against pypdfium2's text extraction and `pdftotext` on the same PDFs (the seeds ×50 and the
  corpus's PDFs), as ratios;
- OCR: chitieu's pages per CPU-second (its own CPU and Tesseract's) against `tesseract` alone
  on the same page images, the share of OCR time spent outside Tesseract, and how many cores
  one 20-page scan keeps busy;
- start-up: `chitieu --version`, wall time.

    python -m bench.physical      # prints the table
"""
from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from bench.measure import REPO
from bench.ocr import SEEDS, _scan, clean_pdfs

SEED_COPIES = 50


def _cpu() -> tuple[float, float]:
    """(this process's CPU seconds, its children's)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def text_pdfs() -> list[Path]:
    seeds = [REPO / "raw" / f"{stem}.pdf" for stem in SEEDS]
    corpus = [p for p in clean_pdfs() if p.parent != REPO / "raw"]
    return seeds * SEED_COPIES + corpus


def chitieu_text_cpu(paths: list[Path]) -> float:
    from chitieu.pipeline.extract import extract_document

    extract_document(paths[0], paths[0].parent)  # warm: imports and the layouts' tables
    before = sum(_cpu())
    for path in paths:
        extract_document(path, path.parent)
    return sum(_cpu()) - before


def chitieu_reading_cpu(paths: list[Path]) -> float:
    """The PDF reader alone: every page's characters, tables and lines (what pypdfium2's text
    extraction is set against), without the layouts and normalizers that follow."""
    from chitieu.parsers.formats.pdf import read_pdf

    read_pdf(paths[0])
    before = _cpu()[0]
    for path in paths:
        read_pdf(path)
    return _cpu()[0] - before


def pdfium_text_cpu(paths: list[Path]) -> float:
    import pypdfium2 as pdfium

    before = _cpu()[0]
    for path in paths:
        document = pdfium.PdfDocument(str(path))
        for page in document:
            text = page.get_textpage()
            text.get_text_range()
            text.close()
            page.close()
        document.close()
    return _cpu()[0] - before


def pdftotext_cpu(paths: list[Path]) -> float | None:
    program = shutil.which("pdftotext")
    if program is None:
        return None
    before = _cpu()[1]
    for path in paths:
        subprocess.run([program, "-layout", str(path), "-"], capture_output=True, check=False)
    return _cpu()[1] - before


ROUNDS = 3


def text_rows() -> list[tuple[str, str]]:
    """The three measures taken in turn, ROUNDS times over, each the least CPU of its rounds:
    on a shared machine another tenant's work only ever adds to a measure, and taking the
    three in turn spreads a slow spell over all of them rather than one."""
    paths = text_pdfs()
    counts = {p: _pages(p) for p in set(paths)}  # each file opened once, counted as often as it is read
    pages = sum(counts[p] for p in paths)
    rounds = [(chitieu_text_cpu(paths), chitieu_reading_cpu(paths), pdfium_text_cpu(paths)) for _ in range(ROUNDS)]
    ours, reading, pdfium_cpu = (min(r[k] for r in rounds) for k in range(3))
    poppler = pdftotext_cpu(paths)
    what = (f"{len(paths)} PDFs, {pages} pages (the seeds ×{SEED_COPIES} and the corpus's PDFs); "
            f"the least of {ROUNDS} rounds, taken in turn")
    rows = [("text PDFs: pypdfium2 text CPU per page", f"{pdfium_cpu / pages * 1000:.2f} ms ({what})"),
            ("text PDFs: chitieu reading CPU per page", f"{reading / pages * 1000:.1f} ms (characters, tables, lines): "
                                                        f"**{reading / pdfium_cpu:.1f}×** pypdfium2 (the issue's aim: at most 3×)"),
            ("text PDFs: chitieu CPU per page, whole", f"{ours / pages * 1000:.1f} ms (reading, layouts, every row): "
                                                       f"**{ours / pdfium_cpu:.1f}×** pypdfium2")]
    if poppler is not None:
        rows.append(("text PDFs: pdftotext CPU per page", f"{poppler / pages * 1000:.1f} ms; chitieu costs "
                                                          f"{ours / poppler:.1f}× (a program per file: its start-up counts)"))
    return rows


def _page_images(scans: list[Path], folder: Path) -> list[tuple[Path, int]]:
    """The pages as chitieu takes them for OCR (a scan's own picture at its resolution), saved
    as the images Tesseract is handed, with their resolution."""
    import pypdfium2 as pdfium

    from chitieu.parsers.formats import ocr

    images = []
    for scan in scans:
        document = pdfium.PdfDocument(str(scan))
        for index in range(len(document)):
            image, page = folder / f"{scan.stem}-{index + 1}.pgm", ocr.render_page(document, index)
            page.save(image, format="PPM")
            images.append((image, round(ocr.image_dpi(page))))
        document.close()
    return images


def tesseract_alone_cpu(images: list[tuple[Path, int]]) -> float:
    from chitieu.parsers.formats import ocr

    environment = dict(os.environ, OMP_THREAD_LIMIT="1")
    before = _cpu()[1]
    for image, dpi in images:
        subprocess.run([ocr.tesseract(), str(image), "stdout", "-l", ocr.LANGUAGE, "--psm", "3", "--dpi", str(dpi),
                        "tsv"], capture_output=True, check=True, env=environment)
    return _cpu()[1] - before


def ocr_rows() -> list[tuple[str, str]]:
    from chitieu.parsers.formats import ocr

    if ocr.tesseract() is None:
        return [("OCR against Tesseract alone", f"not measured: Tesseract is not installed ({ocr.INSTALL})")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        scans = [_scan(REPO / "raw" / f"{stem}.pdf", folder / f"{stem}.pdf") for stem in SEEDS]
        import numpy  # noqa: F401 (imported once a process, not a page's cost: OCR imports it on its first page)

        own0, kids0 = _cpu()
        pages = sum(ocr.read_scanned_pdf(scan).pages for scan in scans)
        own1, kids1 = _cpu()
        ours_own, ours_tesseract = own1 - own0, kids1 - kids0
        alone = tesseract_alone_cpu(_page_images(scans, folder))
        long_scan = _long_scan(folder)
        with _pages_timed(ocr) as reading:
            started, (own2, kids2), load = time.perf_counter(), _cpu(), os.getloadavg()[0]
            ocr.read_scanned_pdf(long_scan)
            wall = time.perf_counter() - started
            own3, kids3 = _cpu()
        busy = ((own3 - own2) + (kids3 - kids2)) / wall
        at_once = sum(reading) / wall
    total = ours_own + ours_tesseract
    return [
        ("OCR: chitieu pages per CPU-second", f"{pages / total:.2f} ({pages} pages of the seeds printed at 200 dpi; "
                                              f"its own CPU and Tesseract's)"),
        ("OCR: tesseract alone, pages per CPU-second", f"{pages / alone:.2f} on the same page images; chitieu "
                                                       f"reads at **{alone / total:.2f}×** its rate"),
        ("OCR: time outside Tesseract", f"**{ours_own / total:.1%}** of chitieu's OCR CPU (the page image, the grid, "
                                        f"reading the words; the issue's aim: at most 10%)"),
        ("OCR: cores one 20-page scan keeps busy", f"**{busy:.2f}** of {ocr.ocr_threads()} "
                                                   f"({wall:.1f} s wall for 20 pages; {at_once:.2f} pages read at "
                                                   f"once on average; load average {load:.1f} at its start: other "
                                                   f"work on the machine takes its share of the cores)"),
    ]


@contextmanager
def _pages_timed(ocr):
    """The wall time each page's reading (ocr.read_page) takes while in the block: their sum over
    the block's wall time is how many pages were read at once, whatever else the cores run."""
    spent: list[float] = []
    read_page = ocr.read_page

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return read_page(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    ocr.read_page = timed
    try:
        yield spent
    finally:
        ocr.read_page = read_page


def _long_scan(folder: Path, pages: int = 20, dpi: int = 200) -> Path:
    """A 20-page scan: the seeds' pages printed at 200 dpi, over and over."""
    import pypdfium2 as pdfium

    printed = []
    for stem in SEEDS:
        document = pdfium.PdfDocument(str(REPO / "raw" / f"{stem}.pdf"))
        printed += [document[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(document))]
        document.close()
    frames = [printed[k % len(printed)] for k in range(pages)]
    path = folder / "long-scan.pdf"
    frames[0].save(path, save_all=True, append_images=frames[1:], resolution=dpi)
    return path


def start_up_row() -> tuple[str, str]:
    command = [sys.executable, "-m", "chitieu.pipeline.cli", "--version"]
    times = []
    for _ in range(7):
        started = time.perf_counter()
        subprocess.run(command, cwd=REPO, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return "start-up: chitieu --version", f"**{statistics.median(times):.3f} s** wall (median of 7; the aim: under 0.1 s)"


def physical_table() -> str:
    rows = text_rows() + ocr_rows() + [start_up_row()]
    return "\n".join(["", "| the physical side | figure |", "|---|---|"]
                     + [f"| {name} | {figure} |" for name, figure in rows]) + "\n"


if __name__ == "__main__":
    sys.stdout.write(physical_table())
