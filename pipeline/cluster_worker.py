"""What a Dask worker does for chitieu: each task reads one document, in a reader process the
worker keeps for the purpose.

A Dask worker runs its tasks in a thread, where neither the time limit (SIGALRM reaches only a
process's main thread) nor a memory budget of one document's own can hold. So each Dask worker
keeps one reader process, the very one a local run uses (pool.WorkerProcess: extract_with_limit
under the time limit, limit_memory, the result cached by the reader as soon as it is read), and
hands it the task's document. A reader that dies or outlives its document's limit fails only that
document, with a local run's sentence, and a new one takes its place. A Dask worker that dies
takes its reader with it (PR_SET_PDEATHSIG), and the scheduler gives its documents to another
worker: that is Dask's own retry (pipeline/cluster.py fails a document whose workers died twice).

A document on a store (an fsspec URL) is fetched by the worker into its scratch folder and read
from there, so its bytes go from the store to the worker that reads them and nowhere else.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from multiprocessing.connection import wait
from pathlib import Path

from distributed import WorkerPlugin

from .cache import ResultCache, file_format, pipeline_fingerprint
from .cluster_pages import forget_pages, read_scanned_pages, serve_with_page_reads
from .extract import DocumentResult, _unopenable, document_record
from .pool import Job, WorkerProcess, died_result, how_it_died, scratch_folder, time_out_result
from .settings import default_max_memory
from .storage import fetch, too_large, url_sha256

# Tesseract starts a thread per core unless told: the workers are the parallelism, and a worker
# with one task at a time must run one thread (ocr.py says so for each call too).
ONE_THREAD = {"OMP_THREAD_LIMIT": "1"}
FETCHED = "fetched"  # in a reader's scratch folder: the documents fetched from a store, its RAW


@dataclass(frozen=True)
class TaskSettings:
    """What every task of a run needs to know, sent with each (a few hundred bytes)."""

    raw: str  # the input folder as every worker mounts it, or its fsspec URL
    url: bool  # `raw` is a URL: the worker fetches each document into its scratch folder
    timeout: float
    cache_folder: str | None  # OUT/.cache as the workers see it; None: they do not, the client caches
    budget: int | None  # bytes a reader may use; None: the worker's machine's share
    fingerprint: str  # the client's pipeline_fingerprint(): a worker running other code stops the run


class OtherCode(Exception):
    """The worker runs another chitieu than the client: its results could differ, and its cache
    entries would be filed under another code's name."""


@dataclass
class _Reader:
    process: WorkerProcess
    scratch: str  # its temporary files; on a URL run the documents fetched for it; a scan's page reads
    busy: bool = False  # a task holds it


# This process's readers, by worker and run settings (a worker of processes=False shares this
# module with the others). A worker of one thread holds one; a worker of several threads, or
# two runs on one cluster, hold one each at a time.
_readers: dict[tuple, list[_Reader]] = {}
_lock = threading.Lock()


def read_document(job: Job, how: TaskSettings) -> DocumentResult:
    """The task: one document's result, read by a reader of this worker (and cached by it); a
    scan's pages are read as tasks of their own first (pipeline/cluster_pages.py)."""
    if pipeline_fingerprint() != how.fingerprint:
        raise OtherCode(f"this worker runs chitieu code {pipeline_fingerprint()}, the client {how.fingerprint}")
    os.environ.update(ONE_THREAD)  # inherited by the reader, and by Tesseract under it
    started, deadline = time.perf_counter(), time.monotonic() + how.timeout
    with _reader(how) as reader:
        if not how.url:
            return _read_with_pages(reader, job, how, Path(job.path), deadline)
        copy = Path(reader.scratch) / FETCHED / f"{job.index}{Path(job.path).suffix}"
        try:
            failure = _fetch(job, how, copy)
            if failure is not None:
                return failure
            fetched = time.perf_counter() - started
            result = _read_with_pages(reader, replace(job, path=str(copy)), how, copy, deadline)
            result.seconds["fetch"] = fetched
            return result
        finally:
            copy.unlink(missing_ok=True)


def _read_with_pages(reader: _Reader, job: Job, how: TaskSettings, path: Path, deadline: float) -> DocumentResult:
    """`job` (the file at `path`) read by `reader`, a PDF's scanned pages first read as tasks and
    filed for it (a URL run's copy is this worker's alone: the tasks get its bytes)."""
    if path.suffix.lower() != ".pdf":
        return _read(reader, job, how)
    seconds, _ = read_scanned_pages(path, not how.url, deadline, reader.scratch)
    try:
        result = _read(reader, job, how)
    finally:
        forget_pages(path, reader.scratch)
    if seconds:
        result.seconds["ocr"] = result.seconds.get("ocr", 0.0) + seconds
    return result


def sha256_of(url: str, paths: list[str]) -> list[str | OSError]:
    """The task of the hashing pass of a URL run: stored documents' SHA-256, or why one cannot be
    read (returned, not raised: it is that document's failed row, not the task's failure)."""
    shas = []
    for path in paths:
        try:
            shas.append(url_sha256(url, path))
        except OSError as e:
            shas.append(OSError(e.errno, e.strerror or str(e)))
    return shas


def start_reader(how: TaskSettings, dask_worker) -> None:
    """At the start of a run (client.run on every worker): a reader starts importing the
    readers while the client plans, instead of when the first document arrives."""
    os.environ.update(ONE_THREAD)
    with _reader(how, dask_worker.address):
        pass


def stop_readers(worker: str | None = None, keep: tuple | None = None, busy_too: bool = False) -> int:
    """Stop the idle readers of `worker` (all of this process's when None; busy ones too with
    `busy_too`) but those for the settings `keep`, and remove their scratch folders."""
    with _lock:
        stopping = []
        for key in [k for k in _readers if (worker is None or k[0] == worker) and k != keep]:
            stopping += [r for r in _readers[key] if busy_too or not r.busy]
            _readers[key] = [r for r in _readers[key] if r not in stopping]
            if not _readers[key]:
                del _readers[key]
    for reader in stopping:
        reader.process.stop(kill=reader.process.job is not None)
        shutil.rmtree(reader.scratch, ignore_errors=True)
    return len(stopping)


class NoInterrupts(WorkerPlugin):
    """For the worker processes of a LocalCluster, children of the run's own process: Ctrl-C
    reaches every process of the terminal's group, and the run, not each worker, decides what
    it stops (it lets the documents being read finish and be cached, as a local run does)."""

    name = "chitieu-no-interrupts"

    def setup(self, worker) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)


class ReaderCleanup(WorkerPlugin):
    """A worker's readers outlive a run, so that the next run with the same settings finds them
    ready (a reader takes a second or two to start); they end with their worker."""

    name = "chitieu-readers"

    def teardown(self, worker) -> None:
        stop_readers(worker.address, busy_too=True)


def what_this_worker_sees(raw: str, url: bool, probe: str | None) -> dict:
    """What the client checks of each worker before a run: its code, whether it sees RAW, and
    whether it sees the probe file the client wrote into OUT/.cache (a shared cache)."""
    if url:
        from .storage import filesystem

        try:
            fs, root = filesystem(raw)
            sees_raw = fs.isdir(root)
        except Exception:  # noqa: BLE001 (any reason a worker cannot reach the store is its answer)
            sees_raw = False
    else:
        sees_raw = os.path.isdir(raw)
    return {"fingerprint": pipeline_fingerprint(), "sees_raw": sees_raw,
            "sees_cache": probe is not None and os.path.isfile(probe), "host": os.uname().nodename}


# ---------------------------------------------------------------------------- the reader


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):  # called outside a task (a test)
        return f"pid-{os.getpid()}"


@contextmanager
def _reader(how: TaskSettings, worker: str | None = None) -> Iterator[_Reader]:
    """A reader of this worker for the run `how` describes, the caller's alone until it is done:
    an idle one, or one started now. Idle readers of other settings (an earlier run's) give way,
    so that a worker keeps no more readers than it runs tasks at once."""
    key = (worker or _worker_name(), how.raw, how.timeout, how.cache_folder, how.budget)
    stop_readers(key[0], keep=key)
    with _lock:
        readers = _readers.setdefault(key, [])
        reader = next((r for r in readers if not r.busy), None)
        if reader is None:
            scratch = scratch_folder("chitieu-dask-")
            os.makedirs(os.path.join(scratch, FETCHED))
            reader = _Reader(_reader_process(how, scratch), scratch)
            readers.append(reader)
        reader.busy = True
    try:
        yield reader
    finally:
        reader.busy = False


def _reader_process(how: TaskSettings, scratch: str) -> WorkerProcess:
    folder = os.path.join(scratch, FETCHED) if how.url else how.raw  # the reader's RAW
    cache_folder = how.cache_folder or os.path.join(scratch, "cache")  # not shared: thrown away
    budget = how.budget or default_max_memory(os.cpu_count() or 1)
    with _children_allowed():
        # spawn, not fork: this process runs threads (Dask's event loop, its comms), and a child
        # forked from one of them may inherit a lock another held
        return WorkerProcess(multiprocessing.get_context("spawn"), Path(folder), how.timeout, Path(cache_folder),
                             budget, scratch, serve=serve_with_page_reads)


@contextmanager
def _children_allowed():
    """A nanny starts its Dask worker as a daemon process, which multiprocessing forbids to
    start processes of its own (it could not stop them when it ends). The reader stops when
    the worker ends all the same: the kernel kills it then (pool's PR_SET_PDEATHSIG)."""
    config = multiprocessing.current_process()._config  # noqa: SLF001 (no public switch)
    daemon = config.pop("daemon", None)
    try:
        yield
    finally:
        if daemon is not None:
            config["daemon"] = daemon


def _read(reader: _Reader, job: Job, how: TaskSettings) -> DocumentResult:
    """`job` read by `reader`: its result, or the failure of a reader that died or overran the
    limit (cached here, as the reader could not), which a new process replaces."""
    hard_limit = how.timeout * 1.25 + 2  # as pool.read_in_workers: past this SIGALRM cannot reach it
    try:
        if not reader.process.process.is_alive():
            raise OSError("the reader ended")
        reader.process.give(job, hard_limit)
    except OSError:  # it died between two documents: that is no fault of this one
        reader.process.stop(kill=True)
        reader.process = _reader_process(how, reader.scratch)
        reader.process.give(job, hard_limit)
    process = reader.process
    wait([process.conn, process.process.sentinel], timeout=hard_limit)
    if process.conn.poll():
        try:
            index, result = process.conn.recv()
            process.done_with(index, hard_limit)
            return result
        except (EOFError, OSError):
            pass
    if process.process.is_alive():
        failure = time_out_result(job.source, job.sha, file_format(job.path), how.timeout)
    else:
        failure = died_result(job, how_it_died(process.process.exitcode))
    process.jobs.clear()
    process.stop(kill=True)  # the next document starts a new one
    if how.cache_folder:
        ResultCache(Path(how.cache_folder)).put(failure, how.timeout)
    return failure


def _fetch(job: Job, how: TaskSettings, copy: Path) -> DocumentResult | None:
    """Copy a stored document into the reader's folder; its failed row when it cannot be."""
    fmt = file_format(job.path)
    try:
        sentence = too_large(how.raw, job.path)
        if sentence is None:
            fetch(how.raw, job.path, copy)
            return None
        error = f"{job.source}: {sentence}"
    except OSError as e:
        error = f"{job.source}: {_unopenable(e)}"
    return DocumentResult(document_record(job.source, job.sha[:12], job.sha, fmt, status="failed", error=error))
