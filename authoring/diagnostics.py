"""Diagnostics: every problem in a run is collected, then reported at once.

A diagnostic names the place (file:line:col, or file and field where no line
applies) and says what is wrong and what was expected.  Nothing in the
pipeline raises a traceback at the user; stages return or raise `Failed`.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int = 0
    col: int = 0
    message: str = ""
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        prefix = "" if self.severity == "error" else "warning: "
        return f"{where}: {prefix}{self.message}"


class Failed(Exception):
    """Raised by a stage with every diagnostic it found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{len(diagnostics)} error(s)")
        self.diagnostics = sorted(set(diagnostics), key=_sort_key)


def _sort_key(d: Diagnostic):
    return (d.file, d.line, d.col, d.message)


@dataclass
class Collector:
    """Accumulates diagnostics across files; `raise_if_any` ends the stage."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, file: str | Path, line: int = 0, col: int = 0, message: str = "") -> None:
        self.items.append(Diagnostic(display_path(file), line, col, message))

    def add(self, diagnostics) -> None:
        self.items.extend(diagnostics)

    def raise_if_any(self) -> None:
        errors = [d for d in self.items if d.severity == "error"]
        if errors:
            raise Failed(errors)

    def __bool__(self) -> bool:
        return bool(self.items)


def display_path(path: str | Path) -> str:
    """Paths relative to the working directory when possible, as editors expect.

    The folder is resolved (once per folder and working directory: a week of 1,000 entries
    asks for it 2,000 times); the file name is kept as written."""
    p = Path(path)
    try:
        cwd = os.getcwd()
        return str(_resolved_folder(str(p.parent), cwd).joinpath(p.name).relative_to(_resolved(cwd)))
    except (ValueError, OSError):
        return str(p)


@functools.lru_cache(maxsize=256)
def _resolved_folder(folder: str, cwd: str) -> Path:
    """`folder` resolved against `cwd` (part of the key: a relative folder means another
    place after a chdir)."""
    return Path(cwd, folder).resolve()


@functools.lru_cache(maxsize=16)
def _resolved(path: str) -> Path:
    return Path(path).resolve()
