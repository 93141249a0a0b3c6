"""One document → its `documents` record and its `targets` records (typed Python values).

This is the stage chain for a single file: read the bytes, read the format, read the layout,
turn rows into records. A file that cannot be read becomes a failed document record with a
sentence saying what to do; it never stops the batch.
"""
from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..normalizers.targets import Target
from ..parsers.formats import READERS, read_document
from ..parsers.layouts.document import read_layout
from ..parsers.model import ActualRow, TargetRow, UnreadableDocument
from .inputs import NotInside, display_source, open_inside, opened_path

log = logging.getLogger(__name__)


REPORT_TAIL = "please report this file to the maintainers"  # a failure no reader expected


@dataclass
class DocumentResult:
    document: dict
    targets: list[dict] = field(default_factory=list)
    actuals: list[dict] = field(default_factory=list)  # SPEC §2.1; indicator_id is filled by the run
    left_out: list[dict] = field(default_factory=list)  # SPEC §4.2: numbers that gave no row, and why
    # seconds the document took in each stage (read: the format reader, or ocr when the text was
    # read from page images; layout: the layout and the records); not cached, only summed for a
    # run's account of where its time went
    seconds: dict[str, float] = field(default_factory=dict, compare=False)


def relative_source(path: Path, raw_dir: Path) -> str:
    return display_source(path.relative_to(raw_dir).as_posix())


def target_columns(t: Target) -> dict:
    """The columns of one Target, the same in targets and actuals: the one codec of the value."""
    numeric = t.kind == "numeric" and t.status != "unparsed"
    return {
        "unit": t.unit,
        "unit_raw": t.unit_raw,
        "target_type": t.kind,
        "value_low": t.low.value if numeric and t.low else None,
        "value_high": t.high.value if numeric and t.high else None,
        "low_inclusive": t.low.inclusive if numeric and t.low else None,
        "high_inclusive": t.high.inclusive if numeric and t.high else None,
        "comparator": t.comparator if numeric else None,
        "approximate": t.approximate,
        "measure": t.measure if numeric else None,
        "direction": t.direction,
    }


def row_to_record(row: TargetRow, doc_id: str, source: str, year: int | None, period: str | None = None) -> dict:
    """A TargetRow as the `targets` columns (SPEC §2), typed."""
    t = row.target
    return {
        "doc_id": doc_id,
        "source": source,
        "year": row.year if period or year is None else year,  # a horizon's year where no plan year rules
        "period": period,
        "seq": row.seq,
        "section": row.section,
        "section_title": row.section_title,
        "number": row.number,
        "parent_seq": row.parent_seq,
        "name": row.name,
        **target_columns(t),
        "reference_year": t.reference_year,
        "target_text": t.text or None,
        "agency": row.agency,
        "page": row.page,
        "location": row.location,
        "status": row.status,
        "notes": ";".join(row.all_notes) or None,
        "indicator_id": None,  # linked over the whole batch (pipeline/indicators.py)
    }


def actual_to_record(row: ActualRow, seq: int, doc_id: str, source: str) -> dict:
    """An ActualRow as the `actuals` columns (SPEC §2.1), typed."""
    t = row.value
    return {
        "doc_id": doc_id,
        "source": source,
        "page": row.page,
        "location": row.location,
        "seq": seq,
        "target_seq": row.target_seq,
        "indicator_id": None,
        "name": row.name,
        "year": row.year,
        "kind": row.kind,
        **target_columns(t),
        "value_text": row.text or t.text or None,
        "stated_verdict": row.stated_verdict,
        "status": row.status,
        "notes": ";".join(row.all_notes) or None,
    }


def document_record(source: str, doc_id: str, sha: str, fmt: str, **values) -> dict:
    record = {
        "doc_id": doc_id, "source": source, "sha256": sha, "format": fmt, "layout": None,
        "year": None, "title": None, "date": None, "issuer": None, "jurisdiction": None, "doc_number": None,
        "kind": None, "period": None, "text_layer": None, "pages": None,
        "targets": 0, "review": 0, "unparsed": 0, "numbers_seen": None, "numbers_read": None,
        "status": "ok", "error": None,
    }
    record.update(values)
    return record


def extract_document(path: Path, raw_dir: Path) -> DocumentResult:
    """Read one file into records; never raises for a bad file (MemoryError passes: the
    caller knows the budget it broke)."""
    source = relative_source(path, raw_dir)
    fmt = path.suffix.lower().lstrip(".") or "none"
    try:
        fd = open_inside(path, raw_dir)
    except OSError as e:
        return DocumentResult(document_record(source, None, None, fmt, status="failed",
                                              error=f"{source}: {_unopenable(e)}"))
    with os.fdopen(fd, "rb") as f:
        sha = hashlib.file_digest(f, "sha256").hexdigest()  # in blocks: memory stays flat
        doc_id = sha[:12]
        if path.suffix.lower() not in READERS:
            return DocumentResult(document_record(
                source, doc_id, sha, fmt, status="skipped",
                error=f"{source}: .{fmt} files are not read yet (supported: .txt, .md, .docx, .pdf, .xlsx, .html, .doc, .odt, .rtf); convert it to one of these to include it",
            ))
        started = time.perf_counter()
        try:
            raw = read_document(opened_path(fd, path), path.suffix)
            read = time.perf_counter()
            layout = read_layout(raw)
        except UnreadableDocument as e:
            return DocumentResult(document_record(source, doc_id, sha, fmt, status="failed", error=f"{source}: {e}"))
        except MemoryError:
            raise
        except Exception as e:  # a bug of ours must not stop the batch either; the log keeps the trace
            log.debug("unexpected error reading %s", source, exc_info=True)
            return DocumentResult(document_record(
                source, doc_id, sha, fmt, status="failed",
                error=f"{source}: chitieu could not read it ({type(e).__name__}: {e}); {REPORT_TAIL}",
            ))
    meta = layout.metadata
    accounts = layout.accounts
    described = dict(
        layout=layout.layout, year=layout.year, title=meta.title, date=meta.date, issuer=meta.issuer,
        jurisdiction=meta.jurisdiction, doc_number=meta.doc_number, kind=meta.kind, period=meta.period,
        text_layer=raw.text_layer, pages=raw.pages,
        numbers_seen=accounts.seen if accounts else None, numbers_read=accounts.read if accounts else None,
    )
    left_out = [left_out_record(k, doc_id, source) for k in accounts.left_out] if accounts else []
    if not layout.rows and not layout.actuals:  # a report with no targets of its own still reports values
        return DocumentResult(document_record(
            source, doc_id, sha, fmt, **described, status="failed",
            error=f"{source}: no target table (STT / Chỉ tiêu / ĐVT / Chỉ tiêu năm …) and no target list "
                  f"('các chỉ tiêu chủ yếu …') was found; check that this is a planning document",
        ), left_out=left_out)
    targets = [row_to_record(r, doc_id, source, layout.year, meta.period) for r in layout.rows]
    document = document_record(
        source, doc_id, sha, fmt, **described, targets=len(targets),
        review=sum(t["status"] == "review" for t in targets),
        unparsed=sum(t["status"] == "unparsed" for t in targets),
    )
    actuals = [actual_to_record(a, k, doc_id, source) for k, a in enumerate(layout.actuals, 1)]
    seconds = {"ocr" if raw.text_layer == "ocr" else "read": read - started, "layout": time.perf_counter() - read}
    return DocumentResult(document, targets, actuals, left_out, seconds)


def _unopenable(error: OSError) -> str:
    """Why a listed file could not be opened when its turn came, as a sentence."""
    if isinstance(error, FileNotFoundError):
        return "the file is no longer there (moved or deleted since the run began); run again to read what is there now"
    if isinstance(error, NotInside):
        return f"the file changed since the run began: {error.strerror}; put the document itself in the folder"
    return (f"the file cannot be opened ({error.strerror or error}); "
            f"check that it is still there and that you may read it")


def left_out_record(left, doc_id: str, source: str) -> dict:
    """A paragraph or table row with a number that gave no row, as the `left_out` columns."""
    return {"doc_id": doc_id, "source": source, "page": left.page, "location": left.location,
            "reason": left.reason, "text": left.text}
