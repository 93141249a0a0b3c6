"""The PDF reader: pdfium reads the pages that cannot hold a ruled table, pdfplumber the
others. Whichever reads a page, its lines are the ones pdfplumber gives, tables still come
out of ruled pages, and bad files fail with the same messages. Files are made for real with
reportlab; pdfplumber itself is the reference."""
from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

import badfiles
from conftest import PROSE_SEED, RAW, TABLE_SEED
from chitieu.parsers.formats import pdf as pdf_reader
from chitieu.parsers.formats.pdf import read_pdf
from chitieu.parsers.model import UnreadableDocument

FONT = "VietSans"


@pytest.fixture(scope="module")
def font():
    path = badfiles.vietnamese_font()
    if path is None:
        pytest.skip("no DejaVu Sans (fonts-dejavu-core) on this machine")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, str(path)))
    return FONT


def make_pdf(path: Path, *pages) -> Path:
    """One page per drawing function, each given the canvas."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for draw in pages:
        draw(c)
        c.showPage()
    c.save()
    return path


def write(c, lines, x=72, top=780, size=12, leading=16):
    c.setFont(FONT, size)
    for i, text in enumerate(lines):
        c.drawString(x, top - i * leading, text)


TARGETS = ["- Tốc độ tăng trưởng kinh tế (GRDP) đạt 7,0 - 7,5%.",
           "- Thu ngân sách nhà nước trên địa bàn đạt 2.500 tỷ đồng.",
           "- Tỷ lệ hộ nghèo giảm 1,5%."]


def pdfplumber_lines(path: Path) -> list[tuple[int, str]]:
    """(page, text) of every non-blank line of every page's extract_text() with the reader's
    word gap: what the reader gives for pages without tables, whichever library reads them."""
    from chitieu.parsers.formats.pdfium_text import WORD_GAP as _WORD_GAP

    with pdfplumber.open(path) as pdf:
        return [(page.page_number, text) for page in pdf.pages
                for text in (page.extract_text(x_tolerance=_WORD_GAP) or "").splitlines() if text.strip()]


def read_with_routes(path: Path, monkeypatch) -> tuple[object, list[str]]:
    """The document, and for each page the library that read it (pdfplumber looks for
    tables on every page it reads)."""
    seen: set[int] = set()
    find_tables = pdfplumber.page.Page.find_tables

    def spy(page, *args, **kwargs):
        seen.add(page.page_number)
        return find_tables(page, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(pdfplumber.page.Page, "find_tables", spy)
        document = read_pdf(path)
    return document, ["pdfplumber" if n in seen else "pdfium" for n in range(1, document.pages + 1)]


def read_with_pdfplumber_only(path: Path, monkeypatch):
    """The document as the reader gives it when pdfium cannot open the file: every page
    through pdfplumber, as before pdfium was used."""
    with monkeypatch.context() as m:
        m.setattr(pdf_reader, "_open_pdfium", lambda path, pages: None)
        return read_pdf(path)


# ------------------------------------------------------------------------------- routing

def header_rules(c):
    write(c, ["TỈNH ỦY HÀ GIANG"], x=100, top=800)
    write(c, ["ĐẢNG CỘNG SẢN VIỆT NAM"], x=340, top=800)
    c.setLineWidth(0.5)
    c.line(110, 794, 190, 794)
    c.line(360, 794, 480, 794)  # beside the first, at the same height
    write(c, ["NGHỊ QUYẾT"], x=260, top=750, size=14)
    c.setLineWidth(1.5)
    c.line(250, 744, 344, 744)
    write(c, TARGETS, top=700)


def underlines(c):
    write(c, TARGETS)
    for i in range(len(TARGETS)):
        c.rect(72, 778 - 16 * i, 120, 0.6, stroke=0, fill=1)


def double_rule(c):
    write(c, ["Phần I. CHỈ TIÊU CHỦ YẾU"], top=800)
    c.line(72, 795, 300, 795)
    c.line(72, 793, 300, 793)  # 2 pt below: joined edges would still be under 3 pt
    write(c, TARGETS, top=770)


def stacked_rules(c):
    write(c, TARGETS)
    for i in range(4):  # 1.5 pt rules 1 pt apart: a band 9 pt high
        c.rect(72, 700 + 2.5 * i, 200, 1.5, stroke=0, fill=1)


def vertical_rule(c):
    write(c, TARGETS)
    c.line(60, 700, 60, 704)


def boxed(c):
    write(c, TARGETS)
    c.rect(66, 740, 420, 56)


def ruled_table(c):
    write(c, ["Bảng 1. Chỉ tiêu chủ yếu"], top=800)
    ys, xs = [780, 760, 740, 720], [72, 110, 400, 500]
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for r, row in enumerate([("STT", "Chỉ tiêu", "Kế hoạch"), ("1", "Tăng trưởng GRDP", "7%"),
                             ("2", "Tỷ lệ hộ nghèo giảm", "1,5%")]):
        for k, text in enumerate(row):
            c.setFont(FONT, 10)
            c.drawString(xs[k] + 3, ys[r] - 14, text)
    write(c, ["Ghi chú: số liệu ước thực hiện."], top=700)


def rule_in_form(c):
    c.beginForm("rule")
    c.line(72, 760, 300, 760)
    c.endForm()
    c.doForm("rule")
    write(c, TARGETS)


def rotated_page(c):
    c.setPageRotation(90)
    write(c, TARGETS, top=500)


ROUTES = [
    ("prose without any drawing", lambda c: write(c, TARGETS), "pdfium"),
    ("rules under the header blocks and under the title", header_rules, "pdfium"),
    ("underlined lines (thin filled rectangles)", underlines, "pdfium"),
    ("a double rule 2 pt apart", double_rule, "pdfium"),
    ("thin rules stacked 1 pt apart", stacked_rules, "pdfium"),
    ("a short vertical rule", vertical_rule, "pdfium"),
    ("a box around the text", boxed, "pdfium"),
    ("a ruled table", ruled_table, "pdfium"),
    ("a rule inside a form XObject", rule_in_form, "pdfplumber"),
    ("a rotated page", rotated_page, "pdfplumber"),
    ("rotated text in the margin", lambda c: rotated_text(c), "pdfplumber"),
]


@pytest.mark.parametrize("draw,library", [(d, lib) for _, d, lib in ROUTES], ids=[i for i, _, _ in ROUTES])
def test_which_library_reads_a_page(tmp_path, monkeypatch, font, draw, library):
    path = make_pdf(tmp_path / "page.pdf", draw)
    document, routes = read_with_routes(path, monkeypatch)
    assert routes == [library]
    assert document == read_with_pdfplumber_only(path, monkeypatch)


def test_a_ruled_table_still_comes_out(tmp_path, monkeypatch, font):
    document, routes = read_with_routes(make_pdf(tmp_path / "table.pdf", ruled_table), monkeypatch)
    assert routes == ["pdfium"]
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [
        ["STT", "Chỉ tiêu", "Kế hoạch"], ["1", "Tăng trưởng GRDP", "7%"], ["2", "Tỷ lệ hộ nghèo giảm", "1,5%"]]
    assert [line.full_text for line in document.lines] == ["Bảng 1. Chỉ tiêu chủ yếu", "Ghi chú: số liệu ước thực hiện."]


def test_pages_of_one_document_go_each_their_own_way(tmp_path, monkeypatch, font):
    """A table running to the bottom of page 1, prose on page 2, a table at the top of page
    3: the prose page ends the first table, so the second is a table of its own."""
    def long_table(c):
        ys = [800 - 20 * i for i in range(38)]
        for y in ys:
            c.line(72, y, 500, y)
        for x in (72, 110, 500):
            c.line(x, ys[0], x, ys[-1])
        c.setFont(FONT, 10)
        for i, y in enumerate(ys[:-1]):
            c.drawString(75, y - 14, str(i + 1))
            c.drawString(113, y - 14, f"Chỉ tiêu số {i + 1}")

    def table_at_top(c):
        c.setFont(FONT, 10)
        for y in (820, 800, 780):
            c.line(72, y, 500, y)
        for x in (72, 110, 500):
            c.line(x, 820, x, 780)
        c.drawString(75, 806, "38")
        c.drawString(113, 806, "Chỉ tiêu số 38")
        c.drawString(75, 786, "39")
        c.drawString(113, 786, "Chỉ tiêu số 39")

    path = make_pdf(tmp_path / "mixed.pdf", long_table, lambda c: write(c, TARGETS), table_at_top)
    document, routes = read_with_routes(path, monkeypatch)
    assert routes == ["pdfium", "pdfium", "pdfium"]
    assert [len(t.rows) for t in document.tables] == [37, 2]
    assert {row.page for row in document.tables[1].rows} == {3}
    assert [(line.page, line.full_text) for line in document.lines] == [(2, t) for t in TARGETS]
    assert [line.number for line in document.lines] == [1, 2, 3]
    assert document == read_with_pdfplumber_only(path, monkeypatch)


# ------------------------------------------------------------- lines as pdfplumber gives them

def hyphen_ending_lines(c):
    write(c, ["Tốc độ tăng trưởng kinh-", "tế đạt 7,0 - 7,5%, xuất khẩu -", "tăng 10%; thu ngân sách đạt-",
              "Trên 2.500 tỷ đồng."])


def superscript(c):
    t = c.beginText(72, 780)
    t.setFont(FONT, 12)
    t.textOut("Diện tích nhà ở bình quân đạt 28 m")
    t.setRise(5)
    t.setFont(FONT, 7)
    t.textOut("2")
    t.setRise(0)
    t.setFont(FONT, 12)
    t.textOut(" sàn/người.")
    c.drawText(t)


def mixed_sizes(c):
    c.setFont(FONT, 16)
    c.drawString(72, 780, "NGHỊ QUYẾT")
    c.setFont(FONT, 9)
    c.drawString(200, 780, "số 12-NQ/TU")  # same baseline, far smaller: pdfplumber splits it


def signature_block(c):
    c.setFont(FONT, 9)
    c.drawString(72, 780, "Nơi nhận:")
    c.drawString(72, 769, "- Như trên,")
    c.setFont(FONT, 11)
    c.drawString(350, 781.5, "T/M TỈNH ỦY")
    c.drawString(350, 767, "BÍ THƯ")


def tight_lines(c):
    write(c, ["dòng A"], top=780)
    write(c, ["dòng B"], x=200, top=776.5)
    write(c, ["dòng C"], x=330, top=774)


def gaps_without_spaces(c):
    c.setFont(FONT, 12)
    x = 72
    for word, gap in (("Chỉ", 2), ("tiêu", 3.5), ("đạt", 6), ("95%", 0)):
        c.drawString(x, 780, word)
        x += c.stringWidth(word, FONT, 12) + gap


def right_column_first(c):
    write(c, ["Hà Giang, ngày 5 tháng 12 năm 2024"], x=330)
    write(c, ["Số 12-NQ/TU"])


def word_style_text(c):
    t = c.beginText()
    t.setFont(FONT, 1)
    t.setTextTransform(12, 0, 0, 12, 72, 780)  # size 1 font, scaled by the text matrix
    t.textOut(TARGETS[0])
    c.drawText(t)
    c.saveState()
    c.translate(72, 760)
    c.scale(1.25, 1.25)  # scaled by the graphics state
    c.setFont(FONT, 10)
    c.drawString(0, 0, TARGETS[1])
    c.restoreState()


def rotated_text(c):
    write(c, TARGETS)
    c.saveState()
    c.translate(540, 300)
    c.rotate(90)
    c.setFont(FONT, 10)
    c.drawString(0, 0, "Bản sao lưu")
    c.restoreState()


def text_in_form(c):
    c.beginForm("header")
    write(c, ["TỈNH ỦY HÀ GIANG"], top=800)
    c.endForm()
    c.doForm("header")
    write(c, TARGETS)


FEATURES = [
    ("a hyphen ending a line", hyphen_ending_lines),
    ("a superscript", superscript),
    ("two sizes on one baseline", mixed_sizes),
    ("columns with offset baselines", signature_block),
    ("lines 2.5 and 3.5 pt apart", tight_lines),
    ("gaps without space characters", gaps_without_spaces),
    ("the right column drawn first", right_column_first),
    ("text scaled by its matrix or the graphics state", word_style_text),
    ("text in a form XObject", text_in_form),
    ("runs of spaces", lambda c: write(c, ["   Tỷ lệ   hộ nghèo  giảm 1,5%.   ", "\u00a0Tỷ lệ\u00a0che phủ rừng."])),
    ("ligatures", lambda c: write(c, ["ﬁnancial ﬂow: hiệu quả"])),
]


def test_a_2_pt_gap_between_words_is_a_space(tmp_path, font):
    """A word whose last glyph comes from a wider fallback font leaves about 2 pt before the
    next word (LibreOffice's PDFs of Vietnamese text): a space all the same."""
    path = make_pdf(tmp_path / "gaps.pdf", gaps_without_spaces)
    assert [line.full_text for line in read_pdf(path).lines] == ["Chỉ tiêu đạt 95%"]


@pytest.mark.parametrize("draw", [d for _, d in FEATURES], ids=[i for i, _ in FEATURES])
def test_a_pdfium_page_has_the_lines_pdfplumber_gives(tmp_path, monkeypatch, font, draw):
    path = make_pdf(tmp_path / "prose.pdf", draw)
    document, routes = read_with_routes(path, monkeypatch)
    assert routes == ["pdfium"]
    assert [(line.page, line.full_text) for line in document.lines] == pdfplumber_lines(path)
    assert not any(mark in line.full_text for line in document.lines for mark in "\r\x02\ufffe")


def test_the_prose_seed_is_read_by_pdfium_line_for_line_as_pdfplumber_reads_it(monkeypatch):
    path = RAW / f"{PROSE_SEED}.pdf"
    document, routes = read_with_routes(path, monkeypatch)
    assert routes == ["pdfium"] * 3
    assert [(line.page, line.full_text) for line in document.lines] == pdfplumber_lines(path)
    assert [line.number for line in document.lines] == list(range(1, len(document.lines) + 1))
    assert document == read_with_pdfplumber_only(path, monkeypatch)


def test_the_table_seed_still_gives_its_table_across_page_breaks(monkeypatch):
    path = RAW / f"{TABLE_SEED}.pdf"
    document, routes = read_with_routes(path, monkeypatch)
    assert routes == ["pdfium"] * 3
    assert len(document.tables) == 1
    rows = document.tables[0].rows
    assert [c.text for c in rows[0].cells][:3] == ["STT", "Chỉ tiêu", "ĐVT"]
    assert {row.page for row in rows} == {1, 2, 3}
    with pdfplumber.open(path) as pdf:
        library_rows = sum(len(t) for page in pdf.pages for t in page.extract_tables())
    assert len(rows) == library_rows - 1  # one row split by a page break, joined again
    assert document == read_with_pdfplumber_only(path, monkeypatch)


def test_a_pdf_locked_against_copying_is_read_by_pdfium_too(tmp_path, monkeypatch, font):
    path = badfiles.restricted_pdf(tmp_path / "locked.pdf", TARGETS * 30, badfiles.vietnamese_font())
    document, routes = read_with_routes(path, monkeypatch)
    assert routes == ["pdfium", "pdfium"]
    assert [line.full_text for line in document.lines] == TARGETS * 30
    assert [line.page for line in document.lines] == [1] * 60 + [2] * 30


# ------------------------------------------------------------------------------ bad files

def damaged(seed: Path, path: Path, page_no: int) -> Path:
    """The seed with 64 bytes of page `page_no`'s compressed content overwritten."""
    data = seed.read_bytes()
    with pdfplumber.open(seed) as pdf:
        content = pdf.pages[page_no - 1].page_obj.contents[0].get_rawdata()
    start = data.index(content) + len(content) // 3
    path.write_bytes(data[:start] + bytes((x * 37 + 11) % 256 for x in range(64)) + data[start + 64:])
    return path


def damaged_ascii85(path: Path) -> Path:
    """A reportlab PDF whose content is ASCII85 over Flate, broken on page 2."""
    from reportlab import rl_config

    assert rl_config.useA85
    def page(text):
        def draw(c):
            c.setFont("Helvetica", 12)
            c.drawString(72, 780, text)
        return draw

    good = make_pdf(path.with_name("good.pdf"), page("Toc do tang truong kinh te (GRDP) dat 7,0 - 7,5%."),
                    page("Ty le ho ngheo giam 1,5%."))
    return damaged(good, path, 2)


from chitieu.parsers.formats.ocr import missing_ocr_sentence, no_text_sentence, tesseract  # a scan is read by OCR (issue 13)

NOT_A_PDF = "the file is not a PDF (it has no PDF header; it looks like {}); give it its right extension"
DAMAGED_PAGE = ("the PDF is damaged: the content of page {} cannot be unpacked, so its text would be lost; "
                "get a complete copy of the file")

BAD_FILES = [
    ("text", lambda p: p.write_text("Chỉ tiêu năm 2024\n", encoding="utf-8") and p, NOT_A_PDF.format("a text file")),
    ("docx", lambda p: p.write_bytes((RAW / f"{TABLE_SEED}.docx").read_bytes()) and p,
     NOT_A_PDF.format("a zip archive (a .docx or .xlsx?)")),
    ("encrypted", badfiles.encrypted_pdf, "the PDF is password-protected; ask its sender for an unprotected copy"),
    ("truncated", lambda p: badfiles.truncated(RAW / f"{PROSE_SEED}.pdf", p, 0.4),
     "the PDF is damaged or truncated; get a complete copy of the file"),
    ("scan", badfiles.image_only_pdf, no_text_sentence(2) if tesseract() else missing_ocr_sentence(2)),
    ("blank pages", lambda p: make_pdf(p, lambda c: None, lambda c: None, lambda c: None),
     no_text_sentence(3) if tesseract() else missing_ocr_sentence(3)),
    ("damaged prose page", lambda p: damaged(RAW / f"{PROSE_SEED}.pdf", p, 2), DAMAGED_PAGE.format(2)),
    ("damaged table page", lambda p: damaged(RAW / f"{TABLE_SEED}.pdf", p, 3), DAMAGED_PAGE.format(3)),
    ("damaged under ASCII85", damaged_ascii85, DAMAGED_PAGE.format(2)),
]


@pytest.mark.parametrize("make,message", [(m, msg) for _, m, msg in BAD_FILES], ids=[i for i, _, _ in BAD_FILES])
def test_a_bad_file_fails_with_its_message(tmp_path, make, message):
    path = make(tmp_path / "bad.pdf")
    with pytest.raises(UnreadableDocument) as failure:
        read_pdf(path)
    assert str(failure.value) == message


def test_a_pdf_over_the_page_limit_fails_with_a_sentence(monkeypatch):
    """A real seed PDF against a lowered limit: the sentence names the count and what to do."""
    import chitieu.parsers.formats.pdf as pdf_module
    from chitieu.parsers.model import UnreadableDocument

    monkeypatch.setattr(pdf_module, "MAX_PDF_PAGES", 1)
    with pytest.raises(UnreadableDocument, match=r"pages, over the limit of 1; split it"):
        pdf_module.read_pdf(RAW / f"{PROSE_SEED}.pdf")


def test_a_pdf_whose_references_loop_fails_at_once_as_damaged(tmp_path):
    """'/Length 5 0 R', where 5 0 R is 6 0 R and 6 0 R is 5 0 R: pdfminer alone spins forever."""
    from badfiles import reference_loop_pdf
    from chitieu.parsers.formats.pdf import read_pdf
    from chitieu.parsers.model import UnreadableDocument

    with pytest.raises(UnreadableDocument, match="damaged"):
        read_pdf(reference_loop_pdf(tmp_path / "loop.pdf"))
