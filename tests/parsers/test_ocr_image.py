"""The page image OCR reads (parsers/formats/ocr_image.py): a scan's own picture at its own
resolution when the page is that picture and it is 200 dpi or finer (reduced by a whole factor
above 400 dpi), else the page drawn at 300 dpi; files made for real with Pillow, pypdfium2
and reportlab."""
from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import PROSE_SEED, RAW
from chitieu.parsers.formats import ocr, ocr_image
from chitieu.parsers.formats.ocr_grid import px


@pytest.fixture(scope="module")
def printed():
    """The prose seed's first page printed grey at 200 dpi, and its size in points."""
    document = pdfium.PdfDocument(str(RAW / f"{PROSE_SEED}.pdf"))
    page = document[0]
    size = page.get_size()
    image = page.render(scale=200 / 72, grayscale=True).to_pil().convert("L")
    document.close()
    return image, size


def _pil_scan(image, path, dpi):
    image.save(path, resolution=dpi)
    return path


def _page_image(path):
    document = pdfium.PdfDocument(str(path))
    try:
        return ocr.render_page(document, 0)
    finally:
        document.close()


def _pdfium_scan(image, path, size, rotation=0, matrix=None):
    """An image-only PDF written by pypdfium2: the picture placed by `matrix` (the page by default)."""
    width, height = size
    document = pdfium.PdfDocument.new()
    page = document.new_page(width, height)
    picture = pdfium.PdfImage.new(document)
    picture.set_bitmap(pdfium.PdfBitmap.from_pil(image))
    picture.set_matrix(matrix or pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(picture)
    page.gen_content()
    if rotation:
        page.set_rotation(rotation)
    document.save(str(path))
    return path


def _difference(a, b) -> float:
    return float(np.abs(np.asarray(a, dtype=np.int16) - np.asarray(b, dtype=np.int16)).mean())


def test_a_200_dpi_scan_is_read_as_its_own_picture(printed, tmp_path):
    image, _ = printed
    page = _page_image(_pil_scan(image, tmp_path / "scan.pdf", 200))
    assert page.size == image.size and ocr.image_dpi(page) == 200
    assert _difference(page, image) < 2  # the scan's pixels (JPEG's loss only), not a drawing of them


@pytest.mark.parametrize("mode", ["RGB", "1"])
def test_a_colour_or_black_and_white_scan_is_read_grey_at_its_resolution(printed, tmp_path, mode):
    image, _ = printed
    scan = image.convert(mode) if mode == "RGB" else image.point(lambda v: 255 if v > 150 else 0).convert("1")
    page = _page_image(_pil_scan(scan, tmp_path / "scan.pdf", 200))
    assert page.mode == "L" and page.size == image.size and ocr.image_dpi(page) == 200
    assert _difference(page, scan.convert("L")) < 2


def test_a_scan_coarser_than_200_dpi_is_drawn_at_300(printed, tmp_path):
    image, _ = printed
    coarse = image.resize((image.width * 3 // 4, image.height * 3 // 4))
    page = _page_image(_pil_scan(coarse, tmp_path / "scan.pdf", 150))
    assert ocr.image_dpi(page) == 300 and abs(page.width - 2 * coarse.width) <= 1


def test_a_600_dpi_scan_is_reduced_to_300(printed, tmp_path):
    image, _ = printed
    fine = image.resize((image.width * 3, image.height * 3))
    page = _page_image(_pil_scan(fine, tmp_path / "scan.pdf", 600))
    # 35 million px, over the page pixel limit as it is: read at half its size (a half pixel rounds up)
    assert ocr.image_dpi(page) == 300 and page.size == ((fine.width + 1) // 2, (fine.height + 1) // 2)


def test_a_page_with_a_text_layer_is_drawn_at_300_dpi():
    page = _page_image(RAW / f"{PROSE_SEED}.pdf")
    assert ocr.image_dpi(page) == 300


def test_a_turned_page_gives_its_picture_turned_as_the_page_shows_it(printed, tmp_path):
    image, size = printed
    path = _pdfium_scan(image, tmp_path / "turned.pdf", size, rotation=90)
    page = _page_image(path)
    document = pdfium.PdfDocument(str(path))
    shown = document[0].render(scale=200 / 72, grayscale=True).to_pil().convert("L")
    document.close()
    assert ocr.image_dpi(page) == 200 and page.size == (image.height, image.width)
    assert _difference(page, shown.resize(page.size)) < 4


def test_a_picture_flipped_on_its_page_is_drawn(printed, tmp_path):
    image, (width, height) = printed
    flipped = pdfium.PdfMatrix(width, 0, 0, -height, 0, height)
    page = _page_image(_pdfium_scan(image, tmp_path / "flipped.pdf", (width, height), matrix=flipped))
    assert ocr.image_dpi(page) == 300


def test_a_picture_on_part_of_the_page_is_drawn(printed, tmp_path):
    image, (width, height) = printed
    half = pdfium.PdfMatrix().scale(width / 2, height / 2).translate(width / 4, height / 4)
    page = _page_image(_pdfium_scan(image, tmp_path / "half.pdf", (width, height), matrix=half))
    assert ocr.image_dpi(page) == 300


def _canvas_scan(path, image, size, draw=None):
    """A scan written by reportlab: the picture over the page, then whatever `draw` adds."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=size)
    c.drawImage(ImageReader(image), 0, 0, *size, mask="auto")
    if draw:
        draw(c)
    c.save()
    return path


def test_a_masked_picture_is_drawn_as_the_page_shows_it(printed, tmp_path):
    """A soft mask hides the lower half of the picture: the page shows white there, the picture
    alone holds text; the thumbnail check sees it."""
    from PIL import Image

    image, size = printed
    alpha = np.zeros((image.height, image.width), dtype=np.uint8)
    alpha[: image.height // 2] = 255
    masked = Image.merge("LA", (image, Image.fromarray(alpha)))
    page = _page_image(_canvas_scan(tmp_path / "masked.pdf", masked, size))
    assert ocr.image_dpi(page) == 300


def _text(render_mode):
    def draw(c):
        text = c.beginText(72, 72)
        text.setTextRenderMode(render_mode)
        text.textLine("Ty le ho ngheo giam 1,5%")  # a scanner's own OCR layer
        c.drawText(text)
    return draw


@pytest.mark.parametrize("render_mode,dpi", [(3, 200), (0, 300)])
def test_a_scanners_invisible_text_leaves_the_picture_the_page_visible_text_does_not(printed, tmp_path,
                                                                                     render_mode, dpi):
    image, size = printed
    page = _page_image(_canvas_scan(tmp_path / "layer.pdf", image, size, _text(render_mode)))
    assert ocr.image_dpi(page) == dpi


def test_every_page_of_a_scan_is_its_picture_though_only_the_first_is_checked(printed, tmp_path):
    image, _ = printed
    path = tmp_path / "scan.pdf"
    image.save(path, save_all=True, append_images=[image, image], resolution=200)
    document = pdfium.PdfDocument(str(path))
    pages = [ocr.render_page(document, i) for i in range(3)]
    document.close()
    assert [ocr.image_dpi(p) for p in pages] == [200, 200, 200] and all(p.size == image.size for p in pages)


def test_a_page_image_without_a_resolution_is_taken_for_300_dpi(printed):
    from PIL import Image

    assert ocr.image_dpi(Image.new("L", (10, 10))) == 300 and ocr.image_dpi(printed[0]) == 300


# --- lengths in px at the page's resolution ------------------------------------------------

@given(length=st.integers(1, 60), dpi=st.integers(50, 1200))
def test_a_length_scaled_to_a_resolution_is_never_shorter_and_less_than_a_px_longer(length, dpi):
    scaled = px(length, dpi)
    assert scaled >= 1 and scaled >= length * dpi / 300 - 1e-9 and (scaled < length * dpi / 300 + 1 or scaled == 1)


@given(length=st.integers(1, 60), low=st.integers(50, 1200), high=st.integers(50, 1200))
def test_a_length_grows_with_the_resolution(length, low, high):
    low, high = sorted((low, high))
    assert px(length, low) <= px(length, high) and px(length, 300) == length
