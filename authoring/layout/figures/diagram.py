"""Diagram figures: boxes joined by arrows, steps in a row or a column, or stages of steps
(sizes and colours: theme.yaml's `diagram`)."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from ...model import records
from ..text import TextFactory
from .box import Box


def draw(fig: records.DiagramFigure, figs, width: float) -> Flowable:
    return Diagram(fig, figs.tf)


class Diagram(Flowable):
    """Boxes joined by arrows: steps in a row or a column, or stages of steps."""

    def __init__(self, fig: records.DiagramFigure, tf: TextFactory):
        super().__init__()
        self.fig, self.tf = fig, tf
        s = tf.styles
        self.look, self.card = s.theme.diagram, s.theme.card
        self._wrapped = None  # the (width, height) asked for when the boxes were made

    def _box(self, step: records.Step, width: float, numbered: str = "") -> Box:
        look, s = self.look, self.tf.styles
        size, text = look.title_size, look.text_size
        items = [self.tf.para(numbered + step.title, "table", markup=False, font="sans-bold", size=size,
                              leading=round(size * look.title_leading, 1), align="center", phrase_wrap=True)]
        pad = look.box_pad
        if step.text:
            # text that fits on one line is centred under the centred title; longer text is
            # justified (a ragged block under a centred title reads as misaligned), unless
            # that letter-spaces a line visibly (a long Latin word that must go to the next
            # line of a narrow box): then it is set flush left
            leading = round(text * look.text_leading, 1)
            inner = width - 2 * pad
            body = self.tf.para(step.text, "table", size=text, leading=leading, align="center")
            if body.natural_width() > inner:
                body = self.tf.para(step.text, "table", size=text, leading=leading, align="justify")
                if body.loosest_spacing(inner) > look.loosest_justified:
                    body = self.tf.para(step.text, "table", size=text, leading=leading, align="left")
            items.append(body)
        return Box(items, self.card, pad, look.box_gap, bg=s.color(look.box_color),
                   border=s.color(look.border_color), fixed_width=width)

    def _head(self, title: str, width: float) -> Box:
        look, s = self.look, self.tf.styles
        size = look.head_size
        return Box([self.tf.para(title, "table", markup=False, font="sans-bold", size=size,
                                 leading=round(size * look.title_leading, 1), align="center",
                                 color=look.head_text_color)],
                   self.card, look.box_pad, look.box_gap, bg=s.color(look.head_color), fixed_width=width)

    def wrap(self, aw, ah):
        # a float measures its content when it is placed and again when it is drawn: the
        # boxes (and their paragraphs) are made once per size asked for
        if self._wrapped != (aw, ah):
            self._layout(aw, ah)
            self._wrapped = (aw, ah)
        return self.width, self.height

    def _layout(self, aw, ah):
        self.width = aw
        self.parts: list[tuple[Box, float, float]] = []   # box, x, y(top, from 0 downward)
        self.arrows: list[tuple[float, float, float, float]] = []
        look = self.look
        arrow, inset = look.arrow_length, look.arrow_inset
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
                    y = head_h + look.stage_head_gap
                    for k, box in enumerate(column):
                        box.set_height(row_h[k])
                        self.parts.append((box, x, y))
                        y += row_h[k] + look.stage_box_gap
                    heights.append(y - look.stage_box_gap)
                    if i:
                        self.arrows.append((x - arrow + inset, head_h / 2, x - inset, head_h / 2))
                self.height = max(heights)
            else:
                y = 0
                label_w = aw * look.band_head_width
                box_w = aw - label_w - look.band_gap
                for i, stage in enumerate(fig.stages):
                    head = self._head(stage.title, label_w)
                    boxes = [self._box(st, box_w) for st in stage.steps]
                    hs = [b.wrap(box_w, ah)[1] for b in boxes]
                    band = sum(hs) + look.band_box_gap * (len(hs) - 1)
                    head.wrap(label_w, ah)
                    head.set_height(band)
                    self.parts.append((head, 0, y))
                    yy = y
                    for b, h in zip(boxes, hs):
                        self.parts.append((b, label_w + look.band_gap, yy))
                        yy += h + look.band_box_gap
                    y += band
                    if i < n - 1:
                        self.arrows.append((label_w / 2, y + inset, label_w / 2, y + arrow - inset))
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
                        self.arrows.append((x - arrow + inset, h / 2, x - inset, h / 2))
                self.height = h
            else:
                w = min(aw, max(aw * look.column_width, look.column_min_width))
                x = (aw - w) / 2
                y = 0
                for i, st in enumerate(steps):
                    b = self._box(st, w, f"{i + 1}. " if numbered else "")
                    _w, h = b.wrap(w, ah)
                    self.parts.append((b, x, y))
                    y += h
                    if i < n - 1:
                        down = look.arrow_length_down
                        self.arrows.append((aw / 2, y + inset, aw / 2, y + down - inset))
                        y += down
                self.height = y
        return self.width, self.height

    def draw(self):
        c = self.canv
        H = self.height
        for box, x, y in self.parts:
            box.drawOn(c, x, H - y - box.height)
        look = self.look
        color = HexColor(self.tf.styles.color(look.arrow_color))
        long, half = look.arrow_head_length, look.arrow_head_half_width
        c.saveState()
        c.setStrokeColor(color)
        c.setFillColor(color)
        c.setLineWidth(look.arrow_width)
        for x0, y0, x1, y1 in self.arrows:
            Y0, Y1 = H - y0, H - y1
            c.line(x0, Y0, x1, Y1)
            p = c.beginPath()
            if abs(Y1 - Y0) < 1e-3:  # horizontal, pointing right
                p.moveTo(x1, Y1); p.lineTo(x1 - long, Y1 + half); p.lineTo(x1 - long, Y1 - half)
            else:  # vertical, pointing down
                p.moveTo(x1, Y1); p.lineTo(x1 - half, Y1 + long); p.lineTo(x1 + half, Y1 + long)
            p.close()
            c.drawPath(p, stroke=0, fill=1)
        c.restoreState()
