"""Figures: caption above, the figure, then notes and the source line, as one float.

Each figure kind is drawn by the module of its name (table.py, chart.py, diagram.py,
quote.py, paper.py, image.py): `KINDS` maps a figure's `kind` to that module's
`draw(fig, builder, width)`, and says whether a tall one may continue on the next page.
A figure is a `Float` (floats.py); a table with `landscape: true` is drawn turned on a page
of its own (landscape.py); two figures side by side are a `figure_row`.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from reportlab.platypus import Flowable, Table, TableStyle

from ...model.report import Report
from .. import labels
from ..document import Marked, body_height
from ..floats import Float
from ..text import TextFactory
from . import chart, diagram, image, paper, quote, table
from .landscape import Sideways


class FigureKind(NamedTuple):
    """What the layout does with one kind of figure."""
    draw: Callable       # (fig, builder, width) -> the figure's flowable
    splits: bool = False  # a tall one may start on a page and continue on the next


#: Each figure kind of the model (a figure's `kind`) and its module's `draw`: a new kind of
#: figure is its module and one entry here.
KINDS: dict[str, FigureKind] = {
    "table": FigureKind(table.draw, splits=True),  # its header row repeated
    "chart": FigureKind(chart.draw),
    "diagram": FigureKind(diagram.draw),
    "quote": FigureKind(quote.draw),
    "paper": FigureKind(paper.draw),
    "image": FigureKind(image.draw),
}

__all__ = ["FigureBuilder", "FigureKind", "KINDS", "Sideways"]


class FigureBuilder:
    """Turns a figure of the model into caption + body + source flowables."""

    def __init__(self, report: Report, tf: TextFactory, chart_renderer):
        self.report, self.tf, self.render_chart = report, tf, chart_renderer
        self.warnings: list[tuple[str, str]] = []  # (figure id, what to change)

    def body(self, fig, width: float) -> list[Flowable]:
        return [KINDS[fig.kind].draw(fig, self, width)]

    def warn(self, fig, message: str) -> None:
        """A figure drawn with a problem the analyst should fix (the build warns)."""
        self.warnings.append((fig.id, message))

    def parts(self, fig, width: float) -> tuple[Flowable, list[Flowable], list[Flowable]]:
        info = self.report.figures[fig.id]
        caption = Marked(self.tf.para(labels.FIGURE.format(info.number) + info.title, "caption", markup=False,
                                      keep_with_next=True), info.dest)
        tail: list[Flowable] = []
        notes = list(getattr(fig, "notes", []) or []) + ([fig.note] if fig.note else [])
        for n in notes:
            tail.append(self.tf.para(labels.NOTE + n, "source", space_after=0))
        tail.append(self.tf.para(info.source_line, "source", markup=False))
        return caption, self.body(fig, width), tail

    def block(self, fig, width: float) -> list[Flowable]:
        if getattr(fig, "landscape", False):
            long_side = self.page_height()
            caption, body, tail = self.parts(fig, long_side)
            return [Float([Sideways(Float([caption, *body, *tail]), long_side)])]
        caption, body, tail = self.parts(fig, width)
        lay = self.tf.styles.theme.layout
        # a tall table may start on this page and continue on the next
        splits = KINDS[fig.kind].splits and _tall(body, width, lay.float_split_taller_than)
        return [Float([caption, *body, *tail], splittable=splits, min_split=lay.float_split_room)]

    def page_height(self) -> float:
        """Height of the body frame: the width of a table turned sideways."""
        return body_height(self.tf.styles.theme)

    def row(self, figs, width: float) -> list[Flowable]:
        gap = self.tf.styles.theme.layout.figure_row_gap
        w = (width - gap) / 2
        cells = []
        for fig in figs:
            caption, body, tail = self.parts(fig, w)
            cells.append([caption, *body, *tail])
        t = Table([cells], colWidths=[w + gap / 2, w + gap / 2],
                  style=TableStyle([("FONTNAME", (0, 0), (-1, -1), self.tf.font_name("sans")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                    ("LEFTPADDING", (0, 0), (0, 0), 0), ("RIGHTPADDING", (0, 0), (0, 0), gap / 2),
                                    ("LEFTPADDING", (1, 0), (1, 0), gap / 2), ("RIGHTPADDING", (1, 0), (1, 0), 0),
                                    ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        # the space after a figure's source line, as below a single figure
        return [Float([t], space_after=self.tf.spec("source").get("space_after", 0))]


def _tall(body: list[Flowable], width: float, limit: float) -> bool:
    """Taller than `limit` points (a fraction of the body frame's height, in theme.yaml)."""
    h = sum(b.wrap(width, 10_000)[1] for b in body)
    return h > limit
