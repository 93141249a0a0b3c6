"""The report's scorecard (issue 14) in headless Chromium: counts, verdict rows, the inline SVG
charts, read back from the DOM after the page's scripts ran; and a screenshot renders.

Needs the Debian package `chromium`. Without it the tests skip locally and fail in CI (CI set).
"""
from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from chitieu.pipeline.run import Settings, run_extract
from test_actuals_indicators import DOCUMENTS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=2000"]


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = "chromium is not installed (Debian: apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def chromium(tmp_path: Path, *args: str) -> str:
    result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


class Scorecard(HTMLParser):
    """What the scorecard section holds, by jurisdiction."""

    def __init__(self, html: str):
        super().__init__()
        self.jurisdiction: str | None = None
        self.counts: dict[str, dict[str, str]] = {}
        self.rows: dict[str, list[tuple[str, str]]] = {}  # (verdict, indicator)
        self.bars: dict[str, list[str]] = {}
        self.series: list[str] = []
        self.marks: list[str] = []  # the kinds of the series charts' marks
        self._count: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and "data-jurisdiction" in a:
            self.jurisdiction = a["data-jurisdiction"]
            self.counts[self.jurisdiction], self.rows[self.jurisdiction], self.bars[self.jurisdiction] = {}, [], []
        elif self.jurisdiction is None:
            return
        elif tag == "span" and a.get("class") == "count":
            self._count = a["data-verdict"]
        elif tag == "tr" and "data-verdict" in a:
            self.rows[self.jurisdiction].append((a["data-verdict"], a["data-indicator"]))
        elif tag == "rect" and "data-verdict" in a and float(a["width"]) > 0:
            self.bars[self.jurisdiction].append(a["data-verdict"])
        elif tag == "figure" and a.get("class") == "series":
            self.series.append(a["data-indicator"])
        elif tag in ("rect", "circle") and "data-kind" in a:
            self.marks.append(a["data-kind"])

    def handle_data(self, data):
        if self._count and data.strip().isdigit():
            self.counts[self.jurisdiction][self._count] = data.strip()
            self._count = None


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    _require_chromium()
    root = tmp_path_factory.mktemp("scorecard")
    raw, out = root / "raw", root / "out"
    raw.mkdir()
    for name, text in DOCUMENTS.items():
        (raw / name).write_text(text, encoding="utf-8")
    run_extract(Settings(raw=raw, out=out, jobs=1, use_cache=False))
    return out / "report.html"


def test_the_scorecard_is_in_the_dom_with_its_counts_and_charts(report, tmp_path):
    page = Scorecard(chromium(tmp_path, "--dump-dom", report.as_uri()))
    assert page.counts == {"Ninh Bình": {"met": "2", "not_met": "1", "unknown": "0"}}
    verdicts = sorted(v for v, _ in page.rows["Ninh Bình"])
    assert verdicts == ["met", "met", "not_met"]
    assert sorted(page.bars["Ninh Bình"]) == ["met", "not_met"]  # one bar part per verdict present
    assert sorted(page.series) == sorted({i for _, i in page.rows["Ninh Bình"]})
    assert {"target", "estimate"} <= set(page.marks)


def test_each_verdict_links_to_both_source_rows(report):
    html = report.read_text(encoding="utf-8")
    section = html[html.index('id="scorecard"'):]
    section = section[:section.index("</section>\n</section>") if "</section>\n</section>" in section else None]
    assert section.count('href="#doc=ninh_binh_2024.txt&amp;q=') == 3  # the targets
    assert section.count('href="#doc=ninh_binh_2025.txt&amp;q=') == 3  # the values reached


def test_a_screenshot_of_the_scorecard_renders(report, tmp_path):
    png = tmp_path / "scorecard.png"
    chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,1400", report.as_uri() + "#scorecard")
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000


def test_the_search_filters_the_scorecard_too(report, tmp_path):
    """Opened with a search in its address, the page hides the scorecard rows that do not match."""
    class Hidden(HTMLParser):
        def __init__(self, html):
            super().__init__()
            self.rows: list[tuple[str, bool]] = []
            self.feed(html)

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "tr" and "data-indicator" in a:
                self.rows.append((a["data-indicator"], "hidden" in a))

    every = Hidden(chromium(tmp_path, "--dump-dom", report.as_uri())).rows
    searched = Hidden(chromium(tmp_path, "--dump-dom", report.as_uri() + "#q=che%20ph%E1%BB%A7")).rows
    assert len(every) == 3 and not any(hidden for _, hidden in every)
    assert sum(not hidden for _, hidden in searched) == 1  # 'che phủ': the forest cover row alone
