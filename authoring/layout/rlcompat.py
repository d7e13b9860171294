"""The one place that relies on a reportlab detail beyond its public API.

reportlab marks a flowable that did not fit the rest of a page (`_postponed`) and
raises "too large" if it does not fit the next page either.  When waiting figures open
a new page ahead of such a flowable, it has not had its fair try on that page: the mark
is cleared.  tests/test_floats.py fails loudly if reportlab stops using this mark.
"""

from __future__ import annotations

POSTPONED = "_postponed"


def forget_postponed(flowable) -> None:
    if flowable is not None and POSTPONED in getattr(flowable, "__dict__", {}):
        delattr(flowable, POSTPONED)
