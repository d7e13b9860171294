"""A week's build kept warm in one process: what `authoring watch` rebuilds with.

`Session.build()` is `build.build_week`, run again and again in one process.  Each build
reads every input afresh and checks the whole week (cross-file checks included), but takes
from memory every result whose inputs are unchanged, by their content (`authoring.memo`):

- a file's parse (`yamlsource.load`), under its name and bytes: only changed files are
  parsed again (validation still sees every file);
- the styles (theme, brand) under the bytes of every file in styles/ (as `cache.inputs`
  lists them), and the templates' rendered text (a `Templates` kept while styles/ is
  unchanged);
- each source file's characters and whether the fonts draw them all;
- prepared paragraphs (shaped, measured) and what drawing their lines gave, by their
  runs, style and fonts, and tables as built, by their figure, width, styles, fonts and
  the figures' labels (`authoring.layout`);
- line breaking's analyses and lines (one `BreakMemo`, the first build's, passed to every
  build); shaping, font faces and their subsets are kept in memory by the font modules
  themselves.

What is kept is keyed by everything it was computed from, so the PDF is the one a fresh
build of the same files writes, byte for byte (the tests compare them).  The caches on disk
are read once, by the first build, and not written by the later ones.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .build import BuildResult, build_week, chars_of
from .cache.inputs import styles_digest
from .diagnostics import Collector, Failed
from .memo import LayoutMemo, Memo
from .typeset.breakmemo import BreakMemo


class Session:
    """The memos of one watched week (see the module docstring)."""

    def __init__(self, root: Path, week: str, out_dir: Path | None = None, cache: Path | None = None):
        self.root, self.week, self.out_dir, self.cache = Path(root), week, out_dir, cache
        self.sources: Memo = Memo()     # (cwd, path, bytes) -> yamlsource.load's result
        self.styles: Memo = Memo()      # hash of styles/ -> (Styles | None, diagnostics)
        self.chars: Memo = Memo()       # id of a Source -> (the Source, its characters)
        self.drawable: Memo = Memo()    # (characters, chains) -> characters no face has
        self.layout = LayoutMemo()      # prepared paragraphs, tables (authoring.layout)
        #: analyses and lines of line breaking (authoring.typeset.breakmemo), the one the
        #: first build loads from the cache folder
        self.break_memo = BreakMemo()
        self._templates: tuple[str, object] | None = None
        self.builds = 0

    def build(self) -> BuildResult:
        """Build the week (raises `Failed` with every problem, as `build_week` does)."""
        if not self.first:  # only the first build saves the memo: what it records is not kept
            self.break_memo.reset()
        try:
            return build_week(self.root, self.week, self.out_dir, self.cache, session=self)
        finally:
            self.builds += 1
            for memo in (self.sources, self.styles, self.chars, self.drawable, self.layout):
                memo.sweep()

    def warm_up(self) -> None:
        """Import now what a later build imports only when it meets something new (a
        character never subset, a text never broken, a template never rendered), so that
        the first such edit does not wait for it."""
        import importlib

        for name in ("fontTools.cffLib", "uniseg.linebreak", "budoux", "pyphen", "jinja2.sandbox", "difflib"):
            try:
                importlib.import_module(name)
            except ImportError:
                pass

    # -- what build.lay_out asks of a session -------------------------------------------

    @property
    def first(self) -> bool:
        """The first build of the session (it reads the caches on disk)."""
        return self.builds == 0

    def gather(self, root: Path, week: str, cache: Path):
        """build.gather, from memory where the files are unchanged."""
        from .assemble.report import assemble
        from .validate.week import validate_week

        entries_root = root / "entries"
        styles_dir = root / "styles"
        out = Collector()
        key = styles_digest(root)
        styles, problems = self.styles.get(key, lambda: _load_styles(styles_dir))
        out.add(problems)
        try:
            src = validate_week(entries_root / week, entries_root, read=self.read)
        except Failed as failed:
            out.add(failed.diagnostics)
        out.raise_if_any()
        templates = self.templates(key, styles_dir, cache, week)
        report = assemble(src, styles, templates)
        if self.first:  # later builds keep what the templates rendered in memory
            templates.save()
        used = []
        for source in src.all_sources():
            kept, found = self.chars.get(id(source), lambda: (source, chars_of(source)))
            if kept is not source:  # another object at the address of a forgotten one
                found = chars_of(source)
            used.append((source, found))
        from .cache.snapshot import Gathered

        return Gathered(report, tuple((s.file, found) for s, found in used)), used

    def lacking(self, found: frozenset, chains: dict) -> set[str]:
        """build.undrawable, kept per set of characters."""
        from .build import undrawable

        return self.drawable.get((found, tuple(id(c) for c in chains.values())),
                                 lambda: undrawable(found, chains))

    def read(self, path: Path, partial: bool = False):
        """yamlsource.load, by the file's bytes (a file that is not a regular one, or that
        changes while it is read, is read as usual and not kept)."""
        from .source.files import MAX_FILE_BYTES
        from .source.load import load

        raw = _regular_bytes(path, MAX_FILE_BYTES)
        if raw is None:
            return load(path, partial)
        key = (os.getcwd(), str(path), partial, raw)

        def parse():
            result = load(path, partial)
            if _regular_bytes(path, MAX_FILE_BYTES) != raw:
                raise _Changed(result)
            return result

        try:
            return self.sources.get(key, parse)
        except _Changed as changed:
            return changed.result

    def templates(self, key: str, folder: Path, cache: Path, week: str):
        """One `Templates` while styles/ is unchanged: what it rendered stays in memory."""
        from .assemble.templates import Templates

        if self._templates is None or self._templates[0] != key:
            self._templates = (key, Templates(folder / "templates", cache / "templates", scope=week))
        return self._templates[1]


class _Changed(Exception):
    def __init__(self, result):
        self.result = result


def _regular_bytes(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file of at most `limit` bytes, else None (pipes, devices and
    folders are never opened here)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        with open(path, "rb") as fh:
            return fh.read(limit + 1)
    except OSError:
        return None


def _load_styles(folder: Path):
    from .validate.styles import load_styles

    out = Collector()
    styles = load_styles(folder, out)
    return styles, tuple(out.items)
