"""A batch run: every file under raw/ → extracted/ (SPEC §2), with corrections and a report.

    discover → (cache | extract in a process pool, each document under a time limit)
             → apply corrections → write outputs atomically → report

Nothing a single file does can stop the batch: a bad file becomes a failed `documents` row.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import signal
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from .corrections import Correction, apply_corrections, load_corrections
from .datapackage import datapackage_bytes
from .extract import DocumentResult, document_record, extract_document, file_identity, relative_source
from .progress import Progress
from .report import ReportWriter
from .schema import DOCUMENT_FIELDS, TARGET_FIELDS
from .writers import CsvWriter, ParquetWriter, StagedFiles, atomic_write, csv_bytes, parquet_bytes

log = logging.getLogger("chitieu")

CORRECTIONS_NAME = "corrections.csv"
CACHE_DIR = ".cache"
MANIFEST_NAME = "outputs.json"  # in CACHE_DIR: what the outputs on disk were made from
OUTPUT_NAMES = ("targets.csv", "targets.parquet", "documents.csv", "documents.parquet", "datapackage.json", "report.html")


class UsageError(Exception):
    """A mistake in how chitieu was called (exit status 2)."""


@dataclass(frozen=True)
class Settings:
    raw: Path
    out: Path
    jobs: int = 0  # 0: one per core
    use_cache: bool = True
    timeout: float = 300.0  # seconds one document may take
    progress: bool = False

    def __post_init__(self):
        if not self.raw.is_dir():
            problem = "is a file, not a folder" if self.raw.exists() else "does not exist"
            raise UsageError(f"the input folder {self.raw} {problem}; put the documents in a folder and pass that")
        if self.out.exists() and not self.out.is_dir():
            raise UsageError(f"the output folder {self.out} is a file; pass a folder (it is created if missing)")
        if self.jobs < 0:
            raise UsageError("--jobs must be 0 (one per core) or more")
        if self.timeout <= 0:
            raise UsageError("--timeout must be a positive number of seconds")

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1


@dataclass
class Summary:
    documents: int = 0
    targets: int = 0
    review: int = 0
    unparsed: int = 0
    failed: int = 0
    skipped: int = 0
    from_cache: int = 0
    corrections_applied: int = 0
    stale: list[dict] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def line(self, out: Path) -> str:
        text = (f"{self.documents} documents, {self.targets} targets ({self.review} review, "
                f"{self.unparsed} unparsed), {self.failed} failed, {self.skipped} skipped")
        if self.corrections_applied or self.stale:
            text += f"; {self.corrections_applied} corrections applied, {len(self.stale)} stale"
        return f"{text} → {out}"

    @property
    def exit_status(self) -> int:
        return 1 if self.failed else 0


# ---------------------------------------------------------------------------- discovery


def discover(raw: Path, out: Path | None = None) -> list[Path]:
    """Every file under raw/ at any depth, in a stable order; hidden files, the corrections
    file and our own outputs (when `out` is raw/ or inside it) are not documents."""
    paths = []
    inside = out is not None and out.resolve().is_relative_to(raw.resolve())
    outputs = out.resolve().relative_to(raw.resolve()).parts if inside else None
    for path in raw.rglob("*"):
        rel = path.relative_to(raw)
        if not path.is_file() or any(part.startswith((".", "~$")) for part in rel.parts):
            continue
        if rel.as_posix() == CORRECTIONS_NAME:
            continue
        if outputs is not None and rel.parts[:-1] == outputs and rel.name in OUTPUT_NAMES:
            continue
        paths.append(path)
    return sorted(paths, key=lambda p: p.relative_to(raw).as_posix())


# ---------------------------------------------------------------------------- the cache


@cache
def pipeline_fingerprint() -> str:
    """A hash of chitieu's own code and word tables: a cached result is reused only by the
    same pipeline that made it."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for package in ("pipeline", "parsers", "normalizers"):
        for path in sorted((root / package).rglob("*")):
            if path.suffix in (".py", ".toml"):
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class ResultCache:
    """Results per document, keyed by its content hash and the pipeline fingerprint. An index
    of (size, mtime) → sha256 lets an unchanged file be recognised without reading it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.index_path = folder / "index.json"
        try:
            self.index = json.loads(self.index_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.index = {}

    def sha_of(self, path: Path, source: str) -> str:
        st = path.stat()
        known = self.index.get(source)
        if known and known["size"] == st.st_size and known["mtime_ns"] == st.st_mtime_ns:
            return known["sha256"]
        sha = file_identity(path.read_bytes())[1]
        self.index[source] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha}
        return sha

    def _entry(self, sha: str) -> Path:
        return self.folder / sha[:2] / f"{sha}-{pipeline_fingerprint()}.json"

    def has(self, sha: str) -> bool:
        return self._entry(sha).is_file()

    def get(self, sha: str, source: str) -> DocumentResult | None:
        try:
            data = json.loads(self._entry(sha).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        # the same bytes may sit at another path: provenance is the current one, and so is
        # the file named at the head of an error sentence
        document = data["document"]
        if document["error"] and document["error"].startswith(f"{document['source']}: "):
            document["error"] = f"{source}: {document['error'][len(document['source']) + 2:]}"
        document["source"] = source
        for t in data["targets"]:
            t["source"] = source
        return DocumentResult(document, data["targets"])

    def put(self, sha: str, result: DocumentResult) -> None:
        if result.document["status"] == "failed" and "took longer" in (result.document["error"] or ""):
            return  # a time-out may pass with a longer limit: do not remember it
        data = json.dumps({"document": result.document, "targets": result.targets}, ensure_ascii=False)
        atomic_write(self._entry(sha), data.encode("utf-8"), durable=False)

    def save_index(self, sources: set[str]) -> None:
        self.index = {k: v for k, v in self.index.items() if k in sources}
        atomic_write(self.index_path, json.dumps(self.index, sort_keys=True).encode("utf-8"), durable=False)


# ---------------------------------------------------------------------------- extraction


class _TimeLimit(BaseException):
    """Raised by SIGALRM. Not an Exception: the readers' and extract_document's
    `except Exception` (a damaged file, a bug of ours) must not swallow it."""


def _on_alarm(signum, frame):
    raise _TimeLimit


def extract_with_limit(path: Path, raw: Path, timeout: float) -> DocumentResult:
    """extract_document under a wall-clock limit (SIGALRM: the parsers are pure Python, so
    the signal interrupts them between bytecodes)."""
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            return extract_document(path, raw)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _TimeLimit:  # also when the alarm rang just as the document was done
        source = relative_source(path, raw)
        doc_id, sha = file_identity(path.read_bytes())
        return DocumentResult(document_record(
            source, doc_id, sha, path.suffix.lower().lstrip("."), status="failed",
            error=f"{source}: reading it took longer than the {timeout:g} s limit; "
                  f"check the file, or raise the limit with --timeout",
        ))
    finally:
        signal.signal(signal.SIGALRM, previous)


def _worker(args: tuple[str, str, float]) -> DocumentResult:
    path, raw, timeout = args
    return extract_with_limit(Path(path), Path(raw), timeout)


def _ignore_sigint() -> None:
    """Pool workers leave Ctrl-C (which a terminal sends to every process of the group) to
    the main process: a KeyboardInterrupt in a worker lands anywhere, an idle wait or a
    __del__, and prints a traceback of its own. The main process stops handing out work and
    waits for the documents being read (each within --timeout)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def extract_all(paths: list[Path], settings: Settings, progress: Progress) -> Iterator[DocumentResult]:
    """Results in the order of `paths`, one by one as they are read (so that an interrupted
    run keeps what it read), from a pool when there is more than one worker."""
    jobs = [(str(p), str(settings.raw), settings.timeout) for p in paths]
    if settings.workers == 1 or len(jobs) <= 1:
        for job in jobs:
            yield _worker(job)
            progress.advance()
        return
    workers = min(settings.workers, len(jobs))
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_sigint)
    try:
        for result in pool.map(_worker, jobs, chunksize=max(1, len(jobs) // (workers * 8))):
            yield result
            progress.advance()
    finally:  # interrupted: drop the documents not started, wait only for those being read
        pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------------------- the run


@dataclass(frozen=True)
class Planned:
    """One document of the run and where its result comes from."""

    source: str
    path: Path
    sha: str | None = None
    cached: bool = False
    failure: DocumentResult | None = None  # it cannot even be opened


def plan_run(paths: list[Path], settings: Settings, cache_: ResultCache) -> list[Planned]:
    plan = []
    for path in paths:
        source = relative_source(path, settings.raw)
        try:
            sha = cache_.sha_of(path, source)
        except OSError as e:  # no permission, or gone since it was listed
            log.info("%s: failed (%s)", source, e.strerror or e)
            plan.append(Planned(source, path, failure=unopenable(path, settings.raw, e)))
            continue
        plan.append(Planned(source, path, sha, cached=settings.use_cache and cache_.has(sha)))
    return plan


def run_extract(settings: Settings) -> Summary:
    paths = discover(settings.raw, settings.out)
    cache_ = ResultCache(settings.out / CACHE_DIR)
    corrections_path = settings.raw / CORRECTIONS_NAME
    plan = plan_run(paths, settings, cache_)
    todo = [p for p in plan if not p.cached and not p.failure]
    log.info("%d documents, %d from cache, %d to read", len(plan), sum(p.cached for p in plan), len(todo))

    manifest = OutputManifest(settings.out / CACHE_DIR / MANIFEST_NAME)
    key = run_key(plan, corrections_path)
    if settings.use_cache and all(p.cached for p in plan) and manifest.outputs_stand(key):
        # Every result is cached and the outputs were written from exactly these results
        # and corrections, by this pipeline: they stand as they are.
        cache_.save_index({p.source for p in plan})
        log.info("nothing changed since the outputs in %s were written; they stay as they are", settings.out)
        summary = manifest.summary()
        summary.from_cache = len(plan)
        return summary

    # Read the corrections first: a bad file stops the run before anything is written.
    corrections = load_corrections(corrections_path) if corrections_path.is_file() else []
    summary = Summary(from_cache=sum(p.cached for p in plan))
    with (StagedFiles(settings.out) as staged, RunOutputs(staged, corrections) as outputs,
          Progress(len(todo), enabled=settings.progress) as progress):
        with closing(extract_all([p.path for p in todo], settings, progress)) as read:
            for planned in plan:
                outputs.add(_result_of(planned, read, cache_, settings))
        cache_.save_index({p.source for p in plan})
        outputs.finish(summary)
        written = staged.commit()
    manifest.save(key, written, summary)
    return summary


def _result_of(planned: Planned, read: Iterator[DocumentResult], cache_: ResultCache,
               settings: Settings) -> DocumentResult:
    """The planned document's result: its failure, its cached result, or the next one read."""
    if planned.failure:
        return planned.failure
    if planned.cached:
        hit = cache_.get(planned.sha, planned.source)
        if hit:
            log.info("%s: from the cache (%s)", planned.source, _outcome(hit))
            return hit
        # the entry went bad since the run was planned: read the document here
        result = extract_with_limit(planned.path, settings.raw, settings.timeout)
    else:
        result = next(read)
    cache_.put(planned.sha, result)
    log.info("%s: read (%s)", planned.source, _outcome(result))
    return result


class RunOutputs:
    """The outputs of a run (OUTPUT_NAMES), filled a document at a time in source order.
    Targets go straight to their staged files; only the document rows, one per file, are
    held until the end."""

    def __init__(self, staged: StagedFiles, corrections: list[Correction]):
        self.staged = staged
        self.targets_csv = CsvWriter(staged.open("targets.csv"), TARGET_FIELDS)
        self.targets_parquet = ParquetWriter(staged.open("targets.parquet"), TARGET_FIELDS)
        self.report = ReportWriter()
        self.documents: list[dict] = []
        self.corrections: dict[str, list[Correction]] = {}
        for correction in corrections:
            self.corrections.setdefault(correction.source, []).append(correction)
        self.applied = 0
        self.stale: list[dict] = []
        self.statuses: Counter = Counter()  # of the target rows written

    def add(self, result: DocumentResult) -> None:
        document, targets = result.document, result.targets
        corrections = self.corrections.pop(document["source"], None)
        if corrections:
            targets, applied, stale = apply_corrections(targets, [document], corrections)
            self.applied += len(applied)
            self.stale += stale
            document = _recount(document, targets) if targets else document
        self.statuses.update(t["status"] for t in targets)
        self.targets_csv.write(targets)
        self.targets_parquet.write(targets)
        self.report.add(document, targets)
        self.documents.append(document)

    def __enter__(self) -> RunOutputs:
        return self

    def __exit__(self, *exc) -> None:
        # finish the table writers into their staged files (deleted if not committed), so
        # that none is left open to write into a closed file when it is collected
        self.targets_csv.close()
        self.targets_parquet.close()

    def finish(self, summary: Summary) -> None:
        """Write what needs the whole run (documents, the report's summary) and count it."""
        for corrections in self.corrections.values():  # corrections of files not in raw/
            self.stale += apply_corrections([], [], corrections)[2]
        self.stale.sort(key=lambda s: s["line"])
        self.targets_csv.close()
        self.targets_parquet.close()
        self.staged.write("documents.csv", csv_bytes(self.documents, DOCUMENT_FIELDS))
        self.staged.write("documents.parquet", parquet_bytes(self.documents, DOCUMENT_FIELDS))
        self.staged.write("datapackage.json", datapackage_bytes())
        page = io.TextIOWrapper(self.staged.open("report.html"), encoding="utf-8", newline="")
        self.report.finish(page, self.stale)
        page.flush()
        page.detach()  # the staged file stays open for its commit
        summary.documents = len(self.documents)
        summary.targets = self.statuses.total()
        summary.review, summary.unparsed = self.statuses["review"], self.statuses["unparsed"]
        summary.failed = sum(d["status"] == "failed" for d in self.documents)
        summary.skipped = sum(d["status"] == "skipped" for d in self.documents)
        summary.failures = [d["error"] for d in self.documents if d["status"] == "failed"]
        summary.corrections_applied, summary.stale = self.applied, self.stale


def _outcome(result: DocumentResult) -> str:
    d = result.document
    return f"{d['targets']} targets" if d["status"] == "ok" else d["status"]


def unopenable(path: Path, raw: Path, error: OSError) -> DocumentResult:
    """The row of a file that cannot even be opened: no bytes, so no doc_id."""
    source = relative_source(path, raw)
    return DocumentResult(document_record(
        source, None, None, path.suffix.lower().lstrip(".") or "none", status="failed",
        error=f"{source}: the file cannot be opened ({error.strerror or error}); "
              f"check that it is still there and that you may read it",
    ))


def _recount(document: dict, targets: list[dict]) -> dict:
    """The document's review/unparsed counts after corrections may have changed a status."""
    statuses = [t["status"] for t in targets]
    return document | {"targets": len(statuses), "review": statuses.count("review"),
                       "unparsed": statuses.count("unparsed")}


# ---------------------------------------------------------------------------- re-runs


def run_key(plan: list[Planned], corrections_path: Path) -> str | None:
    """What the outputs of a run are made from: every document's content, the corrections
    and the pipeline's own code. None when a file could not be opened (it is tried again)."""
    if any(p.failure for p in plan):
        return None
    try:
        corrections = hashlib.sha256(corrections_path.read_bytes()).hexdigest()
    except FileNotFoundError:
        corrections = None
    except OSError:
        return None
    text = json.dumps([pipeline_fingerprint(), corrections, [(p.source, p.sha) for p in plan]])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class OutputManifest:
    """Remembers which inputs the outputs on disk were written from, and how they looked
    then (size and mtime), so that an unchanged re-run can leave them be: a file changed
    or removed by hand since is written again."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}

    def outputs_stand(self, key: str | None) -> bool:
        if key is None or self.data.get("key") != key:
            return False
        for name in OUTPUT_NAMES:
            try:
                if self.data["outputs"].get(name) != _size_and_mtime(self.path.parents[1] / name):
                    return False
            except OSError:
                return False
        return True

    def summary(self) -> Summary:
        return Summary(**self.data["summary"])

    def save(self, key: str | None, written: dict[str, Path], summary: Summary) -> None:
        if key is None:
            self.path.unlink(missing_ok=True)
            return
        outputs = {name: _size_and_mtime(path) for name, path in written.items()}
        data = {"key": key, "outputs": outputs, "summary": asdict(summary)}
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"), durable=False)


def _size_and_mtime(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]
