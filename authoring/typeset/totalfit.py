"""Total-fit line breaking (Knuth–Plass), as Typst's `linebreak_optimized` does it.

Every break opportunity of the paragraph is a node; the cost of a line from one node
to another is its *badness* -- 100 |r|^3 for the glue ratio r its Han characters get
when the line is set justified (:func:`authoring.typeset.glue.ratios`: gaps, word spaces
and pauses stop at their caps) -- and the breaks chosen are those that minimise the sum
over the paragraph of (LINE_PENALTY + badness)^2 + penalty^2.  The penalties:

* a last line of one or two characters (``SHORT_LAST``);
* the last resorts, only in the second pass, which runs when no solution stays within
  ``MAX_RATIO``: a break after a hyphen or slash inside a token (a model name, a URL:
  ``EMERGENCY``), after a hyphen before a digit inside a long name ("ReasonIR-|8B", never a
  minus sign: ``EMERGENCY_DIGIT``), an English word hyphenated with a drawn hyphen
  (:mod:`.hyphenate`, ``EMERGENCY_HYPHEN``);
* a Latin-heavy justified paragraph hyphenates in the first pass, at ``HYPHEN``;
* for headings (phrase wrap): lines are balanced (the ragged slack counts on every
  line), breaks come from BudouX's phrase boundaries, a break before "——" is favoured,
  and no line holds a single character.

Lines are never shrunk beyond their glue (r >= -1).  A full-width mark ending a line
may be set half width (its blank half hangs); an opening bracket starting a line is
half width.  Ragged (left, centred, right) text is broken the same way with the slack
as badness, so that its lines come out even.

Only boundaries whose line could fit are looked at: the line starts are sorted by
their left edge, and for each line end two bisections give the few starts within
reach.  None is returned when the paragraph cannot be set (a token wider than the
line): the caller then fills greedily.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .breaks import emergency_breaks
from .chars import RIGHT_BLANK, TOKEN
from .glue import LEAST_CAP, ratios
from .hyphenate import hyphen_points, latin_heavy

EPS = 1e-6

LINE_PENALTY = 200.0  # high: the fewest lines the glue allows
SHRINK_COST = 0.3  # shrinking (CJK punctuation towards half width) is cheaper than stretching
MAX_RATIO = 7.5  # first pass: at most this ratio (Han spacing 0.15 em)
MAX_RATIO_2 = 1000.0  # second pass, with the breaks inside tokens: any looseness, at its cost
SHORT_LAST = 2000.0
EMERGENCY = 40000.0  # about the demerits of a line at MAX_RATIO
EMERGENCY_DIGIT = 44000.0  # after a hyphen before a digit ("Qwen3-|32B"): later
EMERGENCY_HYPHEN = 48000.0  # a hyphen drawn inside a word: later still than after a hyphen
HYPHEN = 300.0  # a Latin-heavy paragraph: a hyphenated line costs about a line more
DASH_BONUS = 40.0  # headings: a break before "——" (the series name) is favoured
RAGGED_LINE = 1000.0  # ragged text: the fewest lines first, then even ones


def _skip(cls: str, j: int, n: int) -> int:
    while j < n and cls[j] == "S":
        j += 1
    return j


def _cend(cls: str, a: int, j: int) -> int:
    while j > a and cls[j - 1] in "SN":
        j -= 1
    return j


def total_fit(m, first: float, rest: float, start: int, stop, phrase_wrap: bool, align: str):
    an = m.an
    n = len(an.text) if stop is None else min(stop, len(an.text))
    a0 = _skip(an.cls, start, n)
    if a0 >= n:
        return []
    cands = an.breaks
    if phrase_wrap:
        # a title may break before "——" (clreq lets a dash start a line; it only may not
        # be split), which puts the series name on a line of its own
        dashes = tuple(j for j in range(a0 + 1, n - 1) if text_at(an, j) and an.cls[j - 1] not in "OS")
        if an.phrases is not None:
            cands = tuple(sorted(set(an.phrases) | set(dashes)))
        elif dashes:
            cands = tuple(sorted(set(an.breaks) | set(dashes)))
    to_end = stop is None or stop >= len(an.text)
    justified = align == "justify" and not phrase_wrap
    hyphenate = justified and m.hyphen is not None
    # an English paragraph hyphenates its words, at a small penalty
    extra = (dict.fromkeys(hyphen_points(an.text, an.cls, a0, n), HYPHEN)
             if hyphenate and latin_heavy(an.cls) else {})
    out = _solve(m, first, rest, a0, n, to_end, cands, extra, MAX_RATIO, phrase_wrap, align)
    if out is None and phrase_wrap:
        out = _solve(m, first, rest, a0, n, to_end, an.breaks, {}, MAX_RATIO, phrase_wrap, align)
    if out is None:
        extra = hyphen_breaks(an.text, an.cls, a0, n)
        if hyphenate:
            for j in hyphen_points(an.text, an.cls, a0, n):
                extra.setdefault(j, EMERGENCY_HYPHEN)
        out = _solve(m, first, rest, a0, n, to_end, an.breaks, extra, MAX_RATIO_2,
                     phrase_wrap, align)
    return out


def hyphen_breaks(text: str, cls: str, a0: int, n: int) -> dict:
    """The breaks after a hyphen or slash inside a token (a0 < j < n), with their
    penalties: before a letter ``EMERGENCY`` ("DeepSeek-|Prover", "https://|github"),
    before a digit ``EMERGENCY_DIGIT`` and only inside a name of ten characters or more
    ("ReasonIR-|8B"; "Qwen3-4B" stays whole, and a hyphen starting a token is a minus)."""
    out = {}
    for j in emergency_breaks(text, cls, a0, n - 1, uax14=False):
        if text[j - 1] not in "-/" or j < 2 or cls[j - 2] not in TOKEN:
            continue
        if not text[j].isdigit():
            out[j] = EMERGENCY
            continue
        a = j - 1
        while a > 0 and cls[a - 1] in TOKEN:
            a -= 1
        e = j
        while e < len(cls) and cls[e] in TOKEN:
            e += 1
        if e - a >= 10:
            out[j] = EMERGENCY_DIGIT
    return out


def text_at(an, j: int) -> bool:
    """Whether a two-em dash "——" starts at position j."""
    return an.text.startswith("——", j)


def _solve(m, first, rest, a0, n, to_end, cands, extra, max_ratio, phrase_wrap, align):
    from .linebreak import _line

    an = m.an
    text, cls = an.text, an.cls
    pre, gap, lead, restore, sizes = m.pre, m.gap, m.lead, m.restore, m.sizes
    stc, shc = m.stc, m.shc
    forced = an.forced
    justified = align == "justify" and not phrase_wrap
    emerg = extra  # break position -> its penalty
    hyphens = {j for j in extra if cls[j - 1] == "L" and cls[j] == "L"}  # a drawn hyphen
    # break positions in (a0, n): normal (or phrase) candidates, forced breaks, extras
    pos = sorted(set(j for j in cands if a0 < j < n) | set(j for j in forced if a0 < j < n)
                 | set(j for j in extra if a0 < j < n))
    forced_set = set(forced)
    pos.append(n)
    # node k: a line start (k = 0: a0; k >= 1: after the break at pos[k - 1])
    A = [a0] + [_skip(cls, j, len(cls)) for j in pos[:-1]]
    PA = [pre[x] + gap[x] + lead.get(x, 0.0) for x in A]
    N = len(pos)
    INF = float("inf")
    cost = [INF] * (N + 1)
    prev = [-1] * (N + 1)
    sq_of = [0.0] * (N + 1)
    cost[0] = 0.0
    seg = 0  # first node of the current segment (after the last forced break)
    half_em = 0.5
    for t in range(N):
        j = pos[t]
        E = _cend(cls, 0, j)
        final = j == n or j in forced_set
        R = pre[E] + restore.get(E - 1, 0.0)
        trim = half_em * sizes[E - 1] if E > 0 and text[E - 1] in RIGHT_BLANK else 0.0
        pen = emerg.get(j, 0.0)
        if j in hyphens:
            R += m.hyphen(j - 1)
        if phrase_wrap and text.startswith("——", j):
            pen -= DASH_BONUS
        best, best_i, best_sq = INF, -1, 0.0
        # candidate starts: node indices in [seg, t]
        starts = _starts(PA, seg, t, R, rest, max_ratio, stc, shc, A, E, trim, final, justified)
        if seg == 0:  # the first line (its own width): only when it may fit
            w0 = R - PA[0]
            lo0 = min(a0 + 1, E)
            if w0 - (shc[E] - shc[lo0]) - trim <= first + EPS and (
                    final or not justified or w0 >= first - max_ratio * (stc[E] - stc[lo0]) - EPS
                    or _lone_token(cls, a0, E)):
                starts.append(0)
        for i in starts:
            got = _cost(m, i, A[i], E, R - PA[i], first if i == 0 else rest, trim, final,
                        justified, phrase_wrap, max_ratio, stc, shc)
            if got is None:
                continue
            c, sq = got
            ci = cost[i]
            if ci == INF:
                continue
            if final and i > 0 and E - A[i] <= 2 and to_end and j == n:
                c += SHORT_LAST * SHORT_LAST
            c += ci + (pen * abs(pen) if pen else 0.0)
            if c < best:
                best, best_i, best_sq = c, i, sq
        cost[t + 1], prev[t + 1], sq_of[t + 1] = best, best_i, best_sq
        if j in forced_set:
            seg = t + 1
            if best == INF:
                return None
    if cost[N] == INF:
        return None
    # walk back
    chain = []
    k = N
    while k > 0:
        chain.append(k)
        k = prev[k]
    chain.reverse()
    lines = []
    for k in chain:
        i = prev[k]
        j = pos[k - 1]
        a = A[i]
        E = _cend(cls, a, j)
        avail = first if i == 0 else rest
        is_forced = j in forced_set and j > 0 and cls[j - 1] == "N"
        lines.append(_line(m, a, E, j, avail, is_forced, False, j in emerg, sq_of[k],
                           m.hyphen(j - 1) if j in hyphens else 0.0))
    if lines and to_end:
        lines[-1].last = True
    return lines


def _starts(PA, seg, t, R, avail, max_ratio, stc, shc, A, E, trim, final, justified):
    """Node indices in [max(seg, 1), t] whose line to E may fit."""
    lo_all = max(seg, 1)
    hi_all = t  # nodes <= t start before the break pos[t]
    out = []
    if hi_all < lo_all:
        return out
    # the first start whose natural line is no wider than the room
    k = bisect_left(PA, R - avail - EPS, lo_all, hi_all + 1)
    # further left: lines that must shrink; stop when even full shrink is not enough
    i = k - 1
    while i >= lo_all:
        a = A[i]
        if R - PA[i] - (shc[E] - shc[min(a + 1, E)]) - trim > avail + EPS:
            break
        out.append(i)
        i -= 1
    if final or not justified:
        # any shorter line may end a paragraph (or be ragged); ragged: the fewest lines
        # anyway, so only starts near the room are useful
        hi = hi_all if final else min(hi_all, bisect_right(PA, R - 0.5 * avail, lo_all, hi_all + 1) - 1)
        out.extend(range(k, hi + 1))
        return out
    # further right: lines that must stretch, up to max_ratio
    i = k
    while i <= hi_all:
        a = A[i]
        w = R - PA[i]
        stretch = stc[E] - stc[min(a + 1, E)]
        if w < avail - max_ratio * stretch - EPS:
            break
        out.append(i)
        i += 1
    return out


def _lone_token(cls: str, a: int, e: int) -> bool:
    """Whether a..e-1 is Latin text only (a line that cannot be justified)."""
    return all(c in TOKEN or c == "S" for c in cls[a:e])


def _cost(m, i, a, E, w, avail, trim, final, justified, phrase_wrap, max_ratio, stc, shc):
    """(demerits without the break's penalty, squeeze) of the line a..E-1, or None."""
    if E <= a:
        return None
    if phrase_wrap and E - a == 1:
        return None  # never one character alone
    lo = min(a + 1, E)
    stretch = stc[E] - stc[lo]
    shrink = shc[E] - shc[lo]
    can_trim = trim and E > a + 1
    best = None
    for sq in ((0.0, trim) if can_trim else (0.0,)):
        slack = avail - (w - sq)
        if slack < -EPS:
            if shrink <= EPS or slack < -shrink - EPS:
                continue
            r = slack / shrink
        elif final and not phrase_wrap:
            r = 0.0
        elif justified:
            if slack <= EPS:
                r = 0.0
            elif stretch <= EPS:
                if not _lone_token(m.an.cls, a, E):
                    continue
                r = MAX_RATIO  # nothing to stretch (a lone token): left as it is
            else:
                r = slack / stretch
                gst = m.gstc[E] - m.gstc[lo]
                sst = m.sstc[E] - m.sstc[lo]
                pst = m.pstc[E] - m.pstc[lo]
                if r > LEAST_CAP and (gst > EPS or sst > EPS or pst > EPS):
                    # the ratio the Han characters get once gaps, spaces and pauses are capped
                    r = ratios(slack, stretch - gst - sst - pst, gst, sst, pst)[0]
                if r > max_ratio:
                    continue
        else:  # ragged: the slack, in em, is the badness
            em = m.sizes[a] or 1.0
            r = slack / (3.0 * em)
        bad = 100.0 * abs(r) ** 3 * (SHRINK_COST if r < 0 else 1.0)
        lp = RAGGED_LINE if not justified else LINE_PENALTY
        c = (lp + bad) ** 2
        if sq:
            c += 1.0  # a hanging half mark only when it helps
        if best is None or c < best[0]:
            best = (c, sq)
    return best
