"""Shared fixtures: a small, valid project in a temporary folder.

`project` is a folder laid out like the repository (entries/people.yaml,
entries/catalogue.yaml and one minimal valid week, entries/20250512/) so that
a test can break one thing and run `authoring` there with cwd=project.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

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


def run_authoring(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m authoring ARGS` in `cwd`, using this checkout's package."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return subprocess.run([sys.executable, "-m", "authoring", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)


@pytest.fixture
def authoring():
    """Call as authoring(*args, cwd=...) -> CompletedProcess."""
    return run_authoring
