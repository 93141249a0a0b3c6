"""A batch run: every file under raw/ → extracted/ (SPEC §2), with corrections and a report.

    discover → (cache | extract in a process pool, each document under a time limit)
             → apply corrections → write outputs atomically → report

Nothing a single file does can stop the batch: a bad file becomes a failed `documents` row.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .corrections import CorrectionsError, apply_corrections, load_corrections
from .datapackage import datapackage_bytes
from .extract import DocumentResult, document_record, extract_document, file_identity, relative_source
from .progress import Progress
from .report import render_report
from .schema import DOCUMENT_FIELDS, TARGET_FIELDS
from .writers import atomic_write, csv_bytes, parquet_bytes

log = logging.getLogger("chitieu")

CORRECTIONS_NAME = "corrections.csv"
CACHE_DIR = ".cache"
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
        atomic_write(self._entry(sha), data.encode("utf-8"))

    def save_index(self, sources: set[str]) -> None:
        self.index = {k: v for k, v in self.index.items() if k in sources}
        atomic_write(self.index_path, json.dumps(self.index, sort_keys=True).encode("utf-8"))


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


def run_extract(settings: Settings) -> Summary:
    paths = discover(settings.raw, settings.out)
    cache_ = ResultCache(settings.out / CACHE_DIR)
    corrections_path = settings.raw / CORRECTIONS_NAME
    # Read the corrections first: a bad file stops the run before anything is written.
    corrections = load_corrections(corrections_path) if corrections_path.is_file() else []

    results: dict[str, DocumentResult] = {}
    todo: list[tuple[str, str, Path]] = []
    summary = Summary()
    for path in paths:
        source = relative_source(path, settings.raw)
        try:
            sha = cache_.sha_of(path, source)
        except OSError as e:  # no permission, or gone since it was listed
            results[source] = unopenable(path, settings.raw, e)
            log.info("%s: failed (%s)", source, e.strerror or e)
            continue
        hit = cache_.get(sha, source) if settings.use_cache else None
        if hit:
            results[source] = hit
            summary.from_cache += 1
            log.info("%s: from the cache (%s)", source, _outcome(hit))
        else:
            todo.append((source, sha, path))
    log.info("%d documents, %d from cache, %d to read", len(paths), summary.from_cache, len(todo))

    with Progress(len(todo), enabled=settings.progress) as progress:
        with closing(extract_all([p for _, _, p in todo], settings, progress)) as read:
            for (source, sha, _), result in zip(todo, read):
                results[source] = result
                cache_.put(sha, result)
                log.info("%s: read (%s)", source, _outcome(result))
    cache_.save_index(set(results))

    documents = [results[s].document for s in sorted(results)]
    targets = [t for s in sorted(results) for t in results[s].targets]
    targets, applied, stale = apply_corrections(targets, documents, corrections)
    documents = _recount(documents, targets)

    write_outputs(settings.out, targets, documents, stale)
    for d in documents:
        if d["status"] == "failed":
            summary.failures.append(d["error"])
    summary.documents = len(documents)
    summary.targets = len(targets)
    summary.review = sum(t["status"] == "review" for t in targets)
    summary.unparsed = sum(t["status"] == "unparsed" for t in targets)
    summary.failed = sum(d["status"] == "failed" for d in documents)
    summary.skipped = sum(d["status"] == "skipped" for d in documents)
    summary.corrections_applied, summary.stale = len(applied), stale
    return summary


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


def _recount(documents: list[dict], targets: list[dict]) -> list[dict]:
    """documents' review/unparsed counts after corrections may have changed a status."""
    counts: dict[str, dict[str, int]] = {}
    for t in targets:
        c = counts.setdefault(t["source"], {"targets": 0, "review": 0, "unparsed": 0})
        c["targets"] += 1
        if t["status"] in ("review", "unparsed"):
            c[t["status"]] += 1
    return [d | counts[d["source"]] if d["source"] in counts else d for d in documents]


def write_outputs(out: Path, targets: list[dict], documents: list[dict], stale: list[dict]) -> None:
    """Render every output in memory and write each beside its place under a temporary name;
    only then rename them all into place, with Ctrl-C held back for those few renames. An
    interrupted run leaves either all the previous outputs or all the new ones, never a mix
    (targets.csv of one run beside documents.csv of another) and never a half-written file."""
    files = {  # OUTPUT_NAMES
        "targets.csv": csv_bytes(targets, TARGET_FIELDS),
        "targets.parquet": parquet_bytes(targets, TARGET_FIELDS),
        "documents.csv": csv_bytes(documents, DOCUMENT_FIELDS),
        "documents.parquet": parquet_bytes(documents, DOCUMENT_FIELDS),
        "datapackage.json": datapackage_bytes(),
        "report.html": render_report(targets, documents, stale).encode("utf-8"),
    }
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in files.items():
            staged.append((out / f".{name}.staged.tmp", out / name))
            atomic_write(staged[-1][0], data)
        with _signals_held():
            for tmp, path in staged:
                os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


@contextmanager
def _signals_held():
    """Delay SIGINT/SIGTERM until the block is done (where the platform allows it)."""
    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
