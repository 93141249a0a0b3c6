"""The writers: CSV and Parquet a batch of records at a time, and staged outputs that are
renamed into place together or not at all."""
from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chitieu.pipeline.schema import Field
from chitieu.pipeline.writers import CsvWriter, ParquetWriter, StagedFiles, csv_bytes, csv_value, parquet_bytes

FIELDS = (
    Field("name", "string", ""),
    Field("seq", "integer", ""),
    Field("value_low", "number", ""),
    Field("approximate", "boolean", ""),
)

RECORDS = [
    {"name": "Tốc độ tăng trưởng GRDP", "seq": 1, "value_low": 6.5, "approximate": False},
    {"name": "Tỷ lệ hộ nghèo, dạng \"đa chiều\"", "seq": 2, "value_low": None, "approximate": True},
    {"name": None, "seq": 3, "value_low": 124000.0, "approximate": None},
    {"name": "Thu nhập bình quân", "seq": 4, "value_low": 0.1, "approximate": False},
    {"name": "Số bác sĩ/vạn dân", "seq": 5, "value_low": -2.0, "approximate": False},
    {"name": "Tuổi thọ", "seq": 6, "value_low": 74.5, "approximate": True},
    {"name": "Tỷ lệ đô thị hoá", "seq": 7, "value_low": 1e20, "approximate": False},
]


def write_parquet(batches: list[list[dict]], rows_per_group: int) -> bytes:
    buffer = io.BytesIO()
    writer = ParquetWriter(buffer, FIELDS, rows_per_group=rows_per_group)
    for batch in batches:
        writer.write(batch)
    writer.close()
    return buffer.getvalue()


def split(records: list[dict], cuts: list[int]) -> list[list[dict]]:
    bounds = [0, *sorted(c % (len(records) + 1) for c in cuts), len(records)]
    return [records[a:b] for a, b in zip(bounds, bounds[1:])]


@pytest.mark.parametrize(("value", "kind", "text"), [
    (None, "string", ""), (True, "boolean", "true"), (False, "boolean", "false"),
    (7.0, "number", "7"), (6.5, "number", "6.5"), (1e20, "number", "1e+20"), (3, "integer", "3"),
])
def test_csv_value_writes_spec_notation(value, kind, text):
    assert csv_value(value, kind) == text


def test_csv_has_a_bom_a_header_and_one_line_per_record():
    data = csv_bytes(RECORDS, FIELDS)
    assert data.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r["name"] for r in rows] == [r["name"] or "" for r in RECORDS]
    assert rows[1]["value_low"] == "" and rows[2]["value_low"] == "124000"


def test_csv_written_in_batches_is_the_same_as_at_once():
    buffer = io.BytesIO()
    writer = CsvWriter(buffer, FIELDS)
    for batch in split(RECORDS, [2, 3, 3]):
        writer.write(batch)
    writer.close()
    assert buffer.getvalue() == csv_bytes(RECORDS, FIELDS)


def test_parquet_row_groups_have_the_fixed_size_and_keep_every_record():
    data = write_parquet(split(RECORDS, [1, 5]), rows_per_group=3)
    file = pq.ParquetFile(io.BytesIO(data))
    groups = [file.metadata.row_group(i).num_rows for i in range(file.metadata.num_row_groups)]
    assert groups == [3, 3, 1]
    assert file.read().to_pylist() == RECORDS


@settings(max_examples=30, deadline=None)
@given(cuts=st.lists(st.integers(0, len(RECORDS)), max_size=5), group=st.integers(1, 8))
def test_parquet_bytes_do_not_depend_on_how_records_arrive(cuts, group):
    """Documents come one at a time: the same records must give the same file however
    they are batched (stable output)."""
    assert write_parquet(split(RECORDS, cuts), group) == write_parquet([RECORDS], group)


def test_an_empty_table_still_has_its_columns():
    table = pq.read_table(io.BytesIO(parquet_bytes([], FIELDS)))
    assert table.num_rows == 0 and table.column_names == [f.name for f in FIELDS]


def test_staged_files_appear_together_on_commit(tmp_path):
    (tmp_path / "a.csv").write_text("old")
    with StagedFiles(tmp_path) as staged:
        staged.write("a.csv", b"new a")
        staged.open("b.csv").write(b"new b")
        assert (tmp_path / "a.csv").read_text() == "old" and not (tmp_path / "b.csv").exists()
        placed = staged.commit()
    assert placed == {"a.csv": tmp_path / "a.csv", "b.csv": tmp_path / "b.csv"}
    assert (tmp_path / "a.csv").read_bytes() == b"new a" and (tmp_path / "b.csv").read_bytes() == b"new b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]


def test_staged_files_left_without_commit_leave_the_old_files_and_no_trace(tmp_path):
    (tmp_path / "a.csv").write_text("old")
    with pytest.raises(KeyboardInterrupt):
        with StagedFiles(tmp_path) as staged:
            staged.write("a.csv", b"new a")
            staged.write("b.csv", b"new b")
            raise KeyboardInterrupt
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]
    assert (tmp_path / "a.csv").read_text() == "old"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "name": st.none() | st.text(alphabet=st.characters(blacklist_categories=("Cs",))),
    "seq": st.integers(-(2 ** 63), 2 ** 63 - 1),
    "value_low": st.none() | st.floats(allow_nan=False, allow_infinity=False),
    "approximate": st.none() | st.booleans(),
}), min_size=1, max_size=6))
def test_parquet_keeps_every_value_exactly(records):
    """Empty text stays apart from a missing one, floats keep every bit, integers their range,
    whatever the characters (the records reach Arrow through its JSON reader)."""
    assert pq.read_table(io.BytesIO(parquet_bytes(records, FIELDS))).to_pylist() == records


def test_parquet_reads_a_record_larger_than_arrow_s_default_block():
    record = {"name": "chỉ tiêu " * 300_000, "seq": 1, "value_low": float("inf"), "approximate": True}
    [back] = pq.read_table(io.BytesIO(parquet_bytes([record], FIELDS))).to_pylist()
    assert back == record | {"value_low": None}  # a non-finite number is no number


@settings(max_examples=80, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "name": st.none() | st.text() | st.sampled_from(["=1+1", "+84", "-5%", "@x", "\tA", "'quoted"]),
    "seq": st.integers(-10 ** 6, 10 ** 6),
    "value_low": st.none() | st.floats(allow_nan=True, allow_infinity=True),
    "approximate": st.none() | st.booleans(),
}), max_size=5))
def test_a_csv_row_is_csv_value_of_each_field(records):
    """A CSV reader gets back exactly what csv_value says of each cell, one row per record,
    whatever a text holds (a lone CR, NUL, quotes: issue 19); lines end in LF."""
    text = csv_bytes(records, FIELDS).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [[f.name for f in FIELDS]] + [[csv_value(r[f.name], f.type) for f in FIELDS] for r in records]
    assert text.endswith("\n")
