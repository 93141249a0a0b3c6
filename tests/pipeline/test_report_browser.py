"""report.html in a real browser: headless Chromium opens it from disk and runs its filter script.

Needs the Debian package `chromium`. Without it the tests skip locally and fail in CI (CI set).
"""
from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.report import write_report
from pipeline.schema import DOCUMENT_COLUMNS, TARGET_COLUMNS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--virtual-time-budget=2000",
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

TABLE = "000_955eea8916a792bc.docx"
PROSE = "nghi-quyet/004_9e906e494297ca05.pdf"


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = "chromium is not installed (Debian: apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def target(source: str, seq: int, name: str, status: str, **values) -> dict:
    row = dict.fromkeys(TARGET_COLUMNS)
    row.update(source=source, seq=seq, name=name, status=status, year=2024,
               target_type="numeric", approximate=False, measure="level")
    row.update(values)
    return row


TARGETS = [
    target(TABLE, 1, "GRDP bình quân đầu người (giá hiện hành)", "ok", unit="triệu đồng/người",
           value_low=148.0, value_high=148.0, low_inclusive=True, high_inclusive=True,
           comparator="=", target_text="148", agency="Cục Thống kê tỉnh",
           location="table 1, row 4"),
    target(TABLE, 2, "Tỷ suất sinh thô", "review", unit="‰", value_high=9.2, high_inclusive=True,
           comparator="<=", target_text="từ 9,2‰ trở xuống", agency="Sở Y tế",
           location="table 1, row 20", notes="unit:from_value"),
    target(PROSE, 1, "Tăng trưởng kinh tế (GRDP theo giá so sánh 2010)", "ok", unit="%",
           value_low=7.0, value_high=7.5, low_inclusive=True, high_inclusive=True,
           comparator="between", target_text="đạt 7,0 - 7,5%", page=1, location="line 31"),
    target(PROSE, 2, "Tổng thu ngân sách nhà nước trên địa bàn", "unparsed", target_type="none",
           measure=None, target_text="phấn đấu vượt dự toán trung ương giao", page=1,
           location="line 35", notes="value:unreadable"),
]


def document(source: str, **values) -> dict:
    row = dict.fromkeys(DOCUMENT_COLUMNS)
    row.update(source=source, format=source.rsplit(".", 1)[1], year=2024, status="ok")
    row.update(values)
    return row


DOCUMENTS = [
    document(TABLE, layout="table", targets=2, review=1),
    document(PROSE, layout="prose", pages=3, targets=2, unparsed=1),
    document("cu/ke-hoach.doc", year=None, status="failed", targets=0,
             error="Legacy .doc files are not read yet; save it as .docx and run again."),
]


class Rows(HTMLParser):
    """Each target row's status, document and hidden flag, and the filter count, from a DOM dump."""

    def __init__(self, html: str):
        super().__init__()
        self.rows: list[tuple[str, str, bool]] = []
        self.count = ""
        self._in_count = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-status" in attrs:
            self.rows.append((attrs["data-doc"], attrs["data-status"], "hidden" in attrs))
        self._in_count = attrs.get("id") == "filter-count"

    def handle_endtag(self, tag):
        self._in_count = False

    def handle_data(self, data):
        if self._in_count:
            self.count += data

    def visible(self) -> list[tuple[str, str]]:
        return [(doc, status) for doc, status, hidden in self.rows if not hidden]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    _require_chromium()
    path = tmp_path_factory.mktemp("report") / "report.html"
    write_report(TARGETS, DOCUMENTS, [], path)
    return path


def chromium(tmp_path: Path, *args: str) -> str:
    profile = tmp_path / "profile"
    result = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def dump_dom(tmp_path: Path, url: str) -> Rows:
    return Rows(chromium(tmp_path, "--dump-dom", url))


def test_every_target_row_is_in_the_dom_and_shown(report, tmp_path):
    rows = dump_dom(tmp_path, report.as_uri())
    assert rows.visible() == [(TABLE, "ok"), (TABLE, "review"), (PROSE, "ok"), (PROSE, "unparsed")]
    assert rows.count == "4 / 4 targets"  # the script ran


def test_filtering_by_status_shows_only_review_rows(report, tmp_path):
    rows = dump_dom(tmp_path, report.as_uri() + "#status=review")
    assert len(rows.rows) == 4
    assert rows.visible() == [(TABLE, "review")]
    assert rows.count == "1 / 4 targets"


def test_filtering_by_document_and_text(report, tmp_path):
    by_doc = dump_dom(tmp_path, report.as_uri() + "#doc=" + PROSE.replace("/", "%2F"))
    assert by_doc.visible() == [(PROSE, "ok"), (PROSE, "unparsed")]
    by_text = dump_dom(tmp_path, report.as_uri() + "#q=" + "ngân sách".replace(" ", "+"))
    assert by_text.visible() == [(PROSE, "unparsed")]


def test_screenshot_is_a_png(report, tmp_path):
    png = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,1600", report.as_uri())
    data = png.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 10_000


@pytest.fixture(scope="module")
def seed_outputs(tmp_path_factory) -> Path:
    """The real report of every seed in every form, as `chitieu extract` writes it."""
    _require_chromium()
    from conftest import RAW
    from pipeline.run import Settings, run_extract

    out = tmp_path_factory.mktemp("seed-outputs")
    run_extract(Settings(raw=RAW, out=out, jobs=1, use_cache=False))
    return out


def test_seed_report_shows_every_extracted_row(seed_outputs, tmp_path):
    from pipeline.report import read_outputs

    targets, _ = read_outputs(seed_outputs)
    rows = dump_dom(tmp_path, (seed_outputs / "report.html").as_uri())
    assert sorted((d, s) for d, s, _ in rows.rows) == sorted((t["source"], t["status"]) for t in targets)
    assert len(rows.visible()) == len(targets)


def test_seed_report_review_filter_shows_exactly_the_review_rows(seed_outputs, tmp_path):
    from pipeline.report import read_outputs

    targets, _ = read_outputs(seed_outputs)
    rows = dump_dom(tmp_path, (seed_outputs / "report.html").as_uri() + "#status=review")
    review = sorted(t["source"] for t in targets if t["status"] == "review")
    assert review and sorted(d for d, _ in rows.visible()) == review
    assert {s for _, s in rows.visible()} == {"review"}
