"""Markdown: a document saved from a legal portal or made by a converter (SPEC §1.2).

`#` headings, `**bold**`, pipe tables, `---` rules and links are Markdown's way of writing what
an HTML page shows, so the file is rendered by markdown-it-py (CommonMark with GitHub's tables,
inline HTML such as a letterhead's `<br>` kept) and read by the HTML reader: one reading of
headings, weight, list markers and table grids for both.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from ..model import RawDocument
from .html import read_html_bytes
from .txt import decode_text


@cache
def _renderer():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table")


def read_markdown(path: Path) -> RawDocument:
    text = decode_text(path.read_bytes())
    page = f'<html><head><meta charset="utf-8"></head><body>{_renderer().render(text)}</body></html>'
    return read_html_bytes(page.encode("utf-8"), fmt="md")
