"""The words Tesseract reads on an image, and how they make lines: each word with its box and
confidence (0–1); a line's text in reading order with its mean word confidence."""
from __future__ import annotations

import re
from dataclasses import dataclass

LOW_CONFIDENCE = 0.60  # mean word confidence under which a line or a cell is doubtful

@dataclass
class _Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    line: tuple[int, int, int]  # tesseract's (block, paragraph, line)

    @property
    def centre(self) -> tuple[float, float]:
        return self.left + self.width / 2, self.top + self.height / 2



def _text_of(words: list[_Word]) -> tuple[str, float | None]:
    """Words in reading order (tesseract's lines top to bottom, words left to right) and their
    mean confidence."""
    if not words:
        return "", None
    lines: dict[tuple, list[_Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    ordered = sorted(lines.values(), key=lambda ws: (min(w.top for w in ws), min(w.left for w in ws)))
    text = " ".join(" ".join(w.text for w in sorted(ws, key=lambda w: w.left)) for ws in ordered)
    text = _PER_MILLE.sub("‰", text)
    return text.strip(" |"), round(sum(w.conf for w in words) / len(words), 3)


# Tesseract's model has no ‰ and reads it as %o; after a number nothing else is written so.
_PER_MILLE = re.compile(r"(?<=\d)%o(?!\w)")


# A printed line holds two things when a gap in it is this many times its words' height (a
# space is a third of it, a justified one rarely reaches one) and this many times its usual
# gap: two items side by side (`- … 1,5%.      - … 52%.`), which Tesseract joins into one line.
_APART = 1.2
_APART_OF_GAPS = 4
# Words whose centres are this share of their height apart stand on two printed lines.
_OTHER_LINE = 0.6


def lines_of(words: list[_Word]) -> list[list[_Word]]:
    """The printed lines of some words: Tesseract's lines, each split where it holds two
    printed lines (its words' centres far apart in height) or two things side by side (a gap
    far wider than the line's spaces). Two targets on one printed line stay two lines."""
    grouped: dict[tuple, list[_Word]] = {}
    for w in words:
        grouped.setdefault(w.line, []).append(w)
    out = []
    for ws in grouped.values():
        for band in _bands(ws):
            out.extend(_apart(band))
    return out


def _median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2] if values else 0.0


def _bands(words: list[_Word]) -> list[list[_Word]]:
    """Words cut into printed lines by the height of their centres."""
    height = _median([w.height for w in words])
    bands: list[list[_Word]] = []
    for w in sorted(words, key=lambda w: w.centre[1]):
        if bands and w.centre[1] - _median([b.centre[1] for b in bands[-1]]) <= _OTHER_LINE * height:
            bands[-1].append(w)
        else:
            bands.append([w])
    return bands


def _apart(words: list[_Word]) -> list[list[_Word]]:
    """A printed line cut where a gap is far wider than its words' height and its spaces."""
    words = sorted(words, key=lambda w: w.left)
    gaps = [b.left - (a.left + a.width) for a, b in zip(words, words[1:])]
    if not gaps:
        return [words]
    height, usual = _median([w.height for w in words]), _median(gaps)
    parts = [[words[0]]]
    for gap, w in zip(gaps, words[1:]):
        if gap > _APART * height and gap > _APART_OF_GAPS * max(usual, 1):
            parts.append([w])
        else:
            parts[-1].append(w)
    return parts
