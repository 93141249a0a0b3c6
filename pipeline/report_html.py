"""The report's HTML: the overview page (counts, documents, filters, one placeholder section
per document) and each document's rows as a small script file the page loads on demand.

The page is laid out by Jinja2 templates in `report_assets/` (page.html.j2, documents.html.j2),
package data beside the stylesheet and the script. This module prepares the plain values
they lay out; the templates escape every one of them, so a document's text is never markup.
Everything the user reads is Vietnamese; note codes are explained from
`normalizers.notes.NOTE_CODES`.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from types import SimpleNamespace as Values
from typing import TextIO

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..normalizers.notes import NOTE_CODES
from ..pipeline.corrections import NOT_CORRECTABLE, format_value
from ..pipeline.report_data import STATUSES, format_reading, location_vi
from ..pipeline.schema import TARGET_FIELDS

STATUS_VI = {"ok": "ổn", "review": "cần xem lại", "unparsed": "chưa đọc được"}
DOC_STATUS_VI = {"ok": "đã đọc", "failed": "không đọc được", "skipped": "bỏ qua"}
# Why a paragraph's numbers gave no row (left_out.reason, SPEC §4.2), in the report's words;
# the first is a miss to look at, the others are parts that hold no targets.
LEFT_OUT_VI = {
    "in a target list, not read": "trong danh sách chỉ tiêu nhưng chưa đọc được",
    "not a target heading": "không thuộc đề mục chỉ tiêu",
    "preamble": "phần căn cứ",
    "general objective": "mục tiêu tổng quát, mục đích, quan điểm",
    "review of the past": "đánh giá kết quả đã qua",
    "task": "nhiệm vụ, giải pháp",
    "assignment": "tổ chức thực hiện, phân công",
    "funding": "kinh phí",
    "note": "ghi chú",
}
# A document's facts, as its section lists them: (label, documents column).
FACT_LABELS = (("định dạng", "format"), ("bố cục", "layout"), ("năm", "year"), ("số trang", "pages"))
NUMBERS_READ_VI = "đoạn có số đã đọc"
SUMMARY_HEADINGS = (("Văn bản", "30%"), ("Định dạng", "7%"), ("Năm", "6%"), ("Chỉ tiêu", "7%"),
                    ("Cần xem lại", "8%"), ("Chưa đọc được", "8%"), ("Trạng thái", "20%"), ("Tỉ lệ", "14%"))
# (heading, width at any window size): every column keeps a share of the page, so long text
# wraps inside its cell instead of pushing columns off-screen.
TARGET_HEADINGS = (("STT", "3.5%"), ("Mục", "3.5%"), ("Số", "3.5%"), ("Tên chỉ tiêu", "17%"),
                   ("Chỉ tiêu như văn bản ghi", "13%"), ("Cách đọc", "11%"), ("Cơ quan", "10%"),
                   ("Nguồn", "8%"), ("Trạng thái", "6.5%"), ("Ghi chú", "16%"), ("Sửa", "8%"))
STALE_HEADINGS = ("Dòng", "Văn bản", "STT", "Tên chỉ tiêu", "Trường", "Giá trị", "Vì sao không áp dụng",
                  "Ghi chú")
# A document's rows as the page gets them: every target column a correction may need, the
# reading and the place in Vietnamese (doc_id, source and comparator are not needed).
ROW_COLUMNS = tuple(f.name for f in TARGET_FIELDS if f.name not in ("doc_id", "source", "comparator")) + (
    "reading", "where")
CORRECTABLE = tuple(f.name for f in TARGET_FIELDS if f.name not in NOT_CORRECTABLE)
# Codes written outside normalizers/notes.py, with their meaning (the table there wins).
EXTRA_NOTES = {"number_out_of_range": "số quá lớn để lưu; giá trị để trống"}


@cache
def templates() -> Environment:
    """The report's templates, read from the package's own report_assets/ (an installed wheel
    holds them there too). Every value a template prints is escaped (all of them write HTML,
    or SVG inside it); a name a template uses but is not given is an error, not an empty
    string; None prints as nothing, as an empty cell."""
    env = Environment(loader=PackageLoader(__package__, "report_assets"), autoescape=True,
                      undefined=StrictUndefined, finalize=lambda value: "" if value is None else value,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["thousands"] = thousands
    # |tojson writes JSON for a <script> element: '<', '>', '&' and "'" as \u escapes; Vietnamese as is
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
    return env


@cache
def asset(name: str) -> str:
    return files(__package__).joinpath("report_assets", name).read_text(encoding="utf-8")


def thousands(number: int) -> str:
    """A count in Vietnamese notation: '.' between thousands.

    >>> thousands(1600), thousands(7)
    ('1.600', '7')
    """
    return f"{number:,}".replace(",", ".")


# --- a document's rows, as the script file the page loads -------------------------------


def document_script(source: str, rows: Sequence[dict]) -> bytes:
    """One document's rows as a script calling `chitieu.load` (a <script src> loads from disk,
    where fetch() may not)."""
    data = {"source": source, "cols": ROW_COLUMNS, "rows": [_row_values(row) for row in rows]}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return f"chitieu.load({text});\n".encode("utf-8")


def _row_values(row: dict) -> list:
    extra = {"reading": format_reading(row), "where": location_vi(row)}
    return [extra[c] if c in extra else row.get(c) for c in ROW_COLUMNS]


# --- the overview page --------------------------------------------------------------------


def write_page(page: TextIO, docs: Sequence[dict], statuses: Counter, stale: Sequence[dict],
               overview_sections: Sequence[Markup], raw_href: str, eager_rows: int) -> None:
    """Write the overview page to `page`, a piece at a time. `docs` are the documents' facts in
    source order, each with its row `counts`, `left_out` rows and rows `file`."""
    meanings = EXTRA_NOTES | {code: note.vi for code, note in NOTE_CODES.items()}
    values = {
        # our own stylesheet and script, package files: inserted as they are, never data
        "style": Markup(asset("report.css")), "script": Markup(asset("report.js")),
        "raw_href": raw_href, "eager_rows": eager_rows,
        "counts": {"targets": statuses.total(), "review": statuses["review"], "unparsed": statuses["unparsed"],
                   "failed": sum(1 for d in docs if d.get("status") not in (None, "ok"))},
        "overview_sections": overview_sections,
        "statuses": [(s, STATUS_VI[s]) for s in STATUSES],
        "documents": DocumentViews(docs),
        "summary_headings": SUMMARY_HEADINGS, "target_headings": TARGET_HEADINGS,
        "note_meanings": meanings, "correctable": CORRECTABLE,
        "legend": [(code, text, code in NOTE_CODES and NOTE_CODES[code].review)
                   for code, text in sorted(meanings.items())],
        "stale_headings": STALE_HEADINGS, "stale": [_stale_cells(s) for s in stale],
    }
    page.writelines(templates().get_template("page.html.j2").generate(values))


class DocumentViews:
    """What the page shows of each document, made again each time the page goes over them (three
    times), from `docs` however they are kept: the views of a large batch are never all held."""

    def __init__(self, docs: Sequence[dict]):
        self._docs = docs

    def __len__(self) -> int:
        return len(self._docs)

    def __iter__(self):
        return (document_view(index, doc) for index, doc in enumerate(self._docs, 1))


def document_view(index: int, doc: dict) -> Values:
    """What the summary table's row and the section of one document show. (Values with
    attributes, not dicts: a template reads an attribute at once, a key after a miss.)"""
    counts: Counter = doc["counts"]
    total = counts.total()
    status = doc.get("status") or ""
    facts = [f"{label} {doc[key]}" for label, key in FACT_LABELS if doc.get(key) is not None]
    if doc.get("numbers_seen"):
        facts.append(f'{_text(doc.get("numbers_read"))}/{doc["numbers_seen"]} {NUMBERS_READ_VI}')
    if status:
        facts.append(DOC_STATUS_VI.get(status, status))
    return Values(
        index=index, source=doc["source"], title=doc.get("title"), file=doc.get("file"),
        format=doc.get("format"), year=doc.get("year"), status=status,
        status_vi=DOC_STATUS_VI.get(status, status), error=doc.get("error"), facts=facts,
        total=total, review=counts["review"], unparsed=counts["unparsed"],
        counts=[(s, counts[s]) for s in STATUSES], bar=share_bar(counts),
        # room the section takes before its rows load, so the page does not jump
        height=80 + 34 * total, rows_height=f"{2.2 * total:.1f}",
        left_out=left_out_view(doc.get("left_out") or ()),
    )


def share_bar(counts: Counter) -> Values:
    """The shares of ok / review / unparsed rows, as widths in percent (none without rows)."""
    total = counts.total()
    if not total:
        return Values(title=None, parts=[])
    return Values(title=", ".join(f"{counts[s]} {STATUS_VI[s]}" for s in STATUSES),
                  parts=[(s, f"{100 * counts[s] / total:.1f}") for s in STATUSES if counts[s]])


def left_out_view(rows: Sequence[dict]) -> Values | None:
    """A document's left_out rows grouped by reason, in LEFT_OUT_VI's order (misses in a target
    list first, and then open); reasons it does not know come last."""
    if not rows:
        return None
    order = list(LEFT_OUT_VI)
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["reason"], []).append(
            Values(location=row.get("location"), page=row.get("page"), text=row.get("text")))
    return Values(count=len(rows), open=order[0] in groups,
                  groups=[Values(reason=reason, label=LEFT_OUT_VI.get(reason, reason), rows=groups[reason])
                          for reason in sorted(groups, key=lambda r: order.index(r) if r in order else len(order))])


def _stale_cells(stale: dict) -> list:
    return [*(stale.get(key) for key in ("line", "source", "seq", "name", "field")),
            format_value(stale.get("value")), stale.get("reason"), stale.get("note")]


def _text(value) -> str:
    return "" if value is None else str(value)
