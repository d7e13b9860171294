"""`authoring watch WEEK`: rebuild the week's PDF whenever one of its inputs changes.

Watched (polled every 0.5 s; no extra dependency): the week's folder,
entries/*.yaml (people, catalogue) and everything under styles/ (brand, theme,
templates).  After each build it prints the time and the build's summary line;
bad input prints the diagnostics and keeps watching (the previous PDF stays
as it was).  Ctrl-C stops it with exit code 0.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from .diagnostics import Failed, display_path
from .preview import input_files

Snapshot = dict[str, tuple[int, int]]


def snapshot(root: Path, week: str) -> Snapshot:
    state: Snapshot = {}
    for p in input_files(root, week):
        try:
            st = p.stat()
        except OSError:  # removed between listing and stat
            continue
        state[str(p)] = (st.st_mtime_ns, st.st_size)
    return state


def changed(before: Snapshot, after: Snapshot, root: Path) -> list[str]:
    """The files that differ, relative to the project folder."""
    names = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    return sorted(_relative(Path(n), root) for n in names)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return display_path(path)


def watch(root: Path, week: str, interval: float = 0.5, max_builds: int | None = None,
          out: Callable[[str], None] = lambda s: print(s, flush=True),
          build: Callable | None = None, sleep: Callable[[float], None] = time.sleep) -> int:
    """Build now, then after every change; return 0 on Ctrl-C or after `max_builds` builds."""
    root = Path(root)
    if build is None:
        from .build import build_week as build
    folder = root / "entries" / week
    if not folder.is_dir():
        weeks = sorted(p.name for p in (root / "entries").iterdir() if p.is_dir()) \
            if (root / "entries").is_dir() else []
        raise Failed([_diag(folder, "week folder does not exist"
                            + (f"; weeks here: {', '.join(weeks)}" if weeks else ""))])
    builds = 0
    try:
        state = snapshot(root, week)
        out(f"watching {_relative(folder, root)}, entries/*.yaml and styles/ (Ctrl-C stops)")
        while True:
            _build_once(root, week, build, out)
            builds += 1
            if max_builds is not None and builds >= max_builds:
                return 0
            while True:  # wait for a change, then for the files to settle
                sleep(interval)
                now = snapshot(root, week)
                if now != state:
                    sleep(interval)
                    settled = snapshot(root, week)
                    if settled == now:
                        files = changed(state, now, root)
                        state = now
                        shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
                        out(f"changed: {shown}")
                        break
    except KeyboardInterrupt:
        out("stopped")
        return 0


def _build_once(root: Path, week: str, build, out) -> None:
    stamp = time.strftime("%H:%M:%S")
    started = time.perf_counter()
    try:
        result = build(root, week)
    except Failed as failed:
        for d in failed.diagnostics:
            out(str(d))
        out(f"[{stamp}] {len(failed.diagnostics)} error(s) after {time.perf_counter() - started:.2f} s; "
            "the PDF was not changed; waiting for changes")
        return
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - a bug in the engine must not end the session
        out(f"[{stamp}] build failed ({type(exc).__name__}: {exc}); waiting for changes")
        return
    out(f"[{stamp}] rebuilt in {time.perf_counter() - started:.2f} s")
    out(result.summary_line())


def _diag(path, message):
    from .diagnostics import Diagnostic

    return Diagnostic(display_path(path), 0, 0, message)
