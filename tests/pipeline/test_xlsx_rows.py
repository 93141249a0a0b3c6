"""targets.xlsx's rows made by pipeline/xlsx_rows.py are XlsxWriter's own, to the byte: the
same tables written with rows made ahead and cell by cell through XlsxWriter give the same
file, whatever the cells hold (escapes, whitespace, control characters, rich-string look-alikes,
numbers, wrapped text that makes a row tall, empty rows, a sheet that goes on in a second one)."""
from __future__ import annotations

import pytest

import chitieu.pipeline.xlsx
import chitieu.pipeline.xlsx_rows
from chitieu.pipeline.schema import INDICATOR_FIELDS, LEFT_OUT_FIELDS, TARGET_FIELDS
from chitieu.pipeline.xlsx import workbook_bytes

TEXTS = ["Tỷ lệ hộ nghèo", " leading space", "trailing space ", "a & b < c > d \"q\" 'q'", "line\nbreak",
         "carriage\rreturn", "tab\there", "_x0041_ looks escaped", "<r>rich</r>", "<r>not rich", "=1+1",
         "-5%", "x" * 300, " ".join(["Chỉ tiêu rất dài"] * 40), "MỘT CHỮ HOA RẤT DÀI " * 12, "", "\ufffe odd",
         "emoji 😀 and ‰"]
NUMBERS = [0.0, -0.0, 1.0, 2026.0, 0.1 + 0.2, 1e20, 1.5e-7, 123456789.125, -42.5, float(2 ** 53)]


def rows(count: int) -> list[dict]:
    made = []
    for i in range(count):
        text = TEXTS[i % len(TEXTS)]
        made.append({"doc_id": f"{i:012x}", "source": f"d{i % 7}.txt", "seq": i + 1, "name": text,
                     "target_text": TEXTS[(i * 5) % len(TEXTS)], "unit": "%" if i % 3 else None,
                     "value_low": NUMBERS[i % len(NUMBERS)], "value_high": None if i % 4 else NUMBERS[(i + 3) % 10],
                     "approximate": bool(i % 2), "status": ("ok", "review", "unparsed")[i % 3],
                     "notes": TEXTS[(i * 3) % len(TEXTS)] if i % 5 else None})
    return made


def both_ways(monkeypatch, tables) -> tuple[bytes, bytes]:
    ahead = workbook_bytes(tables)
    monkeypatch.setattr(chitieu.pipeline.xlsx, "available", lambda worksheet: False)
    cell_by_cell = workbook_bytes(tables)
    return ahead, cell_by_cell


@pytest.mark.parametrize("block", [3, 1024])
def test_rows_made_ahead_are_xlsxwriters_own(monkeypatch, block):
    monkeypatch.setattr(chitieu.pipeline.xlsx_rows, "BLOCK_ROWS", block)  # rows written into the stream at once
    empty_rows = [{} for _ in range(3)]
    tables = [("targets", TARGET_FIELDS, rows(200) + empty_rows + rows(20)),
              ("left_out", LEFT_OUT_FIELDS, [{"source": "a.txt", "text": t, "page": 3, "reason": "note"} for t in TEXTS]),
              ("indicators", INDICATOR_FIELDS, [])]
    ahead, cell_by_cell = both_ways(monkeypatch, tables)
    assert ahead == cell_by_cell


def test_a_sheet_that_goes_on_in_a_second_one_is_the_same_both_ways(monkeypatch):
    monkeypatch.setattr(chitieu.pipeline.xlsx, "MAX_ROWS", 40)
    ahead, cell_by_cell = both_ways(monkeypatch, [("targets", TARGET_FIELDS, rows(100))])
    assert ahead == cell_by_cell


def test_a_rich_string_look_alike_falls_back_to_xlsxwriter():
    from chitieu.pipeline.xlsx_rows import column_letters, row_body

    assert row_body(("<r>rich</r>",), column_letters(1), [False]) is None
    assert row_body(("plain", 1.5), column_letters(2), [False, True]) == (
        '<c r="A\x00" s="\x01" t="inlineStr"><is><t>plain</t></is></c><c r="B\x00" s="\x02"><v>1.5</v></c>')


@pytest.mark.parametrize("first", ["number", "text"])
def test_styles_are_numbered_in_the_order_of_their_first_cells(monkeypatch, first):
    record = {"seq": 1} if first == "number" else {"source": "a.txt"}
    ahead, cell_by_cell = both_ways(monkeypatch, [("targets", TARGET_FIELDS, [record, *rows(5)])])
    assert ahead == cell_by_cell
