"""Validate YAML sources against the schema and against each other.

Schema errors from pydantic are mapped back to the line and column of the
offending value (or key), cross-file checks (ids, sections, people, figure
references, image files) run on everything that parsed, and every problem of
the run is returned at once.
"""

from __future__ import annotations

import re
import unicodedata
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel, ValidationError

from . import inline, models
from .markup_rules import check_markup
from .diagnostics import Collector, Diagnostic, Failed, display_path
from .yamlsource import Source, load, load_many, shown

MAX_IMAGE_BYTES = 8_000_000
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}
_BAD_REF = re.compile(r"(?<!\\)\[\[([^\[\]\n]{1,80})\]\]")  # [[...]] that may be a mistyped reference
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
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
        r"^[a-z0-9][a-z0-9-]{0,63}$": "expected an id of lowercase letters, digits and '-', "
                                      "starting with a letter or digit (e.g. 'qwen3-bench')",
        r"^S\d{13}$": "expected a SAC registration number: 'S' and 13 digits (e.g. S1340524090001)",
        r"^\d{8}$": "expected the week as YYYYMMDD, e.g. 20250505",
        r"^https?://\S+$": "expected a web address starting with http:// or https:// (no spaces)",
        r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$": "expected an e-mail address such as name@cnpsec.com",
        r"^#[0-9A-Fa-f]{6}$": "expected a colour written #RRGGBB ('#' and six hexadecimal digits, "
                              "e.g. #0B6E4F)",
    },
}

_DATE = "a date written YYYY-MM-DD (e.g. 2025-04-30)"
_MAPPING = "a mapping of 'key: value' fields"
_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number", "int_parsing": "a whole number", "int_from_float": "a whole number",
    "float_type": "a number", "float_parsing": "a number", "finite_number": "a finite number",
    "bool_type": "true or false", "bool_parsing": "true or false",
    "list_type": "a list ('- ' items, or [a, b])",
    "dict_type": _MAPPING, "model_type": _MAPPING, "model_attributes_type": _MAPPING,
    "date_type": _DATE, "date_parsing": _DATE, "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
}
FIGURE_KINDS = tuple(  # image, table, chart, diagram, quote, paper: from the models
    typing.get_args(m.model_fields["kind"].annotation)[0]
    for m in typing.get_args(typing.get_args(models.Figure)[0]))
# fields that only one figure kind has: a figure without 'kind' is probably that kind
_KIND_HINTS = {"file": "image", "columns": "table", "rows": "table", "groups": "table",
               "categories": "chart", "series": "chart", "chart": "chart", "steps": "diagram",
               "stages": "diagram", "author": "quote", "handle": "quote", "paper_title": "paper",
               "affiliations": "paper"}


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
    A location part that is not in the data is a union tag (a block kind, a
    figure kind, 'str'/'int' of a union) unless it is the last part, which
    then names a missing field.
    """
    path: list = []
    node = data
    skipped_kind: set[int] = set()
    i = 0
    while i < len(loc):
        part = loc[i]
        last = i == len(loc) - 1
        if isinstance(node, dict) and isinstance(part, str):
            if (part in models.BLOCK_KINDS and i + 1 < len(loc) and loc[i + 1] == part
                    and part in node):  # a block: its tag and its field share the name
                path.append(part)
                node = node[part]
                i += 2
                continue
            if node.get("kind") == part and part in FIGURE_KINDS and id(node) not in skipped_kind:
                skipped_kind.add(id(node))  # the figure union's tag, not the field of that name
                i += 1
                continue
            if part in node:
                path.append(part)
                node = node[part]
            elif last:
                path.append(part)  # a missing field: name it, position at its parent
                node = None
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        i += 1
    return tuple(path), _printable(path)


def dotted(path) -> str:
    """A data path as messages print it: body[2].figure.sources."""
    return ".".join(_printable(path))


def _printable(path) -> list[str]:
    out: list[str] = []
    for p in path:
        if isinstance(p, int) and out:
            out[-1] += f"[{p}]"
        elif isinstance(p, int):
            out.append(f"[{p}]")
        else:
            out.append(shown(p))
    return out


def _at(data: Any, path: tuple) -> Any:
    node = data
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


# ------------------------------------------------- which model is at a path

def _candidates(tp: Any) -> list:
    """The concrete types inside Annotated[...], Optional[...] and unions."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _candidates(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [c for a in typing.get_args(tp) for c in _candidates(a)]
    return [tp]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _narrow(options: list, node: Any) -> list:
    """Pick the union member the YAML data means (by 'kind' or by block key)."""
    found = [t for t in options if _is_model(t)]
    if len(found) < 2 or not isinstance(node, dict):
        return options
    if "kind" in node:
        hit = [t for t in found if "kind" in t.model_fields
               and node["kind"] in typing.get_args(t.model_fields["kind"].annotation)]
    else:
        hit = [t for t in found if any(k in t.model_fields for k in node)]
    return hit if len(hit) == 1 else options


def model_at(root: type[BaseModel], data: Any, path: tuple) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path`, if it is clear."""
    options: list = [root]
    node = data
    for part in path:
        nxt: list = []
        for t in options:
            origin = typing.get_origin(t)
            if _is_model(t) and isinstance(part, str) and part in t.model_fields:
                nxt += _candidates(t.model_fields[part].annotation)
            elif origin is list and isinstance(part, int):
                nxt += _candidates(typing.get_args(t)[0])
            elif origin is dict and isinstance(part, str):
                nxt += _candidates(typing.get_args(t)[1])
        node = _at(node, (part,))
        options = _narrow(nxt, node)
    found = [t for t in options if _is_model(t)]
    return found[0] if len(found) == 1 else None


# ------------------------------------------------------------- messages

_SUBPATH = re.compile(r"^((?:[a-z_]+\[\d+\]\.?)+) ")


def _show(value: Any) -> str:
    s = repr(value)
    return s if len(s) <= 60 else s[:56] + "...'"


def _describe(value: Any) -> str:
    """What the analyst wrote, in words."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"text {_show(value)}"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "a mapping (key: value)"
    return _show(value)


def _type_hint(expected: list[str], value: Any) -> str:
    if "text" in expected and isinstance(value, (bool, int, float)):
        return "; put it in quotes to keep it as text"
    if "text" in expected and isinstance(value, (list, dict)):
        return "; text that starts with '[' or '{' or holds ': ' must be put in quotes"
    if any(e.startswith("a list") for e in expected) and isinstance(value, str):
        return "; write one '- ' item per line"
    if "a number" in expected and isinstance(value, str) and _is_number(value):
        return "; write the number without quotes"
    if "true or false" in expected and isinstance(value, str) and value.lower() in _YAML11_BOOLS:
        return "; write true or false (editors read yes, no, on and off as text)"
    return ""


_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _refine(message: str, node: Any) -> tuple[tuple, str, bool]:
    """Point a model-level error at the field it is about.

    Returns (extra path, message, point at the key rather than the value).
    """
    m = re.match(r"give either '(\w+)' or '(\w+)'", message)
    if m and isinstance(node, dict):
        a, b = m.groups()
        if a in node and b in node:
            return (b,), f"{message} (this one has both)", True
        return (), f"{message} (this one has neither)", False
    if message.startswith("header_groups spans") and isinstance(node, dict) and "header_groups" in node:
        return ("header_groups",), message, True
    if re.match(r"a '\w+' chart takes one series", message) and isinstance(node, dict) and "chart" in node:
        return ("chart",), message, False
    m = re.match(r"section keys must be unique; repeated: (.+)", message)
    if m and isinstance(node, list):
        first = m.group(1).split(", ")[0]
        keys = [s.get("key") if isinstance(s, dict) else None for s in node]
        if keys.count(first) > 1:
            i = keys.index(first, keys.index(first) + 1)
            return (i, "key"), f"section key '{first}' is used twice; each section needs its own key", False
    if message.startswith("风险提示 is added") and isinstance(node, list):
        for i, s in enumerate(node):
            if isinstance(s, dict) and str(s.get("title", "")).strip() == "风险提示":
                return (i,), message, False
    return (), message, False


def schema_errors(source: Source, exc: ValidationError,
                  model: type[BaseModel] | None = None) -> list[Diagnostic]:
    """pydantic errors as file:line:col diagnostics, in words an analyst reads."""
    out: list[Diagnostic] = []
    seen_types: dict[tuple, int] = {}  # a union's members fail at one place: report it once
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        etype = err["type"]
        msg = err["msg"]
        value = err.get("input")
        key_pos = False
        if etype in ("value_error", "assertion_error"):
            msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
            m = _SUBPATH.match(msg)
            if m:  # "rows[3] has 2 cells" -> point at that row
                for part in m.group(1).rstrip(".").split("."):
                    name, _, idx = part.partition("[")
                    loc += (name, int(idx.rstrip("]")))
                msg = msg[m.end():]
        path, parts = _yaml_path(source.data, loc)
        if source.is_poisoned(path):
            continue  # the reader already reported this place
        where = ".".join(parts) or "(file)"
        if etype == "extra_forbidden":
            key = path[-1] if path else loc[-1]
            line, col = source.key_where(path)
            known = sorted(model_at(model, source.data, path[:-1]).model_fields) if model and \
                model_at(model, source.data, path[:-1]) else []
            # suggest only fields valid at this place: 'autor' is not 'author' of a quote
            hint = close_matches(str(key), known, n=1, cutoff=0.6)
            text = f"{where}: unknown field '{shown(key)}'"
            if hint:
                text += f"; did you mean '{hint[0]}'?"
            elif known and key in VOCABULARY:
                text = f"{where}: '{key}' does not belong here; expected one of: {', '.join(known)}"
            elif known:
                text += f"; expected one of: {', '.join(known)}"
            else:
                text += "; remove it or check the spelling"
            out.append(Diagnostic(source.file, line, col, text))
            continue
        if etype in _EXPECTED:
            key = path  # members of a union (text | number) fail at the same place
            if key in seen_types:  # str | int | float: merge into one message
                d = out[seen_types[key]]
                exp = _EXPECTED[etype]
                if exp not in d.message:
                    head, _, rest = d.message.partition("; got ")
                    head = f"{head} or {exp}".replace("a whole number or a number", "a number")
                    out[seen_types[key]] = Diagnostic(d.file, d.line, d.col, f"{head}; got {rest}")
                continue
            expected = [_EXPECTED[etype]]
            text = f"{where}: expected {expected[0]}; got {_describe(value)}"
            reason = (err.get("ctx") or {}).get("error")
            if etype.startswith("date") and isinstance(reason, str) and "outside expected range" in reason:
                text += f" ({reason})"
            text += _type_hint(expected, value)
            key_pos = value is None
            seen_types[key] = len(out)
        elif etype == "missing":
            text = f"{where}: field required"
        elif etype == "string_pattern_mismatch":
            pattern = (err.get("ctx") or {}).get("pattern", "")
            friendly = _FRIENDLY["string_pattern_mismatch"].get(pattern, f"expected text matching {pattern}")
            text = f"{where}: {friendly}; got {_show(value)}"
        elif etype == "string_too_short":
            text = f"{where}: is empty; expected text"
        elif etype == "string_too_long":
            limit = (err.get("ctx") or {}).get("max_length")
            size = len(value) if isinstance(value, str) else "?"
            text = f"{where}: is too long ({size} characters); at most {limit} are allowed"
            text += ("; split it into several paragraphs" if isinstance(limit, int) and limit >= 1000
                     else "; shorten it")
        elif etype in ("too_short", "too_long"):
            ctx = err.get("ctx") or {}
            n = ctx.get("actual_length", len(value) if isinstance(value, (list, dict)) else "?")
            if etype == "too_short":
                least = ctx.get("min_length")
                text = (f"{where}: is an empty list; expected at least {least} item{'s' if least != 1 else ''}"
                        if n == 0 else f"{where}: has {n} item{'s' if n != 1 else ''}; expected at least {least}")
            else:
                text = f"{where}: has {n} items; at most {ctx.get('max_length')} are allowed"
        elif etype == "block_kind":
            line, col, text = _block_message(source, path, where, value)
            out.append(Diagnostic(source.file, line, col, text))
            continue
        elif etype == "union_tag_invalid":
            tag = (err.get("ctx") or {}).get("tag", value.get("kind") if isinstance(value, dict) else value)
            hint = close_matches(str(tag), FIGURE_KINDS, n=1)
            text = (f"{where}.kind: unknown figure kind {_show(tag)}; "
                    + (f"did you mean '{hint[0]}'?" if hint else f"expected one of {', '.join(FIGURE_KINDS)}"))
            path += ("kind",)
        elif etype == "union_tag_not_found":
            guess = next((_KIND_HINTS[k] for k in (value or {}) if k in _KIND_HINTS), None) \
                if isinstance(value, dict) else None
            text = (f"{where}: 'kind' is required; expected one of {', '.join(FIGURE_KINDS)}"
                    + (f" (this looks like 'kind: {guess}')" if guess else ""))
        elif etype in ("value_error", "assertion_error"):
            extra, msg, key_pos = _refine(msg, _at(source.data, path))
            if extra:
                path += extra
                where = ".".join(_printable(path))
            text = f"{where}: {msg}"
        elif etype in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
            text = f"{where}: expected a number {msg.removeprefix('Input should be ')}; got {_describe(value)}"
        elif msg.startswith("Input should be "):
            text = f"{where}: expected {msg.removeprefix('Input should be ')}; got {_describe(value)}"
        else:
            text = f"{where}: {msg[0].lower() + msg[1:] if msg else etype}"
            if "input" in err and not isinstance(value, (dict, list)):
                text += f"; got {_show(value)}"
        line, col = source.key_where(path) if key_pos else source.where(path)
        out.append(Diagnostic(source.file, line, col, text))
    return out


def _block_message(source: Source, path: tuple, where: str, value: Any) -> tuple[int, int, str]:
    kinds = ", ".join(models.BLOCK_KINDS)
    line, col = source.where(path)
    if isinstance(value, str):
        return line, col, (f"{where}: is plain text; a body block names its kind, e.g. "
                           f"'- paragraph: {_clip(value.strip(), 12) or '...'}'")
    if not isinstance(value, dict):
        return line, col, f"{where}: expected a block (a mapping with one of the keys {kinds}); got {_describe(value)}"
    if not value:
        return line, col, f"{where}: is empty; expected one of the keys {kinds}"
    known = [k for k in value if k in models.BLOCK_KINDS]
    if len(known) > 1 or (known and len(value) > 1):
        second = [k for k in value][1]
        line, col = source.key_where(path + (second,))
        names = " and ".join(f"'{k}'" for k in value)
        return line, col, (f"{where}: one block has the keys {names}; a block has exactly one "
                           "kind: start each block with its own '- '")
    unknown = next(k for k in value if k not in models.BLOCK_KINDS)
    line, col = source.key_where(path + (unknown,))
    hint = close_matches(str(unknown), models.BLOCK_KINDS, n=1, cutoff=0.6)
    return line, col, (f"{where}: unknown block kind '{unknown}'; "
                       + (f"did you mean '{hint[0]}'?" if hint else f"expected one of {kinds}"))


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[:n] + "…"


def check(source: Source, model: type[BaseModel]) -> tuple[Any | None, list[Diagnostic]]:
    if not isinstance(source.data, dict):
        return None, [Diagnostic(source.file, 1, 1, "expected a mapping of 'key: value' fields at the "
                                                    f"top level; found {_describe(source.data)}")]
    try:
        return model.model_validate(source.data), []
    except ValidationError as exc:
        return None, schema_errors(source, exc, model)
    except RecursionError:
        return None, [Diagnostic(source.file, 1, 1, "is nested too deeply; flatten the lists and mappings")]


def load_checked(path: Path, model: type[BaseModel], out: Collector, read=None) -> Loaded | None:
    """Read and validate one file; every problem goes to `out`, None if there was one."""
    return load_source(path, model, out, read)[0]


def load_source(path: Path, model: type[BaseModel], out: Collector,
                read=None) -> tuple[Loaded | None, Source | None]:
    """`load_checked`, and the source read even when it is not valid (its raw data still
    serves checks of other files, e.g. the people an author must be one of).  `read` is
    what reads a file (`yamlsource.load` unless given, e.g. a watch's memo of it)."""
    source, problems = (read or load)(path, partial=True)
    out.add(problems)
    if source is None:
        return None, None
    value, more = check(source, model)
    out.add(more)
    if value is None or problems:
        return None, source
    return Loaded(value, source), source


def outside(path: Path, project: Path) -> bool:
    """Whether `path` is a link whose target lies outside the folder `project`."""
    try:
        return path.is_symlink() and not path.resolve().is_relative_to(project.resolve())
    except (OSError, RuntimeError, ValueError):
        return False


# ------------------------------------------------------------- whole weeks

def entry_files(folder: Path) -> list[Path]:
    """The entry files of a week folder (every *.yaml but week.yaml; hidden files skipped)."""
    return sorted(p for p in folder.iterdir()
                  if p.suffix in (".yaml", ".yml") and p.stem != "week"
                  and not p.name.startswith("."))  # pipes and folders too: the reader refuses them


@dataclass
class _Parsed:
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
            where = ".".join(_printable(path))
            out.error(source.file, line, col, f"{where}: invisible character U+{ord(ch):04X} "
                      f"({unicodedata.name(ch, 'control character').lower()}); delete it")


def validate_week(folder: Path, root: Path | None = None, *, read=None) -> WeekSources:
    """Load, validate and cross-check one week; raise `Failed` with all errors.  `read(path,
    partial=True)` reads one file (default `yamlsource.load`; a watch passes its memo of
    it, so that only changed files are parsed again)."""
    folder = Path(folder)
    root = Path(root) if root else folder.parent
    out = Collector()
    if not folder.is_dir():
        raise Failed([_no_week(folder, root)])
    project = root.parent
    week_file = folder / "week.yaml"
    week = None
    if not week_file.exists() and not week_file.is_symlink():
        out.error(week_file, 0, 0, "missing; every week folder needs a week.yaml "
                  "(series, week, date, headline, authors, sections, key_points)")
    elif not _refuse_outside(week_file, project, out):
        week = load_checked(week_file, models.Week, out, read)
    parsed: list[_Parsed] = []
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
        parsed.append(_Parsed(source, Loaded(value, source) if value is not None and not problems else None))
    people, people_src = _registry(root / "people.yaml", models.People,
                                   "the people registry lists the analysts", out, read)
    catalogue, _ = _registry(root / "catalogue.yaml", models.Catalogue,
                             "the catalogue lists published reports", out, read)
    for p in parsed:
        _shape_check(p.source, out)
    if week:
        _cross_check(folder, week, parsed, _people_ids(people_src), out)
    for src in [p.source for p in parsed] + [x.source for x in (week, people, catalogue) if x]:
        _invisible_characters(src, out)
    for p in parsed:
        check_markup(p.source, out)
    if week:
        check_markup(week.source, out, entry=False)
    out.raise_if_any()
    entries = [p.loaded for p in parsed if p.loaded is not None]
    return WeekSources(folder, week, entries, people, catalogue)


def close_matches(word: str, options, n: int = 1, cutoff: float = 0.6) -> list[str]:
    """difflib's near matches ("did you mean"), imported only when a mistake needs one."""
    import difflib

    return difflib.get_close_matches(word, options, n=n, cutoff=cutoff)


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


def _shape_check(src: Source, out: Collector) -> None:
    """Every table row with the wrong number of cells and every chart series with the
    wrong number of values, whatever else is wrong with the figure (the schema checks
    the shape only once every field of the figure is valid).  The messages are the
    schema's own, so a row the schema reported too is reported once."""
    for path, fig in raw_figures(src.data):
        kind = fig.get("kind")
        if kind == "table" and isinstance(fig.get("columns"), list) and fig["columns"]:
            n = len(fig["columns"])
            bodies = [(("rows",), fig.get("rows"))]
            groups = fig.get("groups")
            for i, g in enumerate(groups if isinstance(groups, list) else []):
                if isinstance(g, dict):
                    bodies.append((("groups", i, "rows"), g.get("rows")))
            for sub, rows in bodies:
                for j, row in enumerate(rows if isinstance(rows, list) else []):
                    if isinstance(row, list) and len(row) != n and not src.is_poisoned(path + sub + (j,)):
                        where = dotted(path + sub + (j,))
                        line, col = src.where(path + sub + (j,))
                        out.error(src.file, line, col, f"{where}: has {len(row)} cells; expected {n} "
                                  "(one per column)")
        elif kind == "chart" and isinstance(fig.get("categories"), list) and isinstance(fig.get("series"), list):
            n = len(fig["categories"])
            for i, s in enumerate(fig["series"]):
                values = s.get("values") if isinstance(s, dict) else None
                if isinstance(values, list) and values and len(values) != n:
                    where = dotted(path + ("series", i))
                    line, col = src.where(path + ("series", i))
                    name = s.get("name").strip() if isinstance(s.get("name"), str) else s.get("name")
                    out.error(src.file, line, col, f"{where}: '{name}' has {len(values)} "
                              f"value{'s' if len(values) != 1 else ''}; expected {n} (one per category)")


def _no_week(folder: Path, root: Path) -> Diagnostic:
    weeks = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")) \
        if root.is_dir() else []
    hint = f"; weeks in {display_path(root)}: {', '.join(weeks)}" if weeks else ""
    return Diagnostic(display_path(folder), 0, 0, f"week folder does not exist{hint}")


def _text(value: Any) -> str | None:
    """A raw YAML value as the model would read it (stripped text), else None."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def _slug(value: Any) -> str | None:
    """A raw id that the schema accepts, else None (the schema reports it)."""
    text = _text(value)
    return text if text and _SLUG.fullmatch(text) else None


def raw_figures(data: Any) -> Iterator[tuple[tuple, dict]]:
    """Every figure mapping in an entry's raw YAML data, valid or not, with its path."""
    body = data.get("body") if isinstance(data, dict) else None
    for i, block in enumerate(body if isinstance(body, list) else []):
        if not isinstance(block, dict):
            continue
        if isinstance(block.get("figure"), dict):
            yield ("body", i, "figure"), block["figure"]
        if isinstance(block.get("figure_row"), list):
            for j, fig in enumerate(block["figure_row"]):
                if isinstance(fig, dict):
                    yield ("body", i, "figure_row", j), fig


def _cross_check(folder: Path, week: Loaded, parsed: list[_Parsed],
                 people: tuple[list[str], str] | None, out: Collector) -> None:
    """Checks across files.  They run on the raw data of every entry that could be
    read, so an entry with a schema error still has its section, ids, images and
    references checked in the same run."""
    w: models.Week = week.model
    ws = week.source
    if w.week != folder.name:
        line, col = ws.where(("week",))
        out.error(ws.file, line, col, f"week: '{w.week}' does not match the folder name "
                  f"'{folder.name}'; write week: \"{folder.name}\" or rename the folder")
    section_keys = [s.key for s in w.sections]
    if people is not None:
        known, people_file = people
        for i, pid in enumerate(w.authors):
            if pid not in known:
                line, col = ws.where(("authors", i))
                hint = close_matches(pid, known, n=1)
                out.error(ws.file, line, col, f"authors[{i}]: unknown person '{pid}'; "
                          + (f"did you mean '{hint[0]}'? " if hint else "")
                          + f"{people_file} lists: {', '.join(known)}")
    entries = [(p, p.source.data) for p in parsed if isinstance(p.source.data, dict)]
    entry_ids: dict[str, Source] = {}
    for p, data in entries:
        src = p.source
        eid = _slug(data.get("id"))
        if eid is None:
            continue
        if eid in entry_ids:
            line, col = src.where(("id",))
            out.error(src.file, line, col, f"id: '{eid}' is already the id of {entry_ids[eid].file}; "
                      "entry ids must be unique in the week")
        else:
            entry_ids[eid] = src
    figure_ids: dict[str, tuple[str, int, int]] = {}
    for p, data in entries:
        src = p.source
        section = _text(data.get("section"))
        if section is not None and section not in section_keys:
            line, col = src.where(("section",))
            hint = close_matches(section, section_keys, n=1)
            out.error(src.file, line, col, f"section: unknown section '{section}'; "
                      + (f"did you mean '{hint[0]}'?" if hint
                         else f"{display_path(ws.file)} defines: {', '.join(section_keys)}"))
        for path, fig in raw_figures(data):
            fid = _slug(fig.get("id"))
            where = ".".join(_printable(path + ("id",)))
            line, col = src.where(path + ("id",))
            if fid is None:
                pass
            elif fid in figure_ids:
                f, l, c = figure_ids[fid]
                out.error(src.file, line, col, f"{where}: '{fid}' is already the id of the figure at "
                          f"{f}:{l}:{c}; figure ids must be unique in the week")
            elif fid in entry_ids:
                out.error(src.file, line, col, f"{where}: '{fid}' is already the id of the entry "
                          f"{entry_ids[fid].file}; give the figure an id of its own")
            else:
                figure_ids[fid] = (src.file, line, col)
            if fig.get("kind") == "image" and _text(fig.get("file")):
                _check_image(folder, src, path, fig["file"], out)
    for i, kp in enumerate(w.key_points):
        line, col = ws.where(("key_points", i))
        if kp not in entry_ids:
            hint = close_matches(kp, list(entry_ids), n=1)
            out.error(ws.file, line, col, f"key_points[{i}]: no entry has the id '{kp}'"
                      + (f"; did you mean '{hint[0]}'?" if hint else
                         f"; entry ids this week: {', '.join(sorted(entry_ids)) or 'none'}"))
        else:
            src = entry_ids[kp]
            if not _text(src.data.get("summary")) and not src.is_poisoned(("summary",)):
                line, col = src.key_where(("id",))
                out.error(src.file, line, col, f"summary: required because {display_path(ws.file)} "
                          f"lists '{kp}' as a key point (the cover shows its summary)")
    for p, data in entries:
        src = p.source
        if "[[" not in getattr(src, "text", "[["):
            continue  # no reference written in this file
        for path, text in strings(data):
            for target in inline.refs(text):
                if target not in figure_ids:
                    line, col = src.locate(path, f"[[{target}]]")
                    hint = close_matches(target, list(figure_ids), n=1)
                    out.error(src.file, line, col, f"{'.'.join(_printable(path))}: the reference "
                              f"[[{target}]] names no figure of this week"
                              + (f"; did you mean [[{hint[0]}]]?" if hint else
                                 "; [[id]] must be the id of a figure"))
            for m in _BAD_REF.finditer(text):
                if not re.fullmatch(inline.REF_ID, m.group(1)):
                    line, col = src.locate(path, m.group(0))
                    guess = re.sub(r"[^a-z0-9-]+", "-", m.group(1).strip().lower()).strip("-")
                    out.error(src.file, line, col, f"{'.'.join(_printable(path))}: {m.group(0)} is "
                              "not a reference: figure ids are lowercase letters, digits and '-'"
                              + (f" (did you mean [[{guess}]]?)" if guess in figure_ids else "")
                              + "; write \\[[ to print '[[' as text")


def _check_image(folder: Path, src: Source, path: tuple, file: str, out: Collector) -> None:
    line, col = src.where(path + ("file",))
    where = ".".join(_printable(path + ("file",)))
    file = file.strip()
    rel = Path(file)
    if rel.is_absolute() or ".." in rel.parts or "\\" in file or "\0" in file:
        out.error(src.file, line, col, f"{where}: '{file}' leaves the week folder; "
                  f"give the name of an image file inside {display_path(folder)}")
        return
    target = folder / rel
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        near = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES) \
            if folder.is_dir() else []
        hint = close_matches(file, near, n=1)
        out.error(src.file, line, col, f"{where}: image '{file}' not found in {display_path(folder)}"
                  + (f"; did you mean '{hint[0]}'?" if hint else ""))
        return
    if not real.is_relative_to(folder.resolve()):
        out.error(src.file, line, col, f"{where}: '{file}' is a link to a file outside the week "
                  "folder; copy the image into the folder instead")
        return
    if not real.is_file():
        out.error(src.file, line, col, f"{where}: '{file}' is not a file; expected a PNG or JPEG image")
        return
    if real.suffix.lower() not in IMAGE_SUFFIXES:
        out.error(src.file, line, col, f"{where}: '{file}' is not a PNG or JPEG file "
                  "(expected a name ending in .png, .jpg or .jpeg)")
        return
    size = real.stat().st_size
    if size > MAX_IMAGE_BYTES:
        out.error(src.file, line, col, f"{where}: '{file}' is {size / 1e6:.1f} MB; "
                  f"images may be at most {MAX_IMAGE_BYTES / 1e6:.0f} MB (save it smaller)")
        return
    problem = image_problem(real)
    if problem:
        out.error(src.file, line, col, f"{where}: '{file}' {problem}")


def image_problem(path: Path) -> str | None:
    """Why `path` is not a usable PNG/JPEG image, or None when it is one."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with matplotlib
        return None
    try:
        with Image.open(path) as im:
            fmt = im.format
            if fmt not in ("PNG", "JPEG"):
                return f"is a {fmt} image; expected PNG or JPEG"
            if im.width * im.height > MAX_IMAGE_PIXELS:
                return (f"is {im.width}x{im.height} pixels; images may have at most "
                        f"{MAX_IMAGE_PIXELS:,} pixels")
            im.verify()
        with Image.open(path) as im:
            im.load()  # decode every pixel: a truncated or damaged file fails here
    except Exception:  # noqa: BLE001 - any decoder failure means a bad image
        return "is not a readable PNG or JPEG image (damaged, or not an image at all)"
    return None


def figures_with_paths(entry: models.Entry) -> Iterator[tuple[tuple, Any]]:
    """Every figure of an entry with its path in the YAML data."""
    for i, block in enumerate(entry.body):
        if isinstance(block, models.FigureBlock):
            yield ("body", i, "figure"), block.figure
        elif isinstance(block, models.FigureRowBlock):
            for j, fig in enumerate(block.figure_row):
                yield ("body", i, "figure_row", j), fig


def strings(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every text value in YAML data with its path, depth first in file order.

    A stack rather than recursion: nested generators cost a frame per level for every
    string, and every file of a week is walked."""
    stack = [(path, data)]
    pop, push = stack.pop, stack.append
    while stack:
        path, data = pop()
        if isinstance(data, str):
            yield path, data
        elif isinstance(data, dict):
            for k, v in reversed(data.items()):
                push((path + (k,), v))
        elif isinstance(data, list):
            for i in range(len(data) - 1, -1, -1):
                push((path + (i,), data[i]))


def validate_paths(paths: list[Path], entries_root: Path) -> list[Diagnostic]:
    """What `authoring validate` does.

    A week folder is validated as a whole.  A file inside a week folder
    (what pre-commit passes) validates its whole week, since ids, sections,
    key points and references are checked across files; entries/people.yaml
    or entries/catalogue.yaml validate every week.  Any other YAML file gets
    the schema checks of its kind (week.yaml, people.yaml, catalogue.yaml,
    else an entry).
    """
    diags: list[Diagnostic] = []
    weeks: set[Path] = set()
    root = entries_root.resolve()

    def all_weeks() -> set[Path]:
        return {d for d in entries_root.iterdir() if d.is_dir() and not d.name.startswith(".")} \
            if entries_root.is_dir() else set()

    for p in map(Path, paths):
        if not p.exists():
            if p.suffix in (".yaml", ".yml"):
                diags.append(Diagnostic(display_path(p), 0, 0, "does not exist; expected a YAML file"))
            elif p.parent.resolve() == root:
                diags.append(_no_week(p, entries_root))
            else:
                diags.append(Diagnostic(display_path(p), 0, 0, "does not exist; expected a week folder "
                                        "or a YAML file"))
        elif p.is_dir():
            if p.resolve() == root:
                weeks.update(all_weeks())
                for name in ("people.yaml", "catalogue.yaml"):  # also when there is no week yet
                    if (p / name).exists() and not outside(p / name, entries_root.parent):
                        diags.extend(validate_file(p / name))
            elif p.resolve().parent == root and not p.name.startswith("."):
                weeks.add(p)
            else:
                diags.append(Diagnostic(display_path(p), 0, 0, "is not a week: a week is a folder in "
                                        f"{display_path(entries_root)}/ (or give YAML files)"))
        elif p.suffix not in (".yaml", ".yml"):
            diags.append(Diagnostic(display_path(p), 0, 0, "is not a YAML file or week folder"))
        elif p.resolve().parent.parent == root or p.name == "week.yaml":
            weeks.add(p.parent)  # a file of a week: the whole week
        elif outside(p, entries_root.parent):
            diags.append(Diagnostic(display_path(p), 0, 0, "is a link to a file outside the project; "
                                    "copy the file into the project instead"))
        elif p.resolve().parent == root:
            weeks.update(all_weeks())  # people.yaml, catalogue.yaml: every week uses them
            diags.extend(validate_file(p))
        else:
            diags.extend(validate_file(p))
    project = entries_root.parent
    for w in sorted(weeks, key=lambda d: d.resolve()):
        try:
            if w.resolve().parent == root and (project / "styles").is_dir():
                from .build import lay_out  # what a build checks: styles, fonts, the layout too

                lay_out(project, w.name)
            else:  # entries without styles (a folder of entries only): what they alone can say
                validate_week(w, entries_root if w.resolve().parent == root else w.parent)
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


def changed_weeks(root: Path) -> list[Path]:
    """What a commit must validate: every week with a staged change (added, changed, renamed
    away or deleted file), or all of entries/ when people.yaml or catalogue.yaml changed."""
    import subprocess

    try:
        out = subprocess.run(["git", "diff", "--cached", "--name-only", "--no-renames", "-z"],
                             cwd=root, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        why = (getattr(exc, "stderr", "") or str(exc)).strip().splitlines()
        raise Failed([Diagnostic("--changed", 0, 0, "needs git and a git repository here"
                                 + (f" ({why[0]})" if why else ""))]) from None
    weeks: set[Path] = set()
    for name in filter(None, out.split("\0")):
        parts = Path(name).parts
        if len(parts) == 2 and parts[0] == "entries" and parts[1].endswith((".yaml", ".yml")):
            return [Path("entries")]
        if len(parts) >= 3 and parts[0] == "entries" and (root / "entries" / parts[1]).is_dir():
            weeks.add(Path("entries") / parts[1])
    return sorted(weeks)
