"""The outputs of a run in OUT: filled a document at a time, renamed into place together, a
manifest of what they were made from (the lock that keeps a second run out is pipeline/lock.py)."""
from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .corrections import Correction, apply_corrections
from .datapackage import datapackage_bytes
from .extract import DocumentResult
from .report import FILES_DIR as REPORT_FILES
from .report import ReportWriter
from .linking import BatchLinks
from .report_scorecard import scorecard_section
from .schema import ACTUAL_FIELDS, DOCUMENT_FIELDS, INDICATOR_FIELDS, LEFT_OUT_FIELDS, SCORECARD_FIELDS, TARGET_FIELDS
from .writers import CsvWriter, ParquetWriter, StagedFiles, atomic_write, csv_bytes, parquet_bytes
from .xlsx import Workbook


OUTPUT_NAMES = ("targets.csv", "targets.parquet", "targets.xlsx", "documents.csv", "documents.parquet", "datapackage.json",
                "report.html", "actuals.csv", "actuals.parquet", "indicators.csv", "indicators.parquet",
                "scorecard.csv", "scorecard.parquet", "left_out.csv", "left_out.parquet")
# Folders of outputs (the report's per-document files), never read back as documents.
OUTPUT_FOLDERS = (REPORT_FILES,)


@dataclass
class Summary:
    documents: int = 0
    targets: int = 0
    review: int = 0
    unparsed: int = 0
    failed: int = 0
    skipped: int = 0
    from_cache: int = 0
    corrections_applied: int = 0
    stale: list[dict] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def line(self, out: Path) -> str:
        text = (f"{self.documents} documents, {self.targets} targets ({self.review} review, "
                f"{self.unparsed} unparsed), {self.failed} failed, {self.skipped} skipped")
        if self.corrections_applied or self.stale:
            text += f"; {self.corrections_applied} corrections applied, {len(self.stale)} stale"
        return f"{text} → {out}"

    @property
    def exit_status(self) -> int:
        return 1 if self.failed else 0


def remove_leftovers(out: Path, cache_folder: Path) -> None:
    """Temporary files of a run that was killed (kill -9, a power cut) before it could delete
    them, or of this run when Ctrl-C came between a file's creation and the code that deletes
    it. Only called while holding the lock: no other run is writing them."""
    for path in [*out.glob(".*.staged.tmp"), *cache_folder.glob(".*.tmp"), *cache_folder.glob("*/.*.tmp")]:
        path.unlink(missing_ok=True)
    for path in out.glob(f"{REPORT_FILES}/.*.tmp"):
        path.unlink(missing_ok=True)


# ---------------------------------------------------------------------------- the outputs


class RunOutputs:
    """The outputs of a run (OUTPUT_NAMES), filled a document at a time in source order.
    Targets go straight to their staged files; only the document rows, one per file, are
    held until the end."""

    def __init__(self, staged: StagedFiles, corrections: list[Correction], raw: Path | None = None):
        self.staged = staged
        self.targets_csv = self.targets_parquet = self.actuals_csv = self.actuals_parquet = self.workbook = None
        self.left_out_csv = self.left_out_parquet = None
        try:
            self.targets_csv = CsvWriter(staged.open("targets.csv"), TARGET_FIELDS)
            self.targets_parquet = ParquetWriter(staged.open("targets.parquet"), TARGET_FIELDS)
            self.workbook = Workbook(staged.open("targets.xlsx"))  # every table a sheet, in this order
            self.targets_sheet = self.workbook.sheet("targets", TARGET_FIELDS)
            self.sheets = {name: self.workbook.sheet(name, fields) for name, fields in (
                ("documents", DOCUMENT_FIELDS), ("actuals", ACTUAL_FIELDS), ("left_out", LEFT_OUT_FIELDS),
                ("indicators", INDICATOR_FIELDS), ("scorecard", SCORECARD_FIELDS))}
            self.report = ReportWriter(staged.folder, raw)
            # SPEC §2.1: actuals go to disk a document at a time; indicators and the scorecard
            # need the whole batch and are written by `finish` (pipeline/linking.py)
            self.actuals_csv = CsvWriter(staged.open("actuals.csv"), ACTUAL_FIELDS)
            self.actuals_parquet = ParquetWriter(staged.open("actuals.parquet"), ACTUAL_FIELDS)
            # SPEC §4.2: what each document's numbers gave no row for, and why
            self.left_out_csv = CsvWriter(staged.open("left_out.csv"), LEFT_OUT_FIELDS)
            self.left_out_parquet = ParquetWriter(staged.open("left_out.parquet"), LEFT_OUT_FIELDS)
        except BaseException as e:  # Ctrl-C or a full disk while opening: no `with` to close them
            self.__exit__(type(e), e, e.__traceback__)
            raise
        self.links = BatchLinks()
        self.documents: list[dict] = []
        self.corrections: dict[str, list[Correction]] = {}
        for correction in corrections:
            self.corrections.setdefault(correction.source, []).append(correction)
        self.applied = 0
        self.stale: list[dict] = []
        self.statuses: Counter = Counter()  # of the target rows written

    def add(self, result: DocumentResult) -> None:
        document, targets = result.document, result.targets
        corrections = self.corrections.pop(document["source"], None)
        if corrections:
            targets, applied, stale = apply_corrections(targets, [document], corrections)
            self.applied += len(applied)
            self.stale += stale
            document = _recount(document, targets) if targets else document
        self.links.link(document, targets, result.actuals)  # fills indicator_id
        self.actuals_csv.write(result.actuals)
        self.actuals_parquet.write(result.actuals)
        self.sheets["actuals"].write(result.actuals)
        self.left_out_csv.write(result.left_out)
        self.left_out_parquet.write(result.left_out)
        self.sheets["left_out"].write(result.left_out)
        self.statuses.update(t["status"] for t in targets)
        self.targets_csv.write(targets)
        self.targets_parquet.write(targets)
        self.targets_sheet.write(targets)
        self.report.add(document, targets, result.left_out)
        self.documents.append(document)

    def __enter__(self) -> RunOutputs:
        return self

    def __exit__(self, *exc) -> None:
        # finish the table writers into their staged files (deleted if not committed), so
        # that none is left open to write into a closed file when it is collected
        for writer in (self.targets_csv, self.targets_parquet, self.actuals_csv, self.actuals_parquet,
                       self.left_out_csv, self.left_out_parquet):
            try:
                if writer is not None:
                    writer.close()
            except OSError:
                if exc[0] is None:
                    raise
        if exc[0] is not None and self.workbook is not None:
            self.workbook.abandon()

    def errors(self) -> list[str]:
        """The sentence of every document that failed or was skipped, in order."""
        return [d["error"] for d in self.documents if d["status"] in ("failed", "skipped") and d["error"]]

    def finish(self, summary: Summary) -> None:
        """Write what needs the whole run (documents, the report's summary) and count it."""
        for corrections in self.corrections.values():  # corrections of files not in raw/
            self.stale += apply_corrections([], [], corrections)[2]
        self.stale.sort(key=lambda s: s["line"])
        self.targets_csv.close()
        self.targets_parquet.close()
        self.actuals_csv.close()
        self.actuals_parquet.close()
        self.left_out_csv.close()
        self.left_out_parquet.close()
        indicators, scorecard = self.links.indicator_rows(), self.links.scorecard_rows()
        for name, rows, fields in (("indicators", indicators, INDICATOR_FIELDS), ("scorecard", scorecard, SCORECARD_FIELDS)):
            self.staged.write(f"{name}.csv", csv_bytes(rows, fields))
            self.staged.write(f"{name}.parquet", parquet_bytes(rows, fields))
        self.report.overview_sections.append(
            scorecard_section(scorecard, self.links.series(scorecard), self.documents))
        self.staged.write("documents.csv", csv_bytes(self.documents, DOCUMENT_FIELDS))
        self.staged.write("documents.parquet", parquet_bytes(self.documents, DOCUMENT_FIELDS))
        self.staged.write("datapackage.json", datapackage_bytes())
        for name, rows in (("documents", self.documents), ("indicators", indicators), ("scorecard", scorecard)):
            self.sheets[name].write(rows)
        self.workbook.close()
        page = io.TextIOWrapper(self.staged.open("report.html"), encoding="utf-8", newline="")
        self.report.finish(page, self.stale)
        page.flush()
        page.detach()  # the staged file stays open for its commit
        summary.documents = len(self.documents)
        summary.targets = self.statuses.total()
        summary.review, summary.unparsed = self.statuses["review"], self.statuses["unparsed"]
        summary.failed = sum(d["status"] == "failed" for d in self.documents)
        summary.skipped = sum(d["status"] == "skipped" for d in self.documents)
        summary.failures = [d["error"] for d in self.documents if d["status"] == "failed"]
        summary.corrections_applied, summary.stale = self.applied, self.stale


def _recount(document: dict, targets: list[dict]) -> dict:
    """The document's review/unparsed counts after corrections may have changed a status."""
    statuses = [t["status"] for t in targets]
    return document | {"targets": len(statuses), "review": statuses.count("review"),
                       "unparsed": statuses.count("unparsed")}


# ---------------------------------------------------------------------------- re-runs


class OutputManifest:
    """Remembers which inputs the outputs on disk were written from, and the SHA-256 of each
    output then, so that an unchanged re-run can leave them be: an output changed or removed
    since (by hand, or by anything else) is written again."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}
        if not isinstance(self.data, dict):
            self.data = {}

    def outputs_stand(self, key: str | None) -> bool:
        if key is None or self.data.get("key") != key or not isinstance(self.data.get("outputs"), dict):
            return False
        try:
            self.summary()
            return all(self.data["outputs"].get(name) == _sha256(self.path.parents[1] / name)
                       for name in OUTPUT_NAMES)
        except (OSError, TypeError, ValueError):
            return False

    def summary(self) -> Summary:
        return Summary(**self.data["summary"])

    def save(self, key: str | None, written: dict[str, Path], summary: Summary) -> None:
        if key is None:
            self.path.unlink(missing_ok=True)
            return
        outputs = {name: _sha256(path) for name, path in written.items()}
        data = {"key": key, "outputs": outputs, "summary": asdict(summary)}
        try:
            atomic_write(self.path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"),
                         durable=False)
        except OSError:  # the outputs are in place; the next run only writes them again
            self.path.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
