"""Atomic file writes: a temporary file beside the target, then a rename.

Used for the outputs (the PDF, the web edition, scaffolded files) and, through
`cache.store.Store`, for every cache entry: a failed or interrupted write never leaves
a partial file under the real name, and the previous file stays intact until the new
one is complete.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: Path, data: bytes | tuple[bytes, ...], *, durable: bool = False) -> None:
    """Write `data` (bytes, or a tuple of parts written one after the other: a cache
    entry's header and payload, not joined in memory) to `path` atomically (mode 0666 minus
    the umask, as open() would).

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
            for part in data if isinstance(data, tuple) else (data,):
                fh.write(part)
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


def write_text(path: Path, text: str, *, durable: bool = True) -> None:
    write_bytes(path, text.encode("utf-8"), durable=durable)
