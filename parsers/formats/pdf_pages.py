"""One text-layer PDF page as the PDF reader walks it, from either library: its tables, the
rows of each, and the lines of prose around them.

`PdfiumView` serves every page pdfium_page.py can read (characters and ruling edges from pdfium,
tables found by pdfplumber's finder on those edges, text put together on arrays): most pages,
at a small part of pdfminer's cost. `PlumberView` serves the rest through pdfplumber (pdfminer):
a rotated page or rotated text, a legacy font read from its codes, a path inside a form, a
page whose boxes do not start at the origin, or a file pdfium cannot open. Both give the
same structure: tests compare them on the corpus and the seeds.
"""
from __future__ import annotations

import numpy as np

from . import pdfium_tables, textmap
from .pdfium_page import PdfiumPage
from .pdfium_text import WORD_GAP, has_image, text_lines


class PdfiumView:
    def __init__(self, page: PdfiumPage) -> None:
        self.page = page
        self.height = page.height
        self._outside = np.arange(len(page.chars))

    @property
    def characters(self) -> int:
        return len(self.page.chars)

    def text(self) -> str:
        return "".join(self.page.chars.text)

    def has_image(self) -> bool:
        return self.page.has_image

    def words_text(self) -> str:
        return "\n".join(line for line, _, _ in self.lines())

    def tables(self) -> list:
        return pdfium_tables.find_tables(self.page)

    def rows(self, table, grid: list) -> list[list[str | None]]:
        return pdfium_tables.extract(self.page, grid)

    def set_aside(self, bbox) -> None:
        """Leave the characters touching a table's box out of the prose."""
        self._outside = pdfium_tables.outside(self.page, self._outside, bbox)

    def lines_above(self, y: float) -> int:
        """How many lines of prose stand above a height (a table's top)."""
        above = self._outside[self.page.chars.bottom[self._outside] <= y]
        return len(textmap.page_lines(self.page.chars, above, WORD_GAP)) if len(above) else 0

    def lines(self) -> list[tuple[str, float, bool]]:
        return textmap.page_lines(self.page.chars, self._outside, WORD_GAP) if len(self._outside) else []


class PlumberView:
    def __init__(self, page, pdfium_document=None, index: int = 0) -> None:
        self.page = page
        self._pdfium = (pdfium_document, index)
        self.height = page.height
        self._outside = page

    @property
    def characters(self) -> int:
        return len(self.page.chars)

    def text(self) -> str:
        return "".join(c["text"] for c in self.page.chars)

    def has_image(self) -> bool:
        document, index = self._pdfium
        return document is not None and has_image(document, index)

    def words_text(self) -> str:
        return self.page.extract_text(x_tolerance=WORD_GAP) or ""

    def tables(self) -> list:
        return self.page.find_tables()

    def rows(self, table, grid: list) -> list[list[str | None]]:
        return table.extract()

    def set_aside(self, bbox) -> None:
        # not strict: on a page turned by /Rotate, pdfplumber finds tables in the turned page's
        # frame, which may reach past the page's own box (and refuse the crop)
        self._outside = self._outside.outside_bbox(bbox, strict=False)

    def lines_above(self, y: float) -> int:
        from pdfplumber.utils import chars_to_textmap

        above = [c for c in self._outside.chars if c["bottom"] <= y]
        return len(text_lines(chars_to_textmap(above, x_tolerance=WORD_GAP))) if above else 0

    def lines(self) -> list[tuple[str, float, bool]]:
        from pdfplumber.utils import chars_to_textmap

        chars = self._outside.chars
        return text_lines(chars_to_textmap(chars, x_tolerance=WORD_GAP)) if chars else []
