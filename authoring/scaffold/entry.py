"""`authoring new week` and `authoring new entry`: start a week or an item from a template.

Both commands check everything first and then write new files only: an existing
file is never overwritten (exit code 2, nothing written).  The fields an analyst
must decide (a week's headline and key points; an entry's title, date and body)
are written as comments, so `authoring validate` says "field required" until
they are filled in; nothing that looks finished is ever made up.

`new week` also appends the previous week's report to entries/catalogue.yaml
(one line, the file's comments and layout untouched) so that it is listed
under 近期研究报告 on the new cover.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..atomic import write_text
from ..model import entries as models
from ..diagnostics import Diagnostic, Failed, display_path
from ..validate.week import ENTRY_NAME, check
from ..source.load import load

WEEK_TAG = re.compile(r"^\d{8}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass
class Written:
    created: list[Path] = field(default_factory=list)
    appended: list[tuple[Path, str]] = field(default_factory=list)  # (file, line)
    notes: list[str] = field(default_factory=list)


def _fail(path, message: str, line: int = 0, col: int = 0) -> Failed:
    return Failed([Diagnostic(display_path(path), line, col, message)])


def _tag_date(week: str, where) -> dt.date:
    if not WEEK_TAG.match(week):
        raise _fail(where, f"'{week}' is not a week tag; expected YYYYMMDD, e.g. 20250512")
    try:
        return dt.datetime.strptime(week, "%Y%m%d").date()
    except ValueError:
        raise _fail(where, f"'{week}' is not a calendar date; expected YYYYMMDD, e.g. 20250512") from None


def scalar(value) -> str:
    """`value` as a YAML scalar that reads back as the same text (plain when safe)."""
    text = str(value)
    try:
        if text == text.strip() and yaml.safe_load(f"k: {text}") == {"k": text} \
                and yaml.safe_load(f"[{text}]") == [text] and "#" not in text:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def flow_list(values) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


# ---------------------------------------------------------------------- weeks

def previous_week(entries: Path, week: str) -> Path | None:
    earlier = sorted(p for p in entries.iterdir()
                     if p.is_dir() and WEEK_TAG.match(p.name) and p.name < week
                     and (p / "week.yaml").exists())
    return earlier[-1] if earlier else None


def _load_week(path: Path) -> models.Week:
    source, problems = load(path)
    if source is None:
        raise Failed(problems)
    week, problems = check(source, models.Week)
    if week is None:
        raise Failed(problems)
    return week


def new_week(root: Path, week: str, date: dt.date | None = None,
             copy_from: str | None = None) -> Written:
    """Create entries/<week>/week.yaml from the previous week and list that week in the catalogue."""
    root = Path(root)
    entries = root / "entries"
    if not entries.is_dir():
        raise _fail(entries, "no entries/ folder here; run authoring from the project folder")
    folder = entries / week
    tag_date = _tag_date(week, folder)
    target = folder / "week.yaml"
    if target.exists():
        raise _fail(target, "already exists; `new week` never overwrites a file (edit it, or "
                            "delete it first to start again)")
    if copy_from:
        prev_folder = entries / copy_from
        if not (prev_folder / "week.yaml").exists():
            raise _fail(prev_folder / "week.yaml", "does not exist; --from names a week folder with a week.yaml")
    else:
        prev_folder = previous_week(entries, week)
        if prev_folder is None:
            raise _fail(entries, f"no week folder before {week} to copy the series, authors and "
                                 "sections from; write the first week.yaml by hand (see README)")
    prev = _load_week(prev_folder / "week.yaml")
    date = date or tag_date

    week_text = week_yaml(prev, week, date, prev_folder.name)
    catalogue = entries / "catalogue.yaml"
    new_catalogue, line = catalogue_with(catalogue, prev)

    out = Written()
    folder.mkdir(parents=True, exist_ok=True)
    _create(target, week_text)
    out.created.append(target)
    if new_catalogue is not None:
        write_text(catalogue, new_catalogue)
        out.appended.append((catalogue, line))
    else:
        out.notes.append(f"{display_path(catalogue)} already lists {prev.title}")
    return out


def week_yaml(prev: models.Week, week: str, date: dt.date, prev_name: str) -> str:
    lines = [
        "# yaml-language-server: $schema=../../schemas/week.schema.json",
        f"# Week {week}, started by `authoring new week` from {prev_name} (series, authors, sections).",
        "# Still to write: `headline` and `key_points` (commented below); until then",
        "# `authoring validate` reports them as 'field required'.",
        f"series: {scalar(prev.series)}",
        f"report_type: {scalar(prev.report_type)}",
        f'week: "{week}"',
        f"date: {date.isoformat()}             # publication date",
        "",
        f"# headline: the title before '——{prev.series} {week}'; REQUIRED.",
        f"#   ({prev_name}'s was: {prev.headline})",
        "# headline:",
        f"authors: {flow_list(prev.authors)}",
        "sections:",
    ]
    for s in prev.sections:
        lines.append(f"  - {{key: {scalar(s.key)}, title: {scalar(s.title)}}}")
    lines += [
        "",
        "# key_points: ids of the entries shown on the cover, in order; each needs a `summary`.",
        "#   REQUIRED, e.g. key_points: [first-entry-id, second-entry-id]",
        "# key_points: []",
        "",
        "# risk: the 风险提示 text; without it the brand's default (styles/brand.yaml) is printed.",
    ]
    if prev.risk:
        lines.append(f"#   ({prev_name}'s was: {prev.risk})")
    lines += [
        f"recent_reports: {prev.recent_reports}   # how many catalogue reports the cover lists",
        "# keywords: [Name, Other name]          # optional, for the PDF's metadata",
        "",
    ]
    return "\n".join(lines)


def catalogue_with(path: Path, prev: models.Week) -> tuple[str | None, str]:
    """The catalogue's text with the previous report appended, or None if it is listed."""
    source, problems = load(path) if path.exists() else (None, [])
    if not path.exists():
        raise _fail(path, "missing; the catalogue lists published reports (see README)")
    if source is None:
        raise Failed(problems)
    catalogue, problems = check(source, models.Catalogue)
    if catalogue is None:
        raise Failed(problems)
    title = prev.title
    tail = f"{prev.series}{prev.week}".replace(" ", "")
    for r in catalogue.reports:
        if r.title == title or r.title.replace(" ", "").endswith("——" + tail):
            return None, ""
    text = path.read_text(encoding="utf-8")
    item = f"{{title: {json.dumps(title, ensure_ascii=False)}, date: {prev.date.isoformat()}}}"
    items = re.findall(r"(?m)^([ \t]*)- ", text)
    if re.search(r"(?m)^reports:[ \t]*\[\][ \t]*(#.*)?$", text):
        new = re.sub(r"(?m)^reports:[ \t]*\[\][ \t]*(#.*)?$", lambda m: "reports:" + (
            "  " + m.group(1) if m.group(1) else "") + f"\n  - {item}", text, count=1)
        line = f"  - {item}"
    else:
        indent = items[-1] if items else "  "
        line = f"{indent}- {item}"
        new = text.rstrip("\n") + "\n" + line + "\n"
    # the edited text must read back as the same catalogue plus one report
    check_source, _ = _load_text(path, new)
    ok = False
    if check_source is not None:
        edited, _ = check(check_source, models.Catalogue)
        ok = (edited is not None and len(edited.reports) == len(catalogue.reports) + 1
              and edited.reports[-1].title == title)
    if not ok:
        raise _fail(path, f"could not append '{title}' automatically (unusual layout); add "
                          f"'- {item}' under reports: by hand")
    return new, line


def _load_text(path: Path, text: str):
    fd, tmp = tempfile.mkstemp(suffix=".yaml")  # outside the project: watchers must not see it
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        return load(Path(tmp))
    finally:
        os.unlink(tmp)


# -------------------------------------------------------------------- entries

def new_entry(root: Path, week: str, slug: str, section: str | None,
              title: str | None = None) -> Path:
    """Write entries/<week>/<NN>-<slug>.yaml from the template."""
    root = Path(root)
    folder = root / "entries" / week
    week_file = folder / "week.yaml"
    if not week_file.exists():
        hint = f"; start the week with `authoring new week {week}`" if not folder.exists() else ""
        raise _fail(week_file, f"does not exist{hint}")
    if not SLUG.match(slug):
        raise _fail(folder, f"'{slug}' is not a usable id; use lowercase letters, digits and '-' "
                            "(e.g. qwen3-bench)")
    source, problems = load(week_file)
    if source is None:
        raise Failed(problems)
    keys = [s.get("key") for s in (source.data.get("sections") or [])
            if isinstance(s, dict)] if isinstance(source.data, dict) else []
    if not keys:
        raise _fail(week_file, "has no sections; list the week's sections before adding entries")
    if section is None:
        raise _fail(week_file, f"give the entry's section with --section; this week has: {', '.join(keys)}")
    if section not in keys:
        hint = difflib.get_close_matches(section, keys, n=1)
        raise _fail(week_file, f"no section '{section}' in this week"
                    + (f"; did you mean '{hint[0]}'?" if hint else f"; sections: {', '.join(keys)}"))
    numbers = []
    for p in sorted(folder.iterdir()):
        if p.suffix not in (".yaml", ".yml") or p.stem == "week":
            continue
        m = re.match(r"^(\d{2})-(.*)$", p.stem)
        if m:
            numbers.append(int(m.group(1)))
            if m.group(2) == slug:
                raise _fail(p, f"already exists with the slug '{slug}'; `new entry` never "
                               "overwrites a file; choose another slug")
        other, _ = load(p)
        if other is not None and isinstance(other.data, dict) and other.data.get("id") == slug:
            raise _fail(p, f"already uses the id '{slug}'; ids must be unique in the week")
    n = max(numbers, default=0) + 1
    if n > 99:
        raise _fail(folder, "has 99 numbered entries; entry numbers have two digits")
    target = folder / f"{n:02d}-{slug}.yaml"
    assert ENTRY_NAME.match(target.name)
    _create(target, entry_yaml(slug, section, title))
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


# ---------------------------------------------------------------------- files

def _create(path: Path, text: str) -> None:
    """Write a new file; refuse (never truncate) when it exists."""
    try:
        with open(path, "x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        raise _fail(path, "already exists; nothing was overwritten") from None


