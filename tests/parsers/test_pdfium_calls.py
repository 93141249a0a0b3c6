"""The PDF reader's per-character facts (parsers/formats/pdfium_calls.py): the C loop
(`_pdfium_loop`, built by pip where a compiler is found) and the same calls made one by one
through ctypes give the same facts, on every page of every PDF of the project; and the C loop is
built wherever this suite runs with a compiler, so its speed is what is tested."""
from __future__ import annotations

import ctypes
import shutil
import sysconfig
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from chitieu.parsers.formats import pdfium_calls
from chitieu.parsers.formats.pdfium_calls import CharFacts, page_paths

ROOT = Path(__file__).resolve().parents[2]
PDFS = sorted({*ROOT.glob("raw/*.pdf"), *ROOT.glob("tests/corpus/raw/*.pdf"), *ROOT.glob("tests/blind*/raw/*.pdf")})
native = pytest.mark.skipif(pdfium_calls._pdfium_loop is None, reason="the C loop is not built here")


def test_the_c_loop_is_built_where_a_compiler_is():
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        pytest.skip(f"no C compiler ({compiler}): the reader makes its calls through ctypes")
    assert pdfium_calls._pdfium_loop is not None, "pip install -e . should have built parsers/formats/_pdfium_loop"


def _facts_of_every_page(path: Path):
    document = pdfium.PdfDocument(str(path))
    try:
        for page in document:
            textpage = page.get_textpage()
            handle = ctypes.cast(textpage.raw, ctypes.c_void_p).value
            n = pdfium_c.FPDFText_CountChars(textpage.raw)
            loop = CharFacts(handle, n, native=pdfium_calls._pdfium_loop is not None)
            yield loop, CharFacts(handle, n, native=False), n
            textpage.close()
            page.close()
    finally:
        document.close()


@native
@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_the_c_loop_gives_what_ctypes_gives(path):
    pages = 0
    for loop, calls, n in _facts_of_every_page(path):
        every = np.arange(n)
        assert np.array_equal(loop.boxes, calls.boxes)
        assert np.array_equal(loop.objects, calls.objects)
        for fact in ("generated", "origins", "sizes", "matrices", "fonts"):
            assert np.array_equal(getattr(loop, fact)(every), getattr(calls, fact)(every)), fact
        pages += 1
    assert pages >= 1


@native
@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_the_c_walk_over_paths_gives_what_ctypes_gives(path):
    document = pdfium.PdfDocument(str(path))
    try:
        for page in document:
            handle = ctypes.cast(page.raw, ctypes.c_void_p).value
            assert page_paths(handle, native=True) == page_paths(handle, native=False)
            page.close()
    finally:
        document.close()


@native
def test_the_c_loop_refuses_a_null_text_page():
    with pytest.raises(ValueError, match="null"):
        pdfium_calls._pdfium_loop.read_chars(pdfium_calls.calls().loop_functions, 0, 0, *([1] * 7))
    with pytest.raises(ValueError, match="null"):
        pdfium_calls._pdfium_loop.read_paths(pdfium_calls.calls().path_functions, 0)


@native
def test_the_reader_reads_the_seeds_alike_either_way(monkeypatch):
    from chitieu.parsers.formats.pdf import read_pdf

    seeds = sorted(ROOT.glob("raw/*.pdf"))
    looped = [read_pdf(path) for path in seeds]
    monkeypatch.setattr(pdfium_calls, "_pdfium_loop", None)
    assert [read_pdf(path) for path in seeds] == looped and seeds


def test_a_page_without_characters_has_empty_facts(tmp_path):
    path = tmp_path / "blank.pdf"
    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    document.save(str(path))
    document.close()
    for loop, calls, n in _facts_of_every_page(path):
        assert n == 0 and len(loop.boxes) == len(calls.boxes) == 0
