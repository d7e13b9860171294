"""Quote figures: a post or statement as a card (author, platform and date, the text and its
translation; theme.yaml's `quote_card`)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from ...model import records
from .. import labels
from .box import Box


def draw(fig: records.QuoteFigure, figs, width: float) -> Flowable:
    tf = figs.tf
    s = tf.styles
    look = s.theme.quote_card
    who = fig.author + (labels.HANDLE.format(fig.handle) if fig.handle else "")
    date = labels.QUOTE_DATE.format(fig.date) if fig.date else None
    meta = labels.META.join(x for x in (fig.platform, date) if x)
    items = [tf.para(who, "caption", markup=False, space_before=0, space_after=0)]
    if meta:
        items.append(tf.para(meta, "source", markup=False, space_before=0, space_after=0))
    items.append(tf.para(fig.text, "body", first_indent=0, space_after=0, size=look.text_size,
                         leading=look.text_leading))
    if fig.translation:
        items.append(tf.para(fig.translation, "body", first_indent=0, space_after=0,
                             size=look.translation_size, leading=look.translation_leading,
                             color=look.translation_color))
    return Box(items, s.theme.card, look.pad, look.gap, bg=s.color(look.background), bar=s.color(look.bar),
               fixed_width=width)
