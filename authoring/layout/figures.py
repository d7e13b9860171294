"""Figures and tables: caption above, the figure, then the source line.

Every kind is drawn natively except charts (matplotlib, via authoring.charts)
and images.  Tables use reportlab's Table with typeset cells, a styled header
repeated on every page the table spans, and right-aligned numbers.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from .. import reportmodel
from ..reportmodel import Report
from .document import Marked
from .pngimage import PngImage, image_size
from .text import TextFactory

CELL_PAD = 4


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
        items = [self.tf.para(numbered + step.title, "table", markup=False, font="sans-bold", size=8.5,
                              leading=12, align="center", phrase_wrap=True)]
        if step.text:
            items.append(self.tf.para(step.text, "table", size=7.5, leading=11, align="left"))
        return Stack(items, pad=5, bg=self.light, border=self.brand, fixed_width=width, gap=2)

    def _head(self, title: str, width: float) -> Stack:
        return Stack([self.tf.para(title, "table", markup=False, font="sans-bold", size=9, leading=13,
                                   align="center", color="#FFFFFF")],
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
                heights = []
                for i, stage in enumerate(fig.stages):
                    x = i * (col + arrow)
                    y = 0
                    head = self._head(stage.title, col)
                    _w, h = head.wrap(col, ah)
                    self.parts.append((head, x, y))
                    y += h + 6
                    for step in stage.steps:
                        box = self._box(step, col)
                        _w, h = box.wrap(col, ah)
                        self.parts.append((box, x, y))
                        y += h + 5
                    heights.append(y - 5)
                    if i:
                        self.arrows.append((x - arrow + 2, 10, x - 2, 10))
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


def _cell_text(value) -> str:
    if value is None:
        return "-"
    return str(value)  # 89.0 stays "89.0": numbers print as the analyst wrote them


def table(fig: reportmodel.TableFigure, tf: TextFactory, width: float) -> Table:
    s = tf.styles
    size = fig.font_size or float(tf.spec("table").get("size", 8))
    leading = round(size * 1.38, 1)
    cols = list(fig.columns)
    aligns = [c.align for c in cols]
    grouped = fig.groups is not None
    if grouped:
        cols = [reportmodel.Column(title=fig.group_title or "", align="left", width=None)] + cols
        aligns = ["left"] + aligns
    head_rows: list[list] = []
    spans: list[tuple] = []
    if fig.header_groups:
        row, c0 = [], 0
        for g in fig.header_groups:
            row.append(g.title)
            row.extend([""] * (g.span - 1))
            if g.span > 1:
                spans.append(("SPAN", (c0, 0), (c0 + g.span - 1, 0)))
            c0 += g.span
        head_rows.append(row)
    head_rows.append([c.title for c in cols])
    body: list[list] = []
    group_rows: list[tuple[int, int]] = []
    if grouped:
        for g in fig.groups:
            start = len(body)
            for i, r in enumerate(g.rows):
                body.append([g.title if i == 0 else ""] + [_cell_text(v) for v in r])
            group_rows.append((start, len(body) - 1))
    else:
        body = [[_cell_text(v) for v in r] for r in fig.rows]
    nh = len(head_rows)
    widths = _column_widths(cols, head_rows, body, tf, size, width)

    def cell(text, j, head):
        return tf.para(text, "table_head" if head else "table", markup=not head, size=size, leading=leading,
                       align="center" if head else aligns[j], font="sans-bold" if (head or (grouped and j == 0)) else None,
                       phrase_wrap=head) \
            if text != "" else ""

    data = [[cell(t, j, True) for j, t in enumerate(r)] for r in head_rows]
    data += [[cell(t, j, False) for j, t in enumerate(r)] for r in body]
    style = [
        ("BACKGROUND", (0, 0), (-1, nh - 1), HexColor(s.color("brand"))),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, nh - 1), (-1, nh - 1), 0.8, HexColor(s.color("brand_dark"))),
        ("LINEBELOW", (0, nh), (-1, -1), 0.3, HexColor(s.color("rule"))),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, HexColor(s.color("brand"))),
    ]
    if nh > 1:
        style.append(("LINEBELOW", (0, 0), (-1, nh - 2), 0.3, HexColor("#FFFFFF")))
    style += spans
    if grouped:
        for a, b in group_rows:
            if b > a:
                style.append(("SPAN", (0, nh + a), (0, nh + b)))
            style.append(("LINEBELOW", (0, nh + b), (-1, nh + b), 0.6, HexColor(s.color("brand"))))
            style.append(("BACKGROUND", (0, nh + a), (0, nh + b), HexColor(s.color("brand_light"))))
    else:
        for i in range(len(body)):
            if i % 2 == 1:
                style.append(("BACKGROUND", (0, nh + i), (-1, nh + i), HexColor(s.color("brand_light"))))
    t = Table(data, colWidths=widths, repeatRows=nh, style=TableStyle([("FONTNAME", (0, 0), (-1, -1), tf.font("sans"))] + style), hAlign="CENTER",
              splitByRow=1)
    t.head_cells, t.body_cells, t.col_widths = data[:nh], data[nh:], widths  # to name a row too tall
    return t


def _column_widths(cols, head_rows, body, tf: TextFactory, size: float, width: float) -> list[float]:
    if all(c.width for c in cols):
        total = sum(c.width for c in cols)
        return _at_least({j: width * c.width / total for j, c in enumerate(cols)}, len(cols),
                         2 * CELL_PAD + 2 * size)
    font = tf.font("sans")
    bold = tf.font("sans-bold")
    pad = 2 * CELL_PAD + 1
    natural, minimum = [], []
    for j in range(len(cols)):
        texts = [r[j] for r in body] + [head_rows[-1][j]]
        nat = max(stringWidth(t, bold if t == head_rows[-1][j] else font, size) for t in texts) + pad
        longest = 0.0
        for t in texts:
            for tok in t.replace("/", "/ ").split():
                if tok.isascii():
                    longest = max(longest, stringWidth(tok, bold, size))
        # a token wider than 40 % of the table is broken by the typesetter anyway
        minimum.append(min(max(longest, size * 2), width * 0.4) + pad)
        natural.append(max(nat, minimum[-1]))
    fixed = {j: width * c.width for j, c in enumerate(cols) if c.width}
    free = width - sum(fixed.values())
    idx = [j for j in range(len(cols)) if j not in fixed]
    nat = sum(natural[j] for j in idx)
    if nat <= free:
        out = {j: natural[j] + (free - nat) * natural[j] / nat for j in idx}
    else:
        mins = sum(minimum[j] for j in idx)
        extra = max(0.0, free - mins)
        want = sum(natural[j] - minimum[j] for j in idx) or 1
        out = {j: minimum[j] + extra * (natural[j] - minimum[j]) / want for j in idx}
        over = sum(out.values()) - free
        if over > 0:  # even the minimums do not fit: shrink proportionally (words may wrap)
            out = {j: v * free / sum(out.values()) for j, v in out.items()}
    out.update(fixed)
    return _at_least(out, len(cols), 2 * CELL_PAD + 2 * size)


def _at_least(widths: dict[int, float], n: int, floor: float) -> list[float]:
    """Raise every column to `floor` (padding plus two characters), taking the difference
    from the widest columns, so that no cell is ever narrower than its padding."""
    out = [widths[j] for j in range(n)]
    for j in range(n):
        short = floor - out[j]
        if short > 0:
            out[j] = floor
            widest = max(range(n), key=lambda k: out[k])
            out[widest] -= short
    return out


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

    def body(self, fig, width: float) -> list[Flowable]:
        if isinstance(fig, reportmodel.TableFigure):
            return [table(fig, self.tf, width)]
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
        caption, body, tail = self.parts(fig, width)
        if isinstance(fig, reportmodel.TableFigure):
            # long tables may split (header repeats); caption stays with the first rows
            return [caption, *body, KeepTogether(tail)] if _tall(body, width) else [KeepTogether([caption, *body, *tail])]
        return [KeepTogether([caption, *body, *tail])]

    def row(self, figs, width: float) -> list[Flowable]:
        gap = 14
        w = (width - gap) / 2
        cells = []
        for fig in figs:
            caption, body, tail = self.parts(fig, w)
            cells.append([caption, *body, *tail])
        t = Table([cells], colWidths=[w + gap / 2, w + gap / 2],
                  style=TableStyle([("FONTNAME", (0, 0), (-1, -1), self.tf.font("sans")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                    ("LEFTPADDING", (0, 0), (0, 0), 0), ("RIGHTPADDING", (0, 0), (0, 0), gap / 2),
                                    ("LEFTPADDING", (1, 0), (1, 0), gap / 2), ("RIGHTPADDING", (1, 0), (1, 0), 0),
                                    ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        return [KeepTogether([t])]


def _tall(body: list[Flowable], width: float) -> bool:
    h = sum(b.wrap(width, 10_000)[1] for b in body)
    return h > 500
