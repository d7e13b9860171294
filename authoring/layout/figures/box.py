"""A box of paragraphs stacked vertically: the body of a quote or paper card and of a diagram's
boxes (background, border, a coloured bar at the left edge, rounded corners: theme.yaml's
`card`)."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable


class Box(Flowable):
    """`items` stacked `gap` apart inside `pad`; colours are #RRGGBB or None (not drawn)."""

    def __init__(self, items: list[Flowable], look, pad: float, gap: float, bg: str | None = None,
                 border: str | None = None, bar: str | None = None, fixed_width: float | None = None):
        super().__init__()
        self.items, self.look, self.pad, self.gap = items, look, pad, gap
        self.bg, self.border, self.bar, self.fixed_width = bg, border, bar, fixed_width

    def _bar_room(self) -> float:
        return self.look.bar_width + self.look.bar_gap if self.bar else 0

    def wrap(self, aw, ah):
        w = self.fixed_width or aw
        inner = w - 2 * self.pad - self._bar_room()
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
                c.setLineWidth(self.look.border_width)
            c.roundRect(0, 0, self.width, self.height, self.look.radius,
                        stroke=1 if self.border else 0, fill=1 if self.bg else 0)
            c.restoreState()
        if self.bar:
            c.saveState()
            c.setFillColor(HexColor(self.bar))
            c.rect(0, 0, self.look.bar_width, self.height, stroke=0, fill=1)
            c.restoreState()
        x = self.pad + self._bar_room()
        content = sum(h for _w, h in self.sizes) + self.gap * max(0, len(self.items) - 1)
        y = self.height - self.pad - (self.height - 2 * self.pad - content) / 2
        for it, (_w, h) in zip(self.items, self.sizes):
            y -= h
            it.drawOn(c, x, y)
            y -= self.gap
