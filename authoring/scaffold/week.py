"""`authoring new week`: start a week from the previous one.

It checks everything first and then write new files only: an existing
file is never overwritten (exit code 2, nothing written).  The fields an analyst
must decide (a week's headline and key points; an entry's title, date and body)
are written as comments, so `authoring validate` says "field required" until
they are filled in; nothing that looks finished is ever made up.

`new week` also appends the previous week's report to entries/catalogue.yaml
(one line, the file's comments and layout untouched) so that it is listed
under 近期研究报告 on the new cover.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from ..assemble.templates import Templates
from ..atomic import write_text
from ..diagnostics import Failed, display_path
from ..model import entries as models
from ..source.load import load
from ..validate.files import check
from .files import WEEK_TAG, Written, create, fail, flow_list, load_text, scalar


def tag_date(week: str, where) -> dt.date:
    if not WEEK_TAG.match(week):
        raise fail(where, f"'{week}' is not a week tag; expected YYYYMMDD, e.g. 20250512")
    try:
        return dt.datetime.strptime(week, "%Y%m%d").date()
    except ValueError:
        raise fail(where, f"'{week}' is not a calendar date; expected YYYYMMDD, e.g. 20250512") from None


def previous_week(entries: Path, week: str) -> Path | None:
    earlier = sorted(p for p in entries.iterdir()
                     if p.is_dir() and WEEK_TAG.match(p.name) and p.name < week
                     and (p / "week.yaml").exists())
    return earlier[-1] if earlier else None


def load_week(path: Path) -> models.Week:
    source, problems = load(path)
    if source is None:
        raise Failed(problems)
    week, problems = check(source, models.Week)
    if week is None:
        raise Failed(problems)
    return week


def new_week(root: Path, week: str, date: dt.date | None = None,
             copy_from: str | None = None) -> Written:
    """Create entries/<week>/week.yaml from the previous week and list that week in the catalogue."""
    root = Path(root)
    entries = root / "entries"
    if not entries.is_dir():
        raise fail(entries, "no entries/ folder here; run authoring from the project folder")
    folder = entries / week
    dated = tag_date(week, folder)
    target = folder / "week.yaml"
    if target.exists():
        raise fail(target, "already exists; `new week` never overwrites a file (edit it, or "
                            "delete it first to start again)")
    if copy_from:
        prev_folder = entries / copy_from
        if not (prev_folder / "week.yaml").exists():
            raise fail(prev_folder / "week.yaml", "does not exist; --from names a week folder with a week.yaml")
    else:
        prev_folder = previous_week(entries, week)
        if prev_folder is None:
            raise fail(entries, f"no week folder before {week} to copy the series, authors and "
                                 "sections from; write the first week.yaml by hand (see README)")
    prev = load_week(prev_folder / "week.yaml")
    date = date or dated

    week_text = week_yaml(prev, week, date, prev_folder.name)
    catalogue = entries / "catalogue.yaml"
    title = report_title(root, prev)
    new_catalogue, line = catalogue_with(catalogue, prev, title)

    out = Written()
    folder.mkdir(parents=True, exist_ok=True)
    create(target, week_text)
    out.created.append(target)
    if new_catalogue is not None:
        write_text(catalogue, new_catalogue)
        out.appended.append((catalogue, line))
    else:
        out.notes.append(f"{display_path(catalogue)} already lists {title}")
    return out


def report_title(root: Path, prev: models.Week) -> str:
    """The previous week's report title as its cover printed it (the brand's title.j2)."""
    from ..validate.styles import load_styles

    styles = load_styles(root / "styles")  # raises Failed with every problem of the styles
    return Templates(root / "styles" / "templates").render("title.j2", week=prev, brand=styles.brand)


def week_yaml(prev: models.Week, week: str, date: dt.date, prev_name: str) -> str:
    lines = [
        "# yaml-language-server: $schema=../../schemas/week.schema.json",
        f"# Week {week}, started by `authoring new week` from {prev_name} (series, authors, sections).",
        "# Still to write: `headline` and `key_points` (commented below); until then",
        "# `authoring validate` reports them as 'field required'.",
        f"series: {scalar(prev.series)}",
        f"report_type: {scalar(prev.report_type)}",
        f'week: "{week}"',
        f"date: {date.isoformat()}             # publication date",
        "",
        f"# headline: the title before '——{prev.series} {week}'; REQUIRED.",
        f"#   ({prev_name}'s was: {prev.headline})",
        "# headline:",
        f"authors: {flow_list(prev.authors)}",
        "sections:",
    ]
    for s in prev.sections:
        lines.append(f"  - {{key: {scalar(s.key)}, title: {scalar(s.title)}}}")
    lines += [
        "",
        "# key_points: ids of the entries shown on the cover, in order; each needs a `summary`.",
        "#   REQUIRED, e.g. key_points: [first-entry-id, second-entry-id]",
        "# key_points: []",
        "",
        "# risk: the 风险提示 text; without it the brand's default (styles/brand.yaml) is printed.",
    ]
    if prev.risk:
        lines.append(f"#   ({prev_name}'s was: {prev.risk})")
    lines += [
        f"recent_reports: {prev.recent_reports}   # how many catalogue reports the cover lists",
        "# keywords: [Name, Other name]          # optional, for the PDF's metadata",
        "",
    ]
    return "\n".join(lines)


def catalogue_with(path: Path, prev: models.Week, title: str) -> tuple[str | None, str]:
    """The catalogue's text with the previous report appended, or None if it is listed."""
    source, problems = load(path) if path.exists() else (None, [])
    if not path.exists():
        raise fail(path, "missing; the catalogue lists published reports (see README)")
    if source is None:
        raise Failed(problems)
    catalogue, problems = check(source, models.Catalogue)
    if catalogue is None:
        raise Failed(problems)
    tail = f"{prev.series}{prev.week}".replace(" ", "")
    for r in catalogue.reports:
        if r.title == title or r.title.replace(" ", "").endswith("——" + tail):
            return None, ""
    text = path.read_text(encoding="utf-8")
    item = f"{{title: {json.dumps(title, ensure_ascii=False)}, date: {prev.date.isoformat()}}}"
    items = re.findall(r"(?m)^([ \t]*)- ", text)
    if re.search(r"(?m)^reports:[ \t]*\[\][ \t]*(#.*)?$", text):
        new = re.sub(r"(?m)^reports:[ \t]*\[\][ \t]*(#.*)?$", lambda m: "reports:" + (
            "  " + m.group(1) if m.group(1) else "") + f"\n  - {item}", text, count=1)
        line = f"  - {item}"
    else:
        indent = items[-1] if items else "  "
        line = f"{indent}- {item}"
        new = text.rstrip("\n") + "\n" + line + "\n"
    # the edited text must read back as the same catalogue plus one report
    check_source, _ = load_text(path, new)
    ok = False
    if check_source is not None:
        edited, _ = check(check_source, models.Catalogue)
        ok = (edited is not None and len(edited.reports) == len(catalogue.reports) + 1
              and edited.reports[-1].title == title)
    if not ok:
        raise fail(path, f"could not append '{title}' automatically (unusual layout); add "
                          f"'- {item}' under reports: by hand")
    return new, line
