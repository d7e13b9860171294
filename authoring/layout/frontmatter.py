"""Cover, 目录 and 图表目录."""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, FrameBreak, PageBreak, Spacer
from reportlab.platypus.doctemplate import ActionFlowable

from ..model.report import Report
from . import labels
from .document import Marked, form_name
from .glyphs import draw_string
from .paragraph import DESCENT
from .text import TextFactory

#: The bounding box of a page number's form, around its right end on the baseline: room
#: for any number (the form is drawn where the number is wanted, not clipped).
FORM_BOX = (-60, -4, 2, 4)


class Band(Flowable):
    """A filled band with one line of text: the cover's report type."""

    def __init__(self, text: str, font, size: float, fg: str, bg: str, height: float, pad: float,
                 space_after: float):
        super().__init__()
        self.text, self.font, self.size, self.fg, self.bg, self.h = text, font, size, fg, bg, height
        self.pad, self.space_after = pad, space_after

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.h

    def draw(self):
        c = self.canv
        tw = self.font.width(self.text, self.size) + 2 * self.pad
        c.setFillColor(HexColor(self.bg))
        c.rect(0, 0, tw, self.h, stroke=0, fill=1)
        c.setFillColor(HexColor(self.fg))
        draw_string(c, self.pad, (self.h - self.size) / 2 + self.size * DESCENT, self.text, self.font,
                    self.size)

    def getSpaceAfter(self):
        return self.space_after


class TocLine(Flowable):
    """'number  title ........ page', linked to its target; page from a form XObject."""

    def __init__(self, tf: TextFactory, style: str, number: str, title: str, dest: str,
                 number_width: float, markup: bool = False):
        super().__init__()
        self.tf, self.style, self.number, self.title, self.dest = tf, style, number, title, dest
        self.number_width = number_width
        self.markup = markup
        ps, role, size, color = tf.style(style)
        self.ps, self.fontname, self.size, self.color = ps, tf.font(role), size, color
        self.look = tf.styles.theme.contents
        self.page_width = self.fontname.width(labels.WIDEST_PAGE, self.size) + self.look.page_pad

    def wrap(self, aw, ah):
        self.width = aw
        left = self.ps.left_indent + self.number_width
        self.para = self.tf.para(self.title, self.style, markup=self.markup, align="left",
                                 left_indent=0, first_indent=0, space_before=0, space_after=0)
        self.left = left
        _w, h = self.para.wrap(aw - left - self.page_width - self.look.page_gap, ah)
        self.height = h
        return aw, h

    def getSpaceBefore(self):
        return self.ps.space_before

    def getSpaceAfter(self):
        return self.ps.space_after

    def draw(self):
        c = self.canv
        last_baseline = (self.ps.leading - self.size) / 2 + self.size * DESCENT
        top_baseline = self.height - self.ps.leading + last_baseline
        c.setFillColor(HexColor(self.color))
        if self.number:
            draw_string(c, self.ps.left_indent, top_baseline, self.number, self.fontname, self.size)
        self.para.drawOn(c, self.left, 0)
        last_w = self.para.line_widths[-1] if getattr(self.para, "line_widths", None) else 0
        x0 = self.left + last_w + self.look.leader_gap
        x1 = self.width - self.page_width
        dot = self.fontname.width(labels.LEADER, self.size)
        if x1 - x0 > dot:
            c.setFillColor(HexColor(self.tf.styles.color(self.look.leader_color)))
            n = int((x1 - x0) / dot)
            draw_string(c, x1, last_baseline, labels.LEADER * n, self.fontname, self.size, anchor="end")
        c.saveState()
        c.translate(self.width, last_baseline)
        c.doForm(form_name(self.dest))
        c.restoreState()
        c.linkRect("", self.dest, (0, 0, self.width, self.height), relative=1, thickness=0)


def page_number_painter(tf: TextFactory, styles: dict[str, str]):
    """Defines one form per destination: its page number, right-aligned at x=0."""

    def paint(canv, marks: dict[str, int]):
        for dest, page in sorted(marks.items()):
            style = styles.get(dest, "toc2")
            _ps, role, size, color = tf.style(style)
            x0, y0, x1, y1 = FORM_BOX
            canv.beginForm(form_name(dest), lowerx=x0, lowery=y0, upperx=x1, uppery=size + y1)
            canv.setFillColor(HexColor(color))
            draw_string(canv, 0, 0, str(page), tf.font(role), size, anchor="end")
            canv.endForm()

    return paint


def cover(report: Report, tf: TextFactory) -> list:
    s = report.styles
    brand = s.brand
    look = s.theme.cover
    out: list = [tf.para(brand.short_department, "sidebar_head", markup=False)]
    for a in report.authors:
        out.append(tf.para(labels.AUTHOR_ROLE.format(a.role, a.name), "sidebar", markup=False))
        out.append(tf.para(labels.AUTHOR_SAC.format(a.sac), "sidebar", markup=False))
        out.append(tf.para(labels.AUTHOR_EMAIL.format(a.email), "sidebar", markup=False,
                           space_after=look.author_space_after))
    if report.recent:
        out.append(Spacer(1, look.recent_space_before))
        out.append(tf.para(labels.RECENT_REPORTS, "sidebar_head", markup=False))
        for r in report.recent:
            out.append(recent_report(tf, r.title, labels.RECENT_REPORT[2].format(r.date)))
    out.append(FrameBreak())
    _ps, role, size, color = tf.style("cover_type")
    main: list = [Band(report.week.report_type, tf.font(role), size, color, s.color(look.type_band_color),
                       look.type_band_height, look.type_band_pad, look.type_band_space_after)]
    main.append(cover_title(report.title, tf))
    accent = s.color(look.bullet_color)
    points: list = []
    for kp in report.key_points:
        points.append(tf.para(kp.title, "cover_point_head", markup=False, bullet=labels.BULLET,
                              bullet_color=accent, keep_with_next=True, phrase_wrap=True))
        points.append(tf.para(kp.summary, "cover_point", markup=True))
    risk = [tf.para(labels.RISK, "cover_point_head", markup=False, bullet=labels.BULLET,
                    bullet_color=accent, keep_with_next=True),
            tf.para(report.risk, "cover_point", markup=False)]
    return out + main + points + risk


def recent_report(tf: TextFactory, title: str, date: str):
    """《title》 - date; the date never starts a line: it keeps the title's last word."""
    cut = len(title)
    if title and title[-1].isascii() and not title[-1].isspace():
        while cut > 0 and title[cut - 1].isascii() and not title[cut - 1].isspace():
            cut -= 1  # a Latin word or number at the end goes with the date
    else:
        cut = max(0, cut - 2)  # else the last two characters
    head, last = title[:cut], title[cut:]
    opening, closing, _date = labels.RECENT_REPORT
    runs = tf.runs(opening + head, "sidebar_report", markup=False)
    runs += [replace(r, keep=True) for r in tf.runs(last + closing + date, "sidebar_report", markup=False)]
    return tf.para(runs, "sidebar_report")


def cover_overflow(flowables: list, width: float, height: float) -> float:
    """How many points the cover's main column is over the room it has (<= 0: it fits)."""
    used, prev_after = 0.0, None
    for f in flowables:
        if isinstance(f, ActionFlowable):
            used, prev_after = 0.0, None  # the sidebar ends here: measure the main column
            continue
        _w, h = f.wrap(width, height)
        before = f.getSpaceBefore() if prev_after is not None else 0
        used += h + max(before, 0) + (prev_after or 0)
        prev_after = f.getSpaceAfter()
    return used - height


def cover_title(title: str, tf: TextFactory):
    """The title breaks at phrases, but '——<series> <week>' stays on one line."""
    head, sep, tail = title.rpartition(labels.TITLE_SERIES)
    if not sep:
        return tf.para(title, "cover_title", markup=False, phrase_wrap=True)
    runs = tf.runs(head, "cover_title", markup=False)
    runs += [replace(r, keep=True) for r in tf.runs(sep + tail, "cover_title", markup=False)]
    return tf.para(runs, "cover_title", phrase_wrap=True)


def toc(report: Report, tf: TextFactory) -> tuple[list, dict[str, str]]:
    """目录 and 图表目录 pages; returns flowables and dest -> style for the number forms."""
    look = tf.styles.theme.contents
    form_styles: dict[str, str] = {}
    out: list = [PageBreak()]
    out.append(Marked(tf.para(labels.CONTENTS, "toc_title", markup=False), "toc", labels.CONTENTS, 0))
    _ps, role, size, _c = tf.style("toc1")
    n1 = tf.font(role).width(labels.WIDEST_SECTION, size) + size * look.section_number_gap
    _ps, role2, size2, _c = tf.style("toc2")
    n2 = tf.font(role2).width(labels.WIDEST_ITEM, size2) + size2 * look.item_number_gap
    for sec in report.sections:
        out.append(TocLine(tf, "toc1", str(sec.number), sec.title, sec.dest, n1))
        form_styles[sec.dest] = "toc1"
        for item in sec.items:
            out.append(TocLine(tf, "toc2", item.number, item.title, item.dest, n2))
            form_styles[item.dest] = "toc2"
    out.append(PageBreak())
    out.append(Marked(tf.para(labels.FIGURES, "toc_title", markup=False), "lof", labels.FIGURES, 0))
    _ps, role3, size3, _c = tf.style("lof")
    n3 = tf.font(role3).width(labels.WIDEST_FIGURE, size3) + look.figure_number_gap
    for fig in report.figure_list:
        out.append(TocLine(tf, "lof", labels.FIGURE.format(fig.number), fig.title, fig.dest, n3))
        form_styles[fig.dest] = "lof"
    out.append(PageBreak())
    return out, form_styles
