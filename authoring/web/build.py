"""Build the web and e-mail editions of one week (gathered exactly as the PDF is)."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

from ..atomic import write_bytes
from ..diagnostics import Diagnostic, Failed, display_path
from ..model.report import Report
from .config import load_web_config
from .render import page_env, render_template
from .view import View, data_uri, plain

SUFFIX = {"html": ".html", "email": ".eml"}


@dataclass(frozen=True)
class EditionResult:
    path: Path
    format: str
    figures: int
    bytes: int
    seconds: float

    def summary_line(self) -> str:
        return (f"built the {self.format} edition, {self.figures} 图表, {self.bytes / 1024:.0f} KB "
                f"in {self.seconds:.2f} s: {display_path(self.path)}")


def output_path(out_dir: Path, series: str, week: str, fmt: str) -> Path:
    return Path(out_dir) / f"{series.replace(' ', '')}_{week}{SUFFIX[fmt]}"


def gather_report(root: Path, week: str, cache: Path):
    """The week's assembled report and the sans face for charts (as the PDF build gets them)."""
    from .. import fonts
    from ..cache import snapshot
    from ..build import gather

    key = snapshot.input_key(root, week) if snapshot.applies(root, week) else None
    gathered = snapshot.load(cache, week, key) if key else None
    if gathered is None:
        gathered, _sources = gather(root, week, cache)
    report = gathered.report
    try:
        chains = fonts.prepare_fonts(dict(report.styles.theme.fonts), cache, base_dir=root / "styles")
    except fonts.FontsMissing as exc:
        raise Failed([Diagnostic(display_path(root / "styles" / "theme.yaml"), 0, 0, str(exc))]) from None
    return report, chains["sans"].primary


def build_editions(root: Path, week: str, formats: list[str], out_dir: Path | None = None,
                   cache: Path | None = None) -> list[EditionResult]:
    from .. import fonts

    root = Path(root)
    cache = Path(cache) if cache else fonts.cache_dir()
    started = time.perf_counter()
    report, face = gather_report(root, week, cache)
    config = load_web_config(root / "styles")
    out_dir = Path(out_dir) if out_dir else root / "build" / week
    results = []
    for fmt in formats:
        data = (html_page if fmt == "html" else email_message)(report, face, config, cache, root)
        path = output_path(out_dir, report.week.series, report.week.week, fmt)
        write_bytes(path, data, durable=True)
        results.append(EditionResult(path, fmt, len(report.figures), len(data), time.perf_counter() - started))
    return results


def _chart_args(report: Report, face, config: dict):
    """The PDF's chart style (build.chart_renderer): palette, text colour, rise/fall colours,
    smallest font, theme.yaml's `chart`; only the width is the web's."""
    s = report.styles
    colors = list(s.theme.colors.get("chart") or [])
    from ..charts import chart_look

    extra = {"directions": (s.color("chart_up"), s.color("chart_down")),
             "min_font": s.theme.layout.chart_min_font, "look": chart_look(s)}
    return colors, s.color("text"), face, float(config["chart_width"]), extra


def _draw_svg(fig, report, face, config, cache) -> str:
    from ..charts import render_chart_svg

    colors, text_color, face, width, extra = _chart_args(report, face, config)
    return render_chart_svg(fig, colors, text_color, face.path, face.index, width, cache, **extra)


def _draw_png(fig, report, face, config, cache) -> Path:
    from ..charts import render_chart

    colors, text_color, face, width, extra = _chart_args(report, face, config)
    return render_chart(fig, colors, text_color, face.path, face.index, width, cache, **extra)


_SVG_HEAD = re.compile(r"\A.*?(<svg\b)", re.S)
_SVG_SIZE = re.compile(r'(<svg\b[^>]*?)\s(?:width|height)="[^"]*"')
_SVG_ID = re.compile(r'\bid="([^"]+)"')


def inline_svg(svg: str, prefix: str, alt: str) -> str:
    """matplotlib's SVG document as an element for the page: no XML prolog or doctype, ids
    made unique to the figure, sized by the page's CSS, labelled with the figure's title."""
    from markupsafe import escape

    svg = _SVG_HEAD.sub(r"\1", svg, count=1)
    for _ in range(2):
        svg = _SVG_SIZE.sub(r"\1", svg, count=1)
    ids = set(_SVG_ID.findall(svg))
    for old in sorted(ids, key=len, reverse=True):
        new = f"{prefix}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f'"#{old}"', f'"#{new}"') \
                 .replace(f"url(#{old})", f"url(#{new})")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(alt)}" class="chart" ', 1)
    return svg


def html_page(report: Report, face, config: dict, cache: Path, root: Path) -> bytes:
    from markupsafe import Markup

    def chart(fig):
        labels = config["labels"]
        alt = f"{labels['figure']} {report.figures[fig.id].number}{labels['title_sep']}{fig.title}"
        svg = inline_svg(_draw_svg(fig, report, face, config, cache), report.figures[fig.id].dest, alt)
        return {"svg": Markup(svg)}  # noqa: S704 - matplotlib's output, its text escaped by matplotlib

    def image(fig):
        return {"src": data_uri(Path(report.week_folder) / fig.file), "width": f"{100 * fig.width:.0f}%"}

    view = View(report, config["labels"], chart, image)
    ctx = {**view.context(), **_page_style(report, config)}
    html = render_template(page_env(root / "styles" / "templates" / "web"), "page.html.j2", ctx)
    return html.encode("utf-8")


def email_message(report: Report, face, config: dict, cache: Path, root: Path) -> bytes:
    parts: list[tuple[str, bytes, str]] = []  # cid, data, subtype

    def attach(data: bytes, subtype: str, name: str) -> str:
        cid = f"<{name}.{report.week.week}@authoring.local>"  # fixed: the same week, the same bytes
        parts.append((cid, data, subtype))
        return "cid:" + cid[1:-1]

    def chart(fig):
        png = _draw_png(fig, report, face, config, cache).read_bytes()
        return {"src": attach(png, "png", fig.id), "width": "100%"}

    def image(fig):
        data = (Path(report.week_folder) / fig.file).read_bytes()
        sub = "png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "jpeg"
        return {"src": attach(data, sub, fig.id), "width": f"{100 * fig.width:.0f}%"}

    view = View(report, config["labels"], chart, image)
    ctx = {**view.context(), **_page_style(report, config)}
    env = page_env(root / "styles" / "templates" / "web")
    html = render_template(env, "email.html.j2", ctx)
    text = render_template(env, "email.txt.j2", {**ctx, "plain": plain})

    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = report.title
    msg["From"] = f"{report.styles.brand.department} <{report.styles.brand.contacts[0].email}>" \
        if report.styles.brand.contacts else report.styles.brand.department
    from ..build import creation_epoch
    import datetime as dt

    msg["Date"] = format_datetime(dt.datetime.fromtimestamp(creation_epoch(report), dt.timezone.utc))
    series = hashlib.sha256(report.week.series.encode("utf-8")).hexdigest()[:12]  # ASCII only
    msg["Message-ID"] = f"<{report.week.week}.{series}@authoring.local>"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    html_part = msg.get_payload()[1]
    for cid, data, sub in parts:
        html_part.add_related(data, "image", sub, cid=cid)
    return msg.as_bytes()


def _page_style(report: Report, config: dict) -> dict:
    theme = report.styles.theme

    from markupsafe import Markup

    def stack(role: str) -> Markup:
        # written into CSS, where HTML escaping does not apply: only plain font names pass
        # the role's faces in order (first face, then its fallbacks), then the web's own
        families = [f for face in theme.fonts[role] for f in face.families]
        names = [n for n in dict.fromkeys(families + list(config["fonts"][role])) if _FONT_NAME.match(n)]
        generic = {"serif", "sans-serif", "monospace"}
        return Markup(", ".join(n if n in generic else f"'{n}'" for n in names))  # noqa: S704 - fits a style="" too

    colors = {k: Markup(v) for k, v in theme.colors.items() if isinstance(v, str) and _HEX.match(v)}  # noqa: S704
    return {"colors": colors, "serif": stack("serif"), "sans": stack("sans"), "labels": config["labels"]}


_FONT_NAME = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9 _-]*\Z")
_HEX = re.compile(r"\A#[0-9A-Fa-f]{3,8}\Z")
