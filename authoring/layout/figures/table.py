"""Table figures, set as a typesetter sets them.

Column widths come from the content: at least the widest unbreakable token of a column,
at most its natural width, the room left over to the columns whose text wraps.  Column
titles break only between words, after a hyphen inside a name or between Chinese
phrases, never leaving one character alone, and align like their column.  Number ranges
are never broken, an empty cell prints the theme's missing-value mark (an en dash).  A
table wider than the column shrinks its font down to the theme's minimum; past that the
caller is told, to warn with the figure's place.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, NamedTuple

from reportlab.lib.colors import HexColor
from reportlab.platypus import Table, TableStyle

from ...model import records
from ...typeset import analyze
from ..paragraph import Run, string_width
from ..text import TextFactory


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


class ReportTable(Table):
    """reportlab's Table.  A watch keeps the tables of unchanged figures between builds
    (authoring.memo.LayoutMemo); wrapped again with the size of its last wrap, such a table
    returns what that wrap returned (nothing else changes its state in between)."""

    _wrapped = None  # ((width, height) asked, what wrap returned)

    def wrap(self, aw, ah):
        if self._wrapped is not None and self._wrapped[0] == (aw, ah):
            return self._wrapped[1]
        got = super().wrap(aw, ah)
        self._wrapped = ((aw, ah), got)
        return got


def draw(fig: records.TableFigure, figs, width: float) -> Table:
    """The figure's table; a table too wide even at the smallest font is a warning."""
    return table(fig, figs.tf, width, lambda message: figs.warn(fig, message))


def table(fig: records.TableFigure, tf: TextFactory, width: float,
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
        cols = [records.Column(title=fig.group_title or "", align="left", width=None)] + cols
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

    rules = s.theme.table

    def cell(text, j, head, size, group_row=False):
        if text == "":
            return ""
        leading = round(size * rules.leading, 1)
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
        got = _column_widths(cols, data, nh, head_rows, width, pad, size, memo=tf.break_memo)
        if not got.fits:  # short titles may break at a phrase too
            got = _column_widths(cols, data, nh, head_rows, width, pad, size, strict=False,
                                 memo=tf.break_memo)
        if got.fits or size <= lay.table_min_font or fig.font_size:
            break
        size = max(lay.table_min_font, size - rules.shrink_step)
    font = tf.font("sans-bold")
    for j, text in enumerate(head_rows[-1]):
        if text:
            lines = wrap_header(text, font, size, got.widths[j] - 2 * pad, tf.break_memo)
            data[nh - 1][j] = cell(lines, j, True, size)
    if not got.fits and on_too_wide is not None:
        on_too_wide(f"the table is wider than the column even at {size:g} pt, so long names "
                    f"break inside; give it fewer columns, a smaller `font_size` (not below "
                    f"{lay.table_min_font:g}), or `landscape: true` to set it on a page of its own "
                    "turned sideways")
    vpad = lay.table_cell_vpad

    def color(name: str):
        return HexColor(s.color(name))

    style = [
        ("BACKGROUND", (0, 0), (-1, nh - 1), color(rules.head_color)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), vpad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), vpad),
        ("LINEBELOW", (0, nh - 1), (-1, nh - 1), rules.head_rule, color(rules.head_rule_color)),
        ("LINEBELOW", (0, nh), (-1, -1), rules.row_rule, color(rules.row_rule_color)),
        ("LINEBELOW", (0, -1), (-1, -1), rules.bottom_rule, color(rules.bottom_rule_color)),
    ]
    if nh > 1:
        style.append(("LINEBELOW", (0, 0), (-1, nh - 2), rules.head_group_rule,
                      color(rules.head_group_rule_color)))
    style += spans
    stripe = color(rules.stripe_color)
    if grouped:
        for a, b in group_rows:
            if b > a:
                style.append(("SPAN", (0, nh + a), (0, nh + b)))
            style.append(("LINEBELOW", (0, nh + b), (-1, nh + b), rules.group_rule, color(rules.group_rule_color)))
            style.append(("BACKGROUND", (0, nh + a), (0, nh + b), stripe))
    else:
        for i in range(len(body)):
            if i % 2 == 1:
                style.append(("BACKGROUND", (0, nh + i), (-1, nh + i), stripe))
    t = ReportTable(data, colWidths=got.widths, repeatRows=nh,
                    style=TableStyle([("FONTNAME", (0, 0), (-1, -1), tf.font_name("sans"))] + style),
                    hAlign="CENTER", splitByRow=1)
    # what a message needs to name the row that cannot fit a page (errors._tall_row)
    t.head_cells, t.body_cells, t.col_widths, t.cell_pads = data[:nh], data[nh:], got.widths, (pad, vpad)
    return t


_HEADER_CUT = re.compile(r"(?<= )|(?<=[A-Za-z0-9]-)(?=[A-Za-z0-9])")


def header_pieces(text: str, memo=None) -> list[str]:
    """Where a column title may break: after a space, after a hyphen inside a name
    (Qwen3-|235B-|A22B) and between Chinese phrases (BudouX); a one-character piece joins
    its neighbour, so no line of a header is one character alone.  `memo`: the build's
    `authoring.typeset.BreakMemo` (the title's analysis is the one its cell uses)."""
    cuts = {m.start() for m in _HEADER_CUT.finditer(text)}
    an = analyze(text, True, memo)
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


def wrap_header(text: str, font, size: float, width: float, memo=None) -> str:
    """The title's lines (joined by newlines) for a column `width` wide: the fewest lines,
    as even as possible, breaking only between `header_pieces`."""
    pieces = header_pieces(text, memo)

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


def _header_min(para, text: str, size: float, strict: bool = True, memo=None) -> float:
    """A short title (up to four characters' width) does not break unless the table needs
    it (`strict` False); a longer one needs its widest piece (see `header_pieces`)."""
    nat = para.natural_width()
    if strict and nat <= 4 * size:
        return nat
    font = para.runs[0].font
    return min(nat, max(string_width(p.strip(), font, size) for p in header_pieces(text, memo)))


def _column_widths(cols, data, nh: int, head_rows, width: float, pad: float, size: float,
                   strict: bool = True, memo=None) -> TableLayout:
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
            lo = _header_min(p, text, size, strict, memo) if i < nh else p.minWidth()
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
