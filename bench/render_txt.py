"""Documents as the seeds' text dumps.

A table is the seed-000 cell dump: a cell per line led by a TAB, a line without the TAB
continuing the cell above, a blank line ending a row. A resolution is the seed-004 form: hard
wrapped lines (here each followed by a blank line, as in the seed, or not), page numbers
`- 2 -` where the PDF pages would break, and the recipients/signature columns interleaved.
"""
from __future__ import annotations

import random
import textwrap

from bench.documents import ResolutionDocument, TableDocument, TableRow

TXT_LINES_PER_PAGE = 40


def cell_lines(text: str | None) -> list[str]:
    first, *continued = ("" if text is None else text).split("\n")
    return ["\t" + first, *continued]


def table_to_txt(doc: TableDocument, rng: random.Random) -> bytes:
    rows = [TableRow(doc.header)]
    if rng.random() < 0.5:
        rows.append(TableRow(("",) * 5))  # the seed's empty row under the header
    rows += doc.rows
    lines: list[str] = []
    for row in rows:
        for cell in row.cells:
            lines += cell_lines(cell)
        lines.append("")
    lines[0] = " " + lines[0]  # the seed's dump starts with a stray space
    return ("\n".join(lines) + "\n\n\n").encode("utf-8")


def block_lines(doc: ResolutionDocument, width: int) -> list[str]:
    lines: list[str] = []
    for block in doc.blocks:
        if block.kind == "title":
            lines.append(f" {block.text} ")
        else:
            lines += textwrap.wrap(block.text, width, break_on_hyphens=False) or [""]
    return lines


def signature_lines(doc: ResolutionDocument) -> list[str]:
    """The two columns of the closing block, read across as a text layer reads them."""
    left = ["Nơi nhận:", *doc.recipients]
    right = list(doc.signature)
    return [f"{a} {b}".rstrip() if b else a
            for a, b in zip(left, right + [""] * (len(left) - len(right)))]


def with_page_numbers(lines: list[str]) -> list[str]:
    out: list[str] = []
    for i, line in enumerate(lines):
        if i and i % TXT_LINES_PER_PAGE == 0:
            out += ["", f" - {i // TXT_LINES_PER_PAGE + 1} - ", ""]
        out.append(line)
    return out


def resolution_to_txt(doc: ResolutionDocument, rng: random.Random) -> bytes:
    width = rng.randint(76, 90)
    lines = with_page_numbers(block_lines(doc, width) + [" "] + signature_lines(doc))
    spaced = rng.random() < 0.6  # seed 004 has a blank line after every line
    text = "".join(f"{line} \n\n" for line in lines) if spaced else "\n".join(lines) + "\n"
    return text.encode("utf-8")


def to_txt(doc: TableDocument | ResolutionDocument, rng: random.Random) -> bytes:
    if isinstance(doc, TableDocument):
        return table_to_txt(doc, rng)
    return resolution_to_txt(doc, rng)
