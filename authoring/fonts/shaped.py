"""The records of a shaped text: its glyphs, per character its advance, and their packed form.

`Shaped` is what `authoring.fonts.shaping.Chain.shape` returns and what the line breaker
and the drawing read; `pack`/`unpack` turn it into the marshal-able tuple the shaping memo
keeps between builds (authoring.fonts.memo) and back.
"""

from __future__ import annotations

from typing import NamedTuple


class Glyph(NamedTuple):
    char: int       # index of the first character of its cluster in the shaped text
    end: int        # index after the cluster's last character
    face: int       # index of the face in the chain
    gid: int
    advance: float  # em
    dx: float       # x offset, em
    dy: float       # y offset, em


class Shaped:
    """A shaped text: per character its advance; per glyph (in columns, which the memo
    stores as they are) its cluster, face, id, advance and offsets; and what drawing needs,
    worked out once: the glyph ids as hex codes, and which glyphs are *plain* (one glyph
    for one character, no offset, advance = the font's own advance), so that a run of plain
    glyphs of one face is one PDF string."""

    __slots__ = ("text", "advances", "nominal", "first", "chars", "ends", "faces", "gids",
                 "gadv", "dx", "dy", "hexes", "plain", "breaks", "_uses")

    def __init__(self, text, advances, nominal, first, chars, ends, faces, gids, gadv, dx, dy,
                 plain, hexes=None, breaks=None):
        self.text = text
        self.advances = advances  # per character, em (a cluster's advance on its first one)
        self.nominal = nominal    # the same without kerning: the glyphs' own advances
        self.first = first        # first[c]: index of the first glyph of a cluster at or after c
        self.chars, self.ends, self.faces, self.gids = chars, ends, faces, gids
        self.gadv, self.dx, self.dy = gadv, dx, dy
        self.plain = plain        # per glyph: 1 when plain
        self.hexes = hexes if hexes is not None else "".join(f"{g:04X}" for g in gids)
        if breaks is None:
            # breaks[j]: how many of glyphs 1..j-1 do not continue a plain string of their
            # predecessor (not plain, another face, or not the next character)
            breaks = [0, 0]
            for j in range(1, len(gids)):
                cont = plain[j] and faces[j] == faces[j - 1] and chars[j] == chars[j - 1] + 1
                breaks.append(breaks[-1] + (0 if cont else 1))
            breaks = tuple(breaks[:len(gids) + 1])
        self.breaks = breaks
        self._uses = None

    def uses(self) -> tuple[tuple[int, dict[int, str]], ...]:
        """Per face index, its glyphs in the order first drawn, each with the first text it
        stands for ("" for a glyph that only continues a cluster): what drawing the text
        records for the subsets (authoring.layout.glyphs), worked out once."""
        if self._uses is None and self.gids and self.plain[0] and self.breaks[-1] == 0 \
                and len(self.gids) == len(self.text):
            # one face, a glyph per character (most texts): each glyph's first character
            gids = self.gids
            first = dict(zip(reversed(gids), reversed(self.text)))
            self._uses = ((self.faces[0], {g: first[g] for g in dict.fromkeys(gids)}),)
        if self._uses is None:
            per: dict[int, dict[int, str]] = {}
            text = self.text
            last = None
            for c, e, k, g in zip(self.chars, self.ends, self.faces, self.gids):
                used = per.setdefault(k, {})
                t = ""
                if c != last:
                    t = text[c:e]
                    last = c
                if g not in used or (t and not used[g]):
                    used[g] = t
            self._uses = tuple(per.items())
        return self._uses

    @property
    def glyphs(self) -> tuple[Glyph, ...]:
        return tuple(map(Glyph._make, zip(self.chars, self.ends, self.faces, self.gids,
                                          self.gadv, self.dx, self.dy)))

    def glyphs_of(self, a: int, b: int) -> tuple[Glyph, ...]:
        """The glyphs of the clusters that start at characters a..b-1."""
        return self.glyphs[self.first[a]:self.first[b]]

    def simple(self, j0: int, j1: int) -> bool:
        """True when glyphs j0..j1-1 can be shown as one plain string."""
        return bool(self.plain[j0]) and self.breaks[j1] - self.breaks[j0 + 1] == 0

    def __eq__(self, other):
        return isinstance(other, Shaped) and pack(self) == pack(other) and self.text == other.text

    __hash__ = object.__hash__


def pack(sh: Shaped) -> tuple:
    """`sh` as a tuple of tuples (marshal-able), without its text."""
    return (sh.advances, sh.nominal, sh.first, sh.chars, sh.ends, sh.faces, sh.gids, sh.gadv, sh.dx, sh.dy,
            sh.plain, sh.hexes, sh.breaks)


def unpack(text: str, packed) -> Shaped:
    """The `Shaped` of `text` that `pack` gave `packed`; ValueError when it cannot be."""
    if len(packed) != 13 or len(packed[0]) != len(text) or len(packed[2]) != len(text) + 1:
        raise ValueError("a memo entry of another text")
    return Shaped(text, *packed)
