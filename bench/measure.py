"""Measurements, each a small function: run a command in its own process and report its wall
time, CPU time and peak memory; build the pipeline and floor commands; time the normalizer.

Peak memory comes from `getrusage(RUSAGE_CHILDREN).ru_maxrss`, which is the largest of all
the children a process has waited for. Asked from this harness it would be the maximum over
every measurement so far, so each command runs under a tiny wrapper process of its own that
reports the peak of its one child (and that child's pool workers: the largest single process,
not their sum).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Runs argv[1:], sends its stdout to stderr (ours stays for the one JSON line), reports it.
WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=sys.stderr).returncode
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "peak_kib": usage.ru_maxrss, "returncode": code}))
"""


class MeasurementFailed(RuntimeError):
    """A measured command did not finish as it should; the message holds its error output."""


@dataclass(frozen=True)
class Run:
    seconds: float  # wall time of the command alone (not the wrapper's start-up)
    cpu_seconds: float  # user + system time of the command and its workers
    peak_mib: float  # resident memory of its largest process
    returncode: int
    output: str = ""  # what the command printed (stdout and stderr)


def measure(command: Sequence[str], ok_codes: tuple[int, ...] = (0,)) -> Run:
    """Run `command` in a fresh process under the wrapper and measure it."""
    wrapper = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True,
                             cwd=REPO, env=child_env())
    try:
        report = json.loads(wrapper.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise MeasurementFailed(f"{' '.join(command)}: the wrapper failed:\n{wrapper.stderr[-2000:]}") from None
    if report["returncode"] not in ok_codes:
        raise MeasurementFailed(f"{' '.join(command)} exited with {report['returncode']}:\n{wrapper.stderr[-2000:]}")
    # ru_maxrss is in KiB on Linux
    return Run(report["seconds"], report["cpu_seconds"], report["peak_kib"] / 1024, report["returncode"],
               wrapper.stderr)  # the command's stdout was sent there too


def child_env() -> dict[str, str]:
    """The repository on the path, so `-m bench.floor` and `-m chitieu.pipeline.cli` resolve from any cwd."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    return env


# --- the pipeline ----------------------------------------------------------------------------

def extract_command(raw: Path, out: Path, jobs: int, cache: bool = False, verbose: bool = False) -> list[str]:
    command = [sys.executable, "-m", "chitieu.pipeline.cli", "extract", str(raw), str(out), "--jobs", str(jobs)]
    return command + ([] if cache else ["--no-cache"]) + (["-v"] if verbose else [])


def measure_extract(raw: Path, out: Path, jobs: int, cache: bool = False, verbose: bool = False) -> Run:
    # Exit status 1 means some documents failed; they are still part of the run's work.
    return measure(extract_command(raw, out, jobs, cache, verbose), ok_codes=(0, 1))


_PLAN = re.compile(r"INFO: (\d+) documents, (\d+) from cache, (\d+) to read")


def documents_read(run: Run) -> tuple[int, int] | None:
    """(read, from the cache) as a verbose run logged them; None if it did not say."""
    found = _PLAN.search(run.output)
    return (int(found[3]), int(found[2])) if found else None


def pipeline_available() -> bool:
    """The pipeline's CLI is there and answers (it may not be while it is being written)."""
    probe = subprocess.run([sys.executable, "-m", "chitieu.pipeline.cli", "extract", "--help"],
                           capture_output=True, cwd=REPO, env=child_env())
    return probe.returncode == 0


# --- the floor -------------------------------------------------------------------------------

@dataclass(frozen=True)
class FloorRun:
    run: Run
    files: int
    pages: int
    read_seconds: float  # inside the process, without its start-up


def measure_floor(folder: Path) -> FloorRun:
    run = measure([sys.executable, "-m", "bench.floor", str(folder)])
    # its one JSON line; library warnings may surround it
    line = next(line for line in reversed(run.output.splitlines()) if line.startswith('{"files"'))
    report = json.loads(line)
    return FloorRun(run, report["files"], report["pages"], report["seconds"])


# --- the normalizer --------------------------------------------------------------------------

@dataclass(frozen=True)
class Throughput:
    count: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else float("inf")


def time_calls(function: Callable[..., object], calls: Sequence[tuple[tuple, dict]], warmup: int = 50,
               warmup_calls: Sequence[tuple[tuple, dict]] | None = None) -> Throughput:
    """Call `function` once per (args, kwargs) in this process, on one core; the first
    `warmup` calls (or `warmup_calls`, when the timed calls must all be first sights) are
    made before the clock starts (regexes compile on first use)."""
    for args, kwargs in (calls[:warmup] if warmup_calls is None else warmup_calls):
        function(*args, **kwargs)
    start = time.perf_counter()
    for args, kwargs in calls:
        function(*args, **kwargs)
    return Throughput(len(calls), time.perf_counter() - start)


def normalizer_throughput(phrases: Sequence[tuple[str, str | None]],
                          warmup: Sequence[tuple[str, str | None]] | None = None) -> Throughput:
    """Target phrases read per second by `normalizers.targets.parse_target(text, unit=…)`;
    `warmup` phrases, if given, warm it up instead of the first of `phrases`."""
    from chitieu.normalizers.targets import parse_target

    def calls(sample):
        return [((text,), {"unit": unit}) for text, unit in sample]

    return time_calls(parse_target, calls(phrases), warmup_calls=None if warmup is None else calls(warmup))
