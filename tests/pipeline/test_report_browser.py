"""The report in a real browser: headless Chromium opens it from disk, loads each document's
rows and runs the filters, the source links, the corrections line and the layout at 1366 px.

Needs the Debian package `chromium`. Without it the tests skip locally and fail in CI (CI set).
Screenshots are kept under the test's temporary folder (`report-1366.png`) to look at.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from chitieu.pipeline.report import write_report
from chitieu.pipeline.schema import DOCUMENT_COLUMNS, TARGET_COLUMNS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--virtual-time-budget=5000",
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

TABLE = "000_955eea8916a792bc.docx"
PROSE = "nghi-quyet/004 9e906e494297ca05.pdf"  # a space and a folder: the link must quote it
LONG_READING = ("Phấn đấu hoàn thành vượt mức kế hoạch được giao, bảo đảm an sinh xã hội, giữ vững ổn định "
                "chính trị, trật tự an toàn xã hội trên địa bàn toàn tỉnh trong mọi tình huống")


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
           location="table 1, row 20", notes="direction_from_trailing_verb"),
    target(TABLE, 3, "Thu ngân sách, \"nội địa\"", "ok", target_type="qualitative", measure=None,
           target_text=LONG_READING, agency="Sở Tài chính và Ủy ban nhân dân các huyện, thị xã, thành phố",
           location="table 1, row 21"),
    target(PROSE, 1, "Tăng trưởng kinh tế (GRDP theo giá so sánh 2010)", "ok", unit="%",
           value_low=7.0, value_high=7.5, low_inclusive=True, high_inclusive=True,
           comparator="between", target_text="đạt 7,0 - 7,5%", page=1, location="line 31",
           notes="ocr_confidence:0.96"),
    target(PROSE, 2, "Tổng thu ngân sách nhà nước trên địa bàn", "unparsed", target_type="none",
           measure=None, target_text="phấn đấu vượt dự toán trung ương giao", page=3,
           location="line 35", notes="no_target_phrase"),
]


def document(source: str, **values) -> dict:
    row = dict.fromkeys(DOCUMENT_COLUMNS)
    row.update(source=source, format=source.rsplit(".", 1)[1], year=2024, status="ok")
    row.update(values)
    return row


DOCUMENTS = [
    document(TABLE, layout="table", targets=3, review=1),
    document(PROSE, layout="prose", pages=3, targets=2, unparsed=1),
    document("cu/ke-hoach.doc", year=None, status="failed", targets=0,
             error="Legacy .doc files are not read yet; save it as .docx and run again."),
]


class Dom(HTMLParser):
    """Each target row (its attributes, hidden flag, source link and copy line) and the count."""

    def __init__(self, html: str):
        super().__init__()
        self.html = html
        self.rows: list[dict] = []
        self.count = ""
        self._in_count = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-status" in attrs:
            self.rows.append({"doc": attrs["data-doc"], "status": attrs["data-status"], "seq": int(attrs["data-seq"]),
                              "hidden": "hidden" in attrs, "links": [], "line": None})
        elif tag == "a" and "source" in (attrs.get("class") or "") and self.rows:
            self.rows[-1]["links"].append(attrs["href"])
        elif tag == "button" and "copy" in (attrs.get("class") or "") and self.rows:
            self.rows[-1]["line"] = attrs["data-line"]
        self._in_count = attrs.get("id") == "filter-count"

    def handle_endtag(self, tag):
        self._in_count = False

    def handle_data(self, data):
        if self._in_count:
            self.count += data

    def visible(self) -> list[tuple[str, str]]:
        return [(r["doc"], r["status"]) for r in self.rows if not r["hidden"]]


def chromium(tmp_path: Path, *args: str) -> str:
    profile = tmp_path / "profile"
    result = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def dump_dom(tmp_path: Path, url: str, *args: str) -> Dom:
    return Dom(chromium(tmp_path, *args, "--dump-dom", url))


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    _require_chromium()
    base = tmp_path_factory.mktemp("report")
    path = base / "extracted" / "report.html"
    write_report(TARGETS, DOCUMENTS, [], path, raw=base / "raw")
    return path


def test_the_page_is_vietnamese_and_every_row_is_loaded_and_shown(report, tmp_path):
    dom = dump_dom(tmp_path, report.as_uri())
    assert '<html lang="vi">' in dom.html
    assert dom.visible() == [(TABLE, "ok"), (TABLE, "review"), (TABLE, "ok"), (PROSE, "ok"), (PROSE, "unparsed")]
    assert dom.count == "5 / 5 chỉ tiêu"  # the script ran
    assert "động từ ở cuối tên" in dom.html  # the note code explained in place
    # a note that carries its value is explained in its row too (ocr_confidence:0.96)
    assert re.search(r'<li title="ocr_confidence:0.96"><code>ocr_confidence:0.96</code> [^<]*độ tin cậy trung bình',
                     dom.html), "the row's note has no meaning"


def test_every_row_links_to_its_source_and_pdf_page_relative_to_the_output_folder(report, tmp_path):
    dom = dump_dom(tmp_path, report.as_uri())
    links = [(r["doc"], r["seq"], r["links"]) for r in dom.rows]
    prose = "../raw/nghi-quyet/004%209e906e494297ca05.pdf"
    assert links == [(TABLE, 1, [f"../raw/{TABLE}"]), (TABLE, 2, [f"../raw/{TABLE}"]), (TABLE, 3, [f"../raw/{TABLE}"]),
                     (PROSE, 1, [f"{prose}#page=1"]), (PROSE, 2, [f"{prose}#page=3"])]


def test_the_copy_button_holds_a_corrections_line_for_the_row(report, tmp_path):
    dom = dump_dom(tmp_path, report.as_uri())
    lines = {(r["doc"], r["seq"]): r["line"] for r in dom.rows}
    assert lines[(TABLE, 2)] == f"{TABLE},2,Tỷ suất sinh thô,status,ok,đã đối chiếu với văn bản"
    assert lines[(TABLE, 1)] == f"{TABLE},1,GRDP bình quân đầu người (giá hiện hành),value_low,148,"
    assert lines[(TABLE, 3)] == f'{TABLE},3,"Thu ngân sách, ""nội địa""",target_type,qualitative,'


def test_filtering_by_status_document_and_text(report, tmp_path):
    review = dump_dom(tmp_path, report.as_uri() + "#status=review")
    assert review.visible() == [(TABLE, "review")] and review.count == "1 / 5 chỉ tiêu"
    by_doc = dump_dom(tmp_path, report.as_uri() + "#doc=" + quote(PROSE, safe=""))
    assert by_doc.visible() == [(PROSE, "ok"), (PROSE, "unparsed")]
    by_text = dump_dom(tmp_path, report.as_uri() + "#q=" + quote("ngân sách nhà"))
    assert by_text.visible() == [(PROSE, "unparsed")]


def test_a_large_batch_loads_only_the_documents_in_view(tmp_path):
    _require_chromium()
    sources = [f"van-ban-{d:03}.txt" for d in range(80)]
    targets = [target(s, seq, f"Chỉ tiêu {seq}", "review" if seq == 7 and s.endswith("50.txt") else "ok")
               for s in sources for seq in range(1, 21)]
    path = tmp_path / "out" / "report.html"
    write_report(targets, [document(s) for s in sources], [], path, raw=tmp_path / "raw", eager_rows=0)
    first = dump_dom(tmp_path, path.as_uri(), "--window-size=1366,700")
    assert len({r["doc"] for r in first.rows}) < 10  # the rest wait until they come into view
    assert first.count == "1.600 / 1.600 chỉ tiêu"
    wanted = dump_dom(tmp_path, path.as_uri() + "#doc=van-ban-060.txt", "--window-size=1366,700")
    assert {r["doc"] for r in wanted.rows if not r["hidden"]} == {"van-ban-060.txt"}
    review = dump_dom(tmp_path, path.as_uri() + "#status=review", "--window-size=1366,700")
    assert review.visible() == [("van-ban-050.txt", "review")] and review.count == "1 / 1.600 chỉ tiêu"


# A page beside the report that opens it in a frame, lets it load, then measures the columns
# (and clicks a copy button) and writes what it found into its own DOM for --dump-dom.
PROBE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="report.html#status=" style="border:0;width:1366px;height:900px"></iframe>
<pre id="out"></pre>
<script>
document.getElementById("f").onload = function () {
  setTimeout(function () {
    var doc = this.contentDocument, win = this.contentWindow;
    var heads = Array.prototype.slice.call(doc.querySelectorAll("table.targets")[0].querySelectorAll("th"));
    var button = doc.querySelector("tr[data-status=review] button.copy");
    var line = button.dataset.line;
    button.click();
    var editor = doc.querySelector("tr.editor output.line");
    document.getElementById("out").textContent = JSON.stringify({
      viewport: win.innerWidth, scroll: doc.documentElement.scrollWidth,
      columns: heads.map(function (th) { var r = th.getBoundingClientRect();
        return [th.textContent, Math.round(r.left), Math.round(r.right)]; }),
      names: Array.prototype.map.call(doc.querySelectorAll("td.name"), function (td) {
        return Math.round(td.getBoundingClientRect().width); }),
      line: line, editor: editor && editor.textContent});
  }.bind(this), 1000);
};
</script></body></html>"""


def test_at_1366_px_every_column_is_visible_and_the_copy_opens_the_same_line(report, tmp_path):
    probe = report.with_name("probe.html")
    probe.write_text(PROBE, encoding="utf-8")
    html = chromium(tmp_path, "--allow-file-access-from-files", "--window-size=1366,900", "--dump-dom", probe.as_uri())
    found = json.loads(re.search(r'<pre id="out">(.*?)</pre>', html, re.S).group(1).replace("&quot;", '"'))
    assert found["scroll"] <= found["viewport"]  # nothing pushed off to the right
    assert [c[0] for c in found["columns"]] == ["STT", "Mục", "Số", "Tên chỉ tiêu", "Chỉ tiêu như văn bản ghi",
                                                 "Cách đọc", "Cơ quan", "Nguồn", "Trạng thái", "Ghi chú", "Sửa"]
    for name, left, right in found["columns"]:
        assert 0 <= left and right <= found["viewport"] and right - left >= 40, (name, left, right)
    assert min(found["names"]) >= 180  # a long reading does not squeeze the name
    assert found["editor"] == found["line"]
    shot = tmp_path / "report-1366.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1366,900", report.as_uri())
    assert shot.read_bytes().startswith(PNG_SIGNATURE)
    shutil.copy(shot, report.parent / "report-1366.png")


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory) -> tuple[Path, Path]:
    """The seeds, extracted as `chitieu extract` does, into a folder beside a copy of raw/."""
    _require_chromium()
    from conftest import RAW
    from chitieu.pipeline.run import Settings, run_extract

    base = tmp_path_factory.mktemp("seed-run")
    raw, out = base / "raw", base / "extracted"
    shutil.copytree(RAW, raw, ignore=shutil.ignore_patterns("corrections.csv"))
    run_extract(Settings(raw=raw, out=out, jobs=1, use_cache=False, isolate=False))
    return raw, out


def test_seed_report_shows_every_extracted_row_with_its_page(seed_run, tmp_path):
    from chitieu.pipeline.report import read_outputs

    raw, out = seed_run
    targets, _ = read_outputs(out)
    dom = dump_dom(tmp_path, (out / "report.html").as_uri())
    assert sorted((r["doc"], r["seq"]) for r in dom.rows) == sorted((t["source"], t["seq"]) for t in targets)
    assert len(dom.visible()) == len(targets)
    pages = {(t["source"], t["seq"]): t["page"] for t in targets}
    for row in dom.rows:
        page = pages[(row["doc"], row["seq"])]
        assert row["links"] == [f"../raw/{row['doc']}" + (f"#page={page}" if page else "")]
        assert (out / row["links"][0].split("#")[0]).is_file()


def test_seed_report_review_filter_shows_exactly_the_review_rows(seed_run, tmp_path):
    from chitieu.pipeline.report import read_outputs

    _, out = seed_run
    targets, _ = read_outputs(out)
    dom = dump_dom(tmp_path, (out / "report.html").as_uri() + "#status=review")
    review = sorted(t["source"] for t in targets if t["status"] == "review")
    assert review and sorted(d for d, _ in dom.visible()) == review
    assert {s for _, s in dom.visible()} == {"review"}


def test_the_copied_line_is_applied_by_the_next_run(seed_run, tmp_path):
    from chitieu.pipeline.report import read_outputs
    from chitieu.pipeline.run import Settings, run_extract

    raw, out = seed_run
    dom = dump_dom(tmp_path, (out / "report.html").as_uri() + "#status=review")
    row = next(r for r in dom.rows if not r["hidden"])
    (raw / "corrections.csv").write_text("source,seq,name,field,value,note\n" + row["line"] + "\n", encoding="utf-8")
    summary = run_extract(Settings(raw=raw, out=out, jobs=1, isolate=False))
    assert (summary.corrections_applied, summary.stale) == (1, [])
    targets, _ = read_outputs(out)
    fixed = next(t for t in targets if (t["source"], t["seq"]) == (row["doc"], row["seq"]))
    assert fixed["status"] == "ok" and "corrected:status" in fixed["notes"]
