"""`authoring validate` on every broken input in tests/bad/, and on the real entries.

Each case folder is laid over a small valid project (see conftest.py and
tests/bad/README.md); the run must exit with 2, print no traceback, and print
exactly the diagnostics listed in the case's expected.txt.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, run_authoring

BAD = Path(__file__).resolve().parent / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir() and (p / "expected.txt").exists())
CONTROL_FILES = {"expected.txt", "args.txt", "sparse.txt", "fifo.txt"}

_DIAG = re.compile(r"^(?P<file>[^:\s][^:]*?)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<message>.+)$")


@dataclass(frozen=True)
class Expected:
    file: str
    line: int | None
    col: int | None
    fragment: str

    def matches(self, out: "Expected") -> bool:
        return (self.file == out.file and self.line == out.line and self.col == out.col
                and self.fragment in out.fragment)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" if self.line is not None else self.file
        return f"{where}: {self.fragment}"


def parse_line(text: str) -> Expected | None:
    m = _DIAG.match(text.strip())
    if not m:
        return None
    line = int(m["line"]) if m["line"] else None
    col = int(m["col"]) if m["col"] else None
    return Expected(m["file"], line, col, m["message"])


def expectations(case: str) -> list[Expected]:
    out = []
    for raw in (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        parsed = parse_line(raw)
        assert parsed, f"tests/bad/{case}/expected.txt: cannot read line {raw!r}"
        out.append(parsed)
    return out


def prepare(case: str, project: Path) -> list[str]:
    """Lay the case's files over `project` (which gets the repository's styles/ first);
    return the arguments for `validate`."""
    src = BAD / case
    shutil.copytree(REPO / "styles", project / "styles", dirs_exist_ok=True)
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if rel.as_posix() in CONTROL_FILES or path.is_dir() and not path.is_symlink():
            continue
        dest = project / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists() or dest.is_symlink():
            dest.unlink()
        if path.is_symlink():
            os.symlink(os.readlink(path), dest)
        else:
            shutil.copyfile(path, dest)
    sparse = src / "sparse.txt"
    if sparse.exists():  # large files are made here, not stored in git
        for line in sparse.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                rel, size = line.split()
                dest = project / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                with open(dest, "wb") as fh:
                    fh.truncate(int(size))
    fifos = src / "fifo.txt"
    if fifos.exists():  # named pipes are not stored in git either
        for line in fifos.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                dest = project / line.strip()
                if dest.exists():
                    dest.unlink()
                os.mkfifo(dest)
    args = src / "args.txt"
    return args.read_text(encoding="utf-8").split() if args.exists() else []


def run_case(case: str, project: Path):
    args = prepare(case, project)
    return run_authoring("validate", *args, cwd=project)


def diagnostics(stderr: str) -> list[Expected]:
    out = []
    for line in stderr.splitlines():
        if re.fullmatch(r"\d+ error\(s\).*", line.strip()):
            continue
        parsed = parse_line(line)
        assert parsed, f"not a file:line:col diagnostic: {line!r}"
        out.append(parsed)
    return out


def test_corpus_is_large_enough():
    assert len(CASES) >= 45
    for case in CASES:
        assert expectations(case), f"tests/bad/{case}/expected.txt lists no diagnostic"


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case: str, project: Path):
    result = run_case(case, project)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    got = diagnostics(result.stderr)
    want = expectations(case)
    missing = [str(w) for w in want if not any(w.matches(g) for g in got)]
    unexpected = [str(g) for g in got if not any(w.matches(g) for w in want)]
    assert not missing and not unexpected, (
        "\nmissing:\n  " + "\n  ".join(missing) + "\nunexpected:\n  " + "\n  ".join(unexpected)
        + f"\nfull output:\n{result.stderr}")
    assert re.search(rf"^{len(got)} error\(s\)", result.stderr, re.M), result.stderr


def test_several_mistakes_are_reported_in_one_run(project: Path):
    result = run_case("multiple-mistakes", project)
    got = diagnostics(result.stderr)
    files = {g.file for g in got}
    assert len(got) >= 8 and len(files) >= 3, result.stderr


def test_minimal_project_is_valid(project: Path):
    result = run_authoring("validate", cwd=project)
    assert result.returncode == 0, result.stderr


def test_byte_order_mark_is_accepted(project: Path):
    entry = project / "entries" / "20250512" / "01-qwen3.yaml"
    entry.write_bytes(b"\xef\xbb\xbf" + entry.read_bytes())
    result = run_authoring("validate", cwd=project)
    assert result.returncode == 0, result.stderr


def test_file_arguments_validate_their_whole_week(project: Path):
    """pre-commit passes only the changed file; cross-file checks still need the week."""
    week = project / "entries" / "20250512"
    (week / "week.yaml").write_text((week / "week.yaml").read_text(encoding="utf-8")
                                    .replace("key_points: [qwen3]", "key_points: [qwen3, grok]"),
                                    encoding="utf-8")
    result = run_authoring("validate", "entries/20250512/01-qwen3.yaml", cwd=project)
    assert result.returncode == 2
    assert "entries/20250512/week.yaml:10:21: key_points[1]: no entry has the id 'grok'" in result.stderr
    for arg in ("entries/people.yaml", "entries/20250512/week.yaml", "entries/20250512"):
        again = run_authoring("validate", arg, cwd=project)
        assert "key_points[1]: no entry has the id 'grok'" in again.stderr, (arg, again.stderr)


def test_real_entries_are_valid():
    result = run_authoring("validate", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------ pre-commit

def _hooks(path: Path) -> dict[str, dict]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):  # .pre-commit-config.yaml
        return {h["id"]: h for repo in data["repos"] for h in repo["hooks"]}
    return {h["id"]: h for h in data}


def test_pre_commit_hook_is_offered_and_used():
    offered = _hooks(REPO / ".pre-commit-hooks.yaml")["authoring-validate"]
    assert offered["language"] == "python"
    assert offered["entry"] == "authoring validate"
    # pre-commit's file list leaves out deleted files: the hook asks git for the changed weeks
    assert offered["pass_filenames"] is False and offered["always_run"] is True
    assert "--changed" in offered["args"]

    used = _hooks(REPO / ".pre-commit-config.yaml")
    assert used["authoring-validate"]["args"] == offered["args"]
    assert used["authoring-validate"]["entry"].endswith("authoring validate")
    assert used["authoring-schema-check"]["entry"].endswith("authoring schema --check")


def test_hook_command_on_changed_files(project: Path):
    """What pre-commit runs: the hook's entry and args; git names the staged changes."""
    import subprocess

    def git(*a):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *a], cwd=project,
                       check=True, capture_output=True)

    hook = _hooks(REPO / ".pre-commit-hooks.yaml")["authoring-validate"]
    args = hook["entry"].split()[1:] + hook.get("args", [])
    git("init", "-q")
    git("add", "-A")
    ok = run_authoring(*args, cwd=project)
    assert ok.returncode == 0 and ok.stdout == "" and ok.stderr == ""
    git("commit", "-qm", "valid")
    entry = project / "entries/20250512/01-qwen3.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("section: headlines", "section: headline"),
                     encoding="utf-8")
    assert run_authoring(*args, cwd=project).returncode == 0  # not staged: not part of the commit
    git("add", "-A")
    bad = run_authoring(*args, cwd=project)
    assert bad.returncode == 2
    assert bad.stderr.startswith("entries/20250512/01-qwen3.yaml:2:10: section: unknown section "
                                 "'headline'; did you mean 'headlines'?")


# ------------------------------------------------------- robustness (property)

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_FIELD_NAMES = ["id", "kind", "title", "sources", "rows", "groups", "columns", "series", "values",
                "categories", "chart", "steps", "stages", "file", "paragraph", "bullets", "figure",
                "figure_row", "terms", "term", "text", "span", "header_groups", "section", "date"]
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True)
    | st.text(max_size=20) | st.sampled_from(["2025-02-30", "[[qwen3-sizes]]", "[[Bad]]", "../x.png",
                                             "/etc/passwd", "table", "chart", "image", "research"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(_FIELD_NAMES) | st.text(max_size=6), inner, max_size=3),
    max_leaves=6)


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, path + (i,))


def _validate_in(root: Path) -> list:
    from authoring.check import validate_paths

    old = Path.cwd()
    os.chdir(root)
    try:
        return validate_paths([Path("entries")], Path("entries"))
    finally:
        os.chdir(old)


def _fresh_project(base: Path) -> Path:
    from conftest import write_minimal_week

    root = Path(tempfile.mkdtemp(dir=base))
    (root / "entries").mkdir()
    for name in ("people.yaml", "catalogue.yaml"):
        shutil.copy2(REPO / "entries" / name, root / "entries" / name)
    write_minimal_week(root / "entries")
    return root


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_change_to_an_entry_gives_diagnostics_never_an_exception(tmp_path, data):
    import yaml

    root = _fresh_project(tmp_path)
    entry = root / "entries" / "20250512" / "01-qwen3.yaml"
    tree = yaml.safe_load(entry.read_text(encoding="utf-8"))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from([p for p in _paths(tree) if p]))
        parent = tree
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = data.draw(_VALUES)
    entry.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for d in _validate_in(root):
        assert d.file and d.message and d.line >= 0 and d.col >= 0, d
        assert "Traceback" not in d.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_bytes_in_a_file_give_diagnostics_never_an_exception(tmp_path, data):
    root = _fresh_project(tmp_path)
    name = data.draw(st.sampled_from(["20250512/01-qwen3.yaml", "20250512/week.yaml", "people.yaml"]))
    target = root / "entries" / name
    raw = target.read_bytes()
    at = data.draw(st.integers(0, len(raw)))
    cut = data.draw(st.integers(0, 20))
    junk = data.draw(st.binary(max_size=12) | st.text(max_size=12).map(lambda t: t.encode("utf-8"))
                     | st.sampled_from([b"\t", b": ", b"- ", b"'", b'"', b"&a ", b"*a", b"!!python/none ",
                                        b"<<: ", b"\xef\xbb\xbf", b"\n  ", b"[", b"{"]))
    target.write_bytes(raw[:at] + junk + raw[at + cut:])
    for d in _validate_in(root):
        assert d.file and d.message and d.line >= 0 and d.col >= 0, d


def test_a_large_week_read_in_parallel_reports_what_one_process_reports(project, monkeypatch):
    """Hundreds of entries are parsed by forked workers (yamlsource.load_many); the errors,
    their order and the loaded entries are the same as when one process reads them all."""
    from authoring.source import load as yamlsource
    from authoring.diagnostics import Failed
    from authoring.validate.week import validate_week
    from conftest import MINIMAL_ENTRY_YAML, MINIMAL_WEEK

    folder = project / "entries" / MINIMAL_WEEK
    n = 2 * yamlsource.PARALLEL_MIN_FILES
    for i in range(n):
        text = MINIMAL_ENTRY_YAML.replace("id: qwen3", f"id: qwen3-n{i:04d}")
        text = re.sub(r"(\n\s*id: )([a-z0-9-]+)(\n)", lambda m: m.group(1) + m.group(2) + f"-n{i:04d}" + m.group(3), text)
        if i % 37 == 5:  # a mistake in some files of every share
            text = text.replace("section:", "sectoin:")
        if i % 53 == 7:
            text += "broken: [\n"
        (folder / f"{i % 100:02d}-item-n{i:04d}.yaml").write_text(text, encoding="utf-8")

    def run():
        try:
            validate_week(folder, project / "entries")
        except Failed as exc:
            return [str(d) for d in exc.diagnostics]
        return []

    forks = []
    fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or fork())
    parallel = run()
    assert forks or len(os.sched_getaffinity(0)) == 1  # the week was shared between workers
    monkeypatch.setattr(yamlsource, "PARALLEL_MIN_FILES", 10 * n)  # one process reads them all
    del forks[:]
    sequential = run()
    assert not forks
    assert parallel == sequential
    assert sum("section: field required" in d for d in parallel) == len(range(5, n, 37))
    assert sum("is never closed" in d for d in parallel) == len(range(7, n, 53))
