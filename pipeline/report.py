"""The review report: one self-contained ``report.html`` to find and fix bad targets.

It opens from disk with no server or network: styles and the filter script are inline.
The script is an aid, not a requirement: without it every row is shown. The page honours
a fragment such as ``report.html#status=review&doc=a.txt&q=GRDP`` so a filtered view can
be bookmarked (and tested headless). Output is deterministic: the same rows give the same
bytes.
"""
from __future__ import annotations

import csv
import io
import math
import shutil
import tempfile
from collections import Counter, defaultdict
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Sequence, TextIO

from pipeline.corrections import find_stale_in_outputs, format_value, load_corrections, parse_value
from pipeline.writers import atomic_write
from pipeline.schema import DOCUMENT_FIELDS, TARGET_FIELDS

REPORT_NAME = "report.html"
STATUSES = ("ok", "review", "unparsed")
SUMMARY_HEADINGS = ("Source", "Format", "Year", "Targets", "Review", "Unparsed", "Status", "Shares")
TARGET_HEADINGS = ("Seq", "Section", "No.", "Name", "Target as written", "Reading", "Agency",
                   "Location", "Status", "Notes")
STALE_HEADINGS = ("Line", "Source", "Seq", "Name", "Field", "Value", "Why it was not applied",
                  "Note")

# How a bounded side of a target reads, keyed by whether the bound is included.
LOW_SYMBOL = {True: "≥", False: ">"}
HIGH_SYMBOL = {True: "≤", False: "<"}
CHANGE_WORD = {"increase": "tăng", "decrease": "giảm", "maintain": "duy trì"}
CHANGE_WORD_UNKNOWN = "thay đổi"  # a change without a direction


# --- reading in plain notation ------------------------------------------------------------


def format_number_vi(x: float, min_decimals: int = 0) -> str:
    """A number in Vietnamese notation: ',' decimal mark, '.' between thousands.

    Decimals are those of the shortest exact reading of ``x``, padded to ``min_decimals``
    (so both ends of a range can show the same precision).

    >>> format_number_vi(124000.0), format_number_vi(6.5), format_number_vi(99.77)
    ('124.000', '6,5', '99,77')
    >>> format_number_vi(7.0), format_number_vi(7.0, min_decimals=1)
    ('7', '7,0')
    >>> format_number_vi(1234567.891), format_number_vi(-0.1)
    ('1.234.567,891', '-0,1')
    """
    text = format(_exact(x), ",f")  # '1,234,567.891' in English notation
    whole, _, decimals = text.partition(".")
    decimals = decimals.ljust(min_decimals, "0")
    whole = whole.replace(",", ".")
    return f"{whole},{decimals}" if decimals else whole


def _exact(x: float) -> Decimal:
    # repr() is the shortest text that reads back as x: 28.3, not 28.300000000000000711.
    number = Decimal(repr(float(x))).normalize()
    return Decimal(0) if number == 0 else number  # -0.0 reads as 0


def _decimals(x: float) -> int:
    return max(0, -_exact(x).as_tuple().exponent)


def format_reading(row: dict) -> str:
    """A target as a person reads it: comparator, Vietnamese numbers, unit.

    Completion and qualitative targets read as written; rows without bounds read as ''.

    >>> base = dict(target_type="numeric", unit="%", approximate=False, measure="level",
    ...             direction=None, reference_year=None, target_text=None)
    >>> format_reading(base | dict(value_low=90.0, value_high=None, low_inclusive=False,
    ...                            high_inclusive=None))
    '> 90 %'
    >>> format_reading(base | dict(value_low=6.5, value_high=7.0, low_inclusive=True,
    ...                            high_inclusive=True, measure="change", direction="increase",
    ...                            reference_year=2023))
    'tăng 6,5 – 7,0 % so với năm 2023'
    >>> format_reading(base | dict(unit="tỷ đồng", value_low=124000.0, value_high=124000.0,
    ...                            low_inclusive=True, high_inclusive=True, approximate=True))
    '≈ 124.000 tỷ đồng'
    """
    if row.get("target_type") in ("completion", "qualitative"):
        return row.get("target_text") or ""
    if row.get("target_type") != "numeric":
        return ""
    value = _interval_text(row)
    if not value:
        return ""
    if row.get("approximate"):
        value = f"≈ {value}"
    if row.get("unit"):
        value = f"{value} {row['unit']}"
    if row.get("measure") == "change":
        value = f"{CHANGE_WORD.get(row.get('direction'), CHANGE_WORD_UNKNOWN)} {value}"
        if row.get("reference_year") is not None:
            value = f"{value} so với năm {row['reference_year']}"
    return value


def _interval_text(row: dict) -> str:
    low, high = row.get("value_low"), row.get("value_high")
    # A bound without its flag reads as a plain number, which includes itself.
    low_inclusive = row.get("low_inclusive") is not False
    high_inclusive = row.get("high_inclusive") is not False
    if low is None and high is None:
        return ""
    if high is None:
        return f"{LOW_SYMBOL[low_inclusive]} {format_number_vi(low)}"
    if low is None:
        return f"{HIGH_SYMBOL[high_inclusive]} {format_number_vi(high)}"
    if low == high:
        return format_number_vi(low)
    decimals = max(_decimals(low), _decimals(high))
    low_text, high_text = format_number_vi(low, decimals), format_number_vi(high, decimals)
    if low_inclusive and high_inclusive:
        return f"{low_text} – {high_text}"
    # Half-open ranges are rare enough to spell out both sides.
    return f"{LOW_SYMBOL[low_inclusive]} {low_text} và {HIGH_SYMBOL[high_inclusive]} {high_text}"


# --- reading the outputs back -------------------------------------------------------------


def read_outputs(out_dir: Path) -> tuple[list[dict], list[dict]]:
    """Load targets and documents from an output directory as Python-typed row dicts.

    Parquet is preferred (typed); CSV is the fall-back (read by SPEC §2's conventions).
    """
    out_dir = Path(out_dir)
    return _read_table(out_dir, "targets", TARGET_FIELDS), _read_table(
        out_dir, "documents", DOCUMENT_FIELDS
    )


def _read_table(out_dir: Path, stem: str, fields) -> list[dict]:
    parquet, csv_path = out_dir / f"{stem}.parquet", out_dir / f"{stem}.csv"
    if parquet.exists():
        return _read_parquet(parquet, fields)
    if csv_path.exists():
        return _read_csv(csv_path, fields)
    raise FileNotFoundError(
        f"{out_dir} has neither {stem}.parquet nor {stem}.csv; run the extraction first"
    )


def _read_parquet(path: Path, fields) -> list[dict]:
    import pyarrow.parquet  # imported here: only re-rendering from outputs needs it

    records = pyarrow.parquet.read_table(path).to_pylist()
    return [{f.name: _coerce(record.get(f.name), f.type) for f in fields} for record in records]


def _coerce(value, field_type: str):
    """A Parquet cell as the schema's Python type (a writer may store nullable ints as floats)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return {"integer": int, "number": float, "boolean": bool, "string": str}[field_type](value)


def _read_csv(path: Path, fields) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        rows = []
        for record in reader:
            try:
                rows.append({f.name: parse_value(record.get(f.name) or "", f.type) for f in fields})
            except ValueError as error:
                raise ValueError(f"{path}, line {reader.line_num}: {error}") from None
    return rows


def render_report_from_outputs(out_dir: Path, corrections_path: Path | None = None) -> Path:
    """Re-render ``out_dir/report.html`` from the written outputs; return its path.

    With ``corrections_path`` (raw/corrections.csv), corrections not in effect in the outputs
    are listed as stale; a missing corrections file means there are none.
    """
    out_dir = Path(out_dir)
    targets, documents = read_outputs(out_dir)
    stale: list[dict] = []
    if corrections_path is not None and Path(corrections_path).exists():
        stale = find_stale_in_outputs(targets, documents, load_corrections(corrections_path))
    path = out_dir / REPORT_NAME
    write_report(targets, documents, stale, path)
    return path


# --- the page -----------------------------------------------------------------------------


def write_report(
    targets: Sequence[dict], documents: Sequence[dict], stale: Sequence[dict], path: Path
) -> None:
    """Write the report page to ``path`` (UTF-8, '\\n' line ends, byte-stable)."""
    atomic_write(Path(path), render_report(targets, documents, stale).encode("utf-8"))


def render_report(targets: Sequence[dict], documents: Sequence[dict], stale: Sequence[dict]) -> str:
    """The report page as text; rows are ordered by source and seq whatever the input order."""
    by_source: dict[str, list[dict]] = defaultdict(list)
    for row in sorted(targets, key=lambda r: (r["source"], r["seq"])):
        by_source[row["source"]].append(row)
    known = {d["source"]: d for d in documents}
    report = ReportWriter(io.StringIO())
    # A target whose document row is missing still gets shown, under a bare document.
    for source in sorted(set(known) | set(by_source)):
        report.add(known.get(source, {"source": source}), by_source[source])
    page = io.StringIO()
    report.finish(page, stale)
    return page.getvalue()


class ReportWriter:
    """The page built a document at a time, in the order they are added, so a run need not
    hold every target. Document sections go to a spool as they come; the overview and the
    summary table, which need every document's counts, are written ahead of them by
    `finish`."""

    def __init__(self, spool: TextIO | None = None):
        self._sections = spool if spool is not None else tempfile.TemporaryFile("w+", encoding="utf-8")
        self._docs: list[tuple[dict, Counter]] = []  # the facts the summary shows, and the row counts
        self._statuses: Counter = Counter()

    def add(self, doc: dict, rows: Sequence[dict]) -> None:
        counts = Counter(row["status"] for row in rows)
        self._sections.write(_document_section(len(self._docs) + 1, doc, rows) + "\n")
        self._docs.append(({k: doc.get(k) for k in _SUMMARY_KEYS}, counts))
        self._statuses.update(counts)

    def finish(self, page: TextIO, stale: Sequence[dict]) -> None:
        """Write the whole page to `page`; the spool is consumed."""
        head, tail = PAGE.split("{body}")
        docs = [doc for doc, _ in self._docs]
        page.write(head.format(style=STYLE))
        page.write(_overview(self._statuses, docs, stale) + "\n")
        page.write(_summary_table(self._docs) + "\n")
        page.write(_filters(docs) + "\n")
        self._sections.seek(0)
        shutil.copyfileobj(self._sections, page)
        self._sections.close()
        page.write(_stale_section(stale))
        page.write(tail.format(script=SCRIPT))


_SUMMARY_KEYS = ("source", "format", "year", "status", "error")


def _overview(statuses: Counter, docs: list[dict], stale: Sequence[dict]) -> str:
    failed = sum(1 for d in docs if d.get("status") not in (None, "ok"))
    return (
        "<header><h1>chitieu — extraction report</h1>"
        f"<p>{len(docs)} documents ({failed} not read), {statuses.total()} targets: "
        f"{statuses['review']} to review, {statuses['unparsed']} unparsed; "
        f'<a href="#stale">stale corrections: {len(stale)}</a>.</p></header>'
    )


def _summary_table(docs: list[tuple[dict, Counter]]) -> str:
    head = _row("th", SUMMARY_HEADINGS)
    rows = [_summary_row(i, doc, counts) for i, (doc, counts) in enumerate(docs, 1)]
    return (
        '<section id="summary"><h2>Documents</h2><table class="summary">'
        f"<thead>{head}</thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table></section>"
    )


def _summary_row(index: int, doc: dict, counts: Counter) -> str:
    # Counted from the rows shown rather than taken from the document row, so that they
    # agree with the tables below after a correction changed a status.
    total = counts.total()
    status = doc.get("status") or ""
    status_cell = _esc(status)
    if doc.get("error"):
        status_cell += f'<div class="error">{_esc(doc["error"])}</div>'
    cells = [
        f'<a href="#doc-{index}">{_esc(doc["source"])}</a>',
        _esc(doc.get("format")),
        _esc(doc.get("year")),
        _esc(total),
        _esc(counts["review"]),
        _esc(counts["unparsed"]),
        status_cell,
        _share_bar(counts, total),
    ]
    css = f"doc-{status}" if status else ""
    return f'<tr class="{_esc(css)}" data-doc="{_esc(doc["source"])}">{_cells("td", cells)}</tr>'


def _share_bar(counts: Counter, total: int) -> str:
    """An inline bar of ok / review / unparsed shares, so problem documents stand out."""
    if not total:
        return '<div class="bar empty" title="no targets"></div>'
    title = ", ".join(f"{counts[s]} {s}" for s in STATUSES)
    parts = "".join(
        f'<span class="{s}" style="width:{100 * counts[s] / total:.1f}%"></span>'
        for s in STATUSES
        if counts[s]
    )
    return f'<div class="bar" title="{_esc(title)}">{parts}</div>'


def _filters(docs: list[dict]) -> str:
    statuses = "".join(f'<option value="{s}">{s}</option>' for s in STATUSES)
    sources = "".join(
        f'<option value="{_esc(d["source"])}">{_esc(d["source"])}</option>' for d in docs
    )
    return (
        '<nav id="filters">'
        '<label>Status <select id="filter-status"><option value="">all</option>'
        f"{statuses}</select></label> "
        '<label>Document <select id="filter-doc"><option value="">all</option>'
        f"{sources}</select></label> "
        '<label>Search <input type="search" id="filter-text" '
        'placeholder="name, agency, text…"></label> '
        '<output id="filter-count"></output></nav>'
    )




def _document_section(index: int, doc: dict, rows: list[dict]) -> str:
    facts = [
        f"{label} {_esc(doc.get(key))}"
        for label, key in (("format", "format"), ("layout", "layout"), ("year", "year"),
                           ("pages", "pages"), ("status", "status"))
        if doc.get(key) is not None
    ]
    parts = [
        f'<section class="doc" id="doc-{index}" data-doc="{_esc(doc["source"])}">',
        f'<h2>{_esc(doc["source"])}</h2>',
    ]
    if doc.get("title"):
        parts.append(f'<p class="title">{_esc(doc["title"])}</p>')
    parts.append(f'<p class="facts">{" · ".join(facts)}</p>')
    if doc.get("error"):
        parts.append(f'<p class="error">{_esc(doc["error"])}</p>')
    if rows:
        parts.append(
            f'<table class="targets"><thead>{_row("th", TARGET_HEADINGS)}</thead><tbody>\n'
            + "\n".join(_target_row(row) for row in rows)
            + "\n</tbody></table>"
        )
    else:
        parts.append('<p class="none">No targets.</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _target_row(row: dict) -> str:
    status = row.get("status") or ""
    notes = (row.get("notes") or "").split(";")
    cells = [  # (class, html)
        ("", _esc(row.get("seq"))),
        ("", _section(row)),
        ("", _esc(row.get("number"))),
        ("name sub" if row.get("parent_seq") is not None else "name", _esc(row.get("name"))),
        ("", _esc(row.get("target_text"))),
        ("reading", _esc(format_reading(row))),
        ("", _esc(row.get("agency"))),
        ("", _esc(_location(row))),
        ("", f'<span class="badge">{_esc(status)}</span>'),
        ("", " ".join(f"<code>{_esc(code)}</code>" for code in notes if code)),
    ]
    tds = "".join(
        f'<td class="{css}">{html}</td>' if css else f"<td>{html}</td>" for css, html in cells
    )
    return (
        f'<tr class="status-{_esc(status)}" data-status="{_esc(status)}" '
        f'data-doc="{_esc(row["source"])}">{tds}</tr>'
    )


def _section(row: dict) -> str:
    if not row.get("section_title"):
        return _esc(row.get("section"))
    return f'<span title="{_esc(row["section_title"])}">{_esc(row.get("section"))}</span>'


def _location(row: dict) -> str:
    parts = [f"p. {row['page']}" if row.get("page") is not None else None, row.get("location")]
    return ", ".join(p for p in parts if p)


def _stale_section(stale: Sequence[dict]) -> str:
    if not stale:
        return '<section id="stale"><h2>Stale corrections</h2><p class="none">None.</p></section>'
    head = _row("th", STALE_HEADINGS)
    rows = [
        _row("td", [_esc(s.get(key)) for key in ("line", "source", "seq", "name", "field")]
             + [_esc(format_value(s.get("value"))), _esc(s.get("reason")), _esc(s.get("note"))])
        for s in stale
    ]
    return (
        f'<section id="stale"><h2>Stale corrections ({len(stale)})</h2>'
        "<p>These lines of raw/corrections.csv were not applied: the row they name is gone "
        "or has changed.</p>"
        f'<table class="stale"><thead>{head}</thead><tbody>\n' + "\n".join(rows)
        + "\n</tbody></table></section>"
    )


def _esc(value) -> str:
    return "" if value is None else escape(str(value), quote=True)


def _cells(tag: str, cells: Sequence[str]) -> str:
    return "".join(f"<{tag}>{cell}</{tag}>" for cell in cells)


def _row(tag: str, cells: Sequence[str]) -> str:
    return f"<tr>{_cells(tag, cells)}</tr>"


PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>chitieu — extraction report</title>
<style>{style}</style>
</head>
<body>
{body}
<script>{script}</script>
</body>
</html>
"""

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: .25em .5em; vertical-align: top; text-align: left; }
thead th { background: #f0f0f0; }
td.name.sub { padding-left: 1.75em; }
td.reading { white-space: nowrap; font-weight: 600; }
tr.status-review { background: #fff4c2; }
tr.status-unparsed { background: #ffd9d6; }
tr.doc-failed, tr.doc-skipped { background: #ffd9d6; }
.error { color: #a40000; }
.badge { font-size: 85%; }
code { font-size: 85%; background: #eee; padding: 0 .2em; }
.bar { display: flex; width: 10em; height: .9em; background: #eee; }
.bar span.ok { background: #5b9e5b; }
.bar span.review { background: #e0b000; }
.bar span.unparsed { background: #d0362a; }
#filters { position: sticky; top: 0; background: #fff; padding: .5em 0; z-index: 1; }
.none { color: #777; }
"""

# Filters rows by status, document and text; reads and writes them in the URL fragment.
SCRIPT = """
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-status]"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.doc"));
  var status = document.getElementById("filter-status");
  var doc = document.getElementById("filter-doc");
  var text = document.getElementById("filter-text");
  var count = document.getElementById("filter-count");
  function norm(s) { return s.normalize("NFC").toLowerCase(); }
  var texts = rows.map(function (r) { return norm(r.textContent); });
  function apply() {
    var s = status.value, d = doc.value, q = norm(text.value.trim()), shown = 0;
    rows.forEach(function (r, i) {
      var visible = (!s || r.dataset.status === s) && (!d || r.dataset.doc === d) &&
                    (!q || texts[i].indexOf(q) >= 0);
      r.hidden = !visible;
      if (visible) { shown++; }
    });
    sections.forEach(function (sec) {
      sec.hidden = (s || d || q) ? !sec.querySelector("tr[data-status]:not([hidden])") : false;
    });
    count.textContent = shown + " / " + rows.length + " targets";
    var p = new URLSearchParams();
    if (s) { p.set("status", s); }
    if (d) { p.set("doc", d); }
    if (q) { p.set("q", text.value.trim()); }
    // Keep the view in the address so it can be bookmarked; some browsers refuse on file://.
    try { history.replaceState(null, "", "#" + p.toString()); } catch (e) { /* not needed */ }
  }
  function fromHash() {
    var p = new URLSearchParams(location.hash.slice(1));
    status.value = p.get("status") || "";
    doc.value = p.get("doc") || "";
    text.value = p.get("q") || "";
    apply();
  }
  [status, doc].forEach(function (el) { el.addEventListener("change", apply); });
  text.addEventListener("input", apply);
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
"""
