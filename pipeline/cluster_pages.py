"""A long scan on a Dask cluster: each scanned page a task of its own, so that its OCR spreads
over the workers instead of keeping one busy for minutes.

The document's task (cluster_worker.read_document) looks at its PDF's pages with pdfium: a page
without characters but with an image is a scanned page, as the PDF reader judges it. From
SPLIT_PAGES such pages on, each goes to a task (`ocr_page`: ocr.read_page on ocr.render_page,
which is all ocr.read_pages does for a page), and the reads come back to the document's worker,
which files them beside the document for its reader. The reader's ocr.read_pages takes a page
from there instead of reading it again, so the PDF reader assembles the document exactly as it
does alone and the result is byte for byte a local run's (parsers/formats are not changed: the
reader process's ocr.read_pages is wrapped, in that process only). A page that has no read
filed (its task failed or ran out of the document's time) is read by the reader itself, as
without a cluster. Page tasks run before the documents waiting (a higher priority), so the
writer, which takes results in order, is not kept waiting for a long scan.

This module is what a reader process imports: it imports no Dask at the top.
"""
from __future__ import annotations

import functools
import os
import pickle
import time
from pathlib import Path

from ..parsers.formats import limits, ocr
from .pool import serve

SPLIT_PAGES = 2  # scanned pages from which a PDF's pages are read as tasks of their own
PAGE_PRIORITY = 10  # above the documents' 0: a scan being read finishes before new ones start
PAGES_FOLDER = "pages"  # in a reader's scratch folder: the page reads filed for it


# ---------------------------------------------------------------------------- the document's worker


def scanned_pages(path: Path) -> list[int]:
    """The pages (1-based) of a PDF that hold no characters but an image; none for a file
    pdfium cannot open, or one over the page limit (the reader will say why)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError):
        return []
    try:
        if len(document) > limits.MAX_PDF_PAGES:
            return []
        return [n for n in range(1, len(document) + 1) if _is_scanned(document[n - 1])]
    finally:
        document.close()


def _is_scanned(page) -> bool:
    import pypdfium2.raw as pdfium_c

    try:
        text = page.get_textpage()
        try:
            if text.count_chars():
                return False
        finally:
            text.close()
        return any(o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for o in page.get_objects(max_depth=1))
    finally:
        page.close()


def read_scanned_pages(path: Path, shared: bool, deadline: float, scratch: str) -> tuple[float, int]:
    """In the document's task: its scanned pages read as tasks, filed for the reader; `shared`
    when every worker sees `path`, else the tasks get its bytes from this worker (not from the
    store again). Returns (seconds of OCR, pages read as tasks)."""
    pages = scanned_pages(path)
    if len(pages) < SPLIT_PAGES:
        return 0.0, 0
    from distributed import get_client, rejoin, secede, wait

    client = get_client()
    document = str(path) if shared else client.scatter(path.read_bytes(), direct=True)
    futures = [client.submit(ocr_page, document, n, pure=False, priority=PAGE_PRIORITY) for n in pages]
    secede()  # this worker's thread is free for page tasks (its own document's among them)
    try:
        wait(futures, timeout=max(0.0, deadline - time.monotonic()))
    except TimeoutError:
        pass  # the pages not read by now are the reader's to read, within its own limit
    finally:
        client.cancel([f for f in futures if not f.done()])
        rejoin()
    reads, seconds = {}, 0.0
    for n, future in zip(pages, futures):
        if future.status == "finished":
            read, spent = future.result()
            seconds += spent
            if read is not None:
                reads[n] = read
    folder = Path(scratch) / PAGES_FOLDER
    folder.mkdir(exist_ok=True)
    _filed(folder, path).write_bytes(pickle.dumps(reads, protocol=pickle.HIGHEST_PROTOCOL))
    return seconds, len(reads)


def forget_pages(path: Path, scratch: str) -> None:
    _filed(Path(scratch) / PAGES_FOLDER, path).unlink(missing_ok=True)


def ocr_page(document: str | bytes, page_no: int) -> tuple[ocr.PageRead | None, float]:
    """A page task: what OCR reads on one page, as ocr.read_pages reads it (None when it cannot
    be read here: the reader then reads it and says why), and the seconds it took."""
    import pypdfium2 as pdfium

    os.environ["OMP_THREAD_LIMIT"] = "1"
    started = time.perf_counter()
    program = ocr.tesseract()
    if program is None:
        return None, 0.0
    try:
        pdf = pdfium.PdfDocument(document)
        try:
            read = ocr.read_page(ocr.render_page(pdf, page_no - 1), program, ocr.PAGE_TIMEOUT)
        finally:
            pdf.close()
    except Exception:  # noqa: BLE001 (the reader meets the same error on that page and words it)
        read = None
    return read, time.perf_counter() - started


def _filed(folder: Path, path: Path | str) -> Path:
    """Where the page reads of the file at `path` are filed: by its device and inode, the one
    name the reader's opened descriptor (/proc/self/fd/N) and this path share."""
    st = os.stat(path)
    return folder / f"{st.st_dev}-{st.st_ino}.pickle"


# ---------------------------------------------------------------------------- the reader


def serve_with_page_reads(conn, raw: str, timeout: float, cache_folder: str, parent: int, budget: int,
                          scratch: str) -> None:
    """A reader process (pool.serve) whose ocr.read_pages first takes the pages filed
    for the document it reads."""
    ocr.read_pages = functools.partial(_read_pages, ocr.read_pages, Path(scratch) / PAGES_FOLDER)
    serve(conn, raw, timeout, cache_folder, parent, budget, scratch)


_loaded: dict[Path, tuple[tuple, dict]] = {}  # a filing, by the stat of its file: loaded once a document


def _read_pages(read_pages, folder: Path, path: Path, pages: list[int], timeout: float = ocr.PAGE_TIMEOUT) -> dict:
    try:
        filing = _filed(folder, path)
        st = os.stat(filing)
        stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
        if filing not in _loaded or _loaded[filing][0] != stamp:
            _loaded.clear()
            _loaded[filing] = (stamp, pickle.loads(filing.read_bytes()))
        filed = _loaded[filing][1]
    except (OSError, pickle.UnpicklingError, EOFError):
        filed = {}
    missing = [n for n in pages if n not in filed]
    reads = read_pages(path, missing, timeout) if missing else {}
    return {n: filed[n] if n in filed else reads[n] for n in pages}
