"""A quick look at a text PDF's bytes: is it plainly sound, so that pdfium alone may read it?

pdfminer opens every PDF the reader is not sure of, to tell a damaged, truncated or
encrypted file apart and to check that each page's compressed content unpacks (pdfium reads a
damaged stream up to the damage, without a word). Parsing the file in Python costs about as
much as pdfium's whole reading of a page. Most files need none of it: this look says a file is
plainly sound when
- it is not encrypted and pdfium finds its cross-reference table valid (pdf.py asks);
- every stream that may hold page content (all but images and font programs) is unpacked
  whole: no filter, or Flate alone, with its length written (or in an object of its own) and
  `endstream` right after it;
- it holds as many page objects as pdfium counts pages.
Anything else, or any doubt, is for pdfminer to judge, as before: this look never fails a
file, it only spares the sound ones the slow check.
"""
from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_LENGTH = re.compile(rb"/Length(?![0-9A-Za-z])\s*(\d+)(?:\s+(\d+)\s+R)?")
_FILTER = re.compile(rb"/Filter\s*(?:/([A-Za-z0-9]+)|\[\s*((?:/[A-Za-z0-9]+\s*)*)\])")
_NUMBER_OBJECT = re.compile(rb"obj\s*(\d+)\s*endobj")  # an object that is a number (a stream's length)
_OBJECT_ID = re.compile(rb"(?<![0-9])(\d+)\s+(\d+)\s+$")
_NOT_CONTENT = re.compile(rb"/Subtype\s*/(?:Image|Type1C|CIDFontType0C|OpenType|XML)(?![A-Za-z])|/Length[123]\s")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_ENCRYPT = re.compile(rb"/Encrypt(?![A-Za-z])")
_END = re.compile(rb"\s*endstream")


def plainly_sound(data: bytes, pages: int) -> bool:
    """Whether the file's bytes show nothing pdfminer's check would have to judge (above)."""
    if _ENCRYPT.search(data) or len(_PAGE.findall(data)) != pages:
        return False
    numbers = None
    for stream in _STREAM.finditer(data):
        start = data.rfind(b" obj", 0, stream.start())
        if start < 0:
            return False
        head = data[start:stream.start()]
        if _NOT_CONTENT.search(head):
            continue
        length = _LENGTH.search(head)
        if length is None:
            return False
        if length[2] is None:
            size = int(length[1])
        else:
            if numbers is None:
                numbers = _number_objects(data)
            size = numbers.get((int(length[1]), int(length[2])))
            if size is None:
                return False
        body = stream.end()
        if not _END.match(data, body + size):
            return False
        if not _unpacks(head, data[body:body + size]):
            return False
    return True


def _number_objects(data: bytes) -> dict[tuple[int, int], int]:
    numbers = {}
    for m in _NUMBER_OBJECT.finditer(data):
        own = _OBJECT_ID.search(data, max(0, m.start() - 24), m.start())
        if own is not None:
            numbers[int(own[1]), int(own[2])] = int(m[1])
    return numbers


def _unpacks(head: bytes, raw: bytes) -> bool:
    found = _FILTER.search(head)
    if found is None:
        return True
    names = [found[1]] if found[1] else found[2].split()
    names = [n.lstrip(b"/") for n in names]
    if not names:
        return True
    if names != [b"FlateDecode"]:
        return False
    try:
        zlib.decompress(raw)
    except zlib.error:
        return False
    return True
