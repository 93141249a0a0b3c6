"""Each row read by OCR says how surely its words were read: the mean confidence of the cells of
its table row or of its line and the lines it wraps onto; a doubtful one is marked for review."""
from __future__ import annotations

from chitieu.normalizers.notes import status_for
from chitieu.normalizers.targets import parse_target
from chitieu.parsers.layouts.confidence import confidence_notes
from chitieu.parsers.model import Cell, Line, RawDocument, Row, Table, TargetRow


def _row(seq, location):
    return TargetRow(seq, "Tỷ lệ hộ nghèo", parse_target("1,5", unit="%"), location, notes=("ocr_text",))


DOC = RawDocument(
    "pdf", text_layer="ocr",
    tables=(Table((Row((Cell("1", confidence=0.96), Cell("Tỷ lệ", confidence=0.90), Cell("")), 1),
                   Row((Cell("2", confidence=0.97), Cell("Tỷ lệ", confidence=0.41)), 2)), 1),),
    lines=(Line("Tỷ lệ hộ nghèo giảm", 1, 1, marker="-", confidence=0.94), Line("1,5%.", 2, 1, confidence=0.98),
           Line("Tỷ lệ che phủ", 3, 1, marker="-", confidence=0.50)))


def test_a_table_row_has_the_mean_of_its_cells():
    row, = confidence_notes([_row(1, "table 1, row 1")], DOC)
    assert row.notes == ("ocr_text", "ocr_confidence:0.93")


def test_a_statement_has_the_mean_of_the_lines_it_wraps_onto():
    row, = confidence_notes([_row(1, "line 1")], DOC)
    assert row.notes == ("ocr_text", "ocr_confidence:0.96")


def test_a_doubtful_cell_or_line_marks_the_row():
    rows = confidence_notes([_row(1, "table 1, row 2"), _row(2, "line 3")], DOC)
    assert [r.notes[-1] for r in rows] == ["ocr_doubtful_text", "ocr_doubtful_text"]


def test_the_confidence_note_alone_makes_no_review():
    assert status_for(["ocr_confidence:0.97"]) == "ok" and status_for(["ocr_confidence:0.97", "ocr_text"]) == "review"


def test_a_row_with_a_word_that_is_no_syllable_is_for_review():
    from chitieu.parsers.layouts.confidence import odd_word_notes

    wrapped = TargetRow(1, "GRDP bình quân đầu người", parse_target("148", unit="triệu đồng/ngườ"), "table 1, row 4")
    clean = TargetRow(2, "Diện tích nhà ở bình quân", parse_target("25", unit="m²/người"), "table 1, row 5",
                      agency="Sở Xây dựng")
    rows = odd_word_notes([wrapped, clean])
    assert [r.notes for r in rows] == [("odd_word",), ()] and rows[0].status == "review"


def test_an_ocr_row_with_a_garbled_plain_word_says_so():
    from chitieu.parsers.layouts.confidence import odd_word_notes

    row = TargetRow(1, "GRDP theu giá so sánh", parse_target("7", unit="%"), "line 3", notes=("ocr_text",))
    assert odd_word_notes([row], ocr=True)[0].notes == ("ocr_text", "odd_word")
    assert odd_word_notes([row])[0].notes == ("ocr_text",)  # in a text layer a small ASCII word may be English
