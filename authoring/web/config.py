"""styles/web.yaml: the labels, font fallbacks and chart width of the web editions."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, Failed, display_path

LABELS = ("key_points", "risk", "contents", "figures", "figure", "title_sep", "names_cjk",
          "names_latin", "note", "authors", "sac", "email", "recent", "published", "report_kind",
          "paper", "rating_head", "ratings", "statement", "disclaimer", "profile", "mail",
          "address", "postcode", "pdf_note")


def load_web_config(styles_dir: Path) -> dict:
    """The file's data, checked: every label a string (rating_head four strings), font
    fallbacks lists of names, chart_width a number of points."""
    import yaml

    path = Path(styles_dir) / "web.yaml"
    where = display_path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise Failed([Diagnostic(where, 0, 0, f"cannot read: {exc.strerror}")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise Failed([Diagnostic(where, mark.line + 1 if mark else 0, mark.column + 1 if mark else 0,
                                 f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from None
    errors = []
    if not isinstance(data, dict):
        raise Failed([Diagnostic(where, 1, 1, "expected a mapping with labels, fonts and chart_width")])
    labels = data.get("labels")
    if not isinstance(labels, dict):
        errors.append("labels: expected a mapping of label names to text")
        labels = {}
    for name in LABELS:
        value = labels.get(name)
        if name == "rating_head":
            if not (isinstance(value, list) and len(value) == 4 and all(isinstance(v, str) for v in value)):
                errors.append("labels.rating_head: expected a list of four column titles")
        elif not isinstance(value, str):
            errors.append(f"labels.{name}: missing or not text; expected a string")
    fonts = data.get("fonts")
    if not (isinstance(fonts, dict) and all(isinstance(fonts.get(r), list) and all(isinstance(n, str) for n in fonts[r])
                                             for r in ("serif", "sans"))):
        errors.append("fonts: expected serif and sans, each a list of font names")
    width = data.get("chart_width")
    if isinstance(width, bool) or not isinstance(width, (int, float)) or not 150 <= width <= 600:
        errors.append("chart_width: expected a number of points between 150 and 600")
    if errors:
        raise Failed([Diagnostic(where, 0, 0, e) for e in errors])
    return data
