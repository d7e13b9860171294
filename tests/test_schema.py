"""JSON Schema files: current with the models, and used by every YAML file."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from authoring.model import entries as models, schema
from conftest import REPO, run_authoring

SCHEMA_FOR = {"week.yaml": "week.schema.json", "people.yaml": "people.schema.json",
              "catalogue.yaml": "catalogue.schema.json"}
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def test_repository_schemas_are_current():
    result = run_authoring("schema", "--check", cwd=REPO)
    assert result.returncode == 0, result.stderr + "\nrun `authoring schema` and commit schemas/"
    assert schema.stale(REPO / "schemas") == []


def test_check_fails_on_a_stale_file(tmp_path):
    out = tmp_path / "schemas"
    written = run_authoring("schema", "--out", str(out), cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(schema.SCHEMAS)
    assert run_authoring("schema", "--check", "--out", str(out), cwd=tmp_path).returncode == 0

    entry = out / "entry.schema.json"
    old = json.loads(entry.read_text(encoding="utf-8"))
    del old["properties"]["summary"]  # as if written before the field was added
    entry.write_text(json.dumps(old, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (out / "people.schema.json").unlink()

    result = run_authoring("schema", "--check", "--out", str(out), cwd=tmp_path)
    assert result.returncode != 0
    assert "entry.schema.json: stale" in result.stderr
    assert "people.schema.json: stale" in result.stderr
    assert "week.schema.json" not in result.stderr

    again = run_authoring("schema", "--out", str(out), cwd=tmp_path)  # regenerating fixes it
    assert "entry.schema.json" in again.stdout and "people.schema.json" in again.stdout
    assert run_authoring("schema", "--check", "--out", str(out), cwd=tmp_path).returncode == 0


def test_a_model_change_makes_the_committed_schema_stale(tmp_path, monkeypatch):
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    assert schema.stale(tmp_path / "schemas") == []

    class ChangedEntry(models.Entry):
        tags: list[str] = []

    ChangedEntry.__name__ = ChangedEntry.__qualname__ = "Entry"
    monkeypatch.setitem(schema.SCHEMAS, "entry.schema.json", ChangedEntry)
    assert schema.stale(tmp_path / "schemas") == ["entry.schema.json"]


def test_rendering_is_stable():
    assert schema.render() == schema.render()


def test_schemas_forbid_unknown_fields():
    entry = json.loads((REPO / "schemas" / "entry.schema.json").read_text(encoding="utf-8"))
    assert entry["additionalProperties"] is False
    assert set(entry["required"]) >= {"id", "section", "title", "date", "body"}


def _yaml_files():
    return sorted(p for p in (REPO / "entries").rglob("*.y*ml") if p.is_file())


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_yaml_file_names_its_schema(path):
    first = path.read_text(encoding="utf-8-sig").splitlines()[0]
    m = MODELINE.match(first)
    assert m, f"{path.relative_to(REPO)}:1: expected '# yaml-language-server: $schema=...'"
    target = (path.parent / m.group(1)).resolve()
    assert target == (REPO / "schemas" / SCHEMA_FOR.get(path.name, "entry.schema.json")).resolve()
    assert target.exists()
