"""Where a pydantic error is in the YAML: a pydantic location followed through the data
(union tags skipped), and which model class validates the mapping at a path."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

from ..model import entries as models
from ..source.paths import parts


FIGURE_KINDS = tuple(  # image, table, chart, diagram, quote, paper: from the models
    typing.get_args(m.model_fields["kind"].annotation)[0]
    for m in typing.get_args(typing.get_args(models.Figure)[0]))
# fields that only one figure kind has: a figure without 'kind' is probably that kind
KIND_HINTS = {"file": "image", "columns": "table", "rows": "table", "groups": "table",
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


def yaml_path(data: Any, loc: tuple) -> tuple[tuple, list[str]]:
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
    return tuple(path), parts(path)


def node_at(data: Any, path: tuple) -> Any:
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
        node = node_at(node, (part,))
        options = _narrow(nxt, node)
    found = [t for t in options if _is_model(t)]
    return found[0] if len(found) == 1 else None
