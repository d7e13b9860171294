"""Validate one week: every file against its model, then the week as a whole.

Schema errors are mapped back to the line and column of the offending value (messages.py),
cross-file checks (ids, sections, people, figure references, image files) run on
everything that parsed (crossref.py), and every problem of the run is raised at once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..diagnostics import Collector, Diagnostic, Failed, display_path
from ..model import entries as models
from ..source.load import Source, load_many
from ..source.paths import dotted, strings
from .crossref import cross_check
from .figures import shape_check
from .files import Loaded, check, load_checked, load_source, outside
from .markup import check_markup

ENTRY_NAME = re.compile(r"^\d{2}-[a-z0-9][a-z0-9-]*\.ya?ml$")


@dataclass
class WeekSources:
    """Everything one week's build needs, validated and cross-checked."""

    folder: Path
    week: Loaded
    entries: list[Loaded]
    people: Loaded
    catalogue: Loaded
    warnings: list[Diagnostic] = field(default_factory=list)

    def all_sources(self) -> Iterator[Source]:
        yield self.week.source
        for e in self.entries:
            yield e.source
        yield self.people.source
        yield self.catalogue.source


def entry_files(folder: Path) -> list[Path]:
    """The entry files of a week folder (every *.yaml but week.yaml; hidden files skipped)."""
    return sorted(p for p in folder.iterdir()
                  if p.suffix in (".yaml", ".yml") and p.stem != "week"
                  and not p.name.startswith("."))  # pipes and folders too: the reader refuses them


@dataclass
class Parsed:
    """An entry file that could be read as YAML; `loaded` only when it is also valid."""

    source: Source
    loaded: Loaded | None


#: characters that print nothing (or a box): control characters other than newline and tab,
#: zero-width and byte-order marks, soft hyphens, Unicode line/paragraph separators
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def _invisible_characters(source: Source, out: Collector) -> None:
    """An invisible character in a text would print as a box or nothing: say where it is."""
    raw = getattr(source, "text", None)
    if raw is not None and "\\" not in raw and not _INVISIBLE.search(raw):
        return  # nothing invisible written, and no escape that could produce one
    for path, text in strings(source.data):
        for m in _INVISIBLE.finditer(text):
            ch = m.group()
            line, col = source.locate(path, ch) if ch not in "\r" else source.where(path)
            where = dotted(path)
            out.error(source.file, line, col, f"{where}: invisible character U+{ord(ch):04X} "
                      f"({unicodedata.name(ch, 'control character').lower()}); delete it")


def validate_week(folder: Path, root: Path | None = None, *, read=None) -> WeekSources:
    """Load, validate and cross-check one week; raise `Failed` with all errors.  `read(path,
    partial=True)` reads one file (default `source.load.load`; a watch passes its memo of
    it, so that only changed files are parsed again)."""
    folder = Path(folder)
    root = Path(root) if root else folder.parent
    out = Collector()
    if not folder.is_dir():
        raise Failed([no_week(folder, root)])
    project = root.parent
    week_file = folder / "week.yaml"
    week = None
    if not week_file.exists() and not week_file.is_symlink():
        out.error(week_file, 0, 0, "missing; every week folder needs a week.yaml "
                  "(series, week, date, headline, authors, sections, key_points)")
    elif not _refuse_outside(week_file, project, out):
        week = load_checked(week_file, models.Week, out, read)
    parsed: list[Parsed] = []
    paths = [p for p in entry_files(folder) if not _refuse_outside(p, project, out)]
    loaded = [read(p, partial=True) for p in paths] if read else load_many(paths, partial=True)
    for path, (source, problems) in zip(paths, loaded):
        if not ENTRY_NAME.match(path.name):
            out.error(path, 0, 0, f"the file name '{path.name}' does not follow <NN>-<slug>.yaml "
                      "(two digits, '-', then lowercase letters, digits and '-'), e.g. 01-qwen3.yaml")
        out.add(problems)
        if source is None:
            continue
        value, more = check(source, models.Entry)
        out.add(more)
        parsed.append(Parsed(source, Loaded(value, source) if value is not None and not problems else None))
    people, people_src = _registry(root / "people.yaml", models.People,
                                   "the people registry lists the analysts", out, read)
    catalogue, _ = _registry(root / "catalogue.yaml", models.Catalogue,
                             "the catalogue lists published reports", out, read)
    for p in parsed:
        shape_check(p.source, out)
    if week:
        cross_check(folder, week, parsed, _people_ids(people_src), out)
    for src in [p.source for p in parsed] + [x.source for x in (week, people, catalogue) if x]:
        _invisible_characters(src, out)
    for p in parsed:
        check_markup(p.source, out)
    if week:
        check_markup(week.source, out, entry=False)
    out.raise_if_any()
    entries = [p.loaded for p in parsed if p.loaded is not None]
    return WeekSources(folder, week, entries, people, catalogue)


def _registry(path: Path, model, what: str, out: Collector,
              read=None) -> tuple[Loaded | None, Source | None]:
    if not path.exists() and not path.is_symlink():
        out.error(path, 0, 0, f"missing; {what}")
        return None, None
    if _refuse_outside(path, path.parent.parent, out):
        return None, None
    return load_source(path, model, out, read)


def _refuse_outside(path: Path, project: Path, out: Collector) -> bool:
    """Nothing outside the project is read: a link out of it is an error."""
    if not outside(path, project):
        return False
    out.error(path, 0, 0, "is a link to a file outside the project; copy the file into "
              f"{display_path(path.parent)} instead")
    return True


def _people_ids(source: Source | None) -> tuple[list[str], str] | None:
    """The ids the people registry defines (from its raw data: an error in one person
    does not hide an unknown author) and the registry's file."""
    people = source.data.get("people") if source is not None and isinstance(source.data, dict) else None
    if not isinstance(people, dict):
        return None
    return sorted(str(k) for k in people), source.file


def no_week(folder: Path, root: Path) -> Diagnostic:
    weeks = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")) \
        if root.is_dir() else []
    hint = f"; weeks in {display_path(root)}: {', '.join(weeks)}" if weeks else ""
    return Diagnostic(display_path(folder), 0, 0, f"week folder does not exist{hint}")
