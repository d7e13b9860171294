"""The assembled report: the plain, typed records `assemble` hands to the layout stage.

Entries and styles are validated by pydantic (model/entries.py, model/styles.py); the layout
never needs pydantic.  `record` copies every validated object into the record of the same
name in records.py (generated from those classes, see generate.py), and the assembled
report (numbered sections, items, figures) is made of the records below, so that this
module, and everything the layout imports, loads without pydantic.  That is what lets a warm
build take the assembled report from the snapshot cache (snapshot.py) without importing
pydantic at all: pydantic and the models are 30 % of a warm build's instructions.

Lists stay lists (the layout indexes and slices them); a record is immutable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from .records import RECORD_OF, Brand, Entry, PublishedReport, Theme, Week


@dataclass(frozen=True)
class Styles:
    """What the build needs from styles/: the theme, the brand (records), resolved styles.
    validate/styles.load_styles makes it; assemble hands the same object to the layout."""

    folder: Path
    theme: Theme
    brand: Brand
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


class Place(NamedTuple):
    """Where something is written, as messages name it (0 when only the file is known)."""
    file: str
    line: int = 0
    col: int = 0


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
    places: dict[str, Place]   # "week" (week.yaml), "key_points": for the layout's messages

    @property
    def figure_list(self) -> list[FigureInfo]:
        return sorted(self.figures.values(), key=lambda f: f.number)


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
            raise TypeError(f"no record for {cls.__module__}.{cls.__name__}; add its class to generate.ROOTS")
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
