"""Layout errors as diagnostics: content never crashes the layout with a traceback.

Every top-level flowable of the body is tagged with where it came from (`tag_body`: the
entry file and, for figures, the figure); a figure that cannot be drawn, or a flowable too
large for a page (reportlab's `LayoutError`), becomes a `Failed` diagnostic naming the
entry file, the line of the figure and what to change.  Any other exception inside
reportlab or matplotlib becomes an "internal error" diagnostic that still names the place
(a bug to report, not a traceback).
"""

from __future__ import annotations

import re
from typing import Callable

from reportlab.platypus import KeepTogether, Table
from reportlab.platypus.doctemplate import LayoutError

from ..diagnostics import Diagnostic, Failed
from ..model.report import Report
from . import labels, rlcompat
from .document import Marked, Origin, body_height
from .figures import FigureBuilder, Sideways
from .floats import Float


def week_file(report: Report) -> str:
    return report.places["week"].file


def cover_too_long(report: Report, over: float, tf) -> Diagnostic:
    """week.yaml's key_points (where the report says they are written), with how much is
    over and what to shorten."""
    file, line, col = report.places["key_points"]
    leading = tf.style("cover_point")[0].leading
    lines = -(-over // leading)
    return Diagnostic(file, line, col,
                      f"key_points: the cover's key points and {labels.RISK_TITLE} are {over:.0f} pt (about "
                      f"{lines:.0f} line{'s' if lines != 1 else ''}) longer than the cover has room for; "
                      f"shorten the `summary` of some of the {len(report.key_points)} key points' "
                      "entries, or list fewer key points")


def tag(flowables, origin: Origin) -> None:
    for f in flowables:
        try:
            f.content_origin = origin
        except AttributeError:  # a flowable with __slots__: it inherits the previous origin
            pass


def _fig_dests(f) -> list[str]:
    """Destinations of the figure captions inside a flowable (KeepTogether, a figure row)."""
    if isinstance(f, Marked):
        return [f.dest] if f.dest.startswith("fig-") else []
    if isinstance(f, (list, tuple)):
        return [d for x in f for d in _fig_dests(x)]
    if isinstance(f, KeepTogether):
        return _fig_dests(rlcompat.kept_flowables(f))
    if isinstance(f, Float):
        return _fig_dests(f.content)
    if isinstance(f, Sideways):
        return _fig_dests(f.inner)
    if isinstance(f, Table):
        return [d for row in rlcompat.table_cells(f) for cell in row for d in _fig_dests(cell)]
    return []


def tag_body(report: Report, story: list, week_file: str) -> None:
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
        tag([f], Origin(file, figures))


class GuardedFigures(FigureBuilder):
    """Figures whose construction fails report the figure, not a traceback."""

    def __init__(self, report: Report, tf, chart_renderer, memo=None):
        super().__init__(report, tf, chart_renderer)
        self.tables: dict = {}  # figure id -> its table flowables as built (before any split)
        #: tables built in earlier builds of a watch, by their figure, width, styles, fonts
        #: and the figures' labels (a cell may refer to one)
        self.memo = memo
        self.context = (repr(tf.styles), tuple(id(c) for c in tf.fonts.values()),
                        tuple((fid, labels.FIGURE_REF.format(info.number), info.dest) for fid, info in report.figures.items())) \
            if memo is not None else None

    def body(self, fig, width):
        if self.memo is not None and fig.kind == "table":
            made, warnings, fonts = self.memo.get((repr(fig), width, self.context),
                                                  lambda: self._built(fig, width))
            if fonts != tuple(self.tf.fonts.values()):  # another chain at a forgotten one's address
                made, warnings, fonts = self._built(fig, width)
            self.warnings.extend(warnings)
        else:
            made = super().body(fig, width)
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
        with clean_errors(self.report, _fig_origin(self.report, fig.id)):
            return super().block(fig, width)

    def row(self, figs, width):
        with clean_errors(self.report, _fig_origin(self.report, *[f.id for f in figs])):
            return super().row(figs, width)


def _fig_origin(report: Report, *ids: str) -> Origin:
    info = report.figures.get(ids[0]) if ids else None
    return Origin(info.file if info else week_file(report), tuple(ids))


def guarded_charts(report: Report, chart_renderer: Callable) -> Callable:
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
            raise Failed([at_figure(report, fig.id, f"the chart cannot be drawn: {text}{hint}")]) from None

    return draw


def _chart_texts(fig) -> list[str]:
    return [*fig.categories, *(s.name for s in fig.series), fig.x_label or "", fig.y_label or "",
            fig.unit or ""]


class clean_errors:
    """Context manager: any exception but `Failed`/KeyboardInterrupt becomes a diagnostic."""

    def __init__(self, report: Report, origin: Origin):
        self.report, self.origin = report, origin

    def __enter__(self):
        return self

    def __exit__(self, et, exc, tb):
        if exc is None or not isinstance(exc, Exception) or isinstance(exc, Failed):
            return False
        raise Failed([diagnostic(self.report, self.origin, exc)]) from None


def _figure_place(report: Report, fig_id: str) -> tuple[str, int, int, str]:
    """(file, line, col, kind) of a figure: the report model carries them (the layout never
    reads YAML)."""
    info = report.figures[fig_id]
    return info.file, info.line, info.col, info.place


def at_figure(report: Report, fig_id: str, message: str) -> Diagnostic:
    info = report.figures.get(fig_id)
    if info is None:
        return Diagnostic(week_file(report), 0, 0, message)
    file, line, col, _kind = _figure_place(report, fig_id)
    return Diagnostic(file, line, col, f"{labels.FIGURE_REF.format(info.number)} ('{fig_id}'): {message}")


_IDENT = re.compile(r"\s+")


def _tables_in(f) -> list:
    if isinstance(f, (list, tuple)):
        return [t for x in f for t in _tables_in(x)]
    if isinstance(f, KeepTogether):
        return _tables_in(rlcompat.kept_flowables(f))
    return [f] if hasattr(f, "body_cells") else []


def _tall_row(report: Report, current) -> int | None:
    """The index of the first body row of the table in `current` that, under its header,
    is taller than a page's frame (None if there is none)."""
    room = body_height(report.styles.theme)
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


def diagnostic(report: Report, origin: Origin, exc: BaseException, page: int | None = None,
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
                    return Diagnostic(info.file, line, col, f"{where}: this row of {labels.FIGURE_REF.format(info.number)} "
                                      f"('{fig_id}') is taller than a page (a table breaks only between "
                                      "rows); shorten the text of its cells or split the row")
            else:
                what = f"this {kind or 'figure'} is taller than a page; shorten its text"
            return at_figure(report, fig_id, what)
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
                              f"internal error laying out {labels.FIGURE_REF.format(info.number)} ('{info.id}') of {where}: "
                              f"{type(exc).__name__}: {detail}; this is a bug in authoring, please "
                              "report it with this file")
    return Diagnostic(origin.file, 0, 0,
                      f"internal error laying out {where}: {type(exc).__name__}: {detail}; "
                      "this is a bug in authoring, please report it with this file")
