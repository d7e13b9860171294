"""The one place that relies on reportlab details beyond its public API.

- reportlab marks a flowable that did not fit the rest of a page (`_postponed`) and
  raises "too large" if it does not fit the next page either.  When waiting figures open
  a new page ahead of such a flowable, it has not had its fair try on that page: the mark
  is cleared.  tests/test_floats.py fails loudly if reportlab stops using this mark.
- A fixed creation time (SOURCE_DATE_EPOCH) and the catalog's XMP metadata: the
  document's `_timeStamp` and `Catalog` have no public setter.
- An image XObject of our own (a PNG's data as it is, pngimage.py) is registered with the
  canvas's document as `drawImage` registers its own; it is then drawn with the public
  `doForm`.
- A table's cells and the flowables a KeepTogether holds are read back to find the
  figures inside them (errors.py): neither has a public reader.
tests/test_rlcompat.py fails loudly if any of these goes.
"""

from __future__ import annotations

import time

POSTPONED = "_postponed"


def forget_postponed(flowable) -> None:
    if flowable is not None and POSTPONED in getattr(flowable, "__dict__", {}):
        delattr(flowable, POSTPONED)


def fix_timestamp(canv, epoch: int) -> None:
    """Dates of the document information from `epoch` (SOURCE_DATE_EPOCH), not the clock."""
    from reportlab.lib.utils import TimeStamp

    ts = TimeStamp(invariant=1)
    ts.t = epoch
    ts.lt = time.gmtime(epoch)
    ts.YMDhms = tuple(ts.lt)[:6]
    canv._doc._timeStamp = ts


def set_xmp(canv, xml: str) -> None:
    """The catalog's /Metadata stream (reportlab's own XMP object, as its PDF/A support uses)."""
    from reportlab.pdfbase.pdfdoc import XMP

    canv._doc.Catalog.Metadata = XMP(creator=lambda doc: xml.encode("utf-8"))


def add_image_xobject(canv, name: str, make) -> None:
    """Register the image XObject `make()` under `name` once per document (as
    `Canvas.drawImage` does), and mark the current page as one with images."""
    doc = canv._doc
    reg = doc.getXObjectName(name)
    if doc.idToObject.get(reg) is None:
        obj = make()
        doc.Reference(obj, reg)
        doc.addForm(name, obj)
    canv._currentPageHasImages = 1


def table_cells(table) -> list[list]:
    """The cells of a reportlab Table, row by row, as it was given them."""
    return table._cellvalues


def kept_flowables(keep) -> list:
    """The flowables a KeepTogether holds."""
    return keep._content
