"""Paper figures: a card with a paper's title, authors, affiliations, venue, link and abstract
(theme.yaml's `paper_card`)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from ...model import records
from .. import labels
from .box import Box


def draw(fig: records.PaperFigure, figs, width: float) -> Flowable:
    tf = figs.tf
    s = tf.styles
    look = s.theme.paper_card

    def line(text: str, style: str = "source", markup: bool = False, **over):
        return tf.para(text, style, markup=markup, space_before=0, space_after=0, **over)

    items = [line(labels.PAPER, color=look.label_color),
             line(fig.paper_title, "h2", color=look.title_color, align="left")]
    latin = all(a.isascii() for a in fig.authors)
    items.append(tf.para((labels.LIST_LATIN if latin else labels.LIST_CJK).join(fig.authors), "table",
                         markup=False, size=look.authors_size, leading=look.authors_leading))
    if fig.affiliations:
        items.append(line(labels.LIST_AFFILIATIONS.join(fig.affiliations)))
    if fig.venue:
        items.append(line(fig.venue))
    if fig.link:
        items.append(line(f"[{fig.link}]({fig.link})", markup=True))
    if fig.abstract:
        items.append(tf.para(fig.abstract, "body", first_indent=0, space_after=0, size=look.abstract_size,
                             leading=look.abstract_leading))
    return Box(items, s.theme.card, look.pad, look.gap, border=s.color(look.border), bar=s.color(look.bar),
               fixed_width=width)
