"""The report model: the plain, typed records `assemble` hands to the layout stage.

Entries and styles are validated by pydantic (models.py, stylesheet.py); the layout never
needs pydantic.  `assemble` copies every validated object into the record of the same name
here (NamedTuples, field for field; tests/test_reportmodel.py keeps the two in step), so
that this module, and everything the layout imports, loads without pydantic.  That is what
lets a warm build take the assembled report from the snapshot cache (snapshot.py) without
importing pydantic at all: pydantic and the models are 30 % of a warm build's instructions.

NamedTuples, not dataclasses: forty dataclasses would cost 15 ms to define at import.
Lists stay lists (the layout indexes and slices them); a record is immutable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, Union

Cell = Union[str, int, float, None]

# --------------------------------------------------------------------- figures
# (the fields of models.FigureBase come first in every figure, as in pydantic)


class ImageFigure(NamedTuple):
    id: str
    title: str
    sources: list[str]
    note: str | None
    kind: str
    file: str
    width: float


class Column(NamedTuple):
    title: str
    align: str
    width: float | None


class HeaderGroup(NamedTuple):
    title: str
    span: int


class RowGroup(NamedTuple):
    title: str
    rows: list[list[Cell]]


class TableFigure(NamedTuple):
    id: str
    title: str
    sources: list[str]
    note: str | None
    kind: str
    columns: list[Column]
    header_groups: list[HeaderGroup] | None
    rows: list[list[Cell]] | None
    groups: list[RowGroup] | None
    group_title: str | None
    notes: list[str]
    font_size: float | None
    landscape: bool


class Series(NamedTuple):
    name: str
    values: list[float | None]


class ChartFigure(NamedTuple):
    id: str
    title: str
    sources: list[str]
    note: str | None
    kind: str
    chart: str
    categories: list[str]
    series: list[Series]
    x_label: str | None
    y_label: str | None
    unit: str
    value_labels: bool
    height: float


class Step(NamedTuple):
    title: str
    text: str | None


class Stage(NamedTuple):
    title: str
    steps: list[Step]


class DiagramFigure(NamedTuple):
    id: str
    title: str
    sources: list[str]
    note: str | None
    kind: str
    steps: list[Step] | None
    stages: list[Stage] | None
    direction: str


class QuoteFigure(NamedTuple):
    id: str
    title: str
    sources: list[str]
    note: str | None
    kind: str
    author: str
    handle: str | None
    platform: str | None
    date: dt.date | None
    text: str
    translation: str | None


class PaperFigure(NamedTuple):
    id: str
    title: str
    sources: list[str]
    note: str | None
    kind: str
    paper_title: str
    authors: list[str]
    affiliations: list[str]
    venue: str | None
    link: str | None
    abstract: str | None


Figure = Union[ImageFigure, TableFigure, ChartFigure, DiagramFigure, QuoteFigure, PaperFigure]

# ---------------------------------------------------------------------- blocks


class Term(NamedTuple):
    term: str
    text: str


class ParagraphBlock(NamedTuple):
    paragraph: str


class BulletsBlock(NamedTuple):
    bullets: list[str]


class NumberedBlock(NamedTuple):
    numbered: list[str]


class TermsBlock(NamedTuple):
    terms: list[Term]


class FigureBlock(NamedTuple):
    figure: Figure


class FigureRowBlock(NamedTuple):
    figure_row: list[Figure]


Block = Union[ParagraphBlock, BulletsBlock, NumberedBlock, TermsBlock, FigureBlock, FigureRowBlock]

# ------------------------------------------------------------ entries and weeks


class Entry(NamedTuple):
    id: str
    section: str
    title: str
    date: dt.date
    summary: str | None
    body: list[Block]


class WeekSection(NamedTuple):
    """models.Section: a section key and title as week.yaml lists them."""
    key: str
    title: str


class Week(NamedTuple):
    series: str
    report_type: str
    week: str
    date: dt.date
    headline: str
    authors: list[str]
    sections: list[WeekSection]
    key_points: list[str]
    risk: str | None
    recent_reports: int
    keywords: list[str]

    @property
    def title(self) -> str:
        return f"{self.headline}——{self.series} {self.week}"


class PublishedReport(NamedTuple):
    title: str
    date: dt.date

# ---------------------------------------------------------------- theme and brand


class Page(NamedTuple):
    size: str
    margin_top: float
    margin_bottom: float
    margin_left: float
    margin_right: float
    header_rule_width: float
    cover_sidebar_width: float
    cover_gutter: float


class FontSpec(NamedTuple):
    families: list[str]
    weight: str
    file: str | None
    index: int


class StyleSpec(NamedTuple):
    parent: str | None
    font: str | None
    size: float | None
    leading: float | None
    color: str | None
    align: str | None
    first_indent: float | str | None
    left_indent: float | str | None
    right_indent: float | str | None
    space_before: float | None
    space_after: float | None


class Layout(NamedTuple):
    float_split_taller_than: float
    float_split_room: float
    table_min_font: float
    table_cell_pad: float
    table_cell_vpad: float
    missing_value: str
    chart_min_font: float
    figure_row_gap: float


class Cover(NamedTuple):
    banner_height: float
    banner_color: str
    outdent: float
    head_raise: float
    meta_raise: float
    meta_drop: float
    rule_drop: float
    rule_color: str
    columns_top: float
    column_rule_gap: float
    column_rule_width: float
    column_rule_color: str
    type_band_height: float
    type_band_pad: float
    type_band_color: str
    type_band_space_after: float
    author_space_after: float
    recent_space_before: float
    bullet_color: str


class Header(NamedTuple):
    baseline_raise: float
    rule_drop: float
    rule_color: str


class Footer(NamedTuple):
    baseline_drop: float


class Contents(NamedTuple):
    section_number_gap: float
    item_number_gap: float
    figure_number_gap: float
    page_pad: float
    page_gap: float
    leader_gap: float
    leader_color: str


class Card(NamedTuple):
    border_width: float
    bar_width: float
    bar_gap: float
    radius: float


class QuoteCard(NamedTuple):
    pad: float
    gap: float
    background: str
    bar: str
    text_size: float
    text_leading: float
    translation_size: float
    translation_leading: float
    translation_color: str


class PaperCard(NamedTuple):
    pad: float
    gap: float
    border: str
    bar: str
    label_color: str
    title_color: str
    authors_size: float
    authors_leading: float
    abstract_size: float
    abstract_leading: float


class Diagram(NamedTuple):
    title_size: float
    text_size: float
    head_size: float
    title_leading: float
    text_leading: float
    box_pad: float
    box_gap: float
    box_color: str
    border_color: str
    head_color: str
    head_text_color: str
    arrow_color: str
    arrow_width: float
    arrow_length: float
    arrow_length_down: float
    arrow_inset: float
    arrow_head_length: float
    arrow_head_half_width: float
    stage_head_gap: float
    stage_box_gap: float
    band_box_gap: float
    band_head_width: float
    band_gap: float
    column_width: float
    column_min_width: float


class TableRules(NamedTuple):
    leading: float
    shrink_step: float
    head_color: str
    head_rule: float
    head_rule_color: str
    head_group_rule: float
    head_group_rule_color: str
    row_rule: float
    row_rule_color: str
    bottom_rule: float
    bottom_rule_color: str
    group_rule: float
    group_rule_color: str
    stripe_color: str


class RatingTable(NamedTuple):
    size: float
    basis_size: float
    basis_leading: float
    columns: list[float]
    head_color: str
    type_color: str
    grid: float
    grid_color: str
    box: float
    box_color: str
    pad: float
    vpad: float


class Contacts(NamedTuple):
    size: float
    rule: float
    rule_color: str
    gap: float
    top_pad: float
    city_space_after: float


class ChartLook(NamedTuple):
    grid_color: str
    grid_width: float
    axis_color: str
    zero_line_width: float
    line_width: float
    marker_size: float
    bar_max_width: float
    bar_fill: float


class Theme(NamedTuple):
    page: Page
    layout: Layout
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
    fonts: dict[str, list[FontSpec]]   # role -> its faces, first face then fallbacks
    colors: dict[str, str | list[str]]
    styles: dict[str, StyleSpec]


class Contact(NamedTuple):
    city: str
    email: str
    address: str
    postcode: str


class Grade(NamedTuple):
    name: str
    low: int | float | None
    high: int | float | None


class Scale(NamedTuple):
    type: str
    subject: str
    grades: list[Grade]


class Benchmark(NamedTuple):
    market: str
    index: str


class Ratings(NamedTuple):
    horizon: str
    benchmarks: list[Benchmark]
    scales: list[Scale]


class Brand(NamedTuple):
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


@dataclass(frozen=True)
class Styles:
    """What the build needs from styles/: the theme, the brand, resolved styles.
    (stylesheet.load_styles fills it with the validated pydantic objects; the report's copy
    holds the records above.)"""

    folder: Path
    theme: Any   # Theme
    brand: Any   # Brand
    resolved: dict[str, dict[str, Any]]

    def color(self, name_or_hex: str) -> str:
        value = self.theme.colors.get(name_or_hex, name_or_hex)
        return value if isinstance(value, str) else value[0]


def em(value: float | str | None, size: float) -> float:
    """'2em' -> 2 * size; numbers are points."""
    if value is None:
        return 0.0
    if isinstance(value, str):
        v = value.strip()
        if v.endswith("em"):
            return float(v[:-2]) * size
        if v.endswith("pt"):
            return float(v[:-2])
        return float(v)
    return float(value)

# ------------------------------------------------------------- the assembled report


class FigureInfo(NamedTuple):
    number: int
    id: str
    title: str
    dest: str           # PDF destination name of the caption
    source_line: str    # "资料来源：A，B，中邮证券研究所"
    file: str           # the entry file it came from (for messages)
    line: int = 0       # where its `id` is written in that file
    col: int = 0
    place: str = ""     # its kind, "table" or "quote in a figure_row" (for messages)
    rows: tuple = ()    # a table's body rows, in order: (data path as printed, line, col)


class Item(NamedTuple):
    number: str         # "1.2"
    title: str
    dest: str
    entry: Entry
    file: str


class Section(NamedTuple):
    number: int
    title: str
    dest: str
    items: list[Item]
    paragraphs: tuple[str, ...] | list[str] = ()  # for 风险提示


class Author(NamedTuple):
    name: str
    role: str
    sac: str
    email: str


class KeyPoint(NamedTuple):
    title: str
    summary: str
    dest: str


class RatingRow(NamedTuple):
    type: str
    grade: str
    meaning: str


class Report(NamedTuple):
    week: Week
    title: str
    date: dt.date
    authors: list[Author]
    recent: list[PublishedReport]
    key_points: list[KeyPoint]
    risk: str
    sections: list[Section]
    figures: dict[str, FigureInfo]
    rating_basis: list[str]
    ratings: list[RatingRow]
    analyst_statement: list[str]
    disclaimer: list[str]
    profile: list[str]
    styles: Styles
    week_folder: Any

    @property
    def figure_list(self) -> list[FigureInfo]:
        return sorted(self.figures.values(), key=lambda f: f.number)

    def figure_label(self, fig_id: str) -> str:
        return f"图表 {self.figures[fig_id].number}"


#: The record of each validated class, by the class's module and name (models.Section is
#: WeekSection here: Section is the assembled, numbered section).
RECORD_OF = {
    **{f"authoring.models.{c.__name__}": c for c in (
        ImageFigure, Column, HeaderGroup, RowGroup, TableFigure, Series, ChartFigure, Step, Stage,
        DiagramFigure, QuoteFigure, PaperFigure, Term, ParagraphBlock, BulletsBlock, NumberedBlock,
        TermsBlock, FigureBlock, FigureRowBlock, Entry, Week, PublishedReport)},
    "authoring.models.Section": WeekSection,
    **{f"authoring.stylesheet.{c.__name__}": c for c in (
        Page, Layout, FontSpec, StyleSpec, Theme, Contact, Grade, Scale, Benchmark, Ratings, Brand,
        Cover, Header, Footer, Contents, Card, QuoteCard, PaperCard, Diagram, TableRules, RatingTable,
        Contacts, ChartLook)},
}


def record(value: Any) -> Any:
    """A validated (pydantic) value copied into records: models become the record of the same
    name, lists stay lists, dicts stay dicts; anything else is returned as it is."""
    cls = type(value)
    if cls in (str, int, float, bool, type(None), dt.date):
        return value
    if cls is list:
        return [record(v) for v in value]
    if cls is dict:
        return {k: record(v) for k, v in value.items()}
    target = RECORD_OF.get(f"{cls.__module__}.{cls.__name__}")
    if target is None:
        if hasattr(cls, "model_fields"):
            raise TypeError(f"no record for {cls.__module__}.{cls.__name__}; add one to reportmodel.py")
        return value
    return target(*[record(getattr(value, name)) for name in target._fields])


def as_json(value: Any) -> Any:
    """A record as JSON-ready data (what pydantic's model_dump(mode="json") gives)."""
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {k: as_json(v) for k, v in zip(value._fields, value)}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
