"""Time the pipeline against a synthetic corpus; print one markdown table and write it to
bench/results.md (`make bench`).

    python -m bench.run                                  # 200 documents, scaling 100 → 1,000, then 10,000
    python -m bench.run --docs 30 --scaling 20,60 --large 0 --out /tmp/results.md    # a quick look
    python -m bench.run --only-large                     # only 10,000 documents: peak memory, one changed file
    python -m bench.ocr                                  # only OCR pages/s and the text-layer gate's cost
    python -m bench.physical                             # only CPU per page against pypdfium2, OCR against tesseract

Every command is timed in a fresh process (see `bench.measure`). The corpus is generated into
a temporary folder (`--keep DIR` keeps it) and never into the repository.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2

from bench.corpus import FORMATS, REALISTIC, SMALL, CorpusMix, generate_corpus
from bench.measure import (REPO, FloorRun, Run, documents_read, measure_extract, measure_floor, normalizer_throughput,
                           pipeline_available)
from bench.phrases import sample_phrases

DEFAULT_OUT = REPO / "bench" / "results.md"
FLAT_MEMORY = 1.25  # a peak this much above the smallest run's is called growth, not noise


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parse_sizes(text: str) -> tuple[int, ...]:
    """`100,1000` → (100, 1000); `` or `none` turns the scaling run off."""
    if text.strip().lower() in ("", "none", "0"):
        return ()
    values = tuple(sorted({int(part) for part in text.split(",")}))
    if any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError("scaling sizes must be positive document counts")
    return values


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0],
                                     epilog="example: python -m bench.run --docs 200 --scaling 100,1000")
    parser.add_argument("--docs", type=int, default=200, help="documents in the main corpus (default 200)")
    parser.add_argument("--scaling", type=parse_sizes, default=(100, 1000),
                        help="corpus sizes for the scaling run, small documents (default 100,1000; 'none' skips)")
    parser.add_argument("--jobs", type=int, default=cores(), help="workers for the parallel run (default: cores)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of the pipeline and of the floor, in turn, for each format's ratio (default 3)")
    parser.add_argument("--phrases", type=int, default=20_000, help="phrases for the normalizer run (default 20000)")
    parser.add_argument("--report-docs", type=int, default=3000,
                        help="copies of the seed table for the report at scale (default 3000; 0 skips)")
    parser.add_argument("--large", type=int, default=10_000,
                        help="small documents for the peak memory and one-changed-file run (bench/large.py; "
                             "default 10000; 0 skips)")
    parser.add_argument("--only-large", action="store_true",
                        help="run only that part (prints its table; writes --out only when given)")
    parser.add_argument("--no-ocr", dest="ocr", action="store_false",
                        help="skip OCR, the text-layer gate's cost and the physical side (bench/ocr.py, bench/physical.py)")
    parser.add_argument("--out", type=Path, default=None,
                        help="where the table goes (default bench/results.md)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep}: give an empty or new folder, so old files and caches stay out of the run")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.docs < len(FORMATS):
        parser.error(f"--docs must be at least {len(FORMATS)}, one per format")
    return args


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --- corpora ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Corpus:
    folder: Path
    paths: tuple[Path, ...]
    pages: dict[Path, int]  # PDF pages per file; 0 for other formats
    mix: CorpusMix

    def of_format(self, fmt: str) -> tuple[Path, ...]:
        return tuple(p for p in self.paths if p.suffix == f".{fmt}")

    def pdf_pages(self, paths: tuple[Path, ...] | None = None) -> int:
        return sum(self.pages[p] for p in (self.paths if paths is None else paths))

    def describe(self, paths: tuple[Path, ...] | None = None) -> str:
        """`200 docs: 67 PDF (298 pages), 67 DOCX, 66 TXT`, naming only the formats present."""
        paths = self.paths if paths is None else paths
        parts = []
        for fmt in FORMATS:
            count = sum(p.suffix == f".{fmt}" for p in paths)
            if count:
                n_pages = self.pdf_pages(paths)
                pages = f" ({n_pages:,} page{'' if n_pages == 1 else 's'})" if fmt == "pdf" else ""
                parts.append(f"{count:,} {fmt.upper()}{pages}")
        counts = ", ".join(parts)
        return counts if len(parts) == 1 else f"{len(paths):,} docs: {counts}"


def pdf_page_count(path: Path) -> int:
    if path.suffix != ".pdf":
        return 0
    document = pypdfium2.PdfDocument(path)
    try:
        return len(document)
    finally:
        document.close()


def make_corpus(folder: Path, n_docs: int, seed: int, mix: CorpusMix) -> Corpus:
    started = time.perf_counter()
    paths = tuple(generate_corpus(folder, n_docs, seed=seed, mix=mix))
    log(f"generated {n_docs} documents ({mix.name} mix) in {time.perf_counter() - started:.0f} s")
    return Corpus(folder, paths, {p: pdf_page_count(p) for p in paths}, mix)


def link_files(paths: tuple[Path, ...], folder: Path) -> Path:
    """A folder holding just `paths` (hard links: no copying, same bytes and mtimes)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in paths:
        try:
            os.link(path, folder / path.name)
        except OSError:
            shutil.copy2(path, folder / path.name)
    return folder


# --- the table -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    measurement: str
    input: str
    seconds: float | None
    throughput: str
    peak_mib: float | None
    note: str = ""


def render_table(rows: list[Row]) -> str:
    lines = ["| measurement | input | wall s | throughput | peak RSS | note |", "|---|---|--:|---|--:|---|"]
    for r in rows:
        seconds = "—" if r.seconds is None else f"{r.seconds:.2f}"
        peak = "—" if r.peak_mib is None else f"{r.peak_mib:.0f} MiB"
        lines.append(f"| {r.measurement} | {r.input} | {seconds} | {r.throughput} | {peak} | {r.note} |")
    return "\n".join(lines)


def rate(files: int, pages: int, seconds: float) -> str:
    text = f"{files / seconds:.1f} docs/s"
    return f"{text} · {pages / seconds:.1f} PDF pages/s" if pages else text


def failed_documents(out: Path) -> int:
    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as f:
        return sum(row["status"] == "failed" for row in csv.DictReader(f))


def failures_note(out: Path) -> str:
    failed = failed_documents(out)
    return f"{failed} documents failed" if failed else ""


def join(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


# --- measurements ----------------------------------------------------------------------------

FLOOR_WHAT = {
    "pdf": "pdfplumber: every page's extract_text() and extract_tables()",
    "docx": "python-docx: every paragraph's and table cell's text",
    "txt": "read bytes, decode UTF-8",
}


def floor_row(fmt: str, corpus: Corpus, floor: FloorRun) -> Row:
    paths = corpus.of_format(fmt)
    return Row(f"floor · {fmt.upper()} ({FLOOR_WHAT[fmt]})", corpus.describe(paths), floor.run.seconds,
               rate(len(paths), corpus.pdf_pages(paths), floor.run.seconds), floor.run.peak_mib,
               f"{floor.read_seconds:.2f} s reading, the rest is start-up")


def per_format_rows(corpus: Corpus, work: Path, with_pipeline: bool, repeat: int = 1) -> list[Row]:
    """The pipeline on one format at a time at --jobs 1, each beside the floor for that format.
    With `repeat`, the two run in turn that many times (floor, pipeline, floor, …): each row
    shows its median run; the ratio is the median of the pairs' ratios, and the fastest pipeline
    run over the fastest floor run is given beside it."""
    rows = []
    for fmt in FORMATS:
        paths = corpus.of_format(fmt)
        folder = link_files(paths, work / "by-format" / fmt)
        floors, runs = [], []
        out = work / "out" / f"jobs1-{fmt}"
        for turn in range(repeat):
            log(f"floor, {fmt}" + (f" ({turn + 1}/{repeat})" if repeat > 1 else ""))
            floors.append(measure_floor(folder))
            if with_pipeline:
                log(f"extract --jobs 1, {fmt}" + (f" ({turn + 1}/{repeat})" if repeat > 1 else ""))
                runs.append(measure_extract(folder, out, jobs=1))
        floor = median_by(floors, lambda f: f.run.seconds)
        if with_pipeline:
            run = median_by(runs, lambda r: r.seconds)
            # A pair's two runs meet the same weather: the median of the pairs' ratios is the
            # figure; the fastest run of each over the other is shown beside it.
            ratio = statistics.median(r.seconds / f.run.seconds for r, f in zip(runs, floors))
            best = min(r.seconds for r in runs) / min(f.run.seconds for f in floors)
            paired = f" (median of {repeat} pairs; fastest over fastest {best:.2f}×)" if repeat > 1 else ""
            rows.append(Row(f"`extract --no-cache --jobs 1` · {fmt.upper()} only", corpus.describe(paths),
                            run.seconds, rate(len(paths), corpus.pdf_pages(paths), run.seconds), run.peak_mib,
                            join(f"**{ratio:.2f}× the floor**{paired}", failures_note(out))))
        rows.append(floor_row(fmt, corpus, floor))
    return rows


def median_by(items: list, key):
    """The item whose key is the median (the lower middle one of an even count)."""
    ordered = sorted(items, key=key)
    return ordered[(len(ordered) - 1) // 2]


def end_to_end_rows(corpus: Corpus, work: Path, jobs: int) -> list[Row]:
    """The whole corpus at --jobs 1 and at --jobs <cores>."""
    rows, single = [], None
    for n in sorted({1, jobs}):
        log(f"extract --jobs {n}, all formats")
        out = work / "out" / f"jobs{n}"
        run = measure_extract(corpus.folder, out, jobs=n)
        speedup = f"{single.seconds / run.seconds:.2f}× the speed of --jobs 1" if single else ""
        largest = "peak is the largest single process" if n > 1 else ""
        rows.append(Row(f"`extract --no-cache --jobs {n}` · all", corpus.describe(), run.seconds,
                        rate(len(corpus.paths), corpus.pdf_pages(), run.seconds), run.peak_mib,
                        join(speedup, f"CPU {run.cpu_seconds:.1f} s", largest, failures_note(out))))
        single = single or run
    return rows


def incremental_rows(corpus: Corpus, work: Path, jobs: int) -> list[Row]:
    """A first run that fills the cache, the same run again over the unchanged corpus, and
    one more after a single document changed (it is read again and every output is written
    again from the cache)."""
    out = work / "out" / "incremental"
    log("extract, cold cache")
    cold = measure_extract(corpus.folder, out, jobs=jobs, cache=True)
    log("extract, unchanged re-run")
    warm = measure_extract(corpus.folder, out, jobs=jobs, cache=True)
    changed = corpus.of_format("txt")[0]
    log(f"extract, re-run after {changed.name} changed")
    # a new file in its place, not an edit: the by-format folders hold hard links to it
    replacement = changed.with_name(changed.name + ".new")
    replacement.write_bytes(changed.read_bytes() + b"\n")
    os.replace(replacement, changed)
    one = measure_extract(corpus.folder, out, jobs=jobs, cache=True, verbose=True)
    read, cached = documents_read(one) or (None, None)
    return [
        Row(f"`extract --jobs {jobs}` · first run (empty cache)", corpus.describe(), cold.seconds,
            rate(len(corpus.paths), corpus.pdf_pages(), cold.seconds), cold.peak_mib),
        Row(f"`extract --jobs {jobs}` · re-run, nothing changed", corpus.describe(), warm.seconds,
            rate(len(corpus.paths), corpus.pdf_pages(), warm.seconds), warm.peak_mib,
            f"**{warm.seconds / cold.seconds:.1%} of the first run**: the outputs stand as they are"),
        Row(f"`extract --jobs {jobs}` · re-run, one document changed", corpus.describe(), one.seconds,
            rate(len(corpus.paths), corpus.pdf_pages(), one.seconds), one.peak_mib,
            f"{one.seconds / cold.seconds:.1%} of the first run: {read} read, {cached} from the cache, "
            f"every output written again"),
    ]


def normalizer_rows(n_phrases: int, seed: int) -> list[Row]:
    """parse_target on the phrase sample as drawn (phrases repeat, as they do in documents:
    '100%', 'Trên 90%'), then on other phrases each seen for the first time, so that no
    reading comes from the normalizer's caches."""
    phrases = sample_phrases(n_phrases, seed)
    seen = set(phrases)
    others = [p for p in dict.fromkeys(sample_phrases(n_phrases, seed + 1)) if p not in seen]
    warmup, fresh = others[:50], others[50:]
    what = "`parse_target(text, unit=…)` · one core, in-process"
    log("normalizer")
    rows = []
    for given, calls, warm in ((f"{len(phrases):,} target phrases as drawn ({len(seen):,} distinct)", phrases, None),
                               (f"{len(fresh):,} other phrases, each read once: none from a cache", fresh, warmup)):
        try:
            t = normalizer_throughput(calls, warmup=warm)
        except ImportError as error:
            return [Row(what, given, None, "—", None, f"not measured: {error}")]
        rows.append(Row(what, given, t.seconds, f"{t.per_second:,.0f} phrases/s", None,
                        f"{1e6 / t.per_second:.0f} µs per phrase, after 50 warm-up calls"))
    return rows


def scaling_rows(sizes: tuple[int, ...], seed: int, work: Path) -> list[Row]:
    """Per-document time and peak memory at growing corpus sizes, one process (--jobs 1) so
    anything held per document shows as growth. Smaller corpora are prefixes of the largest."""
    biggest = make_corpus(work / "scaling" / "all", max(sizes), seed, SMALL)
    rows: list[Row] = []
    runs: list[tuple[int, Run]] = []
    for n in sizes:
        paths = biggest.paths[:n]
        folder = link_files(paths, work / "scaling" / str(n))
        log(f"scaling, {n} documents")
        out = work / "out" / f"scaling-{n}"
        run = measure_extract(folder, out, jobs=1)
        note = growth_note(runs[0], runs[-1], (n, run)) if runs else ""
        rows.append(Row(f"scaling · `extract --no-cache --jobs 1` · {n:,} docs, {SMALL.describe()}",
                        biggest.describe(paths), run.seconds, f"{run.seconds / n * 1000:.0f} ms/doc",
                        run.peak_mib, join(note, failures_note(out))))
        runs.append((n, run))
    return rows


def growth_note(smallest: tuple[int, Run], previous: tuple[int, Run], current: tuple[int, Run]) -> str:
    """Per-document cost includes the process start-up, which small runs feel most; the
    marginal cost (the extra time per extra document) is what a growing corpus pays."""
    (n0, run0), (n1, run1), (n, run) = smallest, previous, current
    per_doc_ratio = (run.seconds / n) / (run0.seconds / n0)
    marginal = (run.seconds - run1.seconds) / (n - n1) * 1000
    memory_ratio = run.peak_mib / run0.peak_mib
    verdict = "flat" if memory_ratio <= FLAT_MEMORY else "**memory grows with the corpus**"
    return (f"per doc ×{per_doc_ratio:.2f} of the {n0:,}-doc run, {marginal:.0f} ms per extra doc; "
            f"peak ×{memory_ratio:.2f}: {verdict}")


def run_benchmark(args: argparse.Namespace, work: Path) -> tuple[list[Row], Corpus]:
    corpus = make_corpus(work / "corpus", args.docs, args.seed, REALISTIC)
    with_pipeline = pipeline_available()
    if not with_pipeline:
        log("the pipeline CLI (python -m chitieu.pipeline.cli) is not available: measuring the floor and normalizer only")
    rows = per_format_rows(corpus, work, with_pipeline, args.repeat)
    if with_pipeline:
        rows += end_to_end_rows(corpus, work, args.jobs)
    rows += normalizer_rows(args.phrases, args.seed)
    if with_pipeline:
        rows += incremental_rows(corpus, work, args.jobs)
        if args.scaling:
            rows += scaling_rows(args.scaling, args.seed, work)
    return rows, corpus


@contextlib.contextmanager
def work_folder(keep: Path | None) -> Iterator[Path]:
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="chitieu-bench-") as folder:
        yield Path(folder)


def context_line(args: argparse.Namespace, corpus: Corpus, minutes: float) -> str:
    return (f"Corpus: {corpus.describe()}, half target tables and half resolutions, {corpus.mix.describe()}, "
            f"seed {args.seed}. Machine: {cores()} cores, Python {platform.python_version()}. "
            f"Run {datetime.date.today():%Y-%m-%d}, took {minutes:.1f} min. Wall s is one fresh process each"
            + (f"; a format's pipeline and floor rows are the median of {args.repeat} runs taken in turn, its ratio the median of the pairs'."
               if args.repeat > 1 else "."))


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def report_table(n_docs: int, jobs: int, work: Path) -> str:
    """The report at scale (bench/report.py): n copies of the seed table, re-rendered and opened."""
    from bench.report import report_rows

    log(f"the report at scale, {n_docs} table documents")
    folder = work / "report"
    folder.mkdir()
    lines = ["", "| report at scale | figure |", "|---|---|"]
    return "\n".join(lines + [f"| {name} | {figure} |" for name, figure in report_rows(n_docs, jobs, folder)]) + "\n"


def large_part(args: argparse.Namespace, work: Path) -> str:
    """10,000 small documents (bench/large.py): the first run's peak memory, one changed file."""
    from bench.large import corpus, large_table, measure_large

    folder = work / "large"
    result = measure_large(corpus(folder, args.large, args.seed, args.jobs), folder, work / "out" / "large", args.jobs)
    return large_table(result, args.jobs)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    if args.only_large:
        with work_folder(args.keep) as work:
            text = large_part(args, work)
        print(text, end="")
        if args.out:
            write_atomically(args.out, "# chitieu benchmark: 10,000 documents\n" + text)
        return 0
    args.out = args.out or DEFAULT_OUT
    with work_folder(args.keep) as work:
        rows, corpus = run_benchmark(args, work)
        report = report_table(args.report_docs, args.jobs, work) if args.report_docs and pipeline_available() else ""
        if args.large and pipeline_available():
            report += large_part(args, work)
    if args.ocr and pipeline_available():
        from bench.ocr import ocr_table

        from bench.physical import physical_table

        log("OCR pages/s and the text-layer gate's cost")
        report += ocr_table()
        log("the physical side: CPU per page against pypdfium2 and pdftotext, OCR against tesseract alone")
        report += physical_table()
    text = f"{context_line(args, corpus, (time.perf_counter() - started) / 60)}\n\n{render_table(rows)}\n{report}"
    print(text, end="")
    write_atomically(args.out, "# chitieu benchmark\n\n" + text)
    log(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
