"""Diagram figures: boxes joined by arrows, steps in a row or a column, or stages of steps."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from ... import reportmodel
from ..text import TextFactory
from .box import Stack


def draw(fig: reportmodel.DiagramFigure, figs, width: float) -> Flowable:
    return Diagram(fig, figs.tf)


class Diagram(Flowable):
    """Boxes joined by arrows: steps in a row or a column, or stages of steps."""

    def __init__(self, fig: reportmodel.DiagramFigure, tf: TextFactory):
        super().__init__()
        self.fig, self.tf = fig, tf
        s = tf.styles
        self.brand, self.light, self.dark = s.color("brand"), s.color("brand_light"), s.color("brand_dark")

    def _box(self, step: reportmodel.Step, width: float, numbered: str = "") -> Stack:
        lay = self.tf.styles.theme.layout
        size, text = lay.diagram_title_size, lay.diagram_text_size
        items = [self.tf.para(numbered + step.title, "table", markup=False, font="sans-bold", size=size,
                              leading=round(size * 1.4, 1), align="center", phrase_wrap=True)]
        pad = 5
        if step.text:
            # text that fits on one line is centred under the centred title; longer text is
            # justified (a ragged block under a centred title reads as misaligned)
            body = self.tf.para(step.text, "table", size=text, leading=round(text * 1.45, 1), align="center")
            if body.natural_width() > width - 2 * pad:
                body = self.tf.para(step.text, "table", size=text, leading=round(text * 1.45, 1),
                                    align="justify")
            items.append(body)
        return Stack(items, pad=pad, bg=self.light, border=self.brand, fixed_width=width, gap=2)

    def _head(self, title: str, width: float) -> Stack:
        size = self.tf.styles.theme.layout.diagram_head_size
        return Stack([self.tf.para(title, "table", markup=False, font="sans-bold", size=size,
                                   leading=round(size * 1.4, 1), align="center", color="#FFFFFF")],
                     pad=5, bg=self.brand, fixed_width=width)

    def wrap(self, aw, ah):
        self.width = aw
        self.parts: list[tuple[Stack, float, float]] = []   # box, x, y(top, from 0 downward)
        self.arrows: list[tuple[float, float, float, float]] = []
        arrow = 16
        fig = self.fig
        if fig.stages:
            n = len(fig.stages)
            if n <= 4:
                col = (aw - arrow * (n - 1)) / n
                # the heads, and the k-th boxes of all stages, share one height per row
                heads = [self._head(stage.title, col) for stage in fig.stages]
                head_h = max(h.wrap(col, ah)[1] for h in heads)
                boxes = [[self._box(step, col) for step in stage.steps] for stage in fig.stages]
                rows = max(len(b) for b in boxes)
                row_h = [max(b[k].wrap(col, ah)[1] for b in boxes if k < len(b)) for k in range(rows)]
                heights = []
                for i, (head, column) in enumerate(zip(heads, boxes)):
                    x = i * (col + arrow)
                    head.set_height(head_h)
                    self.parts.append((head, x, 0))
                    y = head_h + 6
                    for k, box in enumerate(column):
                        box.set_height(row_h[k])
                        self.parts.append((box, x, y))
                        y += row_h[k] + 5
                    heights.append(y - 5)
                    if i:
                        self.arrows.append((x - arrow + 2, head_h / 2, x - 2, head_h / 2))
                self.height = max(heights)
            else:
                y = 0
                label_w = aw * 0.24
                for i, stage in enumerate(fig.stages):
                    head = self._head(stage.title, label_w)
                    boxes = [self._box(st, aw - label_w - 10) for st in stage.steps]
                    hs = [b.wrap(aw - label_w - 10, ah)[1] for b in boxes]
                    band = sum(hs) + 4 * (len(hs) - 1)
                    head.wrap(label_w, ah)
                    head.set_height(band)
                    self.parts.append((head, 0, y))
                    yy = y
                    for b, h in zip(boxes, hs):
                        self.parts.append((b, label_w + 10, yy))
                        yy += h + 4
                    y += band
                    if i < n - 1:
                        self.arrows.append((label_w / 2, y + 2, label_w / 2, y + arrow - 2))
                        y += arrow
                self.height = y
        else:
            steps = fig.steps or []
            n = len(steps)
            numbered = len(steps) > 1
            if fig.direction == "horizontal" and n <= 5:
                col = (aw - arrow * (n - 1)) / n
                boxes = [self._box(st, col, f"{i + 1}. " if numbered and n > 2 else "")
                         for i, st in enumerate(steps)]
                h = max(b.wrap(col, ah)[1] for b in boxes)
                for i, b in enumerate(boxes):
                    b.set_height(h)
                    x = i * (col + arrow)
                    self.parts.append((b, x, 0))
                    if i:
                        self.arrows.append((x - arrow + 2, h / 2, x - 2, h / 2))
                self.height = h
            else:
                w = min(aw, max(aw * 0.8, 200))
                x = (aw - w) / 2
                y = 0
                for i, st in enumerate(steps):
                    b = self._box(st, w, f"{i + 1}. " if numbered else "")
                    _w, h = b.wrap(w, ah)
                    self.parts.append((b, x, y))
                    y += h
                    if i < n - 1:
                        self.arrows.append((aw / 2, y + 2, aw / 2, y + 12 - 2))
                        y += 12
                self.height = y
        return self.width, self.height

    def draw(self):
        c = self.canv
        H = self.height
        for box, x, y in self.parts:
            box.drawOn(c, x, H - y - box.height)
        c.saveState()
        c.setStrokeColor(HexColor(self.dark))
        c.setFillColor(HexColor(self.dark))
        c.setLineWidth(1.2)
        for x0, y0, x1, y1 in self.arrows:
            Y0, Y1 = H - y0, H - y1
            c.line(x0, Y0, x1, Y1)
            p = c.beginPath()
            if abs(Y1 - Y0) < 1e-3:  # horizontal, pointing right
                p.moveTo(x1, Y1); p.lineTo(x1 - 5, Y1 + 3); p.lineTo(x1 - 5, Y1 - 3)
            else:  # vertical, pointing down
                p.moveTo(x1, Y1); p.lineTo(x1 - 3, Y1 + 5); p.lineTo(x1 + 3, Y1 + 5)
            p.close()
            c.drawPath(p, stroke=0, fill=1)
        c.restoreState()
