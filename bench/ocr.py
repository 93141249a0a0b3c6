"""OCR and the text-layer gate (issue 13), two rows of `make bench`:

- OCR pages/s per core: the seed PDFs printed to 200 dpi grey images (no text layer) and read
  by OCR in this one process (Tesseract runs with one thread, so this is one core's rate).
- the cost of the quality gate on clean PDFs: the corpus's text-layer PDFs extracted with the
  gate (legacy-encoding detection, damage count, the per-page garbage check) timed inside the
  run, and without it, each the best of five rounds; the gate's share of the run must stay
  under 5% (the time inside is the figure: the two runs' difference is within the noise of a
  shared machine).

    python -m bench.ocr      # prints the two rows
"""
from __future__ import annotations

import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from bench.measure import REPO

SEEDS = ("000_955eea8916a792bc", "004_9e906e494297ca05")
GATE_LIMIT = 0.05


def _scan(pdf: Path, out: Path, dpi: int = 200) -> Path:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    images = [document[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(document))]
    document.close()
    images[0].save(out, save_all=True, append_images=images[1:], resolution=dpi)
    return out


def ocr_rate(folder: Path) -> tuple[int, float]:
    """(pages, seconds) to read the printed seeds by OCR, one page after another."""
    from chitieu.parsers.formats import ocr

    scans = [_scan(REPO / "raw" / f"{stem}.pdf", folder / f"{stem}.pdf") for stem in SEEDS]
    pages, started = 0, time.perf_counter()
    for path in scans:
        pages += ocr.read_scanned_pdf(path).pages
    return pages, time.perf_counter() - started


@contextmanager
def _gate(mode: str, spent: list[float]):
    """The pipeline with the gate (the document check and the page checks: garbage, a scanner's
    OCR layer) timed into `spent` ('timed'), or taken out ('off')."""
    import chitieu.parsers.formats as formats
    from chitieu.parsers.formats import pdf

    saved = formats.check_text_layer, pdf.is_garbage, pdf.reads_badly

    def timed(function):
        def call(*args):
            started = time.perf_counter()
            try:
                return function(*args)
            finally:
                spent.append(time.perf_counter() - started)
        return call

    if mode == "off":
        formats.check_text_layer, pdf.is_garbage, pdf.reads_badly = (lambda doc: doc), (lambda texts: False), \
            (lambda texts: False)
    else:
        formats.check_text_layer, pdf.is_garbage, pdf.reads_badly = (timed(f) for f in saved)
    try:
        yield
    finally:
        formats.check_text_layer, pdf.is_garbage, pdf.reads_badly = saved


def clean_pdfs() -> list[Path]:
    corpus = REPO.parent / "shared" / "corpus" / "raw"
    corpus = corpus if corpus.is_dir() else REPO / "tests" / "corpus" / "raw"
    return sorted(REPO.glob("raw/*.pdf")) + sorted(corpus.glob("*.pdf"))


def gate_cost(paths: list[Path], rounds: int = 5) -> tuple[float, float, float]:
    """(seconds of a run with the gate, seconds of its gate, seconds of a run without it), each
    the best of `rounds` extractions of `paths`, the two kinds of run taking turns."""
    from chitieu.pipeline.extract import extract_document

    def run() -> float:
        started = time.perf_counter()
        for path in paths:
            extract_document(path, path.parent)
        return time.perf_counter() - started

    run()  # warm: imports, caches of the layouts
    with_gate, gate, without = [], [], []
    for _ in range(rounds):
        spent: list[float] = []
        with _gate("timed", spent):
            with_gate.append(run())
        gate.append(sum(spent))
        with _gate("off", []):
            without.append(run())
    return min(with_gate), min(gate), min(without)


def ocr_rows() -> list[tuple[str, str]]:
    from chitieu.parsers.formats import ocr

    rows = []
    if ocr.tesseract() is None:
        rows.append(("OCR pages/s per core", f"not measured: Tesseract is not installed ({ocr.INSTALL})"))
    else:
        with tempfile.TemporaryDirectory() as folder:
            pages, seconds = ocr_rate(Path(folder))
        rows.append(("OCR pages/s per core", f"{pages / seconds:.2f} pages/s ({pages} pages of the two seeds "
                                             f"printed at 200 dpi, {seconds:.1f} s, one Tesseract thread)"))
    paths = clean_pdfs()
    with_gate, gate, without = gate_cost(paths)
    share = gate / with_gate
    verdict = "under" if share < GATE_LIMIT else "OVER"
    rows.append(("text-layer gate on clean PDFs", f"{share:.1%} of the run: the gate {gate * 1000:.0f} ms of "
                                                  f"{with_gate:.2f} s ({len(paths)} PDFs, best of 5; the run without "
                                                  f"it {without:.2f} s): {verdict} the 5% limit"))
    return rows


def ocr_table() -> str:
    return "\n".join(["", "| OCR and the text-layer gate | figure |", "|---|---|"]
                     + [f"| {name} | {figure} |" for name, figure in ocr_rows()]) + "\n"


if __name__ == "__main__":
    sys.stdout.write(ocr_table())
