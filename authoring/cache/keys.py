"""Parts of the caches' keys: files' names and bytes, package versions and the source of
code, read without importing anything (a cache key must not cost the imports the cache
saves), and a key as part of a file name."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
import sys
from pathlib import Path


@functools.lru_cache(maxsize=8)
def package_version(name: str, version_file: str = "__init__.py") -> str:
    """An installed package's version, without importing it (a cache key must not cost a
    second of imports): its ``__version__`` if it is imported, else the version assignment
    in `version_file`, else the name of the one ``<name>-<version>.dist-info`` folder beside
    the package (what pip installs), else the distribution's metadata (importlib.metadata
    alone costs 4 % of a warm build to import)."""
    mod = sys.modules.get(name)
    if mod is not None and isinstance(getattr(mod, "__version__", None), str):
        return mod.__version__
    try:
        from importlib.util import find_spec

        spec = find_spec(name)
        for loc in (spec.submodule_search_locations or []) if spec else []:
            path = Path(loc) / version_file
            if path.is_file():
                m = re.search(r"""^(?:__version__|version)\s*=\s*(?:(?:__version__|version)\s*=\s*)?"""
                              r"""['"]([^'"]+)['"]""", path.read_text(encoding="utf-8"), re.M)
                if m:
                    return m.group(1)
            infos = list(Path(loc).parent.glob(f"{name}-*.dist-info"))
            if len(infos) == 1:
                return infos[0].name[len(name) + 1 : -len(".dist-info")]
    except (ImportError, OSError, ValueError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def safe_name(text: str) -> str:
    """`text` as part of a cache file name: itself when it is a plain word (a week such as
    20250505), else a hash of it (no separators or '..' can reach the file system)."""
    if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", text):
        return text
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]


#: No input is larger than this (YAML files <= 1 MB, images <= 8 MB): a larger file counts
#: by its size only, without being read (it fails validation wherever it is used).
HASHED_BYTES = 16 << 20


def files_under(folder: Path) -> list[Path]:
    """Every name below `folder`, in a fixed order (none if it does not exist).  Links to
    folders are not followed; what each name is, is for `hash_files` to say."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        out.extend(Path(dirpath) / name for name in sorted(filenames))
    return out


def hash_files(h, paths, base: Path) -> None:
    """Add each file's name (relative to `base`) and content to the hash `h`: a renamed,
    added, deleted or edited file changes it.  Every byte of every regular file counts (size
    and modification time can stay the same when a file is damaged or rewritten); a file
    is opened without blocking and checked to be a regular file before it is read, so a
    named pipe, a device or a link to one is counted by what it is, never read.  A link
    counts by its target's name, and by its content only when the target is inside `base`."""
    base_real = Path(base).resolve()
    for path in paths:
        path = Path(path)
        h.update(str(path.relative_to(base)).encode("utf-8", "surrogateescape") + b"\0")
        try:
            if path.is_symlink():
                h.update(b"link:" + os.fsencode(os.readlink(path)) + b"\0")
                real = path.resolve()
                if not real.is_relative_to(base_real):
                    continue  # never read outside the project (validation refuses it if used)
            _hash_content(h, path)
        except (OSError, RuntimeError, ValueError):
            h.update(b"missing")


def _hash_content(h, path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            h.update(f"special:{stat.S_IFMT(st.st_mode)}".encode())
            return
        if st.st_size > HASHED_BYTES:
            h.update(f"too-big:{st.st_size}".encode())
            return
        digest, size = hashlib.sha256(), 0
        while size <= HASHED_BYTES and (chunk := os.read(fd, 1 << 20)):  # bounded if it grows
            digest.update(chunk)
            size += len(chunk)
        h.update(digest.digest())
    finally:
        os.close(fd)


def code_digest(folder: Path, packages: tuple[str, ...]) -> "hashlib._Hash":
    """A hash of the source of the modules in `folder` and its subpackages (names and
    bytes), the versions of `packages` and Python's version: a result kept under it was
    made by this code."""
    h = hashlib.sha256()
    hash_files(h, sorted(Path(folder).rglob("*.py")), Path(folder))
    for name in packages:
        h.update(f"{name}={package_version(name)}\0".encode())
    h.update(sys.version.encode())
    return h
