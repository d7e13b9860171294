"""Reliability: text is text, safe templates and YAML, reproducible and atomic output,
clean errors for content the layout cannot place, and interruptions that lose nothing.

Each test runs on the minimal project of conftest.py (plus a copy of styles/), with a font
cache shared by this module so that fonts are converted once.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
import yaml
from pypdf import PdfReader

from authoring import cli
from authoring.build import build_week
from authoring.diagnostics import Failed

from conftest import MINIMAL_WEEK, REPO, as_from_a_shell, run_authoring

WEEK = MINIMAL_WEEK
PDF_NAME = f"AI动态汇总_{WEEK}.pdf"
DIAG = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")


@pytest.fixture(scope="module")
def font_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("authoring-cache")


@pytest.fixture
def proj(project: Path, font_cache: Path, monkeypatch) -> Path:
    """The minimal project with styles/, the shared font cache, and cwd = the project."""
    shutil.copytree(REPO / "styles", project / "styles")
    monkeypatch.setenv("AUTHORING_CACHE", str(font_cache))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("AUTHORING_DEBUG", raising=False)
    monkeypatch.chdir(project)
    return project


def entry_path(root: Path) -> Path:
    return root / "entries" / WEEK / "01-qwen3.yaml"


def load_entry(root: Path) -> dict:
    return yaml.safe_load(entry_path(root).read_text(encoding="utf-8"))


def save_entry(root: Path, data: dict) -> None:
    entry_path(root).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def pdf_path(root: Path) -> Path:
    return root / "build" / WEEK / PDF_NAME


def build_dir_listing(root: Path) -> list[str]:
    folder = root / "build" / WEEK
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages)


def squeeze(text: str) -> str:
    """Without white space: the typesetter adds gaps (Han-Latin spacing, justification) and
    breaks lines, which text extraction reports as spaces and newlines."""
    return re.sub(r"\s+", "", text)


def assert_clean_failure(result: subprocess.CompletedProcess) -> list[re.Match]:
    """Exit 2, `file:line:col: message` lines (or `file: message`), no traceback."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    assert re.fullmatch(r"\d+ error\(s\); nothing was written", lines[-1]), result.stderr
    for line in lines[:-1]:
        assert DIAG.match(line) or re.match(r"^[^:\s]+\.(yaml|j2): .+", line), line
    return [m for m in map(DIAG.match, lines) if m]


# ------------------------------------------------------------------------- text is text

LITERALS = ["<", ">", "&", '<font color="red">x</font>', "<think>", "R&D", "a<b", "&amp;", "&lt;b&gt;",
            "C:\\path\\n", "**bold", "]]", "[x]", "{{ week.week }}", "{% if x %}", "<br/>", "</para>", "[["]


def test_text_is_text_in_the_pdf(proj: Path, font_cache: Path):
    data = load_entry(proj)
    data["title"] = "标题 <think>推理</think> R&D a<b"
    data["body"][0]["paragraph"] = ("正文 " + " 与 ".join(LITERALS[:9])
                                    + "，见 [[qwen3-sizes]]。")
    data["body"].insert(1, {"bullets": [" 和 ".join(LITERALS[9:])]})
    table = data["body"][-1]["figure"]
    table["rows"][0][0] = '<font color="red">x</font>'
    table["rows"][1][1] = "a<b & C:\\path\\n"
    table["title"] = "表 <b>粗</b> & R&D"
    save_entry(proj, data)

    result = build_week(proj, WEEK, cache=font_cache)
    text = squeeze(pdf_text(result.pdf))
    for needle in LITERALS + ["<think>推理</think>", "<b>粗</b>", "a<b&C:\\path\\n"]:
        assert squeeze(needle) in text, f"{needle!r} is not printed literally"
    assert "图表1" in text  # the reference itself is still markup
    assert "**bold" in text and "{{week.week}}" in text and WEEK in text


# ------------------------------------------------------------------------- templates

@pytest.mark.parametrize("template,line,message", [
    ("title.j2", 2, "template error: 'no_such_variable' is undefined"),
    ("source_line.j2", 1, "has no attribute 'no_such_key'"),
])
def test_template_undefined_variable_is_an_error(proj: Path, template, line, message):
    path = proj / "styles" / "templates" / template
    if line == 1:
        path.write_text("资料来源：{{ brand.no_such_key }}\n", encoding="utf-8")
    else:
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n{{ no_such_variable }}\n",
                        encoding="utf-8")
    result = run_authoring("build", WEEK, cwd=proj)
    found = assert_clean_failure(result)
    assert any(m["file"] == f"styles/templates/{template}" and int(m["line"]) == line
               and message in m["message"] for m in found), result.stderr
    assert build_dir_listing(proj) == []


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ lipsum.__globals__['os'].system('touch PWNED') }}",
    "{{ brand.__class__.__init__.__globals__ }}",
    "{{ range(10**9) | list }}",
])
def test_template_sandbox_stops_escapes(proj: Path, attack: str):
    (proj / "styles" / "templates" / "title.j2").write_text("{{ week.headline }}\n" + attack + "\n",
                                                           encoding="utf-8")
    result = run_authoring("build", WEEK, cwd=proj)
    found = assert_clean_failure(result)
    assert any(m["file"] == "styles/templates/title.j2" and m["line"] == "2"
               and "template error" in m["message"] for m in found), result.stderr
    assert not (proj / "PWNED").exists()
    assert build_dir_listing(proj) == []


def test_entry_text_is_never_a_template(proj: Path, font_cache: Path):
    data = load_entry(proj)
    data["title"] = "{{ brand.__class__ }} {% for x in range(3) %}{{ x }}{% endfor %}"
    save_entry(proj, data)
    text = squeeze(pdf_text(build_week(proj, WEEK, cache=font_cache).pdf))
    assert squeeze(data["title"]) in text


# ------------------------------------------------------------------------- reproducible

def test_source_date_epoch_sets_the_creation_date(proj: Path, font_cache: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build_week(proj, WEEK, out_dir=proj / "a", cache=font_cache).pdf.read_bytes()
    meta = PdfReader(proj / "a" / PDF_NAME).metadata
    want = dt.datetime.fromtimestamp(1700000000, dt.timezone.utc)
    assert meta.creation_date == want and meta.modification_date == want
    assert b"D:20231114221320" in first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    other = build_week(proj, WEEK, out_dir=proj / "b", cache=font_cache).pdf.read_bytes()
    assert PdfReader(proj / "b" / PDF_NAME).metadata.creation_date == \
        dt.datetime.fromtimestamp(1600000000, dt.timezone.utc)
    assert b"D:2020091312264" in other and first != other


# ------------------------------------------------------------------------- atomic write

@pytest.fixture
def good_pdf(proj: Path, font_cache: Path) -> bytes:
    """A first good build: the PDF that later failures must not touch."""
    build_week(proj, WEEK, cache=font_cache)
    return pdf_path(proj).read_bytes()


def test_failed_build_keeps_the_previous_pdf(proj: Path, good_pdf: bytes):
    before = build_dir_listing(proj)
    stamp = pdf_path(proj).stat().st_mtime_ns
    entry_path(proj).write_text("id: qwen3\ntitle: [unclosed\n", encoding="utf-8")
    result = run_authoring("build", WEEK, cwd=proj)
    assert_clean_failure(result)
    assert pdf_path(proj).read_bytes() == good_pdf
    assert pdf_path(proj).stat().st_mtime_ns == stamp
    assert build_dir_listing(proj) == before == [PDF_NAME]


def test_interrupted_layout_leaves_the_previous_pdf(proj: Path, good_pdf: bytes, monkeypatch, capsys):
    from authoring.layout import document

    calls = {"n": 0}
    original = document.ReportDoc.handle_flowable

    def interrupt_midway(self, flowables):
        calls["n"] += 1
        if calls["n"] == 25:
            raise KeyboardInterrupt
        return original(self, flowables)

    monkeypatch.setattr(document.ReportDoc, "handle_flowable", interrupt_midway)
    data = load_entry(proj)
    data["title"] = "新标题"  # a different PDF would be written if the build got through
    save_entry(proj, data)
    assert cli.main(["build", WEEK]) == 130
    err = capsys.readouterr().err
    assert "interrupted; nothing was written" in err and "Traceback" not in err
    assert calls["n"] == 25
    assert pdf_path(proj).read_bytes() == good_pdf
    assert build_dir_listing(proj) == [PDF_NAME]


def test_interrupted_write_leaves_no_partial_or_temporary_file(proj: Path, good_pdf: bytes, monkeypatch,
                                                               capsys):
    """Interrupted after the new bytes went to the temporary file, before the rename
    (the PDF is written durably: fsync, then rename)."""
    seen = []

    def fsync_then_interrupt(fd):
        seen.extend(p.name for p in (proj / "build" / WEEK).iterdir())
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", fsync_then_interrupt)
    data = load_entry(proj)
    data["title"] = "另一个标题"
    save_entry(proj, data)
    assert cli.main(["build", WEEK]) == 130
    assert "Traceback" not in capsys.readouterr().err
    assert any(n.startswith(f".{PDF_NAME}.") and n.endswith(".tmp") for n in seen), seen  # it was there
    assert pdf_path(proj).read_bytes() == good_pdf
    assert build_dir_listing(proj) == [PDF_NAME]


SLOW_WRITER = """
import os, sys, time

def slow_fsync(fd):  # the PDF's durable write: bytes are in the temporary file, no rename yet
    print("WRITING", flush=True)
    time.sleep(60)

os.fsync = slow_fsync
from authoring.cli import main
sys.exit(main(["build", sys.argv[1]]))
"""


@pytest.mark.parametrize("sig,code,message", [
    (signal.SIGINT, 130, "interrupted; nothing was written"),
    (signal.SIGTERM, 143, "terminated; nothing was written"),
])
def test_signal_during_write_leaves_the_previous_pdf(proj: Path, good_pdf: bytes, sig, code, message):
    data = load_entry(proj)
    data["title"] = "被中断的构建"
    save_entry(proj, data)
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    child = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, WEEK], cwd=proj, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                             preexec_fn=as_from_a_shell)
    try:
        line = child.stdout.readline()
        assert line.strip() == "WRITING", line + child.stderr.read()
        tmp = [n for n in build_dir_listing(proj) if n.endswith(".tmp")]
        assert tmp, "the temporary file should exist while writing"
        child.send_signal(sig)
        _out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == code, err
    assert message in err and "Traceback" not in err, err
    assert pdf_path(proj).read_bytes() == good_pdf
    assert build_dir_listing(proj) == [PDF_NAME]


def test_killed_build_never_leaves_a_partial_pdf(proj: Path, good_pdf: bytes):
    """SIGKILL cannot be cleaned up after: the half-written temporary file stays (hidden),
    but the PDF under its real name is the previous one, whole."""
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    child = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, WEEK], cwd=proj, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        assert child.stdout.readline().strip() == "WRITING"
        child.kill()
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    assert pdf_path(proj).read_bytes() == good_pdf
    leftovers = [n for n in build_dir_listing(proj) if n != PDF_NAME]
    assert all(n.startswith(".") and n.endswith(".tmp") for n in leftovers), leftovers


def test_unwritable_output_is_a_clean_error(proj: Path):
    (proj / "not-a-folder").write_text("x", encoding="utf-8")
    result = run_authoring("build", WEEK, "--out", "not-a-folder/sub", cwd=proj)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(r"^error: .*not-a-folder.*nothing was written$", result.stderr, re.M), result.stderr


def test_unexpected_exception_is_reported_without_traceback(proj: Path, monkeypatch, capsys):
    import authoring.build as build_module

    def broken(*args, **kwargs):
        raise RuntimeError("something unforeseen")

    monkeypatch.setattr(build_module, "build_week", broken)
    assert cli.main(["build", WEEK]) == 70
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: something unforeseen" in err and "Traceback" not in err
    monkeypatch.setenv("AUTHORING_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main(["build", WEEK])


# ------------------------------------------------------------------------- YAML safety

@pytest.mark.parametrize("tag", [
    '!!python/object/apply:os.system ["touch {marker}"]',
    '!!python/object/apply:subprocess.check_call [["touch", "{marker}"]]',
    '!!python/object/new:subprocess.Popen [["touch", "{marker}"]]',
    '!!python/name:os.system',
    '!!python/module:os',
])
@pytest.mark.parametrize("command", ["validate", "build"])
def test_python_tags_never_run(proj: Path, tmp_path: Path, tag: str, command: str):
    marker = tmp_path / "pwned"
    text = entry_path(proj).read_text(encoding="utf-8")
    text = text.replace("title: 通义千问发布 Qwen3 系列模型", "title: " + tag.format(marker=marker))
    entry_path(proj).write_text(text, encoding="utf-8")
    result = run_authoring(command, *([WEEK] if command == "build" else []), cwd=proj)
    assert "Traceback" not in result.stderr and result.returncode == 2, result.stderr
    assert re.search(r"^entries/20250512/01-qwen3\.yaml:3:8: .*python", result.stderr, re.M), result.stderr
    assert not marker.exists()
    assert build_dir_listing(proj) == []


def test_python_tag_in_styles_never_runs(proj: Path, tmp_path: Path):
    marker = tmp_path / "pwned"
    theme = proj / "styles" / "theme.yaml"
    theme.write_text(theme.read_text(encoding="utf-8") +
                     f'\nextra: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    result = run_authoring("build", WEEK, cwd=proj)
    assert "Traceback" not in result.stderr and result.returncode == 2, result.stderr
    assert "styles/theme.yaml:" in result.stderr
    assert not marker.exists()


# ------------------------------------------------------------------------- layout failures

def _diag_of(exc: Failed) -> str:
    assert len(exc.diagnostics) == 1, exc.diagnostics
    return str(exc.diagnostics[0])


LONG = "很长的单元格内容，" * 450  # about 4000 characters: taller than a page in a table cell


def test_table_row_taller_than_a_page_is_a_clean_error(proj: Path):
    data = load_entry(proj)
    data["body"][-1]["figure"]["rows"][1][1] = LONG
    save_entry(proj, data)
    result = run_authoring("build", WEEK, cwd=proj)
    found = assert_clean_failure(result)
    assert len(found) == 1, result.stderr
    m = found[0]
    assert m["file"] == "entries/20250512/01-qwen3.yaml"
    line = entry_path(proj).read_text(encoding="utf-8").splitlines()[int(m["line"]) - 1]
    assert "Qwen3-4B" in line and "id:" not in line  # the row itself (its first cell's line)
    assert "body[1].figure.rows[1]: this row of 图表 1 ('qwen3-sizes') is taller than a page" in m["message"]
    assert build_dir_listing(proj) == []
    again = run_authoring("validate", cwd=proj)  # validate says the same, at the same place
    assert again.returncode == 2 and f"{m['file']}:{m['line']}:{m['col']}: {m['message']}" in again.stderr, \
        again.stderr


@pytest.mark.parametrize("figure,expected", [
    ({"kind": "quote", "id": "big", "title": "引语", "sources": ["X"], "author": "某人", "text": LONG[:4900]},
     "this quote is taller than a page"),
    ({"kind": "paper", "id": "big", "title": "论文", "sources": ["arXiv"], "paper_title": "题目",
      "authors": ["甲"], "abstract": LONG[:4900]}, "this paper is taller than a page"),
    ({"kind": "diagram", "id": "big", "title": "流程", "sources": ["X"],
      "steps": [{"title": f"第{i}步", "text": "说明"} for i in range(40)]}, "this diagram is taller than a page"),
    ([{"kind": "diagram", "id": "big", "title": "流程", "sources": ["X"],
       "steps": [{"title": f"第{i}步"} for i in range(60)]},
      {"kind": "quote", "id": "small", "title": "引语", "sources": ["X"], "author": "某人", "text": "短。"}],
     "the figures side by side are taller than a page"),
])
def test_figure_taller_than_a_page_is_a_clean_error(proj: Path, font_cache: Path, figure, expected):
    data = load_entry(proj)
    data["body"].append({"figure_row": figure} if isinstance(figure, list) else {"figure": figure})
    save_entry(proj, data)
    with pytest.raises(Failed) as failed:
        build_week(proj, WEEK, cache=font_cache)
    text = _diag_of(failed.value)
    assert text.startswith("entries/20250512/01-qwen3.yaml:"), text
    assert "图表 2 ('big'): " + expected in text, text
    assert build_dir_listing(proj) == []


def test_chart_matplotlib_refuses_is_a_clean_error(proj: Path, font_cache: Path, monkeypatch):
    import authoring.charts as charts

    def refuse(*args, **kwargs):
        raise ValueError("Axis limits cannot be NaN or Inf")

    monkeypatch.setattr(charts, "render_chart", refuse)
    data = load_entry(proj)
    data["body"].append({"figure": {"kind": "chart", "chart": "bar", "id": "c", "title": "柱状图",
                                    "sources": ["X"], "categories": ["甲", "乙"],
                                    "series": [{"name": "值", "values": [1, 2]}]}})
    save_entry(proj, data)
    with pytest.raises(Failed) as failed:
        build_week(proj, WEEK, cache=font_cache)
    text = _diag_of(failed.value)
    assert re.match(r"entries/20250512/01-qwen3\.yaml:\d+:\d+: 图表 2 \('c'\): the chart cannot be drawn: "
                    r"Axis limits cannot be NaN or Inf", text), text


@pytest.mark.parametrize("values", [["inf", 1], [1e308, -1e308]])
def test_chart_values_matplotlib_cannot_scale_are_a_clean_error(proj: Path, font_cache: Path, values):
    data = load_entry(proj)
    data["body"].append({"figure": {"kind": "chart", "chart": "bar", "id": "c", "title": "柱状图",
                                    "sources": ["X"], "categories": ["甲", "乙"],
                                    "series": [{"name": "值", "values": values}]}})
    save_entry(proj, data)
    with pytest.raises(Failed) as failed:
        build_week(proj, WEEK, cache=font_cache)
    # the schema refuses them now, one diagnostic per value, at the value
    for d in failed.value.diagnostics:
        assert re.match(r"entries/20250512/01-qwen3\.yaml:\d+:\d+: body\[2\]\.figure\.series\[0\]\.values\[\d\]: ",
                        str(d)), str(d)


def test_any_exception_in_the_layout_names_the_place(proj: Path, monkeypatch, capsys):
    """A reportlab failure we did not foresee is still a diagnostic, not a traceback."""
    from authoring.layout import paragraph

    original = paragraph.CJKParagraph.wrap

    def wrap(self, aw, ah):
        if any("BOOM" in r.text for r in self.runs):
            raise ZeroDivisionError("float division by zero")
        return original(self, aw, ah)

    monkeypatch.setattr(paragraph.CJKParagraph, "wrap", wrap)
    data = load_entry(proj)
    data["body"][-1]["figure"]["rows"][0][0] = "BOOM"
    data["body"].insert(0, {"paragraph": "正文 BOOM"})
    save_entry(proj, data)
    assert cli.main(["build", WEEK]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert re.search(r"^entries/20250512/01-qwen3\.yaml(:\d+:\d+)?: internal error laying out .*"
                     r"ZeroDivisionError: float division by zero", err, re.M), err
    assert build_dir_listing(proj) == []


# Content at the edges of the layout (a pasted blob with no break opportunity, the narrowest
# column allowed): the week must still build.

def _first_column(pdf: Path) -> str:
    """The table's first column read top to bottom: the characters left of the header
    对照, from the header row 模型 对照 down to the source line."""
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            chars = [c for c in page.chars if not c["text"].isspace()]
            for c in chars:
                assert 0 <= c["x0"] and c["x1"] <= page.width, c  # nothing drawn off the page
            rows: dict[int, list] = {}
            for c in chars:
                rows.setdefault(round(c["top"]), []).append(c)
            header = [r for r in rows.values() if "".join(c["text"] for c in sorted(r, key=lambda c: c["x0"]))
                      == "模型对照"]
            if not header:
                continue
            right = next(c["x0"] for c in header[0] if c["text"] == "对")
            top = header[0][0]["top"]
            bottom = min(c["top"] for c in chars if c["text"] == "资" and c["top"] > top)
            column = sorted((c for c in chars if c["x1"] <= right and top - 1 <= c["top"] < bottom),
                            key=lambda c: (round(c["top"]), c["x0"]))
            return "".join(c["text"] for c in column)
    raise AssertionError("no table with the header 模型 对照 in the PDF")


@pytest.mark.parametrize("change", ["token", "width"])
def test_extreme_column_widths_build(proj: Path, font_cache: Path, change: str):
    data = load_entry(proj)
    fig = data["body"][-1]["figure"]
    if change == "token":  # e.g. a pasted base64 blob: the typesetter breaks it anywhere
        fig["rows"] = [["QUJD" * 100, "开源"], ["Qwen3-4B", "开源"]]
        want = "模型" + "QUJD" * 100 + "Qwen3-4B"
    else:
        fig["columns"] = [{"title": "模型", "width": 0.03}, {"title": "对照", "width": 1}]  # the narrowest allowed
        want = "模型Qwen3-30B-A3BQwen3-4B"
    save_entry(proj, data)
    result = build_week(proj, WEEK, cache=font_cache)
    # the whole cell is there, in its own column, broken into lines that fit the page
    assert _first_column(result.pdf) == want


def test_dollar_signs_in_a_chart_are_text(proj: Path, font_cache: Path, monkeypatch):
    from matplotlib import mathtext

    parsed = []
    parse = mathtext.MathTextParser.parse
    monkeypatch.setattr(mathtext.MathTextParser, "parse",
                        lambda self, s, *a, **kw: parsed.append(s) or parse(self, s, *a, **kw))
    charts_before = set((font_cache / "charts").glob("*.png"))
    data = load_entry(proj)
    data["body"].append({"figure": {"kind": "chart", "chart": "bar", "id": "c", "title": "价格",
                                    "sources": ["X"], "categories": ["$\\frac{1}{2$", "$x^2$ 美元"],
                                    "series": [{"name": "$ 价格", "values": [1, 2]}], "unit": "$"}})
    save_entry(proj, data)
    result = build_week(proj, WEEK, cache=font_cache)
    assert set((font_cache / "charts").glob("*.png")) - charts_before  # the chart was drawn now
    assert parsed == []  # no label was read as a $...$ formula
    assert "图表2：价格" in squeeze(pdf_text(result.pdf))


def test_invisible_characters_never_print_as_notdef(proj: Path, font_cache: Path):
    data = load_entry(proj)
    data["body"][0]["paragraph"] = "甲\x07乙\x1b丙\x85丁\u200b戊\ufeff己\x7f庚，见 [[qwen3-sizes]]。"
    save_entry(proj, data)
    try:
        result = build_week(proj, WEEK, cache=font_cache)
    except Failed as failed:  # a clean error naming the character is fine too
        assert all(DIAG.match(str(d)) for d in failed.diagnostics), failed.diagnostics
        return
    text = pdf_text(result.pdf)
    assert "\x00" not in text, repr(text[text.find("甲"):text.find("庚") + 1])
