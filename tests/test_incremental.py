"""Rebuilds in one process (authoring.incremental, what `authoring watch` runs) write the PDF
a fresh `authoring build` of the same files writes, byte for byte.

One Session builds the real week 20250505 through several sequences of edits: paragraphs
changed (new characters among them), text added before a figure until the figure moves to
another page, a figure added, an entry deleted, a broken save and its fix.  After each
sequence its PDF is compared with one written by `python -m authoring build` in a new
process.  The test checks that each edit did what it says (the figure's page changed, the
count of figures grew, ...), so that the comparison covers those cases.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from authoring.diagnostics import Failed

WEEK = "20250505"
PLAIN = ("我们将在后续周报中继续跟踪这一系列模型的落地进展。", "业内普遍关注其在代码与数学推理场景中的实际表现。")
NEW_CHARS = "（本句只为测试新字符：鼹鼷鼯鼱鼩。）"

NEW_FIGURE = """\
  - paragraph: 报告涉及的标注环节可概括为[[annotation-steps]]。
  - figure:
      id: annotation-steps
      kind: diagram
      title: 数据标注的一般环节
      sources: [本文整理]
      steps:
        - {title: 采集, text: 收集原始数据}
        - {title: 标注, text: 由标注员按规范处理}
        - {title: 质检, text: 抽样复核标注结果}
"""


@pytest.fixture
def week(tmp_path: Path, monkeypatch) -> Path:
    root = tmp_path / "project"
    for name in ("entries", "styles"):
        shutil.copytree(REPO / name, root / name)
    monkeypatch.chdir(root)  # as `authoring watch` runs: messages name files from here
    return root


def fresh_pdf(root: Path, out: Path, cache: Path) -> bytes:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               AUTHORING_CACHE=str(cache))
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "authoring", "build", WEEK, "--out", str(out)], cwd=root,
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    return next(out.glob("*.pdf")).read_bytes()


def append_to_paragraph(path: Path, sentence: str, n: int = 0) -> None:
    """Append `sentence` to the n-th one-line paragraph of an entry."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    seen = 0
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*- paragraph: )(?![>|'\"])(.*\S)\s*$", line)
        if m:
            if seen == n:
                lines[i] = m.group(1) + m.group(2) + sentence + "\n"
                path.write_text("".join(lines), encoding="utf-8")
                return
            seen += 1
    raise AssertionError(f"{path} has no paragraph {n}")


def test_rebuilds_in_one_process_write_the_pdf_of_a_fresh_build(week: Path, tmp_path: Path):
    from authoring.incremental import Session

    folder = week / "entries" / WEEK
    cache = tmp_path / "cache"
    session = Session(week, WEEK, out_dir=tmp_path / "watch", cache=cache)
    ref_cache = tmp_path / "cache-fresh"

    def same_as_fresh(result) -> None:
        assert result.pdf.read_bytes() == fresh_pdf(week, tmp_path / "fresh", ref_cache)

    first = session.build()
    same_as_fresh(first)

    # 1. one paragraph edited again and again, with characters never drawn before
    qwen = folder / "01-qwen3.yaml"
    original = qwen.read_text(encoding="utf-8")
    for sentence in (PLAIN[0], NEW_CHARS, PLAIN[1]):
        qwen.write_text(original, encoding="utf-8")
        append_to_paragraph(qwen, sentence)
        edited = session.build()
    assert edited.bytes != first.bytes
    same_as_fresh(edited)

    # 2. text before a figure until the figure is drawn on another page
    prover = folder / "02-deepseek-prover-v2.yaml"
    dest = next(d for d in first.marks if d.startswith("fig-") and "prover-v2-results" in d)
    before = edited.marks[dest]
    moved = edited
    for k in range(12):
        append_to_paragraph(prover, PLAIN[k % 2] * 12, n=0)
        moved = session.build()
        if moved.marks[dest] != before:
            break
    assert moved.marks[dest] != before, "the figure never moved to another page"
    same_as_fresh(moved)

    # 3. a figure added; 4. an entry deleted (one sequence each, both compared)
    annotation = folder / "08-data-annotation-report.yaml"
    annotation.write_text(annotation.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_FIGURE,
                          encoding="utf-8")
    added = session.build()
    assert added.figures == moved.figures + 1
    same_as_fresh(added)
    annotation.unlink()
    deleted = session.build()
    assert deleted.figures == moved.figures and deleted.pages <= added.pages
    same_as_fresh(deleted)

    # 5. a broken save leaves the last good PDF; the fix builds what a fresh build writes
    good = deleted.pdf.read_bytes()
    qwen.write_text(original.replace("title:", "titel:", 1), encoding="utf-8")
    with pytest.raises(Failed) as failed:
        session.build()
    assert any("01-qwen3.yaml" in d.file for d in failed.value.diagnostics)
    assert deleted.pdf.read_bytes() == good
    qwen.write_text(original, encoding="utf-8")
    same_as_fresh(session.build())


def test_a_session_parses_only_changed_files(week: Path, tmp_path: Path):
    from authoring.incremental import Session

    session = Session(week, WEEK, out_dir=tmp_path / "out", cache=tmp_path / "cache")
    session.build()
    entry = week / "entries" / WEEK / "01-qwen3.yaml"
    append_to_paragraph(entry, PLAIN[0])
    session.sources.hits = session.sources.misses = 0
    parsed = []
    real = session.sources.get

    def counting(key, make):
        def made():
            parsed.append(key[1])
            return make()
        return real(key, made)

    session.sources.get = counting
    session.build()
    assert parsed == [str(entry)]
