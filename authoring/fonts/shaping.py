"""Shaping with HarfBuzz: glyph ids and advances come from the font, through a fallback chain.

A `Face` is one font face (a file, and an index in a collection) loaded by HarfBuzz; a
`Chain` is a font role's faces in order (styles/theme.yaml: ``fonts.<role>`` is a list).
`Chain.shape(text)` cuts the text where the face changes (a character comes from the first
face that has it; combining marks and spaces stay with the character before them), shapes
each piece with ``hb.shape`` (kerning and the font's default features) and returns a
`Shaped`: the glyphs, and an advance for every character (a cluster's advance on its first
character, 0 on the others), which is what the line breaker measures with.

A character no face has is shaped as glyph 0 (.notdef) of the first face; drawing it records
it in `Chain.missing_seen` (authoring.layout.glyphs), and the build fails on it (the glyph check names the source position of
characters from entries before anything is laid out).

`cjk_features(face)` and `feature_adjustments(chain, text, tag)` expose the CJK
positioning features of a face (``halt``, ``chws``, ``palt``, ``vhal``...) for the line
breaker: which ones the face has, and per character the change of placement and advance
(in em) that applying one of them makes.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path
from typing import NamedTuple

import uharfbuzz as hb

from .errors import FontsMissing

#: The language text is shaped for (the fonts' locl forms): the report is Simplified
#: Chinese, whatever the machine's locale.
LANGUAGE = "zh-Hans"

#: The CJK positioning features the line breaker may want (GPOS).
CJK_FEATURES = ("halt", "chws", "palt", "vhal", "vchw", "vpal", "kern")


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


class Face:
    """One face loaded by HarfBuzz.  `key` names it in caches (path, size, mtime, index)."""

    def __init__(self, path: Path, index: int = 0):
        self.path = Path(path)
        self.index = index
        st = self.path.stat()
        self.key = hashlib.sha256(json.dumps(
            [str(self.path), st.st_size, st.st_mtime_ns, index, hb.__version__]).encode()).hexdigest()
        try:
            self.hb_face = hb.Face(hb.Blob.from_file_path(str(self.path)), index)
        except Exception as exc:  # noqa: BLE001 - unreadable or not a font
            raise FontsMissing(f"{self.path}: cannot read face {index}: {exc}") from None
        tags = set(self.hb_face.table_tags)
        if not tags:
            raise FontsMissing(f"{self.path}: face {index} is not a font HarfBuzz can read")
        if "CFF2" in tags or "fvar" in tags:
            raise FontsMissing(f"{self.path}: variable fonts are not supported; "
                               f"name a static .ttf/.otf/.ttc in styles/theme.yaml")
        if "CFF " not in tags and "glyf" not in tags:
            raise FontsMissing(f"{self.path}: face {index} has no outlines (neither CFF nor glyf)")
        self.cff = "CFF " in tags
        self.upem = self.hb_face.upem
        self.font = hb.Font(self.hb_face)  # scale = upem: positions in font units
        names = hb.OTNameIdPredefined
        self.family = (self.hb_face.get_name(names.TYPOGRAPHIC_FAMILY)
                       or self.hb_face.get_name(names.FONT_FAMILY) or self.path.stem)
        self.postscript_name = (self.hb_face.get_name(names.POSTSCRIPT_NAME)
                                or self.family.replace(" ", ""))
        self._gid: dict[str, int] = {}
        #: glyph id -> advance in 1/1000 em as a PDF's /W gives it (authoring.fonts.embed),
        #: and glyph id -> its outline's extents (subsets' bounding boxes)
        self.widths1000: dict[int, float] = {}
        self.extents: dict[int, object] = {}
        #: the last subsets made and their /W and /ToUnicode, by the glyphs (and texts) they
        #: hold: a process that builds again and again (a watch) makes each only once
        self.embedded: dict[tuple, object] = {}
        self.bfchars: dict[tuple[int, str], bytes] = {}  # (glyph, text) -> its /ToUnicode line
        #: set by the PDF side (authoring.fonts.embed) when the face is registered there
        self.embedding = None

    def glyph(self, ch: str) -> int:
        """The face's glyph for `ch`, 0 when it has none."""
        g = self._gid.get(ch)
        if g is None:
            g = self._gid[ch] = self.font.get_nominal_glyph(ord(ch)) or 0
        return g

    def advance(self, gid: int) -> int:
        """Horizontal advance of a glyph, font units."""
        return self.font.get_glyph_h_advance(gid)

    def __repr__(self) -> str:
        return f"<Face {self.family} {self.path.name}#{self.index}>"


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
        return isinstance(other, Shaped) and _pack(self) == _pack(other) and self.text == other.text

    __hash__ = object.__hash__


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
                hit = _unpack(text, packed) if packed is not None else None
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
        return {t: _pack(self._memo[t]) for t in self._used}

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
            buf = hb.Buffer()
            buf.add_codepoints([ord(c) for c in text[a:b]])
            buf.guess_segment_properties()
            buf.direction = "ltr"  # no bidi here: glyphs in the text's order
            buf.language = LANGUAGE  # never the machine's locale: the same glyphs everywhere
            hb.shape(face.font, buf)
            infos = buf.glyph_infos
            starts = sorted({a + i.cluster for i in infos}) + [b]
            cend = dict(zip(starts, starts[1:]))
            for info, pos in zip(infos, buf.glyph_positions):
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


def _pack(sh: Shaped) -> tuple:
    return (sh.advances, sh.nominal, sh.first, sh.chars, sh.ends, sh.faces, sh.gids, sh.gadv, sh.dx, sh.dy,
            sh.plain, sh.hexes, sh.breaks)


def _unpack(text: str, packed) -> Shaped:
    if len(packed) != 13 or len(packed[0]) != len(text) or len(packed[2]) != len(text) + 1:
        raise ValueError("a memo entry of another text")
    return Shaped(text, *packed)


# ------------------------------------------------------------------ CJK features

def cjk_features(face: Face) -> frozenset[str]:
    """The CJK positioning features (`CJK_FEATURES`) the face's GPOS table has, for any
    script: e.g. Noto Serif CJK has halt, palt, vhal, vpal and kern, not chws."""
    found: set[str] = set()
    hf = face.hb_face
    for si, _tag in enumerate(hf.get_table_script_tags("GPOS")):
        langs = len(hf.get_script_language_tags("GPOS", si))
        for li in [0xFFFF, *range(langs)]:
            found.update(t for t in hf.get_language_feature_tags("GPOS", si, li) if t in CJK_FEATURES)
    return frozenset(found)


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
            buf = hb.Buffer()
            buf.add_codepoints([ord(c) for c in text[a:b]])
            buf.guess_segment_properties()
            buf.direction = "ltr"
            buf.language = LANGUAGE
            hb.shape(face.font, buf, feats)
            runs.append([(i.cluster, p.x_offset, p.x_advance)
                         for i, p in zip(buf.glyph_infos, buf.glyph_positions)])
        base, on = runs
        if len(base) != len(on):
            continue  # the feature changed the glyphs, not only their positions
        for (c, x0, w0), (_c, x1, w1) in zip(base, on):
            if (x0, w0) != (x1, w1):
                out[a + c] = ((x1 - x0) * em, (w1 - w0) * em)
    return out
