"""HTML: a page saved from a legal site, or a document exported to HTML, read as a browser
shows its document: paragraphs and tables in page order, without the site's menus, scripts
and styles.

Headings (h1–h6) are lines with `heading` and their rank as `level`; an item of an ordered
or bulleted list gets the marker a browser draws (`1.`, `a.`, `II.`, `•`) and its depth as
`level`; any other line has its typed marker split off as every reader does. A table's
`colspan` is a cell's span and its `rowspan` a merged_above cell on each row below, as the
docx reader gives Word's merges. A table used only to lay a page out (one cell a row) is
read as the paragraphs it holds.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..model import Cell, Line, RawDocument, Row, Table, UnreadableDocument
from . import limits
from .markers import split_marker

# Elements that hold no text of the document.
_DROP = {"script", "style", "noscript", "template", "nav", "iframe", "form", "button", "select", "input",
         "textarea", "svg", "canvas", "object", "embed", "aside", "menu", "head", "title", "meta", "link"}
# A site's chrome, by ARIA role or by a class or id word.
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "menu", "menubar", "search", "complementary"}
_CHROME_WORDS = re.compile(
    r"(?:^|[-_\s])(?:menu|menus|nav|navbar|navigation|breadcrumbs?|sidebar|footer|social|share|sharing|cookies?"
    r"|advert|ads|banner|login|search|pagination|related|comments?|toolbar)(?:$|[-_\s\d])", re.IGNORECASE)
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "pre", "blockquote",
           "section", "article", "main", "header", "footer", "address", "center", "figure", "figcaption", "caption",
           "hr", "tr", "td", "th", "body", "html"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_SPACE = re.compile(r"[ \t\r\n\f]+")  # a browser folds these; a non-breaking space stays
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_POINTS = {"pt": 1.0, "px": 0.75, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "pc": 12.0}


def _decode_as(data: bytes) -> str:
    """The encoding the page is in: its byte order mark, its <meta charset>, else UTF-8 when
    the bytes are UTF-8, else Windows-1258 (Vietnamese Windows)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    m = _CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii").lower()
        try:
            "".encode(name)
            return name
        except LookupError:
            pass
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "windows-1258"


def _style(el, name: str) -> str | None:
    m = re.search(rf"(?:^|;)\s*{name}\s*:\s*([^;]+)", el.get("style") or "", re.IGNORECASE)
    return m.group(1).strip().lower() if m else None


def _is_chrome(el) -> bool:
    if el.tag in _DROP or el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    if (_style(el, "display") or "").startswith("none") or (_style(el, "visibility") or "") == "hidden":
        return True
    if (el.get("role") or "").lower() in _CHROME_ROLES:
        return True
    if el.tag in ("header", "footer") and not any(a.tag in ("main", "article") for a in el.iterancestors()):
        return True  # the site's own header and footer, not an article's
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    return el.tag not in ("table", "tr", "td", "th", "p") and bool(_CHROME_WORDS.search(names))


def _bold(el, inherited: bool) -> bool:
    weight = _style(el, "font-weight")
    if weight:
        return weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600)
    return inherited or el.tag in ("b", "strong", "th") or el.tag in _HEADINGS


def _left_edge(el) -> float | None:
    value = _style(el, "margin-left") or _style(el, "padding-left")
    m = re.fullmatch(r"(-?[\d.]+)\s*(pt|px|in|cm|mm|pc)", value or "")
    return round(float(m.group(1)) * _POINTS[m.group(2)], 1) if m else None


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def list_marker(kind: str, n: int) -> str:
    """The marker a browser draws for item `n` of an <ol type=kind>.

    >>> [list_marker(k, 4) for k in ("1", "a", "A", "i", "I")]
    ['4.', 'd.', 'D.', 'iv.', 'IV.']
    """
    if kind in ("a", "A"):
        letters = ""
        while n > 0:
            n, r = divmod(n - 1, 26)
            letters = chr(ord("a") + r) + letters
        return (letters.upper() if kind == "A" else letters) + "."
    if kind in ("i", "I"):
        return (_roman(n).upper() if kind == "I" else _roman(n)) + "."
    return f"{n}."


@dataclass
class _Block:
    """What the innermost block element says about the paragraph being gathered."""

    heading: int | None = None
    marker: str | None = None
    level: int | None = None
    indent: float | None = None


class _Reader:
    def __init__(self):
        self.lines: list[Line] = []
        self.tables: list[Table] = []
        self.pieces: list[tuple[str, bool]] = []  # the paragraph being gathered: (text, bold)
        self.blocks: list[_Block] = [_Block()]
        self.lists: list[list] = []  # open lists: [kind, next number]
        self.breaks = 0  # <br> in a row: one is a space, two end a paragraph

    # --- gathering text -------------------------------------------------------------
    def add(self, text: str | None, bold: bool) -> None:
        if text:
            if text.strip():
                self.breaks = 0
            self.pieces.append((text, bold))

    def flush(self) -> None:
        text = unicodedata.normalize("NFC", _SPACE.sub(" ", "".join(t for t, _ in self.pieces)).strip())
        bold = all(b for t, b in self.pieces if t.strip())
        self.pieces = []
        if not text:
            return
        block = self.blocks[-1]
        marker, level = block.marker, block.level
        block.marker = None  # an item's marker goes with its first paragraph only
        if marker is None:
            marker, text = split_marker(text)
        if block.heading:
            level = block.heading
        self.lines.append(Line(text, len(self.lines) + 1, marker=marker, level=level, indent=block.indent,
                               bold=bold, heading=block.heading is not None))

    # --- walking the tree -----------------------------------------------------------
    def walk(self, el, bold: bool) -> None:
        for child in el:
            if isinstance(child.tag, str) and not _is_chrome(child):
                self.element(child, bold)
            self.add(child.tail, bold)

    def element(self, el, bold: bool) -> None:
        tag = el.tag
        bold = _bold(el, bold)
        if tag == "br":
            self.breaks += 1
            if self.breaks >= 2:
                self.flush()
            else:
                self.pieces.append((" ", bold))
            return
        if tag == "table":
            self.flush()
            if _is_layout_table(el):
                self.walk_layout_table(el, bold)
            else:
                self.tables.append(Table(_table_rows(el), index=len(self.tables) + 1, after_line=len(self.lines)))
            return
        if tag not in _BLOCKS:
            self.add(el.text, bold)
            self.walk(el, bold)
            return
        self.flush()
        block = _Block(indent=_left_edge(el) or self.blocks[-1].indent, level=self.blocks[-1].level)
        if tag in _HEADINGS:
            block.heading = _HEADINGS[tag]
        if tag in ("ol", "ul"):
            start = el.get("start", "1")
            self.lists.append([el.get("type", "1") if tag == "ol" else "•", int(start) if start.lstrip("-").isdigit() else 1])
        if tag == "li" and self.lists:
            current = self.lists[-1]
            value = el.get("value", "")
            if value.lstrip("-").isdigit():
                current[1] = int(value)
            block.marker = current[0] if current[0] == "•" else list_marker(current[0], current[1])
            block.level = len(self.lists)
            current[1] += 1
        self.blocks.append(block)
        self.add(el.text, bold)
        self.walk(el, bold)
        self.flush()
        self.blocks.pop()
        if tag in ("ol", "ul"):
            self.lists.pop()

    def walk_layout_table(self, table, bold: bool) -> None:
        for tr in _rows_of(table):
            for td in _cells_of(tr):
                self.element(td, bold)


def _rows_of(table) -> list:
    return table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def _cells_of(tr) -> list:
    return [c for c in tr if c.tag in ("td", "th") and not _is_chrome(c)]


def _is_layout_table(table) -> bool:
    """A table that only lays the page out: no row has two cells."""
    return all(len(_cells_of(tr)) <= 1 for tr in _rows_of(table))


def _cell(td) -> Cell:
    reader = _Reader()
    reader.element(td, bold=False)
    reader.flush()
    texts = [l.full_text for l in reader.lines]
    for table in reader.tables:  # a table nested in a cell: its text, row by row
        texts += [" ".join(c.text for c in row.cells if c.text) for row in table.rows]
    bold = bool(reader.lines) and all(l.bold for l in reader.lines)
    return Cell(" ".join(t for t in texts if t), span=limits.span(_number(td.get("colspan"))), bold=bold)


def _number(text: str | None) -> int:
    text = (text or "").strip()[:9]  # a span of ten digits is no span; the grid's limit applies
    return max(1, int(text)) if text.isdigit() else 1


def _table_rows(table) -> tuple[Row, ...]:
    """The grid: a rowspan leaves a merged_above cell, as wide as it, on each row it covers."""
    rows = []
    pending: dict[int, list[int]] = {}  # grid column → [rows still covered, span]
    for tr in _rows_of(table):
        cells, col = [], 0

        def covered_here():
            nonlocal col
            while col in pending:
                left, span = pending[col]
                cells.append(Cell("", merged_above=True, span=span))
                if left == 1:
                    del pending[col]
                else:
                    pending[col][0] -= 1
                col += span

        for td in _cells_of(tr):
            covered_here()
            cell = _cell(td)
            cells.append(cell)
            rowspan = limits.span(_number(td.get("rowspan")), limits.MAX_ROWSPAN)
            if rowspan > 1:
                pending[col] = [rowspan - 1, cell.span]
            col += cell.span
        while pending and col <= max(pending):
            if col in pending:
                covered_here()
            else:
                cells.append(Cell(""))
                col += 1
        if cells:
            rows.append(Row(tuple(cells), index=len(rows) + 1))
    return tuple(rows)


def read_html(path: Path) -> RawDocument:
    return read_html_bytes(path.read_bytes())


def read_html_bytes(data: bytes, fmt: str = "html") -> RawDocument:
    """A page's bytes as a document (`fmt` names the file's own format: a Markdown file's
    rendering is read here too)."""
    import lxml.html
    from lxml import etree

    try:
        parser = lxml.html.HTMLParser(encoding=_decode_as(data), remove_comments=True, remove_pis=True)
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        raise UnreadableDocument("the HTML page has no content that can be read; save the page again from its site") from None
    if root.tag != "html" or root.find("body") is None and not len(root):
        raise UnreadableDocument("the file is not an HTML page; give it its right extension")
    body = root.find("body") if root.find("body") is not None else root
    mains = body.xpath(".//main")
    if len(mains) == 1:
        body = mains[0]
    reader = _Reader()
    reader.element(body, bold=False)
    reader.flush()
    return RawDocument(fmt, tables=tuple(reader.tables), lines=tuple(reader.lines), line_label="paragraph")
