"""The .html reader: the seeds exported by LibreOffice, and the same page inside a legal site's
menus and scripts, read as their .docx reads; lists, headings and merged cells as a browser
shows them."""
from __future__ import annotations

import re

import pytest

from conftest import PROSE_SEED, RAW, TABLE_SEED
from goldcheck import read_gold
from chitieu.parsers.formats.docx import read_docx
from chitieu.parsers.formats.html import read_html
from seedforms import gold_check, has_libreoffice, libreoffice_convert, structure

needs_libreoffice = pytest.mark.skipif(not has_libreoffice(), reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    return {stem: libreoffice_convert(RAW / f"{stem}.docx", "html", out) for stem in (TABLE_SEED, PROSE_SEED)}


@needs_libreoffice
@pytest.mark.parametrize("stem", [TABLE_SEED, PROSE_SEED])
def test_a_seed_exported_to_html_reads_as_its_docx(exported, stem):
    assert structure(read_html(exported[stem])) == structure(read_docx(RAW / f"{stem}.docx"))


@needs_libreoffice
@pytest.mark.parametrize("stem", [TABLE_SEED, PROSE_SEED])
def test_a_seed_exported_to_html_gives_its_gold_rows(exported, stem):
    targets, added = gold_check(exported[stem], stem)
    assert not added
    assert len(targets) == len(read_gold(stem))


SITE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>Nghị quyết</title>
<style>body {{ font: 14px serif }}</style><script>var menu = "Trang chủ";</script></head>
<body><header><a href="/">Thư viện văn bản</a><form><input name="q"></form></header>
<nav><ul><li>Trang chủ</li><li>Văn bản mới</li></ul></nav>
<div class="main-menu"><a>Đăng nhập</a></div><div id="breadcrumb">Trang chủ › Văn bản</div>
<div class="content">{content}</div>
<aside class="sidebar"><h3>Văn bản liên quan</h3><p>Nghị quyết 01/2023</p></aside>
<div style="display:none">Quảng cáo</div><noscript>Bật JavaScript</noscript>
<footer>Bản quyền © 2024</footer><script>track();</script></body></html>"""


@needs_libreoffice
def test_a_saved_legal_site_page_reads_as_the_document_alone(exported, tmp_path):
    exported_body = exported[PROSE_SEED].read_text(encoding="utf-8")
    content = re.search(r"<body[^>]*>(.*)</body>", exported_body, re.DOTALL).group(1)
    page = tmp_path / "nghi-quyet.html"
    page.write_text(SITE.format(charset="utf-8", content=content), encoding="utf-8")
    assert structure(read_html(page)) == structure(read_docx(RAW / f"{PROSE_SEED}.docx"))


def test_headings_lists_and_merged_cells(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(SITE.format(charset="utf-8", content="""
        <h1>NGHỊ QUYẾT</h1><h3>Về <b>kinh tế</b></h3>
        <ol type="a"><li>Tăng trưởng đạt 7%</li>
          <li value="4">Thu ngân sách<ol type="I" start="2"><li>nội địa</li></ol></li></ol>
        <ul><li>Tỷ lệ hộ nghèo giảm 1%</li></ul>
        <p><b>2. Các chỉ tiêu</b> chủ yếu<br>như sau:<br><br>- Đô thị hoá đạt 40%</p>
        <table><tr><th>STT</th><th>Chỉ tiêu</th><th>ĐVT</th><th>Kế hoạch</th></tr>
          <tr><td>I</td><td colspan="3"><p>Về kinh tế</p></td></tr>
          <tr><td rowspan="2">1</td><td>GRDP</td><td rowspan="2" colspan="2">%</td></tr>
          <tr><td>Xuất khẩu</td></tr>
          <tr><td>2</td><td>Vốn</td><td>tỷ đồng</td><td rowspan="3">124</td></tr>
          <tr><td></td><td>FDI</td><td>tỷ đồng</td></tr>
        </table>
        <table><tr><td><p>Nơi nhận:</p><p>- Lưu VT</p></td></tr></table>"""), encoding="utf-8")
    doc = read_html(page)
    lines = [(l.marker, l.text, l.level, l.heading, l.bold) for l in doc.lines]
    assert lines == [
        (None, "NGHỊ QUYẾT", 1, True, True),
        (None, "Về kinh tế", 3, True, True),
        ("a.", "Tăng trưởng đạt 7%", 1, False, False),
        ("d.", "Thu ngân sách", 1, False, False),
        ("II.", "nội địa", 2, False, False),
        ("•", "Tỷ lệ hộ nghèo giảm 1%", 1, False, False),
        ("2.", "Các chỉ tiêu chủ yếu như sau:", None, False, False),
        ("-", "Đô thị hoá đạt 40%", None, False, False),
        (None, "Nơi nhận:", None, False, False),
        ("-", "Lưu VT", None, False, False),
    ]
    assert structure(doc)[1] == [[
        [("STT", 1, False), ("Chỉ tiêu", 1, False), ("ĐVT", 1, False), ("Kế hoạch", 1, False)],
        [("I", 1, False), ("Về kinh tế", 3, False)],
        [("1", 1, False), ("GRDP", 1, False), ("%", 2, False)],
        [("", 1, True), ("Xuất khẩu", 1, False), ("", 2, True)],
        [("2", 1, False), ("Vốn", 1, False), ("tỷ đồng", 1, False), ("124", 1, False)],
        [("", 1, False), ("FDI", 1, False), ("tỷ đồng", 1, False), ("", 1, True)],
    ]]
    assert doc.tables[0].rows[0].cells[0].bold and not doc.tables[0].rows[2].cells[1].bold
    assert doc.tables[0].after_line == 8
