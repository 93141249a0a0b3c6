"""The linker's records out of memory (issue 24): one temporary file per bucket of
jurisdictions, read back one bucket at a time when the run finishes, and the second pass's
result of each bucket kept for the next run.

Every indicator belongs to one jurisdiction (its id hashes it), and each row of `indicators`
and `scorecard` and each series is computed from the records of one indicator; so a record goes
to the bucket of its jurisdiction, and the second pass holds one bucket at a time (a 64th of the
batch's records), not every target of the batch. A bucket's result depends only on its records
in order: it is kept under their hash (`BucketResults`), and a re-run after one document changed
computes again only the bucket that document's jurisdiction falls in.

Arrow rather than DuckDB: pyarrow is already a dependency (the Parquet outputs), and the records
only need to be put aside and read back whole by bucket (no join or sort out of core that would
want a query engine). They wait as the JSON lines a document's encoding made of them once (kept
in its fragment), and Arrow's JSON reader makes a bucket of them typed columns again: None, ""
and floats exactly as they were. The files are anonymous temporary files: nothing is left
behind, even by a killed run.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from .schema import Field
from .writers import arrow_schema, atomic_write, json_lines, read_json_lines

BUCKETS = 64
FLUSH_ROWS = 4096  # records held before they go to their buckets' files
BATCH_ROWS = 2048  # records read back at a time

# What the second pass needs of a target, a reported value or a quoted plan, and of the
# document it came from (its order among documents: date, year, path).
LINK_FIELDS: tuple[Field, ...] = tuple(Field(name, kind, "") for name, kind in (
    ("role", "string"),  # target, reported, plan, or seen (only counted for its indicator)
    ("jurisdiction", "string"), ("indicator_id", "string"), ("year", "integer"),
    ("doc_id", "string"), ("doc_date", "string"), ("doc_year", "integer"), ("source", "string"),
    ("name", "string"), ("unit", "string"), ("target_type", "string"),
    ("value_low", "number"), ("value_high", "number"), ("low_inclusive", "boolean"), ("high_inclusive", "boolean"),
    ("comparator", "string"), ("approximate", "boolean"), ("measure", "string"), ("direction", "string"),
    ("reference_year", "integer"), ("seq", "integer"), ("location", "string"), ("notes", "string"),
    ("target_text", "string"), ("kind", "string"), ("value_text", "string"), ("stated_verdict", "string"),
))


def link_lines(records: list[dict]) -> bytes:
    """Records as the spill takes them (and a fragment keeps them): JSON lines of LINK_FIELDS."""
    return json_lines(records, LINK_FIELDS)


def bucket_of(jurisdiction: str | None) -> int:
    return zlib.crc32((jurisdiction or "").encode("utf-8")) % BUCKETS


class LinkSpill:
    """Records added in order (`add`), given back bucket by bucket (`buckets`), each bucket's in
    the order they were added, with the hash of those records."""

    def __init__(self) -> None:
        self._files: dict[int, object] = {}  # bucket → its temporary file of JSON lines
        self._digests: dict[int, object] = {}  # bucket → SHA-256 of its lines so far
        self._pending: dict[int, list[bytes]] = {}  # bucket → documents' JSON lines
        self._held = 0
        self.records = 0  # added so far

    def add(self, jurisdiction: str | None, lines: bytes) -> None:
        """A document's records, as `link_lines` encoded them (JSON lines)."""
        if not lines:
            return
        count = lines.count(b"\n")
        bucket = bucket_of(jurisdiction)
        self._pending.setdefault(bucket, []).append(lines)
        self._digests.setdefault(bucket, hashlib.sha256()).update(lines)
        self._held += count
        self.records += count
        if self._held >= FLUSH_ROWS:
            self._flush()

    @property
    def held(self) -> int:
        """Records in memory, not yet in their bucket's file."""
        return self._held

    def _flush(self) -> None:
        for bucket, lines in self._pending.items():
            if bucket not in self._files:
                self._files[bucket] = tempfile.TemporaryFile(prefix="chitieu-links-")
            self._files[bucket].write(b"".join(lines))
        self._pending, self._held = {}, 0

    def buckets(self) -> Iterator[tuple[str, BucketRecords]]:
        """Each bucket's hash and its records (read only if asked for); the files are closed after."""
        self._flush()
        try:
            for bucket in sorted(self._files):
                yield self._digests[bucket].hexdigest(), BucketRecords(self._files[bucket])
                self._files[bucket].close()
        finally:
            self.close()

    def close(self) -> None:
        for file in self._files.values():
            file.close()
        self._files, self._pending, self._held = {}, {}, 0


class BucketRecords:
    """A bucket's records, read from its file a batch at a time when asked for (as often as asked)."""

    def __init__(self, file) -> None:
        self._file = file

    def batches(self) -> Iterator[list[dict]]:
        """The records, BATCH_ROWS at a time, in the order they were added."""
        rows = BATCH_ROWS
        self._file.seek(0)
        schema = arrow_schema(LINK_FIELDS)
        while lines := list(itertools.islice(self._file, rows)):
            yield read_json_lines(b"".join(lines), schema).to_pylist()


class BucketResults:
    """What the second pass made of a bucket's records, kept under their hash (and the pipeline's
    fingerprint) in OUT/.cache/links; those of buckets no run uses any more are removed (`prune`)."""

    def __init__(self, folder: Path, fingerprint: str):
        self.folder = folder
        self.fingerprint = fingerprint
        self._used: set[str] = set()

    def _path(self, digest: str) -> Path:
        # not .json: the result cache's entries are the folder's only */*.json
        return self.folder / f"{hashlib.sha256((self.fingerprint + digest).encode()).hexdigest()[:32]}.bucket"

    def get(self, digest: str):
        path = self._path(digest)
        self._used.add(path.name)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, digest: str, result) -> None:
        try:
            atomic_write(self._path(digest), json.dumps(result, ensure_ascii=False).encode("utf-8"), durable=False)
        except OSError:
            pass  # computed again next time

    def prune(self) -> None:
        for path in self.folder.glob("*.bucket") if self.folder.is_dir() else ():
            if path.name not in self._used:
                path.unlink(missing_ok=True)
