"""The editor's schema and `authoring validate` agree on every file.

Every case of tests/bad/ (laid over the small valid project, as test_validation does)
and every real entry is judged twice: by the validator, and by the `jsonschema`
package with the files of schemas/ on the data as an editor reads it (YAML 1.2 core:
`yes` and `2025-04-30` are text, `007` is a number).  A file must be rejected by both
or accepted by both.  The only exception: the validator refuses it for a rule JSON
Schema cannot say, one of VALIDATOR_ONLY below (the list README gives under
"What only `authoring validate` checks").
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import yaml

jsonschema = pytest.importorskip("jsonschema")

from authoring.check import validate_paths  # noqa: E402
from conftest import REPO, write_minimal_week  # noqa: E402
from test_validation import CASES, prepare  # noqa: E402

SCHEMAS = REPO / "schemas"
SCHEMA_FOR = {"week.yaml": "week.schema.json", "people.yaml": "people.schema.json",
              "catalogue.yaml": "catalogue.schema.json"}

# Rules only the validator can check, as fragments of its messages.
VALIDATOR_ONLY = {
    "cells per row": "cells; expected",
    "header spans": "header_groups spans add up",
    "values per category": "(one per category)",
    "unique section keys": "is used twice; each section needs its own key",
    "unique ids in a week": ("is used twice", "is already the id"),
    "cross-file references": ("unknown section", "not in entries/people.yaml", "key_points",
                              "names no figure", "is the id of an entry", "names no entry",
                              "does not match the folder name", "unknown person",
                              "week.yaml", "needs a 'summary'"),
    "figure references in text": ("[[",),
    "image files": ("image '", "is not a PNG", "is not a JPEG", "PNG or JPEG", "outside the week",
                    "leaves the week folder", " MB;", "pixels"),
    "entry file names": "file name",
    "YAML reading": ("duplicate key", "alias", "anchor", "tag '", "merge key", "control character",
                     "is not UTF-8", "is not valid YAML", "is empty; expected a mapping",
                     "holds only comments", "larger than", "nested too deeply", "two documents",
                     "more than one document"),
    "invisible characters": ("invisible", "U+"),
    "fitting the page": ("taller than a page", "wider than", "does not fit"),
}


def _fragments():
    for rule, frag in VALIDATOR_ONLY.items():
        for f in (frag,) if isinstance(frag, str) else frag:
            yield rule, f


def validator_only(message: str) -> str | None:
    return next((rule for rule, f in _fragments() if f in message), None)


# ------------------------------------------------------------ the editor's reading

class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 core schema, as yaml-language-server reads a file: no timestamps, no yes/no."""


Yaml12Loader.yaml_implicit_resolvers = {}
_RESOLVERS = [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                                r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", list("-+.0123456789")),
]
for _tag, _pattern, _first in _RESOLVERS:
    Yaml12Loader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


def _int12(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)


def _float12(loader, node):
    text = loader.construct_scalar(node).lower()
    if text.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    return math.nan if text == ".nan" else float(text)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _int12)
Yaml12Loader.add_constructor("tag:yaml.org,2002:float", _float12)
Yaml12Loader.add_constructor("tag:yaml.org,2002:bool",
                             lambda loader, node: loader.construct_scalar(node).lower() == "true")


def test_the_editor_reading_is_yaml_1_2():
    data = yaml.load("a: yes\nb: 2025-04-30\nc: 007\nd: 0x1F\ne: TRUE\nf: ~\ng: 1e3\n", Loader=Yaml12Loader)
    assert data == {"a": "yes", "b": "2025-04-30", "c": 7, "d": 31, "e": True, "f": None, "g": 1000.0}


_VALIDATORS: dict[str, object] = {}


def schema_errors(path: Path) -> list[str]:
    """What the editor says about one file (its schema by file name), as messages."""
    name = SCHEMA_FOR.get(path.name, "entry.schema.json")
    if name not in _VALIDATORS:
        import json

        schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        _VALIDATORS[name] = cls(schema, format_checker=cls.FORMAT_CHECKER)
    try:
        data = yaml.load(path.read_bytes().decode("utf-8"), Loader=Yaml12Loader)
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError, ValueError) as exc:
        return [f"not readable as YAML: {type(exc).__name__}"]
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in _VALIDATORS[name].iter_errors(data)]


# ------------------------------------------------------------------- comparing

def judge(project: Path, monkeypatch) -> list[str]:
    """Disagreements between the validator and the schema on every YAML file of a project."""
    monkeypatch.chdir(project)
    entries = project / "entries"
    by_file: dict[str, list[str]] = {}
    for d in validate_paths([Path("entries")], Path("entries")):
        if d.severity == "error":
            by_file.setdefault(Path(d.file).as_posix(), []).append(d.message)
    problems = []
    for path in sorted(entries.rglob("*")):
        if path.suffix not in (".yaml", ".yml") or not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(project).as_posix()
        ours = by_file.get(rel, [])
        theirs = schema_errors(path)
        if theirs and not ours:
            problems.append(f"{rel}: the schema rejects what the validator accepts: {theirs}")
        elif ours and not theirs:
            unlisted = [m for m in ours if validator_only(m) is None]
            if unlisted:
                problems.append(f"{rel}: the validator rejects what the schema accepts, "
                                f"for rules the schema could say: {unlisted}")
    return problems


@pytest.mark.parametrize("case", CASES)
def test_bad_case_gets_the_same_verdict(case: str, project: Path, monkeypatch):
    prepare(case, project)
    assert judge(project, monkeypatch) == []


def test_real_entries_are_accepted_by_both(monkeypatch):
    files = [p for p in (REPO / "entries").rglob("*.yaml")]
    assert len(files) > 20
    for path in files:
        assert schema_errors(path) == [], path
    assert [d for d in validate_paths([REPO / "entries"], REPO / "entries") if d.severity == "error"] == []


def _entry_with(tmp_path: Path, old: str, new: str) -> Path:
    """The minimal project with one text replaced in its entry (or week, people file)."""
    root = tmp_path / "p"
    entries = root / "entries"
    entries.mkdir(parents=True)
    for name in ("people.yaml", "catalogue.yaml"):
        (entries / name).write_text((REPO / "entries" / name).read_text(encoding="utf-8"), encoding="utf-8")
    week = write_minimal_week(entries)
    for path in [*week.iterdir(), entries / "people.yaml"]:
        text = path.read_text(encoding="utf-8")
        if old in text:
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
            return root
    raise AssertionError(f"{old!r} is in no file of the minimal project")


CHART = """\
  - figure:
      kind: chart
      id: qwen3-chart
      chart: bar
      title: 得分
      sources: [Qwen]
      categories: [a, b]
      series:
        - {name: x, values: [1, 2]}
"""

# (what is written instead, the text replaced, the replacement, accepted?)
VARIANTS = [
    ("week unquoted", 'week: "20250512"', "week: 20250512", True),
    ("week as a short number", 'week: "20250512"', "week: 2025051", False),
    ("yes for true", "  - figure:\n", CHART.replace("values: [1, 2]}", "values: [1, 2]}\n      value_labels: yes")
     + "  - figure:\n", False),
    ("true", "  - figure:\n", CHART.replace("values: [1, 2]}", "values: [1, 2]}\n      value_labels: true")
     + "  - figure:\n", True),
    ("quoted number", "  - figure:\n", CHART.replace("values: [1, 2]}", "values: [1, 2]}\n      height: '0.5'")
     + "  - figure:\n", False),
    ("whole number for a number", "  - figure:\n",
     CHART.replace("values: [1, 2]}", "values: [1, 2]}\n      height: 1") + "  - figure:\n", True),
    ("bar with two series", "  - figure:\n",
     CHART.replace("values: [1, 2]}", "values: [1, 2]}\n        - {name: y, values: [3, 4]}")
     + "  - figure:\n", False),
    ("padded id", "id: qwen3\n", "id: ' qwen3 '\n", False),
    ("padded title", "title: 通义千问发布 Qwen3 系列模型", "title: '  通义千问发布 Qwen3 系列模型 '", True),
    ("blank title", "title: 通义千问发布 Qwen3 系列模型", "title: '   '", False),
    ("octal-looking title", "title: 通义千问发布 Qwen3 系列模型", "title: 007", False),
    ("quoted 007", "title: 通义千问发布 Qwen3 系列模型", "title: '007'", True),
    ("date with a time", "date: 2025-04-29", "date: 2025-04-29T00:00:00", False),
    ("rows and groups", "      rows:\n", "      groups: [{title: g, rows: [[a, b]]}]\n      rows:\n", False),
    ("rows written as null", "      rows:\n", "      groups: [{title: g, rows: [[a, b]]}]\n      rows: ~\n"
     "      notes: [x]\n      rowz:\n", False),
    ("figure kind unknown", "kind: table", "kind: video", False),
    ("people key not an id", "people:\n", "people:\n  Bad Key:\n    {name: 某, role: 分析师, "
     "sac: S0000000000001, email: a@b.com}\n", False),
    ("whole number written 10.0", 'week: "20250512"', 'week: "20250512"\nrecent_reports: 10.0', True),
]


@pytest.mark.parametrize("what,old,new,accepted", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_each_variant_of_an_entry_gets_one_verdict_from_schema_and_validator(what, old, new, accepted, tmp_path, monkeypatch):
    root = _entry_with(tmp_path, old, new)
    assert judge(root, monkeypatch) == []
    errors = [d for d in validate_paths([Path("entries")], Path("entries")) if d.severity == "error"]
    assert (errors == []) == accepted, [str(d) for d in errors]


def _walk(node, path=""):
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from _walk(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{path}/{i}")


@pytest.mark.parametrize("name", sorted(SCHEMA_FOR.values()) + ["entry.schema.json"])
def test_every_field_has_a_description(name):
    import json

    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    missing = []
    for path, node in _walk(schema):
        if re.search(r"/(if|then|oneOf)(/|$)", path):
            continue  # rules, not fields
        for key, prop in (node.get("properties") or {}).items() if path.rsplit("/", 1)[-1] != "properties" else ():
            if not (isinstance(prop, dict) and prop.get("description")):
                missing.append(f"{path}/properties/{key}")
    assert missing == []


def test_no_openapi_keywords():
    for name in set(SCHEMA_FOR.values()) | {"entry.schema.json"}:
        text = (SCHEMAS / name).read_text(encoding="utf-8")
        assert '"discriminator"' not in text and '"patternProperties"' not in text, name
