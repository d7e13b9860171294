"""Subsetting a face to the glyphs a PDF draws, with ``hb.subset``; cached.

The PDF addresses glyphs by the face's own glyph ids (Identity-H), so a subset must keep
them reachable under those ids:

- a CFF face (the Noto CJK collections) is CID-keyed: the subset is compact, and its
  charset keeps each glyph's CID.  The PDF embeds the bare ``CFF `` table (FontFile3,
  CIDFontType0C), whose CIDs must equal the source's glyph ids; that is checked on every
  subset made (fontTools reads the small subset's charset), and a face whose CIDs differ
  is subset with ``RETAIN_GIDS`` and an identity charset instead;
- a TrueType face keeps its glyph ids (``RETAIN_GIDS``: the unused glyphs are empty) and is
  embedded whole (FontFile2, CIDFontType2 with an identity CIDToGIDMap).

The compressed program is kept in ``<cache>/fonts/<sha256>.program`` under a key of the
face (path, size, mtime, index, HarfBuzz's version) and the glyph ids; a damaged entry is
made again.
"""

from __future__ import annotations

import hashlib
import io
import marshal
import zlib
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz as hb

from ..atomic import mark_used, prune_unused, write_bytes
from .errors import FontsMissing
from .shaping import Face

FORMAT = "2"
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


def _cids_are_gids(cff: bytes, gids: list[int]) -> bool:
    """True when the subset CFF is CID-keyed and each glyph's CID is its source glyph id."""
    from fontTools.cffLib import CFFFontSet

    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(cff), None)
    top = fonts.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return False
    names = top.charset
    return len(names) == len(gids) and all(
        n == (".notdef" if g == 0 else f"cid{g:05d}") for n, g in zip(names, gids))


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


def make_program(face: Face, gids: list[int]) -> Program:
    """The font program of `face` with the glyphs `gids` (sorted, 0 included)."""
    bbox = _bbox(face, gids)
    if face.cff:
        cff = _subset(face, gids, 0).reference_table("CFF ").data
        if not _cids_are_gids(cff, gids):
            flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.CFF_IDENTITY_CHARSET
            cff = _subset(face, gids, flags).reference_table("CFF ").data
        return Program("cff", len(cff), zlib.compress(cff), bbox)
    sfnt = _subset(face, gids, hb.SubsetFlags.RETAIN_GIDS).blob.data
    return Program("truetype", len(sfnt), zlib.compress(sfnt), bbox)


def program(face: Face, gids: list[int], cache: Path | None) -> Program:
    """`make_program`, through the cache."""
    if cache is None:
        return make_program(face, gids)
    store = Path(cache) / "fonts"
    key = hashlib.sha256(f"{FORMAT}:{face.key}:{','.join(map(str, gids))}".encode()).hexdigest()
    path = store / f"{key}.program"
    try:
        kind, length, crc, packed, bbox = marshal.loads(path.read_bytes())
        if kind in ("cff", "truetype") and zlib.crc32(packed) == crc and len(bbox) == 4:
            mark_used([path])
            return Program(kind, length, packed, tuple(bbox))
    except (OSError, EOFError, ValueError, TypeError):
        pass
    prog = make_program(face, gids)
    try:
        write_bytes(path, marshal.dumps((prog.kind, prog.length, zlib.crc32(prog.packed), prog.packed,
                                         prog.bbox)))
        prune_unused(store, "*.program", keep={path})
    except OSError:
        pass
    return prog
