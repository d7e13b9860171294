"""Paper figures: a card with a paper's title, authors, affiliations, venue, link and abstract."""

from __future__ import annotations

from reportlab.platypus import Flowable

from ... import reportmodel
from .box import Stack


def draw(fig: reportmodel.PaperFigure, figs, width: float) -> Flowable:
    tf = figs.tf
    s = tf.styles
    items = [tf.para("论文", "source", markup=False, space_before=0, space_after=0, color="brand"),
             tf.para(fig.paper_title, "h2", markup=False, space_before=0, space_after=0, color="text",
                     align="left")]
    items.append(tf.para("，".join(fig.authors) if not all(a.isascii() for a in fig.authors)
                         else ", ".join(fig.authors), "table", markup=False, size=9, leading=13))
    if fig.affiliations:
        items.append(tf.para("; ".join(fig.affiliations), "source", markup=False, space_before=0,
                             space_after=0))
    tail = [x for x in (fig.venue,) if x]
    if tail:
        items.append(tf.para(" · ".join(tail), "source", markup=False, space_before=0, space_after=0))
    if fig.link:
        items.append(tf.para(f"[{fig.link}]({fig.link})", "source", markup=True, space_before=0,
                             space_after=0))
    if fig.abstract:
        items.append(tf.para(fig.abstract, "body", first_indent=0, space_after=0, size=9, leading=15))
    return Stack(items, pad=12, border=s.color("rule"), bar=s.color("accent"), gap=4, fixed_width=width)
