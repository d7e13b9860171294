#!/usr/bin/env python3
"""The analyst's loop, measured (`make bench` runs it after the build figures).

A copy of the project; `authoring watch 20250505` runs in it as the analyst would start it
(a fresh process, warm caches).  After its first build the script makes ten edits to one
paragraph of one entry, one at a time: each appends a sentence to the paragraph (five of
them with five characters the report never drew, a different five each time), and the
figure is the time from the end of the save (the file written and closed) to the PDF
renamed into place (its inode changes; the folder is checked every 2 ms).  Between edits
the watch is left idle for half a second.  The CPU time the watch process spent per edit
is printed too (on a shared machine the wall time also counts waiting for a core).  Then one edit that breaks the entry: the figure
is the time from the save to the watch's first line naming the file with line and column.

  .venv/bin/python tools/bench_watch.py [--edits N] [--against DIR] [--keep]

`--against DIR` measures another checkout too (edits alternate between the two watch
processes, A B A B ..., so both see the same load of a shared machine).
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WEEK = "20250505"

#: Targets on the 2-core machine (seconds): save -> PDF in place, and save -> error shown.
TARGETS = {"median": 0.25, "max": 0.5, "error": 0.1}

#: Sentences appended to the paragraph (written for this benchmark; they state no facts).
PLAIN = (
    "我们将在后续周报中继续跟踪这一系列模型的落地进展。",
    "业内普遍关注其在代码与数学推理场景中的实际表现。",
    "相关技术细节可参阅官方博客与开源仓库中的说明文档。",
    "后续版本能否延续这一优势，仍有待更多第三方评测验证。",
    "这一动向也折射出开源社区与闭源厂商之间日趋激烈的竞争。",
)
#: Five characters the report never drew, a different five per edit.
NEW_CHARS = ("鼹鼷鼯鼱鼩", "魑魅魍魉夔", "饕餮耄耋龃", "龉黾鼋鼍蟊", "螭蠡蠹蠼蠲")


@dataclass
class Watcher:
    """One checkout's `authoring watch` process in its own copy of the project."""

    label: str
    root: Path
    work: Path
    proc: subprocess.Popen | None = None
    lines: "queue.Queue[str]" = field(default_factory=queue.Queue)
    entry: Path | None = None
    original: str = ""
    pdf: Path | None = None
    saves: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # CPU seconds of the watch process per edit
    errors: list[float] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    def start(self, cache: Path) -> None:
        for name in ("entries", "styles"):
            shutil.copytree(self.root / name, self.work / name)
        self.entry = sorted((self.work / "entries" / WEEK).glob("01-*.yaml"))[0]
        self.original = self.entry.read_text(encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=str(self.root), PYTHONIOENCODING="utf-8",
                   AUTHORING_CACHE=str(cache))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        # warm caches and bytecode first, as on an analyst's machine
        subprocess.run([sys.executable, "-m", "authoring", "build", WEEK], cwd=self.work, env=env,
                       check=True, stdout=subprocess.DEVNULL)
        self.proc = subprocess.Popen([sys.executable, "-m", "authoring", "watch", WEEK], cwd=self.work,
                                     env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, encoding="utf-8")
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for(_built, 300)
        self.pdf = next((self.work / "build" / WEEK).glob("*.pdf"))

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))

    def wait_for(self, pred, timeout: float) -> float:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            try:
                at, line = self.lines.get(timeout=0.05)
            except queue.Empty:
                continue
            self.log.append(line)
            if pred(line):
                return at
        raise SystemExit(f"bench_watch [{self.label}]: no expected line within {timeout} s:\n"
                         + "\n".join(self.log[-20:]))

    def edit(self, k: int) -> None:
        """Edit k: append a sentence to the entry's first one-line paragraph, then time the
        save -> PDF renamed into place."""
        sentence = (f"（本句只为测试新字符：{NEW_CHARS[k // 2 % len(NEW_CHARS)]}。）" if k % 2
                    else PLAIN[k // 2 % len(PLAIN)])
        text = _append(self.original, sentence)
        before = os.stat(self.pdf).st_ino
        cpu0 = _cpu(self.proc.pid)
        self.entry.write_text(text, encoding="utf-8")
        saved = time.perf_counter()
        end = saved + 60
        while os.stat(self.pdf).st_ino == before:
            if time.perf_counter() > end:
                raise SystemExit(f"bench_watch [{self.label}]: the PDF was not replaced within 60 s:\n"
                                 + "\n".join(self.log[-20:]))
            time.sleep(0.002)
        self.saves.append(time.perf_counter() - saved)
        self.cpu.append(_cpu(self.proc.pid) - cpu0)
        self.wait_for(_built, 60)  # its line printed
        time.sleep(0.5)

    def error(self) -> None:
        """An edit that breaks the entry: save -> the watch prints file:line:col."""
        bad = self.original.replace("title:", "titel:", 1)
        self.entry.write_text(bad, encoding="utf-8")
        saved = time.perf_counter()
        at = self.wait_for(lambda l: l.startswith(f"entries/{WEEK}/{self.entry.name}:"), 60)
        self.errors.append(at - saved)
        self.wait_for(lambda l: "error" in l and "waiting" in l, 60)
        self.entry.write_text(self.original, encoding="utf-8")
        self.wait_for(_built, 60)
        time.sleep(0.5)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(2)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _built(line: str) -> bool:
    """A build's line (this watch prints one line per build; older ones ended with the
    build's summary, "built N pages, ...")."""
    return " pages" in line and ".pdf" in line


def _append(text: str, sentence: str) -> str:
    import re

    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*- paragraph: )(?![>|'\"])(.*\S)\s*$", line)
        if m:
            lines[i] = m.group(1) + m.group(2) + sentence + "\n"
            return "".join(lines)
    raise SystemExit("bench_watch: the entry has no one-line '- paragraph:' to edit")


def measure(roots: list[tuple[str, Path]], edits: int, errors: int, tmp: Path) -> list[Watcher]:
    watchers = [Watcher(label, root, tmp / f"w{i}") for i, (label, root) in enumerate(roots)]
    try:
        for i, w in enumerate(watchers):
            w.start(tmp / f"cache{i}")
        for k in range(edits):
            for w in (watchers if k % 2 == 0 else watchers[::-1]):
                w.edit(k)
        for _ in range(errors):
            for w in watchers:
                w.error()
    finally:
        for w in watchers:
            w.stop()
    return watchers


def report(watchers: list[Watcher]) -> list[str]:
    rows = []
    for w in watchers:
        s = w.saves
        tag = f" [{w.label}]" if len(watchers) > 1 else ""
        rows.append(f"watch{tag}: save -> PDF in place, {len(s)} edits (half with new characters): "
                    f"median {statistics.median(s):.3f} s, max {max(s):.3f} s "
                    f"(each: {', '.join(f'{x:.3f}' for x in s)}); CPU of the watch per edit: median "
                    f"{statistics.median(w.cpu):.2f} s")
        if w.errors:
            rows.append(f"watch{tag}: save -> error shown: {', '.join(f'{x:.3f}' for x in w.errors)} s")
    this = watchers[-1]
    med, top = statistics.median(this.saves), max(this.saves)
    err = max(this.errors) if this.errors else 0.0
    rows.append(f"targets: median ≤ {TARGETS['median']} s: {'ok' if med <= TARGETS['median'] else 'MISSED'}; "
                f"max ≤ {TARGETS['max']} s: {'ok' if top <= TARGETS['max'] else 'MISSED'}; "
                f"error ≤ {TARGETS['error']} s: {'ok' if err <= TARGETS['error'] else 'MISSED'}")
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--edits", type=int, default=10)
    p.add_argument("--errors", type=int, default=3, help="broken saves to time (default 3)")
    p.add_argument("--against", type=Path, metavar="DIR", help="another checkout, measured alternately")
    p.add_argument("--keep", action="store_true")
    args = p.parse_args(argv)
    roots = [(REPO.name, REPO)]
    if args.against:
        roots.insert(0, (args.against.resolve().name, args.against.resolve()))
    tmp = Path(tempfile.mkdtemp(prefix="authoring-bench-watch-"))
    try:
        print("\n".join(report(measure(roots, args.edits, args.errors, tmp))), flush=True)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
