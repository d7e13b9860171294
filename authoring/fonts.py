"""The report's fonts: find them, subset them, convert them for reportlab.

The theme (styles/theme.yaml, section ``fonts``) names a list of families and a weight for
each role (serif, serif-bold, sans, sans-bold); ``file``/``index`` override the search.
Fonts are found through fontconfig.  The CJK fonts a Debian machine has (fonts-noto-cjk) are
OpenType/CFF collections, and reportlab reads only TrueType (``glyf``) outlines, so each face
is cut down to the characters the report can use and their cubic outlines are converted to
quadratic ones.  The result is cached by a content key in the cache directory.

The subset always keeps a fixed base set (ASCII, Latin-1, common punctuation and symbols,
CJK punctuation, full-width forms and the 3,755 GB2312 level-1 hanzi), so a small edit of an
entry rarely changes the key: when the report uses only base characters (or characters the
font lacks, which cannot be kept anyway) the key does not depend on the text at all.

Only the glyphs the subset keeps are converted (a whole CJK face has 65,535), then
fontTools.subset prunes the rest and the tables reportlab does not use.

This module does not import reportlab (see ``authoring.layout.fontreg``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

#: Bumped whenever the subsetting/conversion below changes what it writes.
CONVERTER_VERSION = "1"

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
_MAX_ERR = 1.0  # font units; cu2qu's approximation tolerance (1/1000 em for CJK fonts)


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


def cache_dir() -> Path:
    """$AUTHORING_CACHE, or ~/.cache/authoring."""
    env = os.environ.get("AUTHORING_CACHE")
    return Path(env).expanduser() if env else Path("~/.cache/authoring").expanduser()


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


def _fc_candidates(family: str) -> list[_Candidate] | None:
    """All faces fontconfig has for a family; None when fontconfig is not installed."""
    exe = shutil.which("fc-list")
    if exe is None:
        return None
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


def find_font(families: list[str], weight: str, *, role: str = "<role>") -> tuple[Path, int]:
    """The file and face index of the first family in `families` that is installed.

    fontconfig is asked for every face of each family (``fc-list :family=NAME``), so a family
    that is not installed never matches something else (``fc-match`` would fall back to any
    font).  Of the faces of a family, the one closest to `weight` wins; a family without a
    face near that weight is passed over for the next one, and only when none has it is the
    closest weight of the first installed family taken (with a warning).
    Raises FontsMissing when none of the families is installed.
    """
    target = _fc_weight(weight)
    first: tuple[str, _Candidate] | None = None
    for fam in families:
        cands = _faces_of(fam)
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
def _faces_of(family: str) -> tuple[_Candidate, ...]:
    """The upright faces of a family that are font files we can read."""
    cands = _fc_candidates(family)
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


def _gb2312_row(lead: int, lo: int = 0xA1, hi: int = 0xFE) -> list[str]:
    out = []
    for trail in range(lo, hi + 1):
        try:
            out.append(bytes((lead, trail)).decode("gb2312"))
        except UnicodeDecodeError:
            pass
    return out


@functools.lru_cache(maxsize=1)
def gb2312_level1() -> frozenset[str]:
    """The 3,755 level-1 hanzi of GB2312 (bytes 0xB0A1..0xD7F9)."""
    chars: list[str] = []
    for lead in range(0xB0, 0xD8):
        chars += _gb2312_row(lead, 0xA1, 0xF9 if lead == 0xD7 else 0xFE)
    return frozenset(chars)


@functools.lru_cache(maxsize=1)
def base_chars() -> frozenset[str]:
    """Characters every subset keeps, whatever the text: see the module docstring."""
    cps: set[int] = set(range(0x20, 0x7F))            # printable ASCII (digits included)
    cps |= set(range(0xA0, 0x100))                     # Latin-1: × ÷ ° ± · « » é ...
    cps |= set(range(0x2010, 0x2028))                  # dashes, quotes, • … ‧
    cps |= set(range(0x2030, 0x203C))                  # ‰ ′ ″ ‹ › ※
    cps |= {0x20AC, 0x2103, 0x2116, 0x2122, 0x2030}    # € ℃ № ™
    cps |= set(range(0x2160, 0x216C))                  # Roman numerals Ⅰ..Ⅻ
    cps |= set(range(0x2190, 0x219A))                  # arrows
    cps |= {0x2208, 0x2211, 0x2212, 0x221A, 0x221E, 0x2248, 0x2260, 0x2264, 0x2265}  # ∈∑−√∞≈≠≤≥
    cps |= set(range(0x2460, 0x2474))                  # ① .. ⑳
    cps |= {0x25A0, 0x25A1, 0x25B2, 0x25B3, 0x25B6, 0x25BC, 0x25BD, 0x25C6, 0x25C7,
            0x25CB, 0x25CE, 0x25CF, 0x2605, 0x2606, 0x2713, 0x2714}     # ■□▲△▶▼▽◆◇○◎●★☆✓✔
    cps |= set(range(0x3000, 0x3040))                  # CJK symbols and punctuation
    cps |= set(range(0xFF01, 0xFF5F))                  # full-width forms
    cps |= set(range(0xFFE0, 0xFFE7))                  # ￠ ￡ ￢ ￣ ￤ ￥ ￦
    chars = {chr(c) for c in cps}
    chars |= set(_gb2312_row(0xA1)) | set(_gb2312_row(0xA3))   # GB2312 symbols, full-width
    chars |= gb2312_level1()
    return frozenset(ch for ch in chars if _drawn(ch))


# ------------------------------------------------------------------ conversion

_DROPPED_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "VORG", "vhea", "vmtx",
                   "DSIG", "meta", "EBDT", "EBLC", "EBSC", "CBDT", "CBLC", "sbix", "SVG ",
                   "COLR", "CPAL", "LTSH", "PCLT", "hdmx", "VDMX", "kern", "FFTM")


def _cff_to_glyf(font, keep: set[str]) -> None:
    """Replace the CFF outlines by quadratic TrueType ones, in place.

    fontTools' Snippets/otf2ttf.py recipe (Cu2QuPen + TTGlyphPen, glyf/loca, maxp 1.0, post 3),
    except that only the glyphs in `keep` are drawn: the others become empty glyphs, which the
    subsetter then drops.  Converting a whole CJK face (65,535 glyphs) would take minutes;
    letting fontTools.subset cut the CFF first costs more than the conversion itself (it
    re-interprets every charstring to drop hints and subroutines we are about to discard).
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    hmtx = font["hmtx"]
    empty = Glyph()
    for name in glyph_order:
        if name not in keep:
            glyf.glyphs[name] = empty
            continue
        tt_pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(tt_pen, _MAX_ERR, reverse_direction=True))
        glyph = tt_pen.glyph()
        glyph.recalcBounds(glyf)
        glyf.glyphs[name] = glyph
        if glyph.numberOfContours:  # keep the advance, left side bearing = new xMin
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    del font["CFF "]

    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(glyph_order)
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = 0  # TTGlyphPen(None) never makes components
    for attr in ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours",
                 "maxComponentDepth"):
        setattr(maxp, attr, 0)   # recalculated when the font is saved

    post = font["post"]
    post.formatType = 3.0        # no glyph names: reportlab does not need them
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    font.sfntVersion = "\000\001\000\000"
    font["head"].glyphDataFormat = 0


def _build_face(source: str, index: int, unicodes: list[int], out: str) -> str:
    """Convert face `index` of `source` to a TrueType font of the glyphs for `unicodes`."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source, fontNumber=index, recalcBBoxes=True, recalcTimestamp=False)
    if "CFF2" in font or "fvar" in font:
        raise FontsMissing(f"{source}: variable fonts are not supported; "
                           f"point fonts.<role>.file at a static .ttf/.otf/.ttc")
    if "CFF " not in font and "glyf" not in font:
        raise FontsMissing(f"{source}: face {index} has no outlines (neither CFF nor glyf)")
    for tag in _DROPPED_TABLES:   # nothing here is used by reportlab
        if tag in font:
            del font[tag]

    if "CFF " in font:
        cmap = font.getBestCmap() or {}
        keep = {font.getGlyphOrder()[0]} | {cmap[u] for u in unicodes if u in cmap}
        _cff_to_glyf(font, keep)

    opts = subset.Options()
    opts.layout_features = []
    opts.hinting = False
    opts.notdef_outline = True
    opts.recalc_timestamp = False
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 16, 17]
    opts.name_languages = ["*"]
    opts.glyph_names = False
    opts.legacy_kern = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)

    out_path = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=out_path.stem + ".", suffix=".tmp", dir=out_path.parent)
    os.close(fd)
    try:
        font.save(tmp)
        os.replace(tmp, out_path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


def _cache_key(source: Path, index: int, chars: frozenset[str]) -> str:
    import fontTools

    st = source.stat()
    payload = json.dumps({
        "source": str(source), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
        "index": index, "chars": "".join(sorted(chars)),
        "converter": CONVERTER_VERSION, "fonttools": fontTools.version,
    }, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=16)
def _family(source: str, index: int, mtime_ns: int) -> str:
    """Family name of one face (typographic family when the font has one)."""
    from fontTools.ttLib import TTFont

    name = TTFont(source, fontNumber=index, lazy=True)["name"]
    return name.getBestFamilyName() or name.getDebugName(1) or Path(source).stem


@functools.lru_cache(maxsize=16)
def _cmap(source: str, index: int, mtime_ns: int) -> frozenset[int]:
    """Code points one face maps to glyphs; cached per file version."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(source, fontNumber=index, lazy=True).getBestCmap() or {})


def _locate(role: str, entry: dict, base_dir: Path | None) -> tuple[Path, int]:
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
    path, index = find_font(families, weight, role=role)
    return path.resolve(), index


def prepare_fonts(spec: dict, chars: set[str], cache_dir: Path, *,
                  base_dir: Path | None = None, parallel: bool = True) -> dict[str, FontFace]:
    """Find, subset and convert the font of every role in `spec` (theme.yaml's ``fonts``).

    `chars` is every character the report may draw with these fonts; the subset keeps them
    plus the base set.  Converted fonts are cached as ``cache_dir/<sha256>.ttf``.
    `base_dir` resolves a relative ``file`` (the theme's directory).  Cold conversions are
    shared with worker processes when there is more than one to do and more than one CPU
    (``parallel=False`` keeps them in this process).
    Raises FontsMissing with a message for the user.
    """
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    base = base_chars()
    extra = frozenset(ch for ch in chars if len(ch) == 1 and _drawn(ch)) - base

    plan: list[tuple[str, Path, int, Path, frozenset[str]]] = []
    for role, entry in spec.items():
        source, index = _locate(role, entry, base_dir)
        try:
            mtime = source.stat().st_mtime_ns
            # characters the font lacks cannot be kept: leave them out of the key too
            keep = base | {ch for ch in extra if ord(ch) in _cmap(str(source), index, mtime)}
            key = _cache_key(source, index, keep)
        except Exception as exc:  # unreadable or not a font
            raise FontsMissing(f"fonts.{role}: cannot read {source}: {exc}") from None
        plan.append((role, source, index, cache_dir / f"{key}.ttf", keep))

    todo = {}
    for _role, source, index, out, keep in plan:
        if not out.is_file() and out not in todo:
            todo[out] = (str(source), index, sorted(ord(ch) for ch in keep), str(out))
    if todo:
        _convert_all(list(todo.values()), parallel)

    faces = {}
    for role, source, index, out, _keep in plan:
        try:
            family = _family(str(source), index, source.stat().st_mtime_ns)
        except Exception as exc:
            raise FontsMissing(f"fonts.{role}: cannot read {source}: {exc}") from None
        faces[role] = FontFace(role=role, source=source, index=index, ttf=out, family=family)
    return faces


def _convert_all(jobs: list[tuple[str, int, list[int], str]], parallel: bool) -> None:
    """Run the conversions; with several CPUs, share them with worker processes.

    The workers are fresh interpreters started with ``python -c`` (not multiprocessing), so
    they work whatever the caller's main module is and whatever threads it runs; this process
    converts its own share meanwhile.
    """
    workers = min(len(jobs), len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                  else os.cpu_count() or 1) if parallel else 1
    shares = [jobs[k::workers] for k in range(workers)]
    procs = []
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    try:
        for share in shares[1:]:
            procs.append(subprocess.Popen(
                [sys.executable, "-c", "from authoring.fonts import _worker; _worker()"],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                env=env, cwd=root))
            procs[-1].stdin.write(json.dumps(share).encode())
            procs[-1].stdin.close()
    except OSError:  # cannot start workers: do everything here
        shares = [jobs]
    errors = []
    try:
        for job in shares[0]:
            _build_face(*job)
    except FontsMissing:
        raise
    except Exception as exc:  # a damaged or unusual font file: say which
        errors.append(f"{job[0]}: {type(exc).__name__}: {exc}")
    finally:
        for proc in procs:
            err = proc.stderr.read().decode("utf-8", "replace").strip()
            if proc.wait() != 0:
                errors.append(err.splitlines()[-1] if err else f"worker exited {proc.returncode}")
    if errors:
        raise FontsMissing("converting fonts failed: " + "; ".join(errors))


def _worker() -> None:
    """Entry point of a conversion worker: a JSON list of jobs on stdin."""
    for source, index, unicodes, out in json.loads(sys.stdin.read()):
        try:
            _build_face(source, index, unicodes, out)
        except FontsMissing as exc:
            sys.stderr.write(f"{exc}\n")
            sys.exit(1)
        except Exception as exc:
            sys.stderr.write(f"{source}: {type(exc).__name__}: {exc}\n")
            sys.exit(1)


def missing_chars(face: FontFace, chars: Iterable[str]) -> set[str]:
    """The characters of `chars` that the source font has no glyph for.

    Characters never drawn (line breaks, tabs, other control and format characters) are
    ignored.
    """
    cmap = _cmap(str(face.source), face.index, face.source.stat().st_mtime_ns)
    return {ch for ch in set(chars) if len(ch) == 1 and _drawn(ch) and ord(ch) not in cmap}
