"""PNG images pass into the PDF without being decoded (authoring.layout.pngimage).

The proof is the reader's side: pypdf decodes each image XObject of the written PDF
(FlateDecode with the PNG predictor) and the pixels must equal the PNG's own pixels.
"""

from __future__ import annotations

import io
import random
import zlib

import pypdf
import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from authoring.layout.pngimage import PngImage, passthrough_stream, png_info


def check_stream(info, stream: bytes) -> None:
    """A passed-through stream inflates to height rows of (1 filter byte + width x
    components): what a PDF reader with /Predictor 15 expects."""
    comps = {0: 1, 2: 3}[info.color_type]
    raw = zlib.decompress(stream)
    assert len(raw) == info.height * (1 + info.width * comps), (len(raw), info)


def _picture(mode: str, size=(37, 23), seed=7) -> Image.Image:
    """Noise in every channel, so that every PNG row filter is used and any mix-up of
    rows, columns or channels changes pixels."""
    rnd = random.Random(seed)
    bands = {"RGB": 3, "L": 1, "RGBA": 4, "P": 1}[mode]
    data = bytes(rnd.randrange(256) if mode != "P" else rnd.randrange(16)
                 for _ in range(size[0] * size[1] * bands))
    im = Image.frombytes(mode, size, data)
    if mode == "P":
        im.putpalette([v for i in range(16) for v in (i * 16, 255 - i * 16, (i * 40) % 256)])
    return im


def _png(im: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format="PNG", **kw)
    return buf.getvalue()


def _pdf_with(path, width=120.0, height=80.0) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(300, 200))
    PngImage(path, width, height).drawOn(c, 20, 30)
    c.showPage()
    c.save()
    return buf.getvalue()


def _xobjects(pdf: bytes):
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    xo = page["/Resources"]["/XObject"]
    return [xo[name].get_object() for name in xo]


@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_rgb_and_grey_pngs_pass_through_unchanged(tmp_path, mode):
    im = _picture(mode)
    data = _png(im)
    path = tmp_path / "x.png"
    path.write_bytes(data)
    info, stream = passthrough_stream(data)
    check_stream(info, stream)
    pdf = _pdf_with(path)
    (obj,) = _xobjects(pdf)
    assert obj["/Filter"] == "/FlateDecode"
    assert obj["/DecodeParms"]["/Predictor"] == 15
    assert stream in pdf  # the PNG's own zlib data, not compressed again
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    (shown,) = page.images
    assert shown.image.convert(mode).tobytes() == im.tobytes()


@pytest.mark.parametrize("mode", ["RGBA", "P"])
def test_other_pngs_are_drawn_by_reportlab(tmp_path, mode):
    im = _picture(mode)
    data = _png(im)
    assert passthrough_stream(data) is None
    path = tmp_path / "x.png"
    path.write_bytes(data)
    pdf = _pdf_with(path)
    objs = _xobjects(pdf)
    assert objs and all("/DecodeParms" not in o for o in objs)
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    rgb = im.convert("RGB").tobytes()
    assert any(img.image.convert("RGB").tobytes() == rgb for img in page.images)


def test_truncated_and_foreign_files_do_not_pass_through(tmp_path):
    data = _png(_picture("RGB"))
    assert passthrough_stream(data[: len(data) // 2]) is None
    assert png_info(b"GIF89a" + data[6:]) is None
    jpeg = io.BytesIO()
    _picture("RGB").save(jpeg, format="JPEG")
    path = tmp_path / "x.jpg"
    path.write_bytes(jpeg.getvalue())
    assert _xobjects(_pdf_with(path))  # drawn by reportlab (DCTDecode)


def test_colour_key_transparency_is_left_to_reportlab():
    im = _picture("RGB")
    data = _png(im, transparency=(0, 0, 0))
    assert b"tRNS" in data
    assert passthrough_stream(data) is None


def test_same_image_twice_is_embedded_once(tmp_path):
    path = tmp_path / "x.png"
    path.write_bytes(_png(_picture("RGB")))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(300, 200))
    for y in (10, 100):
        PngImage(path, 50, 30).drawOn(c, 10, y)
    c.showPage()
    PngImage(path, 50, 30).drawOn(c, 10, 10)
    c.showPage()
    c.save()
    reader = pypdf.PdfReader(io.BytesIO(buf.getvalue()))
    ids = {xo.raw_get(n).idnum for p in reader.pages for xo in [p["/Resources"]["/XObject"]] for n in xo}
    assert len(ids) == 1
