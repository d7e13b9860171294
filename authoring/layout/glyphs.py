"""Drawing shaped text: glyph ids at the positions the typesetter chose.

Every piece of text the layout draws goes through here (paragraphs, headers, footers,
leaders, page numbers), so every glyph drawn is recorded on its face's PDF font
(authoring.fonts.embed.PDFFace.use) and the PDF's subsets hold exactly what is drawn.

`GlyphText` is a reportlab text object (a subclass of the public ``PDFTextObject``,
drawn with ``canvas.drawText``) whose operators are written here: ``Tf`` per face and
size, ``Tc`` for the letter spacing of justified lines, and one ``TJ`` per box with the
glyph ids as two-byte codes (Identity-H); where a glyph's place differs from where its
predecessor's advance (its /W width plus Tc) leaves the pen, the difference (kerning,
Han–Latin gaps, compressed punctuation, mark offsets) is a TJ adjustment.
"""

from __future__ import annotations

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.textobject import PDFTextObject

from ..fonts.shaping import Chain, Shaped

#: Adjustments smaller than this (points) are not written.
EPS = 1e-3


class GlyphText(PDFTextObject):
    """A text object of positioned glyphs; ``canvas.drawText(obj)`` draws it."""

    def __init__(self, canvas):
        super().__init__(canvas)
        self.ops: list[str] = []
        self._tf = None
        self._tc = 0.0
        self._fill = None

    def fill(self, op: str) -> None:
        """A fill colour operator (``r g b rg``), written only when it changes."""
        if op != self._fill:
            self.ops.append(op)
            self._fill = op

    def _font(self, pdf, size: float) -> None:
        tf = (pdf.fontName, size)
        if tf != self._tf:
            # the public setFont makes the document create the font's resource (once)
            self.setFont(pdf.fontName, size)
            self.ops.append(f"/{pdf.internal_name} {fp_str(size)} Tf")
            self._tf = tf

    def _charspace(self, cs: float) -> None:
        if cs != self._tc:
            self.ops.append(f"{fp_str(cs)} Tc")
            self._tc = cs

    def show(self, chain: Chain, shaped: Shaped, a: int, b: int, size: float, x: float,
             y: float, widths, cs: float = 0.0) -> None:
        """Draw the characters a..b-1 of `shaped`: character i stands at x plus the widths
        (points) of a..i-1 plus `cs` after each; its glyphs follow the font's offsets."""
        j0, j1 = shaped.first[a], shaped.first[b]
        if j0 == j1:
            return
        plan = _plan(chain, shaped)
        self._charspace(cs)
        if plan.simple(j0, j1):  # one face, one glyph per character at its own advance
            g = shaped.glyphs[j0]
            pdf = chain.faces[g.face].embedding
            self._font(pdf, size)
            self.ops.append(f"1 0 0 1 {fp_str(x)} {fp_str(y)} Tm <{''.join(plan.hexes[j0:j1])}> Tj")
            return
        glyphs = shaped.glyphs[j0:j1]
        text = shaped.text
        faces = chain.faces
        # x of each character of the range
        pos = {}
        px = x
        for i in range(a, b):
            pos[i] = px
            px += widths[i - a] + cs
        cur_face = None
        items: list[str] = []
        pen = 0.0
        run_x = 0.0  # x where the current cluster's glyphs started
        last_char = None
        hexes: list[str] = []

        def flush():
            if hexes:
                items.append("<" + "".join(hexes) + ">")
                hexes.clear()

        for g in glyphs:
            pdf = faces[g.face].embedding
            if g.char != last_char:
                run_x = pos[g.char]
                last_char = g.char
            target = run_x + g.dx * size
            if g.face != cur_face:
                flush()
                if items:
                    self.ops.append("[" + " ".join(items) + "] TJ")
                    items = []
                self._font(pdf, size)
                cur_face = g.face
                self.ops.append(f"1 0 0 1 {fp_str(target)} {fp_str(y + g.dy * size)} Tm")
                pen = target
                dy_now = g.dy
            elif g.dy != dy_now:
                flush()
                if items:
                    self.ops.append("[" + " ".join(items) + "] TJ")
                    items = []
                self.ops.append(f"1 0 0 1 {fp_str(target)} {fp_str(y + g.dy * size)} Tm")
                pen = target
                dy_now = g.dy
            delta = target - pen
            if delta > EPS or delta < -EPS:
                flush()
                items.append(fp_str(-delta * 1000.0 / size))
                pen = target
            hexes.append(f"{g.gid:04X}")
            pen += pdf.width1000(g.gid) * size / 1000.0 + cs
            run_x += g.advance * size
        flush()
        if items:
            self.ops.append("[" + " ".join(items) + "] TJ")

    def getCode(self):
        return " ".join(["BT", *self.ops, "0 Tc ET" if self._tc else "ET"])


class _Plan:
    """What drawing needs of a shaped text, worked out once: each glyph's hex code, and
    which runs of glyphs can be shown as one plain string (same face, one glyph per
    character, no offsets, advance = the /W width)."""

    __slots__ = ("shaped", "hexes", "breaks", "faces")

    def __init__(self, chain: Chain, shaped: Shaped):
        self.shaped = shaped
        glyphs = shaped.glyphs
        self.hexes = [f"{g.gid:04X}" for g in glyphs]
        self.faces = tuple(f.embedding for f in chain.faces)
        # breaks[j]: glyphs 0..j-1 that cannot continue a plain string from their predecessor
        breaks = [0]
        prev = None
        for g in glyphs:
            pdf = self.faces[g.face]
            plain = (g.dx == 0 and g.dy == 0 and g.end == g.char + 1
                     and abs(pdf.width1000(g.gid) - g.advance * 1000.0) < 1e-3
                     and (prev is None or (prev.face == g.face and prev.char + 1 == g.char)))
            breaks.append(breaks[-1] + (0 if plain else 1))
            prev = g
        self.breaks = breaks
        self._record(chain, shaped)

    def simple(self, j0: int, j1: int) -> bool:
        g = self.shaped.glyphs[j0]
        first_ok = g.dx == 0 and g.dy == 0 and g.end == g.char + 1 and abs(
            self.faces[g.face].width1000(g.gid) - g.advance * 1000.0) < 1e-3
        return first_ok and self.breaks[j1] - self.breaks[j0 + 1] == 0

    def _record(self, chain: Chain, shaped: Shaped) -> None:
        """Every glyph of the text goes into its face's subset, with the text it stands for."""
        text = shaped.text
        last = None
        for g in shaped.glyphs:
            pdf = self.faces[g.face]
            if g.char != last:
                pdf.use(g.gid, text[g.char:g.end])
                last = g.char
                if not g.gid:  # a character no face has: the build fails on it
                    chain.missing_seen.setdefault(text[g.char], text)
            else:
                pdf.use(g.gid, "")


#: id(shaped) -> plan, for the fonts of the current build (a new build registers new
#: PDF fonts: the plans are made again for them)
_PLANS: dict[int, _Plan] = {}


def _plan(chain: Chain, shaped: Shaped) -> _Plan:
    plan = _PLANS.get(id(shaped))
    if plan is None or plan.shaped is not shaped or any(
            a is not b.embedding for a, b in zip(plan.faces, chain.faces)):
        plan = _PLANS[id(shaped)] = _Plan(chain, shaped)
    return plan


def draw_string(canvas, x: float, y: float, text: str, chain: Chain, size: float,
                anchor: str = "start") -> float:
    """Draw one line of text with its left end (anchor "start"), right end ("end") or
    middle ("middle") at x; the canvas's fill colour applies.  Returns the width."""
    shaped = chain.shape(text)
    widths = [w * size for w in shaped.advances]
    total = sum(widths)
    if anchor == "end":
        x -= total
    elif anchor == "middle":
        x -= total / 2
    tx = GlyphText(canvas)
    tx.show(chain, shaped, 0, len(text), size, x, y, widths)
    canvas.drawText(tx)
    return total
