"""The linker's records out of memory (issue 24): Arrow IPC files, one per bucket of
jurisdictions, read back one bucket at a time when the run finishes.

Every indicator belongs to one jurisdiction (its id hashes it), and each row of `indicators`
and `scorecard` and each series is computed from the records of one indicator; so a record goes
to the bucket of its jurisdiction, and the second pass holds one bucket at a time (a 64th of the
batch's records), not every target of the batch.

Arrow rather than DuckDB: pyarrow is already a dependency (the Parquet outputs), the records
only need to be put aside and read back whole by bucket (no join or sort out of core that would
want a query engine), and Arrow's typed columns keep None, "" and floats exactly as they were.
The files are anonymous temporary files: nothing is left behind, even by a killed run.
"""
from __future__ import annotations

import tempfile
import zlib
from collections.abc import Iterator

from .schema import Field
from .writers import arrow_schema, json_lines, read_json_lines

BUCKETS = 64
FLUSH_ROWS = 4096  # records held before they go to their buckets' files

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
    the order they were added."""

    def __init__(self) -> None:
        self._schema = None
        self._files: dict[int, tuple] = {}  # bucket → (file, IPC writer)
        self._pending: dict[int, list[bytes]] = {}  # bucket → documents' JSON lines
        self._held = 0
        self.records = 0  # added so far

    def add(self, jurisdiction: str | None, lines: bytes) -> None:
        """A document's records, as `link_lines` encoded them (JSON lines)."""
        if not lines:
            return
        count = lines.count(b"\n")
        self._pending.setdefault(bucket_of(jurisdiction), []).append(lines)
        self._held += count
        self.records += count
        if self._held >= FLUSH_ROWS:
            self._flush()

    @property
    def held(self) -> int:
        """Records in memory, not yet in their bucket's file."""
        return self._held

    def _flush(self) -> None:
        import pyarrow as pa

        if self._schema is None:
            self._schema = arrow_schema(LINK_FIELDS)
        for bucket, lines in self._pending.items():
            if bucket not in self._files:
                file = tempfile.TemporaryFile(prefix="chitieu-links-")
                self._files[bucket] = (file, pa.ipc.new_stream(file, self._schema))
            self._files[bucket][1].write_table(read_json_lines(b"".join(lines), self._schema))
        self._pending, self._held = {}, 0

    def buckets(self) -> Iterator[list[dict]]:
        """Each bucket's records, one bucket at a time; the files are closed after."""
        import pyarrow as pa

        self._flush()
        try:
            for bucket in sorted(self._files):
                file, writer = self._files[bucket]
                writer.close()
                file.seek(0)
                yield pa.ipc.open_stream(file).read_all().to_pylist()
                file.close()
        finally:
            self.close()

    def close(self) -> None:
        for file, _ in self._files.values():
            file.close()
        self._files, self._pending, self._held = {}, {}, 0
