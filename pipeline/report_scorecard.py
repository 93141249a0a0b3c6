"""The scorecard in the report (SPEC §2.1, issue 14): per jurisdiction, each indicator's target
against what was reached, with met / not met / unknown counts and a small bar chart; per
indicator, its targets and reported values across years as a small series chart.

Inline SVG and plain HTML only: the page opens from disk with no network. This module
prepares the values (every number in Vietnamese notation, the charts' positions); the
templates report_assets/scorecard.html.j2 and charts.html.j2 lay them out, escaped. The same
rows give the same bytes. Each verdict links to its two source rows through the report's own
filter (`#doc=…&q=…`).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from urllib.parse import quote

from markupsafe import Markup

from ..pipeline.report_html import templates

VERDICTS = ("met", "not_met", "unknown")
VERDICT_VI = {"met": "Đạt", "not_met": "Không đạt", "unknown": "Chưa rõ"}
KIND_VI = {"actual": "thực hiện", "estimate": "ước thực hiện", "target": "mục tiêu"}
COLORS = {"met": "#3c8d3c", "not_met": "#c8372d", "unknown": "#9a9a9a",
          "target": "#3b6fb6", "actual": "#222222", "estimate": "#e08a00"}
HEADINGS = ("Chỉ tiêu", "ĐVT", "Năm", "Mục tiêu", "Thực hiện / ước", "Đánh giá", "Văn bản tự đánh giá", "Chênh lệch")
NO_JURISDICTION_VI = "(không rõ địa phương)"


def scorecard_section(rows: Sequence[dict], series: dict[str, list[dict]], documents: Sequence[dict]) -> Markup:
    """The scorecard's section of the report, one part per jurisdiction: HTML made by the
    autoescaping template, a `Markup` that the page (`ReportWriter.overview_sections`) inserts
    as it is."""
    sources = {d.get("doc_id"): d.get("source") for d in documents if d.get("doc_id")}
    by_jurisdiction: dict[str, list[dict]] = {}
    for row in rows:
        by_jurisdiction.setdefault(row.get("jurisdiction") or "", []).append(row)
    parts = [_jurisdiction(j, by_jurisdiction[j], series, sources) for j in sorted(by_jurisdiction)]
    return templates().get_template("scorecard.html.j2").module.scorecard_section(parts)


def _jurisdiction(jurisdiction: str, rows: list[dict], series: dict[str, list[dict]], sources: dict) -> dict:
    counts = Counter(r["verdict"] for r in rows)
    firsts: dict[str, dict] = {}  # each indicator's first row, in the rows' order
    for r in rows:
        firsts.setdefault(r["indicator_id"], r)
    return {
        "jurisdiction": jurisdiction, "label": jurisdiction or NO_JURISDICTION_VI,
        "counts": [(v, VERDICT_VI[v], counts[v]) for v in VERDICTS], "counts_chart": counts_chart(counts),
        "headings": HEADINGS,
        # the rows whose stated verdict disagrees with the computed one first: a finding to look at
        "rows": [_row(r, sources) for r in sorted(rows, key=lambda r: not _disagrees(r))],
        "series": [series_chart(i, r["name"], r["unit"], series.get(i, [])) for i, r in firsts.items()],
    }


def _row(r: dict, sources: dict) -> dict:
    actual_source = sources.get(r["actual_doc"])
    return {
        "verdict": r["verdict"], "verdict_vi": VERDICT_VI[r["verdict"]], "disagrees": _disagrees(r),
        "indicator": r["indicator_id"], "year": r["year"], "note": r.get("note"),
        "sources": "|".join(s for s in (sources.get(r["target_doc"]), actual_source) if s),  # for the filter
        "name": r["name"], "unit": r["unit"],
        "target": r["target"], "quoted": r.get("target_seq") is None,  # a plan the report quotes
        "target_link": _filter_link(sources.get(r["target_doc"]), r["name"]),
        "target_source": sources.get(r["target_doc"]),
        "actual": r["actual_text"] if r["actual"] is None else _number(r["actual"]),
        "actual_link": _filter_link(actual_source, None),
        "actual_where": f'{_text(actual_source)}, {_text(r["actual_location"])}',
        "kind": KIND_VI.get(r["actual_kind"], r["actual_kind"]),
        "stated": r.get("stated_verdict"), "margin": _signed(r["margin"]),
    }


def _disagrees(r: dict) -> bool:
    return "disagrees" in (r.get("note") or "")


def _filter_link(source: str | None, name: str | None) -> str:
    """A link to a document's rows filtered to one name (the report's own fragment filter)."""
    if not source:
        return ""
    return "#" + "&".join(f"{k}={quote(v or '', safe='')}" for k, v in (("doc", source), ("q", name or "")))


def _number(x: float | None) -> str:
    """A number in Vietnamese notation (',' decimal mark, '.' between thousands)."""
    if x is None:
        return ""
    text = f"{x:,.6f}".rstrip("0").rstrip(".")
    whole, _, decimals = text.partition(".")
    whole = whole.replace(",", ".")
    return f"{whole},{decimals}" if decimals else whole


def _signed(x: float | None) -> str:
    if x is None:
        return ""
    return ("+" if x > 0 else "") + _number(x)


def _text(value) -> str:
    return "" if value is None else str(value)


# --- the charts' geometry (charts.html.j2 draws them) -------------------------------------


def counts_chart(counts: Counter, width: int = 240, height: int = 22) -> dict:
    """A stacked bar of met / not met / unknown: each verdict's x and width."""
    total = sum(counts[v] for v in VERDICTS)
    bars, x = [], 0.0
    for v in VERDICTS:
        w = width * counts[v] / total if total else 0
        bars.append({"verdict": v, "count": counts[v], "x": f"{x:.2f}", "width": f"{w:.2f}", "color": COLORS[v]})
        x += w
    return {"width": width, "height": height, "bars": bars,
            "title": ", ".join(f"{VERDICT_VI[v]} {counts[v]}" for v in VERDICTS)}


def series_chart(indicator: str, name: str, unit: str | None, points: list[dict],
                 width: int = 220, height: int = 90) -> dict:
    """Targets (a bar from low to high, or a tick for one value) and reported values (dots)
    of one indicator across years: every mark's place and label (no marks without values)."""
    chart = {"indicator": indicator, "name": name, "unit": unit, "marks": []}
    values = [v for p in points for v in (p["low"], p["high"]) if v is not None]
    years = sorted({p["year"] for p in points})
    if not values or not years:
        return chart
    low, high = min(values), max(values)
    pad = (high - low) * 0.15 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad
    left, right, top, bottom = 34, 10, 6, 18

    def x_of(year: int) -> float:
        if len(years) == 1:
            return (left + width - right) / 2
        inner_left, inner_right = left + 10, width - right - 14  # room for the marks and the year labels
        return inner_left + (inner_right - inner_left) * (year - years[0]) / (years[-1] - years[0])

    def y_of(value: float) -> float:
        return top + (height - top - bottom) * (high - value) / (high - low)

    chart |= {
        "width": width, "height": height, "axis": {"x1": left, "x2": width - right, "y": height - bottom},
        "value_labels": [{"y": f"{y_of(v) + 4:.1f}", "text": _number(v)} for v in (high - pad, low + pad)],
        "year_labels": [{"x": f"{x_of(year) - 11:.1f}", "y": height - 4, "text": year} for year in years],
    }
    offsets = {"target": -6, "actual": 4, "estimate": 8}
    for p in points:
        x = x_of(p["year"]) + offsets.get(p["kind"], 0)
        mark = {"kind": p["kind"], "year": p["year"], "color": COLORS.get(p["kind"], "#000"),
                "label": f'{KIND_VI.get(p["kind"], p["kind"])} {p["year"]}'}
        if p["kind"] == "target":
            lo = p["low"] if p["low"] is not None else low
            hi = p["high"] if p["high"] is not None else high
            y1, y2 = y_of(hi), y_of(lo)
            mark |= {"x": f"{x - 3:.1f}", "y": f"{y1:.1f}", "height": f"{max(y2 - y1, 2):.1f}"}
        else:
            value = p["low"] if p["low"] is not None else p["high"]
            mark |= {"x": f"{x:.1f}", "y": f"{y_of(value):.1f}", "value": _number(value)}
        chart["marks"].append(mark)
    return chart
