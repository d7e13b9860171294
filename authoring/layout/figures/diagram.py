"""Figures: caption above, the figure, then notes and the source line, as one float.

Every kind is drawn natively except charts (matplotlib, via authoring.charts) and
images; tables are set by `tables.py`.  A figure is a `Float` (floats.py); a table with
`landscape: true` is drawn turned on a page of its own (`Sideways`).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Table, TableStyle

from .. import reportmodel
from ..reportmodel import Report
from .document import Marked
from .floats import Float
from .pngimage import PngImage, image_size
from .tables import table
from .text import TextFactory

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


def quote_card(fig: reportmodel.QuoteFigure, tf: TextFactory, width: float) -> Flowable:
    s = tf.styles
    who = fig.author + (f"  {fig.handle}" if fig.handle else "")
    meta = " · ".join(x for x in (fig.platform, fig.date.strftime("%Y-%m-%d") if fig.date else None) if x)
    items = [tf.para(who, "caption", markup=False, space_before=0, space_after=0)]
    if meta:
        items.append(tf.para(meta, "source", markup=False, space_before=0, space_after=0))
    items.append(tf.para(fig.text, "body", first_indent=0, space_after=0, size=10, leading=17))
    if fig.translation:
        items.append(tf.para(fig.translation, "body", first_indent=0, space_after=0, size=9.5, leading=16,
                             color="muted"))
    return Stack(items, pad=10, bg=s.color("brand_light"), bar=s.color("brand"), gap=4, fixed_width=width)


def paper_card(fig: reportmodel.PaperFigure, tf: TextFactory, width: float) -> Flowable:
    s = tf.styles
    items = [tf.para("论文", "source", markup=False, space_before=0, space_after=0, color="brand"),
             tf.para(fig.paper_title, "h2", markup=False, space_before=0, space_after=0, color="text",
                     align="left")]
    items.append(tf.para("，".join(fig.authors) if not all(a.isascii() for a in fig.authors)
                         else ", ".join(fig.authors), "table", markup=False, size=9, leading=13))
    if fig.affiliations:
        items.append(tf.para("; ".join(fig.affiliations), "source", markup=False, space_before=0,
                             space_after=0))
    tail = [x for x in (fig.venue,) if x]
    if tail:
        items.append(tf.para(" · ".join(tail), "source", markup=False, space_before=0, space_after=0))
    if fig.link:
        items.append(tf.para(f"[{fig.link}]({fig.link})", "source", markup=True, space_before=0,
                             space_after=0))
    if fig.abstract:
        items.append(tf.para(fig.abstract, "body", first_indent=0, space_after=0, size=9, leading=15))
    return Stack(items, pad=12, border=s.color("rule"), bar=s.color("accent"), gap=4, fixed_width=width)


def image(fig: reportmodel.ImageFigure, folder: Path, width: float) -> Flowable:
    path = folder / fig.file
    iw, ih = image_size(path)
    w = width * fig.width
    return PngImage(path, w, w * ih / iw)


class FigureBuilder:
    """Turns a figure of the model into caption + body + source flowables."""

    def __init__(self, report: Report, tf: TextFactory, chart_renderer):
        self.report, self.tf, self.render_chart = report, tf, chart_renderer
        self.warnings: list[tuple[str, str]] = []  # (figure id, what to change)

    def body(self, fig, width: float) -> list[Flowable]:
        if isinstance(fig, reportmodel.TableFigure):
            return [table(fig, self.tf, width, lambda msg: self.warnings.append((fig.id, msg)))]
        if isinstance(fig, reportmodel.ChartFigure):
            png = self.render_chart(fig, width)
            iw, ih = image_size(png)
            return [PngImage(png, width, width * ih / iw)]
        if isinstance(fig, reportmodel.DiagramFigure):
            return [Diagram(fig, self.tf)]
        if isinstance(fig, reportmodel.QuoteFigure):
            return [quote_card(fig, self.tf, width)]
        if isinstance(fig, reportmodel.PaperFigure):
            return [paper_card(fig, self.tf, width)]
        if isinstance(fig, reportmodel.ImageFigure):
            return [image(fig, Path(self.report.week_folder), width)]
        raise TypeError(type(fig))

    def parts(self, fig, width: float) -> tuple[Flowable, list[Flowable], list[Flowable]]:
        info = self.report.figures[fig.id]
        caption = Marked(self.tf.para(f"图表 {info.number}：{info.title}", "caption", markup=False,
                                      keep_with_next=True), info.dest)
        tail: list[Flowable] = []
        notes = list(getattr(fig, "notes", []) or []) + ([fig.note] if fig.note else [])
        for n in notes:
            tail.append(self.tf.para("注：" + n, "source", space_after=0))
        tail.append(self.tf.para(info.source_line, "source", markup=False))
        return caption, self.body(fig, width), tail

    def block(self, fig, width: float) -> list[Flowable]:
        if getattr(fig, "landscape", False):
            long_side = self.page_height()
            caption, body, tail = self.parts(fig, long_side)
            return [Float([Sideways(Float([caption, *body, *tail]), long_side)])]
        caption, body, tail = self.parts(fig, width)
        lay = self.tf.styles.theme.layout
        # a long table may start on this page and continue on the next (header repeated)
        long_table = isinstance(fig, reportmodel.TableFigure) and _tall(body, width, lay.float_split_taller_than)
        return [Float([caption, *body, *tail], splittable=long_table, min_split=lay.float_split_room)]

    def page_height(self) -> float:
        """Height of the body frame: the width of a table turned sideways."""
        from reportlab.lib.pagesizes import A4

        page = self.tf.styles.theme.page
        return A4[1] - page.margin_top - page.margin_bottom

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


def _tall(body: list[Flowable], width: float, limit: float) -> bool:
    """Taller than `limit` points (a fraction of the body frame's height, in theme.yaml)."""
    h = sum(b.wrap(width, 10_000)[1] for b in body)
    return h > limit
