"""extracted/datapackage.json: a Frictionless Data Package describing the output tables, made
from schema.py so that it can never disagree with what the writer wrote."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from ..parsers.layouts.accounting import REASONS

from .schema import (ACTUAL_FIELDS, DOCUMENT_FIELDS, INDICATOR_FIELDS, LEFT_OUT_FIELDS, SCORECARD_FIELDS, TARGET_FIELDS,
                     Field)

# Closed vocabularies (SPEC §2), as Frictionless `enum` constraints.
ENUMS = {
    ("targets", "target_type"): ["numeric", "completion", "qualitative", "none"],
    ("targets", "comparator"): ["=", "between", ">", ">=", "<", "<="],
    ("targets", "measure"): ["level", "change"],
    ("targets", "direction"): ["increase", "decrease", "maintain"],
    ("targets", "status"): ["ok", "review", "unparsed"],
    ("documents", "layout"): ["table", "prose", "mixed"],
    ("documents", "status"): ["ok", "failed", "skipped"],
    ("actuals", "kind"): ["actual", "estimate", "plan"],
    ("actuals", "target_type"): ["numeric", "completion", "qualitative"],
    ("actuals", "comparator"): ["=", "between", ">", ">=", "<", "<="],
    ("actuals", "measure"): ["level", "change"],
    ("actuals", "direction"): ["increase", "decrease", "maintain"],
    ("actuals", "status"): ["ok", "review", "unparsed"],
    ("scorecard", "actual_kind"): ["actual", "estimate"],
    ("scorecard", "verdict"): ["met", "not_met", "unknown"],
    ("left_out", "reason"): list(REASONS),
}
# Never null. A document row's doc_id is null when the file could not even be opened.
REQUIRED = {"targets": {"doc_id", "source", "seq", "status"}, "documents": {"source", "status"},
            "actuals": {"doc_id", "source", "seq", "kind", "status"}, "indicators": {"indicator_id"},
            "scorecard": {"indicator_id", "year", "verdict"},
            "left_out": {"source", "location", "reason"}}
# Links a validator checks (SPEC §2.1): every doc_id and indicator_id names a row of its table.
FOREIGN_KEYS = {
    "targets": [("doc_id", "documents"), ("indicator_id", "indicators")],
    "actuals": [("doc_id", "documents"), ("indicator_id", "indicators")],
    "scorecard": [("indicator_id", "indicators")],
    "left_out": [("doc_id", "documents")],
}

# Frictionless' lexical forms (no '_', no spaces, no '+'); NaN/INF are valid numbers there.
_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|NaN|-?INF")


def _field(table: str, f: Field) -> dict:
    out = {"name": f.name, "type": f.type, "description": f.description}
    if f.type == "boolean":
        out["trueValues"], out["falseValues"] = ["true"], ["false"]
    constraints = {}
    if (table, f.name) in ENUMS:
        constraints["enum"] = ENUMS[(table, f.name)]
    if f.name in REQUIRED[table]:
        constraints["required"] = True
    if constraints:
        out["constraints"] = constraints
    return out


# The package's own version: a change to what the files hold or how they write it bumps it
# (2.0.0: text cells that a spreadsheet would run as a formula get a leading ' in the CSVs).
# 2.2.0: targets.indicator_id; the actuals, indicators and scorecard tables (issue 14).
# 2.3.0: documents.numbers_seen and numbers_read; the left_out table (SPEC §4.2, issue 18).
# 2.4.0: CSV fields with CR or NUL quoted; control characters in `source` written as \xNN
# (issue 19).
VERSION = "2.4.0"

FORMULA_NOTE = (
    "In the CSV files, a text cell (other than the closed vocabularies listed as enum) that begins with =, +, -, @, a TAB or a carriage return is "
    "written with a leading apostrophe (') so that a spreadsheet shows it instead of running it "
    "as a formula (the OWASP rule against CSV injection); drop that one apostrophe to get the text "
    "as written. The Parquet files keep every text as written."
)


def _resource(name: str, fields, key: list[str], title: str) -> dict:
    return {
        "name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "title": title,
        "description": FORMULA_NOTE,
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
        "dialect": {"delimiter": ",", "header": True},
        "schema": {"fields": [_field(name, f) for f in fields], "primaryKey": key, "missingValues": [""]}
        | ({"foreignKeys": [{"fields": column, "reference": {"resource": table, "fields": column}}
                            for column, table in FOREIGN_KEYS[name]]} if name in FOREIGN_KEYS else {}),
    }


def descriptor() -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "chitieu-targets",
        "version": VERSION,
        "title": "Socio-economic targets (chỉ tiêu) read from Vietnamese planning documents",
        "description": FORMULA_NOTE,
        "resources": [
            _resource("targets", TARGET_FIELDS, ["source", "seq"], "One row per target"),
            _resource("documents", DOCUMENT_FIELDS, ["source"], "One row per input file, failed ones included"),
            _resource("actuals", ACTUAL_FIELDS, ["source", "seq"], "One row per reported value that is not the document's own "
                      "target: an actual, an estimate, or an earlier year's plan"),
            _resource("indicators", INDICATOR_FIELDS, ["indicator_id"],
                      "One row per indicator of one jurisdiction, linking it across documents and years"),
            _resource("scorecard", SCORECARD_FIELDS, ["indicator_id", "year"],
                      "One row per indicator and year with both a target and an actual or estimate"),
            _resource("left_out", LEFT_OUT_FIELDS, ["source", "location"],
                      "One row per paragraph or table row that carries a number and gave no target or actual, "
                      "with the reason (SPEC §4.2)"),
        ],
    }


def datapackage_bytes() -> bytes:
    return (json.dumps(descriptor(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _problem(value: str, field: dict) -> str | None:
    """What is wrong with one CSV cell under its field, or None."""
    constraints = field.get("constraints", {})
    if value == "":
        return "is required" if constraints.get("required") else None
    kind = field["type"]
    if kind == "integer" and not _INTEGER.fullmatch(value):
        return "is not a valid integer"
    if kind == "number" and not _NUMBER.fullmatch(value):
        return "is not a valid number"
    if kind == "boolean" and value not in ("true", "false"):
        return "is not a valid boolean (true or false)"
    if "enum" in constraints and value not in constraints["enum"]:
        return f"is not one of {', '.join(constraints['enum'])}"
    return None


def validate_package(folder: Path) -> list[str]:
    """Every cell of each resource checked against its field (type, enum, required), the
    header against the field list, and the primary key for uniqueness. [] means valid."""
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    errors = []
    for res in package["resources"]:
        fields = res["schema"]["fields"]
        try:
            text = (folder / res["path"]).read_text(encoding=res["encoding"])
        except (OSError, UnicodeDecodeError) as e:
            errors.append(f"{res['path']}: cannot be read ({e})")
            continue
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows or rows[0] != [f["name"] for f in fields]:
            errors.append(f"{res['path']}: header differs from the package's fields")
            continue
        keys = set()
        for n, row in enumerate(rows[1:], 2):
            if len(row) != len(fields):
                errors.append(f"{res['path']} line {n}: {len(row)} cells, the header has {len(fields)}")
                continue
            for value, f in zip(row, fields):
                problem = _problem(value, f)
                if problem:
                    errors.append(f"{res['path']} line {n}: {f['name']}={value!r} {problem}")
            key = tuple(row[[f["name"] for f in fields].index(k)] for k in res["schema"]["primaryKey"])
            if key in keys:
                errors.append(f"{res['path']} line {n}: duplicate key {key}")
            keys.add(key)
    return errors
