"""The output tables' columns, in order, with their types and meanings (SPEC §2).

This is the one place that names the columns: the CSV/Parquet writer, the Data Package
descriptor and the report all read it.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # "string" | "integer" | "number" | "boolean"
    description: str


# The columns every row table shares: which file, and where in it.
_DOC_ID = Field("doc_id", "string", "First 12 hex digits of the SHA-256 of the input file's bytes.")
_SOURCE = Field("source", "string", "Path of the input file relative to raw/, with '/'.")
_PAGE = Field("page", "integer", "1-based PDF page; null for other formats.")
_LOCATION = Field("location", "string", "Where a person finds it: 'table 1, row 14' or 'line 57'.")
_WHERE = (_DOC_ID, _SOURCE, _PAGE, _LOCATION)  # the file and the place in it of a value or a passage


TARGET_FIELDS: tuple[Field, ...] = (
    _DOC_ID,
    _SOURCE,
    Field("year", "integer", "The plan year the targets are for; in a term plan, the year a target names, else null."),
    Field("period", "string", "The plan period of a term plan ('2026-2030'); null for a yearly plan."),
    Field("seq", "integer", "1, 2, 3 … in reading order within the document."),
    Field("section", "string", "Section label as printed (I, II …); null where the document has none."),
    Field("section_title", "string", "Section title, without its declared count '(05 chỉ tiêu)'."),
    Field("number", "string", "The row's STT as printed; null for unnumbered sub-rows and prose."),
    Field("parent_seq", "integer", "seq of the row this one is a sub-target of, else null."),
    Field("name", "string", "The indicator's name, cleaned (NFC, single spaces, no trailing linking word)."),
    Field("unit", "string", "Normalized unit; null where none."),
    Field("unit_raw", "string", "The unit as written (ĐVT cell, or the unit word in the phrase)."),
    Field("target_type", "string", "numeric, completion, qualitative or none (a heading row without a target)."),
    Field("value_low", "number", "Lower bound in unit; null if unbounded below."),
    Field("value_high", "number", "Upper bound in unit; null if unbounded above."),
    Field("low_inclusive", "boolean", "Whether value_low is included; null where value_low is null."),
    Field("high_inclusive", "boolean", "Whether value_high is included; null where value_high is null."),
    Field("comparator", "string", "=, between, >, >=, <, <= derived from the bounds; null unless numeric."),
    Field("approximate", "boolean", "The target is approximate (khoảng, gần, xấp xỉ, trên dưới)."),
    Field("measure", "string", "level or change (an increase/decrease of the indicator); null unless numeric."),
    Field("direction", "string", "increase, decrease, maintain, or null."),
    Field("reference_year", "integer", "The 'so với năm YYYY' year, else null."),
    Field("target_text", "string", "The target as written, whitespace-normalized."),
    Field("agency", "string", "Responsible agency; a merged (blank) agency cell inherits from the row above."),
    _PAGE,
    _LOCATION,
    Field("status", "string", "ok, review (parsed, but a rule had to guess) or unparsed (raw text kept, values null)."),
    Field("notes", "string", "';'-separated codes saying what was guessed or inherited."),
    Field("indicator_id", "string", "The indicator this target measures (indicators.indicator_id): the same id in every document and year of one jurisdiction; null for a row without a target."),
)

DOCUMENT_FIELDS: tuple[Field, ...] = (
    _DOC_ID,
    _SOURCE,
    Field("sha256", "string", "SHA-256 of the input file's bytes."),
    Field("format", "string", "txt, docx, pdf, or the file's extension when it is not supported."),
    Field("layout", "string", "table, prose or mixed; null when the document could not be read."),
    Field("year", "integer", "The plan year of the document."),
    Field("title", "string", "The document's title."),
    Field("date", "string", "The date the document was adopted or signed (YYYY-MM-DD), where it says."),
    Field("issuer", "string", "The issuing body as printed ('HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG NGÃI'), where the document says."),
    Field("jurisdiction", "string", "The province or city ('Quảng Ngãi', 'TP. Hồ Chí Minh'), or 'Việt Nam' for national bodies; null when the document does not say."),
    Field("doc_number", "string", "The document's number as printed ('78/NQ-HĐND')."),
    Field("kind", "string", "nghị quyết, kế hoạch, quyết định, báo cáo, chỉ thị …"),
    Field("period", "string", "The plan period of a term plan ('2021-2025'); a term plan's year is null."),
    Field("text_layer", "string", "Where the text came from: ok, ocr, legacy_font_converted or damaged."),
    Field("pages", "integer", "Number of PDF pages; null for other formats."),
    Field("targets", "integer", "Number of target rows from this document."),
    Field("review", "integer", "Number of its rows with status review."),
    Field("unparsed", "integer", "Number of its rows with status unparsed."),
    Field("numbers_seen", "integer", "Paragraphs and table rows that carry a value-like number (not only years, dates or documents' numbers) (SPEC §4.2); null when the file could not be read."),
    Field("numbers_read", "integer", "Of them, those that gave a target or an actual; the rest are in left_out with their reason."),
    Field("status", "string", "ok, failed, or skipped (not a supported format)."),
    Field("error", "string", "One readable sentence: what is wrong with the file and what to do."),
)

_ID = "12 hex digits of the SHA-256 of the jurisdiction, the indicator's canonical key and its unit; stable across runs and batches."

ACTUAL_FIELDS: tuple[Field, ...] = (
    *_WHERE,
    Field("seq", "integer", "1, 2, 3 … in reading order among the document's actuals."),
    Field("target_seq", "integer", "seq of the targets row on the same table row, else null."),
    Field("indicator_id", "string", "The indicator this value measures (indicators.indicator_id)."),
    Field("name", "string", "The indicator's name as printed, cleaned."),
    Field("unit", "string", "Normalized unit; null where none."),
    Field("unit_raw", "string", "The unit as written."),
    Field("year", "integer", "The year the value is for ('Ước thực hiện năm 2024' → 2024)."),
    Field("kind", "string", "actual (Thực hiện), estimate (Ước thực hiện, ước đạt) or plan (an earlier year's Kế hoạch column, or a plan quoted beside an actual)."),
    Field("target_type", "string", "numeric, completion (Hoàn thành, Đạt) or qualitative."),
    Field("value_low", "number", "Lower bound in unit; null if unbounded below."),
    Field("value_high", "number", "Upper bound in unit; null if unbounded above."),
    Field("low_inclusive", "boolean", "Whether value_low is included; null where value_low is null."),
    Field("high_inclusive", "boolean", "Whether value_high is included; null where value_high is null."),
    Field("comparator", "string", "=, between, >, >=, <, <= derived from the bounds; null unless numeric."),
    Field("approximate", "boolean", "The value is approximate (khoảng, gần, xấp xỉ, trên dưới); 'ước' makes an estimate, not an approximation."),
    Field("measure", "string", "level or change (an increase/decrease of the indicator); null unless numeric."),
    Field("direction", "string", "increase, decrease, maintain, or null."),
    Field("value_text", "string", "The cell or phrase as written."),
    Field("stated_verdict", "string", "The document's own verdict on this value as printed (an 'Đánh giá' column: Đạt, Vượt, Không đạt, Xấp xỉ đạt); null where it states none."),
    Field("status", "string", "ok, review or unparsed, as in targets."),
    Field("notes", "string", "';'-separated codes saying what was guessed."),
)

INDICATOR_FIELDS: tuple[Field, ...] = (
    Field("indicator_id", "string", _ID),
    Field("jurisdiction", "string", "The province or city of the documents it is read from (documents.jurisdiction); null when they do not say."),
    Field("name", "string", "The most frequent printed name."),
    Field("unit", "string", "Its unit (the most frequent printed one; units that differ after folding are different indicators)."),
    Field("names", "string", "Every printed name, '|'-separated, in alphabetical order."),
    Field("documents", "integer", "Number of documents that name it."),
    Field("first_year", "integer", "The first year of a target or value of it."),
    Field("last_year", "integer", "The last year of a target or value of it."),
)

SCORECARD_FIELDS: tuple[Field, ...] = (
    Field("indicator_id", "string", _ID),
    Field("jurisdiction", "string", "As in indicators."),
    Field("name", "string", "The name the target is printed under in target_doc (indicators.name is the indicator's most frequent name)."),
    Field("unit", "string", "The indicator's unit."),
    Field("year", "integer", "The year of the target and of the value it is held against."),
    Field("target", "string", "The target in plain notation ('6,5 – 7,0 %')."),
    Field("target_doc", "string", "doc_id of the document the target is from (the latest that sets one)."),
    Field("target_seq", "integer", "seq of the target in that document."),
    Field("actual", "number", "The value reached, where it is one number; null for a text value ('Hoàn thành') or a range."),
    Field("actual_text", "string", "The value as written."),
    Field("actual_kind", "string", "actual or estimate: an actual beats an estimate, then the latest document wins."),
    Field("actual_doc", "string", "doc_id of the document the value is from."),
    Field("actual_location", "string", "Where that document reports it."),
    Field("verdict", "string", "met, not_met or unknown (a qualitative target, units or measures that differ, a range or estimate where a completion is needed)."),
    Field("margin", "number", "How far the value is past the deciding bound in the promised direction, in the unit (SPEC §2.1); null when unknown."),
    Field("stated_verdict", "string", "The verdict the document states beside the value, as printed (NFC, trimmed); null where it states none."),
    Field("note", "string", "What the reader should know: the target is a plan the report quotes; the stated verdict disagrees with the verdict."),
)

LEFT_OUT_FIELDS: tuple[Field, ...] = (
    *_WHERE,
    Field("reason", "string", "Why its numbers gave no row (SPEC §4.2): preamble, general objective, review of the past, task, assignment, funding, note, not a target heading, or 'in a target list, not read' (a part that names targets whose text no rule read: look at these first)."),
    Field("text", "string", "The paragraph or the table row's cells ('|'-separated), cut at 300 characters."),
)

ACTUAL_COLUMNS = tuple(f.name for f in ACTUAL_FIELDS)
INDICATOR_COLUMNS = tuple(f.name for f in INDICATOR_FIELDS)
SCORECARD_COLUMNS = tuple(f.name for f in SCORECARD_FIELDS)
TARGET_COLUMNS = tuple(f.name for f in TARGET_FIELDS)
DOCUMENT_COLUMNS = tuple(f.name for f in DOCUMENT_FIELDS)
