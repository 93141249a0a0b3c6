"""Documents of our own in the structures offices use, rendered into every form a reader
meets: .txt with typed markers and hard wraps, .docx whose list markers are Word's automatic
numbering (numbering.xml, not text), a PDF drawn by reportlab, and a PDF printed by
LibreOffice from the .docx. A structure is a list of paragraphs:

    ("title", text)                       letterhead and title lines
    ("para", text)                        running text
    ("head", text)                        a heading in bold capitals
    ("item", style, level, text)          a list item; style is a numbering style below
"""
from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.shared import Pt

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
LETTERS = "abcdđeghiklmnopqrstuvxy"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]

# style → (Word numFmt, Word lvlText, how a person types the n-th marker)
STYLES = {
    "1.": ("decimal", "%1.", lambda n: f"{n}."),
    "1)": ("decimal", "%1)", lambda n: f"{n})"),
    "(1)": ("decimal", "(%1)", lambda n: f"({n})"),
    "a)": ("lowerLetter", "%1)", lambda n: f"{LETTERS[n - 1]})"),
    "a.": ("lowerLetter", "%1.", lambda n: f"{LETTERS[n - 1]}."),
    "I.": ("upperRoman", "%1.", lambda n: f"{ROMAN[n - 1]}."),
    "A.": ("upperLetter", "%1.", lambda n: f"{chr(64 + n)}."),
    "-": ("bullet", "-", lambda n: "-"),
    "+": ("bullet", "+", lambda n: "+"),
    "•": ("bullet", "•", lambda n: "•"),
}
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def typed_markers(paragraphs) -> list[tuple[str, str]]:
    """(kind, text as typed) of every paragraph; list counters restart under a new parent."""
    counters: dict[tuple[int, str], int] = {}
    out = []
    for p in paragraphs:
        if p[0] != "item":
            out.append((p[0], p[1]))
            continue
        _, style, level, text = p
        for key in [k for k in counters if k[0] > level]:
            del counters[key]
        counters[(level, style)] = counters.get((level, style), 0) + 1
        out.append(("item", f"{STYLES[style][2](counters[(level, style)])} {text}"))
    return out


def write_txt(paragraphs, path: Path, width: int = 78) -> Path:
    lines = []
    for kind, text in typed_markers(paragraphs):
        lines.extend(textwrap.wrap(text, width) if kind != "title" else [text])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_docx(paragraphs, path: Path) -> Path:
    """List items numbered by Word: one abstract numbering per (style, level), restarted
    under each new parent as Word restarts a list."""
    d = docx.Document()
    d.styles["Normal"].font.size = Pt(13)
    numbering = d.part.numbering_part.element
    ids: dict[tuple[str, int], int] = {}
    current: dict[tuple[str, int], int] = {}
    next_id = [100]

    def new_num(style: str, level: int) -> int:
        fmt, text, _ = STYLES[style]
        abstract = next_id[0]
        next_id[0] += 1
        numbering.insert(0, parse_xml(
            f'<w:abstractNum {W} w:abstractNumId="{abstract}"><w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            f'<w:pPr><w:ind w:left="{360 * (level + 1)}" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'))
        numbering.append(parse_xml(f'<w:num {W} w:numId="{abstract}"><w:abstractNumId w:val="{abstract}"/></w:num>'))
        return abstract

    for p in paragraphs:
        if p[0] == "item":
            _, style, level, text = p
            for key in [k for k in current if k[1] > level]:
                del current[key]  # a new parent: deeper lists restart
            if (style, level) not in current:
                current[(style, level)] = new_num(style, level)
            para = d.add_paragraph(text)
            para._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="{current[(style, level)]}"/></w:numPr>'))
        else:
            para = d.add_paragraph()
            run = para.add_run(p[1])
            run.bold = p[0] == "head"
    d.save(path)
    return path


def write_reportlab_pdf(paragraphs, path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONT)))
    c = canvas.Canvas(str(path), pagesize=A4)
    y, page = 800, 1
    for kind, text in typed_markers(paragraphs):
        for line in textwrap.wrap(text, 85) or [""]:
            if y < 60:
                c.drawCentredString(297, 30, f"- {page} -")
                c.showPage()
                y, page = 800, page + 1
            c.setFont("DejaVuSerif", 11)
            c.drawString(60, y, line)
            y -= 16
    c.save()
    return path


def write_libreoffice_pdfs(docx_paths: list[Path], out_dir: Path) -> list[Path]:
    """The .docx files printed to PDF by LibreOffice in one run (Word numbering drawn as text)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = out_dir / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out_dir), *map(str, docx_paths)],
                   check=True, capture_output=True, timeout=300)
    return [out_dir / f"{p.stem}.pdf" for p in docx_paths]
