"""What the report shows, as data: readings in Vietnamese notation, and the written outputs read
back a document at a time (Parquet preferred: the CSVs carry the formula-neutralizing `'`).

Nothing here knows HTML: `report_html` prepares the page's values from these, and the
templates in `report_assets/` lay them out.
"""
from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from ..pipeline.corrections import Correction, find_stale_in_outputs, parse_value
from ..pipeline.schema import ACTUAL_FIELDS, DOCUMENT_FIELDS, LEFT_OUT_FIELDS, TARGET_FIELDS, Field

STATUSES = ("ok", "review", "unparsed")
# Rows read from Parquet at a time when the report is re-rendered from the outputs.
BATCH_ROWS = 4096

# How a bounded side of a target reads, keyed by whether the bound is included.
LOW_SYMBOL = {True: "≥", False: ">"}
HIGH_SYMBOL = {True: "≤", False: "<"}
CHANGE_WORD = {"increase": "tăng", "decrease": "giảm", "maintain": "duy trì"}
CHANGE_WORD_UNKNOWN = "thay đổi"  # a change without a direction


# --- reading in plain notation ------------------------------------------------------------


def format_number_vi(x: float, min_decimals: int = 0) -> str:
    """A number in Vietnamese notation: ',' decimal mark, '.' between thousands.

    Decimals are those of the shortest exact reading of ``x``, padded to ``min_decimals``
    (so both ends of a range can show the same precision).

    >>> format_number_vi(124000.0), format_number_vi(6.5), format_number_vi(99.77)
    ('124.000', '6,5', '99,77')
    >>> format_number_vi(7.0), format_number_vi(7.0, min_decimals=1)
    ('7', '7,0')
    >>> format_number_vi(1234567.891), format_number_vi(-0.1)
    ('1.234.567,891', '-0,1')
    """
    text = format(_exact(x), ",f")  # '1,234,567.891' in English notation
    whole, _, decimals = text.partition(".")
    decimals = decimals.ljust(min_decimals, "0")
    whole = whole.replace(",", ".")
    return f"{whole},{decimals}" if decimals else whole


def _exact(x: float) -> Decimal:
    # repr() is the shortest text that reads back as x: 28.3, not 28.300000000000000711.
    number = Decimal(repr(float(x))).normalize()
    return Decimal(0) if number == 0 else number  # -0.0 reads as 0


def _decimals(x: float) -> int:
    return max(0, -_exact(x).as_tuple().exponent)


def format_reading(row: dict) -> str:
    """A target as a person reads it: comparator, Vietnamese numbers, unit.

    Completion and qualitative targets read as written; rows without bounds read as ''.

    >>> base = dict(target_type="numeric", unit="%", approximate=False, measure="level",
    ...             direction=None, reference_year=None, target_text=None)
    >>> format_reading(base | dict(value_low=90.0, value_high=None, low_inclusive=False,
    ...                            high_inclusive=None))
    '> 90 %'
    >>> format_reading(base | dict(value_low=6.5, value_high=7.0, low_inclusive=True,
    ...                            high_inclusive=True, measure="change", direction="increase",
    ...                            reference_year=2023))
    'tăng 6,5 – 7,0 % so với năm 2023'
    >>> format_reading(base | dict(unit="tỷ đồng", value_low=124000.0, value_high=124000.0,
    ...                            low_inclusive=True, high_inclusive=True, approximate=True))
    '≈ 124.000 tỷ đồng'
    """
    if row.get("target_type") in ("completion", "qualitative"):
        return row.get("target_text") or ""
    if row.get("target_type") != "numeric":
        return ""
    value = _interval_text(row)
    if not value:
        return ""
    if row.get("approximate"):
        value = f"≈ {value}"
    if row.get("unit"):
        value = f"{value} {row['unit']}"
    if row.get("measure") == "change":
        value = f"{CHANGE_WORD.get(row.get('direction'), CHANGE_WORD_UNKNOWN)} {value}"
        if row.get("reference_year") is not None:
            value = f"{value} so với năm {row['reference_year']}"
    return value


def _interval_text(row: dict) -> str:
    low, high = row.get("value_low"), row.get("value_high")
    # A bound without its flag reads as a plain number, which includes itself.
    low_inclusive = row.get("low_inclusive") is not False
    high_inclusive = row.get("high_inclusive") is not False
    if low is None and high is None:
        return ""
    if high is None:
        return f"{LOW_SYMBOL[low_inclusive]} {format_number_vi(low)}"
    if low is None:
        return f"{HIGH_SYMBOL[high_inclusive]} {format_number_vi(high)}"
    if low == high:
        return format_number_vi(low)
    decimals = max(_decimals(low), _decimals(high))
    low_text, high_text = format_number_vi(low, decimals), format_number_vi(high, decimals)
    if low_inclusive and high_inclusive:
        return f"{low_text} – {high_text}"
    # Half-open ranges are rare enough to spell out both sides.
    return f"{LOW_SYMBOL[low_inclusive]} {low_text} và {HIGH_SYMBOL[high_inclusive]} {high_text}"


_LOCATION_WORDS = {"table": "bảng", "row": "dòng", "line": "dòng", "paragraph": "đoạn"}
_LOCATION_WORD = re.compile(rf"\b({'|'.join(_LOCATION_WORDS)}) (?=\d)")


def location_vi(row: dict) -> str:
    """Where a person finds the row, in Vietnamese: page first for a PDF.

    >>> location_vi({"page": 2, "location": "line 57"}), location_vi({"location": "table 1, row 14"})
    ('tr. 2, dòng 57', 'bảng 1, dòng 14')
    """
    text = row.get("location") or ""
    text = _LOCATION_WORD.sub(lambda m: f"{_LOCATION_WORDS[m[1]]} ", text)
    parts = [f"tr. {row['page']}" if row.get("page") is not None else None, text]
    return ", ".join(p for p in parts if p)


# --- reading the outputs back -------------------------------------------------------------


def read_outputs(out_dir: Path) -> tuple[list[dict], list[dict]]:
    """Load targets and documents from an output directory as Python-typed row dicts (for
    tests and small batches; the report itself streams them with `documents_with_targets`)."""
    out_dir = Path(out_dir)
    targets = [row for _, rows in _target_groups(out_dir) for row in rows]
    return targets, read_documents(out_dir)


def read_documents(out_dir: Path) -> list[dict]:
    """Every document row (one per input file: small however large the batch)."""
    return list(_rows(Path(out_dir), "documents", DOCUMENT_FIELDS))


def read_left_out(out_dir: Path) -> dict[str, list[dict]]:
    """The left_out rows of every document, by source (SPEC §4.2)."""
    return _rows_by_source(Path(out_dir), "left_out", LEFT_OUT_FIELDS)


def read_actuals(out_dir: Path) -> dict[str, list[dict]]:
    """The actuals rows of every document, by source (SPEC §2.1)."""
    return _rows_by_source(Path(out_dir), "actuals", ACTUAL_FIELDS)


def _rows_by_source(out_dir: Path, table: str, fields: tuple[Field, ...]) -> dict[str, list[dict]]:
    """A table's rows grouped by source; none for outputs written before the table existed."""
    by_source: dict[str, list[dict]] = {}
    try:
        rows = _rows(out_dir, table, fields)
    except FileNotFoundError:
        return by_source
    for row in rows:
        by_source.setdefault(row["source"], []).append(row)
    return by_source


def documents_with_targets(out_dir: Path, documents: list[dict]) -> Iterator[tuple[dict, list[dict]]]:
    """Each document with its target rows, in source order, read from the outputs a batch of
    rows at a time: only one document's targets are held at once. A target whose document row
    is missing still comes, under a bare document."""
    known = {d["source"]: d for d in documents}
    pending = sorted(known)
    position = 0
    for source, rows in _target_groups(Path(out_dir)):
        while position < len(pending) and pending[position] < source:
            yield known[pending[position]], []
            position += 1
        if position < len(pending) and pending[position] == source:
            position += 1
        yield known.get(source, {"source": source}), rows
    for source in pending[position:]:
        yield known[source], []


def _target_groups(out_dir: Path) -> Iterator[tuple[str, list[dict]]]:
    """Target rows grouped by source, in file order (the writers keep source, seq order); a
    source seen twice (a hand-edited file) is sorted into one group."""
    rows = iter(_rows(out_dir, "targets", TARGET_FIELDS))
    group: list[dict] = []
    for row in rows:
        if group and row["source"] != group[0]["source"]:
            yield group[0]["source"], sorted(group, key=lambda r: r["seq"] or 0)
            group = []
        group.append(row)
    if group:
        yield group[0]["source"], sorted(group, key=lambda r: r["seq"] or 0)


def _rows(out_dir: Path, stem: str, fields: tuple[Field, ...]) -> Iterator[dict]:
    parquet, csv_path = out_dir / f"{stem}.parquet", out_dir / f"{stem}.csv"
    if parquet.exists():
        return _parquet_rows(parquet, fields)
    if csv_path.exists():
        return _csv_rows(csv_path, fields)
    raise FileNotFoundError(
        f"{out_dir} has neither {stem}.parquet nor {stem}.csv; run the extraction first"
    )


def _parquet_rows(path: Path, fields: tuple[Field, ...]) -> Iterator[dict]:
    import pyarrow.parquet  # imported here: only re-rendering from outputs needs it

    file = pyarrow.parquet.ParquetFile(path)
    columns = [f.name for f in fields if f.name in file.schema_arrow.names]
    for batch in file.iter_batches(batch_size=BATCH_ROWS, columns=columns):
        for record in batch.to_pylist():
            yield {f.name: _coerce(record.get(f.name), f.type) for f in fields}


def _coerce(value, field_type: str):
    """A Parquet cell as the schema's Python type (a writer may store nullable ints as floats)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return {"integer": int, "number": float, "boolean": bool, "string": str}[field_type](value)


def _csv_rows(path: Path, fields: tuple[Field, ...]) -> Iterator[dict]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        for record in reader:
            try:
                yield {f.name: _csv_cell(record.get(f.name) or "", f.type) for f in fields}
            except ValueError as error:
                raise ValueError(f"{path}, line {reader.line_num}: {error}") from None


def _csv_cell(text: str, field_type: str):
    # The writer put a ' before text a spreadsheet would run as a formula; take it off.
    if field_type == "string" and text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        text = text[1:]
    return parse_value(text, field_type)


class StaleFinder:
    """The corrections not in effect in written outputs, found while the targets stream past:
    only the rows of the documents that corrections name are kept."""

    def __init__(self, corrections: Iterable[Correction]):
        self.corrections = list(corrections)
        self._sources = {c.source for c in self.corrections}
        self._rows: list[dict] = []

    def see(self, rows: list[dict]) -> None:
        if rows and rows[0]["source"] in self._sources:
            self._rows += rows

    def stale(self, documents: list[dict]) -> list[dict]:
        return find_stale_in_outputs(self._rows, documents, self.corrections)
