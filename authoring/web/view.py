"""The assembled Report as plain data for the page templates (dicts, lists, strings).

The same numbers, captions, source lines and boilerplate the PDF prints: everything comes
from the Report that the layout gets; nothing is numbered or worded here.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Callable

from ..model import records as rm
from ..model.report import Report
from .text import SAFE_SCHEMES, pieces, plain


def _cell(value) -> str:
    return "-" if value is None else str(value)


class View:
    """Builds the template context; `chart(fig) -> dict` supplies a chart's picture."""

    def __init__(self, report: Report, labels: dict, chart: Callable, image: Callable):
        self.report, self.labels, self.chart, self.image = report, labels, chart, image

    def ref(self, target: str) -> tuple[str, str]:
        info = self.report.figures[target]
        return f"{self.labels['figure']} {info.number}", "#" + info.dest

    def text(self, value: str, markup: bool = True) -> list[dict]:
        return pieces(value, self.ref, markup)

    # ------------------------------------------------------------------ the page
    def context(self) -> dict:
        r = self.report
        brand = r.styles.brand
        sections = []
        for sec in r.sections:
            items = [{"number": it.number, "title": self.text(it.title, False), "anchor": it.dest,
                      "blocks": [self.block(b) for b in it.entry.body]} for it in sec.items]
            sections.append({"number": sec.number, "title": self.text(sec.title, False),
                             "anchor": sec.dest, "items": items,
                             "paragraphs": [self.text(p, False) for p in sec.paragraphs]})
        return {
            "lang": "zh-CN",
            "title": r.title,
            "title_text": self.text(r.title, False),
            "series": r.week.series,
            "week": r.week.week,
            "report_type": r.week.report_type,
            "date": r.date.isoformat(),
            "department": brand.department,
            "short_department": brand.short_department,
            "institute": brand.institute,
            "footer_reminder": brand.report_footer_reminder,
            "authors": [a._asdict() for a in r.authors],
            "recent": [{"title": p.title, "date": f"{p.date:%Y.%m.%d}"} for p in r.recent],
            "key_points": [{"title": self.text(k.title, False), "summary": self.text(k.summary),
                            "href": "#" + k.dest} for k in r.key_points],
            "risk": self.text(r.risk, False),
            "sections": sections,
            "figure_list": [{"label": f"{self.labels['figure']} {f.number}", "title": self.text(f.title, False),
                             "href": "#" + f.dest} for f in r.figure_list],
            "ratings": self.ratings(),
            "statement": [self.text(p, False) for p in r.analyst_statement],
            "disclaimer": [self.text(p, False) for p in r.disclaimer],
            "profile": [self.text(p, False) for p in r.profile],
            "contacts": [{"city": c.city, "email": c.email, "mailto": "mailto:" + c.email,
                          "address": c.address, "postcode": c.postcode} for c in brand.contacts],
        }

    def ratings(self) -> dict:
        r = self.report
        rows = []
        types = [x.type for x in r.ratings]
        for i, x in enumerate(r.ratings):
            first = i == 0 or types[i - 1] != x.type
            span = 0
            if first:
                span = 1
                while i + span < len(types) and types[i + span] == x.type:
                    span += 1
            rows.append({"type": x.type, "type_span": span, "grade": x.grade,
                         "meaning": self.text(x.meaning, False)})
        return {"basis": [self.text(p, False) for p in r.rating_basis], "rows": rows,
                "title": f"{r.styles.brand.institute}{self.labels['ratings']}"}

    # ------------------------------------------------------------------ blocks
    def block(self, b) -> dict:
        if isinstance(b, rm.ParagraphBlock):
            return {"kind": "paragraph", "text": self.text(b.paragraph)}
        if isinstance(b, rm.BulletsBlock):
            return {"kind": "bullets", "items": [self.text(t) for t in b.bullets]}
        if isinstance(b, rm.NumberedBlock):
            return {"kind": "numbered", "items": [self.text(t) for t in b.numbered]}
        if isinstance(b, rm.TermsBlock):
            return {"kind": "terms", "items": [{"term": self.text(t.term, False), "text": self.text(t.text)}
                                               for t in b.terms]}
        if isinstance(b, rm.FigureBlock):
            return {"kind": "figure", "figure": self.figure(b.figure)}
        if isinstance(b, rm.FigureRowBlock):
            return {"kind": "figure_row", "figures": [self.figure(f) for f in b.figure_row]}
        raise TypeError(type(b))

    # ------------------------------------------------------------------ figures
    def figure(self, fig) -> dict:
        info = self.report.figures[fig.id]
        notes = list(getattr(fig, "notes", []) or []) + ([fig.note] if fig.note else [])
        out = {"kind": fig.kind, "anchor": info.dest, "number": info.number,
               "label": f"{self.labels['figure']} {info.number}", "title": self.text(info.title, False),
               "alt": f"{self.labels['figure']} {info.number}{self.labels['title_sep']}{info.title}",
               "notes": [self.text(n) for n in notes], "source": self.text(info.source_line, False)}
        out.update(getattr(self, "_" + fig.kind)(fig))
        return out

    def _table(self, fig: rm.TableFigure) -> dict:
        cols = list(fig.columns)
        grouped = fig.groups is not None
        head = []
        if fig.header_groups:
            head.append([{"text": self.text(g.title, False), "colspan": g.span, "rowspan": 1, "align": "center"}
                         for g in fig.header_groups])
        last = [{"text": self.text(c.title, False), "colspan": 1, "rowspan": 1, "align": "center"} for c in cols]
        if grouped:
            last.insert(0, {"text": self.text(fig.group_title or "", False), "colspan": 1, "rowspan": 1,
                            "align": "center"})
            if head:  # the header group above the group column
                head[0][0]["colspan"] = max(1, head[0][0]["colspan"])
        head.append(last)
        aligns = [c.align for c in cols]
        body = []
        if grouped:
            for g in fig.groups:
                for i, row in enumerate(g.rows):
                    cells = [{"text": self.text(_cell(v)), "align": aligns[j], "group": False, "rowspan": 1}
                             for j, v in enumerate(row)]
                    if i == 0:
                        cells.insert(0, {"text": self.text(g.title, False), "align": "left", "group": True,
                                         "rowspan": len(g.rows)})
                    body.append({"cells": cells, "group_end": i == len(g.rows) - 1})
        else:
            for row in fig.rows:
                body.append({"cells": [{"text": self.text(_cell(v)), "align": aligns[j], "group": False,
                                        "rowspan": 1} for j, v in enumerate(row)], "group_end": False})
        widths = None
        ncols = len(cols) + (1 if grouped else 0)
        if all(c.width for c in cols) and not grouped:
            total = sum(c.width for c in cols)
            widths = [f"{100 * c.width / total:.1f}%" for c in cols]
        return {"head": head, "body": body, "grouped": grouped, "widths": widths, "ncols": ncols,
                "wide": ncols > 4}

    def _chart(self, fig: rm.ChartFigure) -> dict:
        return self.chart(fig)

    def _diagram(self, fig: rm.DiagramFigure) -> dict:
        def step(s, n):
            return {"title": self.text(s.title, False), "text": self.text(s.text) if s.text else None, "n": n}

        steps = fig.steps or []
        numbered = len(steps) > 1
        return {"direction": fig.direction,
                "steps": [step(s, i + 1 if numbered else None) for i, s in enumerate(steps)],
                "stages": [{"title": self.text(st.title, False), "steps": [step(s, None) for s in st.steps]}
                           for st in (fig.stages or [])]}

    def _quote(self, fig: rm.QuoteFigure) -> dict:
        meta = " · ".join(x for x in (fig.platform, fig.date.strftime("%Y-%m-%d") if fig.date else None) if x)
        return {"author": fig.author, "handle": fig.handle or "", "meta": meta, "text": self.text(fig.text),
                "translation": self.text(fig.translation) if fig.translation else None}

    def _paper(self, fig: rm.PaperFigure) -> dict:
        sep = self.labels["names_latin" if all(a.isascii() for a in fig.authors) else "names_cjk"]
        link = fig.link if fig.link and fig.link.lower().startswith(SAFE_SCHEMES) else None
        return {"paper_title": self.text(fig.paper_title, False), "authors": sep.join(fig.authors),
                "affiliations": "; ".join(fig.affiliations), "venue": fig.venue or "",
                "link": link, "link_text": fig.link or "",
                "abstract": self.text(fig.abstract) if fig.abstract else None,
                "paper_label": self.labels["paper"]}

    def _image(self, fig: rm.ImageFigure) -> dict:
        return self.image(fig)


def data_uri(path: Path) -> str:
    """A PNG or JPEG file as a data: URI (the kind is read from the file, not its name)."""
    data = Path(path).read_bytes()
    mime = "image/png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg"
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


__all__ = ["View", "data_uri", "plain"]
