"""authoring.layout.rlcompat reaches reportlab details beyond its public API: each is checked
here against the installed reportlab, so that a reportlab release that changes one fails
here, loudly, and not as a wrong PDF."""

from __future__ import annotations

import inspect
import io
import os
import zlib

import pypdf
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Spacer, Table
from reportlab.platypus.doctemplate import BaseDocTemplate as RLDoc

from authoring.layout import rlcompat
from authoring.layout.pngimage import PngXObject, png_info


def test_reportlab_still_marks_postponed_flowables():
    """forget_postponed clears this mark; if reportlab renames it, floats would raise 'too large'."""
    assert f"'{rlcompat.POSTPONED}'" in inspect.getsource(RLDoc.handle_flowable)
    s = Spacer(1, 1)
    setattr(s, rlcompat.POSTPONED, 1)
    rlcompat.forget_postponed(s)
    assert not hasattr(s, rlcompat.POSTPONED)


def test_timestamp_and_xmp():
    canv = Canvas(os.devnull)
    assert hasattr(canv._doc, "_timeStamp") and hasattr(canv._doc, "Catalog")
    assert "Metadata" in pdfdoc.PDFCatalog.__NoDefault__
    rlcompat.fix_timestamp(canv, 1746406800)
    rlcompat.set_xmp(canv, "<x/>")
    assert canv._doc._timeStamp.t == 1746406800 and canv._doc.Catalog.Metadata is not None


def test_table_cells_and_kept_flowables_are_what_was_given():
    a, b = Spacer(1, 1), Spacer(1, 2)
    assert rlcompat.table_cells(Table([[a, "x"], ["y", b]])) == [[a, "x"], ["y", b]]
    assert rlcompat.kept_flowables(KeepTogether([a, b])) == [a, b]


def _tiny_png() -> bytes:
    raw = b"\x00\xff\x00\x00"  # one row: filter 0, one red pixel
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    ihdr = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def test_an_image_xobject_is_registered_once_and_drawn_with_doform():
    data = _tiny_png()
    stream = zlib.compress(b"\x00\xff\x00\x00")
    made = []

    def make():
        made.append(1)
        return PngXObject("png-test", png_info(data), stream)

    buf = io.BytesIO()
    canv = Canvas(buf)
    for page in range(2):  # the same image on two pages: one object in the file
        rlcompat.add_image_xobject(canv, "png-test", make)
        canv.doForm("png-test")
        canv.showPage()
    canv.save()
    assert made == [1]
    reader = pypdf.PdfReader(io.BytesIO(buf.getvalue()))
    objs = [p["/Resources"]["/XObject"] for p in reader.pages]
    assert all(len(o) == 1 for o in objs)
    (ref,) = {o[k].indirect_reference.idnum for o in objs for k in o}
    img = reader.get_object(ref)
    assert img["/Subtype"] == "/Image" and (img["/Width"], img["/Height"]) == (1, 1)
    assert "/ImageC" in reader.pages[0]["/Resources"]["/ProcSet"]  # the page is marked as one with images
