"""`authoring new week` and `authoring new entry`: what they write, and that they never overwrite."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_authoring
from authoring.model import entries as models
from authoring.scaffold.entry import EXAMPLE_BODY
from authoring.scaffold.files import create as _create
from authoring.validate.files import check
from authoring.validate.week import validate_week
from authoring.source.load import load

PREVIOUS_TITLE = "通义千问开源 Qwen3 系列模型——AI 动态汇总 20250512"


@pytest.fixture
def project(project: Path) -> Path:
    """conftest's project with styles/: `new week` lists the previous report in the catalogue
    under the title the brand's title.j2 gives it."""
    shutil.copytree(REPO / "styles", project / "styles")
    return project


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------ new week

def test_new_week_copies_the_previous_week(project: Path):
    result = run_authoring("new", "week", "20250519", cwd=project)
    assert result.returncode == 0, result.stderr
    path = project / "entries" / "20250519" / "week.yaml"
    assert "wrote entries/20250519/week.yaml" in result.stdout
    source, problems = load(path)
    assert source is not None and not problems
    data = source.data
    assert data["series"] == "AI 动态汇总" and data["report_type"] == "金工周报"
    assert data["week"] == "20250519" and data["date"] == "2025-05-19"
    assert data["authors"] == ["xiao-chengzhi", "feng-yuwen"]
    assert data["sections"] == [{"key": "headlines", "title": "AI 重点要闻"},
                                {"key": "research", "title": "技术前沿"}]
    assert "headline" not in data and "key_points" not in data
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/week.schema.json\n")
    assert "# headline:" in text and "# key_points:" in text


def test_new_week_fails_validation_until_headline_and_key_points_are_written(project: Path):
    run_authoring("new", "week", "20250519", cwd=project)
    result = run_authoring("validate", "entries/20250519", cwd=project)
    assert result.returncode == 2
    assert re.search(r"^entries/20250519/week\.yaml:\d+:\d+: headline: field required$", result.stderr, re.M)
    assert re.search(r"^entries/20250519/week\.yaml:\d+:\d+: key_points: field required$", result.stderr, re.M)
    path = project / "entries" / "20250519" / "week.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("# headline:\n", "headline: 测试周标题\n").replace("# key_points: []\n",
                                                                         "key_points: [qwen3]\n")
    path.write_text(text, encoding="utf-8")
    source, _ = load(path)
    week, problems = check(source, models.Week)
    assert week is not None, problems
    assert week.date == dt.date(2025, 5, 19)


def test_new_week_date_option(project: Path):
    result = run_authoring("new", "week", "20250519", "--date", "2025-05-20", cwd=project)
    assert result.returncode == 0, result.stderr
    source, _ = load(project / "entries" / "20250519" / "week.yaml")
    assert source.data["date"] == "2025-05-20"


def test_new_week_appends_the_previous_report_to_the_catalogue(project: Path):
    catalogue = project / "entries" / "catalogue.yaml"
    before = catalogue.read_text(encoding="utf-8")
    assert PREVIOUS_TITLE not in before
    result = run_authoring("new", "week", "20250519", cwd=project)
    assert result.returncode == 0, result.stderr
    after = catalogue.read_text(encoding="utf-8")
    line = f'  - {{title: "{PREVIOUS_TITLE}", date: 2025-05-12}}\n'
    assert after == before.rstrip("\n") + "\n" + line      # one line appended, comments kept
    assert "appended to entries/catalogue.yaml" in result.stdout
    source, _ = load(catalogue)
    parsed, problems = check(source, models.Catalogue)
    assert parsed is not None, problems
    assert parsed.reports[-1].title == PREVIOUS_TITLE and parsed.reports[-1].date == dt.date(2025, 5, 12)


def test_new_week_leaves_a_catalogue_that_lists_the_report_alone(project: Path):
    run_authoring("new", "week", "20250519", cwd=project)
    catalogue = project / "entries" / "catalogue.yaml"
    once = catalogue.read_bytes()
    result = run_authoring("new", "week", "20250526", cwd=project, )
    # 20250519 is not valid yet (no headline), so the copy fails and nothing changes
    assert result.returncode == 2
    assert catalogue.read_bytes() == once
    result = run_authoring("new", "week", "20250526", "--from", "20250512", cwd=project)
    assert result.returncode == 0, result.stderr
    assert catalogue.read_bytes() == once
    assert "already lists" in result.stdout


def test_new_week_with_an_empty_catalogue(project: Path):
    catalogue = project / "entries" / "catalogue.yaml"
    catalogue.write_text("# published reports\nreports: []   # none yet\n", encoding="utf-8")
    result = run_authoring("new", "week", "20250519", cwd=project)
    assert result.returncode == 0, result.stderr
    text = catalogue.read_text(encoding="utf-8")
    assert text.startswith("# published reports\nreports:  # none yet\n  - {title:")
    source, _ = load(catalogue)
    parsed, _ = check(source, models.Catalogue)
    assert [r.title for r in parsed.reports] == [PREVIOUS_TITLE]


def test_new_week_never_overwrites(project: Path):
    folder = project / "entries" / "20250519"
    folder.mkdir()
    (folder / "week.yaml").write_text("# started by hand\n", encoding="utf-8")
    before = snapshot(project)
    result = run_authoring("new", "week", "20250519", cwd=project)
    assert result.returncode == 2
    assert "entries/20250519/week.yaml: already exists" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before
    again = run_authoring("new", "week", "20250512", cwd=project)   # the existing week
    assert again.returncode == 2 and snapshot(project) == before


@pytest.mark.parametrize("args, message", [
    (["2025051"], "'2025051' is not a week tag; expected YYYYMMDD"),
    (["20250532"], "'20250532' is not a calendar date"),
    (["20250101"], "no week folder before 20250101"),
    (["20250519", "--from", "20240101"], "entries/20240101/week.yaml: does not exist"),
])
def test_new_week_bad_input(project: Path, args, message):
    before = snapshot(project)
    result = run_authoring("new", "week", *args, cwd=project)
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    assert snapshot(project) == before


def test_new_week_bad_date_option(project: Path):
    result = run_authoring("new", "week", "20250519", "--date", "2025-05-40", cwd=project)
    assert result.returncode == 64  # a mistake in the command line, not in the entries
    assert "'2025-05-40' is not a date" in result.stderr


# ----------------------------------------------------------------- new entry

def test_new_entry_takes_the_next_number(project: Path):
    result = run_authoring("new", "entry", "20250512", "gemini-25", "--section", "research", cwd=project)
    assert result.returncode == 0, result.stderr
    path = project / "entries" / "20250512" / "02-gemini-25.yaml"
    assert "wrote entries/20250512/02-gemini-25.yaml" in result.stdout
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/entry.schema.json"
    source, problems = load(path)
    assert source.data == {"id": "gemini-25", "section": "research"}
    for field in ("title", "date", "summary", "body"):
        assert f"# {field}:" in text
    for kind in models.BLOCK_KINDS:
        assert f"#   - {kind}:" in text, kind
    for kind in ("table", "chart", "diagram", "quote", "paper", "image"):
        assert f"kind: {kind}" in text, kind
    third = run_authoring("new", "entry", "20250512", "grok", "--section", "headlines",
                          "--title", "xAI 预告 Grok 3.5: 本周开放", cwd=project)
    assert third.returncode == 0
    source, _ = load(project / "entries" / "20250512" / "03-grok.yaml")
    assert source.data["title"] == "xAI 预告 Grok 3.5: 本周开放"


def test_new_entry_fails_validation_until_filled_in(project: Path):
    run_authoring("new", "entry", "20250512", "gemini-25", "--section", "research", cwd=project)
    result = run_authoring("validate", cwd=project)
    assert result.returncode == 2
    for field in ("title", "date", "body"):
        assert f"02-gemini-25.yaml:6:1: {field}: field required" in result.stderr, result.stderr


def test_the_template_example_is_a_valid_lint_clean_entry(project: Path):
    """Uncommenting the example body gives an entry that validates and lints clean."""
    from authoring.validate.lint import lint_week
    from PIL import Image

    run_authoring("new", "entry", "20250512", "example", "--section", "research",
                  "--title", "模板示例", cwd=project)
    path = project / "entries" / "20250512" / "02-example.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("# body:")
    body = [re.sub(r"^# ?", "", line) for line in lines[start:]]
    path.write_text("\n".join(lines[:start] + ["date: 2025-05-06"] + body) + "\n", encoding="utf-8")
    Image.new("RGB", (40, 30), "white").save(path.parent / "qwen3-screenshot.png")
    src = validate_week(path.parent, project / "entries")
    entry = next(e for e in src.entries if e.model.id == "example")
    assert [type(b).__name__ for b in entry.model.body][:7] == [
        "ParagraphBlock", "BulletsBlock", "NumberedBlock", "TermsBlock", "FigureBlock",
        "FigureBlock", "FigureRowBlock"]
    import os
    old = os.getcwd()
    os.chdir(project)
    try:
        assert [str(d) for d in lint_week(project, "20250512")] == []
    finally:
        os.chdir(old)


def test_new_entry_never_overwrites(project: Path):
    folder = project / "entries" / "20250512"
    (folder / "02-gemini.yaml").write_text("id: gemini\n", encoding="utf-8")
    before = snapshot(project)
    for slug in ("gemini", "qwen3"):   # same slug as a file; same id as an entry
        result = run_authoring("new", "entry", "20250512", slug, "--section", "research", cwd=project)
        assert result.returncode == 2, slug
        assert "Traceback" not in result.stderr
        assert snapshot(project) == before
    assert "02-gemini.yaml: already exists with the slug 'gemini'" in \
        run_authoring("new", "entry", "20250512", "gemini", "--section", "research", cwd=project).stderr


def test_create_refuses_an_existing_file(tmp_path: Path):
    """The last line of defence: even a file appearing after the checks is not truncated."""
    from authoring.diagnostics import Failed

    target = tmp_path / "01-x.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    with pytest.raises(Failed):
        _create(target, "new text\n")
    assert target.read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.parametrize("args, message", [
    (["20250519", "x", "--section", "research"], "entries/20250519/week.yaml: does not exist; start the week with `authoring new week 20250519`"),
    (["20250512", "Bad_Slug", "--section", "research"], "'Bad_Slug' is not a usable id"),
    (["20250512", "x", "--section", "reserch"], "no section 'reserch' in this week; did you mean 'research'?"),
])
def test_new_entry_bad_input(project: Path, args, message):
    before = snapshot(project)
    result = run_authoring("new", "entry", *args, cwd=project)
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    assert snapshot(project) == before


def test_new_entry_requires_a_section(project: Path):
    result = run_authoring("new", "entry", "20250512", "x", cwd=project)
    assert result.returncode == 64 and "--section" in result.stderr  # a usage error


# ----------------------------------------------------------------- help, docs

def test_help_says_what_the_readme_says():
    new = run_authoring("new", "--help", cwd=REPO).stdout
    assert "ever overwrites a file" in new and "field required" in new and "catalogue" in new
    lint = run_authoring("lint", "--help", cwd=REPO).stdout
    for word in ("file:line:col: warning:", "将将", "6B", "风险提示", "--strict", "14 days"):
        assert word in lint, word
    assert "contact-sheet.png" in run_authoring("preview", "--help", cwd=REPO).stdout
    assert "Ctrl-C" in run_authoring("watch", "--help", cwd=REPO).stdout


def test_readme_for_analysts_holds_the_template_example():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## For analysts"):]
    assert EXAMPLE_BODY in section
    for heading in ("How to add a week", "How to write an entry", "How to read an error",
                    "How to preview", "How to lint"):
        assert heading in section
