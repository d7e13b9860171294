"""The assembled report of an unchanged week, kept between builds.

Loading, validating and assembling a week needs PyYAML, pydantic, the models and jinja2:
over a third of a warm build's instructions, to produce the same `Report` as last time.
The build keeps, per week, the assembled report with the characters of its source files
(`Gathered`), under a key of everything that went into it:

- the bytes of every file of the week folder (entries, week.yaml, images), of
  entries/people.yaml and entries/catalogue.yaml, and of every file in styles/ (theme,
  brand, templates), with their names: every byte, never a size or a modification time
  (cachekeys.hash_files; pipes and devices are counted by what they are, never read, and
  links out of the project by their target's name);
- the project's folder as given and the working folder (the report records where the
  week lives, and file names as messages show them);
- the source of the authoring package's modules and the versions of Python, pydantic,
  pydantic-core, PyYAML and jinja2.

Any change to any of them is a miss, and the week is validated and assembled again.  One
file per week (``<cache>/snapshots/<week>.pickle``), replaced when the key changes, so
the folder never holds more than one snapshot per week; a damaged or unreadable file is
a miss.  pickle, because the report is NamedTuples and dates (reportmodel.py) and
pickle reads them back without importing anything else; the file is the user's own
cache, as trusted as Python's bytecode cache beside it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import NamedTuple

from .atomic import mark_used, prune_unused, safe_name, write_bytes
from .cachekeys import code_digest, files_under, hash_files
from .reportmodel import Report

FORMAT = b"authoring-snapshot-2\n"
#: The authoring package's folder: every module in it is part of the key.
CODE = Path(__import__("authoring").__file__).parent
#: Packages whose versions are part of the key (validation and assembly use them).
PACKAGES = ("pydantic", "pydantic_core", "yaml", "jinja2")


class Gathered(NamedTuple):
    """What the build gathers before fonts and layout: the report and the characters of
    each source file (for the glyph check)."""
    report: Report
    used: tuple[tuple[str, frozenset[str]], ...]   # (display path of a source file, its characters)


def applies(root: Path, week: str) -> bool:
    """Only a week given by its folder's plain name, whose folder exists, has a snapshot
    (anything else goes straight to validation, which says what is wrong with it)."""
    return safe_name(week) == week and (Path(root) / "entries" / week).is_dir()


def input_key(root: Path, week: str) -> str:
    """A hash of everything validation and assembly read (see the module docstring)."""
    h = hashlib.sha256(code_digest(CODE, PACKAGES).digest())
    # the folders as given and the working folder: the report holds paths as the build saw
    # them (file names in messages are relative to the working folder)
    for text in (os.getcwd(), str(root), week):
        h.update(text.encode("utf-8", "surrogateescape") + b"\0")
    root = Path(root).resolve()
    entries = root / "entries"
    hash_files(h, [*files_under(entries / week), entries / "people.yaml", entries / "catalogue.yaml",
                   *files_under(root / "styles")], root)
    return h.hexdigest()


def path_for(cache: Path, week: str) -> Path:
    return Path(cache) / "snapshots" / f"{safe_name(week)}.pickle"


def load(cache: Path, week: str, key: str) -> Gathered | None:
    """The kept snapshot of `week` if its key is `key`, else None."""
    path = path_for(cache, week)
    try:
        raw = path.read_bytes()
        head = FORMAT + key.encode() + b"\n"
        if not raw.startswith(head):
            return None
        found = pickle.loads(raw[len(head):])
    except Exception:  # noqa: BLE001 - absent, damaged or from other code: a miss
        return None
    if not isinstance(found, Gathered) or not isinstance(found.report, Report):
        return None
    mark_used([path])
    return found


def save(cache: Path, week: str, key: str, gathered: Gathered) -> None:
    path = path_for(cache, week)
    try:
        write_bytes(path, FORMAT + key.encode() + b"\n" + pickle.dumps(gathered, protocol=5))
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return  # a cache that cannot be written costs time only
    prune_unused(path.parent, "*.pickle")  # weeks not built for 30 days
