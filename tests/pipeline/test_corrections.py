"""raw/corrections.csv: reading it strictly, applying it only where the row is still the same."""
from __future__ import annotations

import doctest

import pytest

import chitieu.pipeline.corrections
from chitieu import pipeline
from chitieu.pipeline.corrections import (
    Correction,
    CorrectionsError,
    apply_corrections,
    derive_comparator,
    find_stale_in_outputs,
    load_corrections,
)
from chitieu.pipeline.schema import TARGET_COLUMNS

SOURCE = "000_955eea8916a792bc.txt"
HEADER = "source,seq,name,field,value,note\n"


def target(seq: int, name: str, **values) -> dict:
    row = dict.fromkeys(TARGET_COLUMNS)
    row.update(
        doc_id="955eea8916a7", source=SOURCE, year=2024, seq=seq, name=name, unit="%",
        target_type="numeric", approximate=False, measure="level", status="ok",
    )
    row.update(values)
    return row


TARGETS = [
    target(1, "Tốc độ tăng trưởng kinh tế (GRDP) tăng so với năm 2023", value_low=6.5,
           value_high=7.0, low_inclusive=True, high_inclusive=True, comparator="between",
           measure="change", direction="increase", reference_year=2023, target_text="6,5-7,0"),
    target(2, "Tổng vốn đầu tư phát triển toàn xã hội", unit="tỷ đồng", value_low=124000.0,
           value_high=124000.0, low_inclusive=True, high_inclusive=True, comparator="=",
           approximate=True, status="review", notes="unit:scaled"),
    target(3, "Tổng thu ngân sách", unit=None, target_type="qualitative", measure=None,
           approximate=False, target_text="Đạt dự toán được giao"),
]
DOCUMENTS = [
    {"source": SOURCE, "status": "ok"},
    {"source": "broken.pdf", "status": "failed"},
]


def write(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "corrections.csv"
    path.write_text(text, encoding=encoding)
    return path


def test_doctests():
    assert doctest.testmod(pipeline.corrections).failed == 0


# --- loading ------------------------------------------------------------------------------


def test_load_reads_typed_values_with_bom_and_line_numbers(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + f"{SOURCE},2,Tổng vốn đầu tư phát triển toàn xã hội,approximate,false,không có 'khoảng'\n"
        + "\n"
        + f'{SOURCE},1,"Tốc độ tăng trưởng kinh tế (GRDP)\n tăng so với năm 2023",value_low,6.0,\n'
        + f"{SOURCE},1,Tốc độ tăng trưởng kinh tế (GRDP) tăng so với năm 2023,reference_year,,\n",
        encoding="utf-8-sig",
    )
    assert load_corrections(path) == [
        Correction(2, SOURCE, 2, "Tổng vốn đầu tư phát triển toàn xã hội", "approximate", False,
                   "không có 'khoảng'"),
        Correction(4, SOURCE, 1, "Tốc độ tăng trưởng kinh tế (GRDP) tăng so với năm 2023",
                   "value_low", 6.0, ""),
        Correction(6, SOURCE, 1, "Tốc độ tăng trưởng kinh tế (GRDP) tăng so với năm 2023",
                   "reference_year", None, ""),
    ]


@pytest.mark.parametrize(
    "row, message",
    [
        (f"{SOURCE},2,Tổng vốn,vaule_low,1,", "line 3: unknown field 'vaule_low'; did you mean value_low?"),
        (f"{SOURCE},2,Tổng vốn,colour,red,", "line 3: unknown field 'colour'; a correction sets one of: year,"),
        (f"{SOURCE},2,Tổng vốn,seq,5,", "line 3: field seq cannot be corrected"),
        (f"{SOURCE},2,Tổng vốn,comparator,>,", "line 3: field comparator cannot be corrected: it is derived"),
        (f"{SOURCE},2,Tổng vốn,value_low,\"6,5\",", "line 3: value for value_low (number): '6,5' is not a number"),
        (f"{SOURCE},2,Tổng vốn,year,2024.5,", "line 3: value for year (integer): '2024.5' is not a whole number"),
        # digits int()/float() cannot read (newer than this Python's Unicode tables): an error, not a crash
        (f"{SOURCE},2,Tổng vốn,value_low,\U0001e4f5,", "line 3: value for value_low (number): '\\U0001e4f5' is not a number"),
        (f"{SOURCE},2,Tổng vốn,year,\U0001e4f5,", "line 3: value for year (integer): '\\U0001e4f5' is not a whole number"),
        (f"{SOURCE},2,Tổng vốn,approximate,có,", "line 3: value for approximate (boolean): 'có' is not a boolean"),
        (f"{SOURCE},2,Tổng vốn,status,Review,", "line 3: value 'Review' for status is not one of: ok, review, unparsed"),
        (f"{SOURCE},hai,Tổng vốn,unit,%,", "line 3: seq 'hai' is not a target number"),
        (f"{SOURCE},0,Tổng vốn,unit,%,", "line 3: seq '0' is not a target number"),
        (f"{SOURCE},2,,unit,%,", "line 3: name is empty"),
        (f",2,Tổng vốn,unit,%,", "line 3: source is empty"),
        (f"{SOURCE},1,Tốc độ,unit,%,", "line 3: unit of 000_955eea8916a792bc.txt seq 1 is already corrected on line 2"),
    ],
)
def test_load_rejects_a_bad_row_naming_its_line(tmp_path, row, message):
    path = write(tmp_path, HEADER + f"{SOURCE},1,Tốc độ,unit,%,\n" + row + "\n")
    with pytest.raises(CorrectionsError) as error:
        load_corrections(path)
    assert str(error.value).startswith(f"{path}, {message}")


def test_load_rejects_missing_columns(tmp_path):
    path = write(tmp_path, "source,seq,name,value\n")
    with pytest.raises(CorrectionsError, match=r"line 1: missing column\(s\) field, note"):
        load_corrections(path)


def test_load_rejects_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "corrections.csv"
    path.write_bytes(HEADER.encode() + f"{SOURCE},2,Tổng vốn,unit,".encode() + b"\xf0\xf4ng,\n")  # cp1258
    with pytest.raises(CorrectionsError, match=r"line 2: the file is not UTF-8"):
        load_corrections(path)


# --- applying -----------------------------------------------------------------------------


def correction(seq, name, field, value, source=SOURCE, line=2) -> Correction:
    return Correction(line, source, seq, name, field, value, "")


def test_a_correction_is_applied_to_a_copy_and_noted():
    fix = correction(2, "Tổng vốn  đầu tư phát triển toàn xã hội", "approximate", False)
    rows, applied, stale = apply_corrections(TARGETS, DOCUMENTS, [fix])
    assert (applied, stale) == ([fix], [])
    assert rows[1]["approximate"] is False
    assert rows[1]["notes"] == "unit:scaled;corrected:approximate"
    assert rows[1]["status"] == "review"  # only the corrected column changes
    assert TARGETS[1]["approximate"] is True and TARGETS[1]["notes"] == "unit:scaled"
    assert [r["seq"] for r in rows] == [1, 2, 3]


def test_correcting_a_bound_re_derives_the_comparator():
    fixes = [
        correction(1, TARGETS[0]["name"], "value_high", None, line=2),
        correction(1, TARGETS[0]["name"], "low_inclusive", False, line=3),
    ]
    rows, applied, _ = apply_corrections(TARGETS, DOCUMENTS, fixes)
    assert len(applied) == 2
    assert (rows[0]["value_low"], rows[0]["value_high"]) == (6.5, None)
    assert (rows[0]["low_inclusive"], rows[0]["high_inclusive"]) == (False, None)
    assert rows[0]["comparator"] == ">"
    assert rows[0]["notes"] == "corrected:value_high;corrected:low_inclusive"


def test_a_bound_set_on_an_unbounded_row_becomes_inclusive():
    fix = correction(3, "Tổng thu ngân sách", "target_type", "numeric")
    more = correction(3, "Tổng thu ngân sách", "value_low", 8801.0, line=3)
    rows, _, _ = apply_corrections(TARGETS, DOCUMENTS, [fix, more])
    assert (rows[2]["low_inclusive"], rows[2]["comparator"]) == (True, ">=")


def test_a_correction_whose_row_was_renamed_is_stale_and_not_applied():
    fix = correction(2, "Tổng vốn đầu tư", "approximate", False)
    rows, applied, stale = apply_corrections(TARGETS, DOCUMENTS, [fix])
    assert applied == [] and rows == TARGETS
    assert len(stale) == 1
    assert stale[0]["line"] == 2 and stale[0]["field"] == "approximate"
    assert stale[0]["reason"].startswith(
        f"Target 2 of {SOURCE} is now named 'Tổng vốn đầu tư phát triển toàn xã hội', "
        "not 'Tổng vốn đầu tư'"
    )


@pytest.mark.parametrize(
    "fix, reason",
    [
        (correction(1, "X", "unit", "%", source="gone.docx"), "There is no input gone.docx"),
        (correction(1, "X", "unit", "%", source="broken.pdf"), "broken.pdf has no targets in this run (status failed)"),
        (correction(9, "X", "unit", "%"), f"{SOURCE} has no target 9 (its targets are 1–3)"),
    ],
)
def test_a_correction_without_its_row_is_stale(fix, reason):
    rows, applied, stale = apply_corrections(TARGETS, DOCUMENTS, [fix])
    assert applied == [] and rows == TARGETS
    assert stale[0]["reason"].startswith(reason)


def test_corrections_in_effect_in_written_outputs_are_not_stale():
    rename = correction(2, TARGETS[1]["name"], "name", "Tổng vốn đầu tư toàn xã hội")
    exact = correction(2, TARGETS[1]["name"], "approximate", False, line=3)
    rows, _, _ = apply_corrections(TARGETS, DOCUMENTS, [rename, exact])
    later = correction(1, TARGETS[0]["name"], "unit", "điểm %", line=4)
    gone = correction(1, "X", "unit", "%", source="gone.docx", line=5)
    stale = find_stale_in_outputs(rows, DOCUMENTS, [rename, exact, later, gone])
    assert [(s["line"], s["reason"].split(";")[0]) for s in stale] == [
        (4, "the outputs were written before this correction"),
        (5, "There is no input gone.docx: it was renamed or removed"),
    ]


@pytest.mark.parametrize(
    "low, high, low_inclusive, high_inclusive, comparator",
    [
        (148.0, 148.0, True, True, "="),
        (6.5, 7.0, True, True, "between"),
        (90.0, None, False, None, ">"),
        (4.0, None, True, None, ">="),
        (None, 2.0, None, False, "<"),
        (None, 9.2, None, True, "<="),
        (None, None, None, None, None),
    ],
)
def test_derive_comparator(low, high, low_inclusive, high_inclusive, comparator):
    assert derive_comparator(low, high, low_inclusive, high_inclusive) == comparator
