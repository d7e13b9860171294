"""JSON Schema files for editors (yaml-language-server) and pre-commit."""

from __future__ import annotations

import json
from pathlib import Path

from . import models

SCHEMAS = {
    "entry.schema.json": models.Entry,
    "week.schema.json": models.Week,
    "people.schema.json": models.People,
    "catalogue.schema.json": models.Catalogue,
}


def render() -> dict[str, str]:
    """File name -> JSON text, stable so that a stale file shows up in a diff."""
    out = {}
    for name, model in SCHEMAS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = name
        out[name] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return out


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def stale(folder: Path) -> list[str]:
    """Names of schema files that differ from the models."""
    return [name for name, text in render().items()
            if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text]
