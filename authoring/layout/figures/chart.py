"""Chart figures: the PNG that authoring.charts draws (through the build's chart renderer),
embedded the full width of the column."""

from __future__ import annotations

from reportlab.platypus import Flowable

from ...model import records
from ..pngimage import PngImage


def draw(fig: records.ChartFigure, figs, width: float) -> Flowable:
    # placed at the size it is drawn for; the PNG may still be being drawn
    return PngImage(figs.render_chart(fig, width), width, width * fig.height)
