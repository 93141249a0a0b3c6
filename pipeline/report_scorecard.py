"""The scorecard in the report (SPEC §2.1, issue 14): per jurisdiction, each indicator's target
against what was reached, with met / not met / unknown counts and a small bar chart; per
indicator, its targets and reported values across years as a small series chart.

Inline SVG and plain HTML only: the page opens from disk with no network. Every number the
page shows is in Vietnamese notation; the same rows give the same bytes. Each verdict links to
its two source rows through the report's own filter (`#doc=…&q=…`).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape
from urllib.parse import quote

VERDICTS = ("met", "not_met", "unknown")
VERDICT_VI = {"met": "Đạt", "not_met": "Không đạt", "unknown": "Chưa rõ"}
KIND_VI = {"actual": "thực hiện", "estimate": "ước thực hiện", "target": "mục tiêu"}
COLORS = {"met": "#3c8d3c", "not_met": "#c8372d", "unknown": "#9a9a9a",
          "target": "#3b6fb6", "actual": "#222222", "estimate": "#e08a00"}
HEADINGS = ("Chỉ tiêu", "ĐVT", "Năm", "Mục tiêu", "Thực hiện / ước", "Đánh giá", "Văn bản tự đánh giá", "Chênh lệch")
LEGEND = ("<b>Đạt</b>: số thực hiện (hoặc ước) đến được mức hứa theo chiều của chỉ tiêu; <b>Không đạt</b>: chưa đến; "
          "<b>Chưa rõ</b>: chỉ tiêu định tính, khác đơn vị, hoặc chỉ tiêu là mức thay đổi mà số báo cáo là mức. "
          "<b>Chênh lệch</b>: số thực hiện vượt (+) hoặc thiếu (−) so với cận quyết định, theo đơn vị của chỉ tiêu. "
          "<b>Văn bản tự đánh giá</b>: đánh giá in trong văn bản (cột Đánh giá); dòng tô vàng là nơi văn bản tự đánh giá "
          "khác với kết quả tính, được xếp lên đầu. <i>Mục tiêu</i> in nghiêng là kế hoạch do báo cáo trích dẫn.")

STYLE = """
#scorecard .counts span { display: inline-block; margin-right: 1em; }
#scorecard tr.verdict-met td.verdict { color: #2d6e2d; font-weight: 600; }
#scorecard tr.verdict-not_met td.verdict { color: #a52a21; font-weight: 600; }
#scorecard tr.verdict-unknown td.verdict { color: #666; }
#scorecard td.num { text-align: right; white-space: nowrap; }
#scorecard figure.series { display: inline-block; margin: .25em 1em .75em 0; font-size: 85%; }
#scorecard figure.series figcaption { max-width: 16em; }
#scorecard tr.disagrees td { background: #fff4c2; }
#scorecard td.target.quoted { font-style: italic; }
#scorecard p.legend { font-size: 90%; color: #444; max-width: 60em; }
"""


def _esc(value) -> str:
    return escape("" if value is None else str(value), quote=True)


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


def _filter_link(source: str | None, name: str | None) -> str:
    """A link to a document's rows filtered to one name (the report's own fragment filter)."""
    if not source:
        return ""
    return "#" + "&".join(f"{k}={quote(v or '', safe='')}" for k, v in (("doc", source), ("q", name or "")))


def scorecard_section(rows: Sequence[dict], series: dict[str, list[dict]], documents: Sequence[dict]) -> str:
    """The scorecard's section of the report, one part per jurisdiction."""
    sources = {d.get("doc_id"): d.get("source") for d in documents if d.get("doc_id")}
    parts = [f"<style>{STYLE}</style>", '<section id="scorecard"><h2>Kết quả thực hiện chỉ tiêu</h2>',
             f'<p class="legend">{LEGEND}</p>']
    if not rows:
        parts.append('<p class="none">Chưa có chỉ tiêu nào có cả mục tiêu và số thực hiện của cùng một năm.</p>')
    by_jurisdiction: dict[str, list[dict]] = {}
    for row in rows:
        by_jurisdiction.setdefault(row.get("jurisdiction") or "", []).append(row)
    for jurisdiction in sorted(by_jurisdiction):
        parts.append(_jurisdiction(jurisdiction, by_jurisdiction[jurisdiction], series, sources))
    parts.append("</section>")
    return "\n".join(parts)


def _jurisdiction(jurisdiction: str, rows: list[dict], series: dict[str, list[dict]], sources: dict) -> str:
    counts = Counter(r["verdict"] for r in rows)
    label = jurisdiction or "(không rõ địa phương)"
    out = [f'<section class="scorecard-jurisdiction" data-jurisdiction="{_esc(jurisdiction)}">',
           f"<h3>{_esc(label)}</h3>",
           '<p class="counts">' + "".join(
               f'<span class="count" data-verdict="{v}">{VERDICT_VI[v]}: <b>{counts[v]}</b></span>' for v in VERDICTS)
           + "</p>",
           counts_chart(counts),
           '<table class="scorecard"><thead><tr>' + "".join(f"<th>{h}</th>" for h in HEADINGS) + "</tr></thead><tbody>"]
    # the rows whose stated verdict disagrees with the computed one first: a finding to look at
    for r in sorted(rows, key=lambda r: not _disagrees(r)):
        out.append(_row(r, sources))
    out.append("</tbody></table>")
    out.append('<div class="series-charts">')
    seen = []
    for r in rows:
        if r["indicator_id"] not in seen:
            seen.append(r["indicator_id"])
            out.append(series_chart(r["indicator_id"], r["name"], r["unit"], series.get(r["indicator_id"], [])))
    out.append("</div></section>")
    return "\n".join(out)


def _row(r: dict, sources: dict) -> str:
    target_link = _filter_link(sources.get(r["target_doc"]), r["name"])
    actual_source = sources.get(r["actual_doc"])
    actual_link = _filter_link(actual_source, None)
    actual = r["actual_text"] if r["actual"] is None else _number(r["actual"])
    kind = KIND_VI.get(r["actual_kind"], r["actual_kind"])
    where = f'{_esc(actual_source)}, {_esc(r["actual_location"])}'
    cells = [
        f'<td class="name">{_esc(r["name"])}</td>',
        f'<td>{_esc(r["unit"])}</td>',
        f'<td class="num">{_esc(r["year"])}</td>',
        f'<td class="target"><a href="{_esc(target_link)}" title="{_esc(sources.get(r["target_doc"]))}">'
        f'{_esc(r["target"])}</a></td>',
        f'<td class="actual num"><a href="{_esc(actual_link)}" title="{where}">{_esc(actual)}</a> '
        f'<span class="kind">({_esc(kind)})</span></td>',
        f'<td class="verdict">{VERDICT_VI[r["verdict"]]}</td>',
        f'<td class="stated">{_esc(r.get("stated_verdict") or "")}</td>',
        f'<td class="margin num">{_signed(r["margin"])}</td>',
    ]
    if r.get("target_seq") is None:
        cells[3] = cells[3].replace('<td class="target">', '<td class="target quoted">', 1)
    flag = " disagrees" if _disagrees(r) else ""
    documents = "|".join(s for s in (sources.get(r["target_doc"]), actual_source) if s)  # for the report's filter
    return (f'<tr class="verdict-{r["verdict"]}{flag}" data-verdict="{r["verdict"]}" data-indicator="{_esc(r["indicator_id"])}" '
            f'data-year="{_esc(r["year"])}" data-sources="{_esc(documents)}" title="{_esc(r.get("note") or "")}">'
            + "".join(cells) + "</tr>")


def _disagrees(r: dict) -> bool:
    return "disagrees" in (r.get("note") or "")


def counts_chart(counts: Counter, width: int = 240, height: int = 22) -> str:
    """A stacked bar of met / not met / unknown, as inline SVG."""
    total = sum(counts[v] for v in VERDICTS)
    parts = [f'<svg class="counts-chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{_esc(", ".join(f"{VERDICT_VI[v]} {counts[v]}" for v in VERDICTS))}</title>']
    x = 0.0
    for v in VERDICTS:
        w = width * counts[v] / total if total else 0
        parts.append(f'<rect data-verdict="{v}" data-count="{counts[v]}" x="{x:.2f}" y="0" width="{w:.2f}" '
                     f'height="{height}" fill="{COLORS[v]}"/>')
        x += w
    parts.append("</svg>")
    return "".join(parts)


def series_chart(indicator: str, name: str, unit: str | None, points: list[dict],
                 width: int = 220, height: int = 90) -> str:
    """Targets (a bar from low to high, or a tick for one value) and reported values (dots)
    of one indicator across years, as inline SVG."""
    values = [v for p in points for v in (p["low"], p["high"]) if v is not None]
    years = sorted({p["year"] for p in points})
    caption = f'<figcaption>{_esc(name)}{f" ({_esc(unit)})" if unit else ""}</figcaption>'
    if not values or not years:
        return f'<figure class="series" data-indicator="{_esc(indicator)}">{caption}</figure>'
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

    parts = [f'<figure class="series" data-indicator="{_esc(indicator)}">',
             f'<svg class="series-chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{_esc(name)}</title>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#999"/>',
             f'<text x="2" y="{y_of(high - pad) + 4:.1f}" font-size="9">{_esc(_number(high - pad))}</text>',
             f'<text x="2" y="{y_of(low + pad) + 4:.1f}" font-size="9">{_esc(_number(low + pad))}</text>']
    for year in years:
        parts.append(f'<text x="{x_of(year) - 11:.1f}" y="{height - 4}" font-size="9">{year}</text>')
    offsets = {"target": -6, "actual": 4, "estimate": 8}
    for p in points:
        x = x_of(p["year"]) + offsets.get(p["kind"], 0)
        color = COLORS.get(p["kind"], "#000")
        label = f'{KIND_VI.get(p["kind"], p["kind"])} {p["year"]}'
        if p["kind"] == "target":
            lo = p["low"] if p["low"] is not None else low
            hi = p["high"] if p["high"] is not None else high
            y1, y2 = y_of(hi), y_of(lo)
            parts.append(f'<rect data-kind="target" data-year="{p["year"]}" x="{x - 3:.1f}" y="{y1:.1f}" width="6" '
                         f'height="{max(y2 - y1, 2):.1f}" fill="{color}" fill-opacity="0.55"><title>{_esc(label)}</title></rect>')
        else:
            value = p["low"] if p["low"] is not None else p["high"]
            parts.append(f'<circle data-kind="{_esc(p["kind"])}" data-year="{p["year"]}" cx="{x:.1f}" cy="{y_of(value):.1f}" '
                         f'r="3" fill="{color}"><title>{_esc(label)}: {_esc(_number(value))}</title></circle>')
    parts.append("</svg>")
    parts.append(caption)
    parts.append("</figure>")
    return "".join(parts)
