"""Spacing figures of the line breaker, from character positions.

* The `paragraph:` texts of entries/20250505 set justified at the body measure (10.5 pt
  on 471 pt) and at the cover's key-point measure (9.5 pt on 310 pt)
  (tests/linebreak_corpus.py): letter-spacing of Han text, Han–Latin gaps, line count
  against first-fit filling, kinsoku, number–unit pairs, last-resort breaks.
* Every justified line of both seed weeks' PDFs: body text and the cover's key points.

The figures compared with are what first-fit filling (the breaker before total fit)
gave for the same texts: 154 lines at the body measure, 202 at the cover measure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import linebreak_corpus as lc
from typography_checks import group_lines, han_latin_gaps, han_pair_spacing, line_text
from authoring.typeset.chars import RIGHT_BLANK
from test_typography import fonts  # noqa: F401  (the fixture: the theme's fonts, registered)

REPO = Path(__file__).resolve().parent.parent
FIRST_FIT_LINES = {"body": 154, "cover": 202}
#: the worst letter-spacing (em, mean of a line's Han pairs) allowed at each measure.  A
#: line that would pass 0.15 em is set with a last-resort break inside a token instead
#: (after a hyphen of a name, or a word hyphenated); at the cover measure (32.6 em) the
#: first line of "此次开源的 MoE 模型共有两款，分别是 Qwen3-235B-A22B 与 Qwen3-30B-A3B" has
#: no such break that fits and stays near 0.19 em.
MAX_SPACING = {"body": 0.15, "cover": 0.25}
P95_SPACING = 0.02


@pytest.fixture(scope="module")
def figures(fonts, tmp_path_factory):
    corpus = lc.paragraphs()
    assert len(corpus) == 41
    out = {}
    folder = tmp_path_factory.mktemp("figures")
    for name, size, width in lc.MEASURES:
        path = folder / f"{name}.pdf"
        lc.build(path, fonts, corpus, size, width)
        out[name] = lc.read(path, corpus)
    return out


@pytest.mark.parametrize("measure", ["body", "cover"])
def test_letter_spacing(figures, measure):
    f = figures[measure]
    assert f["measured"] > 80
    assert f["han_p95"] <= P95_SPACING, f["worst"]
    assert f["han_max"] <= MAX_SPACING[measure], f["worst"]


@pytest.mark.parametrize("measure", ["body", "cover"])
def test_han_latin_gap_is_a_quarter_em(figures, measure):
    f = figures[measure]
    assert f["gaps"] > 200
    assert 0.22 <= f["gap_median"] <= 0.28
    assert f["gap_p95"] <= 0.33


@pytest.mark.parametrize("measure", ["body", "cover"])
def test_fewer_lines_than_first_fit(figures, measure):
    assert figures[measure]["lines"] <= 0.96 * FIRST_FIT_LINES[measure]


@pytest.mark.parametrize("measure", ["body", "cover"])
def test_kinsoku_number_units_and_last_resort_breaks(figures, measure):
    f = figures[measure]
    assert f["kinsoku"] == []
    assert f["number_unit"] == []
    # breaks inside a token: only the last resorts (after a hyphen or slash of a long
    # name, a word hyphenated), and few
    assert all(lc.LAST_RESORT.search(v) for v in f["split"]), f["split"]
    assert len(f["split"]) <= 6, f["split"]


# ------------------------------------------------------------------ the seed weeks


def justified_lines(page_lines, size: float):
    """Lines of one size that a line of the same paragraph follows: the next line of
    that size sits one leading lower and does not start further right (indented lines
    start paragraphs), and the line reaches the column's right edge."""
    lines = [ln for ln in page_lines if abs(ln[0]["size"] - size) < 0.05]
    if not lines:
        return []
    right = max(ln[-1]["x1"] - (0.5 * size if ln[-1]["text"] in RIGHT_BLANK else 0) for ln in lines)
    out = []
    for a, b in zip(lines, lines[1:]):
        dy = b[0]["bottom"] - a[0]["bottom"]
        if not (1.2 * size < dy < 2.2 * size) or b[0]["x0"] > a[0]["x0"] + 0.5:
            continue
        end = a[-1]["x1"]
        if a[-1]["text"] in RIGHT_BLANK and end > right + 0.6:
            end -= 0.5 * size
        if abs(end - right) <= 0.6:
            out.append(a)
    return out


@pytest.fixture(scope="module", params=["20250505", "20250310"])
def week_pages(request, seed_weeks):
    return [group_lines(p.chars, split_gap=1.5) for p in seed_weeks.pages(request.param)]


def _mean(xs):
    return sum(xs) / len(xs)


def test_seed_weeks_letter_spacing_and_gaps(week_pages):
    body, cover, gaps = [], [], []
    for n, lines in enumerate(week_pages, 1):
        for size, into in ((10.5, body), (9.5, cover if n == 1 else None)):
            if into is None:
                continue
            for ln in justified_lines(lines, size):
                pairs = han_pair_spacing(ln)
                gaps.extend(han_latin_gaps(ln))
                if len(pairs) >= 4:
                    into.append((_mean(pairs), line_text(ln)))
    assert len(body) > 80 and len(cover) >= 5
    body.sort(reverse=True)
    cover.sort(reverse=True)
    p95 = body[len(body) // 20][0]
    assert p95 <= P95_SPACING, body[:8]
    assert body[0][0] <= MAX_SPACING["body"], body[:3]
    assert cover[0][0] <= 0.2, cover[:3]  # no letter-spaced line on the cover
    gaps.sort()
    assert 0.22 <= gaps[len(gaps) // 2] <= 0.28
    assert gaps[int(0.95 * (len(gaps) - 1))] <= 0.33, gaps[-5:]


def test_seed_weeks_box_text_is_never_letter_spaced(week_pages):
    """The text of diagram boxes (theme.yaml's diagram.text_size): no line is spaced
    wider between its Han characters than diagram.loosest_justified.  A narrow box whose
    next word is a long Latin token ("config.yaml" in 20250505's 图表 18) would otherwise
    spread a line by more than a fifth of an em; such a box is set flush left."""
    import yaml

    look = yaml.safe_load((REPO / "styles" / "theme.yaml").read_text(encoding="utf-8"))["diagram"]
    size, limit = float(look["text_size"]), float(look["loosest_justified"])
    measured, loose = 0, []
    for n, lines in enumerate(week_pages, 1):
        for ln in lines:
            if abs(ln[0]["size"] - size) < 0.05:
                pairs = han_pair_spacing(ln)
                if len(pairs) >= 4:
                    measured += 1
                    if _mean(pairs) > limit:
                        loose.append((n, round(_mean(pairs), 3), line_text(ln)))
    assert measured > 20
    assert loose == []


def test_seed_weeks_keep_numbers_with_their_units(week_pages):
    """No line ends with a number whose unit starts the next line (304 | W, 2025 | 年)."""
    bad = []
    for n, lines in enumerate(week_pages, 1):
        for a, b in zip(lines, lines[1:]):
            if not (0 < b[0]["bottom"] - a[0]["bottom"] < 2 * a[0]["size"]):
                continue
            ta, tb = line_text(a), line_text(b)
            num = re.search(r"(?<![A-Za-z0-9.,_-])[0-9][0-9.,]*$", ta)
            if num and (re.match(r"[A-Za-z%‰]", tb) or tb[:1] in lc.HAN_UNITS):
                bad.append(f"p{n}: {ta[-10:]!r} | {tb[:6]!r}")
    assert bad == []
