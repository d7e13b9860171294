"""Lay out a `Report` and write it as PDF bytes: the layout stage's entry point.

Content never crashes the layout with a traceback.  Every top-level flowable of the body
is tagged with where it came from (the entry file and, for figures, the figure); a
figure that cannot be drawn, or a flowable too large for a page (reportlab's
`LayoutError`), becomes a `Failed` diagnostic naming the entry file, the line of the
figure and what to change.  Any other exception inside reportlab or matplotlib becomes an
"internal error" diagnostic that still names the place (a bug to report, not a traceback).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.platypus import KeepTogether, Table
from reportlab.platypus.doctemplate import LayoutError

from ..model.records import TableFigure
from ..model.report import Report
from ..diagnostics import Diagnostic, Failed, display_path
from . import backmatter, body, frontmatter
from .document import Marked, Origin, ReportDoc, cover_main_size
from .figures import FigureBuilder, Sideways
from .floats import Float
from .glyphs import draw_string
from .text import TextFactory


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    marks: dict[str, int]   # destination -> page where it was drawn
    warnings: tuple = ()    # Diagnostics (severity "warning"): the PDF was written anyway


def render(report: Report, fonts: dict, chart_renderer: Callable,
           epoch: int | None = None, memo=None) -> Rendered:
    """Lay out the whole report; `epoch` fixes the PDF's creation date.  `memo` (an
    `authoring.memo.LayoutMemo`, kept by a watch between builds) keeps prepared paragraphs
    and what drawing them gave, by their text, style and fonts, and tables as built, by
    everything they are built from."""
    s = report.styles
    page = s.theme.page
    tf = TextFactory(s, fonts, ref=lambda fid: (report.figure_label(fid), report.figures[fid].dest),
                     memo=memo.paragraphs if memo is not None else None)
    W, H = A4
    width = W - page.margin_left - page.margin_right
    brand_color = HexColor(s.color("brand"))
    muted = HexColor(s.color("muted"))
    sans, sans_bold = fonts["sans"], fonts["sans-bold"]

    def footer(c, doc):
        c.setFillColor(muted)
        y = page.margin_bottom - 30
        draw_string(c, page.margin_left, y, s.brand.report_footer_reminder, sans, 7.5)
        draw_string(c, W - page.margin_right, y, str(doc.page), sans, 7.5, anchor="end")

    def draw_running(c, doc):
        c.saveState()
        y = H - page.margin_top + 24
        c.setFillColor(brand_color)
        draw_string(c, page.margin_left, y, report.week.report_type, sans_bold, 9)
        c.setFillColor(muted)
        draw_string(c, W - page.margin_right, y, s.brand.department, sans, 8, anchor="end")
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
        draw_string(c, page.margin_left - 20, y, s.brand.department, sans_bold, 15)
        c.setFillColor(muted)
        draw_string(c, W - page.margin_right, y + 8, f"证券研究报告：{report.week.report_type}", sans, 9,
                    anchor="end")
        draw_string(c, W - page.margin_right, y - 5, f"发布时间：{report.date:%Y-%m-%d}", sans, 9,
                    anchor="end")
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

    week_file = _week_file(report)
    front_origin = Origin(week_file)
    with _clean_errors(report, front_origin):
        story: list = frontmatter.cover(report, tf)
        over = frontmatter.cover_overflow(story, *cover_main_size(page))
        if over > 0:
            raise Failed([_cover_too_long(report, over, tf)])
        toc_flowables, form_styles = frontmatter.toc(report, tf, marked)
        story += toc_flowables
        _tag(story, front_origin)
    figs = _GuardedFigures(report, tf, _guarded_charts(report, chart_renderer),
                           memo.tables if memo is not None else None)
    with _clean_errors(report, front_origin):
        main = body.sections(report, tf, figs, width)
    _tag_body(report, main, week_file)
    story += main
    with _clean_errors(report, Origin(display_path(Path(s.folder) / "brand.yaml"))):
        back = backmatter.backmatter(report, tf, width)
    _tag(back, Origin(week_file))
    story += back

    buf = io.BytesIO()
    authors = "、".join(a.name for a in report.authors)
    doc = ReportDoc(buf, page, draw_cover, draw_running, title=report.title, author=authors,
                    subject=f"{s.brand.department} {report.week.report_type} {report.week.series} {report.week.week}",
                    keywords=", ".join(report.week.keywords), creator=f"authoring {_version()}",
                    producer=f"authoring {_version()} (ReportLab {_reportlab_version()})",
                    invariant=1, lang="zh-CN", displayDocTitle=1,
                    initialFontName=tf.font_name("serif"), initialFontSize=10.5)  # no Helvetica
    wanted = set(form_styles)
    doc.epoch = epoch
    doc.form_painter = _painter(tf, form_styles, wanted)
    doc.origin = front_origin
    try:
        doc.build(story)
    except Failed:
        raise
    except Exception as exc:  # noqa: BLE001 - content must not crash the build
        raise Failed([_diagnostic(report, doc.origin, exc, page=doc.page, tables=getattr(figs, "tables", {}))]) from None
    warnings = tuple(replace(_at_figure(report, fid, msg), severity="warning")
                     for fid, msg in dict(figs.warnings).items())
    return Rendered(buf.getvalue(), doc.page, dict(doc.marks), warnings)


def _version() -> str:
    from .. import __version__

    return __version__


def _reportlab_version() -> str:
    import reportlab

    return reportlab.Version


# ------------------------------------------------------------------ clean layout errors

def _week_file(report: Report) -> str:
    return report.places["week"].file


def _cover_too_long(report: Report, over: float, tf) -> Diagnostic:
    """week.yaml's key_points, with how much is over and what to shorten."""
    file, line, col = report.places["key_points"]
    leading = tf.style("cover_point")[0].leading
    lines = -(-over // leading)
    return Diagnostic(file, line, col,
                      f"key_points: the cover's key points and 风险提示 are {over:.0f} pt (about "
                      f"{lines:.0f} line{'s' if lines != 1 else ''}) longer than the cover has room for; "
                      f"shorten the `summary` of some of the {len(report.key_points)} key points' "
                      "entries, or list fewer key points")


def _tag(flowables, origin: Origin) -> None:
    for f in flowables:
        try:
            f._content_origin = origin
        except AttributeError:  # a flowable with __slots__: it inherits the previous origin
            pass


def _fig_dests(f) -> list[str]:
    """Destinations of the figure captions inside a flowable (KeepTogether, a figure row)."""
    if isinstance(f, Marked):
        return [f.dest] if f.dest.startswith("fig-") else []
    if isinstance(f, (list, tuple)):
        return [d for x in f for d in _fig_dests(x)]
    if isinstance(f, KeepTogether):
        return _fig_dests(f._content)
    if isinstance(f, Float):
        return _fig_dests(f.content)
    if isinstance(f, Sideways):
        return _fig_dests(f.inner)
    if isinstance(f, Table):
        return [d for row in f._cellvalues for cell in row for d in _fig_dests(cell)]
    return []


def _tag_body(report: Report, story: list, week_file: str) -> None:
    """Tag every top-level flowable of the body with its entry file and figure(s)."""
    files = {item.dest: item.file for sec in report.sections for item in sec.items}
    by_dest = {info.dest: info for info in report.figures.values()}
    file, figures = week_file, ()
    for f in story:
        if isinstance(f, Marked) and not f.dest.startswith("fig-"):
            file, figures = files.get(f.dest, week_file), ()
        else:
            dests = _fig_dests(f)
            if dests:
                figures = tuple(by_dest[d].id for d in dests if d in by_dest)
            elif not isinstance(f, Table):  # a long table follows its caption
                figures = ()
        _tag([f], Origin(file, figures))


class _GuardedFigures(FigureBuilder):
    """Figures whose construction fails report the figure, not a traceback."""

    tables: dict  # figure id -> its table flowables as built (before any split)

    def __init__(self, report: Report, tf, chart_renderer, memo=None):
        super().__init__(report, tf, chart_renderer)
        #: tables built in earlier builds of a watch, by their figure, width, styles, fonts
        #: and the figures' labels (a cell may refer to one)
        self.memo = memo
        self.context = (repr(tf.styles), tuple(id(c) for c in tf.fonts.values()),
                        tuple((fid, report.figure_label(fid), info.dest) for fid, info in report.figures.items())) \
            if memo is not None else None

    def body(self, fig, width):
        if self.memo is not None and isinstance(fig, TableFigure):
            made, warnings, fonts = self.memo.get((repr(fig), width, self.context),
                                                  lambda: self._built(fig, width))
            if fonts != tuple(self.tf.fonts.values()):  # another chain at a forgotten one's address
                made, warnings, fonts = self._built(fig, width)
            self.warnings.extend(warnings)
        else:
            made = super().body(fig, width)
        self.tables = getattr(self, "tables", {})
        self.tables[fig.id] = _tables_in(made)
        return made

    def _built(self, fig, width):
        """The figure's body as built, with the warnings building it gave."""
        n = len(self.warnings)
        made = super().body(fig, width)
        warnings = tuple(self.warnings[n:])
        del self.warnings[n:]
        return made, warnings, tuple(self.tf.fonts.values())

    def block(self, fig, width):
        with _clean_errors(self.report, _fig_origin(self.report, fig.id)):
            return super().block(fig, width)

    def row(self, figs, width):
        with _clean_errors(self.report, _fig_origin(self.report, *[f.id for f in figs])):
            return super().row(figs, width)


def _fig_origin(report: Report, *ids: str) -> Origin:
    info = report.figures.get(ids[0]) if ids else None
    return Origin(info.file if info else _week_file(report), tuple(ids))


def _guarded_charts(report: Report, chart_renderer: Callable) -> Callable:
    """The chart renderer, with matplotlib's refusals (when the chart is asked for, or
    when its PNG is waited for) turned into a diagnostic at the figure."""
    def draw(fig, width):
        source = guarded(fig, lambda: chart_renderer(fig, width))
        return lambda: guarded(fig, source)

    def guarded(fig, call):
        try:
            return call()
        except (Failed, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - matplotlib refusing the content
            text = " ".join(str(exc).split())
            hint = ""
            if "$" in "".join(_chart_texts(fig)):
                hint = (" (matplotlib reads text between two '$' as a formula; avoid '$' in the "
                        "chart's categories, series names, labels and unit)")
            elif isinstance(exc, ValueError) and ("Inf" in text or "NaN" in text):
                hint = " (every value must be a finite number)"
            raise Failed([_at_figure(report, fig.id, f"the chart cannot be drawn: {text}{hint}")]) from None

    return draw


def _chart_texts(fig) -> list[str]:
    return [*fig.categories, *(s.name for s in fig.series), fig.x_label or "", fig.y_label or "",
            fig.unit or ""]


class _clean_errors:
    """Context manager: any exception but `Failed`/KeyboardInterrupt becomes a diagnostic."""

    def __init__(self, report: Report, origin: Origin):
        self.report, self.origin = report, origin

    def __enter__(self):
        return self

    def __exit__(self, et, exc, tb):
        if exc is None or not isinstance(exc, Exception) or isinstance(exc, Failed):
            return False
        raise Failed([_diagnostic(self.report, self.origin, exc)]) from None


def _figure_place(report: Report, fig_id: str) -> tuple[str, int, int, str]:
    """(file, line, col, kind) of a figure: the report model carries them (the layout never
    reads YAML)."""
    info = report.figures[fig_id]
    return info.file, info.line, info.col, info.place


def _at_figure(report: Report, fig_id: str, message: str) -> Diagnostic:
    info = report.figures.get(fig_id)
    if info is None:
        return Diagnostic(_week_file(report), 0, 0, message)
    file, line, col, _kind = _figure_place(report, fig_id)
    return Diagnostic(file, line, col, f"图表 {info.number} ('{fig_id}'): {message}")


_IDENT = re.compile(r"\s+")


def _tables_in(f) -> list:
    if isinstance(f, (list, tuple)):
        return [t for x in f for t in _tables_in(x)]
    if isinstance(f, KeepTogether):
        return _tables_in(f._content)
    return [f] if hasattr(f, "body_cells") else []


def _tall_row(report: Report, current) -> int | None:
    """The index of the first body row of the table in `current` that, under its header,
    is taller than a page's frame (None if there is none)."""
    page = report.styles.theme.page
    room = A4[1] - page.margin_top - page.margin_bottom
    for t in _tables_in(current):
        pad, vpad = t.cell_pads

        def height(cells) -> float:
            return max([c.wrap(w - 2 * pad, room * 4)[1] for c, w in zip(cells, t.col_widths) if c != ""]
                       or [0]) + 2 * vpad
        head = sum(height(r) for r in t.head_cells)
        for i, cells in enumerate(t.body_cells):
            if head + height(cells) > room:
                return i
    return None


def _diagnostic(report: Report, origin: Origin, exc: BaseException, page: int | None = None,
                tables: dict | None = None) -> Diagnostic:
    """A diagnostic for an exception raised while laying out the content of `origin`."""
    week = report.week.week
    detail = _IDENT.sub(" ", str(exc)).strip()
    if len(detail) > 300:
        detail = detail[:300] + "..."
    if isinstance(exc, LayoutError):
        if origin.figures:
            fig_id = origin.figures[0]
            _file, _line, _col, kind = _figure_place(report, fig_id)
            if len(origin.figures) > 1 or "figure_row" in kind:
                what = ("the figures side by side are taller than a page; shorten their text, or give "
                        "them as two separate `figure` blocks")
            elif kind.startswith("table"):
                what = ("a row of this table is taller than a page (a table breaks only between rows); "
                        "shorten the text of its cells or split the row")
                info = report.figures[fig_id]
                row = _tall_row(report, (tables or {}).get(fig_id, []))
                if row is not None and row < len(info.rows):
                    where, line, col = info.rows[row]
                    return Diagnostic(info.file, line, col, f"{where}: this row of 图表 {info.number} "
                                      f"('{fig_id}') is taller than a page (a table breaks only between "
                                      "rows); shorten the text of its cells or split the row")
            else:
                what = f"this {kind or 'figure'} is taller than a page; shorten its text"
            return _at_figure(report, fig_id, what)
        on_page = f" (page {page})" if page else ""
        return Diagnostic(origin.file, 0, 0,
                          f"week {week}: some content is too large to fit on a page{on_page}; "
                          f"shorten it ({detail})")
    where = f"week {week}" + (f", page {page}" if page else "")
    if origin.figures:
        info = report.figures.get(origin.figures[0])
        if info is not None:
            file, line, col, _kind = _figure_place(report, info.id)
            return Diagnostic(file, line, col,
                              f"internal error laying out 图表 {info.number} ('{info.id}') of {where}: "
                              f"{type(exc).__name__}: {detail}; this is a bug in authoring, please "
                              "report it with this file")
    return Diagnostic(origin.file, 0, 0,
                      f"internal error laying out {where}: {type(exc).__name__}: {detail}; "
                      "this is a bug in authoring, please report it with this file")


def _painter(tf, form_styles, wanted):
    paint = frontmatter.page_number_painter(tf, form_styles)

    def run(canv, marks):
        missing = wanted - set(marks)
        if missing:  # a target never drawn: still define the form so the PDF is valid
            marks = {**marks, **{m: 0 for m in missing}}
        paint(canv, {k: v for k, v in marks.items() if k in wanted})

    return run
