"""What reportlab has no public call for, in one place (tests/test_pdf_metadata.py fails
loudly when reportlab changes): a fixed creation time, and the catalog's XMP metadata."""

from __future__ import annotations

import time


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
