"""投资评级说明, 分析师声明, 免责声明, 公司简介 and the contacts."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from ..model.report import Report
from .document import Marked
from .text import TextFactory


def back_heading(tf: TextFactory, title: str, dest: str, style: str = "back_head") -> Flowable:
    return Marked(tf.para(title, style, markup=False, keep_with_next=True), dest, outline=title, level=0)


def rating_table(report: Report, tf: TextFactory, width: float) -> Table:
    s = report.styles
    size = 8
    head = [tf.para(t, "table_head", markup=False, size=size, align="center")
            for t in ("投资评级标准", "类型", "评级", "说明")]
    basis = [tf.para(p, "table", markup=False, size=7.5, leading=11.5, align="justify")
             for p in report.rating_basis]
    rows = [head]
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), HexColor(s.color("brand"))),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("VALIGN", (0, 1), (0, -1), "TOP"),
        ("GRID", (1, 1), (-1, -1), 0.3, HexColor(s.color("rule"))),
        ("BOX", (0, 0), (-1, -1), 0.6, HexColor(s.color("brand"))),
        ("LINEAFTER", (0, 0), (0, -1), 0.3, HexColor(s.color("rule"))),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
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
            style.append(("BACKGROUND", (1, start + i), (1, start + j), HexColor(s.color("brand_light"))))
    widths = [width * f for f in (0.30, 0.11, 0.11, 0.48)]
    return Table(rows, colWidths=widths, style=TableStyle([("FONTNAME", (0, 0), (-1, -1), tf.font_name("sans"))] + style), repeatRows=1)


def contacts(report: Report, tf: TextFactory, width: float) -> Table:
    s = report.styles
    cells = []
    for c in report.styles.brand.contacts:
        cells.append([
            tf.para(c.city, "back_head", markup=False, space_before=0, space_after=2),
            tf.para(f"邮箱：{c.email}", "table", markup=False, size=8),
            tf.para(f"地址：{c.address}", "table", markup=False, size=8),
            tf.para(f"邮编：{c.postcode}", "table", markup=False, size=8),
        ])
    n = len(cells)
    return Table([cells], colWidths=[width / n] * n,
                 style=TableStyle([("FONTNAME", (0, 0), (-1, -1), tf.font_name("sans")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LINEABOVE", (0, 0), (-1, 0), 0.8, HexColor(s.color("brand"))),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                                   ("TOPPADDING", (0, 0), (-1, -1), 6)]))


def backmatter(report: Report, tf: TextFactory, width: float) -> list[Flowable]:
    brand = report.styles.brand
    # follows 风险提示 on the same page when it fits (the heading keeps with the table)
    out: list[Flowable] = []
    out.append(back_heading(tf, f"{brand.institute}投资评级说明", "back-ratings", "h2"))
    out.append(rating_table(report, tf, width))
    out.append(back_heading(tf, "分析师声明", "back-statement"))
    out += [tf.para(p, "back", markup=False) for p in report.analyst_statement]
    out.append(back_heading(tf, "免责声明", "back-disclaimer"))
    out += [tf.para(p, "back", markup=False) for p in report.disclaimer]
    out.append(back_heading(tf, "公司简介", "back-profile"))
    out += [tf.para(p, "back", markup=False) for p in report.profile]
    out.append(KeepTogether([
        back_heading(tf, brand.department, "back-contacts"),
        contacts(report, tf, width),
    ]))
    return out
