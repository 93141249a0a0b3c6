"""The library beside the CLI: extract a folder or one file into pandas DataFrames.

    >>> import chitieu
    >>> result = chitieu.extract("raw")                 # doctest: +SKIP
    >>> result.targets.groupby("status").size()         # doctest: +SKIP
    >>> chitieu.read("raw/plan.docx").documents.error   # doctest: +SKIP

It is the same run as `chitieu extract` (worker processes, limits, cache, corrections), so it
raises the same errors the CLI turns into messages: `UsageError` (the CLI's exit 2: no such
folder, no documents, an unwritable or full OUT, another run writing there) and
`CorrectionsError` (a bad corrections.csv). A document that cannot be read does not raise: it
is a `documents` row with status `failed` and its sentence in `error`, as in the CLI's output.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .corrections import CorrectionsError
from .outputs import Summary
from .run import run_extract
from .settings import Settings, UsageError, raw_location

__all__ = ["Extraction", "extract", "read", "extract_folder", "extract_file", "UsageError", "CorrectionsError"]


@dataclass
class Extraction:
    targets: pd.DataFrame  # one row per target, SPEC §2 columns, typed (nullable dtypes)
    documents: pd.DataFrame  # one row per input file, failed and skipped ones included
    summary: Summary
    left_out: pd.DataFrame | None = None  # SPEC §4.2: what each document's numbers gave no row for, and why
    actuals: pd.DataFrame | None = None  # SPEC §2.1: values reached, estimated, or quoted plans
    indicators: pd.DataFrame | None = None  # one row per indicator of one jurisdiction
    scorecard: pd.DataFrame | None = None  # each target held against what was reached: verdict, margin

    @property
    def failed(self) -> pd.DataFrame:
        return self.documents[self.documents["status"] == "failed"]


def extract_folder(raw: str | os.PathLike, out: str | os.PathLike | None = None, *, jobs: int = 0,
                   timeout: float = 300.0, use_cache: bool = True, retry_failed: bool = False,
                   max_memory: int | None = None, cluster: str | None = None) -> Extraction:
    """Read every document under `raw` (a folder, or an fsspec URL: file://, memory://, s3://).
    With `out`, the outputs (and the cache) are written there as by the CLI; without, into a
    temporary folder that is removed afterwards. `max_memory` is a worker's budget in bytes (the
    CLI's --max-memory); `cluster` a Dask scheduler's address or local:N (the CLI's --cluster)."""
    folder, url = raw_location(raw)
    options = dict(jobs=jobs, timeout=timeout, max_memory=max_memory, cluster=cluster, raw_url=url)
    if out is not None:
        return _extract(Settings(folder, Path(out), use_cache=use_cache, retry_failed=retry_failed, **options))
    with tempfile.TemporaryDirectory(prefix="chitieu-") as tmp:
        return _extract(Settings(folder, Path(tmp), use_cache=False, **options))


def extract_file(path: str | os.PathLike, *, timeout: float = 300.0, max_memory: int | None = None) -> Extraction:
    """Read one document (a copy of it, in a temporary folder: corrections do not apply)."""
    path = Path(path)
    if not path.is_file():
        problem = "is a folder; use extract_folder" if path.is_dir() else "does not exist"
        raise UsageError(f"{path} {problem}")
    with tempfile.TemporaryDirectory(prefix="chitieu-") as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        shutil.copyfile(path, raw / path.name)
        return _extract(Settings(raw, Path(tmp) / "out", jobs=1, timeout=timeout, use_cache=False,
                                 max_memory=max_memory))


def extract(raw: str | os.PathLike, out: str | os.PathLike | None = None, **options) -> Extraction:
    """`chitieu.extract`: every document under `raw` (options: jobs, timeout, use_cache,
    retry_failed, max_memory, cluster, as the CLI's)."""
    return extract_folder(raw, out, **options)


def read(path: str | os.PathLike, **options) -> Extraction:
    """`chitieu.read`: one document (options: timeout, max_memory)."""
    return extract_file(path, **options)


def _extract(settings: Settings) -> Extraction:
    summary = run_extract(settings)
    frames = {name: _frame(settings.out / f"{name}.parquet")
              for name in ("left_out", "actuals", "indicators", "scorecard")}
    return Extraction(_frame(settings.out / "targets.parquet"), _frame(settings.out / "documents.parquet"), summary,
                      **frames)


def _frame(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pandas(types_mapper=pd.ArrowDtype)
