"""The second pass over a batch (SPEC §2.1): indicators linked across documents and years,
and the scorecard of each indicator's target against what was reached.

Each document's rows are linked as the run hands them over, from its cached result: the
`indicator_id` depends only on the row's jurisdiction, canonical name and unit
(normalizers/indicators.py), so a changed document relinks without the others being read
again, and neither batch order nor `--jobs` changes an id. What needs the whole batch (an
indicator's names and years, which target meets which value) is gathered in small records,
one per indicator and one per target or reported value, and written when the run finishes.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from ..normalizers import vocabulary
from ..normalizers.indicators import indicator_id, indicator_key, unit_key

REPORTED = ("actual", "estimate")  # the kinds a target is held against (a plan is not)
KIND_RANK = {"estimate": 0, "actual": 1}  # an actual beats an estimate


@dataclass
class _Indicator:
    jurisdiction: str | None
    names: Counter = field(default_factory=Counter)
    units: Counter = field(default_factory=Counter)
    documents: set = field(default_factory=set)
    years: set = field(default_factory=set)


# the fields of a target or value the scorecard needs, and where it came from
_VALUE_FIELDS = ("target_type", "value_low", "value_high", "low_inclusive", "high_inclusive", "comparator",
                 "approximate", "measure", "direction", "reference_year", "unit", "name")


class BatchLinks:
    """Links each document's rows as it comes (`link`), then gives the `indicators` and
    `scorecard` rows of the whole batch."""

    def __init__(self) -> None:
        self._indicators: dict[str, _Indicator] = {}
        self._targets: list[dict] = []
        self._reported: list[dict] = []
        self._plans: list[dict] = []  # plans a document quotes for a year: they stand in for a missing target
        self._documents: dict[str, tuple] = {}

    def link(self, document: dict, targets: list[dict], actuals: list[dict]) -> None:
        """Fill `indicator_id` on the document's targets and actuals, and remember them."""
        if document.get("status") != "ok":
            return
        jurisdiction = document.get("jurisdiction")
        doc_id = document["doc_id"]
        # which document is later: its date, then its year, then its path
        self._documents[doc_id] = (document.get("date") or "", document.get("year") or 0, document["source"])
        names = {t["seq"]: t["name"] for t in targets}
        parents = {t["seq"]: names.get(t["parent_seq"]) for t in targets if t.get("parent_seq")}
        for t in targets:
            if t["target_type"] == "none":
                t["indicator_id"] = None
                continue
            t["indicator_id"] = self._id(jurisdiction, t["name"], parents.get(t["seq"]), t["unit"], doc_id, t["year"])
            if t["indicator_id"] and t["year"] is not None:
                self._targets.append(_keep(t, doc_id, where=t["seq"]))
        for a in actuals:
            parent = parents.get(a["target_seq"]) if a.get("target_seq") else None
            a["indicator_id"] = self._id(jurisdiction, a["name"], parent, a["unit"], doc_id, a["year"])
            part_year = "part_year" in (a.get("notes") or "").split(";")  # SPEC §2.1: never against the year
            if a["indicator_id"] and a["kind"] in REPORTED and a["year"] is not None and not part_year:
                self._reported.append(_keep(a, doc_id, where=a["location"]) | {
                    "kind": a["kind"], "value_text": a["value_text"], "stated_verdict": a.get("stated_verdict")})
            elif a["indicator_id"] and a["kind"] == "plan" and a["year"] is not None and a["target_type"] != "none":
                self._plans.append(_keep(a, doc_id, where=a["location"]) | {"quoted_seq": a["seq"]})

    def _id(self, jurisdiction, name, parent, unit, doc_id, year) -> str | None:
        key = indicator_key(name, parent)
        found = indicator_id(jurisdiction, key, unit)
        if found is None:
            return None
        ind = self._indicators.setdefault(found, _Indicator(jurisdiction))
        ind.names[name] += 1
        ind.units[unit or ""] += 1
        ind.documents.add(doc_id)
        if year is not None:
            ind.years.add(year)
        return found

    # ------------------------------------------------------------------------ indicators

    def indicator_rows(self) -> list[dict]:
        """One row per indicator, by jurisdiction then name (then id)."""
        rows = []
        for ident, ind in self._indicators.items():
            rows.append({
                "indicator_id": ident, "jurisdiction": ind.jurisdiction, "name": _most_frequent(ind.names),
                "unit": _most_frequent(ind.units) or None, "names": "|".join(sorted(ind.names)),
                "documents": len(ind.documents), "first_year": min(ind.years, default=None),
                "last_year": max(ind.years, default=None),
            })
        return sorted(rows, key=lambda r: (r["jurisdiction"] or "", r["name"].lower(), r["indicator_id"]))

    # ------------------------------------------------------------------------ scorecard

    def scorecard_rows(self) -> list[dict]:
        """One row per indicator and year with both a target and an actual or estimate."""
        targets: dict[tuple, dict] = {}
        for t in self._targets:
            key = (t["indicator_id"], t["year"])
            if key not in targets or self._target_order(t) > self._target_order(targets[key]):
                targets[key] = t
        reported: dict[tuple, dict] = {}
        for a in self._reported:
            key = (a["indicator_id"], a["year"])
            if key not in reported or self._reported_order(a) > self._reported_order(reported[key]):
                reported[key] = a
        quoted: dict[tuple, dict] = {}  # SPEC §2.1: where the batch has no target, the plan a document quotes
        for p in self._plans:
            key = (p["indicator_id"], p["year"])
            if key not in targets and (key not in quoted or self._documents[p["doc_id"]] > self._documents[quoted[key]["doc_id"]]):
                quoted[key] = p
        targets.update(quoted)
        indicators = {r["indicator_id"]: r for r in self.indicator_rows()}
        rows, order = [], {}
        for key in sorted(set(targets) & set(reported)):
            t, a = targets[key], reported[key]
            order[key] = t.get("quoted_seq", t["where"])  # a quoted plan stands where the report quotes it
            ind = indicators[key[0]]
            verdict, margin = judge(t, a)
            rows.append({
                "indicator_id": key[0], "jurisdiction": ind["jurisdiction"], "name": t["name"],
                "unit": ind["unit"], "year": key[1], "target": plain_target(t), "target_doc": t["doc_id"],
                "target_seq": None if "quoted_seq" in t else t["where"], "actual": _point(a),
                "actual_text": a["value_text"],
                "actual_kind": a["kind"], "actual_doc": a["doc_id"], "actual_location": a["where"],
                "verdict": verdict, "margin": margin, "stated_verdict": a.get("stated_verdict"),
                "note": _note(t, a, verdict),
            })
        # in the order the plan lists its targets: jurisdiction, year, then the target's place
        return sorted(rows, key=lambda r: (r["jurisdiction"] or "", r["year"], self._documents[r["target_doc"]][2],
                                           order[(r["indicator_id"], r["year"])], r["indicator_id"]))

    def series(self, scorecard: list[dict]) -> dict[str, list[dict]]:
        """Per indicator of the scorecard, its targets and reported values across years:
        {indicator_id: [{year, kind, low, high, doc_id}, …]} (kind `target`, `actual`,
        `estimate`), ordered by year, kind, then bounds."""
        wanted = {r["indicator_id"] for r in scorecard}
        found: dict[str, list[dict]] = {i: [] for i in sorted(wanted)}
        for kind, records in (("target", self._targets), (None, self._reported)):
            for r in records:
                if r["indicator_id"] in wanted and r["target_type"] == "numeric" \
                        and (r["value_low"] is not None or r["value_high"] is not None):
                    found[r["indicator_id"]].append({"year": r["year"], "kind": kind or r["kind"], "low": r["value_low"],
                                                     "high": r["value_high"], "doc_id": r["doc_id"]})
        for points in found.values():
            points.sort(key=lambda p: (p["year"], p["kind"], p["low"] if p["low"] is not None else -1e300,
                                       p["high"] if p["high"] is not None else 1e300, p["doc_id"]))
        return found

    def _target_order(self, t: dict) -> tuple:
        """Which target of an indicator and year counts: the latest document's, its first
        reading (a stretch `phấn đấu …` is a second reading)."""
        stretch = "stretch" in (t.get("notes") or "").split(";")
        return (self._documents[t["doc_id"]], not stretch, -t["where"])

    def _reported_order(self, a: dict) -> tuple:
        """An actual beats an estimate; then the latest document; then a table's column
        (it sits on the target's row) before a sentence, in reading order."""
        return (KIND_RANK[a["kind"]], self._documents[a["doc_id"]], a["where"].startswith("table"))


def _keep(record: dict, doc_id: str, where) -> dict:
    kept = {k: record.get(k) for k in _VALUE_FIELDS}
    kept.update(indicator_id=record["indicator_id"], year=record["year"], doc_id=doc_id, where=where,
                notes=record.get("notes"), target_text=record.get("target_text"))
    return kept


def _note(target: dict, reported: dict, verdict: str) -> str | None:
    """Where the reader should look: a quoted plan standing in, a stated verdict that disagrees."""
    notes = []
    if "quoted_seq" in target:
        notes.append("target is the plan the report quotes")
    stated = stated_meaning(reported.get("stated_verdict"))
    if stated and verdict != "unknown" and stated != verdict:
        notes.append(f"stated '{reported['stated_verdict']}' disagrees with the verdict")
    return "; ".join(notes) or None


def stated_meaning(text: str | None) -> str | None:
    """'Đạt', 'Vượt' → met; 'Không đạt', 'Xấp xỉ đạt' → not_met; else None."""
    clean = (text or "").strip().lower()
    table = vocabulary.load("indicators")["stated_verdicts"]
    for meaning in ("not_met", "met"):  # 'không đạt' before 'đạt'
        if any(clean.startswith(w) for w in table[meaning]):
            return meaning
    return None


def _most_frequent(counts: Counter) -> str:
    """The most frequent; among equals, the shortest, then the first alphabetically."""
    return min(counts.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0] if counts else ""


def _point(a: dict) -> float | None:
    """The value reached when it is one number."""
    if a["target_type"] != "numeric" or a["value_low"] is None or a["value_low"] != a["value_high"]:
        return None
    return a["value_low"]


# ---------------------------------------------------------------------------- the verdict


def _sub(a: float, b: float) -> float:
    """a - b in decimal, so that 73,2 - 72 is 1,2 and not 1.2000000000000028."""
    return float(Decimal(repr(float(a))) - Decimal(repr(float(b))))


def judge(target: dict, actual: dict) -> tuple[str, float | None]:
    """The verdict (met, not_met, unknown) and margin of a target against a reported value,
    by the rules of SPEC §2.1. The target reads as a promise: `>=`/`>` are met when the value
    reaches the bound, `<=`/`<` when it stays under it; `=` and `between` when it reaches the
    low bound or, for a level promised to decrease, stays at or under the high bound. Inside a
    range the margin is taken to the nearer bound. `unknown` rather than a guess: a
    qualitative target, units or measures (level/change) that differ, a value that is a range
    or a text, a completion held against an estimate.

    >>> judge(dict(target_type="numeric", comparator="between", value_low=7.0, value_high=7.5,
    ...            low_inclusive=True, high_inclusive=True, measure="level", direction=None, unit="%"),
    ...       dict(target_type="numeric", value_low=6.6, value_high=6.6, measure="level", direction=None,
    ...            unit="%", kind="estimate", value_text="6,6"))
    ('not_met', -0.4)
    """
    if target["target_type"] not in ("numeric", "completion"):
        return "unknown", None
    if unit_key(target.get("unit")) != unit_key(actual.get("unit")):
        return "unknown", None
    if target["target_type"] == "completion":
        return _judge_completion(actual), None
    x = _point(actual)
    if x is None or target["comparator"] is None:
        return "unknown", None
    if (target.get("measure") or "level") != (actual.get("measure") or "level"):
        return "unknown", None  # a change promised, a level reported (or the other way round)
    if (target.get("measure") == "change" and {target.get("direction"), actual.get("direction")} == {"increase", "decrease"}):
        x = -x  # the indicator moved the other way
    low, high, op = target["value_low"], target["value_high"], target["comparator"]
    if op in (">", ">="):
        met = x > low if op == ">" else x >= low
        return ("met" if met else "not_met"), _sub(x, low)
    if op in ("<", "<="):
        met = x < high if op == "<" else x <= high
        return ("met" if met else "not_met"), _sub(high, x)
    # SPEC §2.1, one deciding bound: a level promised to decrease ('giảm còn 1,5 - 2%') is met at
    # or under its high bound; every other '=' or range (levels, and changes in their promised
    # direction) when it reaches its low bound. Past the promise in its own direction is meeting it.
    if target.get("measure") != "change" and target.get("direction") == "decrease":
        return ("met" if x <= high else "not_met"), _sub(high, x)
    return ("met" if x >= low else "not_met"), _sub(x, low)


def _judge_completion(actual: dict) -> str:
    """A completion target is met by a reported `Hoàn thành`/`Đạt`/`Vượt` (SPEC §2.1: a year-end
    report's estimate of a completion is how it reports one), not met by `Không hoàn thành`: the
    words a document states a verdict in."""
    return stated_meaning(actual.get("value_text")) or "unknown"


def plain_target(t: dict) -> str:
    """The target in plain notation (`6,5 – 7,0 %`, `≥ 800 doanh nghiệp`, `Hoàn thành`)."""
    try:
        from .report_data import format_reading  # the report's one reading of a target
    except ImportError:  # before the report's split (issue 15)
        from .report import format_reading

    return format_reading(t)
