"""Charts of the report (ChartFigure) drawn with matplotlib, as 300 dpi PNG files (the PDF)
or SVG text (the web edition), cached by the content that affects the drawing.

House style (draw.py): the report's CJK sans font for every text, no top/right spines, a
light grid along the value axis, the theme's chart colours in series order, value labels
with the unit, a legend above the plot when there are several series, long category labels
wrapped (labels.py) and rotated only when wrapping cannot make them fit.  Missing values
(None) are gaps.  Files are cached under ``cache_dir/charts/<sha256>.png`` (or ``.svg``),
bare `cache.store.Store` entries (reportlab and the web edition read the files), and the
same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..cache.store import Store
from ..model.records import ChartFigure
from ..model.report import as_json, record
from .draw import DPI, LOOK_KEYS, STYLE_VERSION, chart_bytes
from .labels import wrap_label

__all__ = ["render_chart", "render_chart_svg", "chart_file", "cached_chart", "chart_look", "wrap_label",
           "DPI"]


def _cache_key(fig: ChartFigure, colors: list[str], text_color: str, font_file: Path,
               font_index: int, width_pt: float, mpl_version: str,
               directions: tuple[str, str] | None, min_font: float, look: dict) -> str:
    drawn = {k: as_json(record(getattr(fig, k))) for k in (  # records, or models in tests
        "chart", "categories", "series", "x_label", "y_label", "unit", "value_labels", "height")}
    try:
        st = Path(font_file).stat()
        font = [str(font_file), st.st_size, st.st_mtime_ns, font_index]
    except OSError:
        font = [str(font_file), None, None, font_index]
    payload = json.dumps({"fig": drawn, "colors": list(colors), "text": text_color, "font": font,
                          "width": round(float(width_pt), 3), "matplotlib": mpl_version,
                          "style": STYLE_VERSION, "dpi": DPI,
                          "directions": list(directions or ()), "min_font": min_font,
                          "look": dict(look)},
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


FORMAT = "chart-1"


def _intact_png(path: Path) -> bool:
    """True when `path` is a whole PNG (signature and final IEND chunk): a damaged cache
    file is drawn again rather than handed to the layout."""
    try:
        with open(path, "rb") as fh:
            if fh.read(8) != b"\x89PNG\r\n\x1a\n":
                return False
            fh.seek(-12, os.SEEK_END)
            return fh.read(12) == b"\x00\x00\x00\x00IEND\xaeB`\x82"
    except OSError:
        return False


def _intact_svg(path: Path) -> bool:
    """True when `path` ends with the SVG's closing tag (a cut file does not)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(max(0, os.fstat(fh.fileno()).st_size - 64))
            return fh.read().rstrip().endswith(b"</svg>")
    except OSError:
        return False


def render_chart(fig: ChartFigure, colors: list[str], text_color: str, font_file: Path,
                 font_index: int, width_pt: float, cache_dir: Path,
                 directions: tuple[str, str] | None, min_font: float, look: dict) -> Path:
    """Draw `fig` as a PNG `width_pt` wide (300 dpi) and return its path in the cache.

    `colors` are the theme's chart colours (series i gets colors[i % len]), `text_color`
    the colour of every text, `font_file`/`font_index` the font (a .ttf, or a face of a
    .ttc/.otc).  `directions` (up, down): the colours of a single series whose values
    rise and fall (red up, green down for Chinese readers); every other series takes the
    neutral `colors`.  No text is smaller than `min_font`.  `look`: the grid, axis, line and
    bar sizes and colours (`chart_look`).  An existing file for the same content is returned
    without drawing.
    """
    out = cached_chart(fig, colors, text_color, font_file, font_index, width_pt, cache_dir,
                       directions, min_font, look)
    if out is not None:
        return out
    args = (fig, colors, text_color, font_file, font_index, width_pt, directions, min_font, look)
    store, key = _entry(cache_dir, ".png", *args)
    return store.put_file(key, _drawn(*args, fmt="png"))


def chart_file(fig: ChartFigure, colors: list[str], text_color: str, font_file: Path,
               font_index: int, width_pt: float, cache_dir: Path,
               directions: tuple[str, str] | None, min_font: float, look: dict) -> Path:
    """Where `render_chart` keeps the PNG of these arguments (it may not exist yet)."""
    store, key = _entry(cache_dir, ".png", fig, colors, text_color, font_file, font_index, width_pt,
                        directions, min_font, look)
    return store.path(store.name(key))


def cached_chart(fig, colors, text_color, font_file, font_index, width_pt, cache_dir, directions,
                 min_font, look) -> Path | None:
    """The PNG `render_chart(*args)` would return, when it is in the cache and whole."""
    store, key = _entry(cache_dir, ".png", fig, colors, text_color, font_file, font_index, width_pt,
                        directions, min_font, look)
    return store.file(key, _intact_png)


def render_chart_svg(fig: ChartFigure, colors: list[str], text_color: str, font_file: Path,
                     font_index: int, width_pt: float, cache_dir: Path,
                     directions: tuple[str, str] | None, min_font: float, look: dict) -> str:
    """The same chart as SVG text (glyphs as paths, so it shows the house font anywhere),
    for the web edition; cached beside the PNGs as ``<sha256>.svg``."""
    args = (fig, colors, text_color, font_file, font_index, width_pt, directions, min_font, look)
    store, key = _entry(cache_dir, ".svg", *args)
    found = store.file(key, _intact_svg)
    if found is not None:
        try:
            return found.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
    data = _drawn(*args, fmt="svg")
    store.put_file(key, data)
    return data.decode("utf-8")


def _entry(cache_dir: Path, suffix: str, fig, colors, text_color, font_file, font_index,
           width_pt, directions, min_font, look) -> tuple[Store, str]:
    """The store of charts of this kind (.png or .svg) and the key of these arguments."""
    from ..cache.keys import package_version

    # the key needs matplotlib's version, not matplotlib: a cached chart costs no import
    key = _cache_key(fig, colors, text_color, Path(font_file), font_index, width_pt,
                     package_version("matplotlib", "_version.py"), directions, min_font, look)
    return Store(Path(cache_dir) / "charts", suffix, FORMAT), key


def _drawn(fig, colors, text_color, font_file, font_index, width_pt, directions, min_font, look,
           fmt: str) -> bytes:
    return chart_bytes(fig, list(colors) or ["#0B6E4F"], text_color, Path(font_file),
                       int(font_index or 0), float(width_pt), directions, float(min_font), look, fmt=fmt)


def chart_look(styles) -> dict:
    """theme.yaml's `chart` section with its colours as #RRGGBB: what `render_chart` takes
    as `look` (plain data: it goes into the cache key and to the background worker)."""
    look = dict(zip(LOOK_KEYS, (getattr(styles.theme.chart, k) for k in LOOK_KEYS)))
    for key in ("grid_color", "axis_color"):
        look[key] = styles.color(look[key])
    return look

