"""The report's HTML: the overview page (counts, documents, filters, one placeholder section
per document) and each document's rows as a small script file the page loads on demand.

Styles, the script and the page template are package data in `report_assets/`. Everything
the user reads is Vietnamese; note codes are explained from `normalizers.notes.NOTE_CODES`.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from functools import cache
from html import escape
from importlib.resources import files

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
def asset(name: str) -> str:
    return files(__package__).joinpath("report_assets", name).read_text(encoding="utf-8")


def document_script(source: str, rows: Sequence[dict]) -> bytes:
    """One document's rows as a script calling `chitieu.load` (a <script src> loads from disk,
    where fetch() may not)."""
    data = {"source": source, "cols": ROW_COLUMNS, "rows": [_row_values(row) for row in rows]}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return f"chitieu.load({text});\n".encode("utf-8")


def _row_values(row: dict) -> list:
    extra = {"reading": format_reading(row), "where": location_vi(row)}
    return [extra[c] if c in extra else row.get(c) for c in ROW_COLUMNS]


def page(body: str, raw_href: str, eager_rows: int, targets: int) -> str:
    head, rest = asset("page.html").split("{{body}}")
    head = (head.replace("{{style}}", asset("report.css")).replace("{{raw}}", _esc(raw_href))
            .replace("{{eager_rows}}", str(eager_rows)).replace("{{targets}}", str(targets)))
    return head + body + rest.replace("{{script}}", asset("report.js"))


def header(statuses: Counter, docs: Sequence[dict], stale: int) -> str:
    failed = sum(1 for d in docs if d.get("status") not in (None, "ok"))
    return (
        "<header><h1>Báo cáo trích xuất chỉ tiêu</h1>"
        f"<p>{_n(len(docs))} văn bản ({_n(failed)} không đọc được), {_n(statuses.total())} chỉ tiêu: "
        f"{_n(statuses['review'])} cần xem lại, {_n(statuses['unparsed'])} chưa đọc được; "
        f'<a href="#stale">sửa lỗi không áp dụng: {_n(stale)}</a>. '
        'Bảng đầy đủ: <a href="targets.xlsx">targets.xlsx</a>.</p></header>'
    )


def _n(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def filters(docs: Sequence[dict]) -> str:
    statuses = "".join(f'<option value="{s}">{STATUS_VI[s]}</option>' for s in STATUSES)
    sources = "".join(f'<option value="{_esc(d["source"])}">{_esc(d["source"])}</option>' for d in docs)
    return (
        '<nav id="filters">'
        '<label>Trạng thái <select id="filter-status"><option value="">tất cả</option>'
        f"{statuses}</select></label>"
        '<label>Văn bản <select id="filter-doc"><option value="">tất cả</option>'
        f"{sources}</select></label>"
        '<label>Tìm <input type="search" id="filter-text" placeholder="tên, cơ quan, chỉ tiêu…"></label>'
        '<output id="filter-count"></output></nav>'
    )


def summary_table(docs: Sequence[dict]) -> str:
    rows = "\n".join(_summary_row(i, doc) for i, doc in enumerate(docs, 1))
    return ('<section id="summary"><h2>Văn bản</h2><div class="scroll"><table class="summary">'
            f"{_colgroup(SUMMARY_HEADINGS)}<thead>{_heading_row(SUMMARY_HEADINGS)}</thead><tbody>\n"
            f"{rows}\n</tbody></table></div></section>")


def _summary_row(index: int, doc: dict) -> str:
    counts: Counter = doc["counts"]
    total = counts.total()
    status = doc.get("status") or ""
    status_cell = _esc(DOC_STATUS_VI.get(status, status))
    if doc.get("error"):
        status_cell += f'<div class="error">{_esc(doc["error"])}</div>'
    cells = [
        f'<a href="#doc-{index}">{_esc(doc["source"])}</a>',
        _esc(doc.get("format")), _esc(doc.get("year")), _esc(total), _esc(counts["review"]),
        _esc(counts["unparsed"]), status_cell, _share_bar(counts, total),
    ]
    css = f' class="doc-{_esc(status)}"' if status else ""
    tds = "".join(f'<td class="n">{c}</td>' if 3 <= i <= 5 else f"<td>{c}</td>" for i, c in enumerate(cells))
    return f'<tr{css} data-summary data-doc="{_esc(doc["source"])}">{tds}</tr>'


def _share_bar(counts: Counter, total: int) -> str:
    """An inline bar of ok / review / unparsed shares, so problem documents stand out."""
    if not total:
        return '<div class="bar empty" title="không có chỉ tiêu"></div>'
    title = ", ".join(f"{counts[s]} {STATUS_VI[s]}" for s in STATUSES)
    parts = "".join(f'<span class="{s}" style="width:{100 * counts[s] / total:.1f}%"></span>'
                    for s in STATUSES if counts[s])
    return f'<div class="bar" title="{_esc(title)}">{parts}</div>'


def left_out_section(rows) -> str:
    """What a document's numbers gave no row for, grouped by why: misses inside a target list
    first and open, so a reader sees in a minute what was left out (SPEC §4.2)."""
    if not rows:
        return ""
    order = list(LEFT_OUT_VI)
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["reason"], []).append(row)
    parts = [f'<details class="left-out"{" open" if order[0] in groups else ""}>'
             f'<summary>{len(rows)} đoạn, dòng có số không cho chỉ tiêu nào (xem lý do)</summary>']
    for reason in sorted(groups, key=lambda r: order.index(r) if r in order else len(order)):
        items = "".join(f'<li><span class="where">{_esc(r["location"])}{_page_of(r)}</span> {_esc(r["text"])}</li>'
                        for r in groups[reason])
        parts.append(f'<h4 data-reason="{_esc(reason)}">{_esc(LEFT_OUT_VI.get(reason, reason))} '
                     f'({len(groups[reason])})</h4><ul>{items}</ul>')
    parts.append("</details>")
    return "".join(parts)


def _page_of(row: dict) -> str:
    return f", trang {row['page']}" if row.get("page") else ""


def document_section(index: int, doc: dict) -> str:
    """A document's facts and an empty table its rows are loaded into."""
    counts: Counter = doc["counts"]
    facts = [f"{label} {_esc(doc.get(key))}" for label, key in
             (("định dạng", "format"), ("bố cục", "layout"), ("năm", "year"), ("số trang", "pages"))
             if doc.get(key) is not None]
    if doc.get("numbers_seen"):
        facts.append(f'{_esc(doc.get("numbers_read"))}/{_esc(doc["numbers_seen"])} đoạn có số đã đọc')
    if doc.get("status"):
        facts.append(_esc(DOC_STATUS_VI.get(doc["status"], doc["status"])))
    data = "".join(f' data-{s}="{counts[s]}"' for s in STATUSES)
    if doc.get("file"):
        data += f' data-file="{_esc(doc["file"])}"'
    parts = [f'<section class="doc" id="doc-{index}" data-doc="{_esc(doc["source"])}"{data} '
             f'style="contain-intrinsic-size: auto {80 + 34 * counts.total()}px">',
             f'<h3>{_esc(doc["source"])}</h3>']
    if doc.get("title"):
        parts.append(f'<p class="title">{_esc(doc["title"])}</p>')
    parts.append(f'<p class="facts">{" · ".join(facts)}</p>')
    if doc.get("error"):
        parts.append(f'<p class="error">{_esc(doc["error"])}</p>')
    if counts.total():
        parts.append(f'<table class="targets">{_colgroup(TARGET_HEADINGS)}<thead>{_heading_row(TARGET_HEADINGS)}'
                     f'</thead><tbody><tr class="placeholder" style="--rows-height:{2.2 * counts.total():.1f}em">'
                     f'<td colspan="{len(TARGET_HEADINGS)}">Đang tải {counts.total()} chỉ tiêu…</td></tr></tbody></table>')
    else:
        parts.append('<p class="none">Không có chỉ tiêu.</p>')
    parts.append(left_out_section(doc.get("left_out")))
    parts.append("</section>")
    return "".join(parts)


def note_meanings() -> str:
    """The Vietnamese meaning of every note code, for the script to show in place, and a legend."""
    meanings = EXTRA_NOTES | {code: note.vi for code, note in NOTE_CODES.items()}
    data = json.dumps(meanings, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    fields = json.dumps(CORRECTABLE)
    legend = "".join(f"<dt>{_esc(code)}</dt><dd>{_esc(text)}"
                     f"{' (cần xem lại)' if code in NOTE_CODES and NOTE_CODES[code].review else ''}</dd>"
                     for code, text in sorted(meanings.items()))
    return (f'<script type="application/json" id="note-meanings">{data}</script>'
            f'<script type="application/json" id="correctable-fields">{fields}</script>'
            '<details id="notes"><summary>Ý nghĩa các mã ghi chú</summary>'
            f'<dl class="legend">{legend}<dt>corrected:&lt;trường&gt;</dt>'
            '<dd>đã sửa tay trường đó (raw/corrections.csv)</dd></dl></details>')


def stale_section(stale: Sequence[dict]) -> str:
    if not stale:
        return '<section id="stale"><h2>Sửa lỗi không áp dụng</h2><p class="none">Không có.</p></section>'
    rows = "\n".join(
        "<tr>" + "".join(f"<td>{_esc(s.get(key))}</td>" for key in ("line", "source", "seq", "name", "field"))
        + f"<td>{_esc(format_value(s.get('value')))}</td><td>{_esc(s.get('reason'))}</td>"
        f"<td>{_esc(s.get('note'))}</td></tr>"
        for s in stale)
    head = "".join(f"<th>{h}</th>" for h in STALE_HEADINGS)
    return (f'<section id="stale"><h2>Sửa lỗi không áp dụng ({len(stale)})</h2>'
            "<p>Các dòng này của raw/corrections.csv không được áp dụng: dòng chỉ tiêu chúng nêu "
            "không còn hoặc đã đổi.</p>"
            f'<table class="stale"><thead><tr>{head}</tr></thead><tbody>\n{rows}\n</tbody></table></section>')


def _colgroup(headings) -> str:
    return "<colgroup>" + "".join(f'<col style="width:{width}">' for _, width in headings) + "</colgroup>"


def _heading_row(headings) -> str:
    return "<tr>" + "".join(f"<th>{_esc(h)}</th>" for h, _ in headings) + "</tr>"


def _esc(value) -> str:
    return "" if value is None else escape(str(value), quote=True)
