"""The schema analysts write against (pydantic v2; unknown fields are errors).

Files and their models:
    entries/<WEEK>/week.yaml        -> Week
    entries/<WEEK>/<NN>-<slug>.yaml -> Entry      (one news item)
    entries/people.yaml             -> People     (analysts: name, role, SAC, e-mail)
    entries/catalogue.yaml          -> Catalogue  (published reports, for 近期研究报告)

Text fields accept the inline markup described in `authoring.inline`.
The JSON Schema in schemas/ is generated from these classes (`authoring schema`).
Annotations are real objects (no `from __future__ import annotations`): pydantic would
otherwise evaluate each annotation string at import.
"""


import datetime as dt
from typing import Annotated, Any, Literal, Union

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, StrictFloat, StrictInt,
                      StrictStr, StringConstraints, Tag, field_validator, model_validator)

MAX_TEXT = 5000  # characters in one paragraph; longer text is a mistake, not a report

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
Line = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Prose = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
Cell = Union[StrictStr, StrictInt, StrictFloat, None]  # true/false are not numbers


def _date_only(value: Any) -> Any:
    """A date is written YYYY-MM-DD; a bare number is not a date (pydantic would read 0 as 1970)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"expected a date written YYYY-MM-DD (e.g. 2025-04-30); got the number {value}")
    return value


Date = Annotated[dt.date, BeforeValidator(_date_only)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


def _no_blank(value: str) -> str:
    if isinstance(value, str) and not value.strip():
        raise ValueError("must not be blank")
    return value


# --------------------------------------------------------------------- figures

class FigureBase(Strict):
    id: Slug = Field(description="Unique in the week; [[id]] in text refers to it as 图表 N.")
    title: Line = Field(description="Caption text after '图表 N: '.")
    sources: list[Line] = Field(min_length=1, description="Printed as '资料来源: A, B, <institute>'.")
    note: Prose | None = Field(None, description="Optional note printed under the figure.")


class ImageFigure(FigureBase):
    kind: Literal["image"]
    file: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="PNG or JPEG file inside the week folder.")
    width: float = Field(1.0, gt=0.1, le=1.0, description="Fraction of the column width.")


class Column(Strict):
    title: Line
    align: Literal["left", "center", "right"] = "left"
    width: float | None = Field(None, ge=0.03, le=1, description="Fraction of the table width.")


class HeaderGroup(Strict):
    title: Annotated[str, StringConstraints(max_length=100)] = ""
    span: int = Field(ge=1, description="How many columns this header cell covers.")


class RowGroup(Strict):
    title: Line = Field(description="Shown once, merged down the first column of the group.")
    rows: list[list[Cell]] = Field(min_length=1)


class TableFigure(FigureBase):
    kind: Literal["table"]
    columns: list[Column] = Field(min_length=1, max_length=16)
    header_groups: list[HeaderGroup] | None = Field(
        None, description="A header row above the column titles; spans must add up to the columns.")
    rows: list[list[Cell]] | None = None
    groups: list[RowGroup] | None = Field(
        None, description="Instead of rows: rows in labelled groups (adds a first column).")
    group_title: Line | None = Field(None, description="Title of the group column.")
    notes: list[Prose] = []
    font_size: float | None = Field(None, ge=5, le=12)
    landscape: bool = Field(False, description="Set the table on a page of its own, turned sideways "
                                               "(for a table too wide for the column).")

    @model_validator(mode="after")
    def _shape(self):
        if (self.rows is None) == (self.groups is None):
            raise ValueError("give either 'rows' or 'groups', not both and not neither")
        n = len(self.columns)
        if self.header_groups is not None:
            total = sum(g.span for g in self.header_groups)
            extra = 1 if self.groups is not None else 0
            if total != n + extra:
                raise ValueError(f"header_groups spans add up to {total}; the table has {n + extra} columns")
        bodies = [("rows", self.rows or [])] + [
            (f"groups[{i}].rows", g.rows) for i, g in enumerate(self.groups or [])]
        for where, rows in bodies:
            for j, row in enumerate(rows):
                if len(row) != n:
                    raise ValueError(f"{where}[{j}] has {len(row)} cells; expected {n} (one per column)")
        return self


ChartValue = Annotated[float, Field(allow_inf_nan=False, gt=-1e15, lt=1e15)]


class Series(Strict):
    name: Line
    values: list[ChartValue | None] = Field(min_length=1)


class ChartFigure(FigureBase):
    kind: Literal["chart"]
    chart: Literal["bar", "hbar", "grouped_bar", "line"]
    categories: list[Line] = Field(min_length=1, max_length=60)
    series: list[Series] = Field(min_length=1, max_length=8)
    x_label: Line | None = None
    y_label: Line | None = None
    unit: Annotated[str, StringConstraints(max_length=20)] = Field("", description="Appended to value labels, e.g. '%'.")
    value_labels: bool = True
    height: float = Field(0.55, ge=0.25, le=1.2, description="Height as a fraction of the width.")

    @model_validator(mode="after")
    def _lengths(self):
        n = len(self.categories)
        for i, s in enumerate(self.series):
            if len(s.values) != n:
                raise ValueError(f"series[{i}] '{s.name}' has {len(s.values)} value{'s' if len(s.values) != 1 else ''}; "
                                 f"expected {n} (one per category)")
        if self.chart in ("bar", "hbar") and len(self.series) != 1:
            raise ValueError(f"a '{self.chart}' chart takes one series; use 'grouped_bar' for several")
        return self


class Step(Strict):
    title: Line
    text: Prose | None = None


class Stage(Strict):
    title: Line
    steps: list[Step] = Field(min_length=1)


class DiagramFigure(FigureBase):
    kind: Literal["diagram"]
    steps: list[Step] | None = Field(None, description="A process: boxes joined by arrows.")
    stages: list[Stage] | None = Field(None, description="Or: steps grouped in stages.")
    direction: Literal["horizontal", "vertical"] = "horizontal"

    @model_validator(mode="after")
    def _one(self):
        if (self.steps is None) == (self.stages is None):
            raise ValueError("give either 'steps' or 'stages', not both and not neither")
        return self


class QuoteFigure(FigureBase):
    kind: Literal["quote"]
    author: Line
    handle: Line | None = None
    platform: Line | None = None
    date: Date | None = None
    text: Prose
    translation: Prose | None = Field(None, description="Chinese rendering of a quote in another language.")


class PaperFigure(FigureBase):
    kind: Literal["paper"]
    paper_title: Line
    authors: list[Line] = Field(min_length=1)
    affiliations: list[Line] = []
    venue: Line | None = None
    link: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    abstract: Prose | None = None


Figure = Annotated[
    Union[ImageFigure, TableFigure, ChartFigure, DiagramFigure, QuoteFigure, PaperFigure],
    Field(discriminator="kind"),
]


# ---------------------------------------------------------------------- blocks

class Term(Strict):
    term: Line = Field(description="Bold lead-in, e.g. 子目标生成.")
    text: Prose


class ParagraphBlock(Strict):
    paragraph: Prose


class BulletsBlock(Strict):
    bullets: list[Prose] = Field(min_length=1)


class NumberedBlock(Strict):
    numbered: list[Prose] = Field(min_length=1)


class TermsBlock(Strict):
    terms: list[Term] = Field(min_length=1)


class FigureBlock(Strict):
    figure: Figure


class FigureRowBlock(Strict):
    figure_row: list[Figure] = Field(min_length=2, max_length=2,
                                     description="Two figures side by side.")


BLOCK_KINDS = ("paragraph", "bullets", "numbered", "terms", "figure", "figure_row")


def _block_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        keys = [k for k in value if k in BLOCK_KINDS]
        return keys[0] if len(keys) == 1 and len(value) == 1 else None
    if isinstance(value, BaseModel):
        for k in BLOCK_KINDS:
            if hasattr(value, k):
                return k
    return None


Block = Annotated[
    Union[
        Annotated[ParagraphBlock, Tag("paragraph")],
        Annotated[BulletsBlock, Tag("bullets")],
        Annotated[NumberedBlock, Tag("numbered")],
        Annotated[TermsBlock, Tag("terms")],
        Annotated[FigureBlock, Tag("figure")],
        Annotated[FigureRowBlock, Tag("figure_row")],
    ],
    Discriminator(_block_kind, custom_error_type="block_kind",
                  custom_error_message="a body block is a mapping with exactly one of the keys "
                                       "paragraph, bullets, numbered, terms, figure, figure_row"),
]


# ------------------------------------------------------------ entries and weeks

class Entry(Strict):
    """One news item: entries/<WEEK>/<NN>-<slug>.yaml."""

    id: Slug
    section: Slug = Field(description="Key of one of the week's sections.")
    title: Line
    date: Date = Field(description="When the news happened.")
    summary: Prose | None = Field(None, description="Shown on the cover when the item is a key point.")
    body: list[Block] = Field(min_length=1)


class Section(Strict):
    key: Slug
    title: Line


class Week(Strict):
    """One issue of the report: entries/<WEEK>/week.yaml."""

    series: Literal["AI 动态汇总", "AI 要闻周报"]
    report_type: Line = "金工周报"
    week: Annotated[str, StringConstraints(pattern=r"^\d{8}$")] = Field(
        description="The week's tag, YYYYMMDD, as in the report's title.")
    date: Date = Field(description="Publication date.")
    headline: Line = Field(description="Title before '——<series> <week>'.")
    authors: list[Slug] = Field(min_length=1, description="Ids in entries/people.yaml.")
    sections: list[Section] = Field(min_length=1)
    key_points: list[Slug] = Field(min_length=1, description="Entry ids shown on the cover.")
    risk: Prose | None = Field(None, description="风险提示 text; the brand's default when absent.")
    recent_reports: int = Field(10, ge=0, le=15, description="How many catalogue reports the cover lists.")
    keywords: list[Line] = []

    @field_validator("week", mode="before")
    @classmethod
    def _week_text(cls, v):
        return str(v) if isinstance(v, int) else v

    @field_validator("sections")
    @classmethod
    def _unique_sections(cls, v):
        keys = [s.key for s in v]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(f"section keys must be unique; repeated: {', '.join(dup)}")
        if any(s.title.strip() == "风险提示" for s in v):
            raise ValueError("风险提示 is added by the engine as the last section; do not list it")
        return v

    @property
    def title(self) -> str:  # convenience; the printed form comes from the brand template
        return f"{self.headline}——{self.series} {self.week}"


class Person(Strict):
    name: Line
    role: Literal["分析师", "研究助理"]
    sac: Annotated[str, StringConstraints(pattern=r"^S\d{13}$")] = Field(description="SAC 登记编号.")
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]


class People(Strict):
    people: dict[Slug, Person]


class PublishedReport(Strict):
    title: Line
    date: Date


class Catalogue(Strict):
    reports: list[PublishedReport]
