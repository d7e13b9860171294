"""Diagnostics: every problem in a run is collected, then reported at once.

A diagnostic names the place (file:line:col, or file and field where no line
applies) and says what is wrong and what was expected.  Nothing in the
pipeline raises a traceback at the user; stages return or raise `Failed`.
"""

from __future__ import annotations

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
    """Paths relative to the working directory when possible, as editors expect."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)
