"""The jinja2 environment of the page templates: sandboxed, autoescaped, strict."""

from __future__ import annotations

from pathlib import Path


def page_env(folder: Path):
    """Every value the templates print is escaped unless it is Markup made in web/build.py
    (matplotlib's SVG, checked colours and font names); undefined names are errors."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(folder)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
