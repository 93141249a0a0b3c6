"""The second pass over a batch (SPEC §2.1): indicators linked across documents and years,
and the scorecard of each indicator's target against what was reached.

Each document's rows are linked as the run hands them over, from its cached result: the
`indicator_id` depends only on the row's jurisdiction, canonical name and unit
(normalizers/indicators.py), so a changed document relinks without the others being read
again, and neither batch order nor `--jobs` changes an id. What needs the whole batch (an
indicator's names and years, which target meets which value) is kept as one small record per
linked row, put aside on disk by jurisdiction (pipeline/link_spill.py) and read back one bucket
of jurisdictions at a time when the run finishes: memory holds the rows of `indicators` and
`scorecard`, never every target of the batch.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..normalizers.indicators import indicator_id, indicator_key
from .link_spill import BucketRecords, BucketResults, LinkSpill, link_lines
from .verdict import judge, note, plain_target, point  # noqa: F401  (judge: tests reach it here)

REPORTED = ("actual", "estimate")  # the kinds a target is held against (a plan is not)
KIND_RANK = {"estimate": 0, "actual": 1}  # an actual beats an estimate
# the fields of a target or value the scorecard needs
_VALUE_FIELDS = ("target_type", "value_low", "value_high", "low_inclusive", "high_inclusive", "comparator",
                 "approximate", "measure", "direction", "reference_year", "unit", "name")


@dataclass
class _Indicator:
    jurisdiction: str | None
    names: Counter = field(default_factory=Counter)
    units: Counter = field(default_factory=Counter)
    documents: set = field(default_factory=set)
    years: set = field(default_factory=set)


class BatchLinks:
    """Links each document's rows as it comes (`link`, or `add_lines` with the records an
    earlier run kept of the same rows), then gives the `indicators` and `scorecard`
    rows of the whole batch and the scorecard's series."""

    def __init__(self, results: BucketResults | None = None) -> None:
        self.spill = LinkSpill()
        self.results = results  # each bucket's second pass, kept from one run to the next
        self._finished: _SecondPass | None = None

    def link(self, document: dict, targets: list[dict], actuals: list[dict]) -> None:
        """Fill `indicator_id` on the document's targets and actuals, and keep what the second
        pass needs of them."""
        self.add_lines(document.get("jurisdiction"), link_lines(link_records(document, targets, actuals)))

    def add_lines(self, jurisdiction: str | None, lines: bytes) -> None:
        """Keep a document's records, encoded by `link_lines` (in this run or an earlier one)."""
        self.spill.add(jurisdiction, lines)

    # ------------------------------------------------------------------------ the second pass

    def indicator_rows(self) -> list[dict]:
        """One row per indicator, by jurisdiction then name (then id)."""
        return self._finish().indicators

    def scorecard_rows(self) -> list[dict]:
        """One row per indicator and year with both a target and an actual or estimate."""
        return self._finish().scorecard

    def series(self, scorecard: list[dict]) -> dict[str, list[dict]]:
        """Per indicator of the scorecard, its targets and reported values across years:
        {indicator_id: [{year, kind, low, high, doc_id}, …]} (kind `target`, `actual`,
        `estimate`), ordered by year, kind, then bounds."""
        found = self._finish().series
        return {i: found.get(i, []) for i in sorted({r["indicator_id"] for r in scorecard})}

    def sources(self) -> dict[str, str]:
        """The path of each document the scorecard names (by doc_id)."""
        return self._finish().sources

    def _finish(self) -> _SecondPass:
        if self._finished is None:
            done = _SecondPass([], [], {}, {})
            for digest, records in self.spill.buckets():
                part = self.results.get(digest) if self.results else None
                if part is None:  # a bucket whose records changed (or the first run)
                    part = _Bucket(records).second_pass()
                    if self.results:
                        self.results.put(digest, part)
                done.indicators += part["indicators"]
                done.scorecard += part["scorecard"]
                done.series |= part["series"]
                done.sources |= part["sources"]
            if self.results:
                self.results.prune()
            done.indicators.sort(key=lambda r: (r["jurisdiction"] or "", r["name"].lower(), r["indicator_id"]))
            done.scorecard.sort(key=lambda r: tuple(r.pop("_order")))
            self._finished = done
        return self._finished


@dataclass
class _SecondPass:
    indicators: list[dict]
    scorecard: list[dict]
    series: dict[str, list[dict]]  # of the scorecard's indicators
    sources: dict[str, str]  # doc_id → path, of the documents the scorecard names


class _Bucket:
    """The records of some jurisdictions, every record of each of their indicators, read a batch
    at a time: what is kept is per indicator, per document and per indicator and year (the
    target, the reported value, the quoted plan that count), never per record."""

    def __init__(self, records: BucketRecords) -> None:
        self.records = records
        self.indicators: dict[str, _Indicator] = {}
        self.documents: dict[str, tuple] = {}  # doc_id → (date, year, path): the last document linked of those bytes
        self.targets: dict[tuple, dict] = {}  # (indicator, year) → the target that counts
        self.reported: dict[tuple, dict] = {}  # … the actual or estimate that counts
        plans: dict[tuple, dict] = {}  # … the plan of the latest document that quotes one
        for batch in records.batches():
            for r in batch:
                ind = self.indicators.setdefault(r["indicator_id"], _Indicator(r["jurisdiction"]))
                ind.names[r["name"]] += 1
                ind.units[r["unit"] or ""] += 1
                ind.documents.add(r["doc_id"])
                if r["year"] is not None:
                    ind.years.add(r["year"])
                self.documents[r["doc_id"]] = (r["doc_date"], r["doc_year"], r["source"])
                key = (r["indicator_id"], r["year"])
                if r["role"] == "target":
                    if key not in self.targets or self._target_order(r) > self._target_order(self.targets[key]):
                        self.targets[key] = r
                elif r["role"] == "reported":
                    if key not in self.reported or self._reported_order(r) > self._reported_order(self.reported[key]):
                        self.reported[key] = r
                elif r["role"] == "plan":
                    if key not in plans or self.documents[r["doc_id"]] > self.documents[plans[key]["doc_id"]]:
                        plans[key] = r
        # SPEC §2.1: where the batch has no target, the plan a document quotes
        self.quoted = {key: p for key, p in plans.items() if key not in self.targets}

    def second_pass(self) -> dict:
        """The bucket's indicator rows, scorecard rows, the series and sources these need (plain JSON)."""
        rows = self.scorecard_rows()
        return {"indicators": self.indicator_rows(), "scorecard": rows,
                "series": self.series({r["indicator_id"] for r in rows}) if rows else {},
                "sources": {d: self.documents[d][2] for r in rows for d in (r["target_doc"], r["actual_doc"])}}

    def indicator_rows(self) -> list[dict]:
        return [{
            "indicator_id": ident, "jurisdiction": ind.jurisdiction, "name": _most_frequent(ind.names),
            "unit": _most_frequent(ind.units) or None, "names": "|".join(sorted(ind.names)),
            "documents": len(ind.documents), "first_year": min(ind.years, default=None),
            "last_year": max(ind.years, default=None),
        } for ident, ind in self.indicators.items()]

    def scorecard_rows(self) -> list[dict]:
        """The scorecard's rows of these jurisdictions, each with `_order`, its place in the batch's."""
        targets, reported, quoted = self.targets, self.reported, self.quoted
        rows = []
        for key in set(targets) & set(reported) | set(quoted) & set(reported):
            t, a = quoted.get(key) or targets[key], reported[key]
            ind = self.indicators[key[0]]
            jurisdiction, unit = ind.jurisdiction, _most_frequent(ind.units) or None
            verdict, margin = judge(t, a)
            # in the order the plan lists its targets: jurisdiction, year, then the target's place
            # (a quoted plan stands where the report quotes it)
            order = (jurisdiction or "", key[1], self.documents[t["doc_id"]][2], t["seq"], key[0])
            rows.append({
                "indicator_id": key[0], "jurisdiction": jurisdiction, "name": t["name"],
                "unit": unit, "year": key[1], "target": plain_target(t), "target_doc": t["doc_id"],
                "target_seq": None if t["role"] == "plan" else t["seq"], "actual": point(a),
                "actual_text": a["value_text"],
                "actual_kind": a["kind"], "actual_doc": a["doc_id"], "actual_location": a["location"],
                "verdict": verdict, "margin": margin, "stated_verdict": a.get("stated_verdict"),
                "note": note(t, a, verdict), "_order": order,
            })
        return rows

    def series(self, wanted: set[str]) -> dict[str, list[dict]]:
        """The numeric targets and reported values of the `wanted` indicators (the records read again)."""
        found: dict[str, list[dict]] = {}
        for batch in self.records.batches():
            for r in batch:
                if r["role"] in ("target", "reported") and r["indicator_id"] in wanted \
                        and r["target_type"] == "numeric" and (r["value_low"] is not None or r["value_high"] is not None):
                    found.setdefault(r["indicator_id"], []).append(
                        {"year": r["year"], "kind": "target" if r["role"] == "target" else r["kind"],
                         "low": r["value_low"], "high": r["value_high"], "doc_id": r["doc_id"]})
        for points in found.values():
            points.sort(key=lambda p: (p["year"], p["kind"], p["low"] if p["low"] is not None else -1e300,
                                       p["high"] if p["high"] is not None else 1e300, p["doc_id"]))
        return found

    def _target_order(self, t: dict) -> tuple:
        """Which target of an indicator and year counts: the latest document's, its first
        reading (a stretch `phấn đấu …` is a second reading)."""
        stretch = "stretch" in (t.get("notes") or "").split(";")
        return (self.documents[t["doc_id"]], not stretch, -t["seq"])

    def _reported_order(self, a: dict) -> tuple:
        """An actual beats an estimate; then the latest document; then a table's column
        (it sits on the target's row) before a sentence, in reading order."""
        return (KIND_RANK[a["kind"]], self.documents[a["doc_id"]], a["location"].startswith("table"))


def link_records(document: dict, targets: list[dict], actuals: list[dict]) -> list[dict]:
    """Fill `indicator_id` on a document's targets and actuals; return what the second pass
    needs of them, one record per row that has an indicator."""
    if document.get("status") != "ok":
        return []
    jurisdiction = document.get("jurisdiction")
    # which document is later: its date, then its year, then its path
    base = {"jurisdiction": jurisdiction, "doc_id": document["doc_id"], "doc_date": document.get("date") or "",
            "doc_year": document.get("year") or 0, "source": document["source"]}
    records = []
    names = {t["seq"]: t["name"] for t in targets}
    parents = {t["seq"]: names.get(t["parent_seq"]) for t in targets if t.get("parent_seq")}
    for t in targets:
        if t["target_type"] == "none":
            t["indicator_id"] = None
            continue
        t["indicator_id"] = _id(jurisdiction, t["name"], parents.get(t["seq"]), t["unit"])
        if t["indicator_id"]:
            role = "target" if t["year"] is not None else "seen"
            records.append(_keep(t, base, role) | {"seq": t["seq"], "notes": t.get("notes"),
                                                   "target_text": t.get("target_text")})
    for a in actuals:
        parent = parents.get(a["target_seq"]) if a.get("target_seq") else None
        a["indicator_id"] = _id(jurisdiction, a["name"], parent, a["unit"])
        if not a["indicator_id"]:
            continue
        part_year = "part_year" in (a.get("notes") or "").split(";")  # SPEC §2.1: never against the year
        if a["kind"] in REPORTED and a["year"] is not None and not part_year:
            records.append(_keep(a, base, "reported") | {
                "location": a["location"], "notes": a.get("notes"), "target_text": a.get("target_text"),
                "kind": a["kind"], "value_text": a["value_text"], "stated_verdict": a.get("stated_verdict")})
        elif a["kind"] == "plan" and a["year"] is not None and a["target_type"] != "none":
            records.append(_keep(a, base, "plan") | {"location": a["location"], "seq": a["seq"],
                                                     "notes": a.get("notes"), "target_text": a.get("target_text")})
        else:
            records.append(_keep(a, base, "seen"))
    return records


def _id(jurisdiction, name, parent, unit) -> str | None:
    return indicator_id(jurisdiction, indicator_key(name, parent), unit)


def _keep(record: dict, base: dict, role: str) -> dict:
    return base | {k: record.get(k) for k in _VALUE_FIELDS} | {
        "role": role, "indicator_id": record["indicator_id"], "year": record["year"]}


def _most_frequent(counts: Counter) -> str:
    """The most frequent; among equals, the shortest, then the first alphabetically."""
    return min(counts.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0] if counts else ""
