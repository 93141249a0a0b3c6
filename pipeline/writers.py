"""The only code that knows CSV and Parquet: typed records → files, atomically.

Records arrive a document at a time and go straight to disk, so a run's memory does not
grow with the corpus. Every output of a run is first written under a temporary name beside
its place (`StagedFiles`); only when all of them are complete are they renamed into place
together, so a crash or Ctrl-C mid-run leaves the previous outputs whole. Same records →
same bytes.
"""
from __future__ import annotations

import io
import json
import math
import re
import os
import signal
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .datapackage import ENUMS
from .schema import Field

VOCABULARY_FIELDS = frozenset(name for _, name in ENUMS)

_UMASK = os.umask(0o022)
os.umask(_UMASK)

# Parquet row groups of a fixed size: bounded memory, and the same records always fall into
# the same groups (same bytes).
ROWS_PER_GROUP = 8192


# A text cell a spreadsheet would read as a formula (OWASP, "CSV injection"): = + - @, and
# TAB or CR, which some spreadsheets skip before looking for one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CHARS = frozenset(FORMULA_STARTS)


def csv_value(value, kind: str, vocabulary: bool = False) -> str:
    """One CSV field: empty for null, true/false, '.' decimals, integers without '.0'.

    Text that a spreadsheet would run as a formula gets a leading `'` (OWASP): it shows as
    written and runs nothing. Parquet keeps the text as it is. A column of a closed vocabulary
    (`vocabulary`: the comparator `=`) holds only our own words, written as they are.

    >>> csv_value("=HYPERLINK(\"http://x\")", "string"), csv_value("- Giảm 5%", "string")
    ('\'=HYPERLINK("http://x")', "'- Giảm 5%")
    """
    if value is None:
        return ""
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "number":
        value = finite_or_none(value)
        if value is None:
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) and not vocabulary else text


def finite_or_none(value) -> float | None:
    """A number the outputs can hold: inf and NaN are no number a target can have, and
    Frictionless, Excel and the report would each read them differently. The run marks a row
    whose bound is not finite as unparsed before it gets here; this is the last guard."""
    value = float(value)
    return value if math.isfinite(value) else None


# A field that must be quoted: the delimiter, the quote, a line end of either kind or NUL.
# (Python's csv writer leaves a lone '\r' unquoted when lines end in '\n', and a reader then
# splits the row there.)
_NEEDS_QUOTES = re.compile('[,"\r\n\x00]')


def csv_field(text: str) -> str:
    r"""
    >>> csv_field("a"), csv_field("a,b"), csv_field('a "b" c'), csv_field("a\rb")
    ('a', '"a,b"', '"a ""b"" c"', '"a\rb"')
    """
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if _NEEDS_QUOTES.search(text) else text


class CsvWriter:
    """UTF-8 with a BOM (so Excel reads Vietnamese right), '\\n' line ends, header first;
    every field holding a delimiter, a quote, a line end or NUL is quoted. `encode` gives the
    bytes of some rows, which `write_encoded` appends: a document's rows kept from an earlier
    run go in as they are."""

    def __init__(self, file: BinaryIO, fields: tuple[Field, ...]):
        self._file = file
        self._fields = fields
        self._columns = [(f.name, self._converter(f, f.name in VOCABULARY_FIELDS)) for f in fields]
        self._file.write(("\ufeff" + ",".join(csv_field(f.name) for f in fields) + "\n").encode("utf-8"))

    def encode(self, records: Iterable[dict]) -> bytes:
        columns = self._columns
        return "".join(
            ",".join("" if (value := r.get(name)) is None else csv_field(convert(value)) for name, convert in columns)
            + "\n" for r in records).encode("utf-8")

    def write(self, records: Iterable[dict]) -> None:
        self._file.write(self.encode(records))

    def write_encoded(self, data: bytes) -> None:
        self._file.write(data)

    @staticmethod
    def _converter(field: Field, vocabulary: bool):
        """csv_value for one column, its kind decided once (a run writes millions of cells)."""
        def text(value) -> str:
            if type(value) is not str:
                return csv_value(value, "string")
            return f"'{value}" if value[:1] in _FORMULA_CHARS else value

        if field.type == "string" and not vocabulary:
            return text
        return lambda value: csv_value(value, field.type, vocabulary)

    def close(self) -> None:
        if self._file is not None:
            self._file.flush()  # the file is the caller's to close
            self._file = None


class ParquetWriter:
    """zstd-compressed Parquet, typed by the schema, written a row group at a time. Records
    wait for their row group as JSON lines (`encode`; a document's, kept from an earlier run,
    go in by `write_encoded`), made into Arrow columns a row group at a time: how the rows fall
    into Arrow chunks does not change the file's bytes, only the rows do."""

    def __init__(self, file: BinaryIO, fields: tuple[Field, ...], rows_per_group: int = ROWS_PER_GROUP):
        import pyarrow as pa  # imported here: a run with nothing to write never pays for it
        import pyarrow.parquet as pq

        self._pa = pa
        self._fields = fields
        self._schema = arrow_schema(fields)
        self._writer = pq.ParquetWriter(file, self._schema, compression="zstd", write_statistics=True)
        self._pending: list[bytes] = []  # JSON lines, each ending in "\n"
        self._pending_rows = 0
        self._rest = pa.Table.from_batches([], schema=self._schema)  # rows short of a group, made into Arrow
        self._rows_per_group = rows_per_group
        self._written = 0

    def encode(self, records: Iterable[dict]) -> bytes:
        return json_lines(records, self._fields)

    def write(self, records: Iterable[dict]) -> None:
        self.write_encoded(self.encode(records))

    def write_encoded(self, lines: bytes) -> None:
        if not lines:
            return
        self._pending.append(lines)
        self._pending_rows += lines.count(b"\n")
        if self._rest.num_rows + self._pending_rows >= self._rows_per_group:
            table = self._pending_table()
            group = self._rows_per_group
            while table.num_rows >= group:
                self._write_group(table.slice(0, group))
                table = table.slice(group)
            self._rest = table

    def _pending_table(self):
        """The rows waiting: the rest of the last group's table, then the lines since."""
        table = self._pa.concat_tables([self._rest, read_json_lines(b"".join(self._pending), self._schema)])
        self._pending, self._pending_rows = [], 0
        return table

    def _write_group(self, table) -> None:
        self._writer.write_table(table, row_group_size=self._rows_per_group)
        self._written += table.num_rows

    def close(self) -> None:
        if not self._writer.is_open:
            return
        try:
            table = self._pending_table() if self._pending_rows else self._rest
            if table.num_rows or not self._written:  # an empty table still gets its schema
                self._write_group(table)
            self._writer.close()
        except BaseException:
            self.abandon()
            raise

    def abandon(self) -> None:
        """Give up the file (a full disk, an interrupted run): pyarrow would otherwise try to
        close it again when collected, into a file its owner has closed and deleted."""
        self._writer.is_open = False


def arrow_schema(fields: tuple[Field, ...]):
    import pyarrow as pa

    arrow_types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    return pa.schema([pa.field(f.name, arrow_types[f.type]) for f in fields])


def json_lines(records: Iterable[dict], fields: tuple[Field, ...]) -> bytes:
    """The records as JSON lines, one per record, each ending in a line end (none: no bytes)."""
    return "".join(json.dumps({f.name: _parquet_value(r.get(f.name), f.type) for f in fields}, allow_nan=False) + "\n"
                   for r in records).encode("utf-8")


def read_json_lines(lines: bytes, schema):
    """JSON lines as an Arrow table of `schema`, by Arrow's JSON reader. Not pa.array/from_pydict:
    their first call imports pandas (0.45 s of a run's start-up) to ask whether a list is a
    DataFrame. JSON keeps None apart from "" and floats exact."""
    import pyarrow.json

    return pyarrow.json.read_json(
        io.BytesIO(lines), read_options=pyarrow.json.ReadOptions(use_threads=False, block_size=len(lines) + 1),
        parse_options=pyarrow.json.ParseOptions(explicit_schema=schema))


def arrow_table(records: list[dict], fields: tuple[Field, ...], schema=None):
    """The records as an Arrow table of their schema."""
    return read_json_lines(json_lines(records, fields), schema if schema is not None else arrow_schema(fields))


def _parquet_value(value, kind: str):
    return finite_or_none(value) if kind == "number" and value is not None else value


def _in_memory(writer_type, records: Iterable[dict], fields: tuple[Field, ...]) -> bytes:
    buffer = io.BytesIO()
    writer = writer_type(buffer, fields)
    writer.write(records)
    writer.close()
    return buffer.getvalue()


def csv_bytes(records: Iterable[dict], fields: tuple[Field, ...]) -> bytes:
    return _in_memory(CsvWriter, records, fields)


def parquet_bytes(records: Iterable[dict], fields: tuple[Field, ...]) -> bytes:
    return _in_memory(ParquetWriter, records, fields)


def atomic_write(path: Path, data: bytes, durable: bool = True) -> None:
    """Write bytes to a temporary file beside `path`, then rename over it. `durable` also
    fsyncs first; a cache entry skips that, as a torn one only costs a re-read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for everyone to read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class StagedFiles:
    """A set of files written beside their places under temporary names, then renamed into
    place together by `commit`, with Ctrl-C held back for those few renames. Leaving the
    `with` block without a commit (an error, Ctrl-C) deletes what was staged: the previous
    outputs stay, never a mix of two runs and never a half-written file."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._staged: dict[str, tuple[Path, BinaryIO]] = {}

    def open(self, name: str) -> BinaryIO:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".staged.tmp", dir=self.folder)
        file = os.fdopen(fd, "w+b")
        self._staged[name] = (Path(tmp), file)
        return file

    def write(self, name: str, data: bytes) -> None:
        self.open(name).write(data)

    def commit(self) -> dict[str, Path]:
        """Rename every staged file into place; returns name → final path."""
        for tmp, file in self._staged.values():
            file.flush()
            os.fsync(file.fileno())
            file.close()
            os.chmod(tmp, 0o666 & ~_UMASK)
        with signals_held():
            for name, (tmp, _) in self._staged.items():
                os.replace(tmp, self.folder / name)
        placed = {name: self.folder / name for name in self._staged}
        self._staged = {}
        return placed

    def discard(self) -> None:
        for tmp, file in self._staged.values():
            try:
                file.close()  # may flush into a full disk, and fail: the file goes all the same
            except OSError:
                pass
            tmp.unlink(missing_ok=True)
        self._staged = {}

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(self, *exc) -> None:
        self.discard()  # nothing left after a commit


@contextmanager
def signals_held() -> Iterator[None]:
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
