"""The seeds as offices with legacy fonts publish them, made here with the real tools: a Word
file retyped run by run in TCVN3 (`.VnTime`) or VNI (`VNI-Times`), some runs left in Unicode
as a document edited over the years has them; and a PDF as Word's own "Save as PDF" writes a
legacy font: a simple TrueType font named `.VnTime` embedded whole, WinAnsi codes that are the
legacy bytes themselves (0xAD is TCVN3's ư, WinAnsi's soft hyphen), each glyph placed on its
own (text drawn glyph by glyph, in any order), with or without a ToUnicode map."""
from __future__ import annotations

import random
import unicodedata
import zlib
from functools import cache
from pathlib import Path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LEGACY_FONTS = {"tcvn3": (".VnTime", ".VnTimeH"), "vni": ("VNI-Times", "VNI-Times"), "viscii": ("VK Times", "VK Times")}
SERIF = Path("/usr/share/fonts/truetype/liberation2")


@cache
def legacy_codes(encoding: str) -> dict[str, str]:
    """Unicode letter → the codes a typist of `encoding` stores, from viparse's own table read
    backwards (TCVN3 has no capital toned vowels: a capital without a code gets its small
    letter's, which the capitals font `.VnTimeH` draws as a capital)."""
    from viparse.normalize.encodings import CHARMAPS

    return {u: legacy for legacy, u in CHARMAPS[encoding].pairs}


def encode(text: str, encoding: str) -> str:
    codes = legacy_codes(encoding)
    return "".join(codes.get(ch, codes.get(ch.lower(), ch)) for ch in unicodedata.normalize("NFC", text))


def _is_capitals(text: str) -> bool:
    return text == text.upper() and any(c.isalpha() for c in text)


def retype_docx(docx: Path, out: Path, encoding: str = "tcvn3", unicode_first_word=lambda cell: False,
                font_names: bool = True, other_encoding=lambda cell: None,
                print_soft_hyphen_as: str | None = None) -> Path:
    """The .docx with every run retyped in a legacy font: its text in the font's codes, the
    font set (`.VnTimeH` for a TCVN3 run in capitals). `unicode_first_word(cell_text)` says
    which table cells an editor later began in Unicode (Times New Roman): their first word
    becomes a run of its own left in Unicode, the rest of the cell stays legacy, as in a
    document retouched over the years. `font_names=False`: every run then set in Times New
    Roman, as when someone selects the whole text and changes its font (the codes stay).
    `other_encoding(cell_text)`: the encoding a cell was typed in when not `encoding` (a table
    pasted together from two offices' files). `print_soft_hyphen_as`: the character a legacy
    code 0xAD becomes in a copy made to print (seedforms.retype_in_tcvn3 says why)."""
    import copy
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(data)
                for tc in root.iter(f"{W}tc"):
                    cell = "".join(t.text or "" for t in tc.iter(f"{W}t")).strip()
                    first = next((r for r in tc.iter(f"{W}r") if "".join(t.text or "" for t in r.iter(f"{W}t")).strip()), None)
                    if first is None or " " not in cell or not unicode_first_word(cell):
                        continue
                    t = first.find(f"{W}t")
                    word, _, rest = (t.text or "").lstrip().partition(" ")
                    if not rest:
                        continue
                    tail = copy.deepcopy(first)  # the rest of the run (its breaks and texts) in a run of its own
                    tail.find(f"{W}t").text = " " + rest
                    tail.find(f"{W}t").set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                    t.text = word
                    for after in list(t.itersiblings()):
                        first.remove(after)
                    first.addnext(tail)
                    first.set("unicode", "1")
                for tc in root.iter(f"{W}tc"):
                    other = other_encoding("".join(t.text or "" for t in tc.iter(f"{W}t")).strip())
                    for run in tc.iter(f"{W}r") if other else ():
                        run.set("encoding", other)
                for run in root.iter(f"{W}r"):
                    texts = run.findall(f"{W}t")
                    run_encoding = run.attrib.pop("encoding", encoding)
                    joined = "".join(t.text or "" for t in texts)
                    keep = run.attrib.pop("unicode", None)
                    if not joined.strip():
                        continue
                    props = run.find(f"{W}rPr")
                    if props is None:
                        props = etree.Element(f"{W}rPr")
                        run.insert(0, props)
                    for old in props.findall(f"{W}rFonts"):
                        props.remove(old)
                    regular, capitals = LEGACY_FONTS[run_encoding] if font_names else ("Times New Roman",) * 2
                    font = "Times New Roman" if keep else capitals if _is_capitals(joined) else regular
                    props.insert(0, etree.Element(f"{W}rFonts", {f"{W}{k}": font for k in ("ascii", "hAnsi", "cs")}))
                    if not keep:
                        for t in texts:
                            t.text = encode(t.text or "", run_encoding)
                            if print_soft_hyphen_as:
                                t.text = t.text.replace("\xad", print_soft_hyphen_as)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, data)
    return out


# --- a PDF as Word writes a legacy font -------------------------------------------------------

def _as_char(code: int) -> str:
    """The character WinAnsi draws for a code: Latin-1's, Windows-1252's in 0x80–0x9F."""
    return bytes([code]).decode("cp1252", errors="ignore") or chr(code)


def _win_ansi(text: str) -> bytes:
    """A legacy string's codes: Latin-1 bytes, a sign only Windows-1252 has (‰) its byte there."""
    return b"".join(bytes([ord(c)]) if ord(c) < 256 else c.encode("cp1252", errors="replace") for c in text)


def _widths(ttf: Path) -> list[int]:
    """Glyph widths (1/1000 em) of codes 0–255 as WinAnsi draws them from the font."""
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont(ttf.stem, str(ttf))
    out = []
    for code in range(256):
        out.append(int(round(font.stringWidth(_as_char(code), 1000))) or 500)
    return out


def _chars_of(source: Path):
    """Each page's characters (text, x, baseline, size, width, bold) in drawing order, its
    size and its ruling segments, as the source PDF has them."""
    import pdfplumber

    pages = []
    with pdfplumber.open(str(source)) as pdf:
        for page in pdf.pages:
            chars = [(c["text"], c["matrix"][4], c["matrix"][5], c["size"], c["x1"] - c["x0"], "Bold" in c["fontname"])
                     for c in page.chars]
            rules = [(e["x0"], page.height - e["top"], e["x1"], page.height - e["bottom"]) for e in page.edges]
            pages.append((float(page.width), float(page.height), chars, rules))
    return pages


def word_pdf(source: Path, out: Path, encoding: str = "tcvn3", to_unicode: bool = False, shuffled: bool = False,
             win_ansi: bool = True) -> Path:
    """`source` (a Unicode PDF) drawn again as Word draws a document typed in a legacy font:
    each character's legacy codes in a simple TrueType font named `.VnTime` (`.VnTimeH` for a
    line in capitals, `,Bold` for bold; a sign the encoding has no code for, ‰, in Times New
    Roman, as the typist had to switch fonts for it), each glyph placed on its own at the character's place
    and scaled to its width; ruling lines kept. `to_unicode`: with the ToUnicode map Word
    writes from the font's own cmap (each code to the Latin-1 character of the same number);
    `shuffled`: the lines drawn in a random order; `win_ansi`: the font's encoding, else none
    (a symbolic font)."""
    regular, capitals = LEGACY_FONTS[encoding]
    files = {False: SERIF / "LiberationSerif-Regular.ttf", True: SERIF / "LiberationSerif-Bold.ttf"}
    widths = {bold: _widths(path) for bold, path in files.items()}
    fonts = {}  # (capitals, bold) → resource name
    objects: list[bytes] = [b"", b""]  # 1 catalog, 2 pages: filled at the end
    font_files = {}
    for bold, path in files.items():
        data = path.read_bytes()
        packed = zlib.compress(data)
        objects.append(b"<< /Length %d /Length1 %d /Filter /FlateDecode >>\nstream\n" % (len(packed), len(data))
                       + packed + b"\nendstream")
        font_files[bold] = len(objects)
    to_unicode_ref = None
    if to_unicode:
        body = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Legacy def\n"
                b"1 begincodespacerange <00> <FF> endcodespacerange\n"
                + b"".join(b"%d beginbfchar\n" % len(chunk) + b"".join(b"<%02X> <%04X>\n" % (c, ord(_as_char(c))) for c in chunk)
                           + b"endbfchar\n" for chunk in (range(32, 132), range(132, 232), range(232, 256)))
                + b"endcmap CMapName currentdict /CMap defineresource pop end end")
        objects.append(b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream")
        to_unicode_ref = len(objects)
    for caps in (False, True, None):  # None: the Unicode font a sign the encoding lacks (‰) was typed in
        for bold in (False, True):
            family = "TimesNewRomanPSMT" if caps is None else capitals if caps else regular
            name = family + (",Bold" if bold else "")
            pdf_name = name.replace(" ", "#20").encode()
            objects.append(b"<< /Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [-600 -300 2000 1000] "
                           b"/ItalicAngle 0 /Ascent 891 /Descent -216 /CapHeight 662 /StemV %d /FontFile2 %d 0 R >>"
                           % (pdf_name, 32 if win_ansi else 4, 140 if bold else 80, font_files[bold]))
            descriptor = len(objects)
            font = (b"<< /Type /Font /Subtype /TrueType /BaseFont /%s /FirstChar 0 /LastChar 255 /Widths [%s] "
                    b"/FontDescriptor %d 0 R" % (pdf_name, b" ".join(b"%d" % w for w in widths[bold]), descriptor))
            if win_ansi:
                font += b" /Encoding /WinAnsiEncoding"
            if to_unicode_ref:
                font += b" /ToUnicode %d 0 R" % to_unicode_ref
            objects.append(font + b" >>")
            fonts[caps, bold] = (b"F%d" % (len(fonts) + 1), len(objects))
    resources = b"<< /Font << " + b" ".join(b"/%s %d 0 R" % ref for ref in fonts.values()) + b" >> >>"
    kids = []
    rng = random.Random(7)
    for width, height, chars, rules in _chars_of(source):
        lines: dict[float, list] = {}
        for ch in chars:
            lines.setdefault(round(ch[2], 1), []).append(ch)
        order = list(lines.values())
        if shuffled:
            rng.shuffle(order)
        ops = [b"0.5 w"] + [b"%.2f %.2f m %.2f %.2f l S" % rule for rule in rules]
        for line in order:
            caps = _is_capitals("".join(c[0] for c in line))
            for text, x, y, size, w, bold in line:
                legacy = encode(text, encoding)
                typed_apart = not text.isascii() and legacy == text and text not in legacy_codes(encoding).values()
                codes = _win_ansi(legacy)  # a space is drawn too
                for k, code in enumerate(codes):
                    share = w / len(codes)
                    natural = widths[bold][code] * size / 1000 or 1
                    name = fonts[None if typed_apart else caps, bold][0]
                    ops.append(b"BT /%s %.2f Tf %.1f Tz 1 0 0 1 %.3f %.3f Tm <%02X> Tj ET"
                               % (name, size, 100 * share / natural, x + k * share, y, code))
        content = zlib.compress(b"\n".join(ops))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources %s /Contents %d 0 R >>"
                       % (width, height, resources, len(objects)))
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    data, offsets = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    out.write_bytes(data)
    return out


def retype_xlsx(xlsx: Path, out: Path, encoding: str = "tcvn3") -> Path:
    """The workbook with every text cell retyped in a legacy font: its text in the font's codes,
    the cell's font set to `.VnTime` (`.VnTimeH` for a cell in capitals) or `VNI-Times`, as a
    province's old sheet was typed in Excel; numbers left as numbers."""
    import copy

    import openpyxl

    regular, capitals = LEGACY_FONTS[encoding]
    book = openpyxl.load_workbook(xlsx)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.strip():
                    font = copy.copy(cell.font)
                    font.name = capitals if _is_capitals(cell.value) else regular
                    cell.font = font
                    cell.value = encode(cell.value, encoding)
    book.save(out)
    return out
