"""PNG images embedded without decoding them.

A PNG's IDAT data is a zlib stream of filtered rows, which is exactly what a PDF image
stream with ``/FlateDecode`` and ``/DecodeParms << /Predictor 15 … >>`` holds (PDF 32000-1,
7.4.4.4).  So an 8-bit, non-interlaced grey or RGB PNG goes into the PDF as it is: no
decoding, no re-compression, no PIL.  reportlab's own path decodes the pixels and
compresses them again with zlib, which cost a fifth of a warm build for two charts.

Every other image (alpha, palette, 16-bit, interlaced, JPEG, …) is drawn by reportlab's
`drawImage` as before.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from reportlab.pdfbase import pdfdoc
from reportlab.platypus import Flowable

from . import rlcompat

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLORS = {0: ("DeviceGray", 1), 2: ("DeviceRGB", 3)}  # PNG colour type -> space, components


@dataclass(frozen=True)
class PngInfo:
    width: int
    height: int
    bit_depth: int
    color_type: int
    interlace: bool


def png_info(data: bytes) -> PngInfo | None:
    """Header of a PNG, or None when `data` is not one."""
    if data[:8] != SIGNATURE or data[12:16] != b"IHDR":
        return None
    w, h, depth, ctype, _comp, _filt, interlace = struct.unpack(">IIBBBBB", data[16:29])
    return PngInfo(w, h, depth, ctype, bool(interlace))


def image_size(path: Path) -> tuple[int, int]:
    """Pixel size of an image file: read from the PNG header, else by reportlab (PIL)."""
    with open(path, "rb") as fh:
        head = fh.read(33)
    info = png_info(head)
    if info is not None:
        return info.width, info.height
    from reportlab.lib.utils import ImageReader

    return ImageReader(str(path)).getSize()


def _chunks(data: bytes):
    pos = 8
    n = len(data)
    while pos + 8 <= n:
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        yield ctype, pos + 8, length
        if ctype == b"IEND":
            return
        pos += 12 + length


def passthrough_stream(data: bytes) -> tuple[PngInfo, bytes] | None:
    """(header, zlib stream) when the PNG can be embedded as it is, else None."""
    info = png_info(data)
    if info is None or info.bit_depth != 8 or info.color_type not in _COLORS or info.interlace:
        return None
    chunks = list(_chunks(data))
    if any(t == b"tRNS" for t, _s, _n in chunks) or chunks[-1][0] != b"IEND":
        return None  # colour-key transparency, or a truncated file: reportlab decides
    stream = b"".join(data[s : s + n] for t, s, n in chunks if t == b"IDAT")
    return (info, stream) if stream else None


class PngXObject(pdfdoc.PDFObject):
    """An image XObject whose stream is a PNG's IDAT data, decoded by the PDF reader."""

    def __init__(self, name: str, info: PngInfo, stream: bytes):
        self.name = name
        self.width, self.height = info.width, info.height
        self.colorSpace, self.components = _COLORS[info.color_type]
        self.streamContent = stream

    def format(self, document):
        s = pdfdoc.PDFStream(content=self.streamContent, filters=())
        d = s.dictionary
        d["Type"] = pdfdoc.PDFName("XObject")
        d["Subtype"] = pdfdoc.PDFName("Image")
        d["Width"] = self.width
        d["Height"] = self.height
        d["BitsPerComponent"] = 8
        d["ColorSpace"] = pdfdoc.PDFName(self.colorSpace)
        d["Filter"] = pdfdoc.PDFName("FlateDecode")
        d["DecodeParms"] = pdfdoc.PDFDictionary({
            "Predictor": 15, "Colors": self.components, "BitsPerComponent": 8,
            "Columns": self.width})
        d["Length"] = len(self.streamContent)
        return s.format(document)


def draw_png(canv, data: bytes, x: float, y: float, width: float, height: float) -> bool:
    """Draw PNG bytes at (x, y) scaled to width x height; False when it cannot pass through."""
    found = passthrough_stream(data)
    if found is None:
        return False
    info, stream = found
    name = "png" + hashlib.sha256(data).hexdigest()[:32]
    rlcompat.add_image_xobject(canv, name, lambda: PngXObject(name, info, stream))
    canv.saveState()
    canv.translate(x, y)
    canv.scale(width, height)
    canv.doForm(name)
    canv.restoreState()
    return True


class PngImage(Flowable):
    """An image file shown `width` x `height` points; PNGs that allow it pass through."""

    def __init__(self, path: Path | Callable[[], Path], width: float, height: float):
        """`path` may be a callable giving the path: asked when the image is drawn."""
        super().__init__()
        self._path = path if callable(path) else Path(path)
        self.width, self.height = float(width), float(height)
        self.data: bytes | None = None  # read when first drawn

    @property
    def path(self) -> Path:
        if callable(self._path):
            self._path = Path(self._path())
        return self._path

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        if self.data is None:
            self.data = self.path.read_bytes()
        if not draw_png(self.canv, self.data, 0, 0, self.width, self.height):
            self.canv.drawImage(str(self.path), 0, 0, self.width, self.height, mask="auto")

    def identity(self, maxLen=None):
        return "<PngImage>" if callable(self._path) else f"<PngImage {self._path.name}>"
