"""Lay out a `Report` and write it as PDF bytes: the layout stage's entry point.

The story is the cover and 目录 (frontmatter.py), the numbered sections with their figures
(body.py, figures/), and the back matter (backmatter.py), drawn on the pages of
document.py with the page decorations of pages.py.  Whatever goes wrong on the way is a
diagnostic naming the place (errors.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from ..diagnostics import Failed, display_path
from ..model.report import Report
from . import backmatter, body, frontmatter, labels
from .document import Origin, ReportDoc, cover_frames, page_size
from .errors import (GuardedFigures, at_figure, clean_errors, cover_too_long, diagnostic,
                     guarded_charts, tag, tag_body, week_file)
from .pages import PageDecor
from .text import TextFactory


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    marks: dict[str, int]   # destination -> page where it was drawn
    warnings: tuple = ()    # Diagnostics (severity "warning"): the PDF was written anyway
    page_text: object = None  # document.PageText: the text each page shows


def render(report: Report, fonts: dict, chart_renderer: Callable,
           epoch: int | None = None, break_memo=None, memo=None) -> Rendered:
    """Lay out the whole report; `epoch` fixes the PDF's creation date.  `break_memo` (an
    `authoring.typeset.BreakMemo`, the build's) keeps what line breaking works out, for
    this build and the next; without it everything is worked out afresh.  `memo` (an
    `authoring.memo.LayoutMemo`, kept by a watch between builds) keeps prepared paragraphs
    and what drawing them gave, by their text, style and fonts, and tables as built, by
    everything they are built from."""
    s = report.styles
    theme = s.theme
    page = theme.page
    tf = TextFactory(s, fonts, ref=lambda fid: (labels.FIGURE_REF.format(report.figures[fid].number), report.figures[fid].dest),
                     memo=memo.paragraphs if memo is not None else None, break_memo=break_memo)
    W, H = page_size(theme)
    width = W - page.margin_left - page.margin_right
    decor = PageDecor(report, tf, W, H)

    week = week_file(report)
    front_origin = Origin(week)
    with clean_errors(report, front_origin):
        story: list = frontmatter.cover(report, tf)
        main = cover_frames(theme)[1]
        over = frontmatter.cover_overflow(story, main.width, main.height)
        if over > 0:
            raise Failed([cover_too_long(report, over, tf)])
        toc_flowables, form_styles = frontmatter.toc(report, tf)
        story += toc_flowables
        tag(story, front_origin)
    figs = GuardedFigures(report, tf, guarded_charts(report, chart_renderer),
                          memo.tables if memo is not None else None)
    with clean_errors(report, front_origin):
        sections = body.sections(report, tf, figs, width)
    tag_body(report, sections, week)
    story += sections
    with clean_errors(report, Origin(display_path(Path(s.folder) / "brand.yaml"))):
        back = backmatter.backmatter(report, tf, width)
    tag(back, Origin(week))
    story += back

    buf = io.BytesIO()
    authors = labels.NAMES.join(a.name for a in report.authors)
    doc = ReportDoc(buf, theme, decor.cover, decor.running, title=report.title, author=authors,
                    subject=f"{s.brand.department} {report.week.report_type} {report.week.series} {report.week.week}",
                    keywords=", ".join(report.week.keywords), creator=f"authoring {_version()}",
                    producer=f"authoring {_version()} (ReportLab {_reportlab_version()})",
                    invariant=1, lang="zh-CN", displayDocTitle=1,
                    initialFontName=tf.font_name("serif"),  # no Helvetica
                    initialFontSize=tf.style("base")[2])
    doc.epoch = epoch
    doc.form_painter = _painter(tf, form_styles, set(form_styles))
    doc.origin = front_origin
    try:
        doc.build(story)
    except Failed:
        raise
    except Exception as exc:  # noqa: BLE001 - content must not crash the build
        raise Failed([diagnostic(report, doc.origin, exc, page=doc.page, tables=figs.tables)]) from None
    warnings = tuple(replace(at_figure(report, fid, msg), severity="warning")
                     for fid, msg in dict(figs.warnings).items())
    return Rendered(buf.getvalue(), doc.page, dict(doc.marks), warnings, doc.page_text)


def _version() -> str:
    from .. import __version__

    return __version__


def _reportlab_version() -> str:
    import reportlab

    return reportlab.Version


def _painter(tf, form_styles, wanted):
    paint = frontmatter.page_number_painter(tf, form_styles)

    def run(canv, marks):
        missing = wanted - set(marks)
        if missing:  # a target never drawn: still define the form so the PDF is valid
            marks = {**marks, **{m: 0 for m in missing}}
        paint(canv, {k: v for k, v in marks.items() if k in wanted})

    return run
