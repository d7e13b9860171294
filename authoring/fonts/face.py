"""The HarfBuzz side of the fonts: a face loaded from its file, and the shaping of one run.

A `Face` is one font face (a file, and an index in a collection): its glyph for a
character, a glyph's advance, its names, and the CJK positioning features its GPOS table
has (`cjk_features`).  `shape_run(face, text, features)` is the one call of ``hb.shape``:
a run of one face, left to right, in `LANGUAGE`, with the font's default features (kerning)
and any `features` turned on.  Everything above one run (which face a character comes
from, where runs end, the shaped records) is `authoring.fonts.shaping`'s.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import uharfbuzz as hb

from .errors import FontsMissing

#: The language text is shaped for (the fonts' locl forms): the report is Simplified
#: Chinese, whatever the machine's locale.
LANGUAGE = "zh-Hans"

#: The CJK positioning features the line breaker may want (GPOS).
CJK_FEATURES = ("halt", "chws", "palt", "vhal", "vchw", "vpal", "kern")


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


def shape_run(face: Face, text: str, features: dict | None = None):
    """``hb.shape`` of `text`, all of it from `face`: (glyph infos, glyph positions), in
    font units; an info's ``cluster`` is the index in `text` of its cluster's first
    character."""
    buf = hb.Buffer()
    buf.add_codepoints([ord(c) for c in text])
    buf.guess_segment_properties()
    buf.direction = "ltr"  # no bidi here: glyphs in the text's order
    buf.language = LANGUAGE  # never the machine's locale: the same glyphs everywhere
    if features:
        hb.shape(face.font, buf, features)
    else:
        hb.shape(face.font, buf)
    return buf.glyph_infos, buf.glyph_positions


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
