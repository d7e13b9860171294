"""Whatever an analyst saves, or leaves, in the project cannot crash, hang or corrupt a build.

- a cache serves nothing less checked than a fresh build (an image damaged in place, its size
  and modification time kept, is checked again);
- files that are not regular files (named pipes, links to devices) are never read blindly, and
  reads are bounded while reading;
- a week argument that is not a week is one line, exit 2;
- YAML nested, lengthened and repeated up to and past the documented limits gives exit 0 or 2,
  never another code, a hang (the harness stops an example after a while) or memory over a
  bound (the peak resident memory the run added).
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from authoring import cli
from authoring.source import load as yamlsource
from authoring.build import build_week
from authoring.diagnostics import Failed

from conftest import MINIMAL_WEEK, REPO

WEEK = MINIMAL_WEEK
PDF = f"AI动态汇总_{WEEK}.pdf"


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("authoring-cache")


@pytest.fixture
def proj(project: Path, cache: Path, monkeypatch) -> Path:
    shutil.copytree(REPO / "styles", project / "styles")
    monkeypatch.setenv("AUTHORING_CACHE", str(cache))
    monkeypatch.delenv("AUTHORING_DEBUG", raising=False)
    monkeypatch.chdir(project)
    return project


def week_dir(root: Path) -> Path:
    return root / "entries" / WEEK


def add_image_entry(root: Path, png: Path) -> None:
    (week_dir(root) / "02-shot.yaml").write_text(f"""\
id: shot
section: headlines
title: 截图
date: 2025-05-08
body:
  - paragraph: 见[[shot-image]]。
  - figure:
      kind: image
      id: shot-image
      title: 截图
      sources: [测试]
      file: {png.name}
      width: 0.5
""", encoding="utf-8")


def noisy_png(path: Path, side: int = 720) -> None:
    """A PNG of random pixels: it compresses to about its raw size (over 1 MiB)."""
    from PIL import Image

    rnd = random.Random(7)
    Image.frombytes("RGB", (side, side), bytes(rnd.getrandbits(8) for _ in range(side * side * 3))).save(path)


# ----------------------------------------------------------------- caches check as much

def test_an_image_damaged_in_place_is_checked_again(proj: Path, cache: Path):
    png = week_dir(proj) / "shot.png"
    noisy_png(png)
    assert png.stat().st_size > 1 << 20
    add_image_entry(proj, png)
    first = build_week(proj, WEEK, cache=cache)
    good = first.pdf.read_bytes()

    st_before = png.stat()
    raw = bytearray(png.read_bytes())
    middle = len(raw) // 2
    raw[middle: middle + 4096] = bytes(4096)  # damaged in place: same size
    png.write_bytes(bytes(raw))
    os.utime(png, ns=(st_before.st_atime_ns, st_before.st_mtime_ns))  # and the same time
    assert png.stat().st_size == st_before.st_size and png.stat().st_mtime_ns == st_before.st_mtime_ns

    with pytest.raises(Failed) as failed:
        build_week(proj, WEEK, cache=cache)
    text = "\n".join(map(str, failed.value.diagnostics))
    assert re.search(rf"^entries/{WEEK}/02-shot\.yaml:\d+:\d+: .*file: 'shot\.png' is not a readable PNG",
                     text, re.M), text
    assert first.pdf.read_bytes() == good  # the previous PDF untouched


# ----------------------------------------------------------------- not regular files

def _limited(memory: int):
    def limit():
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    return limit


def run_limited(*args, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """`authoring ARGS` with at most 2 GB of address space; a hang is stopped by the timeout."""
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "authoring", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout, preexec_fn=_limited(2 << 30))


def test_a_named_pipe_in_the_week_folder_never_hangs_a_build(proj: Path):
    os.mkfifo(week_dir(proj) / "notes")  # not an input: ignored, never opened for reading
    result = run_limited("build", WEEK, cwd=proj)
    assert result.returncode == 0, result.stderr
    os.mkfifo(week_dir(proj) / "03-pipe.yaml")  # named like an entry: refused with a message
    result = run_limited("build", WEEK, cwd=proj)
    assert result.returncode == 2, result.stderr
    assert f"entries/{WEEK}/03-pipe.yaml: is a named pipe, not a file" in result.stderr


def test_links_to_dev_zero_are_never_read(proj: Path):
    os.symlink("/dev/zero", week_dir(proj) / "zero.png")  # unreferenced
    os.symlink("/dev/zero", proj / "styles" / "templates" / "zero.j2")
    result = run_limited("build", WEEK, cwd=proj)
    assert result.returncode == 0, result.stderr[-2000:]
    os.symlink("/dev/zero", week_dir(proj) / "03-zero.yaml")
    result = run_limited("validate", cwd=proj)
    assert result.returncode == 2, result.stderr[-2000:]
    assert f"entries/{WEEK}/03-zero.yaml: is a link to a file outside the project" in result.stderr


def test_a_huge_entry_is_not_read_whole(project: Path, monkeypatch):
    big = week_dir(project) / "02-huge.yaml"
    with open(big, "wb") as fh:
        fh.truncate(300 << 20)  # sparse: 300 MB of zero bytes
    monkeypatch.chdir(project)
    tracemalloc.start()
    try:
        from authoring.check import validate_paths

        found = validate_paths([Path("entries")], Path("entries"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert any("02-huge.yaml" in str(d) and "a YAML file may be at most" in str(d) for d in found), found
    assert peak < 40 << 20, f"peak {peak / 1e6:.0f} MB while refusing a 300 MB file"


# ----------------------------------------------------------------- week arguments

@pytest.mark.parametrize("week", ["/tmp", ".", "", "..", "entries", f"entries/{WEEK}", f"./{WEEK}"])
def test_a_week_argument_that_is_not_a_week(proj: Path, week: str, capsys):
    assert cli.main(["build", week]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and re.fullmatch(r"1 error\(s\); nothing was written", err[1]), err
    assert "is not a week" in err[0] or "week folder does not exist" in err[0], err
    assert not (proj / "build").exists()


# ----------------------------------------------------------------- property: YAML shapes

#: What the property test grows YAML to (the limits README states; past them it must be exit 2)
DEPTHS = st.integers(1, yamlsource.MAX_DEPTH + 10)


def _nested(depth: int, style: str, leaf: str) -> str:
    if style == "flow":
        return "[" * depth + leaf + "]" * depth
    if style == "flow-map":
        return "{a: " * depth + leaf + "}" * depth
    lines, pad = [], "  "
    for i in range(depth):
        lines.append(pad * (i + 1) + ("- " if i % 2 else "k: ") + ("" if i < depth - 1 else leaf))
    return "\n" + "\n".join(lines)


LEAVES = st.sampled_from(["1", "-7", "3.5", "x", "'q'", '"d"', "~", "true", "1" * 40, "1" * 5000,
                          "&a v", "*a", "!!python/none x", "\u2028", "'unclosed", "[", "a: b: c",
                          "2025-02-30", "[[ref]]"])


@st.composite
def entry_texts(draw) -> str:
    head = "id: shape\nsection: headlines\ntitle: 标题\ndate: 2025-05-08\nbody:\n  - paragraph: 正文。\n"
    parts = [head]
    for i in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["nest", "long", "repeat", "keys"]))
        leaf = draw(LEAVES)
        if kind == "nest":
            parts.append(f"n{i}: " + _nested(draw(DEPTHS), draw(st.sampled_from(["flow", "flow-map", "block"])),
                                              leaf) + "\n")
        elif kind == "long":
            parts.append(f"l{i}: \"" + draw(st.sampled_from(["字", "a", "\\t", "é"])) * draw(st.integers(1, 40_000))
                         + "\"\n")
        elif kind == "repeat":
            parts.append(f"r{i}: [" + ", ".join([leaf] * draw(st.integers(1, 3000))) + "]\n")
        else:
            parts.append("".join(f"k{i}_{j}: {leaf}\n" for j in range(draw(st.integers(1, 500)))))
    return "".join(parts)


class _Timeout(Exception):
    pass


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith(field + ":"))


@contextlib.contextmanager
def peak_memory():
    """Yields a list that gets the most memory (bytes) the block added at any moment.
    On Linux the kernel's high-water mark of resident memory, reset before the block
    (/proc/self/clear_refs): it sees every allocation, C libraries' too, at no cost to
    the code measured.  Elsewhere Python's own allocations (tracemalloc, much slower)."""
    out: list[int] = []
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")  # reset VmHWM to the current resident size
        before = _status_kb("VmRSS")
    except OSError:
        tracemalloc.start()
        try:
            yield out
            out.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        return
    yield out
    out.append((_status_kb("VmHWM") - before) << 10)


def _alarm(signum, frame):
    raise _Timeout()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow,
                                                                 HealthCheck.data_too_large])
@given(text=entry_texts())
def test_yaml_grown_to_the_limits_gives_exit_0_or_2(project: Path, text: str, capsys):
    entry = week_dir(project) / "02-shape.yaml"
    entry.write_text(text, encoding="utf-8")
    old_cwd = os.getcwd()
    os.chdir(project)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(60)  # the harness's guard against a hang; no timing is asserted
    try:
        with peak_memory() as peak:
            code = cli.main(["validate", "-q"])
    except _Timeout:
        pytest.fail("validate did not finish within a minute (a hang)")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        os.chdir(old_cwd)
    peak = peak[0]
    err = capsys.readouterr().err
    assert code in (0, 2), err[-2000:]
    assert "internal error" not in err and "Traceback" not in err, err[-2000:]
    assert peak < 400 << 20, f"peak {peak / 1e6:.0f} MB"
    if code == 2:
        assert all(re.match(r"^\S[^:]*(:\d+:\d+)?: \S", line) or re.fullmatch(r"\d+ error\(s\)", line)
                   for line in err.splitlines()), err[-2000:]


def test_a_template_that_is_a_link_to_dev_zero_is_refused(proj: Path):
    title = proj / "styles" / "templates" / "title.j2"
    title.unlink()
    os.symlink("/dev/zero", title)
    result = run_limited("build", WEEK, cwd=proj)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "styles/templates/title.j2: template error: title.j2 is a link to a file outside" in result.stderr
    assert not (proj / "build").exists()
