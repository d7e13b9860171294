"""From theme styles and inline markup to typeset paragraphs.

The single place where a named style (styles/theme.yaml) becomes a
`ParaStyle` and an entry's text becomes `Run`s: bold switches to the real
bold face, links take the link colour, [[id]] becomes "图表 N" linked to the
figure.  Nothing here interprets markup beyond `authoring.model.inline`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from ..model import inline
from ..model.report import Styles, em
from .paragraph import CJKParagraph, ParaStyle, Run, prepare

BOLD = {"serif": "serif-bold", "sans": "sans-bold", "serif-bold": "serif-bold", "sans-bold": "sans-bold"}


class TextFactory:
    def __init__(self, styles: Styles, fonts: dict,
                 ref: Callable[[str], tuple[str, str]] | None = None, memo=None,
                 break_memo=None):
        self.styles = styles
        self.fonts = fonts  # role -> authoring.fonts.shaping.Chain
        self.ref = ref  # figure id -> (label, destination)
        #: prepared paragraphs kept by their runs and style (an `authoring.memo.Memo`
        #: of a watch), or None
        self.memo = memo
        #: the build's `authoring.typeset.BreakMemo`, given to every paragraph and table
        #: (analyses and lines worked out once), or None
        self.break_memo = break_memo
        self._cache: dict[tuple, tuple[ParaStyle, str, float, str]] = {}

    # -- styles ---------------------------------------------------------
    def spec(self, name: str) -> dict:
        return self.styles.resolved[name]

    def style(self, name: str, **over) -> tuple[ParaStyle, str, float, str]:
        """(ParaStyle, font role, size, colour) for a named style with overrides."""
        key = (name, tuple(sorted(over.items())))
        hit = self._cache.get(key)
        if hit:
            return hit
        s = dict(self.spec(name))
        s.update({k: v for k, v in over.items() if v is not None and k in ("font", "size", "leading", "color", "align",
                                                        "first_indent", "left_indent", "right_indent",
                                                        "space_before", "space_after")})
        size = float(s.get("size", 10))
        ps = ParaStyle(
            leading=float(s.get("leading", size * 1.5)),
            align=s.get("align", "justify"),
            first_indent=em(s.get("first_indent"), size),
            left_indent=em(s.get("left_indent"), size),
            right_indent=em(s.get("right_indent"), size),
            space_before=float(s.get("space_before", 0) or 0),
            space_after=float(s.get("space_after", 0) or 0),
            keep_with_next=bool(over.get("keep_with_next", False)),
            phrase_wrap=bool(over.get("phrase_wrap", False)),
        )
        out = (ps, s.get("font", "serif"), size, self.styles.color(s.get("color", "text")))
        self._cache[key] = out
        return out

    def font(self, role: str):
        """The role's fallback chain (authoring.fonts.shaping.Chain)."""
        return self.fonts[role]

    def font_name(self, role: str) -> str:
        """The reportlab name of the role's first face (for reportlab's own defaults:
        a table's FONTNAME, the canvas's initial font), never Helvetica."""
        return self.fonts[role].primary.embedding.fontName

    # -- runs -----------------------------------------------------------
    def runs(self, text: str, style: str, markup: bool = True, **over) -> list[Run]:
        _ps, role, size, color = self.style(style, **over)
        if not markup:
            return [Run(text, self.font(role), size, color)]
        return self._runs(inline.parse(text), role, size, color)

    def _runs(self, items, role: str, size: float, color: str) -> list[Run]:
        out: list[Run] = []
        link_color = self.styles.color("link")
        for it in items:
            if isinstance(it, inline.Text):
                out.append(Run(it.text, self.font(role), size, color))
            elif isinstance(it, inline.Bold):
                out.extend(self._runs(it.children, BOLD.get(role, role), size, color))
            elif isinstance(it, inline.Link):
                out.append(Run(it.label, self.font(role), size, link_color, link=it.url))
            elif isinstance(it, inline.Ref):
                label, dest = self.ref(it.target) if self.ref else (it.target, None)
                out.append(Run(label, self.font(role), size, link_color, dest=dest, keep=True))
        return out

    def para(self, text: str | list[Run], style: str, markup: bool = True, bullet: str | None = None,
             bullet_color: str | None = None, **over) -> CJKParagraph:
        ps, role, size, color = self.style(style, **over)
        runs = text if isinstance(text, list) else self.runs(text, style, markup, **over)
        if bullet is not None:
            ps = replace(ps, bullet=(Run(bullet, self.font(role), size, bullet_color or color),))
        bm = self.break_memo
        if self.memo is None:
            return CJKParagraph(runs, ps, break_memo=bm)
        runs = tuple(runs)
        return CJKParagraph(runs, ps, _prep=self.memo.get((runs, ps), lambda: prepare(runs, ps, bm)))
