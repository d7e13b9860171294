"""Quote figures: a post or statement as a card (author, platform and date, the text and its
translation)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from ... import reportmodel
from .box import Stack


def draw(fig: reportmodel.QuoteFigure, figs, width: float) -> Flowable:
    tf = figs.tf
    s = tf.styles
    who = fig.author + (f"  {fig.handle}" if fig.handle else "")
    meta = " · ".join(x for x in (fig.platform, fig.date.strftime("%Y-%m-%d") if fig.date else None) if x)
    items = [tf.para(who, "caption", markup=False, space_before=0, space_after=0)]
    if meta:
        items.append(tf.para(meta, "source", markup=False, space_before=0, space_after=0))
    items.append(tf.para(fig.text, "body", first_indent=0, space_after=0, size=10, leading=17))
    if fig.translation:
        items.append(tf.para(fig.translation, "body", first_indent=0, space_after=0, size=9.5, leading=16,
                             color="muted"))
    return Stack(items, pad=10, bg=s.color("brand_light"), bar=s.color("brand"), gap=4, fixed_width=width)
