"""Chart figures: the PNG that authoring.charts draws (through the build's chart renderer),
embedded the full width of the column."""

from __future__ import annotations

from reportlab.platypus import Flowable

from ... import reportmodel
from ..pngimage import PngImage, image_size


def draw(fig: reportmodel.ChartFigure, figs, width: float) -> Flowable:
    png = figs.render_chart(fig, width)
    iw, ih = image_size(png)
    return PngImage(png, width, width * ih / iw)
