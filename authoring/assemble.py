"""Assemble the report model: order, numbering, cross-references, boilerplate.

Input: validated week sources and styles.  Output: a `Report`, plain data that the layout
stage turns into pages.  Everything that needs a number (sections 1..n, items 1.1..,
figures 图表 1..N) is numbered here, once.  The records are NamedTuples: immutable like
frozen dataclasses, and a tenth of the cost to define at import.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from . import models
from .stylesheet import Styles
from .templates import Templates
from .validate import WeekSources, figures_with_paths

RISK_TITLE = "风险提示"


class FigureInfo(NamedTuple):
    number: int
    id: str
    title: str
    dest: str           # PDF destination name of the caption
    source_line: str    # "资料来源：A，B，中邮证券研究所"
    file: str           # the entry file it came from (for messages)


class Item(NamedTuple):
    number: str         # "1.2"
    title: str
    dest: str
    entry: models.Entry
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
    week: models.Week
    title: str
    date: dt.date
    authors: list[Author]
    recent: list[models.PublishedReport]
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


def assemble(src: WeekSources, styles: Styles, templates: Templates) -> Report:
    week: models.Week = src.week.model
    brand = styles.brand
    people = src.people.model.people

    order = {s.key: i for i, s in enumerate(week.sections)}
    entries = sorted(src.entries, key=lambda e: (order[e.model.section], e.source.file))

    figures: dict[str, FigureInfo] = {}
    sections: list[Section] = []
    for s_index, sec in enumerate(week.sections, start=1):
        items = []
        for loaded in [e for e in entries if e.model.section == sec.key]:
            number = f"{s_index}.{len(items) + 1}"
            items.append(Item(number, loaded.model.title, f"item-{loaded.model.id}", loaded.model,
                              loaded.source.file))
            for _path, fig in figures_with_paths(loaded.model):
                figures[fig.id] = FigureInfo(
                    number=len(figures) + 1, id=fig.id, title=fig.title, dest=f"fig-{fig.id}",
                    source_line=templates.render("source_line.j2", sources=list(fig.sources), brand=brand),
                    file=loaded.source.file)
        sections.append(Section(s_index, sec.title, f"sec-{sec.key}", items))
    risk = week.risk or brand.default_risk
    sections.append(Section(len(sections) + 1, RISK_TITLE, "sec-risk", [], [risk]))

    by_id = {e.model.id: e.model for e in entries}
    key_points = [KeyPoint(by_id[k].title, by_id[k].summary or "", f"item-{k}") for k in week.key_points]

    reports = [r for r in src.catalogue.model.reports
               if r.date <= week.date and week.week not in r.title]
    recent = sorted(reversed(reports), key=lambda r: r.date, reverse=True)[: week.recent_reports]

    ratings = [RatingRow(scale.type, g.name, templates.render("rating_grade.j2", scale=scale, grade=g))
               for scale in brand.ratings.scales for g in scale.grades]
    ctx = {"brand": brand, "week": week}
    return Report(
        week=week,
        title=templates.render("title.j2", **ctx),
        date=week.date,
        authors=[Author(people[a].name, people[a].role, people[a].sac, people[a].email) for a in week.authors],
        recent=recent,
        key_points=key_points,
        risk=risk,
        sections=sections,
        figures=figures,
        rating_basis=templates.paragraphs("rating_basis.j2", **ctx),
        ratings=ratings,
        analyst_statement=templates.paragraphs("analyst_statement.j2", **ctx),
        disclaimer=templates.paragraphs("disclaimer.j2", **ctx),
        profile=templates.paragraphs("profile.j2", **ctx),
        styles=styles,
        week_folder=src.folder,
    )
