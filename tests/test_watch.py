"""`authoring watch`: rebuild on change, keep going after bad input, exit 0 on Ctrl-C.

The loop is tested in-process with a stand-in session and scripted sets of changed files
(fast and exact), then for real in a subprocess: file events from a save give a rebuild,
a broken save prints its diagnostics and leaves the PDF, and SIGINT ends the watch with 0.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, as_from_a_shell
from authoring import watch as watch_module
from authoring.diagnostics import Diagnostic, Failed
from authoring.watch import relevant, watch

WEEK = "20250512"


@pytest.fixture(autouse=True)
def in_project(project: Path, monkeypatch):
    monkeypatch.chdir(project)  # as the command runs: file names are shown from here


class FakeResult:
    def __init__(self, n: int, root: Path):
        self.pages = n
        self.pdf = root / "build" / WEEK / "x.pdf"
        self.warnings = ()


class FakeSession:
    """Builds from a script of results or exceptions, in order."""

    def __init__(self, items):
        self.items = list(items)
        self.builds = 0
        self.warmed = 0

    def build(self):
        item = self.items[self.builds]
        self.builds += 1
        if isinstance(item, BaseException):
            raise item
        return item

    def warm_up(self):
        self.warmed += 1


def run(project: Path, items, changes, max_builds=None, **kw):
    lines: list[str] = []
    session = FakeSession(items)
    code = watch(project, WEEK, max_builds=max_builds, out=lines.append, session=session,
                 changes=changes, **kw)
    return code, lines, session


def built_lines(lines):
    return [l for l in lines if re.match(r"^\[\d\d:\d\d:\d\d\] (re)?built \d+ pages in \d+\.\d\d s", l)]


def test_rebuilds_after_a_change_with_one_line_per_build(project: Path):
    entry = project / "entries" / WEEK / "01-qwen3.yaml"
    changes = [{str(entry)}]
    code, lines, session = run(project, [FakeResult(1, project), FakeResult(2, project)], changes,
                               max_builds=2)
    assert code == 0 and session.builds == 2
    first, second = built_lines(lines)
    assert " built 1 pages in " in first and first.endswith(" s: build/20250512/x.pdf")
    assert " rebuilt 2 pages in " in second
    assert f"entries/{WEEK}/01-qwen3.yaml changed" in second
    assert session.warmed == 1


def test_changes_that_are_not_inputs_build_nothing(project: Path):
    other = project / "entries" / "20250505" / "01-x.yaml"  # another week
    backup = project / "entries" / WEEK / "01-qwen3.yaml~"
    entry = project / "entries" / WEEK / "01-qwen3.yaml"
    changes = [{str(other)}, {str(backup), str(project / "build" / "x.pdf")}, {str(entry)}]
    code, lines, session = run(project, [FakeResult(1, project), FakeResult(1, project)], changes,
                               max_builds=2)
    assert code == 0 and session.builds == 2
    assert built_lines(lines)[1].endswith(f"entries/{WEEK}/01-qwen3.yaml changed: build/20250512/x.pdf")


def test_style_registry_and_deleted_files_count(project: Path):
    (project / "styles" / "templates").mkdir(parents=True)
    template = project / "styles" / "templates" / "title.j2"
    template.write_text("{{ headline }}")
    gone = project / "entries" / WEEK / "02-gone.yaml"  # deleted: no longer exists
    found = relevant(project, WEEK, [str(template), str(project / "entries" / "people.yaml"), str(gone),
                                     str(project / "entries" / WEEK)])
    assert found == ["entries/20250512/02-gone.yaml", "entries/people.yaml", "styles/templates/title.j2"]


def test_bad_input_prints_diagnostics_and_keeps_watching(project: Path):
    entry = project / "entries" / WEEK / "01-qwen3.yaml"
    bad = Failed([Diagnostic(f"entries/{WEEK}/01-qwen3.yaml", 3, 7, "title: field required")])
    code, lines, session = run(project, [bad, FakeResult(1, project)], [{str(entry)}], max_builds=2)
    assert code == 0 and session.builds == 2
    assert lines[1] == f"entries/{WEEK}/01-qwen3.yaml:3:7: title: field required"
    assert "1 error(s)" in lines[2] and "the PDF was not changed" in lines[2]
    assert len(built_lines(lines)) == 1


def test_an_engine_bug_does_not_end_the_session(project: Path):
    entry = project / "entries" / WEEK / "01-qwen3.yaml"
    code, lines, _ = run(project, [ZeroDivisionError("division by zero"), FakeResult(1, project)],
                         [{str(entry)}], max_builds=2)
    assert code == 0
    assert any("build failed (ZeroDivisionError: division by zero)" in l for l in lines)


def test_ctrl_c_exits_0(project: Path):
    def changes():
        raise KeyboardInterrupt
        yield  # a generator

    code, lines, session = run(project, [FakeResult(1, project)], changes())
    assert code == 0 and lines[-1] == "stopped" and session.builds == 1


def test_open_opens_the_first_good_pdf_once(project: Path):
    entry = project / "entries" / WEEK / "01-qwen3.yaml"
    opened: list[Path] = []
    bad = Failed([Diagnostic("x", 1, 1, "bad")])
    items = [bad, FakeResult(1, project), FakeResult(2, project)]
    code, _lines, _ = run(project, items, [{str(entry)}, {str(entry)}], max_builds=3, open_pdf=True,
                          opener=opened.append)
    assert code == 0 and opened == [project / "build" / WEEK / "x.pdf"]
    opened.clear()
    run(project, [FakeResult(1, project)], [], max_builds=1, opener=opened.append)
    assert opened == []  # without --open


def test_an_unknown_week_is_bad_input(project: Path):
    with pytest.raises(Failed) as failed:
        watch(project, "20250599", session=FakeSession([]), changes=[], out=lambda s: None)
    assert "week folder does not exist; weeks here: 20250512" in str(failed.value.diagnostics[0])


def test_polls_only_where_events_do_not_arrive(project: Path, monkeypatch):
    monkeypatch.delenv("WATCHFILES_FORCE_POLLING", raising=False)
    monkeypatch.setattr(watch_module, "file_system", lambda path: "ext4")
    assert watch_module.polling_reason(project) == (False, "")
    monkeypatch.setattr(watch_module, "file_system", lambda path: "nfs4")
    polling, why = watch_module.polling_reason(project)
    assert polling and "network file system (nfs4)" in why
    monkeypatch.setattr(watch_module, "file_system", lambda path: "ext4")
    monkeypatch.setenv("WATCHFILES_FORCE_POLLING", "1")
    assert watch_module.polling_reason(project) == (True, "WATCHFILES_FORCE_POLLING is set")
    lines: list[str] = []
    watch(project, WEEK, max_builds=1, out=lines.append, session=FakeSession([FakeResult(1, project)]),
          changes=[])
    assert "polling every 0.3 s: WATCHFILES_FORCE_POLLING is set" in lines[0]


def test_the_file_system_of_a_path_is_read_from_the_mount_table(tmp_path: Path):
    assert watch_module.file_system(tmp_path) not in (None, "")


# ------------------------------------------------------------------- for real

@pytest.fixture
def full_project(project: Path) -> Path:
    shutil.copytree(REPO / "styles", project / "styles")
    return project


def _spawn(args: list[str], cwd: Path) -> tuple[subprocess.Popen, "queue.Queue[str]"]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("WATCHFILES_FORCE_POLLING", None)
    proc = subprocess.Popen([sys.executable, "-m", "authoring", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            encoding="utf-8", preexec_fn=as_from_a_shell)
    lines: "queue.Queue[str]" = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l.rstrip("\n")) for l in proc.stdout], daemon=True).start()
    return proc, lines


def _wait_for(lines: "queue.Queue[str]", pattern: str, seen: list[str], timeout: float = 300) -> str:
    end = time.time() + timeout
    while time.time() < end:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        if re.search(pattern, line):
            return line
    raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(seen))


def test_watch_rebuilds_on_file_events_for_real(full_project: Path):
    proc, lines = _spawn(["watch", WEEK, "--max-builds", "3"], full_project)
    seen: list[str] = []
    entry = full_project / "entries" / WEEK / "01-qwen3.yaml"
    try:
        _wait_for(lines, r"file system events", seen)
        first = _wait_for(lines, r"\] built \d+ pages in ", seen)
        pdf = full_project / first.rsplit(": ", 1)[1]
        good = pdf.read_bytes()
        original = entry.read_text(encoding="utf-8")
        entry.write_text(original.replace("title:", "titel:", 1), encoding="utf-8")
        _wait_for(lines, r"^entries/20250512/01-qwen3\.yaml:\d+:\d+: ", seen)
        _wait_for(lines, r"error\(s\).*01-qwen3\.yaml changed; the PDF was not changed", seen)
        assert pdf.read_bytes() == good
        entry.write_text(original.replace("Qwen3 系列模型", "Qwen3 全系列模型", 1), encoding="utf-8")
        _wait_for(lines, r"\] rebuilt \d+ pages in .*01-qwen3\.yaml changed", seen)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert pdf.read_bytes() != good


def test_watch_stops_with_exit_0_on_sigint(full_project: Path):
    proc, lines = _spawn(["watch", WEEK], full_project)
    seen: list[str] = []
    try:
        _wait_for(lines, r"\] built ", seen)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    time.sleep(0.5)  # the reader thread has the last lines
    while not lines.empty():
        seen.append(lines.get())
    assert seen[-1] == "stopped"
