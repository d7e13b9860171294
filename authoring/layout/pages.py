"""What every page draws around its frames: the cover's head (banner, department, report
type and date, the rule under them and between the columns), the running header of the
body pages, and the footer of both.  Sizes and colours: theme.yaml's `cover`, `header` and
`footer`; the text styles cover_department, cover_meta, header_title, header and footer."""

from __future__ import annotations

from reportlab.lib.colors import HexColor

from ..model.report import Report
from . import labels
from .glyphs import draw_string
from .text import TextFactory


class PageDecor:
    """`cover(canvas, doc)` and `running(canvas, doc)`, the page templates' onPage."""

    def __init__(self, report: Report, tf: TextFactory, width: float, height: float):
        self.report, self.tf, self.W, self.H = report, tf, width, height
        self.theme = report.styles.theme

    def _text(self, c, x: float, y: float, text: str, style: str, anchor: str = "start") -> None:
        _ps, role, size, color = self.tf.style(style)
        c.setFillColor(HexColor(color))
        draw_string(c, x, y, text, self.tf.font(role), size, anchor=anchor)

    def _rule(self, c, x0: float, y0: float, x1: float, y1: float, width: float, color: str) -> None:
        c.setStrokeColor(HexColor(self.report.styles.color(color)))
        c.setLineWidth(width)
        c.line(x0, y0, x1, y1)

    def footer(self, c, doc) -> None:
        page = self.theme.page
        y = page.margin_bottom - self.theme.footer.baseline_drop
        self._text(c, page.margin_left, y, self.report.styles.brand.report_footer_reminder, "footer")
        self._text(c, self.W - page.margin_right, y, str(doc.page), "footer", anchor="end")

    def running(self, c, doc) -> None:
        page, head = self.theme.page, self.theme.header
        c.saveState()
        y = self.H - page.margin_top + head.baseline_raise
        self._text(c, page.margin_left, y, self.report.week.report_type, "header_title")
        self._text(c, self.W - page.margin_right, y, self.report.styles.brand.department, "header",
                   anchor="end")
        self._rule(c, page.margin_left, y - head.rule_drop, self.W - page.margin_right, y - head.rule_drop,
                   page.header_rule_width, head.rule_color)
        self.footer(c, doc)
        c.restoreState()

    def cover(self, c, doc) -> None:
        page, cov, report = self.theme.page, self.theme.cover, self.report
        W, H = self.W, self.H
        c.saveState()
        c.setFillColor(HexColor(report.styles.color(cov.banner_color)))
        c.rect(0, H - cov.banner_height, W, cov.banner_height, stroke=0, fill=1)
        y = H - page.margin_top + cov.head_raise
        left = page.margin_left - cov.outdent
        right = W - page.margin_right
        self._text(c, left, y, report.styles.brand.department, "cover_department")
        self._text(c, right, y + cov.meta_raise, labels.REPORT_KIND.format(report.week.report_type),
                   "cover_meta", anchor="end")
        self._text(c, right, y - cov.meta_drop, labels.PUBLISHED.format(report.date), "cover_meta",
                   anchor="end")
        self._rule(c, left, y - cov.rule_drop, right, y - cov.rule_drop, page.header_rule_width,
                   cov.rule_color)
        x = left + page.cover_sidebar_width + page.cover_gutter / 2
        self._rule(c, x, page.margin_bottom, x, y - cov.column_rule_gap, cov.column_rule_width,
                   cov.column_rule_color)
        self.footer(c, doc)
        c.restoreState()
