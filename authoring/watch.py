"""`authoring watch WEEK`: rebuild the week's PDF whenever one of its inputs is saved.

Watched: the week's inputs (authoring.cache.inputs): its folder, entries/people.yaml,
entries/catalogue.yaml and everything under
styles/ (brand, theme, templates), through the operating system's file events (inotify on
Linux, via watchfiles).  Where events do not arrive, on network file systems (NFS, SMB,
sshfs...) or when WATCHFILES_FORCE_POLLING is set, the files are polled every 0.3 s, and the
first line says so.

Every build runs in this process (authoring.incremental.Session): only the changed files
are parsed again, everything unchanged comes from memory, and the PDF is byte for byte the
one `authoring build` writes.  One line per build: the time, how long it took, the pages
and what changed.  Bad input prints its diagnostics as soon as the save is read and keeps
watching (the last good PDF stays as it was).  With `--open` the first PDF is opened once
in the system's viewer (xdg-open); viewers that reload a changed file then follow.  Ctrl-C
stops with exit code 0.
"""

from __future__ import annotations

import gc
import os
import subprocess
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .cache.inputs import REGISTRIES
from .diagnostics import Diagnostic, Failed, display_path

#: File systems whose changes made on another machine send no events here.
NETWORK_FS = ("nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "afs", "ceph", "glusterfs",
              "fuse.rclone", "davfs", "fuse.davfs2", "vboxsf", "virtiofs", "fuse.s3fs")
POLL_MS = 300
#: milliseconds without a further event after which a save counts as finished
SETTLE_MS = 10


def watch(root: Path, week: str, max_builds: int | None = None, open_pdf: bool = False,
          out: Callable[[str], None] = lambda s: print(s, flush=True),
          session=None, changes: Iterable[set[str]] | None = None,
          opener: Callable[[Path], None] | None = None) -> int:
    """Build now, then after every change; return 0 on Ctrl-C or after `max_builds` builds.
    `session` (default: an incremental Session), `changes` (default: file events, each a
    set of changed paths) and `opener` (default: xdg-open) are what tests replace."""
    root = Path(root)
    folder = root / "entries" / week
    if not folder.is_dir():
        from .build import week_problem

        problem = week_problem(root, week)
        weeks = sorted(p.name for p in (root / "entries").iterdir() if p.is_dir()) \
            if (root / "entries").is_dir() else []
        raise Failed([problem] if problem else [
            Diagnostic(display_path(folder), 0, 0, "week folder does not exist"
                       + (f"; weeks here: {', '.join(weeks)}" if weeks else ""))])
    if session is None:
        from .incremental import Session

        session = Session(root, week)
    polling, why = polling_reason(root)
    how = f"polling every {POLL_MS / 1000:g} s: {why}" if polling else "file system events"
    builds = 0
    opened = False
    try:
        if changes is None:
            changes = _events(root, week, polling)
        events: Iterator[set[str]] = iter(changes)
        out(f"watching {_relative(folder, root)}, entries/{{{','.join(REGISTRIES)}}} and styles/ "
            f"({how}; Ctrl-C stops)")
        changed: list[str] = []
        while True:
            result = _build_once(session, changed, out, first=builds == 0)
            builds += 1
            if result is not None and open_pdf and not opened:
                opened = True
                (opener or _open)(result.pdf)
            if builds == 1:
                session.warm_up()
                gc.collect()
                gc.freeze()  # what the first build left is never scanned again
            if max_builds is not None and builds >= max_builds:
                return 0
            changed = relevant(root, week, next(events))
            while not changed:
                changed = relevant(root, week, next(events))
    except (KeyboardInterrupt, StopIteration):
        out("stopped")
        return 0


def relevant(root: Path, week: str, paths: Iterable[str]) -> list[str]:
    """The inputs of the week among `paths`, relative to the project folder (editor backups
    and lock files are not inputs; nor are other weeks' folders)."""
    from .cache.inputs import is_input

    return sorted({_relative(Path(p), root) for p in paths if is_input(root, week, Path(p))})


def _build_once(session, changed: list[str], out, first: bool):
    stamp = time.strftime("%H:%M:%S")
    started = time.perf_counter()
    what = ("" if first else ": " + ", ".join(changed[:3])
            + (f" and {len(changed) - 3} more" if len(changed) > 3 else "") + " changed")
    try:
        result = session.build()
    except Failed as failed:
        for d in failed.diagnostics:
            out(str(d))
        out(f"[{stamp}] {len(failed.diagnostics)} error(s) after {time.perf_counter() - started:.2f} s"
            f"{what}; the PDF was not changed; waiting for changes")
        return None
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - a bug in the engine must not end the session
        out(f"[{stamp}] build failed ({type(exc).__name__}: {exc}); waiting for changes")
        return None
    for w in result.warnings:
        out(str(w))
    out(f"[{stamp}] {'built' if first else 'rebuilt'} {result.pages} pages in "
        f"{time.perf_counter() - started:.2f} s{what}: {display_path(result.pdf)}")
    return result


def _events(root: Path, week: str, polling: bool) -> Iterator[set[str]]:
    """Sets of changed paths under entries/ and styles/, as the file events report them.
    The folders are watched whole (an editor's save by renaming a new file into place, or a
    folder made later, is seen too), from now on, by a thread: what changes during a build
    is the next set.  Events that arrive together are one set."""
    import queue
    import threading

    import watchfiles

    found: "queue.Queue[set[str]]" = queue.Queue()
    watched = [p for p in (root / "entries", root / "styles") if p.is_dir()]
    ready = threading.Event()

    def listen() -> None:
        for changes in watchfiles.watch(*watched, watch_filter=None, debounce=400, step=SETTLE_MS,
                                        force_polling=polling, poll_delay_ms=POLL_MS, rust_timeout=100,
                                        yield_on_timeout=True, raise_interrupt=False,
                                        ignore_permission_denied=True):
            ready.set()
            if changes:
                found.put({path for _change, path in changes})

    threading.Thread(target=listen, name="watch-events", daemon=True).start()
    ready.wait(5)  # the watcher is in place (its first timeout) before the first build
    return _batches(found)


def _batches(found) -> Iterator[set[str]]:
    import queue

    while True:
        try:
            batch = found.get(timeout=0.5)  # a timeout lets Ctrl-C through
        except queue.Empty:
            continue
        while not found.empty():
            batch |= found.get_nowait()
        yield batch


def polling_reason(root: Path) -> tuple[bool, str]:
    """Whether to poll instead of waiting for events, and why."""
    env = os.environ.get("WATCHFILES_FORCE_POLLING", "").strip().lower()
    if env and env not in ("false", "disable", "disabled"):
        return True, "WATCHFILES_FORCE_POLLING is set"
    fs = file_system(root)
    if fs in NETWORK_FS:
        return True, f"the project is on a network file system ({fs}), which sends no events"
    return False, ""


def file_system(path: Path) -> str | None:
    """The type of the file system `path` is on (Linux: /proc/mounts), or None."""
    try:
        lines = Path("/proc/mounts").read_text().splitlines()
        target = str(Path(path).resolve())
    except OSError:
        return None
    best, kind = "", None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount = parts[1].replace("\\040", " ")
        if (target == mount or target.startswith(mount.rstrip("/") + "/")) and len(mount) >= len(best):
            best, kind = mount, parts[2]
    return kind


def _open(pdf: Path) -> None:
    """Open the PDF once in the system's viewer; say so when there is none."""
    try:
        subprocess.Popen(["xdg-open", str(pdf)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        print(f"cannot open {display_path(pdf)} (xdg-open: {exc.strerror or exc}); open it yourself",
              flush=True)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return display_path(path)
