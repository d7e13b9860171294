"""Parts of the caches' keys: package versions and the source of code, read without
importing anything (a cache key must not cost the imports the cache saves)."""

from __future__ import annotations

import functools
import hashlib
import os
import re
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



#: Files larger than this are hashed by size and modification time instead of content.
HASHED_BYTES = 1 << 20


def files_under(folder: Path) -> list[Path]:
    """Every file below `folder`, in a fixed order (none if it does not exist)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        out.extend(Path(dirpath) / name for name in sorted(filenames))
    return out


def hash_files(h, paths, base: Path) -> None:
    """Add each file's name (relative to `base`) and content to the hash `h`: a renamed,
    added, deleted or edited file changes it.  Files over HASHED_BYTES count by size and
    modification time, unreadable ones as missing."""
    for path in paths:
        h.update(str(Path(path).relative_to(base)).encode("utf-8", "surrogateescape") + b"\0")
        try:
            st = os.stat(path)
            if st.st_size <= HASHED_BYTES:
                h.update(hashlib.sha256(Path(path).read_bytes()).digest())
            else:
                h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
        except OSError:
            h.update(b"missing")


def code_digest(folder: Path, packages: tuple[str, ...]) -> "hashlib._Hash":
    """A hash of the source of the modules in `folder` (names and bytes), the versions of
    `packages` and Python's version: a result kept under it was made by this code."""
    h = hashlib.sha256()
    hash_files(h, sorted(Path(folder).glob("*.py")), Path(folder))
    for name in packages:
        h.update(f"{name}={package_version(name)}\0".encode())
    h.update(sys.version.encode())
    return h
