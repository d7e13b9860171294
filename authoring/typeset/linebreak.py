"""Greedy line breaking and glyph placement for Chinese/Latin text (clreq).

Pure: works from an :class:`~authoring.typeset.breaks.Analysis`, the natural advance
of every character (points) and the font size of every character (for em-based
amounts).  No reportlab here.

Metrics of a paragraph (:class:`Metrics`):

* ``adv[i]``: the advance of character i inside a line (natural width minus the
  punctuation compression of clreq 3.1.6);
* ``gap[i]``: the fixed space before character i (the Han–Latin gap, 0 elsewhere);
* ``pre[i]``: prefix sums, so that the width of characters a..e-1 on one line is
  ``pre[e] - pre[a] - gap[a] - lead[a] + restore[e-1]`` (a gap at the line start
  disappears; an opening bracket starting a line is set half-width; a punctuation mark
  compressed because of what follows it gets its full width back at the line end).

Lines are filled greedily (first fit, the usual practice for Chinese); the break
candidates are tried by level: BudouX phrases (headings), normal breaks, emergency
breaks inside a token longer than the line (after a hyphen or slash, from UAX #14),
and finally any character boundary that respects kinsoku.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

from .breaks import Analysis, emergency_breaks
from .chars import LEFT_BLANK, NO_END, NO_START, RIGHT_BLANK

EPS = 1e-6


@dataclass(slots=True)
class Metrics:
    an: Analysis
    widths: list  # natural advance of each character, points
    sizes: list  # font size of each character
    adv: list
    gap: list
    pre: list
    restore: dict  # char index -> points given back at a line end
    max_size: float = 0.0
    #: char index -> points an opening bracket loses when it starts a line (its blank
    #: left half; never at the paragraph's start, where the indent is meant)
    lead: dict = None


def measure(an: Analysis, widths: list, sizes: list, han_latin_space: float = 0.25,
            trim_line_start: bool = True) -> Metrics:
    n = len(an.text)
    adv = list(widths)
    restore = {}
    for i, f in an.comp_right.items():
        d = f * sizes[i]
        adv[i] -= d
        restore[i] = d
    for i, f in an.comp_left.items():
        adv[i] -= f * sizes[i]
    gap = [0.0] * n
    if han_latin_space:
        cls = an.cls
        for j in an.gaps:
            # the em of the Han side
            k = j - 1 if cls[j - 1] == "H" else j
            gap[j] = han_latin_space * sizes[k]
    pre = [0.0]
    pre.extend(accumulate(map(float.__add__, map(float, gap), map(float, adv))))
    lead = {}
    if trim_line_start:
        text = an.text
        for i, c in enumerate(an.cls):
            if c == "O" and i > 0 and text[i] in LEFT_BLANK and i not in an.comp_left:
                lead[i] = 0.5 * sizes[i]
    return Metrics(an, widths, sizes, adv, gap, pre, restore, max(sizes, default=0.0), lead)


@dataclass(slots=True)
class Line:
    start: int  # first character
    end: int  # one past the last character drawn (trailing spaces/newline excluded)
    next: int  # where the next line starts (before skipping its leading spaces)
    width: float  # natural width
    avail: float  # width available to the line
    forced: bool  # ends with a forced break (newline)
    last: bool  # last line of the paragraph
    expand: int  # number of boundaries that justification may stretch
    emergency: bool = False  # broken inside a token (last resort)
    squeeze: float = 0.0  # the final punctuation is set half-width by this much (push-in)
    spaces: int = 0  # word spaces inside the line
    gaps: int = 0  # Han–Latin gaps inside the line

    def text(self, an: Analysis) -> str:
        return an.text[self.start : self.end]


def _count(pos, a: int, e: int) -> int:
    """How many of the sorted positions `pos` lie strictly between a and e."""
    return bisect_left(pos, e) - bisect_right(pos, a)


def _line(m: Metrics, a: int, e: int, j: int, avail: float, forced: bool, last: bool,
          emergency: bool, squeeze: float) -> Line:
    an = m.an
    return Line(a, e, j, line_width(m, a, e), avail, forced, last, _count(an.expand_pos, a, e),
                emergency, squeeze, _count(an.spaces, a, e), _count(an.gaps, a, e))


def line_width(m: Metrics, a: int, e: int) -> float:
    if e <= a:
        return 0.0
    return m.pre[e] - m.pre[a] - m.gap[a] - m.lead.get(a, 0.0) + m.restore.get(e - 1, 0.0)


def _content_end(cls: str, a: int, j: int) -> int:
    while j > a and cls[j - 1] in "SN":
        j -= 1
    return j


def _skip_spaces(cls: str, j: int, n: int) -> int:
    while j < n and cls[j] == "S":
        j += 1
    return j


def break_lines(
    m: Metrics,
    widths_avail: list | float,
    phrase_wrap: bool = False,
    start: int = 0,
    stop: int | None = None,
) -> list[Line]:
    """Break characters start..stop-1 of the paragraph into lines.

    `widths_avail` is the available width of each line (the last value repeats), or
    one number for all lines.  The last line is marked `last` (not justified) only
    when `stop` is the end of the paragraph.
    """
    an = m.an
    text, cls = an.text, an.cls
    full = len(text)
    n = full if stop is None else min(stop, full)
    if isinstance(widths_avail, (int, float)):
        widths_avail = [float(widths_avail)]
    pre, gap = m.pre, m.gap
    normal = an.breaks
    levels = []
    if phrase_wrap and an.phrases is not None:
        levels.append(an.phrases)
    levels.append(normal)
    forced = an.forced

    lines: list[Line] = []
    a = _skip_spaces(cls, start, n)
    while a < n:
        avail = widths_avail[min(len(lines), len(widths_avail) - 1)]
        # the end of this "hard" segment: next forced break or the text end
        fi = bisect_right(forced, a)
        hard = min(forced[fi], n) if fi < len(forced) else n
        hard_end = _content_end(cls, a, hard)
        limit = pre[a] + gap[a] + m.lead.get(a, 0.0) + avail + 0.5 * m.max_size + EPS  # + squeeze
        k = bisect_right(pre, limit) - 1  # furthest content end that fits (ignoring restore)
        emergency = False
        if hard_end <= k and _fit(m, a, hard_end, avail) is not None:
            j, e = hard, hard_end
        else:
            j = _pick(m, levels, a, k, avail, hard)
            if j is not None:
                # does a too-long token follow?  Then break it here rather than leave
                # a nearly empty line.
                e = _content_end(cls, a, j)
                nxt = _skip_spaces(cls, j, n)
                if nxt < hard:
                    ni = bisect_right(normal, nxt)
                    j2 = normal[ni] if ni < len(normal) and normal[ni] < hard else hard
                    e2 = _content_end(cls, nxt, j2)
                    avail2 = widths_avail[min(len(lines) + 1, len(widths_avail) - 1)]
                    if line_width(m, nxt, e2) > avail2 + EPS:
                        jj = _emergency(m, a, k, avail, nxt)
                        if jj is not None and jj > nxt:
                            j, emergency = jj, True
            else:
                j = _emergency(m, a, k, avail, a)
                emergency = True
                if j is None:
                    j = _char_break(m, a, k, avail, hard)
            e = _content_end(cls, a, j)
        width = line_width(m, a, e)
        squeeze = _fit(m, a, e, avail) or 0.0
        is_forced = j == hard and 0 < j and cls[j - 1] == "N"
        lines.append(_line(m, a, e, j, avail, is_forced, False, emergency, squeeze))
        a = _skip_spaces(cls, j, n)
    if lines and n == full:
        lines[-1].last = True
    if not phrase_wrap and len(lines) > 1:
        lines = _rebalance_all(m, lines, widths_avail)
    return lines


# --- rebalancing loose lines ------------------------------------------------------------
#
# Greedy filling is right for Chinese text except where an unbreakable token (a model
# name, a URL) or a kinsoku push-out leaves one line with a large slack: justified, that
# line shows wide letter-spacing.  Then the lines of its segment (between forced breaks)
# are re-broken by dynamic programming, keeping their number, so that the slack is shared
# by several lines (Knuth-Plass in spirit, squared stretch per gap as the cost).

LOOSE = 0.08  # em added per expandable gap above which a line counts as loose
_LINE_PENALTY = 1e6  # keeps the number of lines of the greedy solution


def _stretch(m: Metrics, line: Line) -> float:
    """The letter-spacing (em) that justifying `line` would add between characters."""
    slack = line.avail - (line.width - line.squeeze)
    if slack <= EPS:
        return 0.0
    if line.expand == 0:
        return 10.0
    _t1, _t2, e = _tiers(m, line.start, slack, line.spaces, line.gaps, line.expand)
    return e / (m.sizes[line.start] or 1.0)


def _rebalance_all(m: Metrics, lines: list, widths_avail: list) -> list:
    out: list = []
    i = 0
    while i < len(lines):
        k = i
        while not (lines[k].forced or lines[k].last) and k + 1 < len(lines):
            k += 1
        seg = lines[i : k + 1]
        if (
            len(seg) > 1
            and not any(ln.emergency for ln in seg)
            and any(_stretch(m, ln) > LOOSE for ln in seg[:-1])
        ):
            better = _rebalance(m, seg, widths_avail, i)
            if better is not None:
                seg = better
        out.extend(seg)
        i = k + 1
    return out


def _rebalance(m: Metrics, seg: list, widths_avail: list, first_index: int):
    """Re-break the lines of `seg` (one segment between forced breaks, greedy result)
    minimising the squared stretch per gap; None when nothing better is found."""
    an = m.an
    cls, text = an.cls, an.text
    pre, gap, restore, sizes = m.pre, m.gap, m.restore, m.sizes
    exp_pos = an.expand_pos
    start = seg[0].start
    end_next = seg[-1].next  # the segment's end (a forced break or the text end)
    final = seg[-1]
    nlines = len(seg)
    nav = len(widths_avail)
    cands = list(an.breaks[bisect_right(an.breaks, start) : bisect_left(an.breaks, end_next)])
    if not cands:
        return None
    # no line of the new solution may be looser than the loosest greedy line
    smax = max(ln.avail - (ln.width - ln.squeeze) for ln in seg[:-1]) + EPS
    amin = min(widths_avail[min(first_index + k, nav - 1)] for k in range(min(nlines, 2)))
    amax = max(widths_avail[min(first_index + k, nav - 1)] for k in range(min(nlines, 2)))
    half = 0.5 * m.max_size
    full = len(cls)
    # line starts (after a break at order[i]) and their left edges
    A = [start]
    for c in cands:
        A.append(_skip_spaces(cls, c, full))
    lead = m.lead
    PA = [pre[x] + gap[x] + lead.get(x, 0.0) for x in A]
    ends = cands + [end_next]
    E = [_content_end(cls, 0, j) for j in cands] + [final.end]
    # best[i] = {line count: (cost, previous order index)} for lines starting at A[i]
    best: list = [None] * len(A)
    best[0] = {0: (0.0, -1)}
    fin_states: dict = {}
    for t, j in enumerate(ends):
        is_final = t == len(ends) - 1
        e = E[t]
        R = pre[e] + restore.get(e - 1, 0.0)
        rb = half if text[e - 1] in RIGHT_BLANK else 0.0
        lo = bisect_left(PA, R - amax - rb - EPS)
        hi = t if is_final else min(t, bisect_right(PA, R - amin + smax) - 1)
        states: dict = {}
        for i in range(lo, hi + 1):
            st_i = best[i]
            if not st_i:
                continue
            a = A[i]
            if e <= a:
                continue
            w = R - PA[i]
            for cnt, (cost, _p) in st_i.items():
                if cnt >= nlines:
                    continue
                avail = widths_avail[min(first_index + cnt, nav - 1)]
                if w <= avail + EPS:
                    sq = 0.0
                elif rb and w - rb <= avail + EPS and e > a + 1:
                    sq = rb
                else:
                    continue
                slack = avail - (w - sq)
                if is_final or slack <= EPS:
                    c = 0.0
                elif slack > smax:
                    continue
                else:
                    nexp = bisect_left(exp_pos, e) - bisect_right(exp_pos, a)
                    if nexp == 0:
                        c = 1e4 * (1 + slack)
                    else:
                        t1, t2, ex = _tiers(m, a, slack, _count(an.spaces, a, e), _count(an.gaps, a, e), nexp)
                        em = sizes[a] or 1.0
                        r = 100.0 * ex / em
                        r2 = 30.0 * max(t1, t2) / em
                        c = r * r + r2 * r2
                if sq:
                    c += 1e3
                c += cost + _LINE_PENALTY
                old = states.get(cnt + 1)
                if old is None or c < old[0]:
                    states[cnt + 1] = (c, i)
        if is_final:
            fin_states = states
        elif states:
            best[t + 1] = states
    fin = fin_states.get(nlines)
    if fin is None:
        return None
    # walk back
    chosen = []
    t, cnt = len(ends) - 1, nlines
    i = fin[1]
    while True:
        chosen.append(t)
        if i == 0:
            break
        t = i - 1  # the line starting at A[i] follows the break ends[i - 1]
        cnt -= 1
        i = best[i][cnt][1]
    chosen.reverse()
    new = []
    a = start
    for no, t in enumerate(chosen):
        j = ends[t]
        is_final = t == len(ends) - 1
        e = E[t]
        avail = widths_avail[min(first_index + no, nav - 1)]
        sq = _fit(m, a, e, avail) or 0.0
        new.append(
            _line(m, a, e, j, avail, final.forced if is_final else False,
                  final.last if is_final else False, False, sq)
        )
        a = A[t + 1] if t + 1 < len(A) else a
    return new


def _fit(m: Metrics, a: int, e: int, avail: float):
    """None if characters a..e-1 do not fit in `avail`, else the squeeze: 0, or half an
    em when the line fits only with its final punctuation set half-width (push-in)."""
    w = line_width(m, a, e)
    if w <= avail + EPS:
        return 0.0
    if e > a + 1:
        ch = m.an.text[e - 1]
        if ch in RIGHT_BLANK:
            half = 0.5 * m.sizes[e - 1]  # the blank half of the glyph
            if w - half <= avail + EPS:
                return half
    return None


def _pick(m: Metrics, levels, a: int, k: int, avail: float, hard: int):
    """The furthest normal break position j (a < j < hard) whose line fits."""
    cls = m.an.cls
    for cands in levels:
        # j may exceed k by the trailing spaces it drops
        idx = bisect_right(cands, k + 1) - 1
        while idx >= 0:
            j = cands[idx]
            if j <= a:
                break
            if j < hard:
                e = _content_end(cls, a, j)
                if _fit(m, a, e, avail) is not None:
                    return j
            idx -= 1
    return None


def _emergency(m: Metrics, a: int, k: int, avail: float, lo: int):
    """The furthest emergency break in (lo, k] whose line fits, or None."""
    an = m.an
    if k <= lo:
        return None
    for j in reversed(emergency_breaks(an.text, an.cls, lo, k)):
        if j > lo and _fit(m, a, _content_end(an.cls, a, j), avail) is not None:
            return j
    return None


def _char_break(m: Metrics, a: int, k: int, avail: float, hard: int) -> int:
    """The furthest boundary in (a, k] that fits, respecting kinsoku where possible;
    at least one character."""
    cls = m.an.cls
    n = len(cls)
    k = min(max(k, a + 1), hard)
    first_fit = None
    for j in range(k, a, -1):
        if _fit(m, a, j, avail) is None:
            continue
        if first_fit is None:
            first_fit = j
        if j >= n or not (cls[j] in NO_START or cls[j - 1] in NO_END or cls[j] in "SN"):
            return j
    return first_fit if first_fit is not None else a + 1


# --- placement ---------------------------------------------------------------------------


def _tiers(m: Metrics, a: int, slack: float, n_space: int, n_gap: int, n_expand: int):
    """Share `slack` by clreq's order of expansion (拉伸处理的优先顺序): first the word
    spaces (up to half an em each), then the Han–Latin gaps (from a quarter up to half
    an em), then evenly between all characters.  Returns (per space, per gap, per
    expandable boundary)."""
    em = m.sizes[a] or 1.0
    t1 = t2 = 0.0
    if n_space:
        j = m.an.spaces[bisect_right(m.an.spaces, a)]
        cap = max(0.0, 0.5 * em - m.widths[j])
        t1 = min(cap, slack / n_space)
        slack -= t1 * n_space
    if n_gap and slack > EPS:
        t2 = min(0.25 * em, slack / n_gap)
        slack -= t2 * n_gap
    e = slack / n_expand if n_expand and slack > EPS else 0.0
    return t1, t2, e


def justify(m: Metrics, line: Line, align: str) -> tuple[float, float, float]:
    """The space justification adds to `line`: (per word space, per Han–Latin gap, per
    expandable boundary); zeros when the line is not justified (alignment other than
    justify, the paragraph's last line, a line ended by a forced break, a line with no
    place to stretch)."""
    if align != "justify" or line.last or line.forced or line.expand == 0:
        return (0.0, 0.0, 0.0)
    slack = line.avail - (line.width - line.squeeze)
    if slack <= EPS:
        return (0.0, 0.0, 0.0)
    return _tiers(m, line.start, slack, line.spaces, line.gaps, line.expand)


def line_offset(line: Line, align: str) -> float:
    """x offset of the line inside its available width."""
    if align == "center":
        return max(0.0, (line.avail - line.width + line.squeeze) / 2)
    if align == "right":
        return max(0.0, line.avail - line.width + line.squeeze)
    return 0.0


def place(m: Metrics, line: Line, x0: float, extra=(0.0, 0.0, 0.0), splits=()) -> list[tuple]:
    """Glyph boxes of one line: ``(i0, i1, x, charspace)``.

    `extra` is what :func:`justify` returns.  Characters i0..i1-1 are drawn from x with
    `charspace` added after each glyph (PDF Tc).  A new box starts at every position in `splits` (run boundaries), at
    gaps, at compressed punctuation and wherever the spacing changes.
    """
    an = m.an
    widths, adv, gap = m.widths, m.adv, m.gap
    expand = an.expand
    comp_left = an.comp_left
    sizes = m.sizes
    cls = an.cls
    if isinstance(extra, (int, float)):
        extra = (0.0, 0.0, float(extra))
    t_space, t_gap, e_all = extra
    a, e = line.start, line.end
    if e <= a:
        return []
    boxes = []
    split_set = set(s for s in splits if a < s < e) if splits else ()
    pen = x0
    # first glyph
    gx = pen - (comp_left[a] * sizes[a] if a in comp_left else 0.0) - m.lead.get(a, 0.0)
    pen += adv[a] - m.lead.get(a, 0.0)
    box_i0, box_x, box_cs = a, gx, None
    prev_x, prev_w = gx, widths[a]
    for i in range(a + 1, e):
        g = gap[i]
        if g:
            pen += g + t_gap
        if expand[i]:
            pen += e_all
            if t_space and cls[i] == "S":
                pen += t_space
        gx = pen - (comp_left[i] * sizes[i] if i in comp_left else 0.0)
        pen += adv[i]
        cs = gx - prev_x - prev_w
        if -1e-9 < cs < 1e-9:
            cs = 0.0
        if i in split_set:
            new = True
        elif box_cs is None:
            box_cs = cs
            new = False
        else:
            new = abs(cs - box_cs) > 1e-6
        if new:
            boxes.append((box_i0, i, box_x, box_cs or 0.0))
            box_i0, box_x, box_cs = i, gx, None
        prev_x, prev_w = gx, widths[i]
    boxes.append((box_i0, e, box_x, box_cs or 0.0))
    return boxes
