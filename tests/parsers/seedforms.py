"""The seeds in the other forms a province publishes, made here by the real tools from the
rendered seeds: LibreOffice for .doc/.odt/.rtf/.html, openpyxl for .xlsx, and the structure a
reader gives, to compare one reader with another."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from chitieu.parsers.model import RawDocument

_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


def structure(doc: RawDocument) -> tuple[list[str], list[list[list[tuple]]]]:
    """What a layout sees: each line as a reader sees it, and each table's grid (text, span,
    continues the cell above), whitespace runs as one space."""
    squash = lambda s: re.sub(r"\s+", " ", s).strip()
    lines = [squash(l.full_text) for l in doc.lines]
    tables = [[[(squash(c.text), c.span, c.merged_above) for c in row.cells] for row in t.rows] for t in doc.tables]
    return lines, tables


def has_libreoffice() -> bool:
    return shutil.which("soffice") is not None or shutil.which("libreoffice") is not None


def libreoffice_convert(source: Path, to: str, outdir: Path) -> Path:
    """`source` converted by LibreOffice to the format `to` (an extension, or ext:filter)."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / ".lo-profile"
    subprocess.run(
        [shutil.which("soffice") or "libreoffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", to, "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    return outdir / f"{source.stem}.{to.split(':')[0]}"


def docx_to_xlsx(docx: Path, out: Path) -> Path:
    """The seed's table as one sheet, as a province types it in Excel: the title merged across
    the sheet, section rows merged across the columns, merged cells kept, and the numbers
    stored as numbers with the format that shows them as written (8,0 is 8 shown `0.0`)."""
    import openpyxl
    from openpyxl.styles import Font

    from chitieu.parsers.formats.docx import read_docx

    doc = read_docx(docx)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chỉ tiêu"
    width = max(sum(c.span for c in row.cells) for t in doc.tables for row in t.rows)
    r = 1
    for line in doc.lines:
        sheet.cell(r, 1, line.full_text).font = Font(bold=True)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        r += 2  # a blank row under the title
    for table in doc.tables:
        top: dict[int, int] = {}  # column → the row its vertical merge started on
        for row in table.rows:
            col = 1
            for cell in row.cells:
                if cell.merged_above:
                    start = top.get(col, r - 1)
                    for m in list(sheet.merged_cells.ranges):
                        if m.min_row == start and m.min_col == col:
                            sheet.merged_cells.remove(m)
                    sheet.merge_cells(start_row=start, start_column=col, end_row=r, end_column=col + cell.span - 1)
                else:
                    top[col] = r
                    target = sheet.cell(r, col)
                    text = cell.text
                    if _NUMBER.fullmatch(text):
                        digits = text.replace(".", "").replace(",", ".")
                        decimals = len(text.split(",")[1]) if "," in text else 0
                        target.value = float(digits) if decimals else int(digits)
                        fraction = "." + "0" * decimals if decimals else ""
                        target.number_format = ("#,##0" if "." in text else "0") + fraction if (decimals or "." in text) else "General"
                    else:
                        target.value = text
                    if cell.span > 1:
                        sheet.merge_cells(start_row=r, start_column=col, end_row=r, end_column=col + cell.span - 1)
                col += cell.span
            r += 1
    book.save(out)
    return out


PROVENANCE = {"doc_id", "source", "page", "location", "notes", "status"}


def gold_check(path: Path, stem: str) -> tuple[list[dict], list[str]]:
    """The targets `path` gives and their differences from the gold beyond those of the seed's
    own .docx: a reader is right when it adds none (while the layouts are being reworked the
    .docx may differ from the gold too, and that is not the reader's doing)."""
    from conftest import RAW
    from goldcheck import gold_mismatches
    from chitieu.pipeline.extract import extract_document

    result = extract_document(path, path.parent)
    assert result.document["status"] == "ok", result.document["error"]
    baseline = set(gold_mismatches(stem, extract_document(RAW / f"{stem}.docx", RAW).targets))
    return result.targets, [m for m in gold_mismatches(stem, result.targets) if m not in baseline]


def gold_exact_share(targets: list[dict], stem: str) -> float:
    """The share of gold rows this document gives exactly (every column the gold pins)."""
    from goldcheck import expected, read_gold, same

    gold = read_gold(stem)
    by_seq = {t["seq"]: t for t in targets}
    exact = sum(
        1 for g in gold if (row := by_seq.get(int(g["seq"]))) is not None and all(
            (want := expected(c, text, g["target_type"])) is ... or same(want, row[c]) for c, text in g.items())
    )
    return exact / len(gold)


def seed_in_office_form(stem: str, form: str, outdir: Path) -> Path:
    """The rendered seed saved by LibreOffice as .odt, .rtf or .doc. A .doc is saved from the
    .odt: LibreOffice 7.4's Word 97 export of a python-docx table straight from .docx loses
    the table (its own .doc import then sees one paragraph), which a .doc saved by Word or
    from LibreOffice's own document does not."""
    from conftest import RAW

    source = RAW / f"{stem}.docx"
    if form == "doc":
        source = libreoffice_convert(source, "odt", outdir / "via-odt")
        return libreoffice_convert(source, "doc:MS Word 97", outdir)
    return libreoffice_convert(source, form, outdir)


def retype_in_tcvn3(docx: Path, out: Path, for_print: bool = False) -> Path:
    """The .docx with every run retyped in TCVN3: its text in the font's codes, the font set
    to `.VnTime` (`.VnTimeH` for a run in capitals), as an old document typed in Word is.

    `for_print`: for a PDF printed from it. TCVN3's ư is code 0xAD, the soft-hyphen slot,
    which LibreOffice (without the real font) treats as an invisible hyphen and drops, where
    Word prints the `.VnTime` glyph, named `minus`, that PDF text layers give as U+2212
    (viparse measured it on real legacy PDFs). So the copy to print has U+2212 there."""
    from legacyforms import retype_docx

    return retype_docx(docx, out, "tcvn3", print_soft_hyphen_as="\u2212" if for_print else None)
