"""Inline markup, field by field: rendered in running text, an error everywhere else.

One entry holds every block and figure kind.  Each running-text field gets its own bold
marker (MkNN) and a reference; the built PDF must show the marker in the bold face and
no markup characters.  Each name/label field in turn gets `**...**`; validation must
name that field and reject it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from authoring.build import build_week
from authoring.diagnostics import Failed
from authoring.validate.week import validate_week

from conftest import MINIMAL_WEEK

# {name} placeholders: running text (R_*) or a name/label (L_*)
ENTRY = """\
id: qwen3
section: headlines
title: "{L_title}"
date: 2025-04-29
summary: "{R_summary}"
body:
  - paragraph: "{R_paragraph}"
  - bullets: ["{R_bullet}"]
  - numbered: ["{R_numbered}"]
  - terms:
      - {{term: "{L_term}", text: "{R_term_text}"}}
  - figure:
      kind: table
      id: t1
      title: "{L_figure_title}"
      sources: ["{L_source}"]
      note: "{R_note}"
      header_groups:
        - {{title: "{L_header_group}", span: 1}}
        - {{title: 二, span: 2}}
      group_title: "{L_group_title}"
      columns:
        - {{title: "{L_column_title}"}}
        - {{title: 值}}
      groups:
        - title: "{L_group_row_title}"
          rows:
            - ["{R_cell}", 1]
      notes: ["{R_notes}"]
  - figure:
      kind: diagram
      id: d1
      title: 流程
      sources: [Qwen]
      stages:
        - title: "{L_stage_title}"
          steps:
            - {{title: "{L_step_title}", text: "{R_step_text}"}}
  - figure:
      kind: chart
      id: c1
      chart: bar
      title: 得分
      sources: [Qwen]
      categories: ["{L_category}", 乙]
      x_label: "{L_x_label}"
      y_label: "{L_y_label}"
      series:
        - {{name: "{L_series_name}", values: [1, 2]}}
  - figure:
      kind: quote
      id: q1
      title: 帖子
      sources: [X]
      author: "{L_author}"
      handle: "{L_handle}"
      platform: "{L_platform}"
      text: "{R_quote_text}"
      translation: "{R_translation}"
  - figure:
      kind: paper
      id: p1
      title: 论文
      sources: [arXiv]
      paper_title: "{L_paper_title}"
      authors: ["{L_paper_author}"]
      affiliations: ["{L_affiliation}"]
      venue: "{L_venue}"
      abstract: "{R_abstract}"
  - paragraph: 其余图表：[[t1]]、[[d1]]、[[c1]]、[[q1]]、[[p1]]。
"""
WEEK_FIELDS = {"L_headline": "headline", "L_section_title": "sections[0].title", "L_risk": "risk",
               "L_keyword": "keywords[0]"}
WEEK = """\
series: AI 动态汇总
report_type: 金工周报
week: "{week}"
date: 2025-05-12
headline: "{L_headline}"
authors: [xiao-chengzhi, feng-yuwen]
sections:
  - {{key: headlines, title: "{L_section_title}"}}
key_points: [qwen3]
risk: "{L_risk}"
keywords: ["{L_keyword}"]
"""
NAMES = re.findall(r"\{([RL]_\w+)\}", ENTRY + WEEK)
RUNNING = [n for n in NAMES if n.startswith("R_")]
LABELS = [n for n in NAMES if n.startswith("L_")]
FIELD = {"L_title": "title", "L_term": "body[3].terms[0].term", "L_figure_title": "body[4].figure.title",
         "L_source": "body[4].figure.sources[0]", "L_header_group": "body[4].figure.header_groups[0].title",
         "L_group_title": "body[4].figure.group_title", "L_column_title": "body[4].figure.columns[0].title",
         "L_group_row_title": "body[4].figure.groups[0].title",
         "L_stage_title": "body[5].figure.stages[0].title",
         "L_step_title": "body[5].figure.stages[0].steps[0].title",
         "L_category": "body[6].figure.categories[0]", "L_x_label": "body[6].figure.x_label",
         "L_y_label": "body[6].figure.y_label", "L_series_name": "body[6].figure.series[0].name",
         "L_author": "body[7].figure.author", "L_handle": "body[7].figure.handle",
         "L_platform": "body[7].figure.platform", "L_paper_title": "body[8].figure.paper_title",
         "L_paper_author": "body[8].figure.authors[0]", "L_affiliation": "body[8].figure.affiliations[0]",
         "L_venue": "body[8].figure.venue", **WEEK_FIELDS}


def _write(project: Path, values: dict[str, str]) -> Path:
    folder = project / "entries" / MINIMAL_WEEK
    plain = {n: f"文字{i}" for i, n in enumerate(NAMES)}
    plain.update(values)
    (folder / "01-qwen3.yaml").write_text(ENTRY.format(**plain), encoding="utf-8")
    (folder / "week.yaml").write_text(WEEK.format(week=MINIMAL_WEEK, **plain), encoding="utf-8")
    return folder


def test_every_field_is_either_running_text_or_a_label():
    assert set(RUNNING) | set(LABELS) == set(NAMES)
    assert set(LABELS) == set(FIELD)


@pytest.mark.parametrize("name", LABELS)
def test_markup_in_a_name_or_label_is_an_error_naming_the_field(project, name):
    folder = _write(project, {name: "含 **粗体** 的文字"})
    with pytest.raises(Failed) as err:
        validate_week(folder, project / "entries")
    messages = [str(d) for d in err.value.diagnostics]
    hit = [m for m in messages if f": {FIELD[name]}: inline markup **粗体** is not taken here" in m]
    assert hit, messages
    file = "week.yaml" if name in WEEK_FIELDS else "01-qwen3.yaml"
    assert re.search(rf"{file}:\d+:\d+: ", hit[0]), hit[0]


@pytest.mark.parametrize("kind", ["a link [官方博客](https://qwenlm.github.io/blog/qwen3/)", "a reference [[t1]]"])
def test_links_and_references_in_a_title_are_errors_too(project, kind):
    folder = _write(project, {"L_figure_title": f"标题含 {kind.split(' ', 2)[2]}"})
    with pytest.raises(Failed) as err:
        validate_week(folder, project / "entries")
    assert any("body[4].figure.title: inline markup" in str(d) for d in err.value.diagnostics)


def test_markup_in_running_text_is_rendered(project, tmp_path):
    markers = {n: f"Mk{i:02d}" for i, n in enumerate(RUNNING)}
    _write(project, {n: f"见 **{m}** 与 [[t1]]。" for n, m in markers.items()})
    import shutil

    shutil.copytree(Path(__file__).resolve().parent.parent / "styles", project / "styles")
    result = build_week(project, MINIMAL_WEEK, out_dir=tmp_path)
    with pdfplumber.open(result.pdf) as pdf:
        chars = [c for p in pdf.pages for c in p.chars]
    text = "".join(c["text"] for c in chars)
    # a glyph may stand for several characters (Noto CJK's "——"): offset -> glyph
    owner = [k for k, c in enumerate(chars) for _ in c["text"]]
    assert "**" not in text and "[[" not in text
    for name, marker in markers.items():
        at = [m.start() for m in re.finditer(marker, text)]
        assert at, f"{name}: {marker} not printed"
        assert all("Bold" in chars[owner[i]]["fontname"] for i in at), f"{name}: {marker} not bold"
