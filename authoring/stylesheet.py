"""Brand and theme: the data in styles/, validated like entries.

The paragraph-style cascade (rst2pdf-like) is resolved here into plain
dicts: every style inherits `base`, then its `parent` chain, then its own
keys.  Lengths may be given in points or in em ("2em").

No `from __future__ import annotations` here or in models.py: pydantic would have to
evaluate every annotation string at import (a compile() each).
"""

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .diagnostics import Collector
from .reportmodel import Styles
from .validate import load_checked


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Page(_Strict):
    size: Literal["A4"] = "A4"
    margin_top: float = Field(ge=20, le=200)
    margin_bottom: float = Field(ge=20, le=200)
    margin_left: float = Field(ge=20, le=200)
    margin_right: float = Field(ge=20, le=200)
    header_rule_width: float = 1.0
    cover_sidebar_width: float = Field(150, ge=80, le=260)
    cover_gutter: float = 18


class FontSpec(_Strict):
    families: list[str] = []
    weight: Literal["regular", "bold"] = "regular"
    file: str | None = None
    index: int = 0


class StyleSpec(_Strict):
    parent: str | None = None
    font: Literal["serif", "serif-bold", "sans", "sans-bold"] | None = None
    size: float | None = Field(None, ge=4, le=40)
    leading: float | None = Field(None, ge=4, le=60)
    color: str | None = None
    align: Literal["justify", "left", "center", "right"] | None = None
    first_indent: float | str | None = None
    left_indent: float | str | None = None
    right_indent: float | str | None = None
    space_before: float | None = None
    space_after: float | None = None


class Layout(_Strict):
    """Sizes of the page layout that are not paragraph styles (points unless said)."""

    float_split_taller_than: float = Field(240, ge=50, description="a table taller than this may split")
    float_split_room: float = Field(0.25, ge=0, le=1, description="fraction of the page a split table needs")
    table_min_font: float = Field(7, ge=7, le=12, description="a wide table shrinks its font down to this")
    table_cell_pad: float = Field(4, ge=0, le=12)
    table_cell_vpad: float = Field(2.5, ge=0, le=12)
    missing_value: str = Field("\u2013", description="printed for an empty table cell")
    diagram_title_size: float = Field(9, ge=8, le=14)
    diagram_text_size: float = Field(8, ge=8, le=14)
    diagram_head_size: float = Field(9.5, ge=8, le=14)
    chart_min_font: float = Field(8, ge=8, le=14)
    figure_row_gap: float = Field(14, ge=0, le=60)


class Theme(_Strict):
    page: Page
    layout: Layout = Layout()
    fonts: dict[Literal["serif", "serif-bold", "sans", "sans-bold"], FontSpec]
    colors: dict[str, str | list[str]]
    styles: dict[str, StyleSpec]


class Contact(_Strict):
    city: str
    email: str
    address: str
    postcode: str


class Grade(_Strict):
    name: str
    low: int | float | None
    high: int | float | None


class Scale(_Strict):
    type: str
    subject: str
    grades: list[Grade]


class Benchmark(_Strict):
    market: str
    index: str


class Ratings(_Strict):
    horizon: str
    benchmarks: list[Benchmark]
    scales: list[Scale]


class Brand(_Strict):
    institute: str
    company: str
    department: str
    short_department: str
    report_footer_reminder: str
    default_risk: str
    source_suffix: str
    company_facts: dict[str, Any]
    contacts: list[Contact]
    ratings: Ratings


def resolve_styles(theme: Theme) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}

    def resolve(name: str, seen: tuple = ()) -> dict[str, Any]:
        if name in out:
            return out[name]
        spec = theme.styles[name]
        if name == "base":
            merged: dict[str, Any] = {}
        elif spec.parent and spec.parent in theme.styles and spec.parent not in seen:
            merged = dict(resolve(spec.parent, seen + (name,)))
        else:
            merged = dict(resolve("base", seen + (name,))) if "base" in theme.styles else {}
        merged.update({k: v for k, v in spec.model_dump().items() if v is not None and k != "parent"})
        out[name] = merged
        return merged

    for name in theme.styles:
        resolve(name)
    return out


def load_styles(folder: Path) -> Styles:
    """Read and validate styles/theme.yaml and styles/brand.yaml; raise Failed on errors."""
    out = Collector()
    theme = load_checked(folder / "theme.yaml", Theme, out)
    brand = load_checked(folder / "brand.yaml", Brand, out)
    if theme is not None:
        src = theme.source
        for name, spec in theme.model.styles.items():
            if spec.parent and spec.parent not in theme.model.styles:
                line, col = src.where(("styles", name, "parent"))
                out.error(src.file, line, col, f"styles.{name}.parent: no style named '{spec.parent}'")
            if spec.color and not spec.color.startswith("#") and spec.color not in theme.model.colors:
                line, col = src.where(("styles", name, "color"))
                out.error(src.file, line, col, f"styles.{name}.color: '{spec.color}' is neither a "
                          "colour name from `colors` nor a #RRGGBB value")
        for required in ("base", "body", "h1", "h2", "caption", "source", "table", "table_head"):
            if required not in theme.model.styles:
                out.error(src.file, 1, 1, f"styles: the style '{required}' is required")
    out.raise_if_any()
    return Styles(folder, theme.model, brand.model, resolve_styles(theme.model))
