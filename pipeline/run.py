"""A batch run: every file under raw/ → extracted/ (SPEC §2), with corrections and a report.

    lock OUT → discover → hash every file → (cache | read in worker processes, each document
    under a time limit) → apply corrections → write outputs atomically → report

With --cluster (or a RAW on a store, an fsspec URL) the documents are hashed and read on a Dask
cluster instead (pipeline/cluster.py, imported only then); the rest of the run is the same.

Nothing a single file does can stop the batch: a bad file becomes a failed `documents` row.
What stops a run is only what makes it impossible (exit status 2, nothing written): a bad
call, an unwritable or full OUT, another run writing there, no documents at all.
"""
from __future__ import annotations

import errno
import hashlib
import itertools
import json
import logging
import math
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..parsers.formats import READERS
from .cache import ResultCache, file_format, file_sha256, pipeline_fingerprint, relabel
from .corrections import CorrectionsError, load_corrections, read_corrections_bytes
from .extract import DocumentResult, document_record
from .fragments import Fragment, FragmentStore
from .link_spill import BucketResults
from .linking import BatchLinks
from .inputs import CORRECTIONS_NAME, Found
from .inputs import discover as _discover
from .lock import DISK_FULL, OutLock, disk_full_sentence
from .outputs import OUTPUT_FOLDERS, OUTPUT_NAMES, OutputManifest, RunOutputs, Summary, remove_leftovers
from .pool import Job, extract_with_limit, read_in_workers
from .progress import Progress
from .report import ReportWriter  # noqa: F401  (tests reach it here)
from .settings import Settings, UsageError
from .storage import list_documents
from .writers import StagedFiles

__all__ = ["CORRECTIONS_NAME", "OUTPUT_NAMES", "Settings", "Summary", "UsageError", "discover",
           "extract_with_limit", "pipeline_fingerprint", "run_extract"]

log = logging.getLogger("chitieu")

CACHE_DIR = ".cache"
MANIFEST_NAME = "outputs.json"  # in CACHE_DIR: what the outputs on disk were made from
LINKS_DIR = "links"  # in CACHE_DIR: the linker's second pass of each bucket of jurisdictions
# What a folder one may not write to says when a write is refused.
NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}
# A note on a row whose number is too large for a float (the normalizer should never hand
# one over; this keeps inf out of every output if it does).
OUT_OF_RANGE = "number_out_of_range"


def discover(raw: Path, out: Path | None = None) -> list[Found]:
    return _discover(raw, out, OUTPUT_NAMES + OUTPUT_FOLDERS)


# ---------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Planned:
    """One document of the run and where its result comes from."""

    source: str
    path: Path
    sha: str | None = None
    cached: bool = False
    failure: DocumentResult | None = None  # it cannot even be opened


def plan_run(found: list[Found], settings: Settings, cache_: ResultCache, cluster=None) -> list[Planned]:
    shas = cluster.sha256s(found) if settings.raw_url else {}  # a store's documents are hashed where they are read
    plan = []
    for f in found:
        if f.problem:
            log.info("%s: failed (%s)", f.source, f.problem)
            plan.append(Planned(f.source, f.path, failure=not_a_document(f)))
            continue
        try:
            sha = shas[f.source] if settings.raw_url else file_sha256(f.path)
            if isinstance(sha, OSError):
                raise sha
        except OSError as e:  # no permission, gone since it was listed, replaced by a pipe
            log.info("%s: failed (%s)", f.source, e.strerror or e)
            plan.append(Planned(f.source, f.path, failure=unopenable(f, e)))
            continue
        cached = settings.use_cache and cache_.has(sha, file_format(f.path), settings.timeout, settings.retry_failed)
        plan.append(Planned(f.source, f.path, sha, cached=cached))
    return plan


def not_a_document(found: Found) -> DocumentResult:
    return DocumentResult(document_record(found.source, None, None, file_format(found.path), status="failed",
                                          error=f"{found.source}: {found.problem}"))


def unopenable(found: Found, error: OSError) -> DocumentResult:
    """The row of a file that cannot even be opened: no bytes, so no doc_id."""
    return DocumentResult(document_record(
        found.source, None, None, file_format(found.path), status="failed",
        error=f"{found.source}: the file cannot be opened ({error.strerror or error}); "
              f"check that it is still there and that you may read it",
    ))


# ---------------------------------------------------------------------------- the run


def run_extract(settings: Settings) -> Summary:
    with OutLock(settings.out, settings.raw, settings.wait):
        try:
            return _run_locked(settings)
        except OSError as e:
            if e.errno in DISK_FULL:
                raise UsageError(disk_full_sentence(settings.out, e)) from None
            if e.errno in NOT_WRITABLE and _under(e.filename, settings.out):
                raise UsageError(f"cannot write into the output folder {settings.out} ({e.strerror}); "
                                 f"pass a folder you may write to") from None
            raise


def _under(filename, folder: Path) -> bool:
    return filename is None or Path(filename).resolve().is_relative_to(folder.resolve())


def _run_locked(settings: Settings) -> Summary:
    try:
        if settings.engine is None:
            return _run(settings)
        from .cluster import Cluster  # Dask is imported only for a run on a cluster

        with Cluster(settings, settings.out / CACHE_DIR) as cluster:
            return _run(settings, cluster)
    except BaseException:
        # Ctrl-C can land between a temporary file's creation and the code that would delete
        # it. The workers are stopped by now and the lock is still held: no one writes these.
        remove_leftovers(settings.out, settings.out / CACHE_DIR)
        raise


def _run(settings: Settings, cluster=None) -> Summary:
    cache_ = ResultCache(settings.out / CACHE_DIR)
    remove_leftovers(settings.out, cache_.folder)
    if settings.raw_url:
        found = list_documents(settings.raw_url, settings.out, OUTPUT_NAMES + OUTPUT_FOLDERS)
    else:
        found = discover(settings.raw, settings.out)
    if not found:
        raise UsageError(
            f"the input folder {settings.raw} holds no documents (hidden files and {CORRECTIONS_NAME} "
            f"are not documents); check that it is the right folder. Nothing was written: the outputs "
            f"in {settings.out} are unchanged")
    if settings.keep_outputs_if_none_read and not any(f.problem is None and f.path.suffix.lower() in READERS
                                                      for f in found):
        raise UsageError(nothing_read_sentence(settings, [f"{f.source}: {f.problem or _not_a_format(f)}"
                                                          for f in found]))
    corrections_path = settings.raw / CORRECTIONS_NAME
    if settings.raw_url and not settings.raw_url.startswith("file:"):
        corrections_path = cluster.corrections_path()
    plan = plan_run(found, settings, cache_, cluster)
    todo = [p for p in plan if not p.cached and not p.failure]
    log.info("%d documents, %d from cache, %d to read", len(plan), sum(p.cached for p in plan), len(todo))

    manifest = OutputManifest(cache_.folder / MANIFEST_NAME)
    key = run_key(plan, corrections_path)
    if settings.use_cache and all(p.cached or p.failure for p in plan) and manifest.outputs_stand(key):
        # Every result is cached and the outputs were written from exactly these results
        # and corrections, by this pipeline: they stand as they are.
        log.info("nothing changed since the outputs in %s were written; they stay as they are", settings.out)
        summary = manifest.summary()
        summary.from_cache = len(plan)
        return summary

    # Read the corrections first: a bad file stops the run before anything is written.
    corrections = corrections_or_none(corrections_path)
    summary = Summary(from_cache=sum(p.cached for p in plan))
    with closing(read_all(todo, settings, cache_, cluster)) as read:
        # The workers fork and take their first documents before this process imports its
        # writers (pyarrow, a tenth of a second), which it then does while they read.
        results = _started(read)
        with (StagedFiles(settings.out) as staged, RunOutputs(staged, corrections, settings.raw, _links(cache_, settings)) as outputs,
              Progress(len(todo), enabled=settings.progress) as progress):
            fragments = FragmentStore(cache_.folder)
            for planned in plan:
                outputs.add(_fragment_of(planned, results, cache_, fragments, outputs, settings, cluster))
                if not planned.cached and not planned.failure:
                    progress.advance()
            outputs.finish(summary)
            if (settings.keep_outputs_if_none_read and summary.failed + summary.skipped == summary.documents
                    and any((settings.out / name).exists() for name in OUTPUT_NAMES)):
                # Outputs of an earlier run stand until a run reads something; every result is
                # cached, so once the files are fixed the next run reads only them.
                raise UsageError(nothing_read_sentence(settings, outputs.errors()))
            written = staged.commit()
            outputs.report.prune()  # the files of the report in place before, now named by none
    manifest.save(key, written, summary)
    return summary


def _links(cache_: ResultCache, settings: Settings) -> BatchLinks:
    """The linker, with the second pass of each bucket of jurisdictions kept in the cache."""
    if not settings.use_cache:
        return BatchLinks()
    return BatchLinks(BucketResults(cache_.folder / LINKS_DIR, pipeline_fingerprint()))


def corrections_or_none(path: Path) -> list:
    """The corrections in raw/, none when there is no such file."""
    try:
        return load_corrections(path)
    except FileNotFoundError:
        return []


def nothing_read_sentence(settings: Settings, errors: list[str]) -> str:
    shown = "; ".join(errors[:3]) + (f"; and {len(errors) - 3} more" if len(errors) > 3 else "")
    return (f"no document in the input folder {settings.raw} could be read ({shown}). Nothing was written: "
            f"the outputs in {settings.out} are unchanged")


def _not_a_format(found: Found) -> str:
    kind = found.path.suffix.lower().lstrip(".")
    return (f".{kind} files are not planning documents chitieu reads" if kind
            else "a file without an extension is not read; name it for its format (.docx, .pdf …)")


def read_all(todo: list[Planned], settings: Settings, cache_: ResultCache,
             cluster=None) -> Iterator[DocumentResult]:
    """The results of the documents to read, in order, one by one as they are read (each is
    cached as soon as it is, so an interrupted run keeps what it read)."""
    if cluster is not None:  # each document a task on a Dask cluster (pipeline/cluster.py)
        yield from cluster.read(todo, cache_)
        return
    if not settings.isolate:  # in this process (tests, debugging)
        for planned in todo:
            result = extract_with_limit(planned.path, settings.raw, settings.timeout)
            result = relabel(result, planned.source)
            cache_.put(result, settings.timeout)
            yield result
        return
    jobs = [Job(i, str(p.path), p.source, p.sha) for i, p in enumerate(todo)]
    yield from read_in_workers(jobs, min(settings.workers, max(1, len(jobs))), settings.raw, settings.timeout, cache_,
                               settings.memory_budget)


def _started(results: Iterator[DocumentResult]) -> Iterator[DocumentResult]:
    """The same results, the first of them asked for now."""
    first = next(results, None)
    return iter(()) if first is None else itertools.chain([first], results)


def _result_of(planned: Planned, read: Iterator[DocumentResult], cache_: ResultCache,
               settings: Settings, cluster=None) -> DocumentResult:
    """The planned document's result: its failure, its cached result, or the next one read."""
    if planned.failure:
        return planned.failure
    if not planned.cached:
        result = next(read)
        log.info("%s: read (%s)", planned.source, _outcome(result.document))
        return result
    hit = cache_.get(planned.sha, file_format(planned.path), planned.source, settings.timeout, settings.retry_failed)
    if hit:
        log.info("%s: from the cache (%s)", planned.source, _outcome(hit.document))
        return hit
    # the entry went bad (or away) since the run was planned: read the document now
    with closing(read_all([planned], settings, cache_, cluster)) as again:
        result = next(again)
    log.info("%s: read again (%s)", planned.source, _outcome(result.document))
    return result


def _fragment_of(planned: Planned, read: Iterator[DocumentResult], cache_: ResultCache, fragments: FragmentStore,
                 outputs: RunOutputs, settings: Settings, cluster=None) -> Fragment:
    """The planned document's share of the outputs: kept from an earlier run when it is made
    from the same cached result, path and corrections; else made from its result, and kept."""
    def key() -> str | None:
        entry = cache_.read_entry(planned.sha, file_format(planned.path)) if planned.sha else None
        return fragments.key(entry, planned.source, outputs.corrections_for(planned.source))

    if planned.cached:
        fragment = fragments.get(key())
        if fragment is not None:
            log.info("%s: from the cache (%s)", planned.source, _outcome(fragment.document))
            return fragment
    fragment = outputs.encode(finite_only(_result_of(planned, read, cache_, settings, cluster)))
    if not planned.failure:
        fragments.put(key(), fragment)  # the result's entry as it is now, read or read again
    return fragment


def finite_only(result: DocumentResult) -> DocumentResult:
    """A row whose bound is not a finite number (300 digits overflow a float to inf) is
    unparsed: its text is kept, its values are null, its notes say why."""
    changed = False
    for t in result.targets:
        if any(isinstance(t[k], float) and not math.isfinite(t[k]) for k in ("value_low", "value_high")):
            t.update(value_low=None, value_high=None, low_inclusive=None, high_inclusive=None,
                     comparator=None, measure=None, status="unparsed",
                     notes=";".join(filter(None, [t["notes"], OUT_OF_RANGE])))
            changed = True
    if changed:
        statuses = [t["status"] for t in result.targets]
        result.document.update(review=statuses.count("review"), unparsed=statuses.count("unparsed"))
    return result


def _outcome(document: dict) -> str:
    d = document
    return f"{d['targets']} targets" if d["status"] == "ok" else d["status"]


# ---------------------------------------------------------------------------- re-runs


def report_assets_fingerprint() -> str:
    assets = resources.files(__package__).joinpath("report_assets")
    digest = hashlib.sha256()
    for asset in sorted(assets.iterdir(), key=lambda a: a.name):
        digest.update(asset.name.encode() + b"\0" + asset.read_bytes())
    return digest.hexdigest()[:16]


def run_key(plan: list[Planned], corrections_path: Path) -> str | None:
    """What the outputs of a run are made from: every document's content (or why it has
    none), the corrections, the pipeline's own code and the report's templates and assets
    (which shape report.html but not what a document gives, so the cache does not hold them);
    None when the corrections cannot be read."""
    try:
        corrections = hashlib.sha256(read_corrections_bytes(corrections_path)).hexdigest()
    except FileNotFoundError:
        corrections = None
    except (OSError, CorrectionsError):  # the run says why when it reads them
        return None
    text = json.dumps([pipeline_fingerprint(), report_assets_fingerprint(), corrections,
                       [(p.source, p.sha or p.failure.document["error"]) for p in plan]])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
