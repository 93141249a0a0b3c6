"""Plain-text documents: the seed's cell-dump tables, and prose with hard line wraps."""
from __future__ import annotations

from pathlib import Path

from .markers import split_marker
from ..model import Cell, Line, RawDocument, Row, Table, UnreadableDocument


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else UTF-16 with a BOM; anything else is an error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:  # cut short (an odd byte) or a broken surrogate pair
            raise UnreadableDocument(
                f"the text says it is UTF-16 but is broken at byte {e.start}; get a complete copy, or save it as UTF-8"
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UnreadableDocument(
            f"the text is not UTF-8 (byte {e.start}); save it as UTF-8, or convert a TCVN3/VNI file first"
        ) from None


def is_cell_dump(lines: list[str]) -> bool:
    """A table dumped as text has most of its non-blank lines starting with a TAB."""
    filled = [l for l in lines if l.strip()]
    tabbed = [l for l in filled if l.lstrip(" ").startswith("\t")]
    return bool(filled) and len(tabbed) >= 0.6 * len(filled)


def read_cell_dump(lines: list[str]) -> Table:
    """A cell per TAB-led line; a line without a TAB continues the cell above; a blank line
    ends a row. An empty cell (nothing after the TAB) is how a vertically merged cell dumps;
    a cell holding only spaces (often a non-breaking one) is a real, blank cell."""
    rows, cells = [], []

    def end_row():
        if cells:
            rows.append(Row(tuple(Cell(t, merged_above=(t == "")) for t in cells), index=len(rows) + 1))
            cells.clear()

    for line in lines:
        stripped = line.lstrip(" ")  # a stray space before the first TAB
        if stripped.startswith("\t"):
            cells.append(stripped[1:].rstrip("\r\n"))
        elif not line.strip():
            end_row()
        elif cells:
            cells[-1] = f"{cells[-1]} {line.strip()}"
        else:
            cells.append(line.strip())
    end_row()
    return Table(tuple(rows), index=1)


def read_txt(path: Path) -> RawDocument:
    text = decode_text(path.read_bytes())
    lines = text.splitlines()
    if is_cell_dump(lines):
        return RawDocument("txt", tables=(read_cell_dump(lines),))
    return RawDocument("txt", lines=tuple(_line(l, n) for n, l in enumerate(lines, 1) if l.strip()))


def _line(text: str, number: int) -> Line:
    marker, rest = split_marker(text)
    indent = float(len(text) - len(text.lstrip(" \t")))
    return Line(rest if marker else text, number, marker=marker, indent=indent)
