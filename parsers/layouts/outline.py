"""A document's outline, the same for every format: `Điều 1.` > `II.` > `2.` > `a)` > `-`.

Built once from the readers' lines: page furniture dropped, wrapped lines joined into
paragraphs, inline items (`(1) …; (2) …`) split out, then each paragraph placed in a tree by
its marker. Markers have no fixed rank: the first kind met is the outermost, a kind met for
the first time nests under the item before it, and a kind already open closes everything
opened after it (the way a reader follows a document whose numbering style is the office's
own). Unmarked paragraphs are the text of the item above them; one ending in ':' opens a
list of its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache

import regex

from ...normalizers import vocabulary
from ...normalizers.text import clean_text

from ..formats.markers import split_marker
from ..model import Line

_HAS_WORD = regex.compile(r"[\p{L}\p{N}]")  # a line of only rules and stars ('* -------') is furniture
_SENTENCE_END = regex.compile(r"[.;:!?]\)?$")
_ROMAN = regex.compile(r"^(?=[IVXLCDM]+$)M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_ARTICLE_MARKER = regex.compile(r"^\p{L}+\s+\d")  # Điều 1, Mục 2
_NUMBER_MARKER = regex.compile(r"^\d+(\.\d+)*$")
_SMALL_LETTER = regex.compile(r"^[a-zđ]$")
_CAPITAL_LETTER = regex.compile(r"^[A-ZĐ]$")
_INLINE = regex.compile(r"(?:(?<=^)|(?<=[;:.,]\s{0,3})|(?<=\s))\(\s*(\d{1,2}|[a-zđ])\s*\)\s+(?=\S)")
_LETTERS = "abcdđeghiklmnopqrstuvxy"
_BODY_WORDS = 20  # a paragraph this long is running text: the body has begun  # the order of Vietnamese list letters (no f, j, w, z)


@cache
def _page_number() -> regex.Pattern:
    """'- 2 -', '2', 'Trang 2', '2/5': a page number standing alone on a line."""
    words = vocabulary.alternation(vocabulary.load("vocabulary")["page_words"]["words"])
    return regex.compile(rf"^\s*(?:[-–—]\s*)?(?:(?:{words})\s+)?\d{{1,3}}\s*(?:[-–—]\s*)?(?:/\s*\d{{1,3}})?\s*$",
                         regex.IGNORECASE)


_words = vocabulary.table_words


@cache
def _dated() -> regex.Pattern:
    """'ngày 08 tháng 01 năm 2026': the place and date line of a letterhead."""
    w = vocabulary.load("vocabulary")["date_words"]
    day, month, year = (vocabulary.alternation(w[k]) for k in ("day", "month", "year"))
    return regex.compile(rf"(?:{day})\s+\d{{1,2}}\s+(?:{month})\s+\d{{1,2}}\s+(?:{year})\s+\d{{4}}", regex.IGNORECASE)


@cache
def _attached_title() -> regex.Pattern:
    """'KẾ HOẠCH', 'Phụ lục I': the title line of a document after the signature of the one
    that issues it."""
    words = vocabulary.alternation(vocabulary.load("vocabulary")["attached_documents"]["words"])
    return regex.compile(rf"^\s*(?:{words})(?:\s+(?:số\s+)?[\dIVX]+[a-z]?)?\s*:?\s*$", regex.IGNORECASE)


@dataclass
class Node:
    """One paragraph (or inline item) of the outline, with the items nested under it."""

    kind: str  # the marker's kind ('1.', '(1)', 'a)', '-', 'I.', 'article'), or 'text', 'lead', 'heading', 'root'
    marker: str | None
    text: str
    line: int
    page: int | None
    heading: bool = False  # a heading by its form: heading style, bold, all capitals
    children: list["Node"] = field(default_factory=list)
    inline: bool = False  # split out of a paragraph

    @property
    def label(self) -> str | None:
        """The marker as a section label: 'a)' → 'a', '3.1.' → '3.1'; bullets give none."""
        if not self.marker:
            return None
        label = self.marker.strip("().:- ")
        return label if regex.match(r"^[\p{L}\d.]+$", label) and self.kind != "article" else None

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


# ---------------------------------------------------------------------------- lines → paragraphs


@dataclass
class Paragraph:
    marker: str | None
    text: str
    line: int
    page: int | None
    level: int | None = None
    heading: bool = False
    bold: bool = False


def drop_furniture(lines: tuple[Line, ...]) -> list[Line]:
    """Without page numbers ('- 2 -'), running headers repeated atop pages, separators, and
    everything from 'Nơi nhận:' on (the distribution list and signatures)."""
    first_on_page: dict[str, set[int]] = {}
    seen_pages: set[int] = set()
    for line in lines:
        if line.page is not None and line.page not in seen_pages:
            seen_pages.add(line.page)
            first_on_page.setdefault(clean_text(line.full_text), set()).add(line.page)
    running = {t for t, pages in first_on_page.items() if len(pages) >= 2}
    end = _words("end_of_body")
    kept = []
    signed = False  # between 'Nơi nhận:' and the title of a document issued with this one
    for line in lines:
        text = clean_text(line.full_text)
        if end.match(text):
            signed = True
        if signed:
            if not _attached_title().match(text):
                continue
            signed = False
        if not _HAS_WORD.search(text) or _page_number().match(text) or text in running:
            continue
        kept.append(line)
    return kept


def _starts_upper(text: str) -> bool:
    first = text.lstrip("\"'“(")[:1]
    return first.isupper() or first.isdigit() and False


def join_paragraphs(lines: list[Line], wrapped: bool) -> list[Paragraph]:
    """Paragraphs from lines. In a wrapped format (txt, pdf) a line goes on with the paragraph
    above unless it opens an item (a marker), or the line above ended a sentence or was short
    and this one starts with a capital. A bullet before a number ('- 7,5%.') on a line after
    an unfinished one is a range cut by the wrap, not an item."""
    widths = sorted(len(clean_text(l.full_text)) for l in lines) or [0]
    full = widths[int(len(widths) * 0.8)] if widths else 0
    paragraphs: list[Paragraph] = []
    for line in lines:
        marker, text = line.marker, clean_text(line.text)
        if not marker:
            marker, text = split_marker(text)
            text = clean_text(text)
        if not wrapped or not paragraphs:
            paragraphs.append(Paragraph(marker, text, line.number, line.page, line.level, line.heading, line.bold))
            last_line = clean_text(line.full_text)
            continue
        last = paragraphs[-1]
        ended = bool(_SENTENCE_END.search(last.text))
        short = len(last_line) < 0.7 * full  # the line above stopped before the margin: it ended
        if marker and marker[0] in "-–—+" and text[:1].isdigit() and not ended and not short:
            marker, text = None, f"{marker}{text}" if marker == "-" else f"{marker} {text}"
        if marker or line.heading or (_starts_upper(text) and (ended or short)) or line.bold != last.bold:
            paragraphs.append(Paragraph(marker, text, line.number, line.page, line.level, line.heading, line.bold))
        else:
            last.text = f"{last.text} {text}".strip()
        last_line = clean_text(line.full_text)
    return [p for p in paragraphs if p.text or p.marker]


# ---------------------------------------------------------------------------- paragraphs → tree


def marker_kind(marker: str, open_kinds: list[str]) -> str:
    """The kind of a marker: items of one kind are siblings."""
    m = marker.strip()
    if _ARTICLE_MARKER.match(m):
        return "article"
    if m.startswith("("):
        inner = m.strip("().: ")  # '(14).' too
        return "(1)" if inner.isdigit() else "(a)"
    core, close = m.rstrip(".):-/"), m[len(m.rstrip(".):-/")):][:1] or "."
    if _NUMBER_MARKER.match(core):
        depth = core.count(".") + 1
        return ("1" + ".1" * (depth - 1) + ".") if depth > 1 else f"1{close}"
    if _SMALL_LETTER.match(core):
        return f"a{close}"
    if _CAPITAL_LETTER.match(core):
        if _ROMAN.match(core) and not ("A." in open_kinds and "I." not in open_kinds):
            return "I."
        return "A."
    if _ROMAN.match(core):
        return "I."
    return "-" if m[0] in "-–—" else m[0]


def _is_caps(text: str) -> bool:
    return text.isupper() and sum(map(str.isalpha, text)) >= 6  # six letters or more, every one a capital


def _is_heading_form(p: Paragraph) -> bool:
    return p.heading or (p.bold and not p.marker) or (_is_caps(p.text) and not p.marker)


def split_inline(p: Paragraph) -> tuple[Paragraph, list[Paragraph]]:
    """A paragraph holding items `(1) …; (2) …` (numbered on from 1 or from its own marker)
    as its head and the items; (p, []) when it holds no such run."""
    found = list(_INLINE.finditer(p.text))
    if not found:
        return p, []
    start = _ordinal(p.marker.strip("().: ")) if p.marker and p.marker.startswith("(") else None
    run: list[regex.Match] = []
    expected = start + 1 if start is not None else None
    for m in found:
        n = _ordinal(m.group(1))
        if n is None:
            continue
        # a run opens at 1, or where a lead's colon hands it on from the group before
        # ('- Về xã hội: (9) …; (10) …', the groups of one list numbered through)
        opens = n == 1 or not run and p.text[: m.start()].rstrip().endswith(":")
        if expected is None and opens or n == expected:
            run.append(m)
            expected = n + 1
    if len(run) < (1 if start is not None else 2):
        return p, []
    head = p.text[: run[0].start()].strip()
    items = []
    for k, m in enumerate(run):
        end = run[k + 1].start() if k + 1 < len(run) else len(p.text)
        items.append(Paragraph(f"({m.group(1)})", p.text[m.end():end].strip().rstrip(";").strip(), p.line, p.page))
    return Paragraph(p.marker, head, p.line, p.page, p.level, p.heading, p.bold), items


def _ordinal(label: str) -> int | None:
    if label.isdigit():
        return int(label)
    return _LETTERS.index(label) + 1 if label in _LETTERS else None


@lru_cache(maxsize=2)  # the targets and the actuals of one document read the same outline
def build_outline(lines: tuple[Line, ...], wrapped: bool) -> Node:
    """The document's tree of paragraphs under a root (shared: callers only read it)."""
    root = Node("root", None, "", 0, None)
    stack: list[Node] = [root]
    in_header = True
    for paragraph in join_paragraphs(drop_furniture(lines), wrapped):
        # The letterhead and title ('NGHỊ QUYẾT', 'Về kế hoạch …') stand apart: their capitals
        # and bold are not the headings of the body, which starts at the first item or the
        # first paragraph of running text: long, or ending a sentence or opening a list.
        if in_header and paragraph.marker and paragraph.marker[0] in "*-–" and _dated().search(paragraph.text):
            # '*    Vân Phú, ngày 08 tháng 01 năm 2026': a Party letterhead's star beside the date
            root.children.append(Node("text", None, paragraph.text, paragraph.line, paragraph.page, heading=True))
            continue
        if in_header and not paragraph.marker and (len(paragraph.text.split()) < _BODY_WORDS or _is_heading_form(paragraph)) \
                and not _SENTENCE_END.search(paragraph.text.rstrip()) and not _words("list_leads").search(paragraph.text[-30:]):
            root.children.append(Node("text", None, paragraph.text, paragraph.line, paragraph.page, heading=True))
            continue
        in_header = False
        head, items = split_inline(paragraph)
        node = _place(stack, head)
        if items and head.marker and head.marker.startswith("("):
            # '(1) … (2) …': the paragraph is the first item of a run; all are siblings
            for item in items:
                _place(stack, item, inline=True)
        elif items:
            if node.kind == "text":  # the head opens the list of its items
                node.kind = "lead"
                stack.append(node)
            for item in items:
                node.children.append(Node("(1)", item.marker, item.text, item.line, item.page, inline=True))
    return root


def _starts_own_list(stack: list[Node], kind: str, marker: str) -> bool:
    """'2. Các chỉ tiêu chủ yếu' > 'a) Về kinh tế:' > '1. …': a number of a kind already open
    above that does not follow on from it (1 after 2) starts a list of its own under the item
    in place. So does one that follows on from the list under the item before (the groups of
    one list numbered through: '9.' under 'b) Về xã hội:', after '1.'–'8.' under 'a)')."""
    top = stack[-1]
    number = _number(marker)
    if top.kind == kind or number is None:
        return False
    opens = top.text.rstrip().endswith(":")
    parent = stack[-2] if len(stack) > 1 else None
    before = parent.children[-2] if parent is not None and len(parent.children) > 1 else None
    previous = [_number(c.marker) for c in before.children if c.kind == kind] if before is not None else []
    numbered_through = bool(previous) and previous[-1] is not None and number == previous[-1] + 1
    if numbered_through and opens:
        return True
    above = _number(next(n for n in reversed(stack) if n.kind == kind).marker)
    if above is None or number == above + 1:
        return False
    return number == 1 or opens or numbered_through


def _number(marker: str | None) -> int | None:
    """The number of a numbered marker ('3.', '3)', '(3)'); None for others."""
    core = (marker or "").strip().strip("().:-/ ")
    return int(core) if core.isdigit() else None


def _place(stack: list[Node], p: Paragraph, inline: bool = False) -> Node:
    kinds = [n.kind for n in stack]
    heading = _is_heading_form(p)
    if p.marker:
        kind = marker_kind(p.marker, kinds)
    elif heading:
        # a heading by style or level, by capitals, or by weight: three kinds that nest
        # ('NGHỊ QUYẾT' in capitals at the top, 'Về kinh tế' in bold inside a list)
        form = "level" if p.heading or p.level is not None else "caps" if _is_caps(p.text) else "bold"
        kind = f"heading-{form}{p.level if p.level is not None else ''}"
    elif p.text.rstrip().endswith(":") or _words("list_leads").search(p.text[-30:]):
        kind = "lead"
    else:
        kind = "text"
    node = Node(kind, p.marker, p.text, p.line, p.page, heading=heading, inline=inline)
    if kind == "text":
        # a plain paragraph after a list that a lead opened ('… như sau:' and its items) ends it
        leads = [k for k, n in enumerate(stack) if n.kind == "lead" and any(c.marker for c in n.children)]
        if leads and _SENTENCE_END.search(stack[-1].text):  # after a finished item, not a heading item
            del stack[leads[-1]:]
        stack[-1].children.append(node)
        return node
    if kind == "lead":
        while stack[-1].kind == "lead":
            stack.pop()
    elif kind in kinds and not _starts_own_list(stack, kind, p.marker):
        while stack[-1].kind != kind:
            stack.pop()
        stack.pop()
    stack[-1].children.append(node)
    stack.append(node)
    return node
