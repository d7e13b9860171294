"""The whole build of one week, readable in one function.

Everything is gathered and checked before anything is written: styles,
entries, cross-references, fonts (every character of the entries must be in
some face of each role's fallback chain).  Only then is the report laid out, and the PDF is written to a
temporary file and renamed, so a failed or interrupted build leaves the
previous PDF untouched.  (Caches may be written on the way: the snapshot of
the assembled report, template and typesetting memos.)

Gathering is `gather`: load (source/) -> validate (pydantic) -> assemble
(model/ records).  A week whose inputs have not changed since its last
build takes that result from its snapshot (snapshot.py) instead.
"""

from __future__ import annotations

import calendar
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import snapshot
from .typeset import memo as typesetmemo
from .atomic import write_bytes
from .diagnostics import Collector, Diagnostic, Failed, display_path
from .model.report import Report
from .cache.snapshot import Gathered

if TYPE_CHECKING:  # the gathering modules (pydantic, PyYAML, jinja2) load only on a miss
    from .incremental import Session
    from .validate.week import WeekSources
    from .source.load import Source

@dataclass(frozen=True)
class BuildResult:
    pdf: Path
    pages: int
    figures: int
    bytes: int
    seconds: float
    marks: dict
    warnings: tuple = ()  # Diagnostics of things to change; the PDF was written anyway
    page_text: object = None  # layout.document.PageText: the text each page shows

    def summary_line(self) -> str:
        return (f"built {self.pages} pages, {self.figures} 图表, {self.bytes / 1024:.0f} KB "
                f"in {self.seconds:.2f} s: {display_path(self.pdf)}")


def output_path(out_dir: Path, series: str, week: str) -> Path:
    return out_dir / f"{series.replace(' ', '')}_{week}.pdf"


def build_week(root: Path, week: str, out_dir: Path | None = None,
               cache: Path | None = None, session: Session | None = None) -> BuildResult:
    """Build the week's PDF.  `session` (authoring.incremental) keeps what a watch process
    computed in its earlier builds; the PDF is the same without it."""
    started = time.perf_counter()
    root = Path(root)
    report, rendered = lay_out(root, week, cache, session)

    # 3. write atomically
    out_dir = Path(out_dir) if out_dir else root / "build" / week
    pdf = output_path(out_dir, report.week.series, report.week.week)
    # renamed into place either way; a watch, which writes it again at the next save, does
    # not wait for the disk
    write_bytes(pdf, rendered.pdf, durable=session is None)
    return BuildResult(pdf, rendered.pages, len(report.figures), len(rendered.pdf),
                       time.perf_counter() - started, rendered.marks, rendered.warnings,
                       rendered.page_text)


def week_problem(root: Path, week: str) -> Diagnostic | None:
    """Why `week` is not the name of a week folder of the project, or None.  A week is a
    folder's plain name under entries/: never a path ('/tmp', '.', '' or 'a/b'), nor a
    link to a folder outside the project."""
    entries = Path(root) / "entries"
    plain = bool(week) and week not in (".", "..") and "/" not in week and "\0" not in week \
        and os.sep not in week and not (os.altsep and os.altsep in week)
    if plain:
        folder = entries / week
        try:
            inside = not folder.exists() or folder.resolve().is_relative_to(Path(root).resolve())
        except (OSError, RuntimeError, ValueError):
            inside = False
        if inside:
            return None
    from .source.load import shown

    try:
        weeks = sorted(p.name for p in entries.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        weeks = []
    return Diagnostic(f"'{shown(week)}'", 0, 0, "is not a week: give the name of a week folder in "
                      f"{display_path(entries)}/ (e.g. 20250512)"
                      + (f"; weeks: {', '.join(weeks)}" if weeks else ""))


def lay_out(root: Path, week: str, cache: Path | None = None, session: Session | None = None):
    """Everything a build does but writing the PDF: gather and check, fonts and the glyph
    check, the layout.  (report, rendered); raises `Failed` with every problem found.
    `authoring validate` runs this too, so that whatever fails a build fails validation.
    With a `session`, results of its earlier builds are reused (authoring.incremental)
    instead of the snapshot and the memos on disk."""
    from . import fonts

    root = Path(root)
    problem = week_problem(root, week)
    if problem:
        raise Failed([problem])
    cache = Path(cache) if cache else fonts.cache_dir()

    from .background import Background

    # what is not cached of the charts and of the faces' CID checks is done beside the
    # rest, in a worker begun as soon as the styles name the faces (background.py)
    with Background() as background:
        report, rendered, chains, theme_file = _gather_and_lay_out(root, week, cache, session,
                                                                   background)
    _fail_on_notdef(chains, theme_file)
    return report, rendered


def _gather_and_lay_out(root: Path, week: str, cache: Path, session, background):
    """`lay_out` with its worker: (report, rendered, chains, theme file shown)."""
    from . import fonts

    styles_dir = root / "styles"
    # 1. gather and check everything; nothing is written before this is through.  An
    #    unchanged week's report comes from the snapshot (snapshot.py explains the key).
    key = snapshot.input_key(root, week) if snapshot.applies(root, week) and session is None else None
    gathered = snapshot.load(cache, week, key) if key else None
    if session is not None:
        gathered, sources = session.gather(root, week, cache)
    elif gathered is None:
        gathered, sources = gather(root, week, cache, background)
        if key and snapshot.input_key(root, week) == key:  # not if a file changed while it was read
            snapshot.save(cache, week, key, gathered)
    else:
        sources = None
    report = gathered.report
    theme_file = display_path(styles_dir / "theme.yaml")
    chains = font_chains(report.styles, cache)
    if session is not None:  # only files with a character some face may lack are searched
        sources = [(s, found) for s, found in sources if session.lacking(found, chains)]
    elif sources is None and undrawable(frozenset().union(*(found for _f, found in gathered.used)), chains):
        sources = gather(root, week, cache)[1]  # to name each such character's line and column
    if sources is not None:
        check_glyphs(sources, chains)

    # 2. lay out (reportlab is imported only now); the fonts record the glyphs drawn and
    #    are subset and embedded when the PDF is written
    from .fonts import memo as shaping_memo
    from .fonts.embed import register
    from .layout.render import render

    disk = session is None or session.first  # a session keeps the memos in memory
    try:
        register({f for c in chains.values() for f in c.faces}, cache, background)
        if disk:  # what line breaking worked out in the last build of the week
            break_memo = typesetmemo.load(cache, report.week.week)
            shaped = shaping_memo.load(cache, report.week.week, chains)
            if session is not None:
                session.break_memo = break_memo
        else:
            break_memo = session.break_memo
        charts = chart_renderer(report, chains, cache, background)
        rendered = render(report, chains, charts, epoch=creation_epoch(report), break_memo=break_memo,
                          memo=session.layout if session is not None else None)
    except fonts.FontsMissing as exc:
        raise Failed([Diagnostic(theme_file, 0, 0, str(exc))]) from None
    if disk:
        typesetmemo.save(cache, report.week.week, break_memo)
        shaping_memo.save(cache, report.week.week, chains, shaped)
    return report, rendered, chains, theme_file


def begin_font_work(styles_dir: Path, cache: Path, background) -> None:
    """Begin in `background`, while the week is still being read, the chart set-up
    (matplotlib's import) when the cache is cold (a face's CID check is not cached).
    The faces are looked up in theme.yaml as written, before it is validated: this only
    starts work early, and a theme that names no face, or a wrong one, is reported by the
    build's own checks later (what is begun here is then merely not used)."""
    import yaml

    from .fonts import chain_entries, load_face
    from .fonts.find import locate
    from .fonts.subset import cid_check
    from .source.files import read_text

    text, _problems = read_text(styles_dir / "theme.yaml")
    try:
        spec = yaml.load(text or "", Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["fonts"]
        store = Path(cache) / "fonts"
        store.mkdir(parents=True, exist_ok=True)
        faces = {role: load_face(*locate(role, chain_entries(entry)[0], styles_dir, store))
                 for role, entry in spec.items()}
    except Exception:  # noqa: BLE001 - see the docstring: the real checks come later
        return
    # a face's CID check is begun when the layout first draws with it, after the charts
    # it asks for: the worker does them in that order, as they are needed
    cold = any(cid_check(f, cache, None, begin=False) is None for f in faces.values())
    if cold and "sans" in faces:  # the charts' face (`chart_renderer`)
        background.warm_up_charts(faces["sans"].path, faces["sans"].index)


def creation_epoch(report: Report) -> int:
    """SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the week's date, 09:00 Beijing."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return int(env)
    d = report.date
    return calendar.timegm((d.year, d.month, d.day, 1, 0, 0))


def gather(root: Path, week: str, cache: Path, background=None) -> tuple[Gathered, list[tuple[Source, set[str]]]]:
    """Load, validate and assemble the week (raises `Failed` with every error); also the
    characters of each source file, for the glyph check.  With a `background`, the font
    work is begun there first (`begin_font_work`)."""
    entries_root = root / "entries"
    styles_dir = root / "styles"
    if background is not None:
        begin_font_work(styles_dir, cache, background)

    from .assemble.report import assemble
    from .assemble.templates import Templates
    from .validate.styles import load_styles
    from .validate.week import validate_week

    out = Collector()  # styles and entries are checked in one run, their errors reported together
    styles = load_styles(styles_dir, out)
    try:
        src = validate_week(entries_root / week, entries_root)
    except Failed as failed:
        out.add(failed.diagnostics)
    out.raise_if_any()
    templates = Templates(styles_dir / "templates", cache / "templates", scope=week)
    report = assemble(src, styles, templates)
    templates.save()
    used = source_chars(src)
    return Gathered(report, tuple((s.file, frozenset(found)) for s, found in used)), used


def source_chars(src: WeekSources) -> list[tuple[Source, set[str]]]:
    """Each source file with the characters of its text values (walked once, for the font
    subset and for the glyph check)."""
    return [(source, set(chars_of(source))) for source in src.all_sources()]


def chars_of(source: Source) -> frozenset[str]:
    """The characters of a source file's text values."""
    from .source.paths import strings

    used: set[str] = set()
    for _path, text in strings(source.data):
        used.update(text)
    return frozenset(used)


def font_chains(styles, cache: Path | None) -> dict:
    """role -> fallback chain of the theme's fonts (`authoring.fonts.prepare_fonts`);
    a font that cannot be found fails at styles/theme.yaml.  With `source_chars` and
    `check_glyphs`, what both `build` and `validate` check characters with."""
    from . import fonts

    styles_dir = Path(styles.folder)
    try:
        return fonts.prepare_fonts(dict(styles.theme.fonts), cache, base_dir=styles_dir)
    except fonts.FontsMissing as exc:
        raise Failed([Diagnostic(display_path(styles_dir / "theme.yaml"), 0, 0, str(exc))]) from None


def check_glyphs(used: list[tuple[Source, set[str]]], chains: dict) -> None:
    """A character the fonts cannot draw fails the build at its file:line:col.

    One set operation per source file (`used` comes from `source_chars`); the strings are
    searched only when it found a character that no face can draw.
    """
    from .source.paths import dotted, strings

    out = Collector()
    if not undrawable(frozenset().union(*(found for _s, found in used)), chains):
        return  # one set of every character: the usual case costs one pass
    for source, found in used:
        bad_here = undrawable(found, chains)
        if not bad_here:
            continue
        for path, text in strings(source.data):
            for ch in sorted(bad_here.intersection(text)):
                line, col = source.locate(path, ch)
                where = dotted(path)
                lacking = [r for r, c in chains.items() if undrawable(ch, {r: c})]
                out.error(source.file, line, col,
                          f"{where}: character {ch!r} (U+{ord(ch):04X}) cannot be drawn by the report's fonts: no face of "
                          f"fonts.{', fonts.'.join(lacking)} has it ({chains[lacking[0]].family}); "
                          "replace it, or add a face that has it to those lists in styles/theme.yaml")
    out.raise_if_any()


def undrawable(chars, chains: dict) -> set[str]:
    """The characters of `chars` that some role's fallback chain cannot draw (an entry's
    text may be set in any role: body, bold, headings, tables)."""
    from . import fonts

    bad: set[str] = set()
    for chain in chains.values():
        bad |= fonts.missing_chars(chain, chars)
    return bad


def _fail_on_notdef(chains: dict, theme_file: str) -> None:
    """Text that is not an entry's (styles, templates, the layout's own labels) is checked
    as it is drawn: a character no face has would print as .notdef."""
    seen = {ch: text for c in chains.values() for ch, text in c.missing_seen.items()}
    if seen:
        raise Failed([Diagnostic(theme_file, 0, 0,
                                 f"character {ch!r} (U+{ord(ch):04X}) in {text[:40]!r} cannot be drawn by "
                                 "any face of the report's fonts; add a face that has it to styles/theme.yaml")
                      for ch, text in sorted(seen.items())])


def chart_renderer(report: Report, chains: dict, cache: Path, background=None):
    """(figure, width) -> a `background.ChartSource` of its PNG.  Charts are drawn with the
    source file of the sans role's first face (matplotlib reads a face of an OpenType/CFF
    collection), never with a subset; in the `background.Background` given, else in line."""
    colors = report.styles.theme.colors.get("chart")
    text_color = report.styles.color("text")
    theme = report.styles.theme
    directions = (report.styles.color("chart_up"), report.styles.color("chart_down"))
    min_font = theme.layout.chart_min_font
    face = chains["sans"].primary
    from .charts import chart_look

    look = chart_look(report.styles)

    def draw(fig, width_pt: float):
        from .background import Background

        args = (fig, list(colors), text_color, face.path, face.index, width_pt, cache,
                directions, min_font, look)
        return (background or Background(enabled=False)).chart(*args)

    return draw


