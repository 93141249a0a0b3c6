"""The review report: ``report.html`` (the overview) and ``report_files/`` (each document's
rows, loaded by the page when it needs them). It opens from disk with no server or network.

    report.html                 counts, documents, filters, one empty section per document
    report_files/<hash>.js      one document's rows; the name is a hash of the content

The page opens fast at any batch size: it holds only a line or two per document, and the
browser loads a document's rows when its section comes into view (every document at once
for a small batch, under EAGER_ROWS targets). A file's name is the hash of its content, so
a re-render writes only the documents that changed, and a new report.html never points at
an old file: the files it no longer names are removed once it is in place (`prune`).

Rendering is a document at a time (`ReportWriter.add`), from a run or streamed from the
written outputs (`render_report_from_outputs`, Parquet first): memory does not grow with the
batch. The page honours a fragment such as ``report.html#status=review&doc=a.txt&q=GRDP``.
The same rows give the same bytes.

Hooks for more sections (the scorecard, issue 14): append HTML made by a template of
report_assets/ (a `Markup`, as `report_scorecard.scorecard_section` returns; a plain string is
shown as text) to `ReportWriter.overview_sections`, shown under the counts before the
documents; write per-indicator pages with `ReportWriter.add_file`, which returns their link.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from markupsafe import Markup

from ..pipeline import report_html as html
from ..pipeline.report_data import (StaleFinder, documents_with_targets, read_actuals, read_left_out, format_number_vi, format_reading,
                                  location_vi, read_documents, read_outputs)
from ..pipeline.writers import atomic_write
from .linking import BatchLinks
from .report_scorecard import scorecard_section

__all__ = ["REPORT_NAME", "FILES_DIR", "ReportWriter", "format_number_vi", "format_reading", "location_vi",
           "read_outputs", "render_report_from_outputs", "write_report"]

REPORT_NAME = "report.html"
FILES_DIR = "report_files"
# A batch with at most this many targets has every document loaded as soon as the page opens.
EAGER_ROWS = 5000
_SUMMARY_KEYS = ("source", "format", "layout", "year", "pages", "title", "status", "error", "numbers_seen", "numbers_read")


def raw_link(out_dir: Path, raw: Path | None) -> str:
    """The link from the output folder to raw/, relative so that both can move together.

    >>> raw_link(Path("/data/extracted"), Path("/data/raw")), raw_link(Path("/d/out"), Path("/d/out/in put"))
    ('../raw', 'in%20put')
    """
    if raw is None:
        return "../raw"
    relative = os.path.relpath(Path(raw).resolve(), Path(out_dir).resolve())
    return quote(Path(relative).as_posix(), safe="/.-_~")


class ReportWriter:
    """The report built a document at a time, in source order. Each document's rows go to their
    file as they come; the overview, which needs every document's counts, is written by
    `finish`; `prune` removes the files the new page no longer names, once it is in place."""

    def __init__(self, out_dir: Path, raw: Path | None = None, eager_rows: int = EAGER_ROWS):
        self.out_dir = Path(out_dir)
        self.folder = self.out_dir / FILES_DIR
        self.raw_href = raw_link(self.out_dir, raw)
        self.eager_rows = eager_rows
        self.overview_sections: list[Markup] = []  # more of the overview (the scorecard), in order
        self.written = 0  # files written by this render (the others were already there)
        self._docs = SummarySpill()  # the facts the overview shows, with the row counts
        self._statuses: Counter = Counter()
        self._names: set[str] = set()  # the files this page names

    def add(self, doc: dict, rows: Sequence[dict], left_out: Sequence[dict] = ()) -> None:
        self.add_part(*document_part(doc, rows, left_out))

    def add_part(self, summary: dict, script: bytes | None) -> None:
        """A document's part of the report as `document_part` made it (in this run or an earlier one)."""
        if script is not None:
            summary = summary | {"file": self.add_file(script, ".js")}
        self._docs.append(summary)
        self._statuses.update(summary["counts"])

    def add_file(self, data: bytes, suffix: str) -> str:
        """Put `data` in report_files/ under the hash of its content (written only if it is not
        there yet); return its link from report.html."""
        name = hashlib.sha256(data).hexdigest()[:20] + suffix
        path = self.folder / name
        if name not in self._names and not _holds(path, data):
            atomic_write(path, data)
            self.written += 1
        self._names.add(name)
        return f"{FILES_DIR}/{name}"

    def finish(self, page: TextIO, stale: Sequence[dict]) -> None:
        """Write the overview page to `page`."""
        docs = self._docs if self._docs.in_order else sorted(self._docs, key=lambda d: d["source"])
        html.write_page(page, docs, self._statuses, stale, self.overview_sections, self.raw_href, self.eager_rows)
        self._docs.close()

    def prune(self) -> None:
        """Remove from report_files/ what the page in place does not name (files of an earlier
        render, and temporary files of one that was killed)."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name not in self._names and path.is_file():
                path.unlink(missing_ok=True)


def document_part(doc: dict, rows: Sequence[dict], left_out: Sequence[dict] = ()) -> tuple[dict, bytes | None]:
    """A document's part of the report: its summary for the overview (plain JSON values) and
    its rows' file (None without rows)."""
    counts = Counter(row["status"] for row in rows)
    summary = {k: doc.get(k) for k in _SUMMARY_KEYS} | {"source": doc["source"], "counts": dict(counts),
                                                       "left_out": [dict(row) for row in left_out]}
    return summary, (html.document_script(doc["source"], rows) if rows else None)


class SummarySpill:
    """The documents' summaries in a temporary file, one JSON line each, read again each time
    they are iterated (the page goes over them three times): the overview of any batch is
    written without holding every document's summary."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self._count = 0
        self._last: str | None = None
        self.in_order = True  # by source, as a run and a re-render add them

    def append(self, summary: dict) -> None:
        if self._last is not None and summary["source"] < self._last:
            self.in_order = False
        self._last = summary["source"]
        self._file.seek(0, os.SEEK_END)
        self._file.write(json.dumps(summary, ensure_ascii=False).encode("utf-8") + b"\n")
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[dict]:
        self._file.seek(0)
        for line in self._file:
            summary = json.loads(line)
            summary["counts"] = Counter(summary["counts"])
            yield summary

    def close(self) -> None:
        self._file.close()


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def write_report(targets: Sequence[dict], documents: Sequence[dict], stale: Sequence[dict], path: Path,
                 raw: Path | None = None, eager_rows: int = EAGER_ROWS, sections: Sequence[Markup] = ()) -> ReportWriter:
    """Write the report of these rows to `path` (and its files beside it), with `sections`
    (the scorecard's) in its overview; rows are ordered by source and seq whatever the input
    order. For tests and small batches."""
    path = Path(path)
    by_source: dict[str, list[dict]] = {}
    for row in sorted(targets, key=lambda r: (r["source"], r["seq"])):
        by_source.setdefault(row["source"], []).append(row)
    known = {d["source"]: d for d in documents}
    report = ReportWriter(path.parent, raw, eager_rows)
    report.overview_sections.extend(sections)
    for source in sorted(set(known) | set(by_source)):
        report.add(known.get(source, {"source": source}), by_source.get(source, []))
    _write_page(report, path, stale)
    return report


def render_report_from_outputs(out_dir: Path, corrections_path: Path | None = None, raw: Path | None = None,
                               eager_rows: int = EAGER_ROWS) -> Path:
    """Re-render ``out_dir/report.html`` from the written outputs, a document at a time; return
    its path. Only the documents whose rows changed get their file written again.

    With ``corrections_path`` (raw/corrections.csv), corrections not in effect in the outputs
    are listed as stale; a missing corrections file means there are none. Holds the lock on
    the output folder meanwhile, as a run does.
    """
    from ..pipeline.corrections import load_corrections
    from ..pipeline.lock import OutLock

    out_dir = Path(out_dir)
    if raw is None and corrections_path is not None:
        raw = Path(corrections_path).parent
    corrections = (load_corrections(corrections_path)
                   if corrections_path is not None and Path(corrections_path).exists() else [])
    with OutLock(out_dir, raw or out_dir):
        documents = read_documents(out_dir)
        left_out = read_left_out(out_dir)
        stale = StaleFinder(corrections)
        actuals = read_actuals(out_dir)
        report = ReportWriter(out_dir, raw, eager_rows)
        links = BatchLinks()  # the scorecard again, linked as the run linked it
        for document, rows in documents_with_targets(out_dir, documents):
            stale.see(rows)
            links.link(document, [dict(r) for r in rows], actuals.get(document["source"], []))  # ids filled in copies
            report.add(document, rows, left_out.get(document["source"], ()))
        scorecard = links.scorecard_rows()
        report.overview_sections.append(scorecard_section(scorecard, links.series(scorecard), documents))
        path = out_dir / REPORT_NAME
        _write_page(report, path, stale.stale(documents))
        report.prune()
    return path


def _write_page(report: ReportWriter, path: Path, stale: Sequence[dict]) -> None:
    page = io.StringIO()
    report.finish(page, stale)
    atomic_write(path, page.getvalue().encode("utf-8"))
