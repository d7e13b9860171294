"""Reading an input file safely: a regular file only (a named pipe never hangs the read),
at most MAX_FILE_BYTES, UTF-8; what is wrong said as a diagnostic."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..diagnostics import Diagnostic, display_path

MAX_FILE_BYTES = 1_000_000


def special_kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_bounded(path: Path, limit: int) -> bytes:
    """At most `limit` + 1 bytes of a regular file.  Opened without blocking (a named pipe
    never hangs the read) and checked to be a regular file before anything is read; the
    limit is checked while reading, so a huge file is never held in memory.  Raises
    OSError, or `NotRegular` with what the file is."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        kind = special_kind(os.fstat(fd).st_mode)
        if kind:
            raise NotRegular(kind)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class NotRegular(Exception):
    """A path names a pipe, a device, a socket or a folder, not a file's contents."""


def read_text(path: Path, file: str | None = None) -> tuple[str | None, list[Diagnostic]]:
    """File contents as text: UTF-8 (a byte-order mark is accepted).  `file` is the path
    as diagnostics show it (display_path(path) when not given).  Only a regular file of
    at most MAX_FILE_BYTES is read."""
    file = file or display_path(path)
    try:
        raw = read_bounded(path, MAX_FILE_BYTES)
    except NotRegular as kind:
        what = "is a folder" if str(kind) == "a folder" else f"is {kind}, not a file"
        return None, [Diagnostic(file, 0, 0, f"{what}; expected a YAML file")]
    except OSError as exc:
        return None, [Diagnostic(file, 0, 0, f"cannot be read: {exc.strerror or exc}")]
    if len(raw) > MAX_FILE_BYTES:
        try:
            size = f"{max(os.stat(path).st_size, len(raw)):,} bytes"
        except OSError:
            size = f"more than {MAX_FILE_BYTES:,} bytes"
        return None, [Diagnostic(file, 0, 0, f"is {size}; a YAML file may be at most "
                                             f"{MAX_FILE_BYTES:,} bytes (put pictures in image files)")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = len(raw[raw.rfind(b"\n", 0, exc.start) + 1: exc.start].decode("utf-8", "replace")) + 1
        hint = " (UTF-16?)" if b"\x00" in raw[:4] else ""
        return None, [Diagnostic(file, line, col, f"is not UTF-8 text{hint}: byte 0x{raw[exc.start]:02x} "
                                 "cannot be read; save the file with the UTF-8 encoding")]
    return text, []
