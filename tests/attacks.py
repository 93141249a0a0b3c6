"""Small files made to hurt: each asks a reader for far more than its size (a span of 2³¹
columns, a merged range of a whole sheet, a page two hundred inches wide) or reaches for
the network. Built with the real libraries (python-docx, openpyxl) and then edited where the
library would refuse to write the attack itself.

Each builder writes one file at `path` and returns it.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

TABLE_HEAD = "<tr><td>STT</td><td>Chỉ tiêu</td><td>ĐVT</td><td>Kế hoạch năm 2025</td></tr>"
TABLE_ROW = "<tr><td>1</td><td>Tỷ lệ xã đạt chuẩn nông thôn mới</td><td>%</td><td>75</td></tr>"


def colspan_bomb_html(path: Path) -> Path:
    """A table cell that spans 2³¹ − 1 columns, in a hundred bytes."""
    path.write_text(f"<table>{TABLE_HEAD}{TABLE_ROW}<tr><td colspan=2147483647 rowspan=2147483647>x</td>"
                    f"<td>1</td></tr></table>", encoding="utf-8")
    return path


def huge_page_pdf(path: Path, points: int = 14400) -> Path:
    """One blank page 200 inches square (the largest box PDF allows): a page with no text
    is a scan to read, and at 300 dpi it would be 3.6 billion pixels."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] >>" % (points, points)]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _edit_part(path: Path, part: str, edit) -> Path:
    """Rewrite one part of a zip package in place with `edit(bytes) -> bytes`."""
    with zipfile.ZipFile(path) as z:
        parts = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            z.writestr(info, edit(data) if info.filename == part else data)
    return path


def _plan_sheet(path: Path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (("STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025"), (1, "Tỷ lệ hộ nghèo", "%", "dưới 2")):
        sheet.append(row)
    book.save(path)
    return path


def merge_bomb_xlsx(path: Path) -> Path:
    """A small sheet whose one merged range is the whole sheet, A1:XFD1048576 (17 billion
    cells, each an object in a reader that makes one per merged cell)."""
    _plan_sheet(path)
    return _edit_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'))


def shared_string_bomb_xlsx(path: Path, cells: int = 20_000, length: int = 100_000) -> Path:
    """Twenty thousand cells that each show one shared string of 100,000 characters: 2 billion
    characters of text from a file of a few hundred kilobytes."""
    _plan_sheet(path)
    strings = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
               b"<si><t>" + b"x" * length + b"</t></si></sst>")
    rows = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (r, r) for r in range(3, cells + 3))

    def add_rows(xml: bytes) -> bytes:
        return xml.replace(b"</sheetData>", rows + b"</sheetData>")

    _edit_part(path, "xl/worksheets/sheet1.xml", add_rows)
    # openpyxl writes its strings inline: the shared strings part, its type and its link are added
    _edit_part(path, "[Content_Types].xml", lambda xml: xml.replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')))
    _edit_part(path, "xl/_rels/workbook.xml.rels", lambda xml: xml.replace(b"</Relationships>", (
        b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", strings)
    return path


def gridspan_bomb_docx(path: Path) -> Path:
    """A Word table whose first cell spans 2³¹ − 1 grid columns."""
    import docx

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH phát triển kinh tế - xã hội năm 2025")
    table = document.add_table(rows=2, cols=4)
    for row, texts in zip(table.rows, (("STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025"),
                                       ("1", "Tỷ lệ che phủ rừng", "%", "42"))):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    document.save(path)
    marker = b"<w:t>STT</w:t>"
    return _edit_part(path, "word/document.xml", lambda xml: xml.replace(
        b"<w:tc><w:tcPr>", b'<w:tc><w:tcPr><w:gridSpan w:val="2147483647"/>', 1) if marker in xml else xml)


def doc_fetching_image(path: Path, url: str) -> Path:
    """A '.doc' that is HTML (as Word saves a web page): LibreOffice fetches its image while
    converting."""
    path.write_text(f"<html><body><p>KẾ HOẠCH năm 2025</p><img src=\"{url}\"><table>{TABLE_HEAD}{TABLE_ROW}"
                    f"</table></body></html>", encoding="utf-8")
    return path


def odt_linking_image(path: Path, url: str) -> Path:
    """An OpenDocument text whose image is linked, not embedded."""
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2">
<office:body><office:text>
<text:p>Tỷ lệ hộ nghèo giảm 1,5%.</text:p>
<text:p><draw:frame svg:width="2cm" svg:height="2cm"><draw:image xlink:href="{url}" xlink:type="simple"
 xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>
</office:text></office:body></office:document-content>"""
    manifest = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def many_paragraphs_html(path: Path, paragraphs: int = 1_500_000) -> Path:
    """Thirty-six megabytes of short paragraphs: a parser's tree of them takes far more
    memory than a small budget allows."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("<html><body>")
        block = "<p><b>x</b> <i>y</i></p>" * 10_000
        for _ in range(paragraphs // 10_000):
            f.write(block)
        f.write("</body></html>")
    return path
