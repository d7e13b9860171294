"""Figures and tables: caption above, the figure, then the source line.

Every kind is drawn natively except charts (matplotlib, via authoring.charts)
and images.  Tables use reportlab's Table with typeset cells, a styled header
repeated on every page the table spans, and right-aligned numbers.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Callable, NamedTuple

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from .. import reportmodel
from ..reportmodel import Report
from ..typeset import analyze
from .document import Marked
from .paragraph import Run, string_width
from .floats import Float
from .pngimage import PngImage, image_size
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
        if step.text:
            items.append(self.tf.para(step.text, "table", size=text, leading=round(text * 1.45, 1),
                                      align="left"))
        return Stack(items, pad=5, bg=self.light, border=self.brand, fixed_width=width, gap=2)

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


def _cell_text(value, missing: str) -> str:
    if value is None or value in ("", "-", "\u2014"):  # a hyphen or dash alone means "none"
        return missing
    return str(value)  # 89.0 stays "89.0": numbers print as the analyst wrote them


#: a number range or pair ("+11/-11", "3.5–4", "1,000 ~ 2,000"): never broken
_NUMBER_RANGE = re.compile(r"[+\-−±]?\d[\d.,%]*(?:\s*[/~～–\-]\s*[+\-−±]?\d[\d.,%]*)+")


def _keep_numbers(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for r in runs:
        if r.keep or not any(ch.isdigit() for ch in r.text):
            out.append(r)
            continue
        pos = 0
        for m in _NUMBER_RANGE.finditer(r.text):
            if m.start() > pos:
                out.append(replace(r, text=r.text[pos:m.start()]))
            out.append(replace(r, text=m.group(0), keep=True))
            pos = m.end()
        if pos < len(r.text):
            out.append(replace(r, text=r.text[pos:]))
    return out


class TableLayout(NamedTuple):
    size: float
    widths: list[float]
    fits: bool          # the columns' narrowest widths fit the measure at this size


def table(fig: reportmodel.TableFigure, tf: TextFactory, width: float,
          on_too_wide: Callable[[str], None] | None = None) -> Table:
    """A table; when its columns do not fit, the font shrinks down to the theme's minimum,
    and past that `on_too_wide` is told (the build warns with the figure's place)."""
    s = tf.styles
    lay = s.theme.layout
    pad = lay.table_cell_pad
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
    missing = lay.missing_value
    if grouped:
        for g in fig.groups:
            start = len(body)
            for i, r in enumerate(g.rows):
                body.append([g.title if i == 0 else ""] + [_cell_text(v, missing) for v in r])
            group_rows.append((start, len(body) - 1))
    else:
        body = [[_cell_text(v, missing) for v in r] for r in fig.rows]
    nh = len(head_rows)

    def cell(text, j, head, size, group_row=False):
        if text == "":
            return ""
        leading = round(size * 1.38, 1)
        style = "table_head" if head else "table"
        bold = head or (grouped and j == 0)
        runs = tf.runs(text, style, markup=not head, size=size, font="sans-bold" if bold else None)
        # a header aligns like its column; a header group is centred over its span
        align = "center" if group_row else aligns[j]
        return tf.para(_keep_numbers(runs), style, size=size, leading=leading, align=align,
                       phrase_wrap=head)

    start_size = fig.font_size or float(tf.spec("table").get("size", 8))
    size = start_size
    while True:
        data = [[cell(t, j, True, size, i < nh - 1) for j, t in enumerate(r)] for i, r in enumerate(head_rows)]
        data += [[cell(t, j, False, size) for j, t in enumerate(r)] for r in body]
        got = _column_widths(cols, data, nh, head_rows, width, pad, size)
        if not got.fits:  # short titles may break at a phrase too
            got = _column_widths(cols, data, nh, head_rows, width, pad, size, strict=False)
        if got.fits or size <= lay.table_min_font or fig.font_size:
            break
        size = max(lay.table_min_font, size - 0.5)
    font = tf.font("sans-bold")
    for j, text in enumerate(head_rows[-1]):
        if text:
            lines = wrap_header(text, font, size, got.widths[j] - 2 * pad)
            data[nh - 1][j] = cell(lines, j, True, size)
    if not got.fits and on_too_wide is not None:
        on_too_wide(f"the table is wider than the column even at {size:g} pt, so long names "
                    f"break inside; give it fewer columns, a smaller `font_size` (not below "
                    f"{lay.table_min_font:g}), or `landscape: true` to set it on a page of its own "
                    "turned sideways")
    vpad = lay.table_cell_vpad
    style = [
        ("BACKGROUND", (0, 0), (-1, nh - 1), HexColor(s.color("brand"))),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), vpad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), vpad),
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
    return Table(data, colWidths=got.widths, repeatRows=nh,
                 style=TableStyle([("FONTNAME", (0, 0), (-1, -1), tf.font("sans"))] + style),
                 hAlign="CENTER", splitByRow=1)


_HEADER_CUT = re.compile(r"(?<= )|(?<=[A-Za-z0-9]-)(?=[A-Za-z0-9])")


def header_pieces(text: str) -> list[str]:
    """Where a column title may break: after a space, after a hyphen inside a name
    (Qwen3-|235B-|A22B) and between Chinese phrases (BudouX); a one-character piece joins
    its neighbour, so no line of a header is one character alone."""
    cuts = {m.start() for m in _HEADER_CUT.finditer(text)}
    an = analyze(text, True)
    cuts |= {j for j in (an.phrases or ()) if j < len(text) and not text[j - 1].isascii()
             and not text[j].isascii()}
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(text)), len(text)]
    raw = [text[a:b] for a, b in zip(bounds, bounds[1:])]
    pieces: list[str] = []
    carry = ""
    for i, p in enumerate(raw):  # a one-character piece joins the next (the last: the one before)
        p = carry + p
        carry = ""
        if len(p.strip()) <= 1 and i < len(raw) - 1:
            carry = p
        elif len(p.strip()) <= 1 and pieces:
            pieces[-1] += p
        else:
            pieces.append(p)
    if carry:
        pieces.append(carry)
    return pieces


def wrap_header(text: str, font: str, size: float, width: float) -> str:
    """The title's lines (joined by newlines) for a column `width` wide: the fewest lines,
    as even as possible, breaking only between `header_pieces`."""
    pieces = header_pieces(text)

    def fill(limit: float) -> list[str]:
        lines: list[str] = []
        for p in pieces:
            if lines and string_width((lines[-1] + p).strip(), font, size) <= limit:
                lines[-1] += p
            else:
                lines.append(p)
        return lines

    lines = fill(width)
    lo = max(string_width(p.strip(), font, size) for p in pieces)
    hi = max(width, lo)
    for _ in range(16):  # the narrowest width that needs no more lines: balanced lines
        mid = (lo + hi) / 2
        if len(fill(mid)) <= len(lines):
            hi = mid
        else:
            lo = mid
    return "\n".join(line.strip() for line in fill(hi))


def _header_min(para, text: str, size: float, strict: bool = True) -> float:
    """A short title (up to four characters' width) does not break unless the table needs
    it (`strict` False); a longer one needs its widest piece (see `header_pieces`)."""
    nat = para.natural_width()
    if strict and nat <= 4 * size:
        return nat
    font = para.runs[0].font
    return min(nat, max(string_width(p.strip(), font, size) for p in header_pieces(text)))


def _column_widths(cols, data, nh: int, head_rows, width: float, pad: float, size: float,
                   strict: bool = True) -> TableLayout:
    """At least the widest unbreakable token of a column, at most its natural width; the
    room left over goes to the columns whose text wraps, in proportion to what they lack."""
    n = len(cols)
    natural = [2 * size + 2 * pad] * n
    minimum = [2 * size + 2 * pad] * n
    for i, row in enumerate(data):
        for j, p in enumerate(row):
            if p == "" or i < nh - 1:  # header group cells span columns: not measured
                continue
            text = head_rows[i][j] if i < nh else p.text
            lo = _header_min(p, text, size, strict) if i < nh else p.minWidth()
            if i >= nh and p.natural_width() <= 8 * size:
                lo = p.natural_width()  # a short cell never wraps (no character alone)
            minimum[j] = max(minimum[j], lo + 2 * pad)
            natural[j] = max(natural[j], p.natural_width() + 2 * pad)
    # a token wider than half the table (a pasted blob) is broken by the typesetter anyway
    minimum = [min(m, width / 2) for m in minimum]
    natural = [max(a, b) for a, b in zip(natural, minimum)]
    # a column's `width` is followed when the content fits it, else the content decides
    fixed = {j: width * c.width for j, c in enumerate(cols) if c.width}
    if len(fixed) == n:
        total = sum(c.width for c in cols)
        out = [width * c.width / total for c in cols]
        if all(o + 0.5 >= m for o, m in zip(out, minimum)):
            return TableLayout(size, _at_least(dict(enumerate(out)), n, 2 * pad + 2 * size), True)
        fixed = {}
    elif any(fixed[j] + 0.5 < minimum[j] for j in fixed):
        fixed = {}
    free = width - sum(fixed.values())
    idx = [j for j in range(n) if j not in fixed]
    nat = sum(natural[j] for j in idx)
    mins = sum(minimum[j] for j in idx)
    if nat <= free:  # everything on one line; the rest spread evenly over the columns
        out = {j: natural[j] + (free - nat) * natural[j] / nat for j in idx}
        fits = True
    elif mins <= free:
        want = sum(natural[j] - minimum[j] for j in idx) or 1
        out = {j: minimum[j] + (free - mins) * (natural[j] - minimum[j]) / want for j in idx}
        fits = True
    else:
        out = {j: minimum[j] * free / mins for j in idx}
        fits = False
    out.update(fixed)
    return TableLayout(size, _at_least(out, n, 2 * pad + 2 * size), fits)


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
                  style=TableStyle([("FONTNAME", (0, 0), (-1, -1), self.tf.font("sans")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
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
