"""extracted/datapackage.json: it describes exactly what the writer wrote, and our validator
finds every cell that breaks it."""
from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

import badfiles
from conftest import PROSE_SEED, RAW, TABLE_SEED
from chitieu.pipeline.datapackage import datapackage_bytes, descriptor, validate_package
from chitieu.pipeline.run import Settings, run_extract
from chitieu.pipeline.schema import DOCUMENT_FIELDS, TARGET_FIELDS


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """A run over seeds and failed files alike (null cells, error sentences with commas)."""
    base = tmp_path_factory.mktemp("package")
    raw, out = base / "raw", base / "out"
    raw.mkdir()
    for name in (f"{TABLE_SEED}.pdf", f"{PROSE_SEED}.docx", f"{PROSE_SEED}.txt"):
        shutil.copyfile(RAW / name, raw / name)
    badfiles.empty(raw / "empty.pdf")
    badfiles.spreadsheet_xlsx(raw / "plan.ods")  # a format not read: skipped
    badfiles.zip_renamed_docx(raw / "notes.docx")
    summary = run_extract(Settings(raw, out, jobs=1))
    assert (summary.failed, summary.skipped) == (2, 1)
    return out


@pytest.fixture
def copy(extracted, tmp_path):
    """A copy of the outputs to break."""
    shutil.copytree(extracted, tmp_path / "out", ignore=shutil.ignore_patterns(".cache"))
    return tmp_path / "out"


def test_a_run_gives_a_valid_package(extracted):
    assert validate_package(extracted) == []
    assert (extracted / "datapackage.json").read_bytes() == datapackage_bytes()


@pytest.mark.parametrize("resource,fields", [("targets", TARGET_FIELDS), ("documents", DOCUMENT_FIELDS)])
def test_the_descriptor_fields_are_the_schema(resource, fields):
    res = {r["name"]: r for r in descriptor()["resources"]}[resource]
    assert res["path"] == f"{resource}.csv"
    described = [(f["name"], f["type"], f["description"]) for f in res["schema"]["fields"]]
    assert described == [(f.name, f.type, f.description) for f in fields]


def test_the_descriptor_says_what_the_csv_writer_does(extracted):
    package = json.loads((extracted / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        header = (extracted / res["path"]).read_text(encoding="utf-8-sig").splitlines()[0]
        assert header.split(",") == [f["name"] for f in res["schema"]["fields"]]
        booleans = [f for f in res["schema"]["fields"] if f["type"] == "boolean"]
        assert all((f["trueValues"], f["falseValues"]) == (["true"], ["false"]) for f in booleans)
        assert res["schema"]["missingValues"] == [""]
    keys = {r["name"]: r["schema"]["primaryKey"] for r in package["resources"]}
    assert keys == {"targets": ["source", "seq"], "documents": ["source"], "actuals": ["source", "seq"],
                    "indicators": ["indicator_id"], "scorecard": ["indicator_id", "year"],
                    "left_out": ["source", "location"]}


def edit_cell(out, resource: str, line: int, column: str, value: str) -> None:
    """Put `value` into one cell of a CSV output, as a person editing it by hand would."""
    path = out / f"{resource}.csv"
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    header = lines[0].split(",")
    row = next(csv.reader(io.StringIO(lines[line - 1])))
    row[header.index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(row)
    lines[line - 1] = buf.getvalue()
    path.write_text("\n".join(lines), encoding="utf-8-sig")


def test_a_non_number_in_value_low_is_reported(copy):
    edit_cell(copy, "targets", 3, "value_low", "7,5")
    assert validate_package(copy) == ["targets.csv line 3: value_low='7,5' is not a valid number"]


@pytest.mark.parametrize("resource,column,value,error", [
    ("targets", "value_high", "1_000", "value_high='1_000' is not a valid number"),
    ("targets", "value_low", " 5", "value_low=' 5' is not a valid number"),
    ("targets", "seq", "1.5", "seq='1.5' is not a valid integer"),
    ("targets", "year", "２０２４", "year='２０２４' is not a valid integer"),
    ("targets", "approximate", "yes", "approximate='yes' is not a valid boolean (true or false)"),
    ("targets", "comparator", "≥", "comparator='≥' is not one of =, between, >, >=, <, <="),
    ("targets", "status", "", "status='' is required"),
    ("documents", "status", "broken", "status='broken' is not one of ok, failed, skipped"),
])
def test_a_cell_against_its_field_is_reported(copy, resource, column, value, error):
    edit_cell(copy, resource, 2, column, value)
    assert validate_package(copy) == [f"{resource}.csv line 2: {error}"]


def test_numbers_in_frictionless_forms_are_valid(copy):
    for line, value in ((2, "1e3"), (3, "-0.5"), (4, "NaN")):
        edit_cell(copy, "targets", line, "value_low", value)
    assert validate_package(copy) == []


def test_a_document_that_could_not_be_opened_may_lack_a_doc_id(copy):
    """A file that cannot even be opened has no bytes to hash; its row is still valid."""
    edit_cell(copy, "documents", 2, "doc_id", "")
    assert validate_package(copy) == []
    edit_cell(copy, "targets", 2, "doc_id", "")
    assert validate_package(copy) == ["targets.csv line 2: doc_id='' is required"]


def test_a_row_cut_short_is_reported(copy):
    path = copy / "targets.csv"
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(text[: text.index("\n", len(text) // 2) - 40] + "\n", encoding="utf-8-sig")
    errors = validate_package(copy)
    assert len(errors) == 1 and errors[0].endswith(f"cells, the header has {len(TARGET_FIELDS)}")


def test_a_duplicate_key_and_a_changed_header_are_reported(copy):
    edit_cell(copy, "targets", 3, "seq", "1")
    errors = validate_package(copy)
    assert len(errors) == 1 and errors[0].startswith("targets.csv line 3: duplicate key (")
    path = copy / "documents.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace("sha256", "sha", 1), encoding="utf-8-sig")
    assert "documents.csv: header differs from the package's fields" in validate_package(copy)


def test_a_missing_resource_is_reported(copy):
    (copy / "documents.csv").unlink()
    errors = validate_package(copy)
    assert len(errors) == 1 and errors[0].startswith("documents.csv: cannot be read")
