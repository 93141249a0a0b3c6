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
from .fragments import FOLDER as FRAGMENTS
from .fragments import Fragment
from .link_spill import link_lines
from .linking import BatchLinks, link_records
from .report import FILES_DIR as REPORT_FILES
from .report import ReportWriter, document_part
from .report_scorecard import scorecard_section
from .schema import ACTUAL_FIELDS, DOCUMENT_FIELDS, INDICATOR_FIELDS, LEFT_OUT_FIELDS, SCORECARD_FIELDS, TARGET_FIELDS
from .writers import CsvWriter, ParquetWriter, StagedFiles, atomic_write, csv_bytes, parquet_bytes
from .xlsx import Workbook


OUTPUT_NAMES = ("targets.csv", "targets.parquet", "targets.xlsx", "documents.csv", "documents.parquet", "datapackage.json",
                "report.html", "actuals.csv", "actuals.parquet", "indicators.csv", "indicators.parquet",
                "scorecard.csv", "scorecard.parquet", "left_out.csv", "left_out.parquet")
# Folders of outputs (the report's per-document files), never read back as documents.
OUTPUT_FOLDERS = (REPORT_FILES,)
# The tables of one row per document or per row of one: filled a document at a time.
ROW_TABLES = {"targets": TARGET_FIELDS, "actuals": ACTUAL_FIELDS, "left_out": LEFT_OUT_FIELDS,
              "documents": DOCUMENT_FIELDS}


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
    for path in [*out.glob(".*.staged.tmp"), *cache_folder.glob(".*.tmp"), *cache_folder.glob("*/.*.tmp"),
                 *cache_folder.glob(f"{FRAGMENTS}/*/.*.tmp")]:
        path.unlink(missing_ok=True)
    for path in out.glob(f"{REPORT_FILES}/.*.tmp"):
        path.unlink(missing_ok=True)


# ---------------------------------------------------------------------------- the outputs


class RunOutputs:
    """The outputs of a run (OUTPUT_NAMES), filled a document at a time in source order: each
    document's share of every table is encoded once (`encode`, a Fragment that the next run may
    reuse) and appended to the staged files (`add`). Nothing per target is held; what needs the
    whole batch (indicators, the scorecard, the report's overview) is made by `finish`."""

    def __init__(self, staged: StagedFiles, corrections: list[Correction], raw: Path | None = None,
                 links: BatchLinks | None = None):
        self.staged = staged
        self.csv: dict[str, CsvWriter] = {}
        self.parquet: dict[str, ParquetWriter] = {}
        self.workbook = None
        try:
            for name, fields in ROW_TABLES.items():
                self.csv[name] = CsvWriter(staged.open(f"{name}.csv"), fields)
                self.parquet[name] = ParquetWriter(staged.open(f"{name}.parquet"), fields)
            self.workbook = Workbook(staged.open("targets.xlsx"))  # every table a sheet, in this order
            self.sheets = {name: self.workbook.sheet(name, fields) for name, fields in (
                ("targets", TARGET_FIELDS), ("documents", DOCUMENT_FIELDS), ("actuals", ACTUAL_FIELDS),
                ("left_out", LEFT_OUT_FIELDS), ("indicators", INDICATOR_FIELDS), ("scorecard", SCORECARD_FIELDS))}
            self.report = ReportWriter(staged.folder, raw)
        except BaseException as e:  # Ctrl-C or a full disk while opening: no `with` to close them
            self.__exit__(type(e), e, e.__traceback__)
            raise
        self.links = links or BatchLinks()
        self.corrections: dict[str, list[Correction]] = {}
        for correction in corrections:
            self.corrections.setdefault(correction.source, []).append(correction)
        self.applied = 0
        self.stale: list[dict] = []
        self.statuses: Counter = Counter()  # of the target rows written
        self.documents: Counter = Counter()  # of the documents' statuses
        self.failures: list[str] = []  # the sentence of each document that failed or was skipped, in order
        self.failed: list[str | None] = []  # the sentence of each document that failed

    def corrections_for(self, source: str) -> list[Correction]:
        return self.corrections.get(source, [])

    def encode(self, result: DocumentResult) -> Fragment:
        """The document's share of every output (its corrections applied, its rows linked)."""
        document, targets = result.document, result.targets
        corrections = self.corrections.get(document["source"])
        applied, stale = [], []
        if corrections:
            targets, applied, stale = apply_corrections(targets, [document], corrections)
            document = _recount(document, targets) if targets else document
        links = link_lines(link_records(document, targets, result.actuals))  # fills indicator_id
        tables = {"targets": targets, "actuals": result.actuals, "left_out": result.left_out, "documents": [document]}
        summary, script = document_part(document, targets, result.left_out)
        return Fragment(
            document=document, statuses=dict(Counter(t["status"] for t in targets)),
            csv={name: self.csv[name].encode(rows) for name, rows in tables.items()},
            parquet={name: self.parquet[name].encode(rows) for name, rows in tables.items()},
            sheets={name: self.sheets[name].encode(rows) for name, rows in tables.items()},
            report=summary, script=script, jurisdiction=document.get("jurisdiction"), links=links,
            applied=len(applied), stale=stale)

    def add(self, fragment: Fragment) -> None:
        document = fragment.document
        self.corrections.pop(document["source"], None)
        self.applied += fragment.applied
        self.stale += fragment.stale
        self.links.add_lines(fragment.jurisdiction, fragment.links)
        for name in ROW_TABLES:
            self.csv[name].write_encoded(fragment.csv[name])
            self.parquet[name].write_encoded(fragment.parquet[name])
            self.sheets[name].write_encoded(*fragment.sheets[name])
        self.statuses.update(fragment.statuses)
        self.report.add_part(fragment.report, fragment.script)
        self.documents[document["status"]] += 1
        if document["status"] in ("failed", "skipped") and document["error"]:
            self.failures.append(document["error"])
        if document["status"] == "failed":
            self.failed.append(document["error"])

    def __enter__(self) -> RunOutputs:
        return self

    def __exit__(self, *exc) -> None:
        # finish the table writers into their staged files (deleted if not committed), so
        # that none is left open to write into a closed file when it is collected
        for writer in [*self.csv.values(), *self.parquet.values()]:
            try:
                writer.close()
            except OSError:
                if exc[0] is None:
                    raise
        if exc[0] is not None and self.workbook is not None:
            self.workbook.abandon()

    def errors(self) -> list[str]:
        """The sentence of every document that failed or was skipped, in order."""
        return self.failures

    def finish(self, summary: Summary) -> None:
        """Write what needs the whole run (indicators, the scorecard, the report's overview) and count it."""
        for corrections in self.corrections.values():  # corrections of files not in raw/
            self.stale += apply_corrections([], [], corrections)[2]
        self.stale.sort(key=lambda s: s["line"])
        for writer in [*self.csv.values(), *self.parquet.values()]:
            writer.close()
        indicators, scorecard = self.links.indicator_rows(), self.links.scorecard_rows()
        for name, rows, fields in (("indicators", indicators, INDICATOR_FIELDS), ("scorecard", scorecard, SCORECARD_FIELDS)):
            self.staged.write(f"{name}.csv", csv_bytes(rows, fields))
            self.staged.write(f"{name}.parquet", parquet_bytes(rows, fields))
            self.sheets[name].write(rows)
        sources = [{"doc_id": doc_id, "source": source} for doc_id, source in self.links.sources().items()]
        self.report.overview_sections.append(scorecard_section(scorecard, self.links.series(scorecard), sources))
        self.staged.write("datapackage.json", datapackage_bytes())
        self.workbook.close()
        page = io.TextIOWrapper(self.staged.open("report.html"), encoding="utf-8", newline="")
        self.report.finish(page, self.stale)
        page.flush()
        page.detach()  # the staged file stays open for its commit
        summary.documents = self.documents.total()
        summary.targets = self.statuses.total()
        summary.review, summary.unparsed = self.statuses["review"], self.statuses["unparsed"]
        summary.failed, summary.skipped = self.documents["failed"], self.documents["skipped"]
        summary.failures = self.failed
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
