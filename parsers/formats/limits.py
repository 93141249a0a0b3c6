"""Size and expansion limits on every input, each with a sentence a person can act on.

A file comes from someone else: a 2 MB .docx can unpack to gigabytes (a zip bomb), its XML
can declare entities or reach for the network, a text file can be a whole archive. Readers
take their bytes through these helpers, so that what a file may cost is bounded before it
is paid, and a file over a limit fails with UnreadableDocument saying which limit.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from ..model import UnreadableDocument

MB = 1024 * 1024
MAX_FILE_BYTES = 256 * MB  # any input file
MAX_TEXT_BYTES = 4 * MB  # a .txt: about 2,000 pages of text
MAX_MEMBERS = 10_000  # parts of a zip package (.docx, .xlsx, .odt)
MAX_PART_BYTES = 64 * MB  # one part, unpacked
MAX_PACKAGE_BYTES = 256 * MB  # all parts together, unpacked
MAX_RATIO = 200  # unpacked / packed size of one part; ordinary XML packs 5–20 times
MAX_PDF_PAGES = 2_000
# What a grid may claim, whatever its file says. A span or merge is a number in the file, not
# cells it holds: 104 bytes of HTML can ask for 2³¹ columns. HTML's own standard caps colspan
# at 1,000 and rowspan at 65,534; no planning table comes near either.
MAX_COLUMNS = 1_000
MAX_ROWSPAN = 65_534
MAX_SHEET_CELLS = 1_000_000  # cells one workbook declares, merged ones included: ~20 MB in the reader
MAX_CELL_CHARS = 32_767  # Excel's own limit on a cell's text
MAX_DOCUMENT_CHARS = 20_000_000  # the text of one document's cells: about 10,000 pages
# A page rendered for OCR: an A4 page at 300 dpi is 8.7 million pixels, A3 17.4; a page whose box is
# larger is rendered at the resolution that keeps it within this (its text is then large too).
MAX_PAGE_PIXELS = 20_000_000

# No entity expansion, no DTD, no network: the XML comes from someone else's file. The tree
# may be deep and its text nodes long (huge_tree): the part's size is bounded before parsing.
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


def size_text(n: int) -> str:
    """
    >>> size_text(1536), size_text(3 * MB), size_text(1024 ** 3)
    ('1.5 KB', '3.0 MB', '1.0 GB')
    """
    for unit, size in (("GB", 1024 ** 3), ("MB", MB), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


def check_file_size(path: Path, limit: int = MAX_FILE_BYTES, what: str = "the file") -> None:
    size = path.stat().st_size
    if size > limit:
        raise UnreadableDocument(
            f"{what} is {size_text(size)}, more than the {size_text(limit)} chitieu reads; "
            f"check that this is a planning document, or split it")


def check_package(z: zipfile.ZipFile) -> None:
    """Refuse a zip package whose parts would unpack to more than a document holds."""
    infos = z.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnreadableDocument(
            f"the file is a zip package of {len(infos):,} parts, more than the {MAX_MEMBERS:,} a document "
            f"has; it is not an ordinary document (perhaps a zip bomb): open it and save a copy")
    total = sum(i.file_size for i in infos)
    if total > MAX_PACKAGE_BYTES:
        raise UnreadableDocument(_bomb(f"its parts would unpack to {size_text(total)}", MAX_PACKAGE_BYTES))


def read_part(z: zipfile.ZipFile, name: str, limit: int = MAX_PART_BYTES) -> bytes:
    """One part of a zip package, unpacked to at most `limit` bytes. zipfile stops at the
    size the directory declares, which is checked first; the ratio check catches a part
    that packs far better than any document does."""
    info = z.getinfo(name)
    if info.file_size > limit:
        raise UnreadableDocument(_bomb(f"its part {name} would unpack to {size_text(info.file_size)}", limit))
    if info.compress_size and info.file_size > MB and info.file_size / info.compress_size > MAX_RATIO:
        raise UnreadableDocument(_bomb(
            f"its part {name} packs {info.file_size / info.compress_size:.0f} times "
            f"({size_text(info.compress_size)} → {size_text(info.file_size)})", limit))
    with z.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:  # never past the declared size, but a cheap belt to the braces
        raise UnreadableDocument(_bomb(f"its part {name} unpacks to more than declared", limit))
    return data


def parse_xml(data: bytes):
    return etree.fromstring(data, XML_PARSER)


def _bomb(what: str, limit: int) -> str:
    return (f"the file is not an ordinary document: {what}, over the limit of {size_text(limit)} "
            f"(a zip bomb, or a damaged file); open it in its program and save a copy, or check where it came from")


def span(value: int, limit: int = MAX_COLUMNS) -> int:
    """A span or count as a grid may hold it: at least 1, at most `limit`.

    >>> span(2 ** 31), span(0), span(3)
    (1000, 1, 3)
    """
    return min(max(1, value), limit)


def too_many_cells(count: int, what: str) -> UnreadableDocument:
    return UnreadableDocument(
        f"the file declares {count:,} {what}, more than the {MAX_SHEET_CELLS:,} a planning table has "
        f"(a damaged file, or one made to exhaust memory); open it, keep the sheets that hold the "
        f"targets and save a copy")


class TextBudget:
    """The characters one document's cells may hold in all: a cell repeated a million times
    (one shared string) costs its length each time it is read."""

    def __init__(self, limit: int = MAX_DOCUMENT_CHARS):
        self.left = limit
        self.limit = limit

    def spend(self, text: str) -> str:
        self.left -= len(text)
        if self.left < 0:
            raise UnreadableDocument(
                f"the file's cells hold more than {self.limit:,} characters of text, more than a planning "
                f"document has (a damaged file, or one made to exhaust memory); open it, keep the sheets "
                f"that hold the targets and save a copy")
        return text
