"""Paths into YAML data, as messages print them, and a walk over every text value."""

from __future__ import annotations

from typing import Any, Iterator

from .load import shown


def dotted(path) -> str:
    """A data path as messages print it: body[2].figure.sources."""
    return ".".join(parts(path))


def parts(path) -> list[str]:
    out: list[str] = []
    for p in path:
        if isinstance(p, int) and out:
            out[-1] += f"[{p}]"
        elif isinstance(p, int):
            out.append(f"[{p}]")
        else:
            out.append(shown(p))
    return out


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
