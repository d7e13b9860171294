"""Landscape figures (`landscape: true`): a figure turned a quarter turn on a page of its own."""

from __future__ import annotations

from reportlab.platypus import Flowable


class Sideways(Flowable):
    """A figure turned a quarter turn on a page of its own (`landscape: true`): it asks for
    the whole frame, so it waits for an empty page while the text fills this one."""

    def __init__(self, inner: Flowable, long_side: float):
        super().__init__()
        self.inner, self.long_side = inner, long_side

    def wrap(self, aw, ah):
        self.width, self.height = aw, self.long_side
        self.inner_h = self.inner.wrapOn(self.canv, self.long_side, aw)[1]
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.saveState()
        c.translate(self.inner_h, 0)  # the figure's top at the page's left edge
        c.rotate(90)
        self.inner.drawOn(c, 0, 0)
        c.restoreState()

