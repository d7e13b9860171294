"""Image figures: a PNG or JPEG of the week's folder, a fraction of the column wide."""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import Flowable

from ...model import records
from ..pngimage import PngImage, image_size


def draw(fig: records.ImageFigure, figs, width: float) -> Flowable:
    path = Path(figs.report.week_folder) / fig.file
    iw, ih = image_size(path)
    w = width * fig.width
    return PngImage(path, w, w * ih / iw)
