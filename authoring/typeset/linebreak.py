"""Paragraph metrics, line breaking's entry point, justification and glyph placement
for Chinese/Latin text (clreq).

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

The breaks are chosen over the whole paragraph (:mod:`.totalfit`); text that cannot be
set that way is filled first-fit (:mod:`.firstfit`).  The glue a justified line may use
is :mod:`.glue`'s.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

from .breaks import Analysis
from .chars import LEFT_BLANK
from .glue import glue, pause_marks, ratios

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
    #: per boundary j (before character j): points it may stretch / shrink in a
    #: justified line, and their prefix sums (``stc[k]`` = sum of ``st[:k]``)
    st: list = None
    sh: list = None
    stc: list = None
    shc: list = None
    #: break_lines' answers for this paragraph, by its arguments (a table cell is
    #: wrapped at several widths, a paragraph again when its page is set)
    memo: dict = None
    #: per boundary: 1 where its glue is a Han–Latin gap, 2 a word space, 3 the space
    #: after a pause mark; prefix sums of the stretch of the gaps and of the word spaces
    gapb: bytes = b""
    gstc: list = None
    sstc: list = None
    #: prefix sums of the stretch after pause marks (gapb 3)
    pstc: list = None
    #: hyphen(i): the width of a hyphen drawn after character i (its font and size), or
    #: None when the paragraph is never hyphenated
    hyphen: object = None


def measure(an: Analysis, widths: list, sizes: list, han_latin_space: float = 0.25,
            trim_line_start: bool = True, hyphen=None) -> Metrics:
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
    cls = an.cls
    if han_latin_space:
        for j in an.gaps:
            # the em of the Han side
            k = j - 1 if cls[j - 1] == "H" else j
            gap[j] = han_latin_space * sizes[k]
        for i in an.gap_spaces:  # a typed space between Han and Latin is the gap
            k = i - 1 if cls[i - 1] == "H" else i + 1
            adv[i] = han_latin_space * sizes[k]
    pre = [0.0]
    pre.extend(accumulate(map(float.__add__, map(float, gap), map(float, adv))))
    lead = {}
    if trim_line_start and "O" in cls:
        text = an.text
        i = cls.find("O", 1)
        while i > 0:
            if text[i] in LEFT_BLANK and i not in an.comp_left:
                lead[i] = 0.5 * sizes[i]
            i = cls.find("O", i + 1)
    st, sh = glue(an, adv, sizes, bool(han_latin_space))
    stc = [0.0, *accumulate(st)]
    shc = [0.0, *accumulate(sh)]
    gapb = bytearray(n + 1)
    zeros = [0.0] * (n + 2)
    gstc = sstc = zeros
    if han_latin_space and (an.gaps or an.gap_spaces):
        gst = [0.0] * (n + 1)
        for j in (*an.gaps, *an.gap_spaces):
            gapb[j] = 1
            gst[j] = st[j]
        gstc = [0.0, *accumulate(gst)]
    if an.spaces:
        sst = [0.0] * (n + 1)
        for j in an.spaces:
            if not gapb[j]:
                gapb[j] = 2
                sst[j] = st[j]
        sstc = [0.0, *accumulate(sst)]
    pstc = zeros
    marks = pause_marks(an.text)
    if marks:
        pst = [0.0] * (n + 1)
        for i in marks:
            if i + 1 < n and st[i + 1] and not gapb[i + 1]:
                gapb[i + 1] = 3
                pst[i + 1] = st[i + 1]
        pstc = [0.0, *accumulate(pst)]
    return Metrics(an, widths, sizes, adv, gap, pre, restore, max(sizes, default=0.0), lead,
                   st, sh, stc, shc, {}, bytes(gapb), gstc, sstc, pstc=pstc, hyphen=hyphen)


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
    stretch: float = 0.0  # points the line's glue may stretch (at ratio 1)
    shrink: float = 0.0  # points the line's glue may shrink (at ratio -1)
    hyphen: float = 0.0  # width of the hyphen drawn at its end (a word broken there), in `width`

    def text(self, an: Analysis) -> str:
        return an.text[self.start : self.end]


def _count(pos, a: int, e: int) -> int:
    """How many of the sorted positions `pos` lie strictly between a and e."""
    return bisect_left(pos, e) - bisect_right(pos, a)


def _line(m: Metrics, a: int, e: int, j: int, avail: float, forced: bool, last: bool,
          emergency: bool, squeeze: float, hyphen: float = 0.0) -> Line:
    an = m.an
    lo = min(a + 1, e)
    return Line(a, e, j, line_width(m, a, e) + hyphen, avail, forced, last,
                _count(an.expand_pos, a, e), emergency, squeeze, _count(an.spaces, a, e),
                _count(an.gaps, a, e), m.stc[e] - m.stc[lo], m.shc[e] - m.shc[lo], hyphen)


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
    align: str = "justify",
    memo=None,
) -> list[Line]:
    """Break characters start..stop-1 of the paragraph into lines.

    `widths_avail` is the available width of the first line and of every later one
    (a list of two; one number for all lines).  The last line is marked `last` (not
    justified) only when `stop` is the end of the paragraph.  The breaks are chosen
    over the whole paragraph (:func:`authoring.typeset.totalfit.total_fit`); only a
    paragraph that cannot be set within the glue's limits (a token wider than the line)
    is filled greedily, with its last-resort breaks.

    `memo` (the build's `breakmemo.BreakMemo`) keeps the lines found, by the text, its
    metrics and the arguments, across paragraphs and builds; without it they are computed.
    """
    from .firstfit import greedy_lines
    from .totalfit import total_fit

    if isinstance(widths_avail, (int, float)):
        widths_avail = [float(widths_avail)]
    first = float(widths_avail[0])
    rest = float(widths_avail[1] if len(widths_avail) > 1 else first)
    key = (first, rest, start, stop, phrase_wrap, align)
    mine = m.memo if m.memo is not None else {}
    hit = mine.get(key)
    if hit is not None:
        return list(hit)
    an = m.an
    found = mkey = None
    if memo is not None:  # across builds: the same text with the same metrics at the same widths
        mkey = (an.text, hash((tuple(m.adv), tuple(m.gap), tuple(m.sizes), an.breaks,
                               an.phrases or (), m.hyphen is None)), *key)
        found = memo.lines(mkey)
    if found is not None:
        lines = [_line(m, a, e, j, first if k == 0 else rest, f, la, em, sq, hy)
                 for k, (a, e, j, f, la, em, sq, hy) in enumerate(found)]
    else:
        lines = _one_line(m, first, start, stop)
        if lines is None:
            lines = total_fit(m, first, rest, start, stop, phrase_wrap, align)
        if lines is None:
            lines = greedy_lines(m, widths_avail, phrase_wrap, start, stop, memo)
        if memo is not None:
            memo.put_lines(mkey, tuple((ln.start, ln.end, ln.next, ln.forced, ln.last, ln.emergency,
                                        ln.squeeze, ln.hyphen) for ln in lines))
    mine[key] = lines
    return list(lines)


def _one_line(m: Metrics, avail: float, start: int, stop):
    """The paragraph as one line when it has no forced break and fits (most table
    cells, captions and headings), else None."""
    an = m.an
    n = len(an.text) if stop is None else min(stop, len(an.text))
    if an.forced and an.forced[0] < n:
        return None
    a = _skip_spaces(an.cls, start, n)
    e = _content_end(an.cls, a, n)
    if e <= a or line_width(m, a, e) > avail + EPS:
        return None
    return [_line(m, a, e, n, avail, False, stop is None or n >= len(an.text), False, 0.0)]


def justify(m: Metrics, line: Line, align: str) -> tuple[float, float]:
    """How `line` is set: (glue ratio, even spacing).

    The ratio is the line's stretch (> 0) or shrink (< 0) as a fraction of what its
    glue allows (:mod:`authoring.typeset.glue`).  A justified line gets exactly its
    width; any other line (alignment other than justify, the paragraph's last line, a
    line ended by a forced break) only shrinks, when it is wider than its room.  A
    justified line whose glue cannot stretch at all (a Latin token between brackets)
    is spread evenly over the boundaries that may take space (the second number)."""
    slack = line.avail - (line.width - line.squeeze)
    if slack < -EPS:
        return (max(-1.0, slack / line.shrink) if line.shrink > EPS else 0.0, 0.0)
    if align != "justify" or line.last or line.forced or slack <= EPS:
        return (0.0, 0.0)
    if line.stretch <= EPS:
        return (0.0, slack / line.expand) if line.expand else (0.0, 0.0)
    # a Han–Latin gap stretches at most to GAP_MOST em, a word space by SPACE_MOST em;
    # what they cannot take goes to the other glue (between Han characters)
    a, e = line.start, line.end
    lo = min(a + 1, e)
    gst = m.gstc[e] - m.gstc[lo]
    sst = m.sstc[e] - m.sstc[lo]
    pst = m.pstc[e] - m.pstc[lo]
    ro, rg, rs, rp = ratios(slack, line.stretch - gst - sst - pst, gst, sst, pst)
    if ro == rg == rs == rp:
        return (ro, 0.0)
    return (ro, 0.0, rg, rs, rp)


def line_offset(line: Line, align: str) -> float:
    """x offset of the line inside its available width."""
    if align == "center":
        return max(0.0, (line.avail - line.width + line.squeeze) / 2)
    if align == "right":
        return max(0.0, line.avail - line.width + line.squeeze)
    return 0.0


def place(m: Metrics, line: Line, x0: float, extra=(0.0, 0.0), splits=()) -> list[tuple]:
    """Glyph boxes of one line: ``(i0, i1, x, charspace)``.

    `extra` is what :func:`justify` returns (a number: the glue ratio alone).  Characters i0..i1-1 are drawn from x with
    `charspace` added after each glyph (PDF Tc).  A new box starts at every position in
    `splits` (run boundaries) and wherever the spacing changes.  Compressed punctuation
    comes out as positions: an opening bracket is drawn further left, a closing mark
    has a smaller advance; the drawer needs to know nothing of it.
    """
    an = m.an
    widths, adv, gap = m.widths, m.adv, m.gap
    comp_left = an.comp_left
    sizes = m.sizes
    if isinstance(extra, (int, float)):
        extra = (float(extra), 0.0)
    ratio, even = extra[0], extra[1]
    by_kind = (ratio, *extra[2:5]) if len(extra) > 4 and ratio > 0 else (ratio,) * 4
    glue_at = m.st if ratio > 0 else m.sh
    expand = an.expand
    gapb = m.gapb
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
        pen += gap[i] + by_kind[gapb[i]] * glue_at[i]
        if even and expand[i]:
            pen += even
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
