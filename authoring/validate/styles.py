"""Reading and checking styles/theme.yaml and styles/brand.yaml: what the classes of
model/styles.py say, and what they cannot (names that must exist, colours by name)."""

import re
from pathlib import Path

from ..diagnostics import Collector
from ..model.report import Styles, record
from ..model.styles import (COMPONENTS, FONT_ROLES, HEX_COLOR, REQUIRED_COLORS, REQUIRED_STYLES, Brand,
                            Theme, resolve_styles)
from .files import load_checked, load_source


#: A component's field that holds a colour ends with one of these.
COLOR_KEYS = ("color", "background", "bar", "border")


def load_styles(folder: Path, out: Collector | None = None) -> Styles | None:
    """Read and validate styles/theme.yaml and styles/brand.yaml.  Every problem goes to
    `out` (then None is returned when there was one), or, without `out`, is raised as
    Failed."""
    own = out is None
    out = Collector() if own else out
    before = len(out.items)
    theme, theme_src = load_source(folder / "theme.yaml", Theme, out)
    brand = load_checked(folder / "brand.yaml", Brand, out)
    if theme_src is not None:
        _check_colors(theme_src, out)
        _check_component_colors(theme_src, out)
    if theme is not None:
        _check_theme(theme.model, theme.source, out)
    if own:
        out.raise_if_any()
    if len(out.items) > before or theme is None or brand is None:
        return None
    return Styles(folder, record(theme.model), record(brand.model), resolve_styles(theme.model))


def _check_colors(src, out: Collector) -> None:
    """Every colour of `colors`, from the raw data (also when another part of the theme is
    wrong), each at its own line: '#' and six hexadecimal digits, `chart` a list of them."""
    colors = src.data.get("colors") if isinstance(src.data, dict) else None
    if not isinstance(colors, dict):
        return
    for name, value in colors.items():
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        if not items:
            line, col = src.where(("colors", name))
            out.error(src.file, line, col, f"colors.{name}: is an empty list; expected #RRGGBB colours")
        for i, v in items:
            if not (isinstance(v, str) and re.fullmatch(HEX_COLOR, v)):
                path = ("colors", name) + (() if i is None else (i,))
                line, col = src.where(path)
                got = f"'{v}'" if isinstance(v, str) else "a list" if isinstance(v, list) else repr(v)
                out.error(src.file, line, col, f"colors.{name}{'' if i is None else f'[{i}]'}: expected a "
                          f"colour written #RRGGBB ('#' and six hexadecimal digits, e.g. #0B6E4F); got {got}")


def _check_component_colors(src, out: Collector) -> None:
    """Every colour of the components (cover, card, ...), from the raw data (also when
    another part of the theme is wrong): a name from `colors` or #RRGGBB."""
    data = src.data if isinstance(src.data, dict) else {}
    colors = data.get("colors") if isinstance(data.get("colors"), dict) else {}
    names = [k for k, v in colors.items() if isinstance(v, str)]
    for section in COMPONENTS:
        fields = data.get(section)
        for key, value in (fields.items() if isinstance(fields, dict) else ()):
            if isinstance(key, str) and key.endswith(COLOR_KEYS) and isinstance(value, str) \
                    and value not in names and not re.fullmatch(HEX_COLOR, value):
                line, col = src.where((section, key))
                out.error(src.file, line, col, f"{section}.{key}: '{value}' is neither a colour name from "
                          f"`colors` ({', '.join(names)}) nor a #RRGGBB value")


def _check_theme(model: Theme, src, out: Collector) -> None:
    """What the schema cannot say: names that must exist, colours given by name."""
    for name, spec in model.styles.items():
        if spec.parent and spec.parent not in model.styles:
            line, col = src.where(("styles", name, "parent"))
            out.error(src.file, line, col, f"styles.{name}.parent: no style named '{spec.parent}'")
        color = spec.color
        if color and not (color in model.colors and isinstance(model.colors[color], str)) \
                and not re.fullmatch(HEX_COLOR, color):
            line, col = src.where(("styles", name, "color"))
            out.error(src.file, line, col, f"styles.{name}.color: '{color}' is neither a colour name "
                      f"from `colors` ({', '.join(k for k, v in model.colors.items() if isinstance(v, str))}) "
                      "nor a #RRGGBB value")
    for required in REQUIRED_STYLES:
        if required not in model.styles:
            line, col = src.key_where(("styles",))
            out.error(src.file, line, col, f"styles: the style '{required}' is required")
    for required in REQUIRED_COLORS:
        value = model.colors.get(required)
        if value is None or isinstance(value, list) != (required == "chart"):
            line, col = src.key_where(("colors", required)) if value is not None else src.key_where(("colors",))
            what = "a list of #RRGGBB colours" if required == "chart" else "a #RRGGBB colour"
            out.error(src.file, line, col, f"colors.{required}: required, {what} (the layout draws with it)")
    for role in FONT_ROLES:
        if role not in model.fonts:
            line, col = src.key_where(("fonts",))
            out.error(src.file, line, col, f"fonts.{role}: required (families or file of the {role} font)")
