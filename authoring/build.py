"""The whole build of one week, readable in one function.

Everything is gathered and checked before anything is written: styles,
entries, cross-references, fonts (including every character the fonts must
draw).  Only then is the report laid out, and the PDF is written to a
temporary file and renamed, so a failed or interrupted build leaves the
previous PDF untouched.  (Caches may be written on the way: the snapshot of
the assembled report, template and typesetting memos.)

Gathering is `gather`: load (yamlsource) -> validate (pydantic) -> assemble
(reportmodel records).  A week whose inputs have not changed since its last
build takes that result from its snapshot (snapshot.py) instead.
"""

from __future__ import annotations

import calendar
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import snapshot, typesetmemo
from .atomic import write_bytes
from .diagnostics import Collector, Diagnostic, Failed, display_path
from .reportmodel import Report
from .snapshot import Gathered

if TYPE_CHECKING:  # the gathering modules (pydantic, PyYAML, jinja2) load only on a miss
    from .validate import WeekSources
    from .yamlsource import Source

#: Fixed labels the layout draws besides the report's own text.
LAYOUT_LABELS = ("目录图表目录资料来源注：●•…—·.-：（）《》0123456789 "
                 "证券研究报告发布时间投资评级说明标准类型评级说明分析师声明免责公司简介邮箱地址邮编"
                 "SAC登记编号Email近期研究论文")


@dataclass(frozen=True)
class BuildResult:
    pdf: Path
    pages: int
    figures: int
    bytes: int
    seconds: float
    marks: dict
    warnings: tuple = ()  # Diagnostics of things to change; the PDF was written anyway

    def summary_line(self) -> str:
        return (f"built {self.pages} pages, {self.figures} 图表, {self.bytes / 1024:.0f} KB "
                f"in {self.seconds:.2f} s: {display_path(self.pdf)}")


def output_path(out_dir: Path, series: str, week: str) -> Path:
    return out_dir / f"{series.replace(' ', '')}_{week}.pdf"


def build_week(root: Path, week: str, out_dir: Path | None = None,
               cache: Path | None = None) -> BuildResult:
    started = time.perf_counter()
    root = Path(root)
    report, rendered = lay_out(root, week, cache)

    # 3. write atomically
    out_dir = Path(out_dir) if out_dir else root / "build" / week
    pdf = output_path(out_dir, report.week.series, report.week.week)
    write_bytes(pdf, rendered.pdf, durable=True)
    return BuildResult(pdf, rendered.pages, len(report.figures), len(rendered.pdf),
                       time.perf_counter() - started, rendered.marks, rendered.warnings)


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
    from .yamlsource import shown

    try:
        weeks = sorted(p.name for p in entries.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        weeks = []
    return Diagnostic(f"'{shown(week)}'", 0, 0, "is not a week: give the name of a week folder in "
                      f"{display_path(entries)}/ (e.g. 20250512)"
                      + (f"; weeks: {', '.join(weeks)}" if weeks else ""))


def lay_out(root: Path, week: str, cache: Path | None = None):
    """Everything a build does but writing the PDF: gather and check, fonts and the glyph
    check, the layout.  (report, rendered); raises `Failed` with every problem found.
    `authoring validate` runs this too, so that whatever fails a build fails validation."""
    from . import fonts

    root = Path(root)
    problem = week_problem(root, week)
    if problem:
        raise Failed([problem])
    styles_dir = root / "styles"
    cache = Path(cache) if cache else fonts.cache_dir()

    # 1. gather and check everything; nothing is written before this is through.  An
    #    unchanged week's report comes from the snapshot (snapshot.py explains the key).
    key = snapshot.input_key(root, week) if snapshot.applies(root, week) else None
    gathered = snapshot.load(cache, week, key) if key else None
    if gathered is None:
        gathered, sources = gather(root, week, cache)
        if key and snapshot.input_key(root, week) == key:  # not if a file changed while it was read
            snapshot.save(cache, week, key, gathered)
    else:
        sources = None
    report = gathered.report
    spec = {role: spec._asdict() for role, spec in report.styles.theme.fonts.items()}
    try:
        faces = fonts.prepare_fonts(spec, gathered.chars, cache, base_dir=styles_dir)
    except fonts.FontsMissing as exc:
        raise Failed([Diagnostic(display_path(styles_dir / "theme.yaml"), 0, 0, str(exc))]) from None
    if sources is None and any(undrawable(found, faces) for _file, found in gathered.used):
        sources = gather(root, week, cache)[1]  # to name each such character's line and column
    if sources is not None:
        check_glyphs(sources, faces)

    # 2. lay out (reportlab is imported only now)
    from .layout.fontreg import register
    from .layout.render import render

    try:
        fontnames = register(faces)
    except fonts.FontsMissing as exc:
        raise Failed([Diagnostic(display_path(styles_dir / "theme.yaml"), 0, 0, str(exc))]) from None
    charts = chart_renderer(report, faces, cache)
    memo = typesetmemo.load(cache, report.week.week)
    rendered = render(report, fontnames, charts, epoch=creation_epoch(report))
    typesetmemo.save(cache, report.week.week, memo)
    return report, rendered


def cover_problems(root: Path, week: str, cache: Path | None = None) -> list[Diagnostic]:
    """Whether the week's cover holds its key points, measured with the report's fonts
    (`authoring validate` runs it once the week is valid; a build checks the same)."""
    from . import fonts

    root = Path(root)
    cache = Path(cache) if cache else fonts.cache_dir()
    gathered, _sources = gather(root, week, cache)
    spec = {role: spec._asdict() for role, spec in gathered.report.styles.theme.fonts.items()}
    try:
        faces = fonts.prepare_fonts(spec, gathered.chars, cache, base_dir=root / "styles")
    except fonts.FontsMissing:
        return []  # the build says what to install
    from .layout.fontreg import register
    from .layout.render import cover_problem

    return cover_problem(gathered.report, register(faces))


def creation_epoch(report: Report) -> int:
    """SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the week's date, 09:00 Beijing."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return int(env)
    d = report.date
    return calendar.timegm((d.year, d.month, d.day, 1, 0, 0))


def gather(root: Path, week: str, cache: Path) -> tuple[Gathered, list[tuple[Source, set[str]]]]:
    """Load, validate and assemble the week (raises `Failed` with every error); also the
    characters of each source file, for the glyph check."""
    from .assemble import assemble
    from .stylesheet import load_styles
    from .templates import Templates
    from .validate import validate_week

    entries_root = root / "entries"
    styles_dir = root / "styles"
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
    chars = frozenset(report_chars(used, report))
    return Gathered(report, chars, tuple((s.file, frozenset(found)) for s, found in used)), used


def source_chars(src: WeekSources) -> list[tuple[Source, set[str]]]:
    """Each source file with the characters of its text values (walked once, for the font
    subset and for the glyph check)."""
    from .validate import strings

    out = []
    for source in src.all_sources():
        used: set[str] = set()
        for _path, text in strings(source.data):
            used.update(text)
        out.append((source, used))
    return out


def report_chars(used: list[tuple[Source, set[str]]], report: Report) -> set[str]:
    """Every character the layout may draw."""
    chars: set[str] = set(LAYOUT_LABELS)
    for _source, found in used:
        chars |= found
    for text in (report.title, report.risk, *report.rating_basis, *report.analyst_statement,
                 *report.disclaimer, *report.profile):
        chars.update(text)
    for r in report.ratings:
        chars.update(r.type + r.grade + r.meaning)
    for f in report.figures.values():
        chars.update(f.source_line)
    brand = report.styles.brand
    for text in (brand.institute, brand.department, brand.short_department, brand.report_footer_reminder):
        chars.update(text)
    for c in brand.contacts:
        chars.update(c.city + c.email + c.address + c.postcode)
    return {c for c in chars if c not in "\n\r\t"}


def check_glyphs(used: list[tuple[Source, set[str]]], faces: dict) -> None:
    """A character the fonts cannot draw fails the build at its file:line:col.

    One set operation per source file (`used` comes from `source_chars`); the strings are
    searched only when it found a character that no face can draw.
    """
    from .validate import dotted, strings

    out = Collector()
    for source, found in used:
        bad_here = undrawable(found, faces)
        if not bad_here:
            continue
        for path, text in strings(source.data):
            for ch in sorted(bad_here.intersection(text)):
                line, col = source.locate(path, ch)
                where = dotted(path)
                out.error(source.file, line, col,
                          f"{where}: character {ch!r} (U+{ord(ch):04X}) cannot be drawn by the report's "
                          f"fonts ({faces['serif'].family}); replace it or configure a font that has it "
                          "in styles/theme.yaml")
    out.raise_if_any()


def undrawable(chars, faces: dict) -> set[str]:
    """The characters of `chars` that the serif or the sans source font cannot draw."""
    from .fonts import missing_chars

    bad: set[str] = set()
    for role in ("serif", "sans"):
        if role in faces:
            bad |= missing_chars(faces[role], chars)
    return bad


def chart_renderer(report: Report, faces: dict, cache: Path):
    """Charts are drawn with the source face of the sans font (matplotlib reads OpenType/CFF
    collections), not the report's subset: a chart is redrawn when its own content changes,
    not whenever an entry brings a new character into the subset."""
    colors = report.styles.theme.colors.get("chart")
    text_color = report.styles.color("text")
    theme = report.styles.theme
    directions = (report.styles.color("chart_up"), report.styles.color("chart_down"))
    min_font = theme.layout.chart_min_font
    face = faces["sans"]

    def draw(fig, width_pt: float) -> Path:
        from .charts import render_chart

        try:
            return render_chart(fig, list(colors), text_color, face.source, face.index, width_pt, cache,
                                directions, min_font)
        except ValueError:  # matplotlib < 3.10 reads no face of a collection: the subset then
            return render_chart(fig, list(colors), text_color, face.ttf, 0, width_pt, cache,
                                directions, min_font)

    return draw


