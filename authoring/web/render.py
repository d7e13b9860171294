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


def render_template(env, name: str, context: dict) -> str:
    """Render `name`; a broken template is a `file:line: message` error, not a traceback."""
    import jinja2

    from ..diagnostics import Diagnostic, Failed, display_path

    folder = Path(env.loader.searchpath[0])
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = Path(exc.filename) if exc.filename else folder / name
        raise Failed([Diagnostic(display_path(where), exc.lineno or 1, 1,
                                 f"template syntax error: {exc.message}")]) from None
    except jinja2.TemplateNotFound as exc:
        raise Failed([Diagnostic(display_path(folder / (exc.name or name)), 0, 0,
                                 "template not found")]) from None
    except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError) as exc:
        line, file = 0, folder / name
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename.endswith(".j2"):
                line, file = tb.tb_lineno, Path(tb.tb_frame.f_code.co_filename)
            tb = tb.tb_next
        raise Failed([Diagnostic(display_path(file), line, 1,
                                 f"template error: {type(exc).__name__}: {exc}")]) from None
