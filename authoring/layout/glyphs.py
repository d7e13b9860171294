"""Drawing shaped text: glyph ids at the positions the typesetter chose.

Every piece of text the layout draws goes through here (paragraphs, headers, footers,
leaders, page numbers), so every glyph drawn is recorded on its face's PDF font
(authoring.fonts.embed.PDFFace.use) and the PDF's subsets hold exactly what is drawn.

`GlyphText` is a reportlab text object (a subclass of the public ``PDFTextObject``,
drawn with ``canvas.drawText``) whose operators are written here: ``Tf`` per face and
size, ``Tc`` for the letter spacing of justified lines, and one ``TJ`` per box with the
glyph ids as two-byte codes (Identity-H); where a glyph's place differs from where its
predecessor's advance (its /W width plus Tc) leaves the pen, the difference (kerning,
Han–Latin gaps, compressed punctuation, mark offsets) is a TJ adjustment.  Its fill colour
is `fill_op`'s operator for the run's ``#RRGGBB``, made once per colour.
"""

from __future__ import annotations

import weakref

from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.textobject import PDFTextObject

from ..fonts.shaped import Shaped
from ..fonts.shaping import Chain

#: Adjustments smaller than this (points) are not written.
EPS = 1e-3


_COLORS: dict[str, HexColor] = {}
_FILL_OPS: dict[str, str] = {}


def color(hexstr: str) -> HexColor:
    """reportlab's colour of ``#RRGGBB``, made once per colour (text draws it often)."""
    c = _COLORS.get(hexstr)
    if c is None:
        c = _COLORS[hexstr] = HexColor(hexstr)
    return c


def fill_op(hexstr: str) -> str:
    """The fill colour operator (``r g b rg``) of ``#RRGGBB`` for `GlyphText.fill`."""
    op = _FILL_OPS.get(hexstr)
    if op is None:
        c = color(hexstr)
        op = _FILL_OPS[hexstr] = f"{fp_str(c.red, c.green, c.blue)} rg"
    return op


class GlyphText(PDFTextObject):
    """A text object of positioned glyphs; ``canvas.drawText(obj)`` draws it."""

    def __init__(self, canvas):
        super().__init__(canvas)
        self.ops: list[str] = []
        self._tf = None
        self._tc = 0.0
        self._fill = None
        #: what drawing the operators again needs (see `Drawn`): the fonts set, in order,
        #: and the shaped texts shown
        self.fonts_set: list[tuple[str, float]] = []
        self.shown: dict[int, tuple[Chain, Shaped]] = {}

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
            self.fonts_set.append(tf)
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
        if id(shaped) not in chain.drawn:
            _record(chain, shaped)
        self.shown.setdefault(id(shaped), (chain, shaped))
        self._charspace(cs)
        faces = chain.faces
        if shaped.simple(j0, j1):  # one face, one glyph per character at its own advance
            self._font(faces[shaped.faces[j0]].embedding, size)
            self.ops.append(f"1 0 0 1 {fp_str(x)} {fp_str(y)} Tm <{shaped.hexes[4 * j0:4 * j1]}> Tj")
            return
        # x of each character of the range
        pos = {}
        px = x
        for i in range(a, b):
            pos[i] = px
            px += widths[i - a] + cs
        chars, gface, gids = shaped.chars, shaped.faces, shaped.gids
        gadv, gdx, gdy, hexes = shaped.gadv, shaped.dx, shaped.dy, shaped.hexes
        cur_face = None
        dy_now = 0.0
        items: list[str] = []
        run: list[str] = []
        pen = 0.0
        run_x = 0.0  # where the current cluster's next glyph goes
        last_char = None
        for j in range(j0, j1):
            c = chars[j]
            if c != last_char:
                run_x = pos[c]
                last_char = c
            pdf = faces[gface[j]].embedding
            target = run_x + gdx[j] * size
            if gface[j] != cur_face or gdy[j] != dy_now:
                if run:
                    items.append("<" + "".join(run) + ">")
                    run = []
                if items:
                    self.ops.append("[" + " ".join(items) + "] TJ")
                    items = []
                if gface[j] != cur_face:
                    self._font(pdf, size)
                    cur_face = gface[j]
                dy_now = gdy[j]
                self.ops.append(f"1 0 0 1 {fp_str(target)} {fp_str(y + dy_now * size)} Tm")
                pen = target
            delta = target - pen
            if delta > EPS or delta < -EPS:
                if run:
                    items.append("<" + "".join(run) + ">")
                    run = []
                items.append(fp_str(-delta * 1000.0 / size))
                pen = target
            run.append(hexes[4 * j:4 * j + 4])
            pen += pdf.width1000(gids[j]) * size / 1000.0 + cs
            run_x += gadv[j] * size
        if run:
            items.append("<" + "".join(run) + ">")
        if items:
            self.ops.append("[" + " ".join(items) + "] TJ")

    def getCode(self):
        return " ".join(["BT", *self.ops, "0 Tc ET" if self._tc else "ET"])


#: canvas -> the names of the fonts set on it so far (a font set again only names it)
_NAMED: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()


def name_fonts(canvas, names) -> None:
    """Name the fonts on the canvas, in order: a font's first use in the document makes its
    resource there (a font named again is only named)."""
    named = _NAMED.get(canvas)
    if named is None:
        named = _NAMED[canvas] = set()
    tx = None
    for name in names:
        if name not in named:
            tx = tx or GlyphText(canvas)
            tx.setFont(name, 10)
            named.add(name)


class Drawn:
    """The operators of a `GlyphText` as drawn, to draw them again: `replay` has every effect
    drawing the text had (the fonts' resources, the glyphs recorded for the subsets, in the
    same order) and writes the same bytes.  Operators are in the flowable's own
    coordinates, so they serve wherever the flowable is placed."""

    __slots__ = ("code", "fonts", "shown")

    def __init__(self, tx: GlyphText):
        self.code = tx.getCode()
        self.fonts = tuple(tx.fonts_set)
        self.shown = tuple(tx.shown.values())

    def replay(self, canvas) -> None:
        self.effects(canvas)
        canvas.drawText(self)

    def effects(self, canvas) -> None:
        """What drawing the text does to the document besides its operators."""
        name_fonts(canvas, [name for name, _size in self.fonts])
        for chain, shaped in self.shown:
            if id(shaped) not in chain.drawn:
                _record(chain, shaped)

    def getCode(self) -> str:  # what canvas.drawText writes
        return self.code


def _record(chain: Chain, shaped: Shaped) -> None:
    """Every glyph of a text drawn goes into its face's subset, with the text it stands for
    (once per text and build); a character no face has is noted (the build fails on it)."""
    chain.drawn[id(shaped)] = shaped
    faces = chain.faces
    for k, used in shaped.uses():
        faces[k].embedding.use_all(used)
        if 0 in used:  # .notdef: noted at the first glyph of its cluster
            text = shaped.text
            last = None
            for c, g in zip(shaped.chars, shaped.gids):
                if c != last:
                    last = c
                    if not g:
                        chain.missing_seen.setdefault(text[c], text)


def draw_string(canvas, x: float, y: float, text: str, chain: Chain, size: float,
                anchor: str = "start") -> float:
    """Draw one line of text with its left end (anchor "start"), right end ("end") or
    middle ("middle") at x; the canvas's fill colour applies.  Returns the width.  What
    drawing it gave is kept with the chain (a running header is the same on every page)."""
    kept = _STRINGS.get(chain)
    if kept is None or len(kept) > STRINGS_KEPT:
        kept = _STRINGS[chain] = {}
    key = (text, size, x, y, anchor)
    hit = kept.get(key)
    shaped = chain.shape(text)  # also on a hit: a text this build shaped (authoring.fonts.memo)
    if hit is None:
        widths = [w * size for w in shaped.advances]
        total = sum(widths)
        if anchor == "end":
            x -= total
        elif anchor == "middle":
            x -= total / 2
        tx = GlyphText(canvas)
        tx.show(chain, shaped, 0, len(text), size, x, y, widths)
        hit = kept[key] = (Drawn(tx), total)
    hit[0].replay(canvas)
    return hit[1]


#: chain -> (text, size, x, y, anchor) -> (Drawn, width): lines drawn by `draw_string`
_STRINGS: "weakref.WeakKeyDictionary[Chain, dict]" = weakref.WeakKeyDictionary()
STRINGS_KEPT = 5000
