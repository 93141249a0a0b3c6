"""The report at scale (issue 15): N copies of the seed table with different values, extracted,
then `chitieu report` re-rendered (time, peak memory, files written again) and report.html
opened in headless Chromium (time including the browser's start, rows of the review filter).

    python -m bench.report --docs 3000          # prints one markdown table
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import REPO, Run, extract_command, measure

SEED_TABLE = REPO / "raw" / "000_955eea8916a792bc.txt"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NUMBER = re.compile(r"\d+(?:,\d+)?")


def table_copies(folder: Path, n: int, seed: int = 0) -> list[Path]:
    """The seed table n times, each value cell's numbers moved by up to ±20 % (same decimals);
    row numbers, years and declared counts stay."""
    lines = SEED_TABLE.read_text(encoding="utf-8").split("\n")
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        factor = rng.uniform(0.8, 1.2)  # one per copy: a range stays a range

        def move(match: re.Match) -> str:
            whole, _, decimals = match.group(0).partition(",")
            value = float(f"{whole}.{decimals or 0}") * factor
            text = f"{value:.{len(decimals)}f}".replace(".", ",")
            return text if decimals else str(max(1, round(value)))

        out = [line if not line.startswith("\t") or re.fullmatch(r"\t[\dIVX.]+", line) or "năm" in line
               or "chỉ tiêu" in line or re.search(r"\b(19|20)\d\d\b", line) else NUMBER.sub(move, line) for line in lines]
        path = folder / f"bang-{i:05}.txt"
        path.write_text("\n".join(out), encoding="utf-8")
        paths.append(path)
    return paths


def open_in_chromium(url: str, profile: Path) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             f"--user-data-dir={profile}", "--window-size=1366,900", "--virtual-time-budget=5000",
                             "--dump-dom", url], capture_output=True, text=True, timeout=600)
    return time.perf_counter() - started, result.stdout


def report_rows(n: int, jobs: int, work: Path) -> list[tuple[str, str]]:
    raw, out = work / "raw", work / "out"
    table_copies(raw, n)
    extract = measure(extract_command(raw, out, jobs), ok_codes=(0, 1))
    report_command = [sys.executable, "-m", "chitieu.pipeline.cli", "report", str(out), "--raw", str(raw)]
    before = {p.name: p.stat().st_mtime_ns for p in (out / "report_files").iterdir()}
    again: Run = measure(report_command)
    after = {p.name: p.stat().st_mtime_ns for p in (out / "report_files").iterdir()}
    rewritten = sum(before.get(name) != mtime for name, mtime in after.items())
    size = (out / "report.html").stat().st_size
    seconds, dom = open_in_chromium((out / "report.html").as_uri(), work / "profile")
    count = re.search(r'id="filter-count">([^<]*)<', dom)
    review_seconds, review_dom = open_in_chromium((out / "report.html").as_uri() + "#status=review", work / "profile")
    review_rows = len(re.findall(r'<tr class="status-review"[^>]*data-status="review"', review_dom))
    review_count = re.search(r'id="filter-count">([^<]*)<', review_dom)
    xlsx = (out / "targets.xlsx").stat().st_size
    return [
        (f"`extract --jobs {jobs}`, {n:,} table documents (report and targets.xlsx included)",
         f"{extract.seconds:.1f} s, peak {extract.peak_mib:.0f} MiB; targets.xlsx {xlsx / 2**20:.1f} MB"),
        ("`chitieu report` re-render, nothing changed",
         f"{again.seconds:.1f} s, peak {again.peak_mib:.0f} MiB; {rewritten} of {len(after):,} document files written again"),
        ("report.html (the overview)", f"{size / 2**20:.1f} MB; report_files/ {len(after):,} files"),
        ("open in headless Chromium, browser start included",
         f"{seconds:.1f} s; count shown: {count.group(1) if count else 'none (the script did not run)'}"),
        ("open with `#status=review`",
         f"{review_seconds:.1f} s; {review_rows} review rows loaded in view; count: "
         f"{review_count.group(1) if review_count else 'none'}"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=3000, help="copies of the seed table (default 3000)")
    parser.add_argument("--jobs", type=int, default=2, help="workers for the extraction (default 2)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="chitieu-bench-report-") as folder:
        rows = report_rows(args.docs, args.jobs, Path(folder))
    print("| report at scale | figure |\n|---|---|")
    for name, figure in rows:
        print(f"| {name} | {figure} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
