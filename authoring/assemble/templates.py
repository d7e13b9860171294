"""Boilerplate from jinja2 templates in styles/templates/.

Templates run in jinja2's sandbox with StrictUndefined: a misspelt name is an
error, not an empty string.  Their output is plain text (paragraphs split on
blank lines); it is never read as markup, and entry text is never a template.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from ..cache.keys import files_under, hash_files, safe_name
from ..cache.store import Store
from ..diagnostics import Diagnostic, Failed, display_path


class Templates:
    """Renders the templates of one folder.

    With a `cache` folder, the text each template rendered for a given context is kept
    between builds (``rendered-<hash of every file in the folder>-<scope>.json``, a
    `cache.store.Store` entry, keyed by the template's name and the context's data).  A template is a pure function of its
    context (the sandbox has no clock, no files, no randomness), so an unchanged week
    renders nothing and does not even import jinja2.  Contexts that are not plain data are
    rendered every time.
    """

    def __init__(self, folder: Path, cache: Path | None = None, scope: str = "all"):
        """`scope` names the memo file (the week: each week keeps what it rendered)."""
        self.folder = Path(folder)
        self.cache = Path(cache) if cache is not None else None
        self._env = None
        self._memo: dict[str, str] = {}
        self._loaded: set[str] = set()
        self._used: set[str] = set()
        self._store: Store | None = None
        if self.cache is not None:
            self._store = Store(self.cache, ".json", "rendered-2", prefix="rendered-")
            self._version = _folder_hash(self.folder)
            self._name = f"{self._version}-{safe_name(scope)}"
            memo = self._store.get(self._version, self._name, _rendered)
            if memo is not None:
                self._memo = memo
                self._loaded = set(memo)

    @property
    def env(self):
        if self._env is None:
            import jinja2
            from jinja2.sandbox import ImmutableSandboxedEnvironment

            self._env = ImmutableSandboxedEnvironment(
                loader=jinja2.FunctionLoader(self._source),
                undefined=jinja2.StrictUndefined,
                autoescape=False,
                keep_trailing_newline=False,
                auto_reload=False,
            )
        return self._env

    def _source(self, name: str):
        """A template's text, read like every input: a regular file of the folder, at most
        1 MB, never a link out of the project's styles/ or a pipe (jinja2's own loader opens
        whatever the name leads to)."""
        import jinja2

        from ..source.files import MAX_FILE_BYTES, NotRegular, read_bounded

        path = self.folder / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            return None
        try:
            if path.is_symlink() and not path.resolve().is_relative_to(self.folder.resolve()):
                raise jinja2.TemplateError(f"{name} is a link to a file outside {display_path(self.folder)}; "
                                           "copy the file instead")
            raw = read_bounded(path, MAX_FILE_BYTES)
        except FileNotFoundError:
            return None
        except NotRegular as kind:
            raise jinja2.TemplateError(f"{name} is {kind}, not a template file") from None
        except OSError as exc:
            raise jinja2.TemplateError(f"{name} cannot be read: {exc.strerror or exc}") from None
        if len(raw) > MAX_FILE_BYTES:
            raise jinja2.TemplateError(f"{name} is more than {MAX_FILE_BYTES:,} bytes")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise jinja2.TemplateError(f"{name} is not UTF-8 text; save it with the UTF-8 encoding") from None
        return text, str(path), lambda: True

    def render(self, name: str, **context: Any) -> str:
        key = _context_key(name, context)
        if key is not None:
            self._used.add(key)
            found = self._memo.get(key)
            if found is not None:
                return found
        text = self._render(name, **context)
        if key is not None:
            self._memo[key] = text
        return text

    def save(self) -> None:
        """Keep what this build rendered (only that: the file never grows with old weeks)."""
        if self._store is None or self._used == self._loaded:
            return
        keep = {k: self._memo[k] for k in sorted(self._used)}
        self._store.put(self._version, json.dumps(keep, ensure_ascii=False).encode("utf-8"), self._name)

    def _render(self, name: str, **context: Any) -> str:
        import jinja2

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


class _Unkeyable(Exception):
    pass


def _plain(value: Any) -> Any:
    """The data of a template context value, for the memo key."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a record of model/records.py
        return {"__record__": type(value).__name__,
                "data": [[k, _plain(v)] for k, v in zip(value._fields, value)]}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if isinstance(value, (dt.date, dt.datetime)):
        return {"__date__": value.isoformat()}
    dump = getattr(value, "model_dump", None)  # a pydantic model of the schema
    if callable(dump):
        return {"__model__": f"{type(value).__module__}.{type(value).__qualname__}",
                "data": dump(mode="json")}
    raise _Unkeyable(type(value).__name__)


def _context_key(name: str, context: dict) -> str | None:
    try:
        payload = json.dumps([name, _plain(context)], ensure_ascii=False, sort_keys=True)
    except (_Unkeyable, TypeError, ValueError):
        return None
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _rendered(raw: bytes) -> dict[str, str]:
    memo = json.loads(raw)
    if not isinstance(memo, dict) or not all(isinstance(v, str) for v in memo.values()):
        raise ValueError("not a memo of rendered templates")
    return memo


def _folder_hash(folder: Path) -> str:
    """Every file under the templates folder (an include or a macro file counts too)."""
    h = hashlib.sha256()
    hash_files(h, files_under(folder), folder)
    return h.hexdigest()[:32]
