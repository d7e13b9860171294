"""Lay out a `Report` and write it as PDF bytes: the layout stage's entry point."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4

from ..assemble import Report
from . import backmatter, body, frontmatter
from .document import Marked, ReportDoc
from .figures import FigureBuilder
from .text import TextFactory


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    marks: dict[str, int]   # destination -> page where it was drawn


def render(report: Report, fontnames: dict[str, str], chart_renderer: Callable,
           epoch: int | None = None) -> Rendered:
    """Lay out the whole report; `epoch` fixes the PDF's creation date."""
    s = report.styles
    page = s.theme.page
    tf = TextFactory(s, fontnames, ref=lambda fid: (report.figure_label(fid), report.figures[fid].dest))
    W, H = A4
    width = W - page.margin_left - page.margin_right
    brand_color = HexColor(s.color("brand"))
    muted = HexColor(s.color("muted"))
    sans, sans_bold = fontnames["sans"], fontnames["sans-bold"]

    def footer(c, doc):
        c.setFont(sans, 7.5)
        c.setFillColor(muted)
        y = page.margin_bottom - 30
        c.drawString(page.margin_left, y, s.brand.report_footer_reminder)
        c.drawRightString(W - page.margin_right, y, str(doc.page))

    def draw_running(c, doc):
        c.saveState()
        y = H - page.margin_top + 24
        c.setFont(sans_bold, 9)
        c.setFillColor(brand_color)
        c.drawString(page.margin_left, y, report.week.report_type)
        c.setFont(sans, 8)
        c.setFillColor(muted)
        c.drawRightString(W - page.margin_right, y, s.brand.department)
        c.setStrokeColor(brand_color)
        c.setLineWidth(page.header_rule_width)
        c.line(page.margin_left, y - 6, W - page.margin_right, y - 6)
        footer(c, doc)
        c.restoreState()

    def draw_cover(c, doc):
        c.saveState()
        c.setFillColor(brand_color)
        c.rect(0, H - 8, W, 8, stroke=0, fill=1)
        y = H - page.margin_top + 10
        c.setFont(sans_bold, 15)
        c.drawString(page.margin_left - 20, y, s.brand.department)
        c.setFont(sans, 9)
        c.setFillColor(muted)
        c.drawRightString(W - page.margin_right, y + 8, f"证券研究报告：{report.week.report_type}")
        c.drawRightString(W - page.margin_right, y - 5, f"发布时间：{report.date:%Y-%m-%d}")
        c.setStrokeColor(brand_color)
        c.setLineWidth(page.header_rule_width)
        c.line(page.margin_left - 20, y - 14, W - page.margin_right, y - 14)
        side = page.cover_sidebar_width
        c.setStrokeColor(HexColor(s.color("rule")))
        c.setLineWidth(0.5)
        x = page.margin_left - 20 + side + page.cover_gutter / 2
        c.line(x, page.margin_bottom, x, y - 24)
        footer(c, doc)
        c.restoreState()

    def marked(flowable, dest, outline=None, level=0):
        return Marked(flowable, dest, outline, level)

    story: list = frontmatter.cover(report, tf)
    toc_flowables, form_styles = frontmatter.toc(report, tf, marked)
    story += toc_flowables
    figs = FigureBuilder(report, tf, lambda fig, w: chart_renderer(fig, w))
    story += body.sections(report, tf, figs, width)
    story += backmatter.backmatter(report, tf, width)

    buf = io.BytesIO()
    authors = "、".join(a.name for a in report.authors)
    doc = ReportDoc(buf, page, draw_cover, draw_running, title=report.title, author=authors,
                    subject=f"{s.brand.department} {report.week.report_type} {report.week.series} {report.week.week}",
                    keywords=", ".join(report.week.keywords), creator="authoring", producer="authoring",
                    invariant=1, lang="zh-CN", displayDocTitle=1,
                    initialFontName=fontnames["serif"], initialFontSize=10.5)  # no Helvetica
    wanted = set(form_styles)
    doc.epoch = epoch
    doc.form_painter = _painter(tf, form_styles, wanted)
    doc.build(story)
    return Rendered(buf.getvalue(), doc.page, dict(doc.marks))


def _painter(tf, form_styles, wanted):
    paint = frontmatter.page_number_painter(tf, form_styles)

    def run(canv, marks):
        missing = wanted - set(marks)
        if missing:  # a target never drawn: still define the form so the PDF is valid
            marks = {**marks, **{m: 0 for m in missing}}
        paint(canv, {k: v for k, v in marks.items() if k in wanted})

    return run
