"""One kind of cache on disk: entries found by a key, each a file of one folder.

Every cache of the build (the snapshot of a week, the typesetting and shaping memos, font
subsets, fontconfig's answers, rendered templates, charts) is a `Store`, so that each of
them gets the same guarantees without code of its own:

- an entry file starts with a header line naming the store's format, a hash of the key,
  the payload's length and its CRC-32.  A file from another format or key, from other
  code, cut short or damaged is a miss: `get` returns None and never raises;
- a write goes to a temporary file beside the entry, renamed over it when complete
  (`authoring.atomic.write_bytes`): a reader sees the old entry or the new one, never half
  of one.  A write that fails (a read-only or full disk) costs time only;
- an entry read is marked as used (its modification time refreshed, at most once a day),
  and entries unused for `UNUSED_DAYS` are deleted, at most once per process and store
  folder, when the store writes: entries whose key changed (an edited template, a new
  version of the code, a replaced font) are never read again and would otherwise pile up.

Charts are read by reportlab and browsers from files, so a chart is a *bare* entry: the
file holds the PNG or SVG alone, under a name derived from the key, and the caller's
`intact` check (a PNG's signature and end chunk) stands in for the header.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import stat
import time
import zlib
from pathlib import Path
from typing import Any, Callable

#: Entries not used for this many days are deleted when the store next writes.
UNUSED_DAYS = 30
#: A hit refreshes an entry's modification time when it is older than this.
MARK_SECONDS = 86400

MAGIC = b"authoring-cache"
_HEADER = re.compile(rb"authoring-cache (\S+) ([0-9a-f]{32}) (\d+) ([0-9a-f]{8})\n")
_PRUNED: set[tuple[str, str]] = set()
_SPILL: list[Path] = []


def marshalled_dict(raw: bytes) -> dict:
    """A `get` decoder for the memos kept as a marshalled dict (marshal: the fastest
    reader of plain data, and its format is Python's, which is part of their keys)."""
    import marshal

    data = marshal.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("not a dict")
    return data


def key_hash(key: str) -> str:
    """The key as it is written in a header: a fixed-size hex digest."""
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


class Store:
    """Entries ``<prefix><name><suffix>`` in `folder`, written in format `format` (a word
    that changes whenever the payload's layout does)."""

    def __init__(self, folder: Path, suffix: str, format: str, prefix: str = ""):
        if not re.fullmatch(r"\S{1,40}", format):  # the header fits in the line `get` reads
            raise ValueError(f"a store's format is one short word, not {format!r}")
        self.folder, self.suffix, self.format, self.prefix = Path(folder), suffix, format, prefix

    # -- names ---------------------------------------------------------------------------

    def name(self, key: str) -> str:
        """The file name part of an entry found by its content key alone."""
        return hashlib.sha256(f"{self.format}\0{key}".encode("utf-8", "surrogateescape")).hexdigest()

    def path(self, name: str) -> Path:
        return self.folder / f"{self.prefix}{name}{self.suffix}"

    # -- framed entries: header and payload ----------------------------------------------

    def get(self, key: str, name: str | None = None, decode: Callable[[bytes], Any] | None = None):
        """The payload kept under `key` (decoded by `decode`), else None.  `name` places the
        entry (one file per week, replaced when its key changes); by default the key does.
        Whatever goes wrong reading or decoding it is a miss."""
        path = self.path(self.name(key) if name is None else name)
        try:
            head, payload, mtime = _read_regular(path)
            payload = self._payload(head, payload, key)
            if payload is None:
                return None
            value = payload if decode is None else decode(payload)
        except Exception:  # noqa: BLE001 - absent, unreadable, damaged, from other code: a miss
            return None
        if mtime < time.time() - MARK_SECONDS:
            self.mark_used(path)
        return value

    def _payload(self, head: bytes, payload: bytes, key: str) -> bytes | None:
        m = _HEADER.fullmatch(head)
        if m is None or m.group(1) != self.format.encode() or m.group(2) != key_hash(key).encode():
            return None
        if len(payload) != int(m.group(3)) or zlib.crc32(payload) != int(m.group(4), 16):
            return None
        return payload

    def put(self, key: str, value, name: str | None = None,
            encode: Callable[[Any], bytes] | None = None) -> bool:
        """Keep `value` (bytes, or what `encode` makes bytes of) under `key`; False when it
        could not be encoded or written (the next build does the work again)."""
        try:
            payload = value if encode is None else encode(value)
            head = b"%s %s %s %d %08x\n" % (MAGIC, self.format.encode(), key_hash(key).encode(),
                                            len(payload), zlib.crc32(payload))
        except Exception:  # noqa: BLE001 - a value that cannot be kept is not kept
            return False
        return self._write(self.path(self.name(key) if name is None else name), (head, payload)) is not None

    # -- bare entries: the file is the payload (charts) ----------------------------------

    def file(self, key: str, intact: Callable[[Path], bool]) -> Path | None:
        """The bare entry of `key` when it exists and `intact` says it is whole, else None."""
        path = self.path(self.name(key))
        try:
            st = os.stat(path)
            if not stat.S_ISREG(st.st_mode) or not intact(path):
                return None
            if st.st_mtime < time.time() - MARK_SECONDS:
                self.mark_used(path)
        except Exception:  # noqa: BLE001 - an entry that cannot be checked is a miss
            return None
        return path

    def put_file(self, key: str, data: bytes) -> Path:
        """Keep `data` as the bare entry of `key` and return its path; when the store cannot
        be written, a file of this process's own temporary folder (removed at exit)."""
        path = self.path(self.name(key))
        if self._write(path, data) is not None:
            return path
        spill = _spill_folder() / path.name
        spill.write_bytes(data)
        return spill

    # -- upkeep ----------------------------------------------------------------------------

    def _write(self, path: Path, data) -> Path | None:
        from ..atomic import write_bytes

        try:
            write_bytes(path, data)
        except OSError:
            return None
        self.prune_once(keep={path})
        return path

    @staticmethod
    def mark_used(path: Path) -> None:
        """Refresh an entry's modification time: `prune` deletes only entries nobody reads."""
        try:
            os.utime(path)
        except OSError:
            pass

    def prune(self, keep=frozenset(), days: float = UNUSED_DAYS) -> list[Path]:
        """Delete this store's entries (except `keep`) unused for `days`; return them."""
        limit = time.time() - days * 86400
        gone = []
        try:
            for path in self.folder.glob(f"{glob.escape(self.prefix)}*{glob.escape(self.suffix)}"):
                try:
                    if path not in keep and path.stat().st_mtime < limit:
                        path.unlink()
                        gone.append(path)
                except OSError:
                    pass
        except OSError:
            pass
        return gone

    def prune_once(self, keep=frozenset()) -> None:
        """`prune`, at most once per process for this store's folder and file names: a build
        that writes many entries (ten font subsets after an edit) scans the folder once."""
        mark = (str(self.folder), self.prefix + "*" + self.suffix)
        if mark not in _PRUNED:
            _PRUNED.add(mark)
            self.prune(keep)


def _read_regular(path: Path) -> tuple[bytes, bytes, float]:
    """The first line (at most 160 bytes), the rest and the modification time of a regular
    file (the payload is read into one object of its own, not copied out of the whole);
    anything else (a pipe put where an entry was: it would block) raises OSError unread."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(f"{path} is not a regular file")
        return fh.readline(160), fh.read(), st.st_mtime


def _spill_folder() -> Path:
    if not _SPILL:
        import atexit
        import shutil
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="authoring-cache-"))
        atexit.register(shutil.rmtree, folder, True)
        _SPILL.append(folder)
    return _SPILL[0]
