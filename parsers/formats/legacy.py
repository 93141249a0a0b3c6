"""Vietnamese typed in a legacy font (TCVN3 `.VnTime`, VNI, VISCII), converted to Unicode.

A document typed in `.VnTime` stores the font's codes, which every reader gives back as the
Latin-1 characters they are: `Tæng thu ng©n s¸ch` is `Tổng thu ngân sách`. The encoding is
detected once on the whole document and every line and cell is converted with it.

Detection and the conversion tables are viparse's (`viparse.detect_text_encoding`,
`viparse.fix`): a maintained, MIT-licensed library with no dependencies of its own, whose
tables are checked against a corpus of real legacy documents, which knows the PDF glyph
substitutions of `.VnTime` (ư as U+2212) and refuses to "convert" Spanish or German text.
Hand-written tables would need all of that again.

Two things are ours. A string that already holds Unicode Vietnamese letters (ơ, ư, đ, ạ…
which no legacy encoding produces) is left as it is, so a document mixing a Unicode title
with a `.VnTime` body keeps its title. And case: TCVN3 has no upper-case toned vowels, so
headings were typed in `.VnTimeH`, whose lower-case codes draw capitals; converted they come
out lower case (`NGHị QUYếT`); `_restore_case` puts the capitals back where the words
around them show them. A wrapped PDF or text line may open mid-sentence, so only a cell or
a paragraph gets a capital first letter back.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from functools import cache
from pathlib import Path

from ..model import Line, RawDocument, Row, Table
from .markers import split_marker

# Letters only Unicode Vietnamese has: no legacy font's codes read as these.
_UNICODE_VIETNAMESE = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
_WORD = re.compile(r"[^\W\d_]+")
# ư (TCVN3 0xAD) printed to PDF comes out as U+2212. viparse restores it beside a letter, but
# its neighbour is often another TCVN3 code that is no letter in Unicode (`®−¬ng`, đương),
# or a line wrap; beside any such code it is ư, between digits or spaces a minus.
_TCVN3_MINUS = re.compile(r"(?<=[^\W\d_]|[\xa1-\xff])\u2212|\u2212(?=[^\W\d_]|[\xa1-\xff])")


# What a font's name carries besides its family: a PDF subset tag, a weight or style.
_SUBSET = re.compile(r"^[A-Z]{6}\+")
_STYLE = re.compile(r"[,-](?:Bold|Italic|Oblique|Regular|BoldItalic|BoldOblique|Roman|Normal)+$", re.I)


@cache
def _font_patterns() -> list[tuple[str, re.Pattern, re.Pattern | None]]:
    with (Path(__file__).parent / "legacy_fonts.toml").open("rb") as f:
        table = tomllib.load(f)
    either = lambda patterns: re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
    return [(encoding, either(entry["patterns"]), either(entry.get("capitals", []))) for encoding, entry in table.items()]


@cache
def legacy_font(name: str | None) -> tuple[str, bool] | None:
    """The legacy encoding a font's name says it was typed in, and whether it is a capitals
    font (`.VnTimeH`), or None for any other font.

    >>> legacy_font(".VnTime"), legacy_font("ABCDEF+.VnTimeH,Bold"), legacy_font("VNI-Times")
    (('tcvn3', False), ('tcvn3', True), ('vni', False))
    >>> legacy_font("Times New Roman"), legacy_font("DejaVuSans")
    (None, None)
    """
    if not name:
        return None
    family = _STYLE.sub("", _SUBSET.sub("", name.strip()))
    for encoding, pattern, capitals in _font_patterns():
        if pattern.search(family):
            return encoding, bool(capitals and capitals.search(family))
    return None


@cache
def legacy_only() -> re.Pattern:
    """Characters some legacy encoding's codes read as, that Unicode Vietnamese never uses:
    text without any of them is no legacy text, and detection need not run on it."""
    import unicodedata

    from viparse.normalize.encodings import AUTO_DETECT_CHARMAPS

    vietnamese = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
    codes = {ch for charmap in AUTO_DETECT_CHARMAPS.values() for source, _ in charmap.pairs for ch in source}
    only = sorted(ch for ch in codes - vietnamese - {"\xa0"} if not ch.isascii() and unicodedata.category(ch)[0] != "M")
    return re.compile("[" + "".join(re.escape(ch) for ch in only) + "]")


@cache
def legacy_characters(encoding: str) -> frozenset[str]:
    """The characters an encoding's codes read as (Latin-1 for a byte): what a legacy font's
    code must be read as, whatever a PDF's encoding or ToUnicode map says of it."""
    from viparse.normalize.encodings import CHARMAPS

    return frozenset(ch for source, _ in CHARMAPS[encoding].pairs for ch in source)


@cache
def _small_letter_codes() -> frozenset[str]:
    """The codes that read as small letters in some legacy encoding and are no letter of their
    own (TCVN3's ® is đ, while its § is Đ)."""
    from viparse.normalize.encodings import CHARMAPS

    return frozenset(source for charmap in CHARMAPS.values() for source, u in charmap.pairs
                     if len(source) == 1 and u.islower() and not source.isalpha())


def starts_with_legacy_small_letter(text: str) -> bool:
    """Whether a text still in a legacy encoding opens with a small letter (`®\xadîc`, được):
    a row that continues the one above on a new page may begin so."""
    return text.lstrip()[:1] in _small_letter_codes()


def detect_encoding(texts: list[str]) -> str | None:
    """The legacy encoding the document's text is in (`tcvn3`, `vni`, `viscii`), or None when
    it is Unicode, too short to judge, or not Vietnamese."""
    import viparse

    sample = "\n".join(t for t in texts if t and not _UNICODE_VIETNAMESE.search(t))
    if not sample.strip() or not legacy_only().search(sample):
        return None
    return viparse.detect_text_encoding(sample)


def _is_capitals(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


@cache
def _capitals_with_codes(encoding: str) -> frozenset[str]:
    """The capital letters an encoding has codes for (TCVN3: Đ Ă Â Ê Ô Ơ Ư, no toned vowel)."""
    from viparse.normalize.encodings import CHARMAPS

    return frozenset(u for _, u in CHARMAPS[encoding].pairs if u.isupper())


def _restore_case(text: str, starts_sentence: bool, typed_capitals: frozenset[str] = frozenset()) -> str:
    """Capitals TCVN3 could not store, put back: `NGHị` → `NGHỊ` (a capital word: two or more
    capitals, no small ASCII letter, or a capital after a small letter, `ủY`); `Bộ` between
    capital words → `BỘ`; a small toned vowel opening a cell or a paragraph → capital."""
    words = list(_WORD.finditer(text))
    fixed = []
    for m in words:
        w = m.group()
        capitals = sum(c.isupper() for c in w)
        if (capitals >= 2 and not any("a" <= c <= "z" for c in w)) or (capitals and not w[0].isupper()):
            w = w.upper()
        fixed.append(w)
    ambiguous = [len(w) >= 2 and w[0].isupper() and all(not c.isascii() and c.islower() for c in w[1:])
                 for w in fixed]  # `Bộ`: one capital, then only letters the table gave
    i = 0
    while i < len(fixed):  # a run of such words between capital words is in capitals
        j = i
        while j < len(fixed) and ambiguous[j]:
            j += 1
        if j > i and i > 0 and _is_capitals(fixed[i - 1]) and (j == len(fixed) or _is_capitals(fixed[j])):
            fixed[i:j] = [w.upper() for w in fixed[i:j]]
        i = j + 1
    first = fixed[0][0] if fixed else ""
    if starts_sentence and first and not first.isascii() and first.islower() and words[0].start() == 0 \
            and first.upper() not in typed_capitals:  # `đợc` opening a cell was typed so: Đ has a code
        fixed[0] = fixed[0][0].upper() + fixed[0][1:]
    out, last = [], 0
    for m, w in zip(words, fixed):
        out += [text[last:m.start()], w]
        last = m.end()
    return "".join(out) + text[last:]


def convert(text: str, encoding: str, starts_sentence: bool = False) -> str:
    """One string from the legacy encoding to Unicode (NFC, horizontal spaces folded)."""
    import viparse

    if not text:
        return text
    if _UNICODE_VIETNAMESE.search(text) or _a_unicode_word(text, encoding):
        return _convert_mixed(text, encoding, starts_sentence)
    if encoding == "tcvn3":
        text = _TCVN3_MINUS.sub("\xad", text)
    return _restore_case(viparse.fix(text, encoding=encoding), starts_sentence, _capitals_with_codes(encoding))


_EDGE_SPACE = re.compile(r"^(\s*)(.*?)(\s*)$", re.S)


def convert_run(text: str, encoding: str, capitals: bool = False, starts_sentence: bool = False) -> str:
    """One run of a document typed in a legacy font, converted with the encoding its font
    names, its spaces at either end kept (the runs around it are joined to it). A capitals
    font's (`.VnTimeH`) small letters' codes are capitals."""
    head, body, tail = _EDGE_SPACE.match(text).groups()
    if not body:
        return text
    body = convert(body, encoding, starts_sentence)
    return head + (body.upper() if capitals else body) + tail


_TOKEN = re.compile(r"\S+")


def _convert_mixed(text: str, encoding: str, starts_sentence: bool) -> str:
    """A string that holds Unicode Vietnamese beside legacy codes (runs typed in two fonts,
    whose fonts no longer say which: `Sở Tµi nguyªn vµ M«i tr\xadêng`), converted word by
    word by content: a word with a letter only Unicode has stays; a word with a code only
    legacy text has, or that is no Vietnamese syllable while its conversion is, is converted;
    a word that reads either way (`Y`, `Bé`) goes with its neighbours when both are legacy."""
    import viparse

    tokens = list(_TOKEN.finditer(text))
    kinds = []
    for m in tokens:
        w = m.group()
        if _UNICODE_VIETNAMESE.search(w):
            kinds.append("unicode")
        elif legacy_only().search(w):
            kinds.append("legacy")
        else:
            kinds.append(_judge(w, viparse.fix(w, encoding=encoding), encoding))
    if "legacy" not in kinds:
        return text
    out, last = [], 0
    for k, m in enumerate(tokens):
        out.append(text[last:m.start()])
        near = [next(iter(sorted(side))) for side in (_nearest(kinds, k, -1), _nearest(kinds, k, 1)) if side]
        kind = kinds[k] or ("legacy" if near and set(near) == {"legacy"} else "unicode")
        w = m.group()
        if kind == "legacy":
            w = _restore_case(viparse.fix(_TCVN3_MINUS.sub("\xad", w) if encoding == "tcvn3" else w, encoding=encoding),
                              starts_sentence and k == 0, _capitals_with_codes(encoding))
        out.append(w)
        last = m.end()
    return "".join(out) + text[last:]


def _a_unicode_word(text: str, encoding: str) -> bool:
    """Whether a string with no letter only Unicode has still holds a word typed in Unicode:
    one the project knows, whose conversion it does not know (`Công` beside `an tØnh`)."""
    import viparse

    return any(_judge(w, viparse.fix(w, encoding=encoding), encoding) == "unicode"
               for w in text.split() if not w.isascii() and not legacy_only().search(w))


def _judge(word: str, converted: str, encoding: str) -> str | None:
    """A word with no letter only one side has: legacy when it is no syllable and its
    conversion is one, or the project knows it converted and not as it is; Unicode the other
    way round; None when it reads either way. A TCVN3 word that lost its ư on the way
    (`giêng` for gi­êng, giường) is a syllable once the ư is back."""
    from .syllables import known_syllables, suspect, with_u_horn

    if converted == word:
        return None
    word, converted = word.lower(), converted.lower()  # the case a capitals font gives is put right later
    odd = suspect(converted) and not (encoding == "tcvn3" and with_u_horn(converted))
    if suspect(word) != odd:
        return "legacy" if suspect(word) else "unicode"
    known = lambda w: w.lower() in known_syllables()
    if known(word) != known(converted):
        return "legacy" if known(converted) else "unicode"
    return None


def _nearest(kinds: list, k: int, step: int) -> set:
    """The judged kind of the nearest judged word before (step -1) or after (step 1) word k."""
    j = k + step
    while 0 <= j < len(kinds):
        if kinds[j]:
            return {kinds[j]}
        j += step
    return set()


def _line(line: Line, encoding: str, paragraph: bool) -> Line:
    if line.marker is None:  # a marker hidden by the font (`®)` is `đ)`) shows after conversion
        marker, text = split_marker(convert(line.text, encoding, paragraph))
        return replace(line, marker=marker, text=text)
    return replace(line, text=convert(line.text, encoding, paragraph))


def _table(table: Table, encoding: str) -> Table:
    rows = tuple(
        Row(tuple(replace(c, text=convert(c.text, encoding, True)) for c in row.cells), row.index, row.page)
        for row in table.rows
    )
    return replace(table, rows=rows)


def texts_of(doc: RawDocument) -> list[str]:
    """Every string of the document: its lines (markers included) and its cells."""
    return [l.full_text for l in doc.lines] + [c.text for t in doc.tables for r in t.rows for c in r.cells]


def convert_legacy(doc: RawDocument) -> RawDocument:
    """The document in Unicode when it was typed in a legacy font; otherwise itself. A reader
    that converted each run by its font (docx) has done it: the text is judged by its content
    only where no font said."""
    if doc.text_layer == "legacy_font_converted":
        return doc
    encoding = detect_encoding(texts_of(doc))
    if encoding is None:
        return doc
    converted = replace(
        doc,
        lines=tuple(_line(l, encoding, doc.line_label == "paragraph") for l in doc.lines),
        tables=tuple(_table(t, encoding) for t in doc.tables),
        text_layer="legacy_font_converted",
        notes=doc.notes + (f"legacy_encoding:{encoding}",),
    )
    return _restore_u_horn(converted) if encoding == "tcvn3" else converted


_LETTERS = re.compile(r"[^\W\d_]+")
_MIN_LOST = 3  # words that are no syllable without their ư: fewer is no proof the code was lost


def _restore_u_horn(doc: RawDocument) -> RawDocument:
    """A TCVN3 document whose every ư was lost on the way (LibreOffice takes the code 0xAD for
    a soft hyphen and prints nothing): a Vietnamese text of any length has ư, so where none
    is left and words like `trờng`, `đợc` stand, each word a lost ư explains gets it back
    (syllables.with_u_horn); the document's notes say so."""
    from .syllables import with_u_horn

    texts = texts_of(doc)
    if any("ư" in t for t in texts):  # the small ư without tone is code 0xAD (its capital and toned forms have their own)
        return doc
    lost = {w for t in texts for w in _LETTERS.findall(t) if not w.isascii() and with_u_horn(w)}
    if len(lost) < _MIN_LOST:
        return doc
    fix = lambda text: _LETTERS.sub(lambda m: with_u_horn(m.group()) or m.group(), text)
    return replace(
        doc,
        lines=tuple(replace(l, text=fix(l.text), marker=l.marker and fix(l.marker)) for l in doc.lines),
        tables=tuple(replace(t, rows=tuple(Row(tuple(replace(c, text=fix(c.text)) for c in r.cells), r.index, r.page)
                                           for r in t.rows)) for t in doc.tables),
        notes=doc.notes + ("legacy_u_horn_restored",),
    )
