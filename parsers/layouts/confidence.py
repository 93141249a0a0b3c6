"""How surely a row's words were read. OCR: the mean word confidence of the cells of its table
row, or of its line and the lines it runs on to (a statement wraps), as a reader of a scan is
told it; the layouts read rows from the lines and cells, and this goes back to them by the
row's location, so that no layout has to carry confidences along. A text layer: a word of the
row's name, unit, agency or written target that is no Vietnamese syllable (a letter a PDF
writer lost or a fallback font wrapped off: `triệu đồng/ngườ`; OCR's `theu` for `theo`) marks
it for review."""
from __future__ import annotations

import re

from ..model import RawDocument, TargetRow

_TABLE_ROW = re.compile(r"table (\d+), row (\d+)$")
_LINE = re.compile(r"\w+ (\d+)$")
_WRAPS = 8  # lines a statement may run on to after its first


def _sources(doc: RawDocument) -> tuple[dict, dict]:
    tables = {(t.index, r.index): r for t in doc.tables for r in t.rows}
    lines = {l.number: l for l in doc.lines}
    return tables, lines


def row_confidences(rows, doc: RawDocument) -> dict[int, tuple[float, float]]:
    """For each row (by seq) read from OCR text: the mean and the lowest confidence (0–1) of
    the cells or lines it came from."""
    tables, lines = _sources(doc)
    found = {}
    for row in rows:
        values = []
        if m := _TABLE_ROW.match(row.location):
            source = tables.get((int(m.group(1)), int(m.group(2))))
            values = [c.confidence for c in source.cells if c.confidence is not None] if source else []
        elif m := _LINE.match(row.location):
            first = int(m.group(1))
            for number in range(first, first + _WRAPS + 1):
                line = lines.get(number)
                if line is None or (number > first and line.marker):
                    break
                if line.confidence is not None:
                    values.append(line.confidence)
        if values:
            found[row.seq] = (round(sum(values) / len(values), 2), min(values))
    return found


def confidence_notes(rows: list[TargetRow], doc: RawDocument) -> list[TargetRow]:
    """Rows read by OCR with their confidence in their notes: `ocr_confidence:0.96` (the mean
    word confidence of what they came from), and `ocr_doubtful_text` where a cell or line of
    them was read with a mean under LOW_CONFIDENCE. Every OCR row is for review (`ocr_text`):
    a sure reading is no proof (`dần sự` for `dân sự` at 0.93, a digit misread at 0.77)."""
    from dataclasses import replace

    from ..formats.ocr_words import LOW_CONFIDENCE

    found = row_confidences(rows, doc)
    out = []
    for row in rows:
        if row.seq in found:
            mean, lowest = found[row.seq]
            extra = (f"ocr_confidence:{mean:.2f}",) + (("ocr_doubtful_text",) if lowest < LOW_CONFIDENCE else ())
            row = replace(row, notes=row.notes + extra)
        out.append(row)
    return out


def odd_word_notes(rows: list[TargetRow], ocr: bool = False) -> list[TargetRow]:
    """Rows with a word that is no Vietnamese syllable in what they say, noted `odd_word`
    (read by OCR, small ASCII words too: `GRDP theu giá` for `theo`)."""
    from dataclasses import replace

    from ..formats.syllables import odd_word, words_of

    out = []
    for row in rows:
        said = [row.name, row.target.unit_raw or "", row.agency or ""]
        if row.target.kind in ("completion", "qualitative"):
            said.append(row.target.text)
        if any(odd_word(w, plain=ocr) for text in said for w in words_of(text)):
            row = replace(row, notes=row.notes + ("odd_word",))
        out.append(row)
    return out
