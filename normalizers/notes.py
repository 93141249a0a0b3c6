"""The codes written to a row's `notes`: whether each makes a row need review, and one line
of meaning in English and in Vietnamese. The report and the docs read this one table."""
from __future__ import annotations

from typing import NamedTuple


class Note(NamedTuple):
    review: bool
    en: str
    vi: str


NOTE_CODES: dict[str, Note] = {
    "agency_inherited": Note(False, "the agency cell is merged with the row above; its agency is used",
                             "ô cơ quan gộp với dòng trên; lấy cơ quan của dòng trên"),
    "agency_inherited_across_page": Note(True, "a blank agency cell at the top of a PDF page is read as the rest of a merged cell cut by the page break",
                                         "ô cơ quan trống ở đầu trang PDF được coi là phần tiếp của ô gộp bị ngắt trang"),
    "target_inherited": Note(False, "the target cell is merged with the row above; its target is used",
                             "ô chỉ tiêu gộp với dòng trên; lấy chỉ tiêu của dòng trên"),
    "declared_count_mismatch": Note(True, "the section title declares a number of targets that differs from its numbered rows",
                                    "số chỉ tiêu ghi ở tiêu đề nhóm khác số dòng có số thứ tự"),
    "missing_target": Note(True, "the row has a unit but no target", "dòng có đơn vị tính nhưng không có chỉ tiêu"),
    "unit_factor_folded": Note(False, "a number in the unit (1.000 tỷ đồng) was multiplied into the values",
                               "số trong đơn vị tính (1.000 tỷ đồng) đã được nhân vào giá trị"),
    "direction_from_trailing_verb": Note(True, "a verb at the end of the name ('… giảm') gave the direction; a single value was read as the level to reach, a range as the change",
                                         "động từ ở cuối tên ('… giảm') cho biết chiều; một giá trị được hiểu là mức cần đạt, một khoảng là mức thay đổi"),
    "text_before_target": Note(True, "words before the target phrase in the target cell were not read",
                               "chữ đứng trước cụm chỉ tiêu trong ô không được đọc"),
    "text_after_target": Note(True, "words after the target phrase were not read", "chữ đứng sau cụm chỉ tiêu không được đọc"),
    "open_from": Note(True, "'từ X' with nothing after it was read as >= X (SPEC 3.1)",
                      "'từ X' không có vế sau được hiểu là >= X"),
    "number_format": Note(True, "a number was read the English way (6.5, 4,400)", "số được đọc theo kiểu tiếng Anh (6.5, 4,400)"),
    "reversed_range": Note(True, "a range written high to low ('7,0 - 6,5') was read low to high",
                           "khoảng viết từ cao xuống thấp ('7,0 - 6,5') được đọc từ thấp lên cao"),
    "operator_with_range": Note(True, "a comparator word stands before a range; the range was kept",
                                "từ so sánh đứng trước một khoảng; giữ khoảng"),
    "unit_mismatch": Note(True, "the unit written with the value differs from the unit column; the column's unit was kept",
                          "đơn vị viết cùng giá trị khác cột đơn vị tính; giữ đơn vị của cột"),
    "several_targets_in_cell": Note(True, "the cell holds more than one number; the first target phrase was read",
                                    "ô có nhiều hơn một số; chỉ đọc cụm chỉ tiêu đầu tiên"),
    "no_target_phrase": Note(True, "the text has numbers but no target phrase the grammar can read",
                             "có số nhưng không đọc được cụm chỉ tiêu"),
    "no_target_heading": Note(True, "no heading names a target list; items with numbers were read one by one as targets",
                              "không có đề mục nêu danh sách chỉ tiêu; từng mục có số được đọc như chỉ tiêu"),
    "year_from_document": Note(False, "the plan year was not in the table header and was taken from the document",
                               "năm kế hoạch không có ở tiêu đề bảng, lấy từ văn bản"),
    "stretch": Note(False, "a second, higher reading of the same indicator ('phấn đấu …')",
                    "mức phấn đấu: lần đọc thứ hai của cùng chỉ tiêu"),
    "restated": Note(False, "a value restated in brackets was not read as a second target",
                     "giá trị nhắc lại trong ngoặc không được đọc thành chỉ tiêu thứ hai"),
    "number_out_of_range": Note(True, "a number too large to hold (300 digits or more) was kept as written, unread",
                                "số quá lớn (từ 300 chữ số) được giữ nguyên văn, không đọc"),
    "part_year": Note(False, "a value for part of the year (6 tháng, quý): kept, never scored against the year's target",
                      "giá trị của một phần năm (6 tháng, quý): được giữ, không đối chiếu với chỉ tiêu cả năm"),
    "bracket_restates_parent": Note(True, "a bracket after a target names the same indicator again: a restated level, or a part",
                                    "ngoặc sau chỉ tiêu nêu lại cùng chỉ tiêu: có thể là mức nhắc lại, không phải chỉ tiêu con"),
    "value_not_read": Note(True, "the item holds more values with a unit than it gave rows: a target may be missing or merged",
                           "mục có nhiều giá trị kèm đơn vị hơn số dòng đọc được: có thể sót hoặc gộp chỉ tiêu"),
    "stated_twice_differs": Note(True, "the same indicator is stated again elsewhere in the document (prose and a Phụ lục table) with another value",
                                 "cùng chỉ tiêu được nêu lại ở chỗ khác trong văn bản (phần lời và bảng phụ lục) với giá trị khác"),
    "outside_target_list": Note(True, "a sentence that reads like a target, outside every list of targets (SPEC §4.2)",
                                "câu có dạng chỉ tiêu nằm ngoài các danh sách chỉ tiêu"),
    "ocr_text": Note(True, "read from a scan by OCR: check the value against the page",
                     "đọc từ bản quét bằng OCR: cần đối chiếu giá trị với trang gốc"),
    "ocr_confidence": Note(False, "written ocr_confidence:0.96: the mean confidence (0–1) Tesseract gave the words of the "
                           "cells or lines the row was read from",
                           "ghi dạng ocr_confidence:0.96: độ tin cậy trung bình (0–1) Tesseract cho các từ của ô hoặc "
                           "dòng mà chỉ tiêu được đọc ra"),
    "ocr_doubtful_text": Note(True, "a cell or line the row was read from was read by OCR with a mean word confidence "
                               "under 0.60: the scan is hard to read there",
                               "một ô hoặc dòng của chỉ tiêu được OCR đọc với độ tin cậy trung bình dưới 0,60: bản quét "
                               "khó đọc ở chỗ đó"),
    "odd_word": Note(True, "a word of the row's name, unit, agency or written target is no Vietnamese syllable: a letter "
                     "the text layer lost or garbled (`triệu đồng/ngườ`)",
                     "một từ trong tên, đơn vị, cơ quan hoặc nội dung chỉ tiêu không phải âm tiết tiếng Việt: lớp chữ "
                     "bị mất hoặc sai chữ (`triệu đồng/ngườ`)"),
    "damaged_text_layer": Note(True, "the document's text still reads as no Vietnamese on some page (legacy codes left after "
                               "conversion, words outside syllable structure): check the row against the page",
                               "lớp chữ của văn bản còn chỗ không đọc được như tiếng Việt (mã phông cũ chưa chuyển, từ sai cấu "
                               "trúc âm tiết): cần đối chiếu dòng với trang gốc"),
    # sanity checks (SPEC 4.1)
    "percent_over_100": Note(True, "a share ('Tỷ lệ …') above 100 %", "tỷ lệ lớn hơn 100%"),
    "bound_like_year": Note(True, "a bound looks like a year (1990–2100)", "giá trị trông giống một năm (1990–2100)"),
    "no_unit": Note(True, "a numeric target without a unit", "chỉ tiêu định lượng không có đơn vị"),
    "number_in_qualitative": Note(True, "a target read as words holds a value-like number: it may be a numeric target",
                                  "chỉ tiêu đọc như định tính nhưng có số giống giá trị: có thể là chỉ tiêu định lượng"),
    "long_name": Note(True, "the name is longer than 30 words: the subject was probably not found",
                      "tên dài hơn 30 từ: có thể chưa tách đúng chủ ngữ"),
    "odd_name": Note(True, "the name is empty, holds a value or a list's item marks or group heading, or starts with a word "
                     "that does not start an indicator",
                     "tên trống, chứa giá trị, số thứ tự mục hoặc tiêu đề nhóm của danh sách, hoặc bắt đầu bằng từ "
                     "không mở đầu một chỉ tiêu"),
}


def status_for(notes, unparsed: bool = False) -> str:
    """ok, review or unparsed: the row's status from its notes."""
    if unparsed:
        return "unparsed"
    codes = (n.split(":", 1)[0] for n in notes)  # a note may carry its value: ocr_confidence:0.96
    return "review" if any(NOTE_CODES[n].review if n in NOTE_CODES else True for n in codes) else "ok"


def markdown_table() -> str:
    """The table of note codes as the README shows it (`python -m normalizers.notes`)."""
    lines = ["| code | review | meaning | ý nghĩa |", "|---|---|---|---|"]
    for code, note in NOTE_CODES.items():
        lines.append(f"| `{code}` | {'yes' if note.review else 'no'} | {note.en} | {note.vi} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
