"""The codes written to a row's `notes`, what each means, and which make a row need review."""
from __future__ import annotations

# code: (needs review, what it says)
NOTE_CODES: dict[str, tuple[bool, str]] = {
    "agency_inherited": (False, "the agency cell is merged with the row above; its agency is used"),
    "agency_inherited_across_page": (True, "a blank agency cell at the top of a PDF page is read as the rest of a merged cell cut by the page break"),
    "target_inherited": (False, "the target cell is merged with the row above; its target is used"),
    "declared_count_mismatch": (True, "the section title declares a number of targets that differs from its numbered rows"),
    "missing_target": (True, "the row has a unit but no target"),
    "unit_factor_folded": (False, "a number in the unit (1.000 tỷ đồng) was multiplied into the values"),
    "direction_from_trailing_verb": (True, "a verb at the end of the name ('… giảm') was read as the level to reach, not a change"),
    "text_before_target": (True, "words before the target phrase in the target cell were not read"),
    "text_after_target": (True, "words after the target phrase were not read"),
    "from_without_end": (True, "'từ X' with no 'trở lên'/'trở xuống'/'đến' was read as >= X"),
    "decimal_point": (True, "a number with '.' that cannot group thousands was read with '.' as the decimal mark"),
    "operator_with_range": (True, "a comparator word stands before a range; the range was kept"),
    "unit_mismatch": (True, "the unit written with the value differs from the unit column; the column's unit was kept"),
    "several_targets_in_cell": (True, "the cell holds more than one number; the first target phrase was read"),
    "no_target_phrase": (True, "the text has numbers but no target phrase the grammar can read"),
    "no_target_heading": (True, "the resolution has no 'chỉ tiêu chủ yếu' heading; its bullets with numbers were read as targets"),
    "year_from_document": (False, "the plan year was not in the table header and was taken from the document"),
}


def status_for(notes, unparsed: bool = False) -> str:
    """ok, review or unparsed: the row's status from its notes."""
    if unparsed:
        return "unparsed"
    return "review" if any(NOTE_CODES.get(n, (True, ""))[0] for n in notes) else "ok"
