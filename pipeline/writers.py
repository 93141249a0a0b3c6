"""The only code that knows CSV and Parquet: typed records → files, atomically.

Each file is written to a temporary name beside it and renamed into place, so a crash or
Ctrl-C mid-run leaves the previous outputs whole. Same records → same bytes.
"""
from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .schema import Field

_UMASK = os.umask(0o022)
os.umask(_UMASK)

_ARROW = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}


def csv_value(value, kind: str) -> str:
    """One CSV field: empty for null, true/false, '.' decimals, integers without '.0'."""
    if value is None:
        return ""
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "number":
        value = float(value)
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def csv_bytes(records: list[dict], fields: tuple[Field, ...]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([f.name for f in fields])
    for r in records:
        writer.writerow([csv_value(r.get(f.name), f.type) for f in fields])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def arrow_table(records: list[dict], fields: tuple[Field, ...]) -> pa.Table:
    schema = pa.schema([pa.field(f.name, _ARROW[f.type]) for f in fields])
    return pa.table({f.name: [r.get(f.name) for r in records] for f in fields}, schema=schema)


def atomic_write(path: Path, data: bytes) -> None:
    """Write bytes to a temporary file beside `path`, fsync, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for everyone to read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def parquet_bytes(records: list[dict], fields: tuple[Field, ...]) -> bytes:
    sink = pa.BufferOutputStream()
    # no statistics timestamps or writer version drift: same records → same bytes
    pq.write_table(arrow_table(records, fields), sink, compression="zstd", write_statistics=True)
    return sink.getvalue().to_pybytes()


def write_table(records: list[dict], fields: tuple[Field, ...], out_dir: Path, stem: str) -> list[Path]:
    """`stem.csv` and `stem.parquet` in out_dir. Both are rendered in memory first, so a
    failure while rendering leaves the old files untouched."""
    csv_data = csv_bytes(records, fields)
    parquet_data = parquet_bytes(records, fields)
    paths = [out_dir / f"{stem}.csv", out_dir / f"{stem}.parquet"]
    atomic_write(paths[0], csv_data)
    atomic_write(paths[1], parquet_data)
    return paths
