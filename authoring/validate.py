"""Validate YAML sources against the schema and against each other.

Schema errors from pydantic are mapped back to the line and column of the
offending value (or key), cross-file checks (ids, sections, people, figure
references, image files) run on everything that parsed, and every problem of
the run is returned at once.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel, ValidationError

from . import inline, models
from .diagnostics import Collector, Diagnostic, Failed, display_path
from .yamlsource import Source, load

MAX_IMAGE_BYTES = 8_000_000
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}
ENTRY_NAME = re.compile(r"^\d{2}-[a-z0-9][a-z0-9-]*\.ya?ml$")


@dataclass
class Loaded:
    """A validated model together with the YAML it came from."""

    model: Any
    source: Source


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


# ----------------------------------------------------------- schema errors

_FRIENDLY = {
    "string_pattern_mismatch": {
        r"^[a-z0-9][a-z0-9-]{0,63}$": "expected an id of lowercase letters, digits and '-' (e.g. 'qwen3-bench')",
        r"^S\d{13}$": "expected a SAC number: 'S' and 13 digits",
        r"^\d{8}$": "expected the week as YYYYMMDD, e.g. 20250505",
        r"^https?://\S+$": "expected a web address starting with http:// or https://",
    },
}


def _vocabulary() -> set[str]:
    names: set[str] = set(models.BLOCK_KINDS)
    for obj in vars(models).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            names.update(obj.model_fields)
    return names


VOCABULARY = sorted(_vocabulary())


def _yaml_path(data: Any, loc: tuple) -> tuple[tuple, list[str]]:
    """Follow a pydantic location through the YAML data, skipping union tags.

    Returns the path of keys/indexes in the data and its printable parts.
    """
    path: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part not in node and not path_is_tag(part):
            path.append(part)  # a missing field: name it, position at its parent
            node = None
        # else: a discriminator tag such as 'table' or 'figure'; not in the YAML
    return tuple(path), _printable(path)


def path_is_tag(part: str) -> bool:
    return part in {"image", "table", "chart", "diagram", "quote", "paper"} or part in models.BLOCK_KINDS


def _printable(path) -> list[str]:
    out: list[str] = []
    for p in path:
        if isinstance(p, int) and out:
            out[-1] += f"[{p}]"
        elif isinstance(p, int):
            out.append(f"[{p}]")
        else:
            out.append(str(p))
    return out


_SUBPATH = re.compile(r"^((?:[a-z_]+\[\d+\]\.?)+) ")


def schema_errors(source: Source, exc: ValidationError) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        etype = err["type"]
        msg = err["msg"]
        if etype == "value_error":
            msg = msg.removeprefix("Value error, ")
            m = _SUBPATH.match(msg)
            if m:  # "rows[3] has 2 cells" -> point at that row
                for part in m.group(1).rstrip(".").split("."):
                    name, _, idx = part.partition("[")
                    loc += (name, int(idx.rstrip("]")))
        path, parts = _yaml_path(source.data, loc)
        where = ".".join(parts) or "(file)"
        if etype == "extra_forbidden":
            key = path[-1] if path else loc[-1]
            line, col = source.key_where(path)
            hint = difflib.get_close_matches(str(key), VOCABULARY, n=1, cutoff=0.7)
            text = f"{where}: unknown field '{key}'"
            text += f"; did you mean '{hint[0]}'?" if hint else "; remove it or check the spelling"
            out.append(Diagnostic(source.file, line, col, text))
            continue
        line, col = source.where(path)
        if etype == "missing":
            text = f"{where}: field required"
        elif etype == "string_pattern_mismatch":
            pattern = (err.get("ctx") or {}).get("pattern", "")
            friendly = _FRIENDLY["string_pattern_mismatch"].get(pattern, f"expected text matching {pattern}")
            text = f"{where}: {friendly}; got {_show(err.get('input'))}"
        elif etype in ("block_kind",):
            text = f"{where}: {msg}"
        elif etype == "union_tag_invalid":
            text = f"{where}: unknown kind {_show((err.get('input') or {}).get('kind') if isinstance(err.get('input'), dict) else err.get('input'))}; expected one of image, table, chart, diagram, quote, paper"
        elif etype == "union_tag_not_found":
            text = f"{where}: 'kind' is required; expected one of image, table, chart, diagram, quote, paper"
        else:
            text = f"{where}: {msg[0].lower() + msg[1:] if msg else etype}"
            if etype not in ("value_error", "assertion_error") and "input" in err and not isinstance(err["input"], (dict, list)):
                text += f"; got {_show(err['input'])}"
        out.append(Diagnostic(source.file, line, col, text))
    return out


def _show(value: Any) -> str:
    s = repr(value)
    return s if len(s) <= 60 else s[:57] + "..."


def check(source: Source, model: type[BaseModel]) -> tuple[Any | None, list[Diagnostic]]:
    if not isinstance(source.data, dict):
        return None, [Diagnostic(source.file, 1, 1, "expected a mapping of fields (key: value) at the top level")]
    try:
        return model.model_validate(source.data), []
    except ValidationError as exc:
        return None, schema_errors(source, exc)
    except RecursionError:
        return None, [Diagnostic(source.file, 1, 1, "is nested too deeply")]


def load_checked(path: Path, model: type[BaseModel], out: Collector) -> Loaded | None:
    source, problems = load(path)
    if source is None:
        out.add(problems)
        return None
    value, problems = check(source, model)
    if value is None:
        out.add(problems)
        return None
    return Loaded(value, source)


# ------------------------------------------------------------- whole weeks

def entry_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir()
                  if p.suffix in (".yaml", ".yml") and p.stem != "week")


def validate_week(folder: Path, root: Path | None = None) -> WeekSources:
    """Load, validate and cross-check one week; raise `Failed` with all errors."""
    folder = Path(folder)
    root = Path(root) if root else folder.parent
    out = Collector()
    if not folder.is_dir():
        weeks = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
        hint = f"; weeks here: {', '.join(weeks)}" if weeks else ""
        raise Failed([Diagnostic(display_path(folder), 0, 0, f"week folder does not exist{hint}")])
    week_file = folder / "week.yaml"
    week = None
    if not week_file.exists():
        out.error(week_file, 0, 0, "missing; every week folder needs a week.yaml")
    else:
        week = load_checked(week_file, models.Week, out)
    entries: list[Loaded] = []
    for path in entry_files(folder):
        if not ENTRY_NAME.match(path.name):
            out.error(path, 0, 0, "entry file names are <NN>-<slug>.yaml, e.g. 01-qwen3.yaml")
        loaded = load_checked(path, models.Entry, out)
        if loaded:
            entries.append(loaded)
    people = load_checked(root / "people.yaml", models.People, out) if (root / "people.yaml").exists() else None
    if people is None and not (root / "people.yaml").exists():
        out.error(root / "people.yaml", 0, 0, "missing; the people registry lists the analysts")
    catalogue = load_checked(root / "catalogue.yaml", models.Catalogue, out) if (root / "catalogue.yaml").exists() else None
    if catalogue is None and not (root / "catalogue.yaml").exists():
        out.error(root / "catalogue.yaml", 0, 0, "missing; the catalogue lists published reports")
    if week:
        _cross_check(folder, week, entries, people, out)
    out.raise_if_any()
    return WeekSources(folder, week, entries, people, catalogue)


def _cross_check(folder: Path, week: Loaded, entries: list[Loaded], people: Loaded | None,
                 out: Collector) -> None:
    w: models.Week = week.model
    ws = week.source
    if w.week != folder.name:
        line, col = ws.where(("week",))
        out.error(ws.file, line, col, f"week: '{w.week}' does not match the folder name '{folder.name}'")
    section_keys = [s.key for s in w.sections]
    if people is not None:
        for i, pid in enumerate(w.authors):
            if pid not in people.model.people:
                line, col = ws.where(("authors", i))
                out.error(ws.file, line, col, f"authors[{i}]: unknown person '{pid}'; "
                          f"known: {', '.join(sorted(people.model.people))}")
    entry_ids: dict[str, Loaded] = {}
    figure_ids: dict[str, tuple[str, int]] = {}
    for e in entries:
        src = e.source
        if e.model.id in entry_ids:
            first = entry_ids[e.model.id].source.file
            line, col = src.where(("id",))
            out.error(src.file, line, col, f"id: '{e.model.id}' is already used by {first}; ids must be unique")
        else:
            entry_ids[e.model.id] = e
        if e.model.section not in section_keys:
            line, col = src.where(("section",))
            hint = difflib.get_close_matches(e.model.section, section_keys, n=1)
            out.error(src.file, line, col, f"section: unknown section '{e.model.section}'; "
                      + (f"did you mean '{hint[0]}'?" if hint else f"week.yaml defines {', '.join(section_keys)}"))
        for path, fig in figures_with_paths(e.model):
            line, col = src.where(path + ("id",))
            if fig.id in figure_ids or fig.id in entry_ids:
                other = figure_ids.get(fig.id, (src.file, 0))
                out.error(src.file, line, col, f"{'.'.join(_printable(path))}.id: '{fig.id}' is already "
                          f"used ({other[0]}:{other[1]}); figure ids must be unique in the week")
            else:
                figure_ids[fig.id] = (src.file, line)
            if isinstance(fig, models.ImageFigure):
                _check_image(folder, src, path, fig, out)
    for i, kp in enumerate(w.key_points):
        line, col = ws.where(("key_points", i))
        if kp not in entry_ids:
            hint = difflib.get_close_matches(kp, list(entry_ids), n=1)
            out.error(ws.file, line, col, f"key_points[{i}]: no entry has id '{kp}'"
                      + (f"; did you mean '{hint[0]}'?" if hint else ""))
        elif not entry_ids[kp].model.summary:
            src = entry_ids[kp].source
            out.error(src.file, 1, 1, f"summary: required because week.yaml lists '{kp}' as a key point")
    for e in entries:
        for path, text in strings(e.source.data):
            for target in inline.refs(text):
                if target not in figure_ids:
                    line, col = e.source.where(path)
                    hint = difflib.get_close_matches(target, list(figure_ids), n=1)
                    out.error(e.source.file, line, col, f"{'.'.join(_printable(path))}: reference "
                              f"[[{target}]] names no figure of this week"
                              + (f"; did you mean [[{hint[0]}]]?" if hint else ""))


def _check_image(folder: Path, src: Source, path: tuple, fig, out: Collector) -> None:
    line, col = src.where(path + ("file",))
    where = ".".join(_printable(path + ("file",)))
    rel = Path(fig.file)
    if rel.is_absolute() or ".." in rel.parts:
        out.error(src.file, line, col, f"{where}: '{fig.file}' leaves the week folder; "
                  "give a file name inside the folder")
        return
    target = folder / rel
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError):
        out.error(src.file, line, col, f"{where}: image '{fig.file}' not found in {display_path(folder)}")
        return
    if not real.is_relative_to(folder.resolve()):
        out.error(src.file, line, col, f"{where}: '{fig.file}' points outside the week folder (symlink?)")
        return
    if real.suffix.lower() not in IMAGE_SUFFIXES:
        out.error(src.file, line, col, f"{where}: '{fig.file}' is not a PNG or JPEG file")
        return
    size = real.stat().st_size
    if size > MAX_IMAGE_BYTES:
        out.error(src.file, line, col, f"{where}: '{fig.file}' is {size / 1e6:.1f} MB; "
                  f"images may be at most {MAX_IMAGE_BYTES / 1e6:.0f} MB")
        return
    try:
        from PIL import Image

        with Image.open(real) as im:
            im.verify()
            if im.format not in ("PNG", "JPEG"):
                raise ValueError(im.format)
    except Exception:  # noqa: BLE001 - any decoder failure means a bad image
        out.error(src.file, line, col, f"{where}: '{fig.file}' is not a readable PNG or JPEG image")


def figures_with_paths(entry: models.Entry) -> Iterator[tuple[tuple, Any]]:
    """Every figure of an entry with its path in the YAML data."""
    for i, block in enumerate(entry.body):
        if isinstance(block, models.FigureBlock):
            yield ("body", i, "figure"), block.figure
        elif isinstance(block, models.FigureRowBlock):
            for j, fig in enumerate(block.figure_row):
                yield ("body", i, "figure_row", j), fig


def strings(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every text value in YAML data with its path."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from strings(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from strings(v, path + (i,))


def validate_paths(paths: list[Path], entries_root: Path) -> list[Diagnostic]:
    """What `authoring validate` does: week folders fully, single files by kind."""
    diags: list[Diagnostic] = []
    weeks: set[Path] = set()
    for p in paths:
        p = Path(p)
        if p.is_dir() and (p / "week.yaml").exists():
            weeks.add(p)
        elif p.is_dir() and p.resolve() == entries_root.resolve():
            weeks.update(d for d in p.iterdir() if d.is_dir())
        elif p.is_dir():
            weeks.add(p)
        elif p.name in ("people.yaml", "catalogue.yaml", "week.yaml") or p.suffix in (".yaml", ".yml"):
            if p.parent.resolve().parent == entries_root.resolve() or p.name == "week.yaml":
                weeks.add(p.parent)
            elif p.resolve().parent == entries_root.resolve():
                weeks.update(d for d in entries_root.iterdir() if d.is_dir())
            else:
                diags.extend(validate_file(p))
        else:
            diags.append(Diagnostic(display_path(p), 0, 0, "does not exist" if not p.exists()
                                    else "is not a YAML file or week folder"))
    for w in sorted(weeks):
        try:
            validate_week(w, entries_root if w.parent.resolve() == entries_root.resolve() else w.parent)
        except Failed as f:
            diags.extend(f.diagnostics)
    return sorted(set(diags), key=lambda d: (d.file, d.line, d.col, d.message))


def validate_file(path: Path) -> list[Diagnostic]:
    """A lone file outside a week (e.g. a test case): schema checks only."""
    out = Collector()
    model = {"week.yaml": models.Week, "people.yaml": models.People,
             "catalogue.yaml": models.Catalogue}.get(path.name, models.Entry)
    load_checked(path, model, out)
    return out.items
