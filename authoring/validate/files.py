"""One file read and checked against its model: the validated object with the source it
came from, every problem collected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..diagnostics import Collector, Diagnostic
from ..source.load import Source, load
from .messages import describe, schema_errors


@dataclass
class Loaded:
    """A validated model together with the YAML it came from."""

    model: Any
    source: Source


def check(source: Source, model: type[BaseModel]) -> tuple[Any | None, list[Diagnostic]]:
    if not isinstance(source.data, dict):
        return None, [Diagnostic(source.file, 1, 1, "expected a mapping of 'key: value' fields at the "
                                                    f"top level; found {describe(source.data)}")]
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
    what reads a file (`source.load.load` unless given, e.g. a watch's memo of it)."""
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
