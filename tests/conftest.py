"""Shared fixtures: a small, valid project in a temporary folder.

`project` is a folder laid out like the repository (entries/people.yaml,
entries/catalogue.yaml and one minimal valid week, entries/20250512/) so that
a test can break one thing and run `authoring` there with cwd=project.

Commands run in this process (`run_authoring`, the `authoring` fixture); `spawn_authoring`
starts a real process, for the few tests that need one.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

REPO = Path(__file__).resolve().parent.parent
MINIMAL_WEEK = "20250512"

MINIMAL_WEEK_YAML = """\
series: AI 动态汇总
report_type: 金工周报
week: "20250512"
date: 2025-05-12
headline: 通义千问开源 Qwen3 系列模型
authors: [xiao-chengzhi, feng-yuwen]
sections:
  - {key: headlines, title: AI 重点要闻}
  - {key: research, title: 技术前沿}
key_points: [qwen3]
"""

MINIMAL_ENTRY_YAML = """\
id: qwen3
section: headlines
title: 通义千问发布 Qwen3 系列模型
date: 2025-04-29
summary: 旗舰模型 Qwen3-235B-A22B 在多项基准测试中领先，小模型 Qwen3-4B 可比肩 Qwen2.5-72B-Instruct。
body:
  - paragraph: >-
      4 月 29 日，通义千问开源 Qwen3 系列模型，旗舰为 **Qwen3-235B-A22B**，
      各尺寸的对比见 [[qwen3-sizes]]。
  - figure:
      kind: table
      id: qwen3-sizes
      title: Qwen3 部分模型与对照模型
      sources: [通义千问]
      columns:
        - {title: 模型}
        - {title: 对照}
      rows:
        - [Qwen3-30B-A3B, QwQ-32B]
        - [Qwen3-4B, Qwen2.5-72B-Instruct]
"""


def write_minimal_week(entries: Path, week: str = MINIMAL_WEEK) -> Path:
    folder = entries / week
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "week.yaml").write_text(MINIMAL_WEEK_YAML.replace(MINIMAL_WEEK, week), encoding="utf-8")
    (folder / "01-qwen3.yaml").write_text(MINIMAL_ENTRY_YAML, encoding="utf-8")
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A tmp project: entries/people.yaml, entries/catalogue.yaml, entries/20250512/."""
    root = tmp_path / "project"
    entries = root / "entries"
    entries.mkdir(parents=True)
    for name in ("people.yaml", "catalogue.yaml"):
        shutil.copy2(REPO / "entries" / name, entries / name)
    write_minimal_week(entries)
    return root


class Run(NamedTuple):
    """What a command gave: its exit code and what it printed (like a CompletedProcess)."""

    returncode: int
    stdout: str
    stderr: str


def run_authoring(*args: str, cwd: Path) -> Run:
    """`authoring ARGS` in `cwd`, run in this process (`authoring.cli.main`): what it
    printed is captured, the working directory put back afterwards."""
    from authoring.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in args])
    finally:
        os.chdir(old)
    return Run(code, out.getvalue(), err.getvalue())


def as_from_a_shell() -> None:
    """`preexec_fn` for a process the test sends Ctrl-C to: SIGINT handled and unblocked as
    in a process a shell starts, whatever the test process inherited or changed."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def spawn_authoring(*args: str, cwd: Path, timeout: float = 120, env: dict | None = None,
                    **kw) -> subprocess.CompletedProcess:
    """`python -m authoring ARGS` in a process of its own, for what only a real process
    shows: start-up, exit codes through the interpreter, signals, terminal encodings,
    resource limits, what a fresh process imports."""
    env = dict(os.environ if env is None else env)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return subprocess.run([sys.executable, "-m", "authoring", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout, **kw)


@pytest.fixture
def authoring():
    """Call as authoring(*args, cwd=...) -> Run (in this process)."""
    return run_authoring


@pytest.fixture(autouse=True)
def _process_state_is_put_back():
    """Commands run in this process: the environment and the working directory a test
    changed (directly or through a command) do not reach the next test."""
    environ, cwd = dict(os.environ), os.getcwd()
    yield
    if os.getcwd() != cwd:
        os.chdir(cwd)
    if dict(os.environ) != environ:
        os.environ.clear()
        os.environ.update(environ)


# ------------------------------------------------------------------ the seed weeks, once

SEED_WEEKS = ("20250505", "20250310")


class Page(NamedTuple):
    """What the tests read of a PDF page (pdfplumber's objects, parsed once)."""

    number: int
    width: float
    height: float
    chars: list
    images: list
    rects: list
    lines: list


class SeedWeeks:
    """The real weeks of the repository, each built and read once per test session: the
    tests that only read their PDFs share one build (building and parsing a seed week
    costs seconds; six modules read them)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._built: dict = {}
        self._pages: dict = {}

    def build(self, week: str):
        """The BuildResult of `week` (the repository's entries and styles)."""
        if week not in self._built:
            from authoring.build import build_week

            self._built[week] = build_week(REPO, week, out_dir=self.folder / week)
        return self._built[week]

    def pages(self, week: str) -> list[Page]:
        if week not in self._pages:
            import pdfplumber

            with pdfplumber.open(self.build(week).pdf) as pdf:
                self._pages[week] = [Page(i + 1, float(p.width), float(p.height), p.chars, p.images,
                                          p.rects, p.lines) for i, p in enumerate(pdf.pages)]
        return self._pages[week]


@pytest.fixture(scope="session")
def seed_weeks(tmp_path_factory) -> SeedWeeks:
    return SeedWeeks(tmp_path_factory.mktemp("seed-weeks"))


def pytest_collection_modifyitems(items):
    """Under `pytest -n 2 --dist loadgroup` (make test) each module runs on one worker (its
    module-scoped fixtures are made once), and the modules that read the seed weeks share
    one worker, which builds and parses them once."""
    readers = {item.path for item in items if "seed_weeks" in getattr(item, "fixturenames", ())}
    for item in items:
        item.add_marker(pytest.mark.xdist_group("seed-weeks" if item.path in readers else item.path.stem))
