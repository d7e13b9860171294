"""The report's fonts: find them, convert the glyphs the report uses, cache everything.

The theme (styles/theme.yaml, section ``fonts``) names a list of families and a weight for
each role (serif, serif-bold, sans, sans-bold); ``file``/``index`` override the search.
Fonts are found through fontconfig.  The CJK fonts a Debian machine has (fonts-noto-cjk) are
OpenType/CFF collections, and reportlab reads only TrueType (``glyf``) outlines, so each face
is cut down to the characters the report uses (plus a small fixed base set: ASCII and the
common CJK punctuation) and their cubic outlines are converted to quadratic ones.

Three caches live under ``cache_dir()/fonts``, all keyed by content (the source file's path,
size and mtime, the face index, the converter version and the fontTools version):

- ``<face>.cmap``: the source face's character map and family name, so that a warm build
  never parses the 20 MB collection;
- ``<face>/*.pack``: converted glyphs, one compiled ``glyf`` record per glyph id.  A glyph is
  converted once per machine: a new character in an entry converts that glyph only;
- ``<subset>.ttf``: the TrueType font handed to reportlab, keyed by the face and the exact
  set of characters it keeps.  It is assembled from the glyph packs in milliseconds.

The conversion (``authoring.truetype``) reads the CFF table directly, interprets the Type 2
charstrings of the glyphs needed and hands every cubic segment to fontTools' compiled cu2qu;
many glyphs to convert are shared with worker processes.

Faces that already have TrueType outlines (a ``file`` the theme points at) are subset with
fontTools.subset.

This module imports neither reportlab nor fontTools at import time (see
``authoring.layout.fontreg`` for the reportlab side).
"""

from __future__ import annotations

import array
import functools
import hashlib
import json
import os
import re
import shutil
import struct
import sys
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .atomic import mark_used, prune_unused, write_bytes
from .cachekeys import package_version
from .truetype import NAME_IDS, U32_CODE, Sfnt, assemble, convert_glyphs

#: Bumped whenever the conversion or assembly below changes what it writes.
CONVERTER_VERSION = "2"

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")

class FontsMissing(Exception):
    """No usable font for a role; the message says what to install or configure."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class FontFace:
    role: str      # the theme's key: serif, serif-bold, sans, sans-bold
    source: Path   # the font file found (may be a collection)
    index: int     # face index inside a collection, 0 otherwise
    ttf: Path      # the converted TrueType subset in the cache
    family: str    # family name of the face, e.g. "Noto Serif CJK SC"


from .cachedir import cache_dir  # noqa: E402,F401 - re-exported: fonts.cache_dir() is the old name


# ------------------------------------------------------------------ finding fonts

# fontconfig's weight scale (FC_WEIGHT_*); CSS numbers are accepted too.
_FC_WEIGHTS = {
    "thin": 0, "extralight": 40, "ultralight": 40, "light": 50, "demilight": 55,
    "semilight": 55, "book": 75, "regular": 80, "normal": 80, "medium": 100,
    "demibold": 180, "semibold": 180, "bold": 200, "extrabold": 205, "ultrabold": 205,
    "black": 210, "heavy": 210,
}
_CSS_TO_FC = {100: 0, 200: 40, 300: 50, 350: 55, 400: 80, 500: 100, 600: 180, 700: 200,
              800: 205, 900: 210}


def _fc_weight(weight: str | int | None) -> int:
    if weight is None:
        return 80
    if isinstance(weight, int) or (isinstance(weight, str) and weight.strip().isdigit()):
        w = int(weight)
        if w in _CSS_TO_FC:
            return _CSS_TO_FC[w]
        raise FontsMissing(f"font weight {weight!r}: use a name (regular, bold, ...) "
                           f"or one of {', '.join(map(str, _CSS_TO_FC))}")
    key = re.sub(r"[\s_-]", "", str(weight).lower())
    if key not in _FC_WEIGHTS:
        raise FontsMissing(f"font weight {weight!r} is not known; use one of "
                           f"{', '.join(sorted(_FC_WEIGHTS))}")
    return _FC_WEIGHTS[key]


def _missing_message(families: list[str], weight: str, role: str) -> str:
    looked = ", ".join(families) if families else "(no families listed)"
    msg = (f"no font found for fonts.{role} ({weight}): looked for {looked}. "
           f"Either install fonts-noto-cjk "
           f"(apt-get install fonts-noto-cjk, or run tools/ensure-fonts.sh), or set "
           f"fonts.{role}.file in styles/theme.yaml to a .ttf/.otf/.ttc file "
           f"(with fonts.{role}.index for a face in a collection)")
    return msg


def _fc_escape(name: str) -> str:
    return re.sub(r"([\\\-:,])", r"\\\1", name)


def _parse_fc_weight(text: str) -> tuple[float, float]:
    """'200' -> (200, 200); '[0 210]' (variable font) -> (0, 210)."""
    nums = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", text)]
    if not nums:
        return (80.0, 80.0)
    return (min(nums), max(nums))


def _weight_distance(rng: tuple[float, float], target: int) -> float:
    lo, hi = rng
    return 0.0 if lo <= target <= hi else min(abs(lo - target), abs(hi - target))


@dataclass(frozen=True)
class _Candidate:
    file: Path
    index: int
    families: tuple[str, ...]
    style: str
    weight: tuple[float, float]


def _fontconfig_state() -> list:
    """What fontconfig's answer depends on, cheaply: its configuration, its caches and the
    font folders (modification times).  Installing fonts (which runs fc-cache) or copying a
    font into a font folder changes it."""
    home = Path.home()
    xdg = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    folders = [Path("/etc/fonts"), Path("/etc/fonts/conf.d"), Path("/var/cache/fontconfig"),
               xdg / "fontconfig", home / ".config/fontconfig", home / ".config/fontconfig/conf.d"]
    for d in _font_dirs():
        folders.append(d)
        try:
            folders.extend(sorted(p for p in d.iterdir() if p.is_dir()))
        except OSError:
            pass
    state: list = [os.environ.get("FONTCONFIG_FILE"), os.environ.get("FONTCONFIG_PATH")]
    for d in folders:
        try:
            state.append([str(d), d.stat().st_mtime_ns])
        except OSError:
            pass
    return state


def _fc_candidates(family: str, store: Path | None = None) -> list[_Candidate] | None:
    """All faces fontconfig has for a family; None when fontconfig is not installed.

    With `store`, the answer is kept in ``store/fontconfig-<sha256>.json`` under a key of
    the family, fc-list's path and :func:`_fontconfig_state`: running fc-list costs more
    than the rest of finding the fonts."""
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    memo = None
    if store is not None:
        key = json.dumps([family, exe, _fontconfig_state()], ensure_ascii=False)
        memo = store / f"fontconfig-{hashlib.sha256(key.encode('utf-8')).hexdigest()}.json"
        try:
            rows = json.loads(memo.read_text(encoding="utf-8"))
            found = [_Candidate(Path(f), i, tuple(fams), st, (w0, w1))
                     for f, i, fams, st, w0, w1 in rows]
            mark_used([memo])
            return found
        except (OSError, ValueError, TypeError):
            pass
    found = _run_fc_list(exe, family)
    if memo is not None and found is not None:
        rows = [[str(c.file), c.index, list(c.families), c.style, *c.weight] for c in found]
        try:
            write_bytes(memo, json.dumps(rows, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass
        prune_unused(store, "fontconfig-*.json")
    return found


def _run_fc_list(exe: str, family: str) -> list[_Candidate] | None:
    import subprocess

    fmt = "%{file}|%{index}|%{family}|%{style}|%{weight}\\n"
    try:
        out = subprocess.run([exe, "-f", fmt, f":family={_fc_escape(family)}"],
                             capture_output=True, text=True, timeout=60, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = []
    for line in out.splitlines():
        parts = line.split("|")
        if len(parts) != 5:
            continue
        file, index, fams, style, weight = parts
        try:
            idx = int(index or 0)
        except ValueError:
            continue
        found.append(_Candidate(Path(file), idx, tuple(f.strip() for f in fams.split(",")),
                                style, _parse_fc_weight(weight)))
    return found


def _font_dirs() -> list[Path]:
    home = Path.home()
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
            home / ".local/share/fonts", home / ".fonts"]


@functools.lru_cache(maxsize=1)
def _scanned_faces() -> tuple[_Candidate, ...]:
    """Without fontconfig: read the names of the fonts in the usual directories."""
    from fontTools.ttLib import TTCollection, TTFont

    faces: list[_Candidate] = []
    for d in _font_dirs():
        if not d.is_dir():
            continue
        for path in sorted(d.rglob("*")):
            if path.suffix.lower() not in FONT_SUFFIXES:
                continue
            try:
                if path.suffix.lower() in (".ttc", ".otc"):
                    fonts = list(TTCollection(str(path), lazy=True).fonts)
                else:
                    fonts = [TTFont(str(path), lazy=True)]
                for i, f in enumerate(fonts):
                    name = f["name"]
                    fams = tuple(dict.fromkeys(
                        str(r) for r in name.names if r.nameID in (1, 16) and r.toStr()))
                    css = f["OS/2"].usWeightClass if "OS/2" in f else 400
                    w = _CSS_TO_FC.get(round(css / 100) * 100, 80)
                    faces.append(_Candidate(path, i, fams, name.getDebugName(2) or "", (w, w)))
            except Exception:  # unreadable or exotic files are not candidates
                continue
    return tuple(faces)


def find_font(families: list[str], weight: str, *, role: str = "<role>",
              store: Path | None = None) -> tuple[Path, int]:
    """The file and face index of the first family in `families` that is installed.

    fontconfig is asked for every face of each family (``fc-list :family=NAME``), so a family
    that is not installed never matches something else (``fc-match`` would fall back to any
    font).  Of the faces of a family, the one closest to `weight` wins; a family without a
    face near that weight is passed over for the next one, and only when none has it is the
    closest weight of the first installed family taken (with a warning).
    `store` keeps fontconfig's answers between runs (see _fc_candidates).
    Raises FontsMissing when none of the families is installed.
    """
    target = _fc_weight(weight)
    first: tuple[str, _Candidate] | None = None
    for fam in families:
        cands = _faces_of(fam, store)
        if not cands:
            continue
        best = min(cands, key=lambda c: (_weight_distance(c.weight, target), str(c.file), c.index))
        if _weight_distance(best.weight, target) <= 30:
            return best.file, best.index
        first = first or (fam, best)
    if first is not None:
        fam, best = first
        warnings.warn(f"fonts.{role}: no {weight} face of {', '.join(families)}; "
                      f"using {fam} {best.style} ({best.file})", stacklevel=2)
        return best.file, best.index
    raise FontsMissing(_missing_message(list(families), weight, role))


@functools.lru_cache(maxsize=64)
def _faces_of(family: str, store: Path | None = None) -> tuple[_Candidate, ...]:
    """The upright faces of a family that are font files we can read."""
    cands = _fc_candidates(family, store)
    if cands is None:  # no fontconfig
        cands = list(_scanned_faces())
    want = family.casefold()
    return tuple(c for c in cands
                 if want in (f.casefold() for f in c.families)
                 and c.file.suffix.lower() in FONT_SUFFIXES and c.file.is_file()
                 and not re.search(r"italic|oblique", c.style, re.I))


# ------------------------------------------------------------------ character sets

_ALWAYS_IGNORED = {"\n", "\t", "\r", "\f", "\v"}


def _drawn(ch: str) -> bool:
    """False for what is never drawn: line breaks, tabs, controls, format characters
    (zero-width space, BOM, ...) and variation selectors."""
    cp = ord(ch)
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:  # variation selectors
        return False
    return ch not in _ALWAYS_IGNORED and unicodedata.category(ch) not in ("Cc", "Cf")


#: Kept in every subset besides printable ASCII, whatever the text: what the layout may
#: draw on its own (numbers, leaders, brackets, the common CJK punctuation).
BASE_TEXT = ("\u3000，。、；：？！（）《》〈〉「」『』【】〔〕“”‘’—–…·・～￥％＋－＝×÷°±‰•●○■□"
             "▲△◆◇★☆→←①②③④⑤⑥⑦⑧⑨⑩")


@functools.lru_cache(maxsize=1)
def base_chars() -> frozenset[str]:
    """Characters every subset keeps (when the font has them): see BASE_TEXT."""
    chars = {chr(c) for c in range(0x20, 0x7F)} | set(BASE_TEXT)
    return frozenset(ch for ch in chars if _drawn(ch))


# ------------------------------------------------------------------ the caches

def _u32_array(raw: bytes) -> array.array:
    arr = array.array(U32_CODE, raw)
    if sys.byteorder == "big":  # pragma: no cover
        arr.byteswap()
    return arr


def _u32_bytes(values) -> bytes:
    arr = array.array(U32_CODE, values)
    if sys.byteorder == "big":  # pragma: no cover
        arr.byteswap()
    return arr.tobytes()


@dataclass(eq=False)
class _FaceInfo:
    """What a build needs to know about a source face, cached as ``fonts/<key>.cmap``."""

    key: str
    source: Path
    index: int
    family: str
    cff: bool
    cps: array.array    # sorted code points the face maps
    gids: array.array   # their glyph ids
    _set: frozenset | None = field(default=None, repr=False)
    _map: dict | None = field(default=None, repr=False)

    @property
    def codepoints(self) -> frozenset[int]:
        if self._set is None:
            self._set = frozenset(self.cps)
        return self._set

    def lookup(self, cps: Iterable[int]) -> dict[int, int]:
        """Code point -> glyph id for those of `cps` the face maps (binary search: no
        table of 44,000 code points to build for the thousand characters of a report)."""
        from bisect import bisect_left

        table, gids, n = self.cps, self.gids, len(self.cps)
        out = {}
        for c in cps:
            k = bisect_left(table, c)
            if k < n and table[k] == c:
                out[c] = gids[k]
        return out

    @property
    def cmap(self) -> dict[int, int]:
        if self._map is None:
            self._map = dict(zip(self.cps, self.gids))
        return self._map

    def dump(self) -> bytes:
        fam = self.family.encode("utf-8")
        return (b"AGC2" + struct.pack("<IIB", len(self.cps), len(fam), 1 if self.cff else 0) + fam
                + _u32_bytes(self.cps) + _u32_bytes(self.gids))

    @classmethod
    def load(cls, raw: bytes, key: str, source: Path, index: int) -> "_FaceInfo":
        if raw[:4] != b"AGC2":
            raise ValueError("not a cmap cache file")
        n, fl, cff = struct.unpack_from("<IIB", raw, 4)
        at = 13 + fl
        if len(raw) != at + 8 * n:
            raise ValueError("truncated cmap cache file")
        return cls(key, source, index, raw[13:at].decode("utf-8"), bool(cff),
                   _u32_array(raw[at:at + 4 * n]), _u32_array(raw[at + 4 * n:]))


def _face_key(source: Path, index: int, st: os.stat_result) -> str:
    payload = json.dumps({"source": str(source), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
                          "index": index, "converter": CONVERTER_VERSION,
                          "fonttools": package_version("fontTools")}, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_INFOS: dict[tuple, _FaceInfo] = {}


def _face_info(source: Path, index: int, store: Path | None) -> _FaceInfo:
    """The face's cmap and family: from memory, from the cache, or read from the font."""
    st = source.stat()
    mem = (str(source), index, st.st_size, st.st_mtime_ns)
    info = _INFOS.get(mem)
    if info is not None:
        return info
    key = _face_key(source, index, st)
    path = store / f"{key}.cmap" if store is not None else None
    if path is not None:
        try:
            info = _FaceInfo.load(path.read_bytes(), key, source, index)
            mark_used([path])  # the face is in use: its packs stay (see _prune_subsets)
        except (OSError, ValueError, struct.error, UnicodeDecodeError):
            info = None  # absent or damaged: read the font again
    if info is None:
        with Sfnt(source, index) as sf:
            if "CFF2" in sf.tables or "fvar" in sf.tables:
                raise FontsMissing(f"{source}: variable fonts are not supported; "
                                   f"point fonts.<role>.file at a static .ttf/.otf/.ttc")
            if "CFF " not in sf.tables and "glyf" not in sf.tables:
                raise FontsMissing(f"{source}: face {index} has no outlines (neither CFF nor glyf)")
            for tag in ("head", "hhea", "hmtx", "maxp", "name", "post"):
                if tag not in sf.tables:
                    raise ValueError(f"has no {tag!r} table")
            cmap = sf.cmap()
            cps = sorted(cmap)
            info = _FaceInfo(key, source, index, sf.family(), "CFF " in sf.tables,
                             array.array("I", cps), array.array("I", (cmap[c] for c in cps)))
        if path is not None:
            write_bytes(path, info.dump())
    _INFOS[mem] = info
    return info


# converted glyphs: fonts/<face key>/<sha1 of content>.pack
_PACK_MAGIC = b"AGP2"
_MAX_PACKS = 12
_STORES: dict[str, dict[int, bytes]] = {}  # pack folder -> glyphs, in this process


def _pack(glyphs: dict[int, bytes]) -> bytes:
    gids = sorted(glyphs)
    head = struct.pack("<I", len(gids)) + b"".join(struct.pack("<II", g, len(glyphs[g])) for g in gids)
    return _PACK_MAGIC + head + b"".join(glyphs[g] for g in gids)


def _unpack(raw: bytes) -> dict[int, bytes]:
    if raw[:4] != _PACK_MAGIC:
        raise ValueError("not a glyph pack")
    n = struct.unpack_from("<I", raw, 4)[0]
    at = 8 + 8 * n
    out = {}
    for k in range(n):
        gid, ln = struct.unpack_from("<II", raw, 8 + 8 * k)
        out[gid] = raw[at:at + ln]
        at += ln
    if at != len(raw):
        raise ValueError("truncated glyph pack")
    return out


def _write_pack(folder: Path, glyphs: dict[int, bytes]) -> Path:
    raw = _pack(glyphs)
    path = folder / (hashlib.sha1(raw).hexdigest() + ".pack")
    if not path.exists():
        write_bytes(path, raw)
    return path


def _load_store(folder: Path) -> dict[int, bytes]:
    """Every converted glyph of a face.  A damaged pack (its name is the hash of its
    content) is ignored and removed: its glyphs are simply converted again."""
    glyphs: dict[int, bytes] = {}
    packs = sorted(folder.glob("*.pack")) if folder.is_dir() else []
    for path in packs:
        try:
            raw = path.read_bytes()
            if hashlib.sha1(raw).hexdigest() != path.stem:
                raise ValueError("damaged")
            glyphs.update(_unpack(raw))
        except FileNotFoundError:
            continue  # merged away by a concurrent build
        except (OSError, ValueError, struct.error):
            try:
                path.unlink()
            except OSError:
                pass
    if len(packs) > _MAX_PACKS and glyphs:  # merge the packs of many small edits
        merged = _write_pack(folder, glyphs)
        for path in packs:
            if path != merged:
                try:
                    path.unlink()
                except OSError:
                    pass
    return glyphs


# ------------------------------------------------------------------ TrueType sources

_DROPPED_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "VORG", "vhea", "vmtx",
                   "DSIG", "meta", "EBDT", "EBLC", "EBSC", "CBDT", "CBLC", "sbix", "SVG ",
                   "COLR", "CPAL", "LTSH", "PCLT", "hdmx", "VDMX", "kern", "FFTM")


def _subset_truetype(source: str, index: int, unicodes: list[int], out: Path) -> None:
    """A face that already has TrueType outlines: fontTools.subset cuts it down."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source, fontNumber=index, recalcBBoxes=True, recalcTimestamp=False)
    for tag in _DROPPED_TABLES:   # nothing here is used by reportlab
        if tag in font:
            del font[tag]
    opts = subset.Options()
    opts.layout_features = []
    opts.hinting = False
    opts.notdef_outline = True
    opts.recalc_timestamp = False
    opts.name_IDs = sorted(NAME_IDS)
    opts.name_languages = ["*"]
    opts.glyph_names = False
    opts.legacy_kern = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    buf = __import__("io").BytesIO()
    font.save(buf)
    write_bytes(out, buf.getvalue())


# ------------------------------------------------------------------ preparing the fonts

def _locate(role: str, entry: dict, base_dir: Path | None,
            store: Path | None = None) -> tuple[Path, int]:
    if not isinstance(entry, dict):
        raise FontsMissing(f"fonts.{role} must be a mapping with 'families' and 'weight'")
    weight = entry.get("weight", "regular")
    if entry.get("file"):
        path = Path(str(entry["file"])).expanduser()
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        if not path.is_file():
            raise FontsMissing(f"fonts.{role}.file: {path} does not exist; give the path of a "
                               f".ttf/.otf/.ttc file, or remove 'file' to search by family")
        if path.suffix.lower() not in FONT_SUFFIXES:
            raise FontsMissing(f"fonts.{role}.file: {path} is not a .ttf/.otf/.ttc/.otc file")
        try:
            index = int(entry.get("index", 0) or 0)
        except (TypeError, ValueError):
            raise FontsMissing(f"fonts.{role}.index must be a whole number") from None
        return path.resolve(), index
    families = entry.get("families") or []
    if isinstance(families, str):
        families = [families]
    if not isinstance(families, list) or not all(isinstance(f, str) for f in families):
        raise FontsMissing(f"fonts.{role}.families must be a list of family names")
    path, index = find_font(families, weight, role=role, store=store)
    return path.resolve(), index


def _subset_key(face_key: str, keep: list[int]) -> str:
    payload = face_key + ":" + ",".join(f"{c:x}" for c in keep)
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def prepare_fonts(spec: dict, chars: Iterable[str], cache_dir: Path, *,
                  base_dir: Path | None = None, parallel: bool = True) -> dict[str, FontFace]:
    """Find the font of every role in `spec` (theme.yaml's ``fonts``) and make its
    TrueType subset: the characters of `chars` and the base set that the face has.

    Subsets are cached as ``cache_dir/fonts/<sha256>.ttf`` (see the module docstring for the
    other caches).  `base_dir` resolves a relative ``file`` (the theme's directory).  Glyphs
    to convert are shared with worker processes when there are many and more than one CPU
    (``parallel=False`` keeps them in this process).
    Raises FontsMissing with a message for the user.
    """
    store = Path(cache_dir) / "fonts"
    store.mkdir(parents=True, exist_ok=True)
    wanted = {ord(ch) for ch in base_chars()}
    wanted.update(ord(ch) for ch in chars if len(ch) == 1 and _drawn(ch))

    plan: list[tuple[str, _FaceInfo, list[int], Path]] = []
    for role, entry in spec.items():
        source, index = _locate(role, entry, base_dir, store)
        try:
            info = _face_info(source, index, store)
        except FontsMissing:
            raise
        except Exception as exc:  # unreadable or not a font
            raise FontsMissing(f"fonts.{role}: cannot read {source}: {exc}") from None
        # characters the font lacks cannot be kept: they are not part of the key either
        keep = sorted(info.lookup(wanted))
        plan.append((role, info, keep, store / f"{_subset_key(info.key, keep)}.ttf"))

    todo = {out: (role, info, keep) for role, info, keep, out in plan if not _intact_font(out)}
    if todo:
        _make_subsets(todo, store, parallel)
        _prune_subsets(store, keep={out for *_rest, out in plan})
    else:
        mark_used(out for *_rest, out in plan)
    return {role: FontFace(role=role, source=info.source, index=info.index, ttf=out,
                           family=info.family)
            for role, info, _keep, out in plan}


def _prune_subsets(store: Path, keep: set[Path]) -> None:
    """Delete subsets unused for UNUSED_DAYS (every edit that brings a new character makes
    one) with reportlab's parse beside each, and the glyph packs of faces whose cmap went
    unused as long (a font file that was replaced or uninstalled: its key never returns)."""
    for path in prune_unused(store, "*.ttf", keep=keep):
        for extra in store.glob(path.name + ".*"):
            try:
                extra.unlink()
            except OSError:
                pass
    for cmap in prune_unused(store, "*.cmap"):
        shutil.rmtree(store / cmap.stem, ignore_errors=True)


def _intact_font(path: Path) -> bool:
    """True when `path` is a whole sfnt file: every table lies inside the file (a cache
    entry damaged by hand or by a full disk is made again, never handed to reportlab)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
            if len(head) < 12 or head[:4] not in (b"\x00\x01\x00\x00", b"true"):
                return False
            n = struct.unpack_from(">H", head, 4)[0]
            directory = fh.read(16 * n)
            size = os.fstat(fh.fileno()).st_size
    except OSError:
        return False
    if len(directory) < 16 * n:
        return False
    return all(sum(struct.unpack_from(">II", directory, 16 * k + 8)) <= size for k in range(n))


def _make_subsets(todo: dict[Path, tuple[str, _FaceInfo, list[int]]], store: Path,
                  parallel: bool) -> None:
    # glyphs each CFF face needs, less those converted before
    needed: dict[str, tuple[_FaceInfo, set[int]]] = {}
    for _role, info, keep in todo.values():
        if info.cff:
            entry = needed.setdefault(info.key, (info, {0}))
            entry[1].update(info.lookup(keep).values())
    jobs = []
    for key, (info, gids) in needed.items():
        folder = str(store / key)
        if folder not in _STORES:
            _STORES[folder] = _load_store(Path(folder))
        missing = sorted(gids - _STORES[folder].keys())
        if missing:
            jobs.append((str(info.source), info.index, folder, missing))
    if jobs:
        _convert_all(jobs, parallel)
        for source, index, folder, gids in jobs:
            glyphs = _STORES[folder] = _load_store(Path(folder))
            lost = [g for g in gids if g not in glyphs]
            if lost:  # a concurrent build merged the packs before ours was written
                more = convert_glyphs(source, index, lost)
                _write_pack(Path(folder), more)
                glyphs.update(more)

    for out, (role, info, keep) in todo.items():
        try:
            if info.cff:
                glyphs = _STORES[str(store / info.key)]
                with Sfnt(info.source, info.index) as sf:
                    write_bytes(out, assemble(sf, info.lookup(keep), glyphs))
            else:
                _subset_truetype(str(info.source), info.index, keep, out)
        except FontsMissing:
            raise
        except Exception as exc:  # a damaged or unusual font file: say which
            raise FontsMissing(f"fonts.{role}: cannot convert {info.source}: "
                               f"{type(exc).__name__}: {exc}") from None


#: Below this many glyphs a worker process costs more than it saves.
_GLYPHS_PER_WORKER = 400


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _convert_all(jobs: list[tuple[str, int, str, list[int]]], parallel: bool) -> None:
    """Convert the glyphs of `jobs` (source, index, pack folder, glyph ids) into packs.

    With several CPUs and enough glyphs, the work is cut into equal shares; the workers are
    fresh interpreters started with ``python -c`` (not multiprocessing), so they work
    whatever the caller's main module is and whatever threads it runs; this process
    converts the first share meanwhile.
    """
    total = sum(len(j[3]) for j in jobs)
    workers = max(1, min(_cpus(), total // _GLYPHS_PER_WORKER)) if parallel else 1
    flat = [(k, g) for k, job in enumerate(jobs) for g in job[3]]
    size = -(-len(flat) // workers)
    shares = []
    for w in range(workers):
        part: dict[int, list[int]] = {}
        for k, g in flat[w * size:(w + 1) * size]:
            part.setdefault(k, []).append(g)
        shares.append([(jobs[k][0], jobs[k][1], jobs[k][2], gids) for k, gids in part.items()])
    import subprocess

    procs = []
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    try:
        for share in shares[1:]:
            if not share:
                continue
            proc = subprocess.Popen(
                [sys.executable, "-c", "from authoring.fonts import _worker; _worker()"],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                env=env, cwd=root)
            procs.append(proc)
            proc.stdin.write(json.dumps(share).encode())
            proc.stdin.close()
    except OSError:  # cannot start workers: do everything here
        shares = [[(j[0], j[1], j[2], j[3]) for j in jobs]]
    errors = []
    try:
        for source, index, folder, gids in shares[0]:
            _write_pack(Path(folder), convert_glyphs(source, index, gids))
    except Exception as exc:  # a damaged or unusual font file: say which
        errors.append(f"{source}: {type(exc).__name__}: {exc}")
    finally:
        for proc in procs:
            err = proc.stderr.read().decode("utf-8", "replace").strip()
            if proc.wait() != 0:
                errors.append(err.splitlines()[-1] if err else f"worker exited {proc.returncode}")
    if errors:
        raise FontsMissing("converting fonts failed: " + "; ".join(errors))


def _worker() -> None:
    """Entry point of a conversion worker: a JSON list of jobs on stdin."""
    for source, index, folder, gids in json.loads(sys.stdin.read()):
        try:
            _write_pack(Path(folder), convert_glyphs(source, index, gids))
        except Exception as exc:
            sys.stderr.write(f"{source}: {type(exc).__name__}: {exc}\n")
            sys.exit(1)


def missing_chars(face: FontFace, chars: Iterable[str]) -> set[str]:
    """The characters of `chars` that the source font has no glyph for.

    Characters never drawn (line breaks, tabs, other control and format characters) are
    ignored.
    """
    wanted = {ord(ch) for ch in set(chars) if len(ch) == 1}
    # binary search for the few hundred characters asked about, not a set of the face's
    # 44,000 code points (8 ms for the four faces of a build)
    have = _face_info(face.source, face.index, None).lookup(wanted)
    return {chr(c) for c in wanted if c not in have and _drawn(chr(c))}
