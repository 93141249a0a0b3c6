"""Bad input files, made for real with the real libraries (reportlab, python-docx, zipfile),
as a data team finds them in a batch: empty, cut short, password-protected, scanned,
renamed, of another format, or not a planning document at all.

Each builder writes one file at `path` and returns it.
"""
from __future__ import annotations

import zipfile
from pathlib import Path


def empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def truncated(seed: Path, path: Path, fraction: float) -> Path:
    """The first `fraction` of a good file's bytes: a download or copy that stopped."""
    data = seed.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    return path


def encrypted_pdf(path: Path, password: str = "secret") -> Path:
    """A PDF with a text layer that opens only with a password."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt=password)
    c.setFont("Helvetica", 12)
    c.drawString(72, 770, "KE HOACH phat trien kinh te - xa hoi nam 2024")
    c.drawString(72, 750, "- Toc do tang truong kinh te (GRDP) dat 7,0 - 7,5%.")
    c.showPage()
    c.save()
    return path


def image_only_pdf(path: Path) -> Path:
    """A 'scan': two pages of drawn shapes and an inline image, no text layer at all."""
    import io
    import struct
    import zlib

    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    # an 8x8 grey PNG built by hand, so that the test needs no imaging library
    raw = b"".join(b"\x00" + bytes((x * 32 + y * 16) % 256 for x in range(8)) for y in range(8))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    c = canvas.Canvas(str(path))
    for _ in range(2):
        c.rect(72, 600, 450, 150, stroke=1, fill=0)
        c.line(72, 675, 522, 675)
        c.drawImage(ImageReader(io.BytesIO(png)), 100, 300, width=300, height=200)
        c.showPage()
    c.save()
    return path


def zip_renamed_docx(path: Path) -> Path:
    """A zip archive of a text file, given a .docx name: not a Word document."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("ghi-chu.txt", "Ghi chú họp giao ban: các chỉ tiêu năm 2024 gửi sau.\n")
    return path


def spreadsheet_xlsx(path: Path) -> Path:
    """A minimal but well-formed .xlsx (an OOXML spreadsheet package), not a supported format."""
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Chỉ tiêu" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>STT</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>Chỉ tiêu</t></is></c></row>'
            "</sheetData></worksheet>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return path


def docx_without_targets(path: Path) -> Path:
    """A real Word document of ordinary paragraphs: no target table, no target list."""
    import docx

    d = docx.Document()
    d.add_heading("Thông báo lịch họp", level=1)
    d.add_paragraph("Ủy ban nhân dân tỉnh thông báo lịch họp giao ban tháng 3 năm 2024.")
    d.add_paragraph("Thành phần gồm lãnh đạo các sở, ban, ngành và Ủy ban nhân dân các huyện.")
    d.add_paragraph("Địa điểm: hội trường tầng 2, trụ sở Ủy ban nhân dân tỉnh.")
    d.save(str(path))
    return path


# ---------------------------------------------------------------------------- not bad, only locked

FONT_PLACES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),  # Debian, Ubuntu: fonts-dejavu-core
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),  # Fedora
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),  # Arch
)


def vietnamese_font() -> Path | None:
    """A TTF with Vietnamese glyphs, if the machine has one."""
    return next((p for p in FONT_PLACES if p.is_file()), None)


def restricted_pdf(path: Path, lines: list[str], font: Path) -> Path:
    """A PDF that opens without a password but carries an owner password forbidding printing
    and copying, as many official PDFs do: every content stream is encrypted (RC4), Flate
    alone under the encryption. One line of text per `lines` item, 60 to a page."""
    from reportlab import rl_config
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("VietSans", str(font)))
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        c = canvas.Canvas(str(path), invariant=1,
                          encrypt=StandardEncryption("", ownerPassword="owner", canPrint=0, canCopy=0))
        for start in range(0, len(lines), 60):
            y = 800
            for line in lines[start:start + 60]:
                c.setFont("VietSans", 7)
                c.drawString(30, y, line)
                y -= 12.5
            c.showPage()
        c.save()
    finally:
        rl_config.useA85 = a85
    return path


def reference_loop_pdf(path: Path) -> Path:
    """A PDF of 550 bytes whose content stream's /Length is 5 0 R, and 5 0 R is 6 0 R, which
    is 5 0 R again: written by hand, with a correct cross-reference table."""
    content = b"BT /F1 12 Tf 72 720 Td (Chi tieu nam 2024) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length 5 0 R >>\nstream\n" + content + b"\nendstream", b"6 0 R", b"5 0 R"]
    data, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(data)
    return path
