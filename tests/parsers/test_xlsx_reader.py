"""The .xlsx reader: the table seed typed into a sheet reads as its .docx reads, and gives
its gold rows; numbers stored as numbers read as a Vietnamese reader sees them."""
from __future__ import annotations

import openpyxl
import pytest

from conftest import RAW, TABLE_SEED
from goldcheck import read_gold
from chitieu.parsers.formats.docx import read_docx
from chitieu.parsers.formats.xlsx import read_xlsx, shown_number
from chitieu.parsers.model import UnreadableDocument
from seedforms import docx_to_xlsx, gold_check, structure


@pytest.fixture(scope="module")
def seed_xlsx(tmp_path_factory):
    return docx_to_xlsx(RAW / f"{TABLE_SEED}.docx", tmp_path_factory.mktemp("xlsx") / f"{TABLE_SEED}.xlsx")


def test_the_seed_sheet_reads_as_its_docx(seed_xlsx):
    assert structure(read_xlsx(seed_xlsx)) == structure(read_docx(RAW / f"{TABLE_SEED}.docx"))


def test_the_seed_sheet_gives_its_gold_rows(seed_xlsx):
    targets, added = gold_check(seed_xlsx, TABLE_SEED)
    assert not added
    assert len(targets) == len(read_gold(TABLE_SEED))


@pytest.mark.parametrize("value,number_format,shown", [
    (6.5, "General", "6,5"),
    (1000, "General", "1.000"),
    (8, "0.0", "8,0"),
    (124, "General", "124"),
    (1234567.891, "#,##0.00", "1.234.567,89"),
    (2.5, "0", "3"),  # Excel rounds a half away from zero
    (0.95, "0%", "95%"),
    (-3.25, "General", "-3,25"),
    (0.1 + 0.2, "General", "0,3"),
    (5, '0.0" %"', "5,0"),  # a literal in the format is not a digit placeholder
])
def test_a_number_reads_as_excel_shows_it_in_vietnamese(value, number_format, shown):
    assert shown_number(value, number_format) == shown


def test_merges_and_several_sheets(tmp_path):
    book = openpyxl.Workbook()
    first = book.active
    first.append(["Kế hoạch năm 2025"])
    first.merge_cells("A1:C1")
    first.append([])
    first.append(["STT", "Chỉ tiêu", "Kế hoạch"])
    first.append(["A", "Kinh tế", None])
    first.merge_cells("B4:C4")
    first.append([1, "Thu ngân sách", 1500])
    first.append([None, "trong đó: thu nội địa", "1.200"])  # a number typed as text stays as typed
    first.merge_cells("A5:A6")
    second = book.create_sheet("Xã hội")
    second.append(["STT", "Chỉ tiêu", "Kế hoạch"])
    second.append([1, "Tỷ lệ hộ nghèo", 0.015])
    second["C2"].number_format = "0.0%"
    hidden = book.create_sheet("tra cứu")
    hidden.append(["x", "y"])
    hidden.sheet_state = "hidden"
    path = tmp_path / "plan.xlsx"
    book.save(path)

    doc = read_xlsx(path)
    assert [l.text for l in doc.lines] == ["Kế hoạch năm 2025"]
    grids = structure(doc)[1]
    assert grids[0] == [
        [("STT", 1, False), ("Chỉ tiêu", 1, False), ("Kế hoạch", 1, False)],
        [("A", 1, False), ("Kinh tế", 2, False)],
        [("1", 1, False), ("Thu ngân sách", 1, False), ("1.500", 1, False)],
        [("", 1, True), ("trong đó: thu nội địa", 1, False), ("1.200", 1, False)],
    ]
    assert grids[1] == [[("STT", 1, False), ("Chỉ tiêu", 1, False), ("Kế hoạch", 1, False)],
                        [("1", 1, False), ("Tỷ lệ hộ nghèo", 1, False), ("1,5%", 1, False)]]
    assert doc.tables[0].after_line == 1 and doc.tables[1].after_line == 1
    assert doc.notes == ("xlsx_hidden_sheet_skipped:tra cứu",)


@pytest.mark.parametrize("content,says", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old Excel .xls or a password-protected"),
    (b"STT\tChi tieu\n", "not an Excel .xlsx workbook"),
])
def test_a_file_that_is_not_a_workbook_says_what_it_is(tmp_path, content, says):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnreadableDocument, match=says):
        read_xlsx(path)


def test_a_docx_named_xlsx_says_so(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes((RAW / f"{TABLE_SEED}.docx").read_bytes())
    with pytest.raises(UnreadableDocument, match=r"a Word document \(.docx\)"):
        read_xlsx(path)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_a_sheet_typed_in_a_legacy_font_gives_its_gold_rows(seed_xlsx, encoding, tmp_path):
    """Each cell converted by its own font (issue 22: TCVN3 and VNI in xlsx)."""
    from chitieu.parsers.formats.xlsx import read_xlsx
    from legacyforms import retype_xlsx

    path = retype_xlsx(seed_xlsx, tmp_path / f"{TABLE_SEED}.xlsx", encoding)
    doc = read_xlsx(path)
    assert doc.text_layer == "legacy_font_converted" and f"legacy_encoding:{encoding}" in doc.notes
    targets, added = gold_check(path, TABLE_SEED)
    assert not added and len(targets) == len(read_gold(TABLE_SEED))
