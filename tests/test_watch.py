"""`authoring watch`: rebuild on change, keep going after bad input, exit 0 on Ctrl-C.

The loop is tested in-process with a stand-in build and a scripted `sleep` (fast and
exact), then once for real in a subprocess: a change to an entry gives a second build,
and SIGINT ends the watch with exit code 0.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, as_from_a_shell
from authoring.diagnostics import Diagnostic, Failed
from authoring.watch import watch


class FakeResult:
    def __init__(self, n: int):
        self.n = n

    def summary_line(self) -> str:
        return f"built {self.n} pages, 1 图表, 10 KB in 0.01 s: build/x.pdf"


def touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    later = time.time() + 10
    os.utime(path, (later, later))


def run(project: Path, builds, on_sleep, max_builds):
    """Run watch with `builds` (results or exceptions, in order) and a scripted sleep."""
    lines: list[str] = []
    calls = {"build": 0, "sleep": 0}

    def build(root, week):
        item = builds[calls["build"]]
        calls["build"] += 1
        if isinstance(item, BaseException):
            raise item
        return item

    def sleep(seconds):
        assert seconds == 0.5
        calls["sleep"] += 1
        on_sleep(calls["sleep"])

    code = watch(project, "20250512", max_builds=max_builds, out=lines.append, build=build, sleep=sleep)
    return code, lines, calls


def test_rebuilds_after_a_change(project: Path):
    entry = project / "entries" / "20250512" / "01-qwen3.yaml"

    def on_sleep(n):
        if n == 3:  # two quiet polls, then the analyst saves
            touch(entry, entry.read_text(encoding="utf-8") + "# edited\n")

    code, lines, calls = run(project, [FakeResult(1), FakeResult(2)], on_sleep, max_builds=2)
    assert code == 0
    assert calls == {"build": 2, "sleep": 4}   # 3 polls, 1 more to let the file settle
    assert "changed: entries/20250512/01-qwen3.yaml" in lines
    summaries = [l for l in lines if l.startswith("built ")]
    assert summaries == [FakeResult(1).summary_line(), FakeResult(2).summary_line()]
    assert sum(1 for l in lines if " rebuilt in " in l) == 2


def test_style_and_registry_changes_count(project: Path):
    styles = project / "styles" / "templates"
    styles.mkdir(parents=True)
    template = styles / "title.j2"
    template.write_text("{{ headline }}")
    people = project / "entries" / "people.yaml"

    def on_sleep(n):
        if n == 1:
            touch(template, "{{ headline }}——{{ series }}")
        if n == 3:
            touch(people, people.read_text(encoding="utf-8") + "\n")

    code, lines, calls = run(project, [FakeResult(1), FakeResult(2), FakeResult(3)], on_sleep, 3)
    assert code == 0 and calls["build"] == 3
    assert "changed: styles/templates/title.j2" in lines
    assert "changed: entries/people.yaml" in lines


def test_bad_input_prints_diagnostics_and_keeps_watching(project: Path):
    entry = project / "entries" / "20250512" / "01-qwen3.yaml"
    bad = Failed([Diagnostic("entries/20250512/01-qwen3.yaml", 3, 7, "title: field required")])

    def on_sleep(n):
        if n == 1:
            touch(entry, entry.read_text(encoding="utf-8") + "# fixed\n")

    code, lines, calls = run(project, [bad, FakeResult(1)], on_sleep, max_builds=2)
    assert code == 0 and calls["build"] == 2
    assert lines[1] == "entries/20250512/01-qwen3.yaml:3:7: title: field required"
    assert "1 error(s)" in lines[2] and "waiting for changes" in lines[2]
    assert lines[-1] == FakeResult(1).summary_line()


def test_an_engine_bug_does_not_end_the_session(project: Path):
    entry = project / "entries" / "20250512" / "01-qwen3.yaml"

    def on_sleep(n):
        if n == 1:
            touch(entry, entry.read_text(encoding="utf-8") + "# again\n")

    code, lines, _ = run(project, [ZeroDivisionError("division by zero"), FakeResult(1)], on_sleep, 2)
    assert code == 0
    assert any("build failed (ZeroDivisionError: division by zero)" in l for l in lines)


def test_ctrl_c_exits_0(project: Path):
    def on_sleep(n):
        if n == 2:
            raise KeyboardInterrupt

    code, lines, calls = run(project, [FakeResult(1)], on_sleep, max_builds=None)
    assert code == 0 and lines[-1] == "stopped" and calls["build"] == 1


def test_an_unknown_week_is_bad_input(project: Path):
    with pytest.raises(Failed) as failed:
        watch(project, "20250599", build=lambda r, w: None, sleep=lambda s: None, out=lambda s: None)
    assert "week folder does not exist; weeks here: 20250512" in str(failed.value.diagnostics[0])


# ------------------------------------------------------------------- for real

@pytest.fixture
def full_project(project: Path) -> Path:
    shutil.copytree(REPO / "styles", project / "styles")
    return project


def _spawn(args: list[str], cwd: Path) -> tuple[subprocess.Popen, "queue.Queue[str]"]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    proc = subprocess.Popen([sys.executable, "-m", "authoring", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            encoding="utf-8", preexec_fn=as_from_a_shell)
    lines: "queue.Queue[str]" = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l.rstrip("\n")) for l in proc.stdout], daemon=True).start()
    return proc, lines


def _wait_for(lines: "queue.Queue[str]", prefix: str, seen: list[str], timeout: float = 300) -> str:
    end = time.time() + timeout
    while time.time() < end:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        if line.startswith(prefix):
            return line
    raise AssertionError(f"no line starting {prefix!r} in:\n" + "\n".join(seen))


def test_watch_rebuilds_for_real(full_project: Path):
    proc, lines = _spawn(["watch", "20250512", "--max-builds", "2"], full_project)
    seen: list[str] = []
    try:
        first = _wait_for(lines, "built ", seen)
        assert first.endswith(".pdf")
        entry = full_project / "entries" / "20250512" / "01-qwen3.yaml"
        touch(entry, entry.read_text(encoding="utf-8").replace("Qwen3 系列模型", "Qwen3 全系列模型", 1))
        _wait_for(lines, "changed: entries/20250512/01-qwen3.yaml", seen)
        _wait_for(lines, "built ", seen)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert sum(1 for l in seen if " rebuilt in " in l) == 2


def test_watch_stops_with_exit_0_on_sigint(full_project: Path):
    proc, lines = _spawn(["watch", "20250512"], full_project)
    seen: list[str] = []
    try:
        _wait_for(lines, "built ", seen)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
