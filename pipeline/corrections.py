"""Hand corrections to extracted targets: ``raw/corrections.csv``.

One row per fix, columns ``source, seq, name, field, value, note``::

    source,seq,name,field,value,note
    000_955eea8916a792bc.txt,4,Tổng vốn đầu tư phát triển toàn xã hội,approximate,false,"no 'khoảng' in the source"

A correction names the row it fixes twice: by position (``source`` + ``seq``) and by content
(``name``, as in targets.csv). Positions shift when a document or the extractor changes, so a
correction only applies while the row at its position still carries its name; otherwise it
is *stale*: kept out of the data and listed in the report for a person to look at.

Values are written as in targets.csv: ``.`` decimal mark, no thousands separators,
``true``/``false``, an empty value for null.
"""
from __future__ import annotations

import csv
import difflib
import io
import math
import os
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Sequence

from ..normalizers.targets import Bound, comparator_for
from ..normalizers.text import clean_text
from ..pipeline.schema import TARGET_FIELDS
from .inputs import NotInside, open_regular

COLUMNS = ("source", "seq", "name", "field", "value", "note")

FIELD_TYPES = {f.name: f.type for f in TARGET_FIELDS}

# Why some columns cannot be corrected, in the words of the error message.
NOT_CORRECTABLE = {
    "doc_id": "it identifies the document",
    "source": "it identifies the row; put the row's source in the source column",
    "seq": "it identifies the row; put the row's seq in the seq column",
    "comparator": "it is derived from the bounds; correct value_low, value_high, "
    "low_inclusive or high_inclusive instead",
}

# Columns whose values come from a closed vocabulary (SPEC §2); None means the column may be null.
ALLOWED_VALUES = {
    "target_type": ("numeric", "completion", "qualitative", "none"),
    "measure": ("level", "change", None),
    "direction": ("increase", "decrease", "maintain", None),
    "status": ("ok", "review", "unparsed"),
}

# Each bound and the flag saying whether it is included.
BOUNDS = (("value_low", "low_inclusive"), ("value_high", "high_inclusive"))

_INTEGER = re.compile(r"-?[0-9]+")  # ASCII digits: int()/float() cannot read every Unicode digit
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


# The longest value a correction may carry: a name or a target text is a line, not a page.
MAX_VALUE_CHARS = 2000
# Text a spreadsheet would run as a formula (the CSV writer neutralizes it in the outputs; a
# correction is typed by a person, who never means one).
FORMULA_STARTS = ("=", "+", "@")


class CorrectionsError(ValueError):
    """The corrections file cannot be used; the message names the file and the line."""


@dataclass(frozen=True)
class Correction:
    line: int  # line of the corrections file the row starts on
    source: str
    seq: int
    name: str
    field: str
    value: str | int | float | bool | None  # typed as the field's column; None = null
    note: str


def normalize_text(text: str) -> str:
    """NFC with runs of whitespace collapsed to one space, as the extractor writes names.

    >>> normalize_text("  Tỷ lệ\\n hộ  nghèo ")
    'Tỷ lệ hộ nghèo'
    """
    return clean_text(text)  # the extractor's own cleanup, so names compare as it wrote them


def parse_value(text: str, field_type: str) -> str | int | float | bool | None:
    """Read a value written as in targets.csv into the Python type of a schema column.

    >>> parse_value("6.5", "number"), parse_value("2023", "integer"), parse_value("true", "boolean")
    (6.5, 2023, True)
    >>> parse_value("", "number") is None
    True
    >>> parse_value("6,5", "number")
    Traceback (most recent call last):
    ...
    ValueError: '6,5' is not a number; write it as in targets.csv, with '.' as the decimal mark and no thousands separators (6.5, 124000)
    """
    text = text.strip()
    if not text:
        return None
    if field_type == "string":
        return normalize_text(text)
    if field_type == "integer":
        if not _INTEGER.fullmatch(text):
            raise ValueError(f"{text!r} is not a whole number")
        if len(text.lstrip("+-")) > 15:  # Parquet's int64 and a JSON reader's float both hold it
            raise ValueError(f"{text[:20]!r}… is too large for a year, a page or a count")
        return int(text)
    if field_type == "number":
        if not _NUMBER.fullmatch(text):
            raise ValueError(
                f"{text!r} is not a number; write it as in targets.csv, with '.' as the decimal "
                "mark and no thousands separators (6.5, 124000)"
            )
        return float(text)
    if field_type == "boolean":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"{text!r} is not a boolean; write true or false")
        return text.lower() == "true"
    raise ValueError(f"unknown column type {field_type!r}")


def format_value(value: str | int | float | bool | None) -> str:
    """Write a value the way parse_value reads it (for showing a correction back to a person).

    >>> [format_value(v) for v in (124000.0, 6.5, 2023, False, None, "xã")]
    ['124000', '6.5', '2023', 'false', '', 'xã']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value):
        text = format(Decimal(repr(value)), "f")
        return text.removesuffix(".0")
    return str(value)


def derive_comparator(
    low: float | None, high: float | None, low_inclusive: bool | None, high_inclusive: bool | None
) -> str | None:
    """The comparator a target's bounds amount to (SPEC §3); None when it has no bounds.

    >>> derive_comparator(6.5, 7.0, True, True), derive_comparator(148.0, 148.0, True, True)
    ('between', '=')
    >>> derive_comparator(90.0, None, False, None), derive_comparator(4.0, None, True, None)
    ('>', '>=')
    >>> derive_comparator(None, 2.0, None, False), derive_comparator(None, 9.2, None, True)
    ('<', '<=')
    """
    return comparator_for(
        Bound(low, bool(low_inclusive)) if low is not None else None,
        Bound(high, bool(high_inclusive)) if high is not None else None,
    )


# --- reading the file ---------------------------------------------------------------------


def load_corrections(path: Path) -> list[Correction]:
    """Read and check a corrections file; raise CorrectionsError naming the file and line.

    A missing file raises FileNotFoundError: callers treat a missing raw/corrections.csv as
    "no corrections".
    """
    path = Path(path)
    text = _decode(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _read_rows(path, reader)
    except csv.Error as error:  # a field past the csv module's limit, a NUL byte
        raise CorrectionsError(f"{path}, line {reader.line_num}: {error}; check that this is the corrections file") from None


def _read_rows(path: Path, reader) -> list[Correction]:
    header = next(reader, None)
    columns = [c.strip().lower() for c in header or ()]
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        raise CorrectionsError(
            f"{path}, line 1: missing column(s) {', '.join(missing)}; "
            f"the header must name {', '.join(COLUMNS)}"
        )
    corrections: list[Correction] = []
    first_line: dict[tuple[str, int, str], int] = {}
    line = reader.line_num + 1  # a quoted cell may span lines: a row starts after the last one
    for cells in reader:
        if any(cell.strip() for cell in cells):
            record = dict(zip(columns, cells))
            try:
                correction = _correction(line, {c: record.get(c, "") for c in COLUMNS})
            except ValueError as error:
                raise CorrectionsError(f"{path}, line {line}: {error}") from None
            key = (correction.source, correction.seq, correction.field)
            if key in first_line:
                raise CorrectionsError(
                    f"{path}, line {line}: {correction.field} of {correction.source} seq "
                    f"{correction.seq} is already corrected on line {first_line[key]}; keep one"
                )
            first_line[key] = line
            corrections.append(correction)
        line = reader.line_num + 1
    return corrections


MAX_CORRECTIONS_BYTES = 16 * 1024 * 1024  # a corrections file of 100,000 lines is a quarter of this


def read_corrections_bytes(path: Path) -> bytes:
    """The corrections file's bytes, if it is a regular file (a named pipe in its place must
    not hang the run; a link is not followed out of raw/) no larger than a corrections file is.
    FileNotFoundError when there is none."""
    try:
        fd = open_regular(path, follow_links=False)
    except NotInside:
        raise CorrectionsError(f"{path} is not a regular file (a named pipe, a device or a folder); "
                               f"put the corrections file itself in the input folder") from None
    except OSError as error:
        if isinstance(error, FileNotFoundError):
            raise
        if Path(path).is_symlink():
            raise CorrectionsError(f"{path} is a link; links are not followed for the corrections file: "
                                   f"put the file itself in the input folder") from None
        raise CorrectionsError(f"{path} cannot be opened ({error.strerror or error}); check that you may read it") from None
    with os.fdopen(fd, "rb") as f:
        data = f.read(MAX_CORRECTIONS_BYTES + 1)
    if len(data) > MAX_CORRECTIONS_BYTES:
        raise CorrectionsError(f"{path} is larger than {MAX_CORRECTIONS_BYTES // (1024 * 1024)} MB, more than a "
                               f"corrections file holds; check that this is the corrections file")
    return data


def _decode(path: Path) -> str:
    data = read_corrections_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CorrectionsError(
            f"{path}, line {line}: the file is not UTF-8; save it as 'CSV UTF-8'"
        ) from None


def _correction(line: int, record: dict[str, str]) -> Correction:
    source = record["source"].strip()
    if not source:
        raise ValueError("source is empty; give the input file's path relative to raw/")
    seq_text = record["seq"].strip()
    if not seq_text.isdigit() or int(seq_text) < 1:
        raise ValueError(f"seq {seq_text!r} is not a target number (1, 2, 3 …)")
    name = normalize_text(record["name"])
    if not name:
        raise ValueError(
            "name is empty; copy the row's name from targets.csv so that the correction "
            "is held back if the row changes"
        )
    field = record["field"].strip()
    for column, text in record.items():
        if len(text) > MAX_VALUE_CHARS:
            raise ValueError(f"{column} is {len(text):,} characters long, more than the {MAX_VALUE_CHARS:,} "
                             f"a correction holds")
    value = _field_value(field, record["value"])
    return Correction(line, source, int(seq_text), name, field, value, record["note"].strip())


def _field_value(field: str, text: str) -> str | int | float | bool | None:
    if field in NOT_CORRECTABLE:
        raise ValueError(f"field {field} cannot be corrected: {NOT_CORRECTABLE[field]}")
    if field not in FIELD_TYPES:
        raise ValueError(f"unknown field {field!r}{_did_you_mean(field)}")
    field_type = FIELD_TYPES[field]
    try:
        value = parse_value(text, field_type)
    except ValueError as error:
        raise ValueError(f"value for {field} ({field_type}): {error}") from None
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        raise ValueError(f"value {value[:40]!r} for {field} begins with {value[0]!r}, which a spreadsheet "
                         f"runs as a formula; write the text without it")
    allowed = ALLOWED_VALUES.get(field)
    if allowed is not None and value not in allowed:
        choices = ", ".join(a if a is not None else "empty" for a in allowed)
        raise ValueError(f"value {text.strip()!r} for {field} is not one of: {choices}")
    return value


def _did_you_mean(field: str) -> str:
    correctable = [name for name in FIELD_TYPES if name not in NOT_CORRECTABLE]
    close = difflib.get_close_matches(field.lower(), correctable, n=1)
    if close:
        return f"; did you mean {close[0]}?"
    return f"; a correction sets one of: {', '.join(correctable)}"


# --- applying -----------------------------------------------------------------------------


def apply_corrections(
    targets: Sequence[dict], documents: Sequence[dict], corrections: Iterable[Correction]
) -> tuple[list[dict], list[Correction], list[dict]]:
    """Apply each correction whose row still carries its name; return (targets, applied, stale).

    The targets come back as new dicts in the same order; the inputs are not changed. A
    corrected row gets ``corrected:<field>`` in its notes. Its comparator is re-derived from
    the bounds, a bound set to null loses its inclusive flag, and a bound set where the flag
    was null becomes inclusive (a number as written includes itself). Each stale correction
    comes back as its fields plus ``reason``, one sentence saying why it was held back.
    """
    rows = [dict(row) for row in targets]
    by_position = {(row["source"], row["seq"]): row for row in rows}
    # Corrections are matched against the rows as extracted, so that one correcting a name
    # does not make the next ones for that row stale.
    extracted = {(row["source"], row["seq"]): row for row in targets}
    applied: list[Correction] = []
    stale: list[dict] = []
    corrections = list(corrections)
    # the bounds each row gets from all its corrections together (low and high may both move)
    bound_fixes: dict[tuple[str, int], dict] = {}
    for c in corrections:
        if c.field in ("value_low", "value_high"):
            bound_fixes.setdefault((c.source, c.seq), {})[c.field] = c.value
    for correction in corrections:
        position = (correction.source, correction.seq)
        reason = _stale_reason(correction, extracted.get(position), targets, documents)
        if reason:
            stale.append(asdict(correction) | {"reason": reason})
            continue
        row = by_position[position]
        if _crosses_bounds(row, bound_fixes.get(position, {})):
            stale.append(asdict(correction) | {"reason": (
                f"Setting {correction.field} of target {correction.seq} of {correction.source} to "
                f"{format_value(correction.value)} would put value_low above value_high; correct both bounds, "
                "or check the value.")})
            continue
        row[correction.field] = correction.value
        row["notes"] = _add_note(row["notes"], f"corrected:{correction.field}")
        _settle_bounds(row)
        applied.append(correction)
    return rows, applied, stale


def find_stale_in_outputs(
    targets: Sequence[dict], documents: Sequence[dict], corrections: Iterable[Correction]
) -> list[dict]:
    """The corrections not in effect in already-written outputs, for re-rendering the report.

    A correction is in effect when its row carries ``corrected:<field>`` and the corrected
    value; it can no longer be matched by name, which it may itself have changed.
    """
    by_position = {(row["source"], row["seq"]): row for row in targets}
    stale = []
    for correction in corrections:
        row = by_position.get((correction.source, correction.seq))
        if row is not None and _in_effect(correction, row):
            continue
        reason = _stale_reason(correction, row, targets, documents) or (
            "the outputs were written before this correction; run the extraction again"
        )
        stale.append(asdict(correction) | {"reason": reason})
    return stale


def _in_effect(correction: Correction, row: dict) -> bool:
    codes = _note_codes(row.get("notes"))
    return f"corrected:{correction.field}" in codes and row[correction.field] == correction.value


def _stale_reason(
    correction: Correction, row: dict | None, targets: Sequence[dict], documents: Sequence[dict]
) -> str | None:
    """Why the correction cannot be applied to ``row`` (its position's row), or None."""
    source, seq = correction.source, correction.seq
    if row is not None:
        if normalize_text(row["name"] or "") == normalize_text(correction.name):
            return None
        return (
            f"Target {seq} of {source} is now named '{row['name']}', not '{correction.name}': "
            "the document or the extraction changed; check the row and update or delete "
            "the correction."
        )
    seqs = [t["seq"] for t in targets if t["source"] == source]
    if seqs:
        return f"{source} has no target {seq} (its targets are {min(seqs)}–{max(seqs)})."
    document = next((d for d in documents if d["source"] == source), None)
    if document is None:
        return (
            f"There is no input {source}: it was renamed or removed; fix the source "
            "or delete the correction."
        )
    return f"{source} has no targets in this run (status {document['status']})."


def _crosses_bounds(row: dict, fixes: dict) -> bool:
    """Whether the row's bound corrections (`fixes`) would leave it with value_low > value_high."""
    if not fixes:
        return False
    bounds = {"value_low": row["value_low"], "value_high": row["value_high"]} | fixes
    low, high = bounds["value_low"], bounds["value_high"]
    return low is not None and high is not None and low > high


def _settle_bounds(row: dict) -> None:
    """Restore what SPEC §2 says about bounds after some of them were corrected."""
    for bound, inclusive in BOUNDS:
        if row[bound] is None:
            row[inclusive] = None
        elif row[inclusive] is None:
            row[inclusive] = True
    numeric = row["target_type"] == "numeric"
    row["comparator"] = (
        derive_comparator(
            row["value_low"], row["value_high"], row["low_inclusive"], row["high_inclusive"]
        )
        if numeric
        else None
    )


def _note_codes(notes: str | None) -> list[str]:
    return [code.strip() for code in (notes or "").split(";") if code.strip()]


def _add_note(notes: str | None, code: str) -> str:
    """
    >>> _add_note(None, "corrected:unit"), _add_note("agency:inherited", "corrected:unit")
    ('corrected:unit', 'agency:inherited;corrected:unit')
    """
    codes = _note_codes(notes)
    if code not in codes:
        codes.append(code)
    return ";".join(codes)
