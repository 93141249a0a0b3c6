"""How the PDF reader calls pdfium: prototypes made once, and a text page's per-character facts
read in one pass.

pdfium has no call that returns a page's characters at once; each fact about each character
is a call. Through the raw bindings every argument is converted to a typed pointer, which
costs more than pdfium's own work, so the prototypes here take handles and pointers as plain
integers (`Calls`). Even so a call from Python costs about 0.5 µs, about as much as pdfium's
whole text extraction per character; the loop over characters is therefore made in C when the
small extension `_pdfium_loop` is built (pip builds it where a C compiler is found; it is
optional), and through these prototypes otherwise. Both give the same facts (a test compares
them on every PDF of the project).
"""
from __future__ import annotations

import collections
import ctypes
import itertools
from functools import cache

import numpy as np

_TEXT, _PATH, _IMAGE, _FORM = 1, 2, 3, 5  # pdfium's page object kinds (fpdf_edit.h)

try:
    from . import _pdfium_loop
except ImportError:  # built without a C compiler: the same calls through ctypes
    _pdfium_loop = None


class Calls:
    """pdfium's functions with plain prototypes: handles and pointers as integers."""

    def __init__(self) -> None:
        import pypdfium2.raw as pdfium_c

        def make(name, restype, *argtypes):
            address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
            self.addresses[name] = address
            return ctypes.CFUNCTYPE(restype, *argtypes)(address)

        self.addresses: dict[str, int] = {}
        vp, i, d = ctypes.c_void_p, ctypes.c_int, ctypes.c_double
        self.get_text = make("FPDFText_GetText", i, vp, i, i, vp)
        self.loose_box = make("FPDFText_GetLooseCharBox", i, vp, i, vp)
        self.text_object = make("FPDFText_GetTextObject", vp, vp, i)
        self.is_generated = make("FPDFText_IsGenerated", i, vp, i)
        self.char_origin = make("FPDFText_GetCharOrigin", i, vp, i, vp, vp)
        self.font_size = make("FPDFText_GetFontSize", d, vp, i)
        self.char_matrix = make("FPDFText_GetMatrix", i, vp, i, vp)
        self.object = make("FPDFPage_GetObject", vp, vp, i)
        self.object_type = make("FPDFPageObj_GetType", i, vp)
        self.object_matrix = make("FPDFPageObj_GetMatrix", i, vp, vp)
        self.segments = make("FPDFPath_CountSegments", i, vp)
        self.segment = make("FPDFPath_GetPathSegment", vp, vp, i)
        self.segment_point = make("FPDFPathSegment_GetPoint", i, vp, vp, vp)
        self.segment_type = make("FPDFPathSegment_GetType", i, vp)
        self.segment_close = make("FPDFPathSegment_GetClose", i, vp)
        self.form_objects = make("FPDFFormObj_CountObjects", i, vp)
        self.form_object = make("FPDFFormObj_GetObject", vp, vp, ctypes.c_ulong)
        self.text_font = make("FPDFTextObj_GetFont", vp, vp)
        self.font_name = make("FPDFFont_GetBaseFontName", ctypes.c_size_t, vp, vp, ctypes.c_size_t)
        self.objects = make("FPDFPage_CountObjects", i, vp)
        # what the C loop calls, in the order it takes them
        self.loop_functions = tuple(self.addresses[name] for name in (
            "FPDFText_GetLooseCharBox", "FPDFText_GetTextObject", "FPDFText_IsGenerated",
            "FPDFText_GetCharOrigin", "FPDFText_GetFontSize", "FPDFText_GetMatrix", "FPDFTextObj_GetFont"))
        self.path_functions = tuple(self.addresses[name] for name in (
            "FPDFPage_CountObjects", "FPDFPage_GetObject", "FPDFPageObj_GetType", "FPDFPageObj_GetMatrix",
            "FPDFPath_CountSegments", "FPDFPath_GetPathSegment", "FPDFPathSegment_GetPoint",
            "FPDFPathSegment_GetType", "FPDFPathSegment_GetClose", "FPDFFormObj_CountObjects",
            "FPDFFormObj_GetObject"))


@cache
def calls() -> Calls:
    return Calls()


def page_paths(page: int, native: bool | None = None) -> tuple[list[list[tuple]], bool] | None:
    """Every path the page draws, as its segments (kind, closes, x, y: the point through the
    path's matrix), and whether an image is drawn on the page itself; None when a form XObject
    holds a path (pdfminer draws it into the page, pdfium keeps it apart)."""
    if _pdfium_loop is not None if native is None else native:
        read = _pdfium_loop.read_paths(calls().path_functions, page)
        if read is None:
            return None
        has_image, data = read
        rows = np.frombuffer(data, dtype=np.float64).reshape(-1, 5)
        paths: list[list[tuple]] = []
        last = -1
        for number, kind, closes, x, y in rows.tolist():
            if number != last:
                paths.append([])
                last = number
            paths[-1].append((int(kind), bool(closes), x, y))
        return paths, has_image
    return _paths_by_calls(calls(), page)


def _paths_by_calls(calls: Calls, page: int) -> tuple[list[list[tuple]], bool] | None:
    paths: list[list[tuple]] = []
    has_image = False
    matrix = (ctypes.c_float * 6)()
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(calls.objects(page)):
        obj = calls.object(page, k)
        kind = calls.object_type(obj)
        if kind == _FORM and _form_has_path(calls, obj):
            return None
        has_image = has_image or kind == _IMAGE
        if kind != _PATH:
            continue
        if not calls.object_matrix(obj, ctypes.addressof(matrix)):
            matrix[:] = [1, 0, 0, 1, 0, 0]
        a, b, c, d, e, f = matrix
        path = []
        for s in range(calls.segments(obj)):
            segment = calls.segment(obj, s)
            calls.segment_point(segment, ctypes.addressof(x), ctypes.addressof(y))
            px, py = x.value, y.value
            path.append((calls.segment_type(segment), bool(calls.segment_close(segment)),
                         a * px + c * py + e, b * px + d * py + f))
        if path:
            paths.append(path)
    return paths, has_image


def _form_has_path(calls: Calls, form: int, depth: int = 0) -> bool:
    if depth > 64:
        return True  # forms nested past reason: let pdfplumber read the page
    for i in range(calls.form_objects(form)):
        obj = calls.form_object(form, i)
        kind = calls.object_type(obj)
        if kind == _PATH or (kind == _FORM and _form_has_path(calls, obj, depth + 1)):
            return True
    return False


class CharFacts:
    """What pdfium says of each character of a text page: its loose box (left, top, right,
    bottom, from the page's bottom) and its text object (0 for one pdfium made up), and, for
    the characters asked about, whether pdfium made it up, its origin, its font size, its
    matrix and its text object's font. The C loop reads every fact of every character in one
    pass; without it, the facts beyond box and object are read through ctypes when asked, for
    the few characters that need them."""

    def __init__(self, textpage: int, n: int, native: bool | None = None) -> None:
        self.calls, self.textpage = calls(), textpage
        self.boxes = np.zeros((n, 4), dtype=np.float32)
        self.objects = np.zeros(n, dtype=np.uint64)
        self._native = _pdfium_loop is not None if native is None else native
        if self._native:
            self._generated = np.zeros(n, dtype=np.int8)
            self._origins = np.zeros((n, 2), dtype=np.float64)
            self._sizes = np.zeros(n, dtype=np.float64)
            self._matrices = np.zeros((n, 6), dtype=np.float32)
            self._fonts = np.zeros(n, dtype=np.uint64)
            arrays = (self.boxes, self.objects, self._generated, self._origins, self._sizes, self._matrices,
                      self._fonts)
            _pdfium_loop.read_chars(self.calls.loop_functions, textpage, n, *(a.ctypes.data for a in arrays))
            return
        base = self.boxes.ctypes.data  # map, not a loop: the calls go one after another without bytecode between
        collections.deque(map(self.calls.loose_box, itertools.repeat(textpage, n), range(n),
                              range(base, base + 16 * n, 16)), 0)
        self.objects[:] = [o or 0 for o in map(self.calls.text_object, itertools.repeat(textpage, n), range(n))]

    def generated(self, index: np.ndarray) -> np.ndarray:
        if self._native:
            return self._generated[index] != 0
        return np.array([self.calls.is_generated(self.textpage, i) != 0 for i in index.tolist()], dtype=bool)

    def origins(self, index: np.ndarray) -> np.ndarray:
        """(x, y) of each character asked about; (0, 0) where pdfium has none."""
        if self._native:
            return self._origins[index]
        out = np.zeros((len(index), 2), dtype=np.float64)
        x, y = ctypes.c_double(), ctypes.c_double()
        for k, i in enumerate(index.tolist()):
            if self.calls.char_origin(self.textpage, i, ctypes.addressof(x), ctypes.addressof(y)):
                out[k] = x.value, y.value
        return out

    def sizes(self, index: np.ndarray) -> np.ndarray:
        if self._native:
            return self._sizes[index]
        return np.array([self.calls.font_size(self.textpage, i) for i in index.tolist()], dtype=np.float64)

    def matrices(self, index: np.ndarray) -> np.ndarray:
        """(a, b, c, d, e, f) of each character asked about; zeros where pdfium has none."""
        if self._native:
            return self._matrices[index]
        out = np.zeros((len(index), 6), dtype=np.float32)
        for k, i in enumerate(index.tolist()):
            self.calls.char_matrix(self.textpage, i, out[k].ctypes.data)
        return out

    def fonts(self, index: np.ndarray) -> np.ndarray:
        """The font handle of each asked character's text object (0 for none)."""
        if self._native:
            return self._fonts[index]
        objects = self.objects[index].tolist()
        return np.array([(self.calls.text_font(o) or 0) if o else 0 for o in objects], dtype=np.uint64)
