"""`authoring new entry`: an item's file from a template that explains every field and
shows every block and figure kind (the analyst's fields are left as comments)."""

from __future__ import annotations

import re
from pathlib import Path

from ..diagnostics import Failed
from ..source.load import load
from ..validate.messages import close_matches
from ..validate.week import ENTRY_NAME
from .files import SLUG, create, fail, scalar


def new_entry(root: Path, week: str, slug: str, section: str | None,
              title: str | None = None) -> Path:
    """Write entries/<week>/<NN>-<slug>.yaml from the template."""
    root = Path(root)
    folder = root / "entries" / week
    week_file = folder / "week.yaml"
    if not week_file.exists():
        hint = f"; start the week with `authoring new week {week}`" if not folder.exists() else ""
        raise fail(week_file, f"does not exist{hint}")
    if not SLUG.match(slug):
        raise fail(folder, f"'{slug}' is not a usable id; use lowercase letters, digits and '-' "
                            "(e.g. qwen3-bench)")
    source, problems = load(week_file)
    if source is None:
        raise Failed(problems)
    keys = [s.get("key") for s in (source.data.get("sections") or [])
            if isinstance(s, dict)] if isinstance(source.data, dict) else []
    if not keys:
        raise fail(week_file, "has no sections; list the week's sections before adding entries")
    if section is None:
        raise fail(week_file, f"give the entry's section with --section; this week has: {', '.join(keys)}")
    if section not in keys:
        hint = close_matches(section, keys, n=1)
        raise fail(week_file, f"no section '{section}' in this week"
                    + (f"; did you mean '{hint[0]}'?" if hint else f"; sections: {', '.join(keys)}"))
    numbers = []
    for p in sorted(folder.iterdir()):
        if p.suffix not in (".yaml", ".yml") or p.stem == "week":
            continue
        m = re.match(r"^(\d{2})-(.*)$", p.stem)
        if m:
            numbers.append(int(m.group(1)))
            if m.group(2) == slug:
                raise fail(p, f"already exists with the slug '{slug}'; `new entry` never "
                               "overwrites a file; choose another slug")
        other, _ = load(p)
        if other is not None and isinstance(other.data, dict) and other.data.get("id") == slug:
            raise fail(p, f"already uses the id '{slug}'; ids must be unique in the week")
    n = max(numbers, default=0) + 1
    if n > 99:
        raise fail(folder, "has 99 numbered entries; entry numbers have two digits")
    target = folder / f"{n:02d}-{slug}.yaml"
    assert ENTRY_NAME.match(target.name)
    create(target, entry_yaml(slug, section, title))
    return target


def entry_yaml(slug: str, section: str, title: str | None) -> str:
    head = [
        "# yaml-language-server: $schema=../../schemas/entry.schema.json",
        "# One news item.  Lines starting with '#' are comments; fill in the REQUIRED fields by",
        "# removing the '# ' in front of them.  Text may use **bold**, [label](https://...) and",
        "# [[figure-id]] (printed as 图表 N).  Check with `authoring validate`, `authoring lint`.",
        "",
        f"id: {slug}                 # unique in the week; key_points in week.yaml use it",
        f"section: {section}         # one of the `sections` keys in week.yaml",
    ]
    if title:
        head.append(f"title: {scalar(title)}")
    else:
        head += ["# title: REQUIRED; the item's heading, at most 300 characters, e.g.",
                 "# title: 通义千问发布 Qwen3 系列模型"]
    head += [
        "# date: REQUIRED; when the news happened (YYYY-MM-DD), within the report's two weeks",
        "# date: 2025-04-29",
        "# summary: the cover text when week.yaml lists this id in key_points (then REQUIRED)",
        "# summary: 通义千问发布 Qwen3 系列模型，旗舰模型在多项基准测试中领先。",
        "",
        "# body: REQUIRED; a list of blocks, printed in order.  Each block is one of",
        "#   paragraph, bullets, numbered, terms, figure, figure_row.  Figures are numbered",
        "#   图表 1, 2, ... across the report; refer to one in text as [[its-id]].",
        "#   An example of every block and figure kind (delete what you do not use):",
    ]
    return "\n".join(head + ["#"] + [("# " + l).rstrip() for l in EXAMPLE_BODY.splitlines()]) + "\n"


#: The body in the entry template and README: every block kind and every figure kind.
#: tests/test_scaffold.py validates it, so it stays correct when the schema changes.
EXAMPLE_BODY = """\
body:
  # paragraph: one paragraph of text
  - paragraph: 4月29日，通义千问发布 **Qwen3** 系列模型，旗舰模型的测评见[[qwen3-bench]]，技术报告见[官方博客](https://qwenlm.github.io/blog/qwen3/)。
  # bullets: a list with bullet points
  - bullets:
      - 预训练数据约 36 万亿 token，覆盖 119 种语言和方言。
      - 全部开源模型采用 Apache 2.0 许可协议（[[qwen3-models]]）。
  # numbered: a numbered list
  - numbered:
      - 长思维链冷启动
      - 长思维链强化学习
      - 思维模式融合
      - 通用强化学习
  # terms: a bold lead-in followed by its text
  - terms:
      - term: 混合推理
        text: 用户可按任务在深入思考与快速响应之间切换（[[qwen3-arena]]、[[qwen3-training]]）。
  # figure, kind table: columns and rows (a cell is text, a number or empty)
  - figure:
      kind: table
      id: qwen3-bench
      title: Qwen3-235B-A22B 部分测评结果
      sources: [Qwen]                     # printed as 资料来源：Qwen，中邮证券研究所
      columns:
        - {title: 基准, width: 0.4}
        - {title: Qwen3-235B-A22B, align: right}
        - {title: DeepSeek-R1, align: right}
      rows:
        - [ArenaHard, 95.6, 93.2]
        - ["AIME'24", 85.7, 79.8]
      notes:
        - 数据来自官方测评。
  # figure, kind table with groups: a merged first column and a header row above
  - figure:
      kind: table
      id: qwen3-models
      title: Qwen3 开源模型
      sources: [Qwen]
      header_groups:
        - {title: "", span: 1}
        - {title: 开源模型, span: 2}
      group_title: 架构
      columns:
        - {title: 模型}
        - {title: 许可}
      groups:
        - title: MoE
          rows:
            - [Qwen3-235B-A22B, Apache 2.0]
            - [Qwen3-30B-A3B, Apache 2.0]
        - title: Dense
          rows:
            - [Qwen3-32B, Apache 2.0]
  # figure_row: two figures side by side (here a chart and a diagram)
  - figure_row:
      - kind: chart
        id: qwen3-arena
        chart: bar                        # bar, hbar, grouped_bar (several series) or line
        title: ArenaHard 得分
        sources: [Qwen]
        categories: [Qwen3-235B-A22B, Qwen3-30B-A3B, QwQ-32B]
        series:
          - {name: ArenaHard, values: [95.6, 91.0, 89.5]}
      - kind: diagram
        id: qwen3-training
        title: Qwen3 训练流程
        sources: [Qwen]
        direction: vertical               # or horizontal
        steps:                            # or stages: [{title, steps: [...]}]
          - {title: 预训练, text: 三个阶段，上下文扩展至 32K token}
          - {title: 后训练, text: 四个阶段，融合思考与非思考模式}
  # figure, kind quote: a post or statement (translation optional)
  - figure:
      kind: quote
      id: grok-post
      title: 马斯克预告 Grok 3.5
      sources: [X]
      author: Elon Musk
      handle: "@elonmusk"
      platform: X
      date: 2025-04-29
      text: Grok 3.5 早期测试版将于本周向 SuperGrok 订阅者开放。
      note: 原帖为英文，此处为中文转述。
  # figure, kind paper: a paper card
  - figure:
      kind: paper
      id: paper2code-card
      title: Paper2Code 论文
      sources: [arXiv]
      paper_title: "Paper2Code: Automating Code Generation from Scientific Papers in Machine Learning"
      authors: [Minju Seo, Jinheon Baek, Seongyun Lee, Sung Ju Hwang]
      affiliations: [KAIST, DeepAuto.ai]
      # link: the paper's address, https://... (optional)
  # figure, kind image: a PNG or JPEG saved in this week's folder
  - figure:
      kind: image
      id: qwen3-screenshot
      title: Qwen3 发布页面
      sources: [Qwen]
      file: qwen3-screenshot.png
      width: 0.8                          # fraction of the column width
  - paragraph: 引用其余图表：[[grok-post]]、[[paper2code-card]]、[[qwen3-screenshot]]。
"""
