"""`authoring lint`: every check on purpose-made files (tests/lint_cases/), and the exit codes.

Each case is laid over the small valid project of conftest.py plus the repository's
styles/names.yaml and styles/brand.yaml; the warnings printed must be exactly those in the
case's expected.txt (file, line and column equal, the listed text part of the message).
The `clean` case holds near-misses (legit reduplication, two words meeting on one
character, money in 亿, lowercase names in ids and URLs) and must give no warning.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_authoring

CASES_DIR = Path(__file__).resolve().parent / "lint_cases"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "expected.txt").exists())
_LINE = re.compile(r"^(?P<where>[^:\s][^:]*:\d+:\d+): warning: (?P<text>.+)$")


@pytest.fixture
def lint_project(project: Path) -> Path:
    (project / "styles").mkdir()
    for name in ("names.yaml", "brand.yaml"):
        shutil.copy2(REPO / "styles" / name, project / "styles" / name)
    return project


def lay_over(case: str, project: Path) -> None:
    src = CASES_DIR / case
    for path in sorted(src.rglob("*")):
        if path.is_file() and path.name != "expected.txt":
            dest = project / path.relative_to(src)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)


def expected(case: str) -> list[tuple[str, str]]:
    out = []
    for raw in (CASES_DIR / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            m = _LINE.match(raw)
            assert m, f"lint_cases/{case}/expected.txt: cannot read {raw!r}"
            out.append((m["where"], m["text"]))
    return out


def warnings(stdout: str) -> list[tuple[str, str]]:
    out = []
    for line in stdout.splitlines():
        m = _LINE.match(line)
        assert m, f"not a file:line:col: warning: line: {line!r}"
        out.append((m["where"], m["text"]))
    return out


def test_every_check_has_a_case():
    assert {"clean", "dates", "figures", "doubled", "punctuation", "names", "sizes",
            "risk-written-empty", "risk-no-words", "risk-brand-default-empty"} <= set(CASES)
    for case in CASES:
        assert case == "clean" or expected(case), f"lint_cases/{case} expects no warning"


@pytest.mark.parametrize("case", CASES)
def test_case(case: str, lint_project: Path):
    lay_over(case, lint_project)
    result = run_authoring("lint", "20250512", cwd=lint_project)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    want = expected(case)
    if not want:
        assert result.stdout.strip() == "ok: no findings in 20250512", result.stdout
        return
    got = warnings(result.stdout)
    missing = [w for w in want if not any(g[0] == w[0] and w[1] in g[1] for g in got)]
    unexpected = [g for g in got if not any(g[0] == w[0] and w[1] in g[1] for w in want)]
    assert not missing and not unexpected, f"missing {missing}\nunexpected {unexpected}\n{result.stdout}"
    assert len(got) == len(want), result.stdout
    assert f"{len(got)} warning(s)" in result.stderr


def test_strict_makes_findings_fail(lint_project: Path):
    lay_over("doubled", lint_project)
    result = run_authoring("lint", "--strict", "20250512", cwd=lint_project)
    assert result.returncode == 1
    assert "doubled character '将将'" in result.stdout


def test_strict_on_a_clean_week_passes(lint_project: Path):
    lay_over("clean", lint_project)
    result = run_authoring("lint", "--strict", cwd=lint_project)
    assert result.returncode == 0, result.stdout + result.stderr


def test_invalid_week_exits_2_with_positions(lint_project: Path):
    lay_over("doubled", lint_project)
    entry = lint_project / "entries" / "20250512" / "02-doubled.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("date: 2025-05-06", "date: 2025-13-06"),
                     encoding="utf-8")
    result = run_authoring("lint", "--strict", "20250512", cwd=lint_project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert re.search(r"^entries/20250512/02-doubled\.yaml:4:7: date: ", result.stderr, re.M), result.stderr


def test_a_broken_week_does_not_hide_another_weeks_warnings(lint_project: Path):
    lay_over("names", lint_project)
    broken = lint_project / "entries" / "20250519"
    broken.mkdir()
    result = run_authoring("lint", cwd=lint_project)
    assert result.returncode == 2
    assert "'Openai' is spelled 'OpenAI'" in result.stdout
    assert "entries/20250519/week.yaml: missing" in result.stderr


def test_names_file_mistakes_are_reported(lint_project: Path):
    (lint_project / "styles" / "names.yaml").write_text("names:\n  OpenAI: Openai\n", encoding="utf-8")
    result = run_authoring("lint", cwd=lint_project)
    assert result.returncode == 2
    assert "styles/names.yaml:2:11: names.OpenAI: expected a list of wrong spellings" in result.stderr


def test_doubles_allowed_extends_the_word_list(lint_project: Path):
    lay_over("doubled", lint_project)
    names = lint_project / "styles" / "names.yaml"
    text = names.read_text(encoding="utf-8")
    assert "doubles_allowed: []" in text
    names.write_text(text.replace("doubles_allowed: []", "doubles_allowed: [据据]"), encoding="utf-8")
    result = run_authoring("lint", "20250512", cwd=lint_project)
    assert "'据据'" not in result.stdout and "'的的'" in result.stdout


def test_real_weeks_have_no_false_alarms():
    """The seed weeks: lint may only report what a reviewer would mark too."""
    from authoring.validate.lint import lint_weeks

    import os
    old = os.getcwd()
    os.chdir(REPO)
    try:
        found, errors = lint_weeks(REPO, ["20250505", "20250310"])
    finally:
        os.chdir(old)
    assert not errors
    assert [str(d) for d in found] == []
