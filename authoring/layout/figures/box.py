"""A box of paragraphs stacked vertically: the body of a quote or paper card and of a diagram's
boxes (background, border, a coloured bar at the left edge, rounded corners)."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable


class Stack(Flowable):
    """Paragraphs stacked vertically inside a box (cards and diagram boxes)."""

    def __init__(self, items: list[Flowable], pad: float = 8, bg: str | None = None,
                 border: str | None = None, bar: str | None = None, radius: float = 4, gap: float = 3,
                 fixed_width: float | None = None):
        super().__init__()
        self.items, self.pad, self.bg, self.border, self.bar = items, pad, bg, border, bar
        self.radius, self.gap, self.fixed_width = radius, gap, fixed_width

    def wrap(self, aw, ah):
        w = self.fixed_width or aw
        inner = w - 2 * self.pad - (4 if self.bar else 0)
        self.sizes = [it.wrap(inner, 10_000) for it in self.items]
        self.width = w
        self.height = sum(h for _w, h in self.sizes) + self.gap * max(0, len(self.items) - 1) + 2 * self.pad
        return self.width, self.height

    def set_height(self, h: float):
        self.height = max(self.height, h)

    def draw(self):
        c = self.canv
        if self.bg or self.border:
            c.saveState()
            if self.bg:
                c.setFillColor(HexColor(self.bg))
            if self.border:
                c.setStrokeColor(HexColor(self.border))
                c.setLineWidth(0.8)
            c.roundRect(0, 0, self.width, self.height, self.radius,
                        stroke=1 if self.border else 0, fill=1 if self.bg else 0)
            c.restoreState()
        if self.bar:
            c.saveState()
            c.setFillColor(HexColor(self.bar))
            c.rect(0, 0, 3, self.height, stroke=0, fill=1)
            c.restoreState()
        x = self.pad + (4 if self.bar else 0)
        content = sum(h for _w, h in self.sizes) + self.gap * max(0, len(self.items) - 1)
        y = self.height - self.pad - (self.height - 2 * self.pad - content) / 2
        for it, (_w, h) in zip(self.items, self.sizes):
            y -= h
            it.drawOn(c, x, y)
            y -= self.gap
