"""Brand and theme: the classes of the data in styles/ (theme.yaml, brand.yaml).

The paragraph-style cascade (rst2pdf-like) is resolved here into plain
dicts: every style inherits `base`, then its `parent` chain, then its own
keys.  Lengths may be given in points or in em ("2em").  Reading and checking the
files is validate/styles.py.

No `from __future__ import annotations` here or in entries.py: pydantic would have to
evaluate every annotation string at import (a compile() each).
"""

import re
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field



class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


#: A colour as reportlab reads it: '#' and six hexadecimal digits.
HEX_COLOR = r"^#[0-9A-Fa-f]{6}$"
_LENGTH = re.compile(r"\s*(-?(?:\d+\.?\d*|\.\d+))\s*(em|pt)?\s*")
MAX_LENGTH_PT = 300.0
MAX_LENGTH_EM = 30.0


def _length(value: float | str) -> float | str:
    """A length is points (a number, or '12pt') or em ('2em'), within a page's reach."""
    if isinstance(value, str):
        m = _LENGTH.fullmatch(value)
        if not m:
            raise ValueError(f"expected a length: a number of points (e.g. 12 or '12pt') or of em "
                             f"(e.g. '2em'); got '{value}'")
        number, unit = float(m.group(1)), m.group(2) or "pt"
    else:
        number, unit = float(value), "pt"
    limit = MAX_LENGTH_EM if unit == "em" else MAX_LENGTH_PT
    if not -limit <= number <= limit:
        raise ValueError(f"expected a length between -{limit:g}{unit} and {limit:g}{unit}; got {value!r}")
    return value


Length = Annotated[Union[float, str], AfterValidator(_length)]
Space = Annotated[float, Field(ge=0, le=MAX_LENGTH_PT)]


class Page(_Strict):
    size: Literal["A4"] = "A4"
    margin_top: float = Field(ge=20, le=200)
    margin_bottom: float = Field(ge=20, le=200)
    margin_left: float = Field(ge=20, le=200)
    margin_right: float = Field(ge=20, le=200)
    header_rule_width: float = Field(1.0, ge=0, le=10)
    cover_sidebar_width: float = Field(150, ge=80, le=260)
    cover_gutter: float = Field(18, ge=0, le=100)


class FontSpec(_Strict):
    families: list[str] = []
    weight: Literal["regular", "bold"] = "regular"
    file: str | None = None
    index: int = Field(0, ge=0, le=1000)


def _one_or_list(value: Any) -> Any:
    """A role's faces: a list (first face, then its fallbacks), or one face as a mapping."""
    return [value] if isinstance(value, dict) else value


FaceChain = Annotated[list[FontSpec], BeforeValidator(_one_or_list), Field(min_length=1)]


class StyleSpec(_Strict):
    parent: str | None = None
    font: Literal["serif", "serif-bold", "sans", "sans-bold"] | None = None
    size: float | None = Field(None, ge=4, le=40)
    leading: float | None = Field(None, ge=4, le=60)
    color: str | None = None
    align: Literal["justify", "left", "center", "right"] | None = None
    first_indent: Length | None = None
    left_indent: Length | None = None
    right_indent: Length | None = None
    space_before: Space | None = None
    space_after: Space | None = None


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
    fonts: dict[Literal["serif", "serif-bold", "sans", "sans-bold"], FaceChain]
    colors: dict[str, Any]  # each checked at its own line by _check_theme
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
    grades: list[Grade] = Field(min_length=1)


class Benchmark(_Strict):
    market: str
    index: str


class Ratings(_Strict):
    horizon: str
    benchmarks: list[Benchmark] = Field(min_length=1)
    scales: list[Scale] = Field(min_length=1)


class Brand(_Strict):
    """styles/brand.yaml: the institute's names and the facts its boilerplate states."""

    institute: str = Field(description="The institute's short name, e.g. before 投资评级说明.")
    company: str = Field(description="The company's full legal name.")
    department: str = Field(description="The research department, in every page's header.")
    short_department: str = Field(description="The department's short name.")
    report_footer_reminder: str = Field(description="The reminder in every page's footer.")
    default_risk: str = Field(description="The 风险提示 text of a week that gives none.")
    risk_title: str = Field("风险提示", description="The title of the last section, which the engine adds.")
    source_suffix: str = Field(description="Appended to every 资料来源 line.")
    company_facts: dict[str, Any] = Field(description="Facts the boilerplate templates state.")
    contacts: list[Contact] = Field(min_length=1)
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


#: Colour names the layout draws with (a missing one would fail the layout, not validation).
REQUIRED_COLORS = ("brand", "brand_dark", "brand_light", "accent", "text", "muted", "rule", "link",
                   "chart")
REQUIRED_STYLES = ("base", "body", "h1", "h2", "caption", "source", "table", "table_head")
FONT_ROLES = ("serif", "serif-bold", "sans", "sans-bold")
