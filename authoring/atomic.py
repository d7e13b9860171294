"""Atomic file writes: a temporary file beside the target, then a rename.

Used for the PDF and every cache file: a failed or interrupted write never
leaves a partial file under the real name, and the previous file stays
intact until the new one is complete.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write `data` to `path` atomically (mode 0666 minus the umask, as open() would).

    `durable` also fsyncs before the rename: for outputs a user keeps, not for caches.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):  # mkstemp makes 0600
            os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


STALE_SECONDS = 600


_SWEPT: set[str] = set()


def _remove_stale(path: Path) -> None:
    """Temporary files left in the target's folder by a killed process (SIGKILL cannot clean
    up).  Once per folder and process: a build writes a dozen cache files into one folder,
    and each scan of it costs a millisecond or two."""
    import time

    folder = str(path.parent)
    if folder in _SWEPT:
        return
    _SWEPT.add(folder)
    now = time.time()
    for tmp in path.parent.glob(".*.tmp"):
        try:
            if now - tmp.stat().st_mtime > STALE_SECONDS:
                tmp.unlink()
        except OSError:
            pass


#: Cache files not used for this many days are deleted when newer ones are written.
UNUSED_DAYS = 30


def mark_used(paths) -> None:
    """Refresh the modification time of cache files in use (at most once a day), so that
    `prune_unused` only ever deletes files nobody reads."""
    import time

    day_ago = time.time() - 86400
    for path in paths:
        try:
            if os.stat(path).st_mtime < day_ago:
                os.utime(path)
        except OSError:
            pass


def prune_unused(folder: Path, pattern: str, keep=frozenset(), days: float = UNUSED_DAYS) -> list[Path]:
    """Delete cache files matching `pattern` in `folder` (except `keep`) not used for
    `days`, and return them: entries whose key has changed (an edited template, a new
    version of the code, a replaced font) are never read again, and would otherwise pile
    up.  `mark_used` keeps the files in use recent."""
    import time

    limit = time.time() - days * 86400
    gone = []
    try:
        for path in Path(folder).glob(pattern):
            try:
                if path not in keep and path.stat().st_mtime < limit:
                    path.unlink()
                    gone.append(path)
            except OSError:
                pass
    except OSError:
        pass
    return gone


_PRUNED: set[tuple[str, str]] = set()


def prune_unused_once(folder: Path, pattern: str) -> None:
    """`prune_unused`, at most once per folder and pattern in a process: for a build that writes
    many entries into one folder at once (an edit renumbers reportlab's font subsets, and
    ten programs are written), one scan of the folder is enough."""
    key = (str(folder), pattern)
    if key not in _PRUNED:
        _PRUNED.add(key)
        prune_unused(folder, pattern)


def safe_name(text: str) -> str:
    """`text` as part of a cache file name: itself when it is a plain word (a week such as
    20250505), else a hash of it (no separators or '..' can reach the file system)."""
    import hashlib
    import re

    if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", text):
        return text
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def write_text(path: Path, text: str, *, durable: bool = True) -> None:
    write_bytes(path, text.encode("utf-8"), durable=durable)
