"""The fallback chain: a font role's faces in order, and the shaping of text through it.

A `Chain` is a font role's faces (`authoring.fonts.face.Face`) in order (styles/theme.yaml:
``fonts.<role>`` is a list).  `Chain.shape(text)` cuts the text where the face changes (a
character comes from the first face that has it; combining marks and spaces stay with the
character before them), shapes each piece with HarfBuzz (`authoring.fonts.face.shape_run`:
kerning and the font's default features) and returns a `Shaped`
(authoring.fonts.shaped): the glyphs, and an advance for every character (a cluster's
advance on its first character, 0 on the others), which is what the line breaker measures
with.

A character no face has is shaped as glyph 0 (.notdef) of the first face; drawing it records
it in `Chain.missing_seen` (authoring.layout.glyphs), and the build fails on it (the glyph
check names the source position of characters from entries before anything is laid out).

`cjk_features(face)` and `feature_adjustments(chain, text, tag)` expose the CJK
positioning features of a face (``halt``, ``chws``, ``palt``, ``vhal``...) for the line
breaker: which ones the face has, and per character the change of placement and advance
(in em) that applying one of them makes.
"""

from __future__ import annotations

import unicodedata

from .errors import FontsMissing
from .face import CJK_FEATURES, LANGUAGE, Face, cjk_features, shape_run
from .shaped import Glyph, Shaped, pack, unpack

__all__ = ["CJK_FEATURES", "LANGUAGE", "Chain", "Face", "Glyph", "Shaped", "cjk_features",
           "drawn", "feature_adjustments"]


def drawn(ch: str) -> bool:
    """False for what is never drawn: line breaks, tabs, controls, format characters
    (zero-width space, BOM, ...) and variation selectors."""
    cp = ord(ch)
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return False
    return unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp")


def _sticky(ch: str) -> bool:
    """Characters that stay with the face of the character before them when it has them."""
    return ch == " " or unicodedata.category(ch) in ("Mn", "Me", "Mc")


def _cjk(cp: int) -> bool:
    return (0x2E80 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7AF or 0xF900 <= cp <= 0xFAFF
            or 0xFE30 <= cp <= 0xFE4F or 0xFF00 <= cp <= 0xFFEF or 0x20000 <= cp <= 0x3FFFF)


class Chain:
    """A font role's faces in order: a character comes from the first face that has it."""

    def __init__(self, role: str, faces: tuple[Face, ...]):
        if not faces:
            raise FontsMissing(f"fonts.{role}: no face")
        self.role = role
        self.faces = tuple(faces)
        self._memo: dict[str, Shaped] = {}
        self._seeded: dict[str, tuple] = {}
        self._used: set[str] = set()
        self._kinds: dict[str, tuple] = {}
        self.drawn: dict[int, "Shaped"] = {}
        #: characters shaped as .notdef (no face has them) -> a text they came in
        self.missing_seen: dict[str, str] = {}

    @property
    def family(self) -> str:
        return ", ".join(f.family for f in self.faces)

    @property
    def primary(self) -> Face:
        return self.faces[0]

    def face_of(self, ch: str) -> int:
        """Index of the first face that has `ch`, -1 when none has it."""
        for k, f in enumerate(self.faces):
            if f.glyph(ch):
                return k
        return -1

    def missing(self, chars) -> set[str]:
        """The characters of `chars` (drawn ones only) that no face of the chain has."""
        kinds, faces = self._kinds, self.faces
        out = set()
        for ch in set(chars):
            if len(ch) != 1:
                continue
            known = kinds.get(ch)
            if known is not None:  # shaped already: its kind says
                if known[0] == -2:
                    out.add(ch)
            elif not any(f.glyph(ch) for f in faces) and drawn(ch):
                out.add(ch)
        return out

    def width(self, text: str, size: float) -> float:
        """Width of `text` set at `size` points."""
        return sum(self.shape(text).advances) * size

    def shape(self, text: str) -> Shaped:
        hit = self._memo.get(text)
        if hit is None:
            packed = self._seeded.pop(text, None)
            try:
                hit = unpack(text, packed) if packed is not None else None
            except (ValueError, TypeError):
                hit = None  # a damaged memo entry: shape again
            if hit is None:
                hit = self._shape(text)
            self._memo[text] = hit
        self._used.add(text)
        return hit

    # -- the memo kept between builds (authoring.fonts.memo) ----------------------------

    def memo_export(self) -> dict:
        """The texts shaped since `memo_reset`, as marshal-able data."""
        return {t: pack(self._memo[t]) for t in self._used}

    def memo_used(self) -> set[str]:
        return self._used

    def memo_seed(self, data: dict) -> None:
        self._seeded.update((t, p) for t, p in data.items() if t not in self._memo)

    def memo_reset(self) -> None:
        """A new build: nothing shaped, drawn or missing yet."""
        self._used = set()
        self.missing_seen = {}
        #: id -> shaped texts drawn in this build (their glyphs are recorded once)
        self.drawn: dict[int, Shaped] = {}

    def _kind(self, ch: str) -> tuple[int, bool, bool | None]:
        """(face index or -1 not drawn / -2 in no face, sticky, CJK-ness of a strong
        character or None), memoised per character."""
        hit = self._kinds.get(ch)
        if hit is None:
            if not drawn(ch):
                hit = (-1, False, None)
            else:
                k = self.face_of(ch)
                cp = ord(ch)
                strong = ch.isalpha() or _cjk(cp)
                hit = (k if k >= 0 else -2, _sticky(ch), _cjk(cp) if strong else None)
            self._kinds[ch] = hit
        return hit

    def _pieces(self, text: str):
        """(start, end, face index) of the runs to shape; face -1: not drawn, -2: no face
        has the characters (.notdef).  A run ends where the face changes, and where the
        text turns from CJK to other letters or back (each run is shaped as one script)."""
        out = []
        kind = self._kinds.get
        cur = None
        cur_cjk = None
        start = 0
        faces = self.faces
        for i, ch in enumerate(text):
            hit = kind(ch) or self._kind(ch)
            k, sticky, cj = hit
            if k == -1:
                cj = cur_cjk
            elif sticky and cur is not None and cur >= 0 and faces[cur].glyph(ch):
                k, cj = cur, cur_cjk
            elif cj is None:
                cj = cur_cjk
            if cur is None:
                cur, cur_cjk = k, cj
                continue
            if k != cur or (k >= 0 and cj is not None and cur_cjk is not None and cj != cur_cjk):
                out.append((start, i, cur))
                start, cur = i, k
            if cj is not None:
                cur_cjk = cj
        if text:
            out.append((start, len(text), cur))
        return out

    def _shape(self, text: str) -> Shaped:
        n = len(text)
        adv = [0.0] * n
        nominal = [0.0] * n
        chars: list[int] = []
        ends: list[int] = []
        faces: list[int] = []
        gids: list[int] = []
        gadv: list[float] = []
        dxs: list[float] = []
        dys: list[float] = []
        plain: list[int] = []
        for a, b, k in self._pieces(text):
            if k == -1:
                continue
            if k == -2:
                face = self.faces[0]
                w = face.advance(0) / face.upem
                for i in range(a, b):
                    adv[i] = nominal[i] = w
                    chars.append(i), ends.append(i + 1), faces.append(0), gids.append(0)
                    gadv.append(w), dxs.append(0.0), dys.append(0.0), plain.append(1)
                continue
            face = self.faces[k]
            em = 1.0 / face.upem
            infos, positions = shape_run(face, text[a:b])
            starts = sorted({a + i.cluster for i in infos}) + [b]
            cend = dict(zip(starts, starts[1:]))
            for info, pos in zip(infos, positions):
                c = a + info.cluster
                g = info.codepoint
                xa, xo, yo = pos.x_advance, pos.x_offset, pos.y_offset
                adv[c] += xa * em
                nominal[c] += face.advance(g) * em
                chars.append(c), ends.append(cend[c]), faces.append(k), gids.append(g)
                gadv.append(xa * em), dxs.append(xo * em), dys.append(yo * em)
                plain.append(1 if (not xo and not yo and cend[c] == c + 1
                                   and xa == face.advance(g)) else 0)
        m = len(gids)
        first = [m] * (n + 1)
        j = m
        for c in range(n - 1, -1, -1):
            while j > 0 and chars[j - 1] >= c:
                j -= 1
            first[c] = j
        return Shaped(text, tuple(adv), tuple(nominal), tuple(first), tuple(chars), tuple(ends), tuple(faces),
                      tuple(gids), tuple(gadv), tuple(dxs), tuple(dys), tuple(plain))


def feature_adjustments(chain: Chain, text: str, tag: str) -> list[tuple[float, float]]:
    """Per character of `text`: (change of x placement, change of advance), in em, that
    turning on the GPOS feature `tag` (``halt``, ``chws``, ``palt``...) makes, against the
    default shaping.  (0, 0) where the feature does nothing or the face lacks it.  E.g.
    ``halt`` on "（" in Noto CJK: (-0.5, -0.5), the glyph moved left into a half-em box."""
    out = [(0.0, 0.0)] * len(text)
    for a, b, k in chain._pieces(text):
        if k < 0:
            continue
        face = chain.faces[k]
        em = 1.0 / face.upem
        runs = []
        for feats in ({}, {tag: True}):
            infos, positions = shape_run(face, text[a:b], feats)
            runs.append([(i.cluster, p.x_offset, p.x_advance) for i, p in zip(infos, positions)])
        base, on = runs
        if len(base) != len(on):
            continue  # the feature changed the glyphs, not only their positions
        for (c, x0, w0), (_c, x1, w1) in zip(base, on):
            if (x0, w0) != (x1, w1):
                out[a + c] = ((x1 - x0) * em, (w1 - w0) * em)
    return out
