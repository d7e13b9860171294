"""A reportlab Flowable that sets Chinese/Latin text to clreq rules.

    from authoring.layout.paragraph import Run, ParaStyle, CJKParagraph
    p = CJKParagraph([Run("模型 Qwen3-235B-A22B 发布。", chain, 10.5)], ParaStyle(leading=18))

The algorithms (break opportunities, Han–Latin gaps, punctuation compression, line
breaking, glyph placement) live in :mod:`authoring.typeset`; this module measures the
characters with the advances HarfBuzz gives (authoring.fonts.shaping: a cluster's advance
on its first character) and draws the glyphs at the places the typesetter computes
(authoring.layout.glyphs).

Text is text: runs are shaped and drawn as glyph ids; '<', '&' and '<font>' print
literally.
A newline in a run's text is a forced line break; other white space collapses to one
space.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab.platypus.flowables import Flowable

from authoring.fonts.shaping import Chain
from authoring.layout.glyphs import Drawn, GlyphText, color, draw_string, fill_op
from authoring.layout.whitespace import normalize
from authoring.typeset import analyze, break_lines, justify, line_offset, measure, place
from authoring.typeset.linebreak import Line, Metrics, line_width
from authoring.typeset.glue import HAN_STRETCH

# The ideographic em box of CJK fonts (Noto/Source Han): 0.88 em above the baseline,
# 0.12 em below.  Lines are set with the em box centred in the leading.
ASCENT = 0.88
DESCENT = 0.12


@dataclass(frozen=True)
class Run:
    text: str
    font: Chain  # the role's faces, in fallback order
    size: float
    color: str = "#000000"
    link: str | None = None  # external URL -> canvas.linkURL over the run's box
    dest: str | None = None  # internal destination name -> canvas.linkRect
    underline: bool = False
    keep: bool = False  # never break inside this run (e.g. a cross-reference "图表 17")


@dataclass(frozen=True)
class ParaStyle:
    leading: float
    align: str = "justify"  # justify | left | center | right
    first_indent: float = 0  # points
    left_indent: float = 0
    right_indent: float = 0
    space_before: float = 0
    space_after: float = 0
    keep_with_next: bool = False
    bullet: tuple[Run, ...] | None = None  # drawn in the hanging indent before the first line
    phrase_wrap: bool = False  # headings/titles: break only at BudouX phrase boundaries when possible
    han_latin_space: float = 0.25  # em
    bullet_indent: float | None = None  # x of the bullet; default: right before the text
    min_lines_split: int = 2  # orphan/widow control: lines kept together on each side


def string_width(text: str, font: Chain, size: float) -> float:
    """Width of `text` as shaped by the font chain (kerning included)."""
    return font.width(text, size)


#: The hyphen drawn where the breaker cut a word (authoring.typeset.hyphenate).
HYPHEN = "-"
#: Characters the breaker may break after as a last resort (see authoring.typeset).
_BREAK_AFTER = frozenset("-/\u2010\u2013")


class _Prepared:
    """Everything about a paragraph that does not depend on the available width."""

    __slots__ = ("runs", "text", "starts", "shaped", "metrics", "han_latin_space", "max_size", "_minw",
                 "drawn", "break_memo")

    def __init__(self, runs: Sequence[Run], style: ParaStyle, break_memo=None):
        self.runs, self.text, self.starts = normalize(runs)
        #: the build's `authoring.typeset.BreakMemo` (or None), for the analysis and the lines
        self.break_memo = break_memo
        an = analyze(self.text, style.phrase_wrap, break_memo)
        kept = [(a + 1, a + len(r.text)) for r, a in zip(self.runs, self.starts) if r.keep]
        if kept:  # drop the break opportunities strictly inside kept runs
            def inside(j: int) -> bool:
                return any(lo <= j < hi for lo, hi in kept)

            an = replace(an, breaks=tuple(j for j in an.breaks if not inside(j)),
                         phrases=None if an.phrases is None else
                         tuple(j for j in an.phrases if not inside(j)))
        widths: list[float] = []
        nominal: list[float] = []
        sizes: list[float] = []
        self.shaped = []
        for r in self.runs:
            sh = r.font.shape(r.text)
            self.shaped.append(sh)
            size = float(r.size)
            widths.extend([x * size for x in sh.advances])
            if sh.nominal != sh.advances:
                nominal.extend([x * size for x in sh.nominal])
            else:
                nominal.extend(widths[len(nominal):])
            sizes.extend([size] * len(r.text))
        # kerning between two characters where the line may break (a break opportunity, or
        # the last-resort break after a hyphen or slash) is left out, measured and drawn:
        # a line ending there ends with the glyph's own advance
        if nominal != widths:
            for j in an.breaks:
                if 0 < j <= len(widths):
                    widths[j - 1] = nominal[j - 1]
            for i, ch in enumerate(self.text):
                if ch in _BREAK_AFTER:
                    widths[i] = nominal[i]
        # the hyphen is shaped by every paragraph, whether the breaker needs it or finds
        # its lines in the memo: a warm build asks the fonts for what a cold one did
        for font in {r.font for r in self.runs}:
            font.shape(HYPHEN)
        self.metrics: Metrics = measure(an, widths, sizes, style.han_latin_space,
                                        hyphen=self.hyphen_width)
        self.max_size = max(sizes, default=max((float(r.size) for r in runs), default=10.0))
        self._minw = None
        #: (first character, height, lines) -> (Drawn, decorations): what drawing that
        #: part gave (a prepared paragraph kept by a watch serves the next build)
        self.drawn: dict[tuple, tuple] = {}

    def run_at(self, i: int) -> int:
        return bisect_right(self.starts, i) - 1

    def hyphen_width(self, i: int) -> float:
        """The width of the hyphen drawn after character i when a word is broken there."""
        r = self.runs[self.run_at(i)]
        return r.font.width(HYPHEN, float(r.size))


def prepare(runs: Sequence[Run], style: ParaStyle, break_memo=None) -> _Prepared:
    """What a paragraph of `runs` in `style` needs at any width (shaped, measured); the same
    runs and style always give the same result (a watch keeps it by them).  `break_memo`:
    the build's `authoring.typeset.BreakMemo`, or None to work everything out afresh."""
    return _Prepared(runs, style, break_memo)


_LINE_FIELDS = Line.__slots__


class CJKParagraph(Flowable):
    """A paragraph of Chinese/Latin text set to clreq rules (see module docstring).

    After `wrap`: ``self.lines`` (list of :class:`authoring.typeset.Line`) and
    ``self.line_widths`` (natural width of each line, points).  `break_memo`: the build's
    `authoring.typeset.BreakMemo`, where the analysis and the lines are looked up first.
    """

    def __init__(self, runs: Sequence[Run], style: ParaStyle, *, break_memo=None,
                 _prep: _Prepared | None = None, _start: int = 0, _stop: int | None = None):
        super().__init__()
        self.style = style
        self._prep = _prep if _prep is not None else _Prepared(runs, style, break_memo)
        self.runs = self._prep.runs
        self._start = _start  # first character of this part (split)
        self._stop = _stop  # end of this part, None = end of paragraph
        self.keepWithNext = bool(style.keep_with_next) and _stop is None
        self.lines: list[Line] = []
        self.line_widths: list[float] = []
        self._wrapped_for: float | None = None
        self.width = 0.0
        self.height = 0.0

    # --- geometry -------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self._prep.text

    @property
    def is_continuation(self) -> bool:
        return self._start > 0

    def _first_indent(self) -> float:
        return 0.0 if self.is_continuation else self.style.first_indent

    def _layout(self, avail_width: float) -> None:
        if self._wrapped_for == avail_width:
            return
        st = self.style
        inner = max(1.0, avail_width - st.left_indent - st.right_indent)
        first = max(1.0, inner - self._first_indent())
        self.lines = break_lines(
            self._prep.metrics, [first, inner], phrase_wrap=st.phrase_wrap,
            start=self._start, stop=self._stop, align=st.align, memo=self._prep.break_memo,
        )
        self.line_widths = [ln.width - ln.squeeze for ln in self.lines]
        self._wrapped_for = avail_width

    def wrap(self, availWidth, availHeight):
        self._layout(availWidth)
        self.width = availWidth
        self.height = len(self.lines) * self.style.leading
        return self.width, self.height

    def getSpaceBefore(self):
        return 0 if self.is_continuation else self.style.space_before

    def getSpaceAfter(self):
        return 0 if self._stop is not None else self.style.space_after

    def getKeepWithNext(self):
        return self.keepWithNext

    def minWidth(self):
        """Width of the widest unbreakable unit plus the indents (for table columns)."""
        p = self._prep
        if p._minw is None:
            m = p.metrics
            an = m.an
            pos = [0, *an.breaks, len(an.text)]
            best = 0.0
            cls = an.cls
            for a, b in zip(pos, pos[1:]):
                e = b
                while e > a and cls[e - 1] in "SN":
                    e -= 1
                while a < e and cls[a] == "S":
                    a += 1
                best = max(best, line_width(m, a, e))
            p._minw = best
        st = self.style
        return p._minw + st.left_indent + st.right_indent + max(0.0, st.first_indent)

    def loosest_spacing(self, avail_width: float) -> float:
        """The widest spacing between Han characters (em) of its lines set at this width:
        what a reader sees as letter-spacing."""
        self._layout(avail_width)
        m, align = self._prep.metrics, self.style.align
        return max((justify(m, ln, align)[0] * HAN_STRETCH for ln in self.lines), default=0.0)

    def natural_width(self) -> float:
        """Width of the text set on one line per forced line (no wrapping), plus indents."""
        m = self._prep.metrics
        an = m.an
        cuts = [0, *an.forced, len(an.text)]
        w = 0.0
        for a, b in zip(cuts, cuts[1:]):
            e = b
            while e > a and an.cls[e - 1] in "SN":
                e -= 1
            w = max(w, line_width(m, a, e))
        st = self.style
        return w + st.left_indent + st.right_indent + max(0.0, st.first_indent)

    # --- splitting ------------------------------------------------------------------

    def split(self, availWidth, availHeight):
        self._layout(availWidth)
        lead = self.style.leading
        n = len(self.lines)
        fit = int((availHeight + 1e-6) // lead)
        if fit >= n:
            return [self]
        keep = max(1, self.style.min_lines_split)
        if n < 2 * keep:
            return []  # short paragraph (<= 3 lines): move it whole
        k = min(fit, n - keep)
        if k < keep:
            return []
        cut = self.lines[k].start
        first = CJKParagraph(self.runs, self.style, _prep=self._prep, _start=self._start, _stop=cut)
        rest = CJKParagraph(self.runs, self.style, _prep=self._prep, _start=cut, _stop=self._stop)
        # the first part keeps its lines exactly (same width, justified last line)
        first.lines = self.lines[:k]
        first.line_widths = self.line_widths[:k]
        first._wrapped_for = availWidth
        return [first, rest]

    # --- drawing --------------------------------------------------------------------

    def _baseline0(self) -> float:
        size = self._prep.max_size
        lead = self.style.leading
        return (lead - size) / 2 + ASCENT * size

    def draw(self):
        canv = self.canv
        key = (self._start, self.height,
               tuple(tuple(getattr(ln, f) for f in _LINE_FIELDS) for ln in self.lines))
        hit = self._prep.drawn.get(key)
        if hit is None:
            hit = self._prep.drawn[key] = self._draw_text()
        drawn, decorations, top = hit
        bullet = ""
        if self.style.bullet and not self.is_continuation and self.lines:
            # before the text: what a reader's copy gives follows the order of drawing
            self._draw_bullet(top)
            bullet = "".join(b.text for b in self.style.bullet)
        drawn.replay(canv)
        page_text = getattr(canv, "page_text", None)  # a ReportCanvas (layout.document)
        if page_text is not None:
            page_text.paragraph(canv.getPageNumber(), self.text[self._start:self._stop], bullet)
        runs = self._prep.runs
        for ri, xa, xb, y in decorations:
            r = runs[ri]
            rect = (xa, y - DESCENT * r.size, xb, y + ASCENT * r.size)
            if r.link:
                canv.linkURL(r.link, rect, relative=1, thickness=0)
            if r.dest:
                canv.linkRect("", r.dest, rect, relative=1, thickness=0)
            if r.underline:
                canv.saveState()
                canv.setStrokeColor(color(r.color))
                canv.setLineWidth(max(0.4, 0.05 * r.size))
                uy = y - 0.1 * r.size
                canv.line(xa, uy, xb, uy)
                canv.restoreState()

    def _draw_text(self) -> tuple[Drawn, list, float]:
        """The lines' glyphs as operators (`Drawn`), the boxes of links and underlines, and
        the first baseline: all a function of the prepared text, the lines and the height."""
        st = self.style
        p = self._prep
        m = p.metrics
        runs = p.runs
        starts = p.starts
        widths = m.widths
        lead = st.leading
        top = self.height - self._baseline0()
        tx = GlyphText(self.canv)
        decorations = []  # (run index, x0, x1, baseline)
        for li, line in enumerate(self.lines):
            y = top - li * lead
            x0 = st.left_indent + (self._first_indent() if li == 0 else 0.0)
            x0 += line_offset(line, st.align)
            extra = justify(m, line, st.align)
            boxes = place(m, line, x0, extra, starts)
            spans: dict[int, list[float]] = {}
            for i0, i1, x, cs in boxes:
                ri = bisect_right(starts, i0) - 1
                r = runs[ri]
                tx.fill(fill_op(r.color))
                base = starts[ri]
                tx.show(r.font, p.shaped[ri], i0 - base, i1 - base, r.size, x, y,
                        widths[i0:i1], cs)
                if r.link or r.dest or r.underline:
                    xe = x + sum(widths[i0:i1]) + cs * (i1 - i0 - 1)
                    sp = spans.get(ri)
                    if sp is None:
                        spans[ri] = [x, xe]
                    else:
                        sp[0] = min(sp[0], x)
                        sp[1] = max(sp[1], xe)
            if line.hyphen and boxes:  # a word broken at the line end: its hyphen
                i0, i1, x, cs = boxes[-1]
                r = runs[bisect_right(starts, i1 - 1) - 1]
                tx.show(r.font, r.font.shape(HYPHEN), 0, 1, r.size,
                        x + sum(widths[i0:i1]) + cs * (i1 - i0), y, [line.hyphen], 0.0)
            for ri, (xa, xb) in spans.items():
                decorations.append((ri, xa, xb, y))
        return Drawn(tx), decorations, top

    def _draw_bullet(self, y: float) -> None:
        st = self.style
        canv = self.canv
        bw = sum(string_width(b.text, b.font, b.size) for b in st.bullet)
        text_x = st.left_indent + st.first_indent
        if st.bullet_indent is not None:
            x = st.bullet_indent
        else:
            x = max(0.0, text_x - bw - 0.25 * self._prep.max_size)
        canv.saveState()
        for b in st.bullet:
            canv.setFillColor(color(b.color))
            x += draw_string(canv, x, y, b.text, b.font, b.size)
        canv.restoreState()

    def identity(self, maxLen=50):
        t = self._prep.text[self._start : self._stop]
        return f"<CJKParagraph {t[:maxLen]!r}>"

    def __repr__(self):
        return self.identity()
