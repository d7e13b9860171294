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

from .entries import RISK_TITLE



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
    size: Literal["A4", "A5", "B5", "letter", "legal"] = "A4"
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
    chart_min_font: float = Field(8, ge=8, le=14)
    figure_row_gap: float = Field(14, ge=0, le=60)


# ------------------------------------------------------------- components of the page
# Every size and colour the layout draws with, by component; no defaults here: theme.yaml
# says them all.  A colour is a name from `colors` or #RRGGBB (checked by _check_theme).

Pt = Annotated[float, Field(ge=0, le=MAX_LENGTH_PT)]
Rule = Annotated[float, Field(ge=0, le=10)]
FontSize = Annotated[float, Field(ge=4, le=40)]
Factor = Annotated[float, Field(ge=1, le=3)]          # a leading, times the font size
Fraction = Annotated[float, Field(gt=0, le=1)]        # of the available width
BoxTextSize = Annotated[float, Field(ge=8, le=14)]    # a diagram's text
ArrowLength = Annotated[float, Field(ge=6, le=60)]
ColorRef = str


class Cover(_Strict):
    banner_height: Pt
    banner_color: ColorRef
    outdent: Pt
    head_raise: Pt
    meta_raise: Pt
    meta_drop: Pt
    rule_drop: Pt
    rule_color: ColorRef
    columns_top: Pt
    column_rule_gap: Pt
    column_rule_width: Rule
    column_rule_color: ColorRef
    type_band_height: Pt
    type_band_pad: Pt
    type_band_color: ColorRef
    type_band_space_after: Pt
    author_space_after: Pt
    recent_space_before: Pt
    bullet_color: ColorRef


class Header(_Strict):
    baseline_raise: Pt
    rule_drop: Pt
    rule_color: ColorRef


class Footer(_Strict):
    baseline_drop: Pt


class Contents(_Strict):
    section_number_gap: Annotated[float, Field(ge=0, le=10)]   # em
    item_number_gap: Annotated[float, Field(ge=0, le=10)]      # em
    figure_number_gap: Pt
    page_pad: Pt
    page_gap: Pt
    leader_gap: Pt
    leader_color: ColorRef


class Card(_Strict):
    border_width: Rule
    bar_width: Pt
    bar_gap: Pt
    radius: Pt


class QuoteCard(_Strict):
    pad: Pt
    gap: Pt
    background: ColorRef
    bar: ColorRef
    text_size: FontSize
    text_leading: Pt
    translation_size: FontSize
    translation_leading: Pt
    translation_color: ColorRef


class PaperCard(_Strict):
    pad: Pt
    gap: Pt
    border: ColorRef
    bar: ColorRef
    label_color: ColorRef
    title_color: ColorRef
    authors_size: FontSize
    authors_leading: Pt
    abstract_size: FontSize
    abstract_leading: Pt


class Diagram(_Strict):
    title_size: BoxTextSize
    text_size: BoxTextSize
    head_size: BoxTextSize
    title_leading: Factor
    text_leading: Factor
    box_pad: Pt
    box_gap: Pt
    box_color: ColorRef
    border_color: ColorRef
    head_color: ColorRef
    head_text_color: ColorRef
    arrow_color: ColorRef
    arrow_width: Rule
    arrow_length: ArrowLength
    arrow_length_down: ArrowLength
    arrow_inset: Pt
    arrow_head_length: Pt
    arrow_head_half_width: Pt
    stage_head_gap: Pt
    stage_box_gap: Pt
    band_box_gap: Pt
    band_head_width: Fraction
    band_gap: Pt
    column_width: Fraction
    column_min_width: Pt
    loosest_justified: Annotated[float, Field(ge=0, le=1)] = 0.2  # em of Han spacing


class TableRules(_Strict):
    leading: Factor
    shrink_step: Annotated[float, Field(gt=0, le=2)]
    head_color: ColorRef
    head_rule: Rule
    head_rule_color: ColorRef
    head_group_rule: Rule
    head_group_rule_color: ColorRef
    row_rule: Rule
    row_rule_color: ColorRef
    bottom_rule: Rule
    bottom_rule_color: ColorRef
    group_rule: Rule
    group_rule_color: ColorRef
    stripe_color: ColorRef


class RatingTable(_Strict):
    size: FontSize
    basis_size: FontSize
    basis_leading: Pt
    columns: list[Fraction] = Field(min_length=4, max_length=4)
    head_color: ColorRef
    type_color: ColorRef
    grid: Rule
    grid_color: ColorRef
    box: Rule
    box_color: ColorRef
    pad: Pt
    vpad: Pt


class Contacts(_Strict):
    size: FontSize
    rule: Rule
    rule_color: ColorRef
    gap: Pt
    top_pad: Pt
    city_space_after: Pt

class ChartLook(_Strict):
    grid_color: ColorRef
    grid_width: Rule
    axis_color: ColorRef
    zero_line_width: Rule
    line_width: Rule
    marker_size: Annotated[float, Field(ge=0, le=20)]
    bar_max_width: Pt
    bar_fill: Fraction


#: The component sections of theme.yaml (their colour fields are checked by name).
COMPONENTS = ("cover", "header", "footer", "contents", "card", "quote_card", "paper_card",
              "diagram", "table", "rating_table", "contacts", "chart")


class Theme(_Strict):
    page: Page
    layout: Layout = Layout()
    cover: Cover
    header: Header
    footer: Footer
    contents: Contents
    card: Card
    quote_card: QuoteCard
    paper_card: PaperCard
    diagram: Diagram
    table: TableRules
    rating_table: RatingTable
    contacts: Contacts
    chart: ChartLook
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
    risk_title: str = Field(RISK_TITLE, description="The title of the last section, which the engine adds.")
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
REQUIRED_STYLES = ("base", "body", "h1", "h2", "caption", "source", "table", "table_head", "header",
                   "header_title", "footer", "cover_department", "cover_meta")
FONT_ROLES = ("serif", "serif-bold", "sans", "sans-bold")
