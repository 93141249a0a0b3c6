"""The benchmark corpus: deterministic, the requested shape, and readable the way real
documents are (pdfplumber finds the tables, Word files carry real merged cells)."""
from __future__ import annotations

import io
import random
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pdfplumber
import pytest

# `bench` is not an installed package: a bare `pytest` must find it in the checkout, as
# `python -m pytest` does from the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.corpus import FORMATS, SMALL, generate_corpus, slug
from bench.documents import make_resolution_document, make_table_document
from bench.floor import read_folder
from bench.phrases import SPEC_EXAMPLES, format_number, sample_phrases
from bench.render_pdf import find_font, to_pdf

try:
    find_font()
except FileNotFoundError as error:  # the corpus cannot make PDFs without a Vietnamese font
    pytest.skip(str(error), allow_module_level=True)

VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
N = 6  # every (format, layout) pair once: formats and layouts go round-robin


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    return generate_corpus(tmp_path_factory.mktemp("corpus"), N, seed=7, mix=SMALL)


def of(paths: list[Path], layout: str, fmt: str) -> Path:
    return next(p for p in paths if f"_{layout}_" in p.name and p.suffix == f".{fmt}")


# --- determinism and shape -------------------------------------------------------------------

def test_same_seed_gives_the_same_bytes_in_every_format(corpus, tmp_path):
    again = generate_corpus(tmp_path, N, seed=7, mix=SMALL)
    assert [p.name for p in again] == [p.name for p in corpus]
    for first, second in zip(corpus, again):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_another_seed_gives_other_documents(corpus, tmp_path):
    other = generate_corpus(tmp_path, N, seed=8, mix=SMALL)
    assert all(a.read_bytes() != b.read_bytes() for a, b in zip(corpus, other))


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one(corpus, tmp_path):
    smaller = generate_corpus(tmp_path, 4, seed=7, mix=SMALL)
    assert [p.read_bytes() for p in smaller] == [p.read_bytes() for p in corpus[:4]]


def test_makes_the_requested_count_formats_and_layouts(corpus):
    assert len(corpus) == N and all(p.is_file() and p.stat().st_size > 0 for p in corpus)
    assert Counter(p.suffix for p in corpus) == {".pdf": 2, ".docx": 2, ".txt": 2}
    assert {(p.name.split("_")[1], p.suffix) for p in corpus} == {
        (layout, f".{fmt}") for layout in ("table", "prose") for fmt in FORMATS}


def test_file_names_are_ascii_and_name_province_and_year(corpus):
    assert slug("Bà Rịa - Vũng Tàu") == "ba-ria-vung-tau"
    assert slug("Đắk Lắk") == "dak-lak"
    for path in corpus:
        assert path.name.isascii()
        assert re.fullmatch(r"\d{4}_(table|prose)_[a-z-]+_(2023|2024|2025|2026)\.(pdf|docx|txt)", path.name)


# --- PDF -------------------------------------------------------------------------------------

def test_table_pdf_has_a_table_pdfplumber_finds(corpus):
    with pdfplumber.open(of(corpus, "table", "pdf")) as pdf:
        page = pdf.pages[0]
        tables = page.extract_tables()
        text = page.extract_text()
    assert tables, "pdfplumber found no table"
    header = tables[0][0]
    assert header[:3] == ["STT", "Chỉ tiêu", "ĐVT"] and header[3].startswith("Chỉ tiêu năm 20")
    assert any(row[0] == "I" and "chỉ tiêu)" in (row[1] or "") for row in tables[0]), "no section row"
    assert VIETNAMESE.search(text)


def test_prose_pdf_has_vietnamese_text_and_bullets(corpus):
    with pdfplumber.open(of(corpus, "prose", "pdf")) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "NGHỊ QUYẾT" in text and VIETNAMESE.search(text)
    assert re.search(r"^- .+\d", text, re.M), "no bullet with a number"


def test_long_table_continues_over_pages_with_its_header_repeated():
    doc = make_table_document(random.Random("long"), "Long An", 2024, pages=3)
    with pdfplumber.open(io.BytesIO(to_pdf(doc))) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            assert page.extract_tables()[0][0][0] == "STT"


@pytest.mark.parametrize("make", [make_table_document, make_resolution_document])
@pytest.mark.parametrize("pages", [1, 4])
def test_page_budget_is_roughly_kept(make, pages):
    doc = make(random.Random(f"budget{pages}"), "Cần Thơ", 2025, pages)
    with pdfplumber.open(io.BytesIO(to_pdf(doc))) as pdf:
        assert abs(len(pdf.pages) - pages) <= 1


# --- DOCX ------------------------------------------------------------------------------------

def test_table_docx_has_horizontally_and_vertically_merged_cells(corpus):
    path = of(corpus, "table", "docx")
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert "<w:gridSpan " in xml, "section titles should span columns"
    assert '<w:vMerge w:val="restart"/>' in xml and "<w:vMerge/>" in xml, "agency cells should span rows"
    table = docx.Document(path).tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["STT", "Chỉ tiêu", "ĐVT"]
    # python-docx gives a merged cell back at each grid position it covers
    section = table.rows[1].cells
    assert section[0].text == "I" and section[1]._tc is section[4]._tc
    agencies = [row.cells[4]._tc for row in table.rows]
    assert any(a is b for a, b in zip(agencies, agencies[1:])), "no agency cell spans rows"


def test_prose_docx_has_bullets_and_a_signature_block(corpus):
    document = docx.Document(of(corpus, "prose", "docx"))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "NGHỊ QUYẾT"
    assert any(t.startswith("- ") and re.search(r"\d", t) for t in texts)
    assert document.tables and "Nơi nhận:" in document.tables[0].rows[0].cells[0].text


# --- TXT -------------------------------------------------------------------------------------

def test_table_txt_is_the_seed_cell_dump(corpus):
    text = of(corpus, "table", "txt").read_text(encoding="utf-8")
    rows = [row.split("\n") for row in text.strip("\n").split("\n\n")]
    assert [line.strip() for line in rows[0]] == ["STT", "Chỉ tiêu", "ĐVT", rows[0][3].strip(), rows[0][4].strip()]
    assert all(line.startswith("\t") for line in rows[1])  # every row starts with a TAB-led cell
    assert any(len(r) == 2 and re.fullmatch(r"\t[IVX]+", r[0]) for r in rows), "no two-cell section row"
    assert any(r[4:5] == ["\t"] for r in rows if len(r) == 5), "no merged (blank) agency cell"


def test_prose_txt_is_wrapped_with_bullets(corpus):
    text = of(corpus, "prose", "txt").read_text(encoding="utf-8")
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    assert max(len(line) for line in lines) <= 92
    assert any(line.startswith("- ") for line in lines)
    assert VIETNAMESE.search(text)


# --- phrases and the floor -------------------------------------------------------------------

def test_numbers_are_written_the_vietnamese_way():
    assert format_number(50400, 0) == "50.400"
    assert format_number(7.0, 1) == "7,0"
    assert format_number(99.77, 2) == "99,77"


def test_phrase_sample_is_seeded_and_holds_the_spec_spellings():
    phrases = sample_phrases(500, seed=1)
    assert phrases == sample_phrases(500, seed=1) and len(phrases) == 500
    assert set(SPEC_EXAMPLES) <= set(phrases)
    texts = " ".join(text for text, _ in phrases)
    for form in ("Trên ", "Ít nhất ", "Dưới ", "trở xuống", "khoảng "):
        assert form in texts


def test_floor_reads_every_file(corpus):
    report = read_folder(corpus[0].parent)
    assert report["files"] == N and report["pages"] >= 2 and report["seconds"] > 0
