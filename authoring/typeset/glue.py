"""How far each boundary of a paragraph may stretch or shrink when a line is justified.

The amounts, in em of the characters involved, follow clreq and what Typst does:

* between Han characters a little stretch only (``HAN_STRETCH``): letter-spacing is
  the last thing a reader should see;
* a Han–Latin gap (a quarter em, whether typed as a space or not) stretches and shrinks
  a little around its quarter em (``GAP_STRETCH``, ``GAP_SHRINK``);
* a Latin word space stretches more, shrinks a little (``SPACE_*``);
* after a pause or stop mark (，。、；：？！) the space widens more than between Han
  characters (``PAUSE_STRETCH``, at most ``PAUSE_MOST``): it is the mark's own blank
  half, where the eye expects a pause, and letter-spacing the Han text is what a
  reader sees first (the order of JLREQ's expansion: spaces and gaps, then the
  rest);
* full-width punctuation shrinks towards half width (``PUNCT_SHRINK`` of its blank
  half): a pause or stop mark and a closing bracket lose the right half (the next
  glyph moves closer), an opening bracket the left half (it is drawn further left);
* no stretch before closing punctuation, after opening punctuation, or between two
  marks; never inside a Latin word.

A justified line uses one ratio r for all its boundaries: each stretches by r times its
amount (r > 0) or shrinks by -r times it (-1 <= r < 0), except that a Han–Latin gap
stretches to ``GAP_MOST`` em at most, a word space by ``SPACE_MOST`` em and the space after
a pause mark by ``PAUSE_MOST``: what they cannot take goes to the Han boundaries
(`ratios`).  The breaker judges a line by the
ratio its Han characters get, so it sees what a reader sees.
"""

from __future__ import annotations

import re

from .breaks import Analysis
from .chars import LEFT_BLANK, RIGHT_BLANK, STOPS

HAN_STRETCH = 0.02
PAUSE_STRETCH = 0.1
GAP_STRETCH = 0.03
GAP_SHRINK = 0.05
SPACE_STRETCH = 0.12
SPACE_SHRINK = 0.1
PUNCT_SHRINK = 1.0  # of the blank half
#: the widest a Han–Latin gap gets in a justified line (em), and the most a word space
#: stretches when there are Han characters to take the rest
GAP_MOST = 0.32
SPACE_MOST = 0.5
#: the most the space after a pause or stop mark widens (em)
PAUSE_MOST = 0.25
_CAP_GAP = (GAP_MOST - 0.25) / GAP_STRETCH
_CAP_SPACE = SPACE_MOST / SPACE_STRETCH
_CAP_PAUSE = PAUSE_MOST / PAUSE_STRETCH
#: below this ratio no glue reaches its cap: `ratios` gives the one ratio for all
LEAST_CAP = min(_CAP_GAP, _CAP_SPACE, _CAP_PAUSE)

_PUNCT = "CO"
_CLASSES = "HOCSNLbfqx"


def _han_ok(p: str, c: str) -> bool:
    """Whether a boundary between classes p and c takes the Han stretch (spaces and gaps
    have their own glue; nothing before closing, after opening or between marks)."""
    if "S" in (p, c):
        return False
    return not (c == "C" or p == "O" or (p in _PUNCT and c in _PUNCT))


_HAN_OK = {p + c: _han_ok(p, c) for p in _CLASSES for c in _CLASSES}


_RE_STOP = re.compile("[" + re.escape(STOPS) + "]")


def pause_marks(text: str) -> list[int]:
    """Positions of the pause and stop marks of `text` (none when PAUSE_STRETCH is 0)."""
    return [m.start() for m in _RE_STOP.finditer(text)] if PAUSE_STRETCH else []


def glue(an: Analysis, adv: list, sizes: list, gaps: bool = True) -> tuple[list, list]:
    """(stretch, shrink) in points of every boundary j (before character j; j = 0 and
    j = n are line edges and get 0)."""
    text, cls = an.text, an.cls
    n = len(text)
    st = [0.0] * (n + 1)
    sh = [0.0] * (n + 1)
    # Han stretch where the classes allow it (one table look-up per boundary)
    flags = [0, *map(_HAN_OK.__getitem__, map(str.__add__, cls, cls[1:]))]
    expand = an.expand
    if sizes and min(sizes) == max(sizes):
        h = HAN_STRETCH * sizes[0]
        for j in (j for j, f in enumerate(flags) if f and expand[j]):
            st[j] = h
    else:
        for j in (j for j, f in enumerate(flags) if f and expand[j]):
            st[j] = HAN_STRETCH * max(sizes[j - 1], sizes[j])
    # after a pause or stop mark the space is the mark's own blank half: widening it a
    # little is less visible than letter-spacing the Han characters
    for i in pause_marks(text):
        if i + 1 < n and st[i + 1]:
            st[i + 1] = PAUSE_STRETCH * sizes[i]
    if gaps:
        for j in an.gaps:
            em = sizes[j - 1] if cls[j - 1] == "H" else sizes[j]
            st[j] = GAP_STRETCH * em
            sh[j] = GAP_SHRINK * em
    gap_spaces = set(an.gap_spaces) if gaps else ()
    for i in an.spaces:
        if i + 1 >= n:
            continue
        em = max(sizes[i - 1], sizes[i + 1])
        if i in gap_spaces:
            st[i] = GAP_STRETCH * em
            sh[i] = GAP_SHRINK * em
        else:
            st[i] = SPACE_STRETCH * em
            sh[i] = min(SPACE_SHRINK * em, 0.3 * adv[i])
    comp_r, comp_l = an.comp_right, an.comp_left
    for i in (i for i, c in enumerate(cls) if c == "C" or c == "O"):
        ch = text[i]
        if ch in RIGHT_BLANK and i not in comp_r and i + 1 < n:
            sh[i + 1] += PUNCT_SHRINK * 0.5 * sizes[i]
        elif ch in LEFT_BLANK and i not in comp_l and i > 0:
            sh[i] += PUNCT_SHRINK * 0.5 * sizes[i]
    return st, sh


def ratios(slack: float, other: float, gst: float, sst: float, pst: float = 0.0):
    """(ratio of the Han glue, of the Han–Latin gaps, of the word spaces, of the spaces
    after pause marks) that set `slack` points into a line whose glue stretches `other`,
    `gst` (gaps), `sst` (word spaces) and `pst` (after pause marks) points at ratio 1: one
    ratio for all, except that gaps, word spaces and pauses stop at their caps and the
    rest goes to the Han glue.  A line with nothing but capped glue (or none of it)
    stretches it all alike."""
    if other <= 1e-6 and pst > 1e-6:  # no Han glue: the pauses take the rest
        r, rg, rs, _ = ratios(slack, pst, gst, sst)
        return r, rg, rs, r
    total = other + gst + sst + pst
    r = slack / total
    if other <= 1e-6 or (gst <= 1e-6 and sst <= 1e-6 and pst <= 1e-6):
        return r, r, r, r
    fixed, free = 0.0, total
    got = [None, None, None]
    for cap, amount, kind in sorted(((_CAP_GAP, gst, 0), (_CAP_SPACE, sst, 1), (_CAP_PAUSE, pst, 2))):
        if amount <= 1e-6 or r <= cap:
            continue
        fixed += cap * amount
        free -= amount
        r = (slack - fixed) / free
        got[kind] = cap
    return (r, *(r if g is None else g for g in got))
