"""The schema analysts write against (pydantic v2; unknown fields are errors).

Files and their models:
    entries/<WEEK>/week.yaml        -> Week
    entries/<WEEK>/<NN>-<slug>.yaml -> Entry      (one news item)
    entries/people.yaml             -> People     (analysts: name, role, SAC, e-mail)
    entries/catalogue.yaml          -> Catalogue  (published reports, for 近期研究报告)

Text fields accept the inline markup described in `authoring.model.inline`.
The JSON Schema in schemas/ is generated from these classes (`authoring schema`).
Annotations are real objects (no `from __future__ import annotations`): pydantic would
otherwise evaluate each annotation string at import.
"""


import datetime as dt
import re
from typing import Annotated, Any, Iterator, Literal, Union

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, StrictBool, StrictFloat,
                      StrictInt, StrictStr, StringConstraints, Tag, WithJsonSchema, field_validator,
                      model_validator)

MAX_TEXT = 5000  # characters in one paragraph; longer text is a mistake, not a report
NOT_BLANK = r"\S"  # JSON Schema's pattern searches: the text holds a visible character

# Every type says exactly what the JSON Schema in schemas/ says (tests/test_schema_agreement.py):
# no text read as a number or a boolean ('0.5', 'yes'), no number read as text, ids and
# patterns taken as written (' qwen3 ' is not an id).  Free text is trimmed after it is
# accepted; a text of spaces only is refused by both.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
                 WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 300, "pattern": NOT_BLANK})]
Prose = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT),
                  WithJsonSchema({"type": "string", "minLength": 1, "maxLength": MAX_TEXT, "pattern": NOT_BLANK})]
Cell = Union[StrictStr, StrictInt, StrictFloat, None]  # true/false are not numbers
Number = StrictFloat  # a whole number is a number too; text ('0.5') is not


def _whole(value: Any) -> Any:
    """2.0 is a whole number in JSON Schema; so it is here (text and true/false are not)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


Whole = Annotated[StrictInt, BeforeValidator(_whole)]
_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_only(value: Any) -> Any:
    """A date is written YYYY-MM-DD: not a number (pydantic would read 0 as 1970), not a time."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"expected a date written YYYY-MM-DD (e.g. 2025-04-30); got the number {value}")
    if isinstance(value, str) and not _DATE_SHAPE.fullmatch(value):
        raise ValueError(f"expected a date written YYYY-MM-DD (e.g. 2025-04-30); got text {value!r}")
    return value


Date = Annotated[dt.date, BeforeValidator(_date_only),
                 WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"})]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --------------------------------------------------------------------- figures

class FigureBase(Strict):
    id: Slug = Field(description="Unique in the week; [[id]] in text refers to it as 图表 N.")
    title: Line = Field(description="Caption text after '图表 N: '.")
    sources: list[Line] = Field(min_length=1, description="Printed as '资料来源: A, B, <institute>'.")
    note: Prose | None = Field(None, description="Optional note printed under the figure.")


class ImageFigure(FigureBase):
    kind: Literal["image"] = Field(description="image: a PNG or JPEG from the week's folder.")
    file: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="PNG or JPEG file inside the week folder.")
    width: Number = Field(1.0, gt=0.1, le=1.0, description="Fraction of the column width (more than 0.1, at most 1).")


class Column(Strict):
    title: Line = Field(description="Column heading.")
    align: Literal["left", "center", "right"] = Field("left", description="Alignment of the column's cells.")
    width: Number | None = Field(None, ge=0.03, le=1, description="Fraction of the table width.")


class HeaderGroup(Strict):
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = Field(
        "", description="Text of the header cell (may be empty).")
    span: Whole = Field(ge=1, description="How many columns this header cell covers.")


Row = Annotated[list[Cell], Field(description="One cell per column: text, a number or empty.")]


class RowGroup(Strict):
    title: Line = Field(description="Shown once, merged down the first column of the group.")
    rows: list[Row] = Field(min_length=1, description="The group's rows, one cell per column.")


def _one_of(a: str, b: str) -> ConfigDict:
    """The schema's form of 'give either a or b, not both and not neither'."""
    return ConfigDict(json_schema_extra={"oneOf": [
        {"required": [a], "properties": {a: True}}, {"required": [b], "properties": {b: True}}]})


class TableFigure(FigureBase):
    model_config = _one_of("rows", "groups")
    kind: Literal["table"] = Field(description="table: columns and rows (or groups of rows).")
    columns: list[Column] = Field(min_length=1, max_length=16, description="The columns, left to right.")
    header_groups: list[HeaderGroup] | None = Field(
        None, description="A header row above the column titles; spans must add up to the columns.")
    rows: list[Row] = Field(None, description="The rows, one cell per column (or give groups instead).")  # type: ignore[assignment]
    groups: list[RowGroup] = Field(  # type: ignore[assignment]
        None, description="Instead of rows: rows in labelled groups (adds a first column).")
    group_title: Line | None = Field(None, description="Title of the group column.")
    notes: list[Prose] = Field([], description="Notes printed under the table.")
    font_size: Number | None = Field(None, ge=5, le=12, description="Font size of the cells in points (5 to 12).")
    landscape: StrictBool = Field(False, description="Set the table on a page of its own, turned sideways "
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


ChartValue = Annotated[StrictFloat, Field(allow_inf_nan=False, gt=-1e15, lt=1e15)]


class Series(Strict):
    name: Line = Field(description="Legend label of the series.")
    values: list[ChartValue | None] = Field(
        min_length=1, description="One value per category; empty for a missing value.")


class ChartFigure(FigureBase):
    model_config = ConfigDict(json_schema_extra={  # bar and hbar: one series
        "if": {"required": ["chart"], "properties": {"chart": {"enum": ["bar", "hbar"]}}},
        "then": {"properties": {"series": {"type": "array", "maxItems": 1}}}})
    kind: Literal["chart"] = Field(description="chart: a bar, horizontal bar, grouped bar or line chart.")
    chart: Literal["bar", "hbar", "grouped_bar", "line"] = Field(
        description="bar or hbar (one series), grouped_bar or line (several).")
    categories: list[Line] = Field(min_length=1, max_length=60, description="Labels along the category axis.")
    series: list[Series] = Field(min_length=1, max_length=8, description="The data series (bar and hbar: one).")
    x_label: Line | None = Field(None, description="Label of the horizontal axis.")
    y_label: Line | None = Field(None, description="Label of the vertical axis.")
    unit: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] = Field(
        "", description="Appended to value labels, e.g. '%'.")
    value_labels: StrictBool = Field(True, description="Print each value on its bar or point (true or false).")
    height: Number = Field(0.55, ge=0.25, le=1.2, description="Height as a fraction of the width.")

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
    title: Line = Field(description="Text in the step's box.")
    text: Prose | None = Field(None, description="Smaller text under the title.")


class Stage(Strict):
    title: Line = Field(description="Title of the stage.")
    steps: list[Step] = Field(min_length=1, description="The stage's steps, in order.")


class DiagramFigure(FigureBase):
    model_config = _one_of("steps", "stages")
    kind: Literal["diagram"] = Field(description="diagram: steps joined by arrows, or stages of steps.")
    steps: list[Step] = Field(None, description="A process: boxes joined by arrows.")  # type: ignore[assignment]
    stages: list[Stage] = Field(None, description="Or: steps grouped in stages.")  # type: ignore[assignment]
    direction: Literal["horizontal", "vertical"] = Field("horizontal", description="Which way the arrows run.")

    @model_validator(mode="after")
    def _one(self):
        if (self.steps is None) == (self.stages is None):
            raise ValueError("give either 'steps' or 'stages', not both and not neither")
        return self


class QuoteFigure(FigureBase):
    kind: Literal["quote"] = Field(description="quote: a post or statement as a card.")
    author: Line = Field(description="Who said or posted it.")
    handle: Line | None = Field(None, description="The author's account, e.g. @elonmusk.")
    platform: Line | None = Field(None, description="Where it was posted, e.g. X.")
    date: Date | None = Field(None, description="When it was posted (YYYY-MM-DD).")
    text: Prose = Field(description="The quoted text.")
    translation: Prose | None = Field(None, description="Chinese rendering of a quote in another language.")


class PaperFigure(FigureBase):
    kind: Literal["paper"] = Field(description="paper: a card with a paper's title, authors and affiliations.")
    paper_title: Line = Field(description="The paper's title as published.")
    authors: list[Line] = Field(min_length=1, description="The paper's authors.")
    affiliations: list[Line] = Field([], description="The authors' institutions.")
    venue: Line | None = Field(None, description="Conference, journal or preprint server.")
    link: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = Field(
        None, description="The paper's address, http:// or https://.")
    abstract: Prose | None = Field(None, description="A short summary of the paper.")


Figure = Annotated[
    Union[ImageFigure, TableFigure, ChartFigure, DiagramFigure, QuoteFigure, PaperFigure],
    Field(discriminator="kind"),
]


# ---------------------------------------------------------------------- blocks

class Term(Strict):
    term: Line = Field(description="Bold lead-in, e.g. 子目标生成.")
    text: Prose = Field(description="The text after the lead-in.")


class ParagraphBlock(Strict):
    paragraph: Prose = Field(description="One paragraph of text (inline markup allowed).")


class BulletsBlock(Strict):
    bullets: list[Prose] = Field(min_length=1, description="A list with bullet points.")


class NumberedBlock(Strict):
    numbered: list[Prose] = Field(min_length=1, description="A numbered list.")


class TermsBlock(Strict):
    terms: list[Term] = Field(min_length=1, description="Bold lead-ins, each followed by its text.")


class FigureBlock(Strict):
    figure: Figure = Field(description="One figure: kind image, table, chart, diagram, quote or paper.")


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

    id: Slug = Field(description="The item's id, unique in the week; week.yaml's key_points use it.")
    section: Slug = Field(description="Key of one of the week's sections.")
    title: Line = Field(description="The item's heading.")
    date: Date = Field(description="When the news happened (YYYY-MM-DD).")
    summary: Prose | None = Field(None, description="Shown on the cover when the item is a key point.")
    body: list[Block] = Field(min_length=1, description="The blocks, printed in order.")


#: The title of the report's last section, which the engine adds with the risk text: a week
#: may not list a section of that title (brand.yaml's risk_title defaults to it).
RISK_TITLE = "风险提示"


class Section(Strict):
    key: Slug = Field(description="The section's key; entries name it in 'section'.")
    title: Line = Field(description=f"The section's heading ({RISK_TITLE} is added by the engine).",
                        json_schema_extra={"not": {"pattern": f"^\\s*{RISK_TITLE}\\s*$"}})


WeekTag = Annotated[str, StringConstraints(pattern=r"^\d{8}$"),
                    WithJsonSchema({"anyOf": [
                        {"type": "string", "pattern": r"^\d{8}$"},
                        {"type": "integer", "minimum": 10000000, "maximum": 99999999}]})]


class Week(Strict):
    """One issue of the report: entries/<WEEK>/week.yaml."""

    series: Literal["AI 动态汇总", "AI 要闻周报"] = Field(description="The report series.")
    report_type: Line = Field("金工周报", description="The report type printed on the cover.")
    week: WeekTag = Field(
        description="The week's tag, YYYYMMDD, as in the report's title (quoted or not).")
    date: Date = Field(description="Publication date (YYYY-MM-DD).")
    headline: Line = Field(description="Title before '——<series> <week>'.")
    authors: list[Slug] = Field(min_length=1, description="Ids in entries/people.yaml.")
    sections: list[Section] = Field(min_length=1, description="The report's sections, in order.")
    key_points: list[Slug] = Field(min_length=1, description="Entry ids shown on the cover.")
    risk: Prose | None = Field(None, description="风险提示 text; the brand's default when absent.")
    recent_reports: Whole = Field(10, ge=0, le=15, description="How many catalogue reports the cover lists.")
    keywords: list[Line] = Field([], description="Keywords of the PDF's document information.")

    @field_validator("week", mode="before")
    @classmethod
    def _week_text(cls, v):
        # an unquoted 20250512 is a YAML number: accepted, like the schema accepts it
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @field_validator("sections")
    @classmethod
    def _unique_sections(cls, v):
        keys = [s.key for s in v]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(f"section keys must be unique; repeated: {', '.join(dup)}")
        if any(s.title.strip() == RISK_TITLE for s in v):
            raise ValueError(f"{RISK_TITLE} is added by the engine as the last section; do not list it")
        return v


class Person(Strict):
    name: Line = Field(description="The analyst's name as printed.")
    role: Literal["分析师", "研究助理"] = Field(description="分析师 or 研究助理.")
    sac: Annotated[str, StringConstraints(pattern=r"^S\d{13}$")] = Field(
        description="SAC 登记编号: S and 13 digits.")
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")] = Field(
        description="E-mail address printed in the analyst statement.")


class People(Strict):
    people: dict[Slug, Person] = Field(description="Analysts by id (lowercase letters, digits, '-').")


class PublishedReport(Strict):
    title: Line = Field(description="The published report's full title.")
    date: Date = Field(description="Its publication date (YYYY-MM-DD).")


class Catalogue(Strict):
    reports: list[PublishedReport] = Field(description="Published reports, for the cover's 近期研究报告.")


def figures_with_paths(entry: "Entry") -> Iterator[tuple[tuple, Any]]:
    """Every figure of an entry with its path in the YAML data."""
    for i, block in enumerate(entry.body):
        if isinstance(block, FigureBlock):
            yield ("body", i, "figure"), block.figure
        elif isinstance(block, FigureRowBlock):
            for j, fig in enumerate(block.figure_row):
                yield ("body", i, "figure_row", j), fig
