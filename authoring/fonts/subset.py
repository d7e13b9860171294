"""Subsetting a face to the glyphs a PDF draws, with ``hb.subset``; cached.

The PDF addresses glyphs by the face's own glyph ids (Identity-H), so a subset must keep
them reachable under those ids:

- a CFF face (the Noto CJK collections) is CID-keyed: the subset is compact, and its
  charset keeps each glyph's CID.  The PDF embeds the bare ``CFF `` table (FontFile3,
  CIDFontType0C), whose CIDs must equal the source's glyph ids.  That is checked once per
  face (fontTools reads the source face's charset; the answer is kept in the cache as
  ``<cache>/fonts/<hash of the face key>.cids``), and a face whose CIDs differ is subset with
  ``RETAIN_GIDS`` and an identity charset instead;
- a TrueType face keeps its glyph ids (``RETAIN_GIDS``: the unused glyphs are empty) and is
  embedded whole (FontFile2, CIDFontType2 with an identity CIDToGIDMap).

The compressed program is kept in ``<cache>/fonts/<sha256>.program`` under a key of the
face (path, size, mtime, index, HarfBuzz's version) and the glyph ids; both kinds of entry
are `cache.store.Store` entries, and a damaged one is made again.
"""

from __future__ import annotations

import io
import marshal
import zlib
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz as hb

from ..cache.store import Store
from .errors import FontsMissing
from .shaping import Face

FORMAT = "program-3"
#: Tables a PDF font program does not need.
DROPPED = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "VORG", "vhea", "vmtx", "DSIG",
           "meta", "EBDT", "EBLC", "EBSC", "CBDT", "CBLC", "sbix", "SVG ", "COLR", "CPAL",
           "LTSH", "PCLT", "hdmx", "VDMX", "kern", "FFTM", "STAT", "morx", "feat")


@dataclass(frozen=True)
class Program:
    kind: str       # "cff": bare CFF table (CIDFontType0C); "truetype": a whole sfnt
    length: int     # uncompressed bytes
    packed: bytes   # zlib-compressed program
    bbox: tuple     # (x0, y0, x1, y1) of the glyphs' outlines, font units


def _subset(face: Face, gids: list[int], flags: int) -> hb.Face:
    inp = hb.SubsetInput()
    inp.glyph_set.update(gids)
    inp.flags = flags | hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NO_LAYOUT_CLOSURE
    inp.drop_table_tag_set.update(_tag(t) for t in DROPPED)
    out = hb.subset(face.hb_face, inp)
    if out is None:
        raise FontsMissing(f"{face.path}: HarfBuzz could not subset face {face.index}")
    return out


def _tag(name: str) -> int:
    b = name.encode("latin-1").ljust(4)
    return (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]


def cids_are_gids(path: Path, index: int) -> bool:
    """True when face `index` of the font file is CID-keyed CFF and each glyph's CID is its
    glyph id (so a compact subset, which keeps the CIDs, is addressed by source glyph ids)."""
    from fontTools.cffLib import CFFFontSet

    face = hb.Face(hb.Blob.from_file_path(str(path)), index)
    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(face.reference_table("CFF ").data), None)
    top = fonts.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return False
    return all(n == (".notdef" if g == 0 else f"cid{g:05d}") for g, n in enumerate(top.charset))


def cid_check(face: Face, cache: Path | None, background=None, *, begin: bool = True):
    """A thunk giving `cids_are_gids` for `face`: from the cache, else worked out (in the
    `background.Background` given, so that it runs beside the layout) and kept.  With
    `begin=False`, None instead of beginning the work (is the answer cached?)."""
    if not face.cff:
        return lambda: False
    store = _cids_store(cache) if cache is not None else None
    known = store.get(face.key) if store is not None else None
    if known in (b"0", b"1"):
        return lambda: known == b"1"
    if not begin:
        return None
    if background is None:
        return _now(_check_and_keep, face.path, face.index, store, face.key)
    return background.once(("cids", face.key), _check_and_keep, face.path, face.index, store, face.key)


def _cids_store(cache: Path) -> Store:
    return Store(Path(cache) / "fonts", ".cids", "cids-1")


def _check_and_keep(font: Path, index: int, store: Store | None, key: str) -> bool:
    value = cids_are_gids(font, index)
    if store is not None:
        store.put(key, b"1" if value else b"0")
    return value


def _now(fn, *args):
    """`fn(*args)` when first asked for: `Background.call` without a worker."""
    from ..background import Background

    return Background(enabled=False).call(fn, *args)


def _extents(face: Face, gid: int):
    found = face.extents.get(gid, False)
    if found is False:
        found = face.extents[gid] = face.font.get_glyph_extents(gid)
    return found


def _bbox(face: Face, gids: list[int]) -> tuple:
    boxes = [b for b in (_extents(face, g) for g in gids) if b is not None and b.width]
    if not boxes:
        ext = face.font.get_font_extents("ltr")
        return (0, ext.descender, face.upem, ext.ascender)
    return (min(b.x_bearing for b in boxes), min(b.y_bearing + b.height for b in boxes),
            max(b.x_bearing + b.width for b in boxes), max(b.y_bearing for b in boxes))


def make_program(face: Face, gids: list[int], cids_are_gids: bool) -> Program:
    """The font program of `face` with the glyphs `gids` (sorted, 0 included);
    `cids_are_gids`: what `cid_check` says of a CFF face."""
    bbox = _bbox(face, gids)
    if face.cff:
        flags = 0 if cids_are_gids else hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.CFF_IDENTITY_CHARSET
        cff = _subset(face, gids, flags).reference_table("CFF ").data
        return Program("cff", len(cff), zlib.compress(cff), bbox)
    sfnt = _subset(face, gids, hb.SubsetFlags.RETAIN_GIDS).blob.data
    return Program("truetype", len(sfnt), zlib.compress(sfnt), bbox)


def program(face: Face, gids: list[int], cache: Path | None, cids=None) -> Program:
    """`make_program`, through the cache; `cids`: the face's `cid_check` thunk."""
    cids = cids or cid_check(face, cache)
    if cache is None:
        return make_program(face, gids, cids())
    store = Store(Path(cache) / "fonts", ".program", FORMAT)
    key = f"{face.key}:{','.join(map(str, gids))}"
    found = store.get(key, decode=_program)
    if found is not None:
        return found
    prog = make_program(face, gids, cids())
    store.put(key, (prog.kind, prog.length, prog.packed, prog.bbox), encode=marshal.dumps)
    return prog


def _program(raw: bytes) -> Program:
    kind, length, packed, bbox = marshal.loads(raw)
    if kind not in ("cff", "truetype") or len(bbox) != 4:
        raise ValueError("not a font program")
    return Program(kind, length, packed, tuple(bbox))
