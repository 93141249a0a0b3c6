"""Word's automatic list numbers and paragraph styles: what a reader sees on screen that the
text runs do not hold.

A numbered paragraph names a numbering instance (`w:numPr`: `w:numId`, `w:ilvl`), directly or
through its style; the instance points at an abstract definition whose level gives the
format (`decimal`, `lowerLetter`, `upperRoman`, `bullet` …), the text around the number
(`%1)`, `%1.%2.`) and the start. Counters run per instance and level; a level restarts when
a level above it advances. Styles say whether a paragraph is a heading and bold.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

import regex

from lxml import etree

from .limits import parse_xml, read_part

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Bullets drawn from symbol fonts (Wingdings, Symbol) as private-use code points.
_SYMBOL_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf076": "❖", "\uf0fc": "✓", "\uf02d": "-", "o": "◦"}


def run_font(rpr) -> str | None:
    """The font a run's properties (w:rPr) name for its text: w:rFonts ascii, else hAnsi."""
    fonts = rpr.find(f"{W}rFonts") if rpr is not None else None
    return (fonts.get(f"{W}ascii") or fonts.get(f"{W}hAnsi")) if fonts is not None else None


def _val(element, tag: str, default=None):
    child = element.find(f"{W}{tag}") if element is not None else None
    return child.get(f"{W}val", default) if child is not None else default


def _fragment(data: bytes, tag: bytes, attr: bytes, value: str):
    """The element <w:TAG w:ATTR="VALUE"> … </w:TAG> cut out of a part's bytes and parsed on
    its own (None when absent or damaged: a lost number or style, never a lost document)."""
    if not data or not value:
        return None
    start = regex.search(rb"<w:" + tag + rb"\b[^>]*\bw:" + attr + rb'="' + regex.escape(value.encode()) + rb'"', data)
    if not start:
        return None
    head_end = data.find(b">", start.end())
    if head_end < 0:
        return None
    if data[head_end - 1:head_end] == b"/":
        end = head_end + 1  # an empty element
    else:
        close = data.find(b"</w:" + tag + b">", head_end)
        if close < 0:
            return None
        end = close + len(tag) + 5
    try:
        root = parse_xml(b'<r ' + _NS + b'>' + data[start.start():end] + b"</r>")
    except etree.XMLSyntaxError:
        return None
    return root[0] if len(root) else None


_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _letters(n: int, upper: bool) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out.upper() if upper else out


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + digits, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        return _letters(n, fmt == "upperLetter")
    if fmt in ("lowerRoman", "upperRoman"):
        r = _roman(n)
        return r if fmt == "upperRoman" else r.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _Style:
    num: tuple[str, int] | None = None
    outline: int | None = None
    bold: bool = False
    heading: bool = False
    based_on: str | None = None
    font: str | None = None  # its runs' font (w:rFonts ascii, else hAnsi)


@dataclass
class WordLists:
    """Numbering and styles of one document, read lazily: a styles part holds a hundred
    styles and a numbering part dozens of lists, of which a document uses a few, so only the
    entries a paragraph asks for are cut out of the part's bytes and parsed."""

    numbering: bytes = b""
    styles_xml: bytes = b""
    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]] | None] = field(default_factory=dict)
    styles: dict[str, _Style | None] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def load(cls, path) -> "WordLists":
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
                numbering = read_part(z, "word/numbering.xml") if "word/numbering.xml" in names else b""
                styles = read_part(z, "word/styles.xml") if "word/styles.xml" in names else b""
        except (zipfile.BadZipFile, OSError):
            return cls()
        return cls(numbering, styles)

    def _style_entry(self, style_id: str) -> _Style | None:
        if style_id not in self.styles:
            s = _fragment(self.styles_xml, b"style", b"styleId", style_id)
            if s is None:
                self.styles[style_id] = None
            else:
                ppr, rpr = s.find(f"{W}pPr"), s.find(f"{W}rPr")
                numpr = ppr.find(f"{W}numPr") if ppr is not None else None
                name = (_val(s, "name", "") or "").lower()
                outline = _val(ppr, "outlineLvl")
                bold = rpr is not None and rpr.find(f"{W}b") is not None and _val(rpr, "b", "1") not in ("0", "false")
                self.styles[style_id] = _Style(
                    (_val(numpr, "numId"), int(_val(numpr, "ilvl", "0") or 0)) if numpr is not None and _val(numpr, "numId") else None,
                    int(outline) if outline is not None and outline.isdigit() else None,
                    bold, name.startswith(("heading", "title")) or name in ("tiêu đề",), _val(s, "basedOn"),
                    run_font(rpr))
        return self.styles[style_id]

    def _num(self, num_id: str) -> tuple[str, dict[int, int]] | None:
        if num_id not in self.nums:
            n = _fragment(self.numbering, b"num", b"numId", num_id)
            if n is None:
                self.nums[num_id] = None
            else:
                overrides = {}
                for o in n.iter(f"{W}lvlOverride"):
                    start = _val(o, "startOverride")
                    if start is not None:
                        overrides[int(o.get(f"{W}ilvl", "0"))] = int(start)
                abstract_id = _val(n, "abstractNumId")
                self.nums[num_id] = (abstract_id, overrides)
                if abstract_id not in self.abstract:
                    a = _fragment(self.numbering, b"abstractNum", b"abstractNumId", abstract_id or "")
                    levels = {}
                    for lvl in a.iter(f"{W}lvl") if a is not None else ():
                        levels[int(lvl.get(f"{W}ilvl", "0"))] = _Level(
                            _val(lvl, "numFmt", "decimal"), _val(lvl, "lvlText", ""), int(_val(lvl, "start", "1") or 1))
                    self.abstract[abstract_id] = levels
        return self.nums[num_id]

    def style(self, style_id: str | None) -> _Style:
        seen, style = set(), _Style()
        while style_id and style_id not in seen and (s := self._style_entry(style_id)) is not None:
            seen.add(style_id)
            style = _Style(style.num or s.num, style.outline if style.outline is not None else s.outline,
                           style.bold or s.bold, style.heading or s.heading, font=style.font or s.font)
            style_id = s.based_on
        return style

    @property
    def default_font(self) -> str | None:
        """The document's default run font (w:docDefaults), read once."""
        if not hasattr(self, "_default_font"):
            found = regex.search(rb"<w:rPrDefault\b.*?</w:rPrDefault>", self.styles_xml, regex.S) if self.styles_xml else None
            try:
                rpr = parse_xml(b"<r " + _NS + b">" + found.group() + b"</r>")[0].find(f"{W}rPr") if found else None
            except etree.XMLSyntaxError:
                rpr = None
            self._default_font = run_font(rpr)
        return self._default_font

    def marker(self, num_id: str, ilvl: int) -> str | None:
        """The marker Word shows for the next paragraph of this numbering instance and level."""
        if num_id == "0" or (num := self._num(num_id)) is None:
            return None
        abstract_id, overrides = num
        levels = self.abstract.get(abstract_id, {})
        if ilvl not in levels:
            return None
        counts = self.counters.setdefault(num_id, {})
        level = levels[ilvl]
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else overrides.get(ilvl, level.start)
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        if level.fmt == "none":
            return None
        if level.fmt == "bullet":
            text = level.text.strip()
            return _SYMBOL_BULLETS.get(text, text) or "•"
        text = level.text
        for k in range(9):
            if f"%{k + 1}" in text:
                lv = levels.get(k, _Level())
                n = counts.get(k, overrides.get(k, lv.start))
                text = text.replace(f"%{k + 1}", format_number(n, lv.fmt))
        return text.strip() or None
