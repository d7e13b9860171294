"""The one place that relies on reportlab details beyond its public API.

- reportlab marks a flowable that did not fit the rest of a page (`_postponed`) and
  raises "too large" if it does not fit the next page either.  When waiting figures open
  a new page ahead of such a flowable, it has not had its fair try on that page: the mark
  is cleared.  tests/test_floats.py fails loudly if reportlab stops using this mark.
- A fixed creation time (SOURCE_DATE_EPOCH) and the catalog's XMP metadata: the
  document's `_timeStamp` and `Catalog` have no public setter.
  tests/test_ecosystem.py fails loudly if they go.
- The operators a canvas holds for the page being drawn (its `_code` list): what a
  flowable kept by a watch wrote is taken from there and written again
  (authoring.layout.recorded).  tests/test_ecosystem.py fails loudly if it goes.
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


def code_mark(canv) -> int:
    """Where the operators drawn from now on will start."""
    return len(canv._code)


def code_since(canv, mark: int) -> tuple[str, ...]:
    return tuple(canv._code[mark:])


def add_code(canv, ops) -> None:
    canv._code.extend(ops)
