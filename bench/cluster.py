"""Throughput on a Dask cluster (issue 24), and the national archive's size in workers × hours.

- pages per second per core: text-layer PDFs (the shared corpus's, else the seeds') and scans
  (the seed PDFs printed to 200 dpi grey images, as bench.ocr makes them), each document read
  by extract_document in this one process (Tesseract with one thread): one core's rate;
- a text batch and a scan batch read by `chitieu extract` in fresh processes with --jobs 1,
  --cluster local:1 and --cluster local:2: the wall time, and on a cluster the time from the
  first task to the last result (the run's own account: starting the cluster and hashing are
  before it); the scaling efficiency of 2 workers over 1 from the latter (t1 / t2 / 2);
- one long scan (--long-scan pages, the seed scans one after another) on 1 and 2 workers: its
  pages are tasks of their own (pipeline/cluster_pages.py), so 2 workers read it faster;
- the sizing table: 10,763 bodies (63 provinces, ~700 districts, ~10,000 communes) × 3
  planning documents a year × 10 years × 8 pages, a third of them scans, over N workers at the
  measured per-core rates and efficiency.

    python -m bench.cluster                # about 3 minutes on 2 cores
    python -m bench.cluster --copies 1     # a quicker, noisier look
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import REPO
from bench.ocr import SEEDS, _scan

CORPUS = REPO.parent / "shared" / "corpus" / "raw"
BODIES = 63 + 700 + 10_000
DOCUMENTS = BODIES * 3 * 10
PAGES = DOCUMENTS * 8
SCAN_SHARE = 1 / 3
WORKERS = (1, 8, 32, 64, 128, 256, 512)


def text_pdfs() -> list[Path]:
    folder = CORPUS if CORPUS.is_dir() else REPO / "raw"
    return sorted(folder.glob("*.pdf"))


def scans(folder: Path, copies: int) -> list[Path]:
    """The seed PDFs printed to images, `copies` of each (other bytes: a page's DPI note)."""
    made = []
    for stem in SEEDS:
        first = _scan(REPO / "raw" / f"{stem}.pdf", folder / f"{stem}-0.pdf")
        made.append(first)
        for k in range(1, copies):
            copy = folder / f"{stem}-{k}.pdf"
            copy.write_bytes(first.read_bytes() + b"\n%" + str(k).encode() + b"\n")  # a comment after %%EOF
            made.append(copy)
    return made


def per_core_rate(paths: list[Path]) -> tuple[int, float]:
    """(pages, seconds) to read `paths` one after another in this process."""
    from chitieu.pipeline.extract import extract_document

    os.environ["OMP_THREAD_LIMIT"] = "1"
    pages, started = 0, time.perf_counter()
    for path in paths:
        result = extract_document(path, path.parent)
        assert result.document["status"] == "ok", result.document["error"]
        pages += result.document["pages"]
    return pages, time.perf_counter() - started


def timed_run(raw: Path, out: Path, *options: str) -> tuple[float, str]:
    """Seconds `chitieu extract` takes in a fresh process, and what it said."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "chitieu.pipeline.cli", "extract", str(raw), str(out), "--no-cache",
                           *options], cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return seconds, done.stderr


def account(said: str) -> tuple[float | None, str]:
    """The seconds from the first task to the last result, and the time per stage, as the run
    said them."""
    match = re.search(r"read on the cluster in ([\d.]+) s .*time per stage: (.*)", said)
    return (float(match[1]), match[2]) if match else (None, "")


def batch_rows(name: str, raw: Path, pages: int, work: Path) -> list[str]:
    rows, reading = [], {}
    for label, options in (("local --jobs 1", ("--jobs", "1")), ("--cluster local:1", ("--cluster", "local:1")),
                           ("--cluster local:2", ("--cluster", "local:2"))):
        seconds, said = timed_run(raw, work / "out", *options)
        reading[label], stages = account(said)
        span = f"; reading {reading[label]:.1f} s, {pages / reading[label]:.2f} pages/s" if reading[label] else ""
        rows.append(f"| {name}: {label} | {seconds:.1f} s wall, {pages / seconds:.2f} pages/s{span} | {stages} |")
    t1, t2 = reading["--cluster local:1"], reading["--cluster local:2"]
    rows.append(f"| {name}: 2 workers over 1 | {t1 / t2:.2f}× the speed, efficiency {t1 / t2 / 2:.0%} | "
                f"first task to last result |")
    return rows


def long_scan(folder: Path, scan_paths: list[Path], pages: int) -> Path:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    while len(document) < pages:
        for path in scan_paths:
            source = pdfium.PdfDocument(str(path))
            document.import_pages(source, list(range(min(len(source), pages - len(document)))))
            if len(document) >= pages:
                break
    folder.mkdir()
    document.save(str(folder / "long.pdf"))
    return folder


def long_scan_rows(raw: Path, pages: int, work: Path) -> list[str]:
    reading = {}
    for workers in (1, 2):
        _, said = timed_run(raw, work / "out", "--cluster", f"local:{workers}")
        reading[workers], _ = account(said)
    return [f"| one {pages}-page scan: 1 worker, 2 workers | {reading[1]:.1f} s, {reading[2]:.1f} s: "
            f"{reading[1] / reading[2]:.2f}× the speed | its pages are tasks of their own |"]


def sizing_rows(text_rate: float, ocr_rate: float, efficiency: float) -> list[str]:
    """Hours for the archive on N workers: every worker a core of its own (ideal), and at the
    efficiency measured here (2 workers sharing this machine's 2 cores with the client)."""
    scan_pages, text_pages = PAGES * SCAN_SHARE, PAGES * (1 - SCAN_SHARE)
    core_seconds = scan_pages / ocr_rate + text_pages / text_rate
    rows = [f"{DOCUMENTS:,} documents, {PAGES:,} pages: {core_seconds / 1e6:.2f} million core-seconds "
            f"({core_seconds / 3600:,.0f} core-hours)", "",
            f"| workers (1 core each) | hours, ideal | hours at {efficiency:.0%} efficiency |", "|---|---|---|"]
    for n in WORKERS:
        ideal = core_seconds / n / 3600
        rows.append(f"| {n} | {ideal:,.1f} | {ideal / (efficiency if n > 1 else 1.0):,.1f} |")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=2, help="copies of each seed scan in the scan batch")
    parser.add_argument("--long-scan", type=int, default=9, metavar="PAGES", help="pages of the long scan (0: none)")
    parser.add_argument("--efficiency", type=float, default=None,
                        help="scaling efficiency for the sizing table (default: the scan batch's, measured)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="chitieu-bench-cluster-") as tmp:
        work = Path(tmp)
        (work / "scans").mkdir()
        scan_paths = scans(work / "scans", args.copies)
        text_pages, text_seconds = per_core_rate(text_pdfs())
        scan_pages, scan_seconds = per_core_rate(scan_paths[:len(SEEDS)])
        text_rate, ocr_rate = text_pages / text_seconds, scan_pages / scan_seconds
        print("| measure | figure | |\n|---|---|---|")
        print(f"| text-layer PDF, one core | {text_rate:.1f} pages/s ({text_pages} pages in {text_seconds:.1f} s) | "
              f"extract_document, one process |")
        print(f"| scan (OCR), one core | {ocr_rate:.2f} pages/s ({scan_pages} pages in {scan_seconds:.1f} s) | "
              f"200 dpi, one Tesseract thread |")
        raw_text = work / "text"
        raw_text.mkdir()
        for path in text_pdfs():
            shutil.copyfile(path, raw_text / path.name)
        all_scan_pages = scan_pages * args.copies
        rows = batch_rows("text PDFs", raw_text, text_pages, work) + batch_rows("scans", work / "scans", all_scan_pages,
                                                                                  work)
        if args.long_scan:
            rows += long_scan_rows(long_scan(work / "long", scan_paths[:len(SEEDS)], args.long_scan), args.long_scan,
                                   work)
        print("\n".join(rows))
        efficiency = args.efficiency or float(re.findall(r"efficiency (\d+)%", "\n".join(rows))[-1]) / 100
        print()
        print("\n".join(sizing_rows(text_rate, ocr_rate, efficiency)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
