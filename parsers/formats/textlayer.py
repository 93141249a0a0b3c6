"""The text-layer quality gate: what a reader gave is text a person could read, before any
layout reads targets from it.

A text layer can be garbage in four ways that a layout cannot see: glyph ids without a
character (`(cid:72)`, from a PDF font without a ToUnicode map), private-use characters
(a symbol or custom-encoded font), replacement characters (bytes that were not text), and
mojibake (UTF-8 read as Windows-1252: `Tá»•ng` for `Tổng`). A document typed in a legacy
Vietnamese font is not garbage: it is converted (legacy.py). Whatever else is garbage stops
the document with a sentence, so it never yields `ok` rows with garbled names; a PDF page
whose text layer is garbage is read by OCR instead (ocr.py) before it gets here.
"""
from __future__ import annotations

import re

import regex
from dataclasses import dataclass, replace

from ..model import RawDocument, UnreadableDocument
from .legacy import convert_legacy, texts_of

DAMAGED_SHARE = 0.05  # of a text's visible characters; real text has next to none
DAMAGED_MIN = 5  # characters: one stray symbol is not a damaged layer
# Words beyond ASCII that are no Vietnamese syllable (syllables.py), per page: the seeds and the
# corpus have next to none (0.5% at most); a legacy layer left half converted has 4% and more.
SUSPECT_SHARE = 0.02
SUSPECT_MIN = 3  # words on a page: one foreign name is not a damaged layer
# Words beyond ASCII among a page's words: Vietnamese marks most of its words (60–70% of them);
# a scanner's OCR without the Vietnamese model writes them bare (`Ty lé dan s6 tham gia`).
MARKED_SHARE = 0.25
MARKED_MIN_WORDS = 30  # a page with fewer words is not judged so

_CID = re.compile(r"\(cid:\d+\)")
_PRIVATE = regex.compile(r"\p{Co}")
_CONTROL = regex.compile(r"(?!\s)[\p{Cc}\p{Cs}]")  # a control that is not a space
_SUSPECT = regex.compile(r"\(cid:\d|\ufffd|\p{Co}|(?!\s)[\p{Cc}\p{Cs}]")
# the characters _SUSPECT looks for and a few more (every control but the common spaces), in a
# class the standard engine scans at C speed: text without any of them needs no closer look
_MAYBE_SUSPECT = re.compile("\\(cid:|[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd"
                            "\U000f0000-\U0010ffff]")
# A run that UTF-8 bytes leave when read as Windows-1252 or Latin-1: a lead byte (Ã Ä Æ á …)
# then one or two continuation bytes.
_MOJIBAKE_RUN = re.compile("[\u00c2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                           "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{1,2}")


class DamagedTextLayer(UnreadableDocument):
    """A text layer that is garbage and no known encoding; documents.text_layer is damaged."""

    text_layer = "damaged"


@dataclass(frozen=True)
class Damage:
    kind: str  # what most of the garbage is
    bad: int
    visible: int

    def sentence(self) -> str:
        return f"{self.kind} make up {self.bad} of its {self.visible} characters"


def _is_mojibake(run: str) -> bool:
    for codec in ("cp1252", "latin-1"):
        try:
            return run.encode(codec).decode("utf-8") != run
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return False


def damage(texts: list[str], bullets: frozenset[str] = frozenset()) -> Damage | None:
    """How the text is garbage, or None when it reads as text. `bullets` are characters
    readers found as list markers (a Wingdings bullet is a private-use character)."""
    whole = "\n".join(t for t in texts if t)
    if not (_MAYBE_SUSPECT.search(whole) and _SUSPECT.search(whole)) and not _MOJIBAKE_RUN.search(whole):
        return None  # nothing garbage is made of: the common case, read in one pass
    counts = {"(cid:NN) glyph codes": 0, "private-use characters": 0, "replacement characters (U+FFFD)": 0,
              "control characters": 0, "mojibake (UTF-8 read as Windows-1252)": 0}
    visible = 0
    for text in texts:
        if not text:
            continue
        cids = _CID.findall(text)
        counts["(cid:NN) glyph codes"] += sum(map(len, cids))
        rest = _CID.sub("", text) if cids else text
        # counted by regexes, not a loop over characters: the gate runs on every document
        visible += len("".join(rest.split()))
        counts["replacement characters (U+FFFD)"] += rest.count("\ufffd")
        counts["private-use characters"] += sum(1 for ch in _PRIVATE.findall(rest) if ch not in bullets)
        counts["control characters"] += len(_CONTROL.findall(rest))
        counts["mojibake (UTF-8 read as Windows-1252)"] += sum(
            len(m.group()) for m in _MOJIBAKE_RUN.finditer(rest) if _is_mojibake(m.group()))
        visible += sum(map(len, cids))
    bad = sum(counts.values())
    if bad >= DAMAGED_MIN and bad >= DAMAGED_SHARE * max(visible, 1):
        return Damage(max(counts, key=counts.get), bad, visible)
    return None


def is_garbage(texts: list[str]) -> bool:
    """Whether a page's text is garbage that no legacy Vietnamese encoding explains (its
    page is better read by OCR)."""
    from .legacy import detect_encoding

    return damage(texts) is not None and detect_encoding(texts) is None


def suspect_pages(doc: RawDocument) -> list[int | None]:
    """The pages (None for a document without pages) whose words read as no Vietnamese:
    legacy codes left after conversion, words outside syllable structure (`trưêng`, `PhÊn`)."""
    from .syllables import suspect_share

    texts: dict[int | None, list[str]] = {}
    for line in doc.lines:
        texts.setdefault(line.page, []).append(line.full_text)
    for table in doc.tables:
        for row in table.rows:
            texts.setdefault(row.page, []).extend(c.text for c in row.cells)
    found = []
    for page, page_texts in texts.items():
        bad, checked = suspect_share(page_texts)
        if bad >= SUSPECT_MIN and bad >= SUSPECT_SHARE * checked:
            found.append(page)
    return sorted(found, key=lambda p: p or 0)


def reads_as_vietnamese(texts: list[str]) -> bool:
    """Whether a page's text reads as Vietnamese: few words outside syllable structure, and
    most words marked as Vietnamese marks them. A scanned page whose own OCR layer fails this
    is read again by OCR (pdf.py)."""
    from .syllables import suspect_share, words_of

    bad, checked = suspect_share(texts)
    if bad >= SUSPECT_MIN and bad >= SUSPECT_SHARE * checked:
        return False
    words = sum(1 for t in texts for w in words_of(t) if any(c.isalpha() for c in w))
    return words < MARKED_MIN_WORDS or checked >= MARKED_SHARE * words


def reads_badly(texts: list[str]) -> bool:
    """Whether a page's text reads as no Vietnamese and no legacy encoding explains it (a
    TCVN3 page reads as no Vietnamese until it is converted)."""
    from .legacy import detect_encoding

    return not reads_as_vietnamese(texts) and detect_encoding(texts) is None


def check_text_layer(doc: RawDocument) -> RawDocument:
    """The document with its legacy-font text converted; DamagedTextLayer when its text is
    garbage of another kind. A document whose words still read as no Vietnamese on some page
    after conversion is read, its text_layer `damaged` (its rows are for review) and its notes
    naming the pages."""
    doc = convert_legacy(doc)
    bullets = frozenset(l.marker for l in doc.lines if l.marker and len(l.marker) == 1)
    found = damage(texts_of(doc), bullets)
    if found:
        raise DamagedTextLayer(
            f"the text layer is damaged: {found.sentence()}, and it is no known Vietnamese encoding "
            f"(TCVN3, VNI, VISCII), so its targets cannot be read from it; get a copy with real text "
            f"(the .docx it was made from), or a scan of it to be read by OCR"
        )
    if doc.text_layer != "ocr" and (pages := suspect_pages(doc)):
        where = ",".join(str(p) for p in pages if p is not None)
        doc = replace(doc, text_layer="damaged", notes=doc.notes + (f"suspect_words:{where or 'all'}",))
    return doc
