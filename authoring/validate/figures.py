"""Checks of figures in the raw data: the shape of tables and charts (also when another
field of the figure is wrong), and image files (inside the week, PNG or JPEG, readable)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from ..diagnostics import Collector, display_path
from ..source.load import Source
from ..source.paths import dotted
from .messages import close_matches

MAX_IMAGE_BYTES = 8_000_000
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}


def raw_figures(data: Any) -> Iterator[tuple[tuple, dict]]:
    """Every figure mapping in an entry's raw YAML data, valid or not, with its path."""
    body = data.get("body") if isinstance(data, dict) else None
    for i, block in enumerate(body if isinstance(body, list) else []):
        if not isinstance(block, dict):
            continue
        if isinstance(block.get("figure"), dict):
            yield ("body", i, "figure"), block["figure"]
        if isinstance(block.get("figure_row"), list):
            for j, fig in enumerate(block["figure_row"]):
                if isinstance(fig, dict):
                    yield ("body", i, "figure_row", j), fig


def shape_check(src: Source, out: Collector) -> None:
    """Every table row with the wrong number of cells and every chart series with the
    wrong number of values, whatever else is wrong with the figure (the schema checks
    the shape only once every field of the figure is valid).  The messages are the
    schema's own, so a row the schema reported too is reported once."""
    for path, fig in raw_figures(src.data):
        kind = fig.get("kind")
        if kind == "table" and isinstance(fig.get("columns"), list) and fig["columns"]:
            n = len(fig["columns"])
            bodies = [(("rows",), fig.get("rows"))]
            groups = fig.get("groups")
            for i, g in enumerate(groups if isinstance(groups, list) else []):
                if isinstance(g, dict):
                    bodies.append((("groups", i, "rows"), g.get("rows")))
            for sub, rows in bodies:
                for j, row in enumerate(rows if isinstance(rows, list) else []):
                    if isinstance(row, list) and len(row) != n and not src.is_poisoned(path + sub + (j,)):
                        where = dotted(path + sub + (j,))
                        line, col = src.where(path + sub + (j,))
                        out.error(src.file, line, col, f"{where}: has {len(row)} cells; expected {n} "
                                  "(one per column)")
        elif kind == "chart" and isinstance(fig.get("categories"), list) and isinstance(fig.get("series"), list):
            n = len(fig["categories"])
            for i, s in enumerate(fig["series"]):
                values = s.get("values") if isinstance(s, dict) else None
                if isinstance(values, list) and values and len(values) != n:
                    where = dotted(path + ("series", i))
                    line, col = src.where(path + ("series", i))
                    name = s.get("name").strip() if isinstance(s.get("name"), str) else s.get("name")
                    out.error(src.file, line, col, f"{where}: '{name}' has {len(values)} "
                              f"value{'s' if len(values) != 1 else ''}; expected {n} (one per category)")


def check_image(folder: Path, src: Source, path: tuple, file: str, out: Collector) -> None:
    line, col = src.where(path + ("file",))
    where = dotted(path + ("file",))
    file = file.strip()
    rel = Path(file)
    if rel.is_absolute() or ".." in rel.parts or "\\" in file or "\0" in file:
        out.error(src.file, line, col, f"{where}: '{file}' leaves the week folder; "
                  f"give the name of an image file inside {display_path(folder)}")
        return
    target = folder / rel
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        near = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES) \
            if folder.is_dir() else []
        hint = close_matches(file, near, n=1)
        out.error(src.file, line, col, f"{where}: image '{file}' not found in {display_path(folder)}"
                  + (f"; did you mean '{hint[0]}'?" if hint else ""))
        return
    if not real.is_relative_to(folder.resolve()):
        out.error(src.file, line, col, f"{where}: '{file}' is a link to a file outside the week "
                  "folder; copy the image into the folder instead")
        return
    if not real.is_file():
        out.error(src.file, line, col, f"{where}: '{file}' is not a file; expected a PNG or JPEG image")
        return
    if real.suffix.lower() not in IMAGE_SUFFIXES:
        out.error(src.file, line, col, f"{where}: '{file}' is not a PNG or JPEG file "
                  "(expected a name ending in .png, .jpg or .jpeg)")
        return
    size = real.stat().st_size
    if size > MAX_IMAGE_BYTES:
        out.error(src.file, line, col, f"{where}: '{file}' is {size / 1e6:.1f} MB; "
                  f"images may be at most {MAX_IMAGE_BYTES / 1e6:.0f} MB (save it smaller)")
        return
    problem = image_problem(real)
    if problem:
        out.error(src.file, line, col, f"{where}: '{file}' {problem}")


def image_problem(path: Path) -> str | None:
    """Why `path` is not a usable PNG/JPEG image, or None when it is one."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with matplotlib
        return None
    try:
        with Image.open(path) as im:
            fmt = im.format
            if fmt not in ("PNG", "JPEG"):
                return f"is a {fmt} image; expected PNG or JPEG"
            if im.width * im.height > MAX_IMAGE_PIXELS:
                return (f"is {im.width}x{im.height} pixels; images may have at most "
                        f"{MAX_IMAGE_PIXELS:,} pixels")
            im.verify()
        with Image.open(path) as im:
            im.load()  # decode every pixel: a truncated or damaged file fails here
    except Exception:  # noqa: BLE001 - any decoder failure means a bad image
        return "is not a readable PNG or JPEG image (damaged, or not an image at all)"
    return None
