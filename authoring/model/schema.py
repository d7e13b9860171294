"""JSON Schema files for editors (yaml-language-server), check-jsonschema and pre-commit.

pydantic writes the schema; three of its forms are rewritten here so that every
client reads the files the same way and says something useful:

- a union chosen by `kind` (pydantic's `oneOf` with an OpenAPI `discriminator`, a
  keyword ajv's strict mode refuses) becomes `kind: {enum: [...]}` and one
  `if kind is X then X's schema` per kind: an unknown kind is reported as "not one of
  image, table, ...", never as "must be 'table'";
- the body blocks (one key each) become `propertyNames: {enum: [...]}` and one
  `if it has key K then K's block` per kind, for the same reason;
- a mapping keyed by ids (`patternProperties` alone lets any other key through)
  becomes `propertyNames` with the id pattern.

What the schema cannot say stays in the validator (README: "What only
`authoring validate` checks"); tests/test_schema_agreement.py holds the two together.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import entries as models

SCHEMAS = {
    "entry.schema.json": models.Entry,
    "week.schema.json": models.Week,
    "people.schema.json": models.People,
    "catalogue.schema.json": models.Catalogue,
}
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _kind_union(node: dict, defs: dict) -> dict:
    """oneOf + discriminator -> a `kind` enum and one if/then per kind."""
    disc = node["discriminator"]
    prop, mapping = disc["propertyName"], disc["mapping"]
    kinds = list(mapping)
    rest = {k: v for k, v in node.items() if k not in ("discriminator", "oneOf")}
    return {
        **rest,
        "type": "object",
        "required": [prop],
        "properties": {prop: {"enum": kinds, "description": "The figure's kind: " + ", ".join(kinds) + "."}},
        "allOf": [{"if": {"required": [prop], "properties": {prop: {"const": k}}}, "then": {"$ref": mapping[k]}}
                  for k in kinds],
    }


def _block_union(node: dict, defs: dict) -> dict:
    """oneOf of one-key blocks -> the key's enum and one if/then per key."""
    keys: list[tuple[str, str]] = []
    for member in node["oneOf"]:
        target = defs[member["$ref"].rsplit("/", 1)[1]]
        (key,) = target["required"]
        keys.append((key, member["$ref"]))
    rest = {k: v for k, v in node.items() if k != "oneOf"}
    return {
        **rest,
        "type": "object",
        "description": "A block: exactly one of the keys " + ", ".join(k for k, _ in keys) + ".",
        "minProperties": 1,
        "maxProperties": 1,
        "propertyNames": {"enum": [k for k, _ in keys]},
        "allOf": [{"if": {"required": [k], "properties": {k: True}}, "then": {"$ref": ref}} for k, ref in keys],
    }


def _is_block_union(node: dict, defs: dict) -> bool:
    members = node.get("oneOf")
    if not isinstance(members, list) or "discriminator" in node or not members:
        return False
    for m in members:
        target = defs.get(str(m.get("$ref", "")).rsplit("/", 1)[-1]) if isinstance(m, dict) else None
        if not target or len(target.get("required", [])) != 1 or len(target.get("properties", {})) != 1:
            return False
    return True


def _rewrite(node: Any, defs: dict) -> Any:
    if isinstance(node, list):
        return [_rewrite(n, defs) for n in node]
    if not isinstance(node, dict):
        return node
    if "discriminator" in node and "oneOf" in node:
        node = _kind_union(node, defs)
    elif _is_block_union(node, defs):
        node = _block_union(node, defs)
    if "patternProperties" in node and len(node["patternProperties"]) == 1:
        ((pattern, value),) = node.pop("patternProperties").items()
        node["propertyNames"] = {"pattern": pattern}
        node["additionalProperties"] = value
    if node.get("default", 0) is None and "type" in node and node["type"] != "null":
        del node["default"]  # an optional field that may be left out but not written as null
    return {k: _rewrite(v, defs) for k, v in node.items()}


def build(model, name: str) -> dict:
    """The schema of one file kind, as written to schemas/<name>."""
    schema = model.model_json_schema()
    schema = _rewrite(schema, schema.get("$defs", {}))
    schema["$schema"] = DRAFT
    schema["$id"] = name
    return schema


def render() -> dict[str, str]:
    """File name -> JSON text, stable so that a stale file shows up in a diff."""
    out = {}
    for name, model in SCHEMAS.items():
        out[name] = json.dumps(build(model, name), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
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
