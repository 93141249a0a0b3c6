"""The .docx reader: the main part found through the package's relationships and read with
lxml, checked against python-docx on real files."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import PROSE_SEED, RAW, TABLE_SEED
from chitieu.parsers.formats.docx import read_docx
from chitieu.parsers.model import UnreadableDocument
from seedforms import structure


def library_paragraphs(path: Path) -> list[str]:
    """Body paragraphs as python-docx reads them, breaks and tabs as spaces, blanks dropped."""
    texts = (re.sub(r"[\t\n]", " ", p.text).strip() for p in docx.Document(str(path)).paragraphs)
    return [t for t in texts if t]


def library_cells(path: Path) -> list[list[list[str]]]:
    """Every table's distinct cells per row, as python-docx reads them (it repeats a cell
    that spans columns at each position it covers)."""
    tables = []
    for table in docx.Document(str(path)).tables:
        rows = []
        for row in table.rows:
            seen, texts = set(), []
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    texts.append(re.sub(r"\s+", " ", cell.text).strip())
            rows.append(texts)
        tables.append(rows)
    return tables


@pytest.mark.parametrize("stem", [TABLE_SEED, PROSE_SEED])
def test_paragraphs_read_as_python_docx_reads_them(stem):
    path = RAW / f"{stem}.docx"
    assert [line.full_text for line in read_docx(path).lines] == library_paragraphs(path)


def test_table_cells_read_as_python_docx_reads_them_apart_from_merges():
    path = RAW / f"{TABLE_SEED}.docx"
    ours = read_docx(path).tables
    theirs = library_cells(path)
    assert len(ours) == len(theirs) > 0
    merged = 0
    for table, library_rows in zip(ours, theirs):
        assert len(table.rows) == len(library_rows)
        for row, library_row in zip(table.rows, library_rows):
            assert len(row.cells) == len(library_row)
            for cell, text in zip(row.cells, library_row):
                # python-docx repeats a vertically merged cell's text below it; we mark it
                if cell.merged_above:
                    merged += 1
                else:
                    assert re.sub(r"\s+", " ", cell.text) == text
    assert merged > 0  # the seed has merged cells: the comparison covered them


def rewrite(source: Path, target: Path, rename: dict[str, str], edit=lambda name, data: data) -> None:
    """Copy a package, renaming parts and editing their bytes."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(rename.get(item.filename, item.filename), edit(item.filename, zin.read(item)))


def test_a_main_part_stored_elsewhere_is_found_through_the_relationships(tmp_path):
    moved = tmp_path / "moved.docx"

    def point_at_new_place(name: str, data: bytes) -> bytes:
        if name in ("_rels/.rels", "[Content_Types].xml"):
            return data.replace(b"word/document.xml", b"word/main.xml")
        return data

    rewrite(RAW / f"{PROSE_SEED}.docx", moved, {"word/document.xml": "word/main.xml"}, point_at_new_place)
    assert [line.full_text for line in read_docx(moved).lines] == library_paragraphs(RAW / f"{PROSE_SEED}.docx")


def test_entities_in_the_xml_are_not_expanded(tmp_path):
    """A document is someone else's file: no entity expansion (the 'billion laughs')."""
    made = docx.Document()
    made.add_paragraph("Tốc độ tăng trưởng kinh tế đạt 7%")
    plain = tmp_path / "plain.docx"
    made.save(plain)
    bomb = tmp_path / "bomb.docx"

    def add_entity(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        head, _, body = data.partition(b"?>")
        doctype = b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        return head + b"?>" + doctype + body.replace(b"</w:t>", b"&b;</w:t>", 1)

    rewrite(plain, bomb, {}, add_entity)
    lines = [line.full_text for line in read_docx(bomb).lines]
    assert lines and lines[0].startswith("Tốc độ tăng trưởng kinh tế đạt 7%")
    assert "aaaaaaaaaa" not in " ".join(lines)


def test_a_package_whose_relationships_name_no_word_body_says_so(tmp_path):
    odd = tmp_path / "odd.docx"

    def drop_relationship(name: str, data: bytes) -> bytes:
        return data.replace(b"word/document.xml", b"word/nowhere.xml") if name == "_rels/.rels" else data

    rewrite(RAW / f"{PROSE_SEED}.docx", odd, {"word/document.xml": "word/other.xml"}, drop_relationship)
    with pytest.raises(UnreadableDocument, match="a zip archive of other files, not a Word document"):
        read_docx(odd)


# --- legacy fonts, run by run (issue 22) ---------------------------------------------------

def _retouched(cell: str) -> bool:
    """The cells an editor began again in Unicode: every agency and every qualitative target."""
    return cell.startswith(("Sở", "Bộ", "Công an", "Cục", "Ban", "Liên", "Phấn", "Đạt", "Hoàn"))


@pytest.fixture(scope="module")
def legacy_forms(tmp_path_factory):
    from legacyforms import retype_docx

    out = tmp_path_factory.mktemp("legacy-docx")
    return {name: retype_docx(RAW / f"{TABLE_SEED}.docx", out / f"{name}.docx", encoding, first)
            for name, encoding, first in (("tcvn3", "tcvn3", lambda cell: False), ("mixed", "tcvn3", _retouched),
                                          ("vni", "vni", lambda cell: False))}


@pytest.mark.parametrize("form", ["tcvn3", "mixed", "vni"])
def test_a_docx_typed_in_a_legacy_font_reads_as_its_unicode_docx(legacy_forms, form):
    """Each run converted by its own font: in the retouched copy, `Sở` in Unicode and ` Y tÕ`
    in .VnTime make one cell `Sở Y tế` (it came out `Sở Y tÕ` when the cell was judged whole:
    34 agency cells and 4 qualitative targets wrong, all `ok`)."""
    doc = read_docx(legacy_forms[form])
    assert doc.text_layer == "legacy_font_converted"
    assert doc.notes == (f"legacy_encoding:{'vni' if form == 'vni' else 'tcvn3'}",)
    ours, theirs = structure(doc), structure(read_docx(RAW / f"{TABLE_SEED}.docx"))  # spaces folded
    differ = [(a, b) for x, y in zip(ours[1][0], theirs[1][0]) for a, b in zip(x, y) if a != b]
    # TCVN3 stores no capital toned vowel: `Ủy viên` inside a cell comes back `ủy viên`
    assert all(a[0].lower() == b[0].lower() for a, b in differ) and len(differ) <= 2, differ
    assert ours[0] == theirs[0]


def test_a_run_in_a_capitals_font_is_in_capitals(legacy_forms):
    assert read_docx(legacy_forms["tcvn3"]).lines[0].text == "CHỈ TIÊU PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2024"


def test_a_unicode_docx_is_read_in_one_pass():
    doc = read_docx(RAW / f"{TABLE_SEED}.docx")
    assert doc.text_layer == "ok" and doc.notes == ()
