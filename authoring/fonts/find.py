"""Finding font faces: fontconfig by family and weight, or a file the theme names.

fontconfig is asked for every face of a family (``fc-list :family=NAME``), never
``fc-match`` (which falls back to any font); its answers are kept in the cache under a key
of fontconfig's configuration and font folders.  Without fontconfig the usual font folders
are scanned.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..cache.store import Store
from .errors import FontsMissing

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


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
    memo = key = None
    if store is not None:
        memo = Store(store, ".json", "fontconfig-2", prefix="fontconfig-")
        key = json.dumps([family, exe, _fontconfig_state()], ensure_ascii=False)
        found = memo.get(key, decode=_candidates)
        if found is not None:
            return found
    found = _run_fc_list(exe, family)
    if memo is not None and found is not None:
        rows = [[str(c.file), c.index, list(c.families), c.style, *c.weight] for c in found]
        memo.put(key, json.dumps(rows, ensure_ascii=False).encode("utf-8"))
    return found


def _candidates(raw: bytes) -> list[_Candidate]:
    return [_Candidate(Path(f), i, tuple(fams), st, (w0, w1))
            for f, i, fams, st, w0, w1 in json.loads(raw)]


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
        best = min(cands, key=lambda c: (_weight_distance(c.weight, target), _not_normal_width(c.style),
                                         str(c.file), c.index))
        if _weight_distance(best.weight, target) <= 30:
            return best.file, best.index
        first = first or (fam, best)
    if first is not None:
        fam, best = first
        warnings.warn(f"fonts.{role}: no {weight} face of {', '.join(families)}; "
                      f"using {fam} {best.style} ({best.file})", stacklevel=2)
        return best.file, best.index
    raise FontsMissing(_missing_message(list(families), weight, role))


def _not_normal_width(style: str) -> bool:
    """Condensed, expanded... faces come after the normal width of the same weight."""
    return bool(re.search(r"condensed|expanded|narrow|wide", style, re.I))


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


def locate(role: str, entry: dict, base_dir: Path | None,
           store: Path | None = None) -> tuple[Path, int]:
    """The file and face index one entry of a role's chain names (`role` labels messages,
    e.g. ``serif`` or ``serif[2]``).  Raises FontsMissing."""
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
