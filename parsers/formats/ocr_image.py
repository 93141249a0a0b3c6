"""A PDF page as the grey image OCR reads, with its resolution in the image's `info["dpi"]`.

A scanned page is one picture covering the page. That picture is taken as it is, at the
scan's own resolution, when it is 200 dpi or finer: pdfium decodes it, nothing is drawn or
resampled (a 200 dpi A4 page: 8–11 ms of CPU to decode, 105–150 ms to draw at 300 dpi, which
gives Tesseract no more than the scan holds; the scanned seeds read as well either way). A scan finer than 400 dpi is reduced by a whole factor (600 →
300). Every other page (text, drawings, a picture on part of it, several pictures, a scan
coarser than 200 dpi, a picture turned or flipped) is drawn by pdfium at 300 dpi, as a printer
would. The picture is taken only when pdfium draws the page as that picture: a thumbnail of
the page is drawn and compared with the picture's (a mask, a decode array, a colour space
the picture's own decoding reads otherwise would show there). A document's scanned pages are
pictures of one kind (encoding, colours, size): once a picture of a kind was seen drawn as it
is, the others of that kind in the document are taken without the thumbnail (which cost as
much as decoding the picture).
"""
from __future__ import annotations

import weakref

from . import limits

DPI = 300  # a page drawn for OCR
NATIVE_DPI = (200, 400)  # a scan's own picture this fine is read as it is; finer is reduced
_COVER = 0.01  # the picture's edges are within this share of the page's width or height of its edges
_SQUARE = 0.02  # its horizontal and vertical resolutions differ by less than this share
# The picture is checked against the page drawn at 40 dpi, both averaged over blocks of 8 px
# (a fifth of an inch: pdfium's drawing of a large picture small aliases thin strokes, up to 18
# grey levels in such a block); no block may differ by 32 grey levels or more (a mask that
# hides half a page of text: 63).
_THUMB_DPI, _BLOCK, _AGREE = 40, 8, 32
# An open document → the kinds of its pictures pdfium was seen to draw as they are.
_seen_drawn: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def render_page(pdfium_document, index: int):
    """A PDF page as a grey image for OCR: the scan's own picture (see above), else the page
    drawn at 300 dpi; its resolution in `info["dpi"]`."""
    page = pdfium_document[index]
    try:
        native = scan_picture(page, _seen_drawn.setdefault(pdfium_document, set()))
        return native if native is not None else draw(page, DPI)
    finally:
        page.close()


def draw(page, dpi: float):
    """The page drawn grey at `dpi` (less when it would exceed the page pixel limit)."""
    width, height = page.get_size()  # points; a page's box is a number in the file, not paper
    scale = dpi / 72
    if width * height * scale * scale > limits.MAX_PAGE_PIXELS:
        scale = (limits.MAX_PAGE_PIXELS / max(width * height, 1.0)) ** 0.5
    image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
    image.info["dpi"] = (round(scale * 72),) * 2
    return image


def scan_picture(page, seen_drawn: set | None = None):
    """The page's one picture, grey, at its own resolution (reduced above 400 dpi), when the
    page is that picture and it is 200 dpi or finer; else None. `seen_drawn`: the kinds of
    picture already seen drawn as they are in this document (this page's is added)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    picture = _the_picture(page, pdfium_c)
    if picture is None:
        return None
    meta = picture.get_metadata()
    dpi_x, dpi_y = meta.horizontal_dpi, meta.vertical_dpi
    if dpi_x < NATIVE_DPI[0] or abs(dpi_x - dpi_y) > _SQUARE * dpi_x:
        return None
    factor = -(-int(dpi_x) // NATIVE_DPI[1]) if dpi_x > NATIVE_DPI[1] else 1
    if meta.width * meta.height > limits.MAX_PAGE_PIXELS * factor * factor:
        return None  # drawn instead, at the size the limit allows
    try:
        image = picture.get_bitmap(render=False).to_pil().convert("L")
    except pdfium.PdfiumError:  # pdfium cannot decode it on its own (it may still draw it)
        return None
    rotation = page.get_rotation()
    if rotation:
        from PIL import Image

        image = image.transpose({90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
                                 270: Image.Transpose.ROTATE_90}[rotation])
    if factor > 1:
        image = image.reduce(factor)
    kind = (tuple(picture.get_filters()), meta.bits_per_pixel, meta.colorspace, meta.width, meta.height, rotation)
    if seen_drawn is None or kind not in seen_drawn:
        if not _drawn_as(page, image):
            return None
        if seen_drawn is not None:
            seen_drawn.add(kind)
    image.info["dpi"] = (round(dpi_x / factor),) * 2
    return image


def _the_picture(page, pdfium_c):
    """The page's only picture when it covers the page upright and nothing else is drawn (a
    scanner's invisible OCR text may be there too), else None."""
    pictures = []
    for obj in page.get_objects(max_depth=0):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            pictures.append(obj)
        elif obj.type != pdfium_c.FPDF_PAGEOBJ_TEXT or \
                pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) != pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:
            return None
    if len(pictures) != 1:
        return None
    picture = pictures[0]
    a, b, c, d, _, _ = picture.get_matrix().get()
    if b or c or a <= 0 or d <= 0:  # turned or flipped on the page
        return None
    left, bottom, right, top = page.get_cropbox()
    x0, y0, x1, y1 = picture.get_bounds()
    width, height = right - left, top - bottom
    if max(abs(x0 - left), abs(x1 - right)) > _COVER * width or max(abs(y0 - bottom), abs(y1 - top)) > _COVER * height:
        return None
    return picture


def _drawn_as(page, image) -> bool:
    """Whether pdfium draws the page as `image` (compared as thumbnails, block by block)."""
    import numpy as np
    from PIL import Image

    thumb = page.render(scale=_THUMB_DPI / 72, grayscale=True).to_pil().convert("L")
    width, height = thumb.size[0] // _BLOCK * _BLOCK, thumb.size[1] // _BLOCK * _BLOCK
    if not width or not height:
        return False
    ours = image.reduce(max(1, image.width // thumb.width)).resize(thumb.size, Image.Resampling.BOX)
    blocks = [np.asarray(t.crop((0, 0, width, height)).reduce(_BLOCK), dtype=np.int16) for t in (thumb, ours)]
    return int(np.abs(blocks[0] - blocks[1]).max()) < _AGREE
