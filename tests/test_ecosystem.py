"""How authoring fits its surroundings: command-line conventions, the cache folder, the
declared dependencies, the PDF's version and metadata, and the CI workflow."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from authoring import __version__, fonts
from authoring.cache import folder as cachedir
from conftest import REPO, run_authoring, spawn_authoring


# ------------------------------------------------------------------ command line

def test_version():
    result = run_authoring("--version", cwd=REPO)
    assert result.returncode == 0 and result.stdout.strip() == f"authoring {__version__}"


def test_python_dash_m_authoring_starts_and_exits_with_the_code(project):
    """A real process: start-up, and main's code reaching the shell as the exit status."""
    assert spawn_authoring("--version", cwd=REPO).stdout.strip() == f"authoring {__version__}"
    usage = spawn_authoring("frobnicate", cwd=REPO)
    assert usage.returncode == 64 and "usage:" in usage.stderr and "Traceback" not in usage.stderr
    (project / "entries" / "20250512" / "01-qwen3.yaml").write_text("id: [\n", encoding="utf-8")
    bad = spawn_authoring("validate", cwd=project)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert re.match(r"entries/20250512/01-qwen3\.yaml:\d+:\d+: ", bad.stderr), bad.stderr


@pytest.mark.parametrize("args", [(), ("frobnicate",), ("build",), ("validate", "--no-such-option"),
                                  ("preview", "20250505", "--dpi", "many"), ("completion", "tcsh")])
def test_usage_errors_exit_64(args):
    result = run_authoring(*args, cwd=REPO)
    assert result.returncode == 64, (result.returncode, result.stderr)
    assert "usage:" in result.stderr and "Traceback" not in result.stderr


def test_bad_input_exits_2_not_64(project):
    (project / "entries" / "20250512" / "01-qwen3.yaml").write_text("id: [\n", encoding="utf-8")
    assert run_authoring("validate", cwd=project).returncode == 2


COMMANDS = ["validate", "schema", "build", "new", "lint", "preview", "watch", "completion"]


@pytest.mark.parametrize("command", COMMANDS)
def test_quiet_and_verbose_on_every_command(command):
    result = run_authoring(command, "--help", cwd=REPO)
    assert result.returncode == 0
    assert "-q, --quiet" in result.stdout and "-v, --verbose" in result.stdout


def test_quiet_prints_nothing_when_all_is_well(project):
    loud = run_authoring("validate", cwd=project)
    quiet = run_authoring("validate", "-q", cwd=project)
    assert loud.stdout.startswith("ok:") and quiet.returncode == 0 and quiet.stdout == ""


@pytest.mark.parametrize("shell,check", [("bash", ["bash", "-n"]), ("zsh", None), ("fish", None)])
def test_completion_scripts(shell, check, tmp_path):
    result = run_authoring("completion", shell, cwd=REPO)
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout
    assert "strict" in result.stdout and "rebuild" in result.stdout
    if check:
        path = tmp_path / "script"
        path.write_text(result.stdout, encoding="utf-8")
        assert subprocess.run([*check, str(path)], capture_output=True).returncode == 0


def test_bash_completion_completes_commands_and_options(tmp_path):
    script = run_authoring("completion", "bash", cwd=REPO).stdout
    probe = script + '\nCOMP_WORDS=(authoring li); COMP_CWORD=1; _authoring; echo "${COMPREPLY[@]}"\n' \
        'COMP_WORDS=(authoring lint --st); COMP_CWORD=2; _authoring; echo "${COMPREPLY[@]}"\n'
    out = subprocess.run(["bash", "-c", probe], capture_output=True, text=True).stdout.split("\n")
    assert out[0] == "lint" and out[1] == "--strict"


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"PYTHONIOENCODING": "latin-1", "LANG": "C"}])
def test_output_survives_any_terminal_encoding(project, env, monkeypatch):
    import shutil

    shutil.copytree(REPO / "styles", project / "styles")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    result = subprocess.run([sys.executable, "-m", "authoring", "build", "20250512"], cwd=project,
                            capture_output=True, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})
    err = result.stderr.decode("ascii", "replace")
    assert result.returncode == 0, err
    assert "nothing was written" not in err and "internal error" not in err
    assert b"\\u56fe\\u8868" in result.stdout  # 图表, escaped rather than a crash
    assert list((project / "build" / "20250512").glob("*.pdf"))


# ------------------------------------------------------------------ cache folder

def test_cache_folder_follows_xdg_and_authoring_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("AUTHORING_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cachedir.cache_dir() == tmp_path / "xdg" / "authoring"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the XDG spec says
    assert cachedir.cache_dir() == Path.home() / ".cache" / "authoring"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("AUTHORING_CACHE", str(tmp_path / "own"))
    assert cachedir.cache_dir() == tmp_path / "own"
    assert fonts.cache_dir() == cachedir.cache_dir()  # the old name still answers


# ------------------------------------------------------------------ packaging

def _imported_top_level_modules() -> set[str]:
    names = set()
    for path in (REPO / "authoring").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"^\s*(?:from\s+([A-Za-z_]\w*)[\w.]*\s+import\s|import\s+([A-Za-z_]\w*)\s*$)", text, re.M):
            names.add(m.group(1) or m.group(2))
    return names


# import name -> distribution name, for the ones that differ
DISTRIBUTION = {"yaml": "pyyaml", "PIL": "pillow", "fontTools": "fonttools", "_rl_accel": "rl-accel"}


def test_every_imported_package_is_declared():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {re.split(r"[<>=\[ ;]", d)[0].lower() for d in project["dependencies"]}
    stdlib = sys.stdlib_module_names | {"authoring", "__future__"}
    third_party = {n for n in _imported_top_level_modules() if n not in stdlib and not n.startswith("_")}
    missing = sorted(n for n in third_party if DISTRIBUTION.get(n, n).lower() not in declared)
    assert missing == [], f"imported but not in [project] dependencies: {missing}"
    assert {"pillow", "numpy", "pypdfium2"} <= declared  # preview works from a plain install


# ------------------------------------------------------------------ the PDF

@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    from authoring.build import build_week

    out = tmp_path_factory.mktemp("pdf")
    os.environ["SOURCE_DATE_EPOCH"] = "1746406800"  # 2025-05-05 01:00 UTC
    try:
        return build_week(REPO, "20250505", out_dir=out).pdf
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def test_pdf_version_and_page_mode(pdf):
    import pypdf

    reader = pypdf.PdfReader(pdf)
    assert Path(pdf).read_bytes().startswith(b"%PDF-1.7\n")
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    assert reader.outline  # there is something to show


def test_xmp_matches_the_document_information(pdf):
    import pypdf

    reader = pypdf.PdfReader(pdf)
    info, xmp = reader.metadata, reader.xmp_metadata
    assert xmp is not None
    assert xmp.dc_title["x-default"] == info.title and "——AI 动态汇总 20250505" in info.title
    assert "、".join(xmp.dc_creator) == info.author and len(xmp.dc_creator) >= 1
    assert xmp.dc_description["x-default"] == info.subject
    assert ", ".join(xmp.dc_subject) == info["/Keywords"] == xmp.pdf_keywords
    assert xmp.pdf_producer == info.producer and re.search(rf"authoring {re.escape(__version__)}\b", info.producer)
    assert re.search(r"\d+\.\d+", info.creator)
    when = dt.datetime(2025, 5, 5, 1, 0, tzinfo=dt.timezone.utc)
    assert info.creation_date == when and info.modification_date == when
    assert xmp.xmp_create_date.replace(tzinfo=dt.timezone.utc) == when
    assert xmp.xmp_modify_date.replace(tzinfo=dt.timezone.utc) == when


# ------------------------------------------------------------------ CI workflow

def test_workflow_conventions():
    wf = yaml.safe_load((REPO / ".github" / "workflows" / "report.yml").read_text(encoding="utf-8"))
    assert "github.ref" in wf["concurrency"]["group"]
    job = wf["jobs"]["report"]
    assert 0 < job["timeout-minutes"] <= 60
    upload = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact"))
    assert upload["with"]["overwrite"] is True
    scripts = [s.get("run", "") for s in job["steps"]]
    validate = next(r for r in scripts if "authoring validate" in r)
    build = next(r for r in scripts if "authoring build" in r)
    for script in (validate, build):
        assert "::error file=" in script


def test_workflow_annotation_turns_a_diagnostic_into_an_error(tmp_path):
    wf = (REPO / ".github" / "workflows" / "report.yml").read_text(encoding="utf-8")
    sed = re.search(r"sed -nE '(s/\^\(\[\^:\]\+\):.*?::error.*?)' validate\.txt", wf).group(1)
    line = "entries/20250512/02-x.yaml:15:11: body[1].figure.rows[1]: has 2 cells; expected 3\n"
    out = subprocess.run(["sed", "-nE", sed], input=line, capture_output=True, text=True).stdout
    assert out == ("::error file=entries/20250512/02-x.yaml,line=15,col=11::"
                   "body[1].figure.rows[1]: has 2 cells; expected 3\n")
