"""The line-breaking corpus: the `paragraph:` texts of entries/20250505 (markup
stripped) set justified at the body measure and at the cover's key-point measure, and
the figures read back from the PDF's character positions (`tests/typography_checks.py`).

Used by tests/test_typography_figures.py and by tools/linebreak_figures.py (which
prints the table docs/typography.md quotes).
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import yaml

from authoring.model import inline
from typography_checks import (
    align,
    group_lines,
    hyphen_ends,
    kinsoku_violations,
    line_text,
    paragraph_bounds,
    spacing_figures,
    split_token_violations,
)

REPO = Path(__file__).resolve().parent.parent
WEEK = "20250505"
#: (name, font size, measure in points): the body column and the cover's key points
MEASURES = (("body", 10.5, 471.0), ("cover", 9.5, 310.0))
MARGIN = 36.0

#: Han characters that are units or measure words after a number (2025 年, 147 分)
HAN_UNITS = frozenset("年月日时分秒个款家项道位名亿万元倍颗张块层次篇条种类台人天周度")
_NUMBER = re.compile(r"[0-9][0-9.,]*$")
_UNIT_START = re.compile(r"[A-Za-z%‰]")
#: the last-resort breaks inside a token, as split_token_violations names them: after a
#: hyphen or slash of a name, or a word hyphenated with a drawn hyphen
LAST_RESORT = re.compile(r"(broken after '[^']*[-/]'|hyphenated after '[^']*[A-Za-z]')$")


def paragraphs(week: str = WEEK) -> list[str]:
    """The week's paragraph texts as a reader sees them (references as 图表 N)."""
    out = []
    for path in sorted((REPO / "entries" / week).glob("[0-9]*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for block in data.get("body", []):
            if isinstance(block, dict) and "paragraph" in block:
                text = inline.plain(inline.parse(block["paragraph"]), lambda _t: "图表 1")
                out.append(re.sub(r"\s+", " ", text).strip())
    return out


def build(path: Path, fonts: dict, paras, size: float, width: float) -> None:
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from authoring.layout.paragraph import CJKParagraph, ParaStyle, Run

    height = 842.0
    doc = BaseDocTemplate(str(path), pagesize=(width + 2 * MARGIN, height))
    frame = Frame(MARGIN, MARGIN, width, height - 2 * MARGIN, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("p", [frame])])
    st = ParaStyle(leading=round(size * 1.7), first_indent=2 * size, space_after=4)
    doc.build([CJKParagraph([Run(p, fonts["serif"], size, "#1A1A1A")], st) for p in paras])


def number_unit_splits(lines, offsets, paras) -> list[str]:
    """Line boundaries between a number and its unit (304 | W, 2025 | 年)."""
    src = "".join(re.sub(r"\s+", "", p) for p in paras)
    _starts, ends = paragraph_bounds(paras)
    out = []
    for ln, (s, e) in zip(lines, offsets):
        if e in ends or e >= len(src):
            continue
        before = re.search(r"[0-9A-Za-z.,]+$", src[:e])
        if before and _NUMBER.fullmatch(before.group()) and (
                _UNIT_START.match(src[e]) or src[e] in HAN_UNITS):
            out.append(f"{line_text(ln)[-8:]!r} | {src[e:e + 6]!r}")
    return out


def read(path: Path, paras) -> dict:
    """Figures and violations of a PDF set by `build`."""
    with pdfplumber.open(str(path)) as pdf:
        lines = [ln for page in pdf.pages for ln in group_lines(page.chars)]
    offs = align(lines, paras)
    _starts, ends = paragraph_bounds(paras)
    justified = [e not in ends for _s, e in offs]
    fig = spacing_figures(lines, justified)
    fig["kinsoku"] = kinsoku_violations(lines)
    fig["split"] = split_token_violations(offs, paras, hyphenated=hyphen_ends(lines, offs))
    fig["number_unit"] = number_unit_splits(lines, offs, paras)
    return fig
