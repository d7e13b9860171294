"""Boilerplate from jinja2 templates in styles/templates/.

Templates run in jinja2's sandbox with StrictUndefined: a misspelt name is an
error, not an empty string.  Their output is plain text (paragraphs split on
blank lines); it is never read as markup, and entry text is never a template.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .diagnostics import Diagnostic, Failed, display_path


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """jinja2's own cache of compiled templates (keyed by name and checked against a
    checksum of the source, so an edited template is compiled again).  A cache that
    cannot be written costs time only."""

    def dump_bytecode(self, bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass


class Templates:
    def __init__(self, folder: Path, cache: Path | None = None):
        """`cache`: a folder for compiled templates (compiling costs 20 ms a build)."""
        self.folder = folder
        self.env = ImmutableSandboxedEnvironment(
            loader=jinja2.FileSystemLoader(str(folder)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
            auto_reload=False,
            bytecode_cache=_BytecodeCache(str(cache)) if cache is not None else None,
        )

    def render(self, name: str, **context: Any) -> str:
        try:
            return self.env.get_template(name).render(**context).strip()
        except jinja2.TemplateSyntaxError as exc:
            raise Failed([Diagnostic(display_path(self.folder / name), exc.lineno or 1, 1,
                                     f"template syntax error: {exc.message}")]) from None
        except jinja2.TemplateNotFound as exc:
            if exc.name in (None, name):
                raise Failed([Diagnostic(display_path(self.folder / name), 0, 0,
                                         "template not found")]) from None
            raise Failed([Diagnostic(display_path(self.folder / name), _line(exc), 1,
                                     f"template error: '{exc.name}' is not a template in "
                                     f"{display_path(self.folder)}")]) from None
        except jinja2.UndefinedError as exc:
            raise Failed([Diagnostic(display_path(self.folder / name), _line(exc), 1,
                                     f"template error: {exc} (variables: {', '.join(sorted(context))})")]) from None
        except jinja2.exceptions.SecurityError as exc:
            raise Failed([Diagnostic(display_path(self.folder / name), _line(exc), 1,
                                     f"template error: not allowed in the sandbox: {exc}")]) from None
        except jinja2.TemplateError as exc:
            raise Failed([Diagnostic(display_path(self.folder / name), _line(exc), 1,
                                     f"template error: {exc}")]) from None
        except (RecursionError, MemoryError) as exc:
            raise Failed([Diagnostic(display_path(self.folder / name), _line(exc), 1,
                                     f"template error: {type(exc).__name__}; the template recurses "
                                     "or builds too much text")]) from None
        except Exception as exc:  # noqa: BLE001 - 1/0, int('x'), range(10**9)...: the template's fault
            raise Failed([Diagnostic(display_path(self.folder / name), _line(exc), 1,
                                     f"template error: {type(exc).__name__}: {exc}")]) from None

    def paragraphs(self, name: str, **context: Any) -> list[str]:
        text = self.render(name, **context)
        return [" ".join(p.split("\n")).strip() for p in text.split("\n\n") if p.strip()]


def _line(exc: BaseException) -> int:
    tb = exc.__traceback__
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
