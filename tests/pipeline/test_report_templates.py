"""The report's templates (report_assets/*.html.j2): markup and template syntax in a document's
text stay text. A real run over a real .docx whose file name, target name and correction note
hold `<script>alert(1)</script>{{ 7*7 }}`: report.html shows them escaped and unevaluated,
as the string-built page did, and headless Chromium runs none of it."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import docx
import jinja2
import pytest

from chitieu.pipeline.report import render_report_from_outputs
from chitieu.pipeline.report_html import templates
from chitieu.pipeline.run import Settings, run_extract

HOSTILE = "<script>alert(1)</script>{{ 7*7 }}"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}"
SOURCE = f"bao_cao {HOSTILE}.docx"  # a folder 'bao_cao <script>alert(1)<' holding 'script>{{ 7*7 }}.docx'
PLAN = f"ke_hoach {HOSTILE}.docx"
NAME = f"Tỷ lệ che phủ rừng {HOSTILE}"
NOTE = f"Ghi chú {HOSTILE}"


def write_table_document(path: Path, heading: tuple[str, ...], rows: list[list[str]]) -> None:
    d = docx.Document()
    for text in heading:
        d.add_paragraph(text)
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(path)


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("hostile-report")
    raw, out = base / "raw", base / "out"
    # a year-end report whose table quotes its plan beside the estimate: a scorecard row of its own
    write_table_document(raw / SOURCE, ("ỦY BAN NHÂN DÂN TỈNH CAO BẰNG", "Số: 77/BC-UBND", "BÁO CÁO",
                                        "Tình hình thực hiện kế hoạch phát triển kinh tế - xã hội năm 2025"),
                         [["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Ước thực hiện năm 2025", "Đánh giá"],
                          ["1", NAME, "%", "56", "55,9", "Đạt"]])
    # next year's plan: a target row with the name, loaded into the page by its script
    write_table_document(raw / PLAN, ("HỘI ĐỒNG NHÂN DÂN TỈNH CAO BẰNG", "Số: 90/NQ-HĐND", "NGHỊ QUYẾT",
                                      "Về kế hoạch phát triển kinh tế - xã hội năm 2026"),
                         [["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2026"], ["1", NAME, "%", "57"]])
    # a correction naming a row the document does not have: listed, with its note, as stale
    (raw / "corrections.csv").write_text(
        f'source,seq,name,field,value,note\n"{SOURCE}",9,"{NAME}",value_low,1,"{NOTE}"\n', encoding="utf-8")
    summary = run_extract(Settings(raw=raw, out=out, jobs=1, use_cache=False, isolate=False))
    assert summary.failed == 0 and len(summary.stale) == 1
    return raw, out


class Page(HTMLParser):
    """What a browser makes of the page: its script elements, and the text of each element."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict] = []
        self.texts: list[tuple[str, str]] = []  # (the tag it is in, text)
        self.tag = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))
        self.tag = tag

    def handle_data(self, data):
        self.texts.append((self.tag, data))

    def text_of(self, tag: str) -> list[str]:
        return [text for t, text in self.texts if t == tag]


def test_markup_in_a_source_a_target_name_and_a_note_is_escaped_and_not_evaluated(run):
    _, out = run
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert f'<a href="#doc-1">bao_cao {ESCAPED}.docx</a>' in html  # the summary table
    assert f"<h3>bao_cao {ESCAPED}.docx</h3>" in html  # the document's section
    assert f'<td class="name">Tỷ lệ che phủ rừng {ESCAPED}</td>' in html  # the scorecard
    assert f"<td>Tỷ lệ che phủ rừng {ESCAPED}</td>" in html and f"<td>Ghi chú {ESCAPED}</td>" in html  # stale
    page = Page(html)
    # the page's own three scripts, and none from the data
    assert [s.get("type") for s in page.scripts] == ["application/json", "application/json", None]
    assert SOURCE in page.text_of("h3") and NAME in page.text_of("td") and NOTE in page.text_of("td")


def test_a_re_render_from_the_outputs_escapes_them_the_same(run):
    raw, out = run
    html = render_report_from_outputs(out, raw / "corrections.csv").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert f"<h3>bao_cao {ESCAPED}.docx</h3>" in html and f"<td>Ghi chú {ESCAPED}</td>" in html


def test_in_chromium_the_markup_shows_as_text_and_runs_nothing(run, tmp_path):
    from test_report_browser import Dom, _require_chromium, chromium

    _require_chromium()
    _, out = run
    dom = Dom(chromium(tmp_path, "--dump-dom", (out / "report.html").as_uri()))
    assert [(row["doc"], row["seq"]) for row in dom.rows] == [(PLAN, 1)]  # the plan's row was loaded
    assert f'<td class="name">Tỷ lệ che phủ rừng {ESCAPED}</td>' in dom.html  # shown as text by report.js
    assert "<script>alert(1)" not in dom.html  # no element made of the data, in the page or the rows
    assert dom.html.count("<script") == 3  # the page's own (the rows' loader removes itself)


# --- the template environment -----------------------------------------------------------------


def test_every_template_compiles():
    env = templates()
    names = env.list_templates(extensions=["j2"])
    assert {"page.html.j2", "documents.html.j2", "scorecard.html.j2", "charts.html.j2"} <= set(names)
    for name in names:
        env.get_template(name)


def test_a_value_a_template_is_not_given_is_an_error_and_every_value_is_escaped():
    env = templates()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("<td>{{ missing }}</td>").render()
    assert env.from_string("<td>{{ v }}</td>").render(v=HOSTILE) == f"<td>{ESCAPED}</td>"
    assert env.from_string("<td>{{ v }}</td>").render(v=None) == "<td></td>"  # an empty cell, not 'None'


def test_the_templates_come_from_the_package_folder():
    folder = Path(templates().loader.get_source(templates(), "page.html.j2")[1]).parent
    assert folder.name == "report_assets" and (folder / "report.css").is_file()
