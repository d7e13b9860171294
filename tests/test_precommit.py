"""The repository's pre-commit hooks, run by pre-commit itself in a temporary git repository.

The hooks are taken from .pre-commit-config.yaml as committed; only the interpreter is
this test's (the config names the checkout's .venv).  Hooks are `language: system`, so
pre-commit installs nothing and the test needs no network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, write_minimal_week

pytest.importorskip("pre_commit")


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)


def _pre_commit(repo: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")}
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--color", "never"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    entries = root / "entries"
    entries.mkdir(parents=True)
    for name in ("people.yaml", "catalogue.yaml"):
        shutil.copy2(REPO / "entries" / name, entries / name)
    write_minimal_week(entries)
    shutil.copytree(REPO / "schemas", root / "schemas")
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    for hook in config["repos"][0]["hooks"]:
        assert hook["language"] == "system", hook  # nothing installed, nothing downloaded
        hook["entry"] = hook["entry"].replace(".venv/bin/python", sys.executable)
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "a valid week")
    return root


def test_a_valid_change_passes(repo: Path):
    entry = repo / "entries" / "20250512" / "01-qwen3.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("旗舰为", "旗舰模型为"), encoding="utf-8")
    _git(repo, "add", "-A")
    result = _pre_commit(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "authoring validate" in result.stdout and "Passed" in result.stdout


def test_deleting_a_key_point_entry_fails(repo: Path):
    _git(repo, "rm", "-q", "entries/20250512/01-qwen3.yaml")
    result = _pre_commit(repo)
    assert result.returncode != 0, result.stdout
    assert "key_points" in result.stdout and "qwen3" in result.stdout, result.stdout


def test_renaming_an_entry_validates_its_week(repo: Path):
    _git(repo, "mv", "entries/20250512/01-qwen3.yaml", "entries/20250512/qwen3.yaml")
    result = _pre_commit(repo)
    assert result.returncode != 0, result.stdout
    assert "qwen3.yaml" in result.stdout and "<NN>-<slug>.yaml" in result.stdout, result.stdout


def test_a_change_outside_entries_runs_no_week(repo: Path):
    (repo / "notes.txt").write_text("x", encoding="utf-8")
    bad = repo / "entries" / "20250512" / "01-qwen3.yaml"  # broken but not staged
    bad.write_text("id: [\n", encoding="utf-8")
    _git(repo, "add", "notes.txt")
    result = _pre_commit(repo)
    assert result.returncode == 0, result.stdout + result.stderr
