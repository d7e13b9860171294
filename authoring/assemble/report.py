"""Assemble the report model: order, numbering, cross-references, boilerplate.

Input: validated week sources and styles.  Output: a `Report` (model/report.py), plain
records that the layout stage turns into pages; the validated pydantic objects are copied
into them here, last.  Everything that needs a number (sections 1..n, items 1.1..,
figures 图表 1..N) is numbered here, once.
"""

from __future__ import annotations

from ..model import entries as models
from ..model.report import (Author, FigureInfo, Item, KeyPoint, Place, RatingRow, Report, Section, Styles,
                            record)
from .templates import Templates
from ..model.entries import figures_with_paths
from ..source.paths import dotted
from ..validate.week import WeekSources

def _row_places(source, path: tuple, fig) -> tuple:
    """Where each body row of a table is written (the layout names the row it cannot place)."""
    if fig.kind != "table":
        return ()
    if fig.rows is not None:
        subs = [("rows", j) for j in range(len(fig.rows))]
    else:
        subs = [("groups", g, "rows", j) for g, grp in enumerate(fig.groups or []) for j in range(len(grp.rows))]
    return tuple((dotted(path + sub), *source.where(path + sub)) for sub in subs)


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
            items.append(Item(number, loaded.model.title, f"item-{loaded.model.id}", record(loaded.model),
                              loaded.source.file))
            for path, fig in figures_with_paths(loaded.model):
                line, col = loaded.source.where(path + ("id",))
                figures[fig.id] = FigureInfo(
                    number=len(figures) + 1, id=fig.id, title=fig.title, dest=f"fig-{fig.id}",
                    source_line=templates.render("source_line.j2", sources=list(fig.sources), brand=brand),
                    file=loaded.source.file, line=line, col=col,
                    place=fig.kind + (" in a figure_row" if "figure_row" in path else ""),
                    rows=_row_places(loaded.source, path, fig))
        sections.append(Section(s_index, sec.title, f"sec-{sec.key}", items))
    risk = week.risk or brand.default_risk
    sections.append(Section(len(sections) + 1, brand.risk_title, "sec-risk", [], [risk]))

    by_id = {e.model.id: e.model for e in entries}
    key_points = [KeyPoint(by_id[k].title, by_id[k].summary or "", f"item-{k}") for k in week.key_points]

    reports = [r for r in src.catalogue.model.reports
               if r.date <= week.date and week.week not in r.title]
    recent = sorted(reversed(reports), key=lambda r: r.date, reverse=True)[: week.recent_reports]

    ratings = [RatingRow(scale.type, g.name, templates.render("rating_grade.j2", scale=scale, grade=g))
               for scale in brand.ratings.scales for g in scale.grades]
    ctx = {"brand": brand, "week": week}
    return Report(
        week=record(week),
        title=templates.render("title.j2", **ctx),
        date=week.date,
        authors=[Author(people[a].name, people[a].role, people[a].sac, people[a].email) for a in week.authors],
        recent=record(recent),
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
        places={"week": Place(src.week.source.file),
                "key_points": Place(src.week.source.file, *src.week.source.where(("key_points",)))},
    )
