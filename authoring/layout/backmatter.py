"""投资评级说明, 分析师声明, 免责声明, 公司简介 and the contacts."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from ..model.report import Report
from . import labels
from .document import Marked
from .text import TextFactory


def back_heading(tf: TextFactory, title: str, dest: str, style: str = "back_head") -> Flowable:
    return Marked(tf.para(title, style, markup=False, keep_with_next=True), dest, outline=title, level=0)


def _color(s, name: str):
    return HexColor(s.color(name))


def rating_table(report: Report, tf: TextFactory, width: float) -> Table:
    s = report.styles
    look = s.theme.rating_table
    size = look.size
    head = [tf.para(t, "table_head", markup=False, size=size, align="center") for t in labels.RATINGS_HEAD]
    basis = [tf.para(p, "table", markup=False, size=look.basis_size, leading=look.basis_leading,
                     align="justify") for p in report.rating_basis]
    rows = [head]
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), _color(s, look.head_color)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("VALIGN", (0, 1), (0, -1), "TOP"),
        ("GRID", (1, 1), (-1, -1), look.grid, _color(s, look.grid_color)),
        ("BOX", (0, 0), (-1, -1), look.box, _color(s, look.box_color)),
        ("LINEAFTER", (0, 0), (0, -1), look.grid, _color(s, look.grid_color)),
        ("LEFTPADDING", (0, 0), (-1, -1), look.pad), ("RIGHTPADDING", (0, 0), (-1, -1), look.pad),
        ("TOPPADDING", (0, 0), (-1, -1), look.vpad), ("BOTTOMPADDING", (0, 0), (-1, -1), look.vpad),
    ]
    start = 1
    types = [r.type for r in report.ratings]
    for i, r in enumerate(report.ratings):
        first_of_type = i == 0 or types[i - 1] != r.type
        rows.append([basis if i == 0 else "",
                     tf.para(r.type, "table", markup=False, size=size, align="center", font="sans-bold")
                     if first_of_type else "",
                     tf.para(r.grade, "table", markup=False, size=size, align="center"),
                     tf.para(r.meaning, "table", markup=False, size=size, align="left")])
    n = len(report.ratings)
    style.append(("SPAN", (0, 1), (0, n)))
    for i, r in enumerate(report.ratings):
        if i == 0 or types[i - 1] != r.type:
            j = i
            while j + 1 < n and types[j + 1] == r.type:
                j += 1
            style.append(("SPAN", (1, start + i), (1, start + j)))
            style.append(("BACKGROUND", (1, start + i), (1, start + j), _color(s, look.type_color)))
    widths = [width * f for f in look.columns]
    return Table(rows, colWidths=widths, style=TableStyle([("FONTNAME", (0, 0), (-1, -1), tf.font_name("sans"))] + style), repeatRows=1)


def contacts(report: Report, tf: TextFactory, width: float) -> Table:
    s = report.styles
    look = s.theme.contacts
    cells = []
    for c in report.styles.brand.contacts:
        cells.append([
            tf.para(c.city, "back_head", markup=False, space_before=0, space_after=look.city_space_after),
            *(tf.para(label.format(value), "table", markup=False, size=look.size) for label, value in (
                (labels.CONTACT_EMAIL, c.email), (labels.CONTACT_ADDRESS, c.address),
                (labels.CONTACT_POSTCODE, c.postcode))),
        ])
    n = len(cells)
    return Table([cells], colWidths=[width / n] * n,
                 style=TableStyle([("FONTNAME", (0, 0), (-1, -1), tf.font_name("sans")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LINEABOVE", (0, 0), (-1, 0), look.rule, _color(s, look.rule_color)),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), look.gap),
                                   ("TOPPADDING", (0, 0), (-1, -1), look.top_pad)]))


def backmatter(report: Report, tf: TextFactory, width: float) -> list[Flowable]:
    brand = report.styles.brand
    # follows 风险提示 on the same page when it fits (the heading keeps with the table)
    out: list[Flowable] = []
    out.append(back_heading(tf, labels.RATINGS.format(brand.institute), "back-ratings", "h2"))
    out.append(rating_table(report, tf, width))
    for title, dest, paragraphs in ((labels.STATEMENT, "back-statement", report.analyst_statement),
                                    (labels.DISCLAIMER, "back-disclaimer", report.disclaimer),
                                    (labels.PROFILE, "back-profile", report.profile)):
        out.append(back_heading(tf, title, dest))
        out += [tf.para(p, "back", markup=False) for p in paragraphs]
    out.append(KeepTogether([
        back_heading(tf, brand.department, "back-contacts"),
        contacts(report, tf, width),
    ]))
    return out
