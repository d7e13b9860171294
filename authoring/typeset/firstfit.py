"""First-fit line filling: the fallback for text the total-fit breaker cannot set (a
token wider than the line, a line with nothing to stretch).

Lines are filled greedily; the break candidates are tried by level: BudouX phrases
(headings), normal breaks, emergency breaks inside a token longer than the line (after
a hyphen or slash, from UAX #14), and finally any character boundary that respects
kinsoku.  A line that fits only with its final stop set half width is pushed in.
"""

from __future__ import annotations

from bisect import bisect_right

from .breaks import emergency_breaks
from .chars import NO_END, NO_START, RIGHT_BLANK
from .linebreak import EPS, Line, Metrics, _content_end, _line, _skip_spaces, line_width


def greedy_lines(
    m: Metrics,
    widths_avail: list,
    phrase_wrap: bool = False,
    start: int = 0,
    stop: int | None = None,
    memo=None,
) -> list[Line]:
    """First-fit filling, the fallback for text the total-fit breaker cannot set:
    break candidates tried by level (BudouX phrases, normal breaks, emergency breaks
    inside a token longer than the line, any boundary that respects kinsoku)."""
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
                        jj = _emergency(m, a, k, avail, nxt, memo)
                        if jj is not None and jj > nxt:
                            j, emergency = jj, True
            else:
                j = _emergency(m, a, k, avail, a, memo)
                emergency = True
                if j is None:
                    j = _char_break(m, a, k, avail, hard)
            e = _content_end(cls, a, j)
        squeeze = _fit(m, a, e, avail) or 0.0
        is_forced = j == hard and 0 < j and cls[j - 1] == "N"
        lines.append(_line(m, a, e, j, avail, is_forced, False, emergency, squeeze))
        a = _skip_spaces(cls, j, n)
    if lines and n == full:
        lines[-1].last = True
    return lines


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


def _emergency(m: Metrics, a: int, k: int, avail: float, lo: int, memo=None):
    """The furthest emergency break in (lo, k] whose line fits, or None (`memo`: the
    build's `breakmemo.BreakMemo`, for the UAX #14 boundaries)."""
    an = m.an
    if k <= lo:
        return None
    for j in reversed(emergency_breaks(an.text, an.cls, lo, k, memo=memo)):
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
