"""Reading documents: under a time limit, and in worker processes that each read one document
at a time, so that one document can fail only itself.

A worker reads the document it is handed, caches the result itself (so that a run stopped
at any moment keeps everything read so far) and sends it back. It holds the next document
too, so it goes on reading while the main process writes what came back. The main process knows which
document each worker holds: a worker that dies (the kernel's out-of-memory killer, a crash in
a C library) or outlives its document's time limit (a loop SIGALRM cannot interrupt) fails
that document, which is cached like any result, and a new worker takes its place. Documents
are handed out in order and at most a few ahead of the next one due, so the results waiting
in the main process to be written in order stay few, whatever the size of the batch.

Each worker has a memory budget as real as its time limit: the kernel refuses it (and each
program it starts, LibreOffice or Tesseract) memory past the budget, so a small file that
asks for gigabytes fails with MemoryError, which fails its document with a sentence, and the
machine is never the one to run out. Each worker's temporary files (LibreOffice's profile,
its conversions) live in a folder of the batch's, removed when the batch ends, whatever
happened to the worker.
"""
from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import resource
import shutil
import signal
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from .cache import TIME_OUT_TAIL, ResultCache, file_format, relabel
from ..parsers.formats import office
from .extract import REPORT_TAIL, DocumentResult, document_record, extract_document, relative_source
from .settings import size_text

log = logging.getLogger("chitieu")

AHEAD = 4  # documents handed out per worker beyond the next one due
QUEUED = 2  # documents a worker holds: the one it reads, and the next, so it never waits for one


@dataclass(frozen=True)
class Job:
    index: int  # its place in the list of jobs
    path: str
    source: str  # as written in the outputs
    sha: str


# ---------------------------------------------------------------------------- the time limit


class _TimeLimit(BaseException):
    """Raised by SIGALRM. Not an Exception: the readers' and extract_document's
    `except Exception` (a damaged file, a bug of ours) must not swallow it."""


def _on_alarm(signum, frame):
    raise _TimeLimit


def time_out_result(source: str, sha: str, fmt: str, timeout: float) -> DocumentResult:
    return DocumentResult(document_record(
        source, sha[:12], sha, fmt, status="failed",
        error=f"{source}: reading it took longer than the {timeout:g} s limit; {TIME_OUT_TAIL}",
    ))


def memory_result(source: str, sha: str, fmt: str, budget: int | None) -> DocumentResult:
    limit = f"the {size_text(budget)} memory budget" if budget else "the memory this machine has"
    return DocumentResult(document_record(
        source, sha[:12], sha, fmt, status="failed",
        error=f"{source}: reading it needed more than {limit} (a damaged file, or one made to exhaust "
              f"memory); check the file, or raise the budget with --max-memory",
    ))


def extract_with_limit(path: Path, raw: Path, timeout: float, budget: int | None = None) -> DocumentResult:
    """extract_document under a wall-clock limit (SIGALRM: the parsers are pure Python, so
    the signal interrupts them between bytecodes); `budget` names the memory limit a
    MemoryError broke."""
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    if budget:
        _reset_peak()
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            result = extract_document(path, raw)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if budget and is_our_error(result) and _near_the_budget(budget):
            # a C library that ran out (libxml2, pdfium) says so as an error of its own
            raise MemoryError
        return result
    except _TimeLimit:  # also when the alarm rang just as the document was done
        return time_out_result(relative_source(path, raw), _sha_or_blank(path), file_format(path), timeout)
    except MemoryError:  # what the reader held is free again by now
        return memory_result(relative_source(path, raw), _sha_or_blank(path), file_format(path), budget)
    finally:
        signal.signal(signal.SIGALRM, previous)


def _near_the_budget(budget: int) -> bool:
    """Whether this document took the process near its memory budget: its peak resident size
    near the budget, or its data (what the kernel's limit counts) near that limit. A library
    that asks for a large block at once fails it well before the resident size gets there
    (libxml2 growing its tree: 406 of 512 MB resident, 425 of 460 MB of data)."""
    data_limit = resource.getrlimit(resource.RLIMIT_DATA)[0]
    near_data = data_limit != resource.RLIM_INFINITY and _status_kb("VmData") * 1024 > 0.85 * data_limit
    return near_data or _status_kb("VmHWM") * 1024 > 0.85 * budget


def is_our_error(result: DocumentResult) -> bool:
    """A document failed by an exception no reader expected (extract_document's catch-all)."""
    return result.document["status"] == "failed" and (result.document["error"] or "").endswith(REPORT_TAIL)


def _reset_peak() -> None:
    """Start this process's peak memory (VmHWM) again, so that it tells one document's."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def _sha_or_blank(path: Path) -> str:
    from .cache import file_sha256

    try:
        return file_sha256(path)
    except OSError:
        return ""


def died_result(job: Job, how: str) -> DocumentResult:
    return DocumentResult(document_record(
        job.source, job.sha[:12], job.sha, file_format(job.path), status="failed",
        error=f"{job.source}: the process reading it {how}, so it was not read (the system stops a "
              f"process that takes too much memory); check the file, then read it again with --retry-failed",
    ))


# ---------------------------------------------------------------------------- a worker


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this worker when the main process dies, even by kill -9."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def limit_memory(budget: int) -> None:
    """This process (and what it starts) may hold at most `budget` bytes: the kernel's data
    limit, less the code and files already mapped, which the limit does not count but the
    process's size does."""
    try:
        mapped = _status_kb("RssFile") * 1024 + 32 * 1024 * 1024  # and room for libraries loaded later
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        limit = max(budget - mapped, budget // 2)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    except (ValueError, OSError):  # a system without the limit: the time limit still holds
        log.debug("the memory budget could not be set", exc_info=True)


def _status_kb(field: str) -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def serve(conn, raw: str, timeout: float, cache_folder: str, parent: int, budget: int, scratch: str) -> None:
    _die_with_parent(parent)
    # Ctrl-C reaches every process of the terminal's group: the main process handles it and
    # lets the document being read finish (within its limit) and be cached.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tempfile.tempdir = tempfile.mkdtemp(prefix=f"worker-{os.getpid()}-", dir=scratch)
    limit_memory(budget)
    cache_ = ResultCache(Path(cache_folder))
    try:
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):
                return
            if job is None:
                return
            result = relabel(extract_with_limit(Path(job.path), Path(raw), timeout, budget), job.source)
            cache_.put(result, timeout)
            conn.send((job.index, result))
    finally:  # a forked worker ends without atexit: its profile and files go now
        office.remove_profile()
        shutil.rmtree(tempfile.tempdir, ignore_errors=True)


class WorkerProcess:
    """A worker process and the documents it holds, in the order it reads them: the first is
    being read (its deadline counts from when the one before it came back), the others wait
    in its pipe."""

    def __init__(self, context, raw: Path, timeout: float, cache_folder: Path, budget: int, scratch: str,
                 serve=serve):
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=serve, args=(child, str(raw), timeout, str(cache_folder), os.getpid(), budget, scratch), daemon=True)
        self.process.start()
        child.close()
        self.jobs: deque[Job] = deque()
        self.deadline = 0.0

    @property
    def job(self) -> Job | None:
        """The document being read, if any."""
        return self.jobs[0] if self.jobs else None

    def give(self, job: Job, limit: float) -> None:
        self.conn.send(job)
        if not self.jobs:
            self.deadline = time.monotonic() + limit
        self.jobs.append(job)

    def done_with(self, index: int, limit: float) -> None:
        """The document `index` came back; the next one held is being read from now."""
        assert self.jobs and self.jobs[0].index == index, "a worker reads its documents in order"
        self.jobs.popleft()
        self.deadline = time.monotonic() + limit

    def stop(self, kill: bool = False) -> None:
        if kill and self.process.is_alive():
            self.process.kill()
        try:
            if not kill:
                self.conn.send(None)
        except OSError:
            pass
        self.conn.close()
        self.process.join(timeout=None if kill else 5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


SCRATCH_PREFIX = "chitieu-run-"


def scratch_folder(prefix: str) -> str:
    """A new temporary folder named for this process (`prefix`, its pid, a suffix); first the
    folders of that prefix whose process is gone are removed: kill -9 ends a run, a worker or
    a client before it can remove its own. Another user's folders are left alone."""
    for entry in Path(tempfile.gettempdir()).glob(f"{prefix}*-*"):
        try:
            pid = int(entry.name[len(prefix):].split("-", 1)[0])
            if entry.stat().st_uid != os.getuid() or _alive(pid):
                continue
        except (ValueError, OSError):
            continue
        shutil.rmtree(entry, ignore_errors=True)
    return tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    return True


def how_it_died(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"was killed ({signal.Signals(-exitcode).name})"
        except ValueError:
            return f"was killed (signal {-exitcode})"
    return f"stopped (exit status {exitcode})"


def read_in_workers(jobs: list[Job], size: int, raw: Path, timeout: float,
                    cache_: ResultCache, budget: int) -> Iterator[DocumentResult]:
    """The results of `jobs` in their order, read by `size` worker processes, each within
    `budget` bytes. A document whose worker dies or overruns its limit by far fails; a new
    worker takes over."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # SIGALRM ends a document at `timeout`; past this a worker is stuck where it cannot reach it
    hard_limit = timeout * 1.25 + 2
    todo = deque(jobs)
    workers: list[WorkerProcess] = []
    done: dict[int, DocumentResult] = {}
    position = 0  # the index of the next result due, in `jobs`
    scratch = scratch_folder(SCRATCH_PREFIX)  # the workers' temporary files, whatever becomes of them

    def fail(worker: WorkerProcess, result: DocumentResult) -> None:
        """The document being read fails; those the worker held after it go to another."""
        cache_.put(result, timeout)
        done[worker.job.index] = result
        todo.extendleft(reversed(list(worker.jobs)[1:]))  # `todo` stays in document order
        workers.remove(worker)
        worker.stop(kill=True)

    def hand_out() -> None:
        while todo and todo[0].index < position + AHEAD * size:
            free = min((w for w in workers if len(w.jobs) < QUEUED), key=lambda w: len(w.jobs), default=None)
            if (free is None or free.jobs) and len(workers) < size:
                free = WorkerProcess(context, raw, timeout, cache_.folder, budget, scratch)
                workers.append(free)
            if free is None:
                break
            job = todo.popleft()
            try:
                free.give(job, hard_limit)
            except OSError:  # it died: that is no fault of this document; another takes it
                todo.appendleft(job)
                if free.jobs:  # it died reading the document it held
                    fail(free, died_result(free.job, how_it_died(free.process.exitcode)))
                else:
                    workers.remove(free)
                    free.stop(kill=True)

    try:
        while position < len(jobs):
            hand_out()
            busy = [w for w in workers if w.job is not None]
            if busy:
                wait_for = max(0.0, min(w.deadline for w in busy) - time.monotonic())
                wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=wait_for)
            for worker in busy:
                if worker.conn.poll():
                    try:
                        index, result = worker.conn.recv()
                    except (EOFError, OSError):
                        fail(worker, died_result(worker.job, how_it_died(worker.process.exitcode)))
                        continue
                    done[index] = result
                    worker.done_with(index, hard_limit)
                elif not worker.process.is_alive():
                    fail(worker, died_result(worker.job, how_it_died(worker.process.exitcode)))
                elif time.monotonic() > worker.deadline:
                    log.info("%s: still reading %.0f s past its limit; its process is stopped",
                             worker.job.source, hard_limit - timeout)
                    job = worker.job
                    fail(worker, time_out_result(job.source, job.sha, file_format(job.path), timeout))
            # the next documents go out before the results come back to the caller, so the
            # workers read while it writes (with one worker, reading and writing overlap)
            hand_out()
            while position in done:
                yield done.pop(position)
                position += 1
    finally:
        # finished, or interrupted: hand out nothing more. A document being read is finished
        # (within its limit) and cached by its worker, which caches before it sends: once
        # there is something to read from it (or it died), it is stopped without reading
        # that, for Ctrl-C may have cut a large result in half and what is left is no message.
        for worker in workers:
            if worker.job is not None:
                wait([worker.process.sentinel, worker.conn], timeout=max(0.0, worker.deadline - time.monotonic()))
        for worker in workers:
            worker.stop(kill=worker.job is not None)
        shutil.rmtree(scratch, ignore_errors=True)
