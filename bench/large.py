"""A batch of 10,000 small documents (issue 24's acceptance): the peak memory of a first run,
and a re-run after one file changed as a share of that run's time.

    python -m bench.large                                   # 10,000 documents (make bench runs it too)
    python -m bench.large --docs 2000                       # a quicker look
    python -m bench.large --corpus /tmp/big                 # generate once into /tmp/big, reuse after

Each run is a fresh process (bench.measure), `--jobs` workers, the cache in OUT. The first run
is taken `--cold` times, each into an empty OUT, and its median is the whole; the re-run after
one changed document (a different .txt each time, one newline added) `--repeat` times, median.
Peak memory is the largest single process, the one that writes the outputs.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import SMALL, generate_corpus
from bench.measure import Run, documents_read, measure_extract

MEMORY_LIMIT_MIB = 300  # issue 24: peak memory at 10,000 documents
CHANGED_LIMIT = 0.10  # issue 24: one changed file re-extracted in under this share of a first run
_SUMMARY = re.compile(r"chitieu: (\d+) documents, (\d+) targets")


@dataclass(frozen=True)
class LargeResult:
    documents: int
    targets: int | None
    cold: list[Run]
    changed: list[Run]
    read_cached: tuple[int, int] | None  # documents read and taken from the cache by the last re-run

    @property
    def cold_seconds(self) -> float:
        return statistics.median(r.seconds for r in self.cold)

    @property
    def changed_seconds(self) -> float:
        return statistics.median(r.seconds for r in self.changed)

    @property
    def peak_mib(self) -> float:
        return max(r.peak_mib for r in self.cold)

    @property
    def changed_share(self) -> float:
        return self.changed_seconds / self.cold_seconds


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def corpus(folder: Path, n_docs: int, seed: int, jobs: int) -> list[Path]:
    """`n_docs` small documents in `folder`, generated unless they are there already."""
    present = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    if len(present) == n_docs:
        log(f"reusing the {n_docs:,} documents in {folder}")
        return present
    if present:
        shutil.rmtree(folder)
    started = time.perf_counter()
    paths = generate_corpus(folder, n_docs, seed=seed, mix=SMALL, jobs=jobs)
    log(f"generated {n_docs:,} documents ({SMALL.name} mix) in {time.perf_counter() - started:.0f} s")
    return sorted(paths)


def measure_large(paths: list[Path], folder: Path, out: Path, jobs: int, cold: int = 2,
                  repeat: int = 3) -> LargeResult:
    colds = []
    for turn in range(cold):
        shutil.rmtree(out, ignore_errors=True)
        log(f"{len(paths):,} documents, first run ({turn + 1}/{cold})")
        colds.append(measure_extract(folder, out, jobs=jobs, cache=True))
    texts = [p for p in paths if p.suffix == ".txt"]
    changed, read_cached = [], None
    for turn in range(repeat):
        path = texts[turn % len(texts)]
        log(f"re-run after {path.name} changed ({turn + 1}/{repeat})")
        # a new file in its place, not an edit: other folders may hold hard links to it
        replacement = path.with_name(path.name + ".new")
        replacement.write_bytes(path.read_bytes() + b"\n")
        os.replace(replacement, path)
        run = measure_extract(folder, out, jobs=jobs, cache=True, verbose=True)
        changed.append(run)
        read_cached = documents_read(run)
    found = _SUMMARY.search(colds[-1].output)
    return LargeResult(len(paths), int(found[2]) if found else None, colds, changed, read_cached)


def large_rows(result: LargeResult, jobs: int) -> list[tuple[str, str]]:
    """(measurement, figure) lines for the results table."""
    verdict_memory = "under" if result.peak_mib < MEMORY_LIMIT_MIB else "**over**"
    verdict_changed = "under" if result.changed_share < CHANGED_LIMIT else "**over**"
    cold = ", ".join(f"{r.seconds:.1f}" for r in result.cold)
    changed = ", ".join(f"{r.seconds:.1f}" for r in result.changed)
    read = (f"; {result.read_cached[0]} read, {result.read_cached[1]:,} from the cache"
            if result.read_cached else "")
    what = f"{result.documents:,} small documents ({result.targets or '?':,} targets), `--jobs {jobs}`"
    return [
        (f"first run, {what}",
         f"{result.cold_seconds:.1f} s (median of {cold} s); peak **{result.peak_mib:.0f} MiB**: "
         f"{verdict_memory} the {MEMORY_LIMIT_MIB} MiB limit"),
        ("re-run, one document changed",
         f"{result.changed_seconds:.1f} s (median of {changed} s), **{result.changed_share:.1%} of the first run**: "
         f"{verdict_changed} the {CHANGED_LIMIT:.0%} limit; peak {max(r.peak_mib for r in result.changed):.0f} MiB{read}"),
    ]


def large_table(result: LargeResult, jobs: int) -> str:
    lines = ["", f"| {result.documents:,} documents (issue 24) | figure |", "|---|---|"]
    return "\n".join(lines + [f"| {name} | {figure} |" for name, figure in large_rows(result, jobs)]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.large", description=__doc__.split("\n\n")[0],
                                     epilog="example: python -m bench.large --docs 2000 --corpus /tmp/big")
    parser.add_argument("--docs", type=int, default=10_000, help="small documents (default 10000)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="workers (default: cores)")
    parser.add_argument("--cold", type=int, default=2, help="first runs, each into an empty OUT (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="re-runs after one change (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, help="generate the documents here, or reuse them (default: a temporary folder)")
    args = parser.parse_args(argv)
    if args.cold < 1 or args.repeat < 1:
        parser.error("--cold and --repeat must be at least 1")
    import tempfile

    with tempfile.TemporaryDirectory(prefix="chitieu-bench-large-") as work:
        folder = args.corpus or Path(work) / "corpus"
        paths = corpus(folder, args.docs, args.seed, args.jobs)
        result = measure_large(paths, folder, Path(work) / "out", args.jobs, args.cold, args.repeat)
    print(large_table(result, args.jobs), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
