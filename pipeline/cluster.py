"""chitieu on a Dask cluster (`--cluster tcp://host:8786` or `--cluster local:N`): each document a
task, each result written here, in document order, as a local run writes it.

    connect (on first need: a run whose results are all cached starts nothing) → check every
    worker (the same chitieu code, RAW in sight, OUT/.cache shared or not) → on a store, hash
    every document on the workers → submit the documents a window ahead of the next one due →
    take the results in order → the run writes them (pipeline/run.py), byte for byte as locally

Faults: a worker lost mid-document is Dask's to retry elsewhere; the scheduler is told to fail a
task whose workers died twice (allowed-failures 1), and that document is `failed` with a sentence
(pool.died_result's); a cluster left with no worker for NO_WORKERS_GRACE stops the run, which a
later one resumes from the cache. Ctrl-C, or this process killed, loses only what is being read:
each result is cached by the worker that read it (pipeline/cluster_worker.py).

Dask is imported only here, and this module only when a run asks for a cluster.
"""
from __future__ import annotations

import itertools
import logging
import os
import shutil
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import dask
import distributed

from .cache import ResultCache, pipeline_fingerprint
from .cluster_worker import (NoInterrupts, OtherCode, ReaderCleanup, TaskSettings, read_document, scratch_folder,
                             sha256_of, start_reader, what_this_worker_sees)
from .extract import REPORT_TAIL, DocumentResult, document_record
from .inputs import CORRECTIONS_NAME, Found
from .pool import Job, died_result
from .settings import LOCAL_CLUSTER, Settings, UsageError, default_max_memory
from .storage import fetch_corrections, filesystem

log = logging.getLogger("chitieu")

WINDOW_PER_THREAD = 8  # documents submitted per worker thread beyond the next one due
MIN_WINDOW = 16
HASH_BATCH = 32  # stored documents hashed by one task
POLL = 2.0  # seconds between looks at the cluster while a result is awaited
NO_WORKERS_GRACE = 120.0  # seconds a cluster may have no worker before the run stops
PROGRESS_EVERY = 30.0  # seconds between progress lines (when no progress bar is drawn)
JOIN_TIMEOUT = 60.0  # seconds to wait for a first worker
CONNECT_TIMEOUT = 30.0  # seconds to wait for the scheduler to answer
LOST_TWICE = "died twice, each time taking its Dask worker with it"  # pool.died_result's `how`
# The scheduler's rules for a run. A task whose worker died twice fails (Dask's default retries it
# on four), so that a document that kills its workers costs two. A worker holds only the task it
# runs (Dask's default sends a 1-thread worker a second one to wait), so that a worker's death
# counts against the document being read, not one that merely waited beside it.
SCHEDULER_RULES = {"distributed.scheduler.allowed-failures": 1, "distributed.scheduler.worker-saturation": 1.0}
# The stages a result's seconds may name, in the order the account prints them.
STAGES = ("fetch", "read", "ocr", "layout")


class Cluster:
    """A run's Dask cluster: connected on first use, closed (with the account of the run's
    time) when the run ends."""

    def __init__(self, settings: Settings, cache_folder: Path):
        self.settings, self.cache_folder = settings, cache_folder
        self.address = settings.engine
        self.client = self.local = None
        self.how: TaskSettings | None = None
        self.threads = 1
        self.run_id = uuid.uuid4().hex[:8]
        self.task_numbers = itertools.count()  # a task's key is unique on the scheduler
        self.task = read_document  # what a worker runs for each document (a test may wrap it)
        self.scratch = scratch_folder("chitieu-client-")  # corrections fetched from a store
        self.seconds: Counter = Counter()  # per stage, summed over the documents read
        self.read_count = 0
        self.started = self.reading_since = time.monotonic()
        self._last_progress = self._no_workers_since = None

    # ------------------------------------------------------------------------ connecting

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if self.client is not None and kind is None:
                self._say(self.account())
        finally:
            if self.client is not None:
                self.client.close()
            if self.local is not None:
                self.local.close()
            shutil.rmtree(self.scratch, ignore_errors=True)

    def connected(self) -> distributed.Client:
        if self.client is None:
            self._connect()
        return self.client

    def _connect(self) -> None:
        # Dask's own log says what a run's lines already say (each start, connection and close):
        # only its errors show, and its warnings (a worker lost, restarted) with -v
        logging.getLogger("distributed").setLevel(logging.WARNING if log.isEnabledFor(logging.DEBUG) else logging.ERROR)
        local = LOCAL_CLUSTER.match(self.address)
        # a document on a memory:// store lives in this process: its workers must too
        in_process = bool(self.settings.raw_url) and "memory" in _protocols(self.settings.raw_url)
        if local:
            with dask.config.set(SCHEDULER_RULES):
                self.local = distributed.LocalCluster(
                    n_workers=int(local[1]), threads_per_worker=1, processes=not in_process,
                    dashboard_address=":0", silence_logs=logging.CRITICAL)
            self.client = distributed.Client(self.local)
        else:
            try:
                self.client = distributed.Client(self.address, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as e:
                raise UsageError(f"no Dask scheduler answers at {self.address} ({e}); start one with "
                                 f"`dask scheduler` and workers with `dask worker {self.address}`") from None
            try:  # a scheduler already running: its rules set the same, in place
                self.client.run_on_scheduler(_one_task_per_thread_and_two_deaths)
            except Exception as e:  # noqa: BLE001 (a scheduler that runs no code of ours keeps its own)
                log.warning("the scheduler at %s keeps its own retries and queue (%s): a document may be "
                            "retried on four workers before it fails", self.address, e)
        try:
            self.client.wait_for_workers(1, timeout=JOIN_TIMEOUT)
        except TimeoutError:
            raise UsageError(f"no Dask worker joined the scheduler at {self.address} within {JOIN_TIMEOUT:.0f} s; "
                             f"start some with `dask worker {self.address}`") from None
        self.how = self._check_workers(budget=self._budget(local))
        self.client.register_plugin(ReaderCleanup())
        if self.local is not None and not in_process:
            self.client.register_plugin(NoInterrupts())
        self.client.run(start_reader, self.how)
        self.threads = max(1, sum(self.client.nthreads().values()))
        self._say(f"reading on the Dask cluster at {self.client.scheduler.address} "
                  f"({len(self.client.nthreads())} workers, {self.threads} threads); {self._dashboard()}")

    def _budget(self, local) -> int | None:
        """A reader's memory budget: --max-memory, or on this machine a share of it per worker;
        on a remote cluster the worker's own machine decides (cluster_worker._reader_process)."""
        if self.settings.max_memory or not local:
            return self.settings.max_memory
        return default_max_memory(int(local[1]))

    def _check_workers(self, budget: int | None) -> TaskSettings:
        """Every worker runs this chitieu and sees RAW; whether they share OUT/.cache decides
        who caches the results (the workers, as they read, or this process, as they come)."""
        url = self.settings.raw_url
        raw = url or os.path.abspath(self.settings.raw)
        self.cache_folder.mkdir(parents=True, exist_ok=True)
        probe = self.cache_folder / f".probe-{self.run_id}.tmp"
        probe.write_bytes(b"")
        try:
            seen = self.client.run(what_this_worker_sees, raw, bool(url), str(probe.resolve()))
        except (ImportError, AttributeError) as e:
            raise UsageError(f"the Dask workers at {self.address} cannot run chitieu ({e}); install the same "
                             f"chitieu on every worker") from None
        finally:
            probe.unlink(missing_ok=True)
        mine = pipeline_fingerprint()
        for worker, sees in seen.items():
            if sees["fingerprint"] != mine:
                raise UsageError(f"the Dask worker {worker} runs other chitieu code than this machine ({sees['fingerprint']}, "
                                 f"here {mine}); install the same chitieu on every worker: results depend on it")
            if not sees["sees_raw"]:
                where = "reach the store" if url else "see the input folder"
                raise UsageError(f"the Dask worker {worker} (on {sees['host']}) cannot {where} {raw}; put RAW on a "
                                 f"filesystem every worker mounts at the same path, or pass a URL they can read (s3://…)")
        shared = all(sees["sees_cache"] for sees in seen.values())
        if not shared:
            log.warning("the Dask workers do not see %s: results are cached here as they come back, so an "
                        "interrupted run keeps only those", self.cache_folder)
        return TaskSettings(raw=raw, url=bool(url), timeout=self.settings.timeout,
                            cache_folder=str(self.cache_folder.resolve()) if shared else None,
                            budget=budget, fingerprint=mine)

    def _dashboard(self) -> str:
        if "dashboard" in self.client.scheduler_info().get("services", {}):
            return f"dashboard {self.client.dashboard_link}"
        return "no dashboard (the scheduler serves one where bokeh>=3.1 is installed)"

    # ------------------------------------------------------------------------ a store

    def corrections_path(self) -> Path:
        """The store's corrections.csv, fetched here (a path that does not exist when it has none)."""
        return fetch_corrections(self.settings.raw_url, Path(self.scratch) / CORRECTIONS_NAME) \
            or Path(self.scratch) / CORRECTIONS_NAME

    def sha256s(self, found: list[Found]) -> dict[str, str | OSError]:
        """The SHA-256 of every stored document that can be read, hashed by the workers,
        HASH_BATCH documents a task (a task per document would be a scheduler's load for little)."""
        readable = [f for f in found if not f.problem]
        batches = [readable[k:k + HASH_BATCH] for k in range(0, len(readable), HASH_BATCH)]
        client = self.connected()
        futures = [client.submit(sha256_of, self.how.raw, [str(f.path) for f in batch], pure=False,
                                 key=f"chitieu-hash-{self.run_id}-{next(self.task_numbers)}") for batch in batches]
        shas = {}
        try:
            for batch, future in zip(batches, futures):
                self._await(future, len(shas), len(readable), "documents hashed")
                if future.status == "finished":
                    shas.update((f.source, sha) for f, sha in zip(batch, future.result()))
                else:
                    why = OSError(0, f"it could not be read on the cluster ({future.exception()})")
                    shas.update((f.source, why) for f in batch)
        finally:
            client.cancel([f for f in futures if not f.done()])
        return shas

    # ------------------------------------------------------------------------ reading

    def read(self, todo: list, cache_: ResultCache) -> Iterator[DocumentResult]:
        """The results of the planned documents `todo`, in their order, read on the cluster a
        window ahead of the one due; the time the run spends with each result is its writing."""
        client = self.connected()
        jobs = [Job(i, str(p.path) if self.how.url else os.path.abspath(p.path), p.source, p.sha)
                for i, p in enumerate(todo)]
        futures: dict[int, distributed.Future] = {}
        submitted = 0
        handed = None  # when the last result went to the writer, until it asks for the next
        self.reading_since = time.monotonic()
        try:
            for job in jobs:
                window = max(MIN_WINDOW, WINDOW_PER_THREAD * self.threads)
                while submitted < len(jobs) and submitted <= job.index + window:
                    futures[submitted] = client.submit(self.task, jobs[submitted], self.how, pure=False,
                                                       key=f"chitieu-read-{self.run_id}-{next(self.task_numbers)}")
                    submitted += 1
                result = self._result(futures[job.index], job, cache_)
                del futures[job.index]  # only now: until its result is taken, it is being read
                handed = time.perf_counter()
                yield result
                self.seconds["write"] += time.perf_counter() - handed
                handed = None
        except BaseException:  # Ctrl-C, or the run stopped: what is being read is worth its wait
            if self.local is not None:  # (a cluster of this run's own ends with it)
                self._finish_running(futures)
            raise
        finally:
            if handed is not None:  # closed after the last result: the run's end (indicators, report)
                self.seconds["write"] += time.perf_counter() - handed
            client.cancel(list(futures.values()))

    def _finish_running(self, futures: dict[int, distributed.Future]) -> None:
        """Let the documents being read finish, within their limit, so that their readers cache
        them; the others are not started. Ctrl-C again stops at once."""
        running = {key for keys in self.client.processing().values() for key in keys}
        busy = [f for f in futures.values() if f.key in running]
        self.client.cancel([f for f in futures.values() if f.key not in running])
        if busy:
            what = "the document being read is" if len(busy) == 1 else f"the {len(busy)} documents being read are"
            self._say(f"stopping: {what} finished and cached first (Ctrl-C again stops at once)")
            distributed.wait(busy, timeout=self.settings.timeout * 1.25 + 2)

    def _result(self, future: distributed.Future, job: Job, cache_: ResultCache) -> DocumentResult:
        self._await(future, self.read_count, None, "documents read")
        if future.status == "finished":
            result = future.result()
            self.seconds.update(result.seconds)
            cached = self.how.cache_folder is not None  # by the reader, as soon as it was read
        else:
            result = self._failure(future, job)
            # its workers died, so none cached it; a failure of ours is not remembered
            cached = REPORT_TAIL in (result.document["error"] or "")
        if not cached:
            cache_.put(result, self.settings.timeout)
        self.read_count += 1
        return result

    def _failure(self, future: distributed.Future, job: Job) -> DocumentResult:
        if future.status == "cancelled":
            raise UsageError(f"the Dask cluster at {self.address} dropped the run's tasks (a restart of its "
                             f"scheduler?); run again: what was read is cached")
        error = future.exception()
        if isinstance(error, distributed.KilledWorker):
            log.info("%s: failed (its Dask workers died twice)", job.source)
            return died_result(job, LOST_TWICE)
        if isinstance(error, OtherCode):
            raise UsageError(f"a Dask worker that joined during the run runs other chitieu code ({error}); "
                             f"install the same chitieu on every worker")
        return DocumentResult(document_record(
            job.source, job.sha[:12], job.sha, Path(job.path).suffix.lower().lstrip(".") or "none", status="failed",
            error=f"{job.source}: chitieu could not read it on the cluster ({type(error).__name__}: {error}); "
                  f"{REPORT_TAIL}"))

    def _await(self, future: distributed.Future, done: int, total: int | None, what: str) -> None:
        """Wait for `future`, looking at the cluster every POLL seconds: a progress line now and
        then, and a stop when it has had no worker for NO_WORKERS_GRACE."""
        while True:
            try:
                distributed.wait(future, timeout=POLL)
                return
            except TimeoutError:
                pass
            workers = self.client.nthreads()
            self.threads = max(1, sum(workers.values()))
            now = time.monotonic()
            if workers:
                self._no_workers_since = None
            elif self._no_workers_since is None:
                self._no_workers_since = now
            elif now - self._no_workers_since > NO_WORKERS_GRACE:
                raise UsageError(f"the Dask cluster at {self.address} has had no worker for {NO_WORKERS_GRACE:.0f} s; "
                                 f"start workers (`dask worker {self.address}`) and run again: the {done} "
                                 f"documents read so far are cached")
            if not self.settings.progress and now - (self._last_progress or self.started) > PROGRESS_EVERY:
                self._last_progress = now
                of = f" of {total}" if total else ""
                self._say(f"{done}{of} {what} on {len(workers)} workers")

    # ------------------------------------------------------------------------ the account

    def account(self) -> str:
        """Where the run's time went: the workers' stages summed over the documents read there,
        this process's writing, the wall clock."""
        now = time.monotonic()
        if not self.read_count:
            return f"nothing read on the cluster ({now - self.started:.1f} s): every result came from the cache"
        stages = ", ".join(f"{stage} {self.seconds[stage]:.1f} s" for stage in STAGES if self.seconds[stage])
        return (f"{self.read_count} documents read on the cluster in {now - self.reading_since:.1f} s "
                f"({self.reading_since - self.started:.1f} s to start and hash before); time per stage: {stages} "
                f"(summed over the workers), write {self.seconds['write']:.1f} s (here)")

    def _say(self, text: str) -> None:
        if not self.settings.quiet:
            print(f"chitieu: {text}", file=sys.stderr, flush=True)


def _protocols(url: str) -> tuple[str, ...]:
    protocol = filesystem(url)[0].protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)


def _one_task_per_thread_and_two_deaths(dask_scheduler) -> None:
    """SCHEDULER_RULES, set on a scheduler that is already running (it need not have chitieu
    installed: the function travels by value, see below)."""
    dask_scheduler.allowed_failures = min(dask_scheduler.allowed_failures, 1)
    dask_scheduler.WORKER_SATURATION = min(dask_scheduler.WORKER_SATURATION, 1.0)


# cloudpickle sends a function of an importable module by name; this one must travel by value
_one_task_per_thread_and_two_deaths.__module__ = "__main__"
