"""The assembled report of an unchanged week, kept between builds.

Loading, validating and assembling a week needs PyYAML, pydantic, the models and jinja2:
over a third of a warm build's instructions, to produce the same `Report` as last time.
The build keeps, per week, the assembled report with the characters of its source files
(`Gathered`), under a key of everything that went into it:

- the week's inputs as inputs.py defines them (the week folder, entries/people.yaml and
  entries/catalogue.yaml, styles/), with their names and every byte, never a size or a
  modification time (keys.hash_files; pipes and devices are counted by what they are,
  never read, and links out of the project by their target's name);
- the project's folder as given and the working folder (the report records where the
  week lives, and file names as messages show them);
- the source of the authoring package's modules and the versions of Python, pydantic,
  pydantic-core, PyYAML and jinja2.

Any change to any of them is a miss, and the week is validated and assembled again.  One
file per week (``<cache>/snapshots/<week>.pickle``, a `store.Store` entry), replaced when
the key changes, so the folder never holds more than one snapshot per week; a damaged or
unreadable file is a miss.  pickle, because the report is NamedTuples and dates (model/records.py, model/report.py) and
pickle reads them back without importing anything else; the file is the user's own
cache, as trusted as Python's bytecode cache beside it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import NamedTuple

from ..model.report import Report
from .inputs import inputs_digest
from .keys import code_digest, safe_name
from .store import Store

FORMAT = "snapshot-3"
#: The authoring package's folder: every module in it is part of the key.
CODE = Path(__file__).parent.parent
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
    inputs_digest(h, Path(root).resolve(), week)
    return h.hexdigest()


def store(cache: Path) -> Store:
    return Store(Path(cache) / "snapshots", ".pickle", FORMAT)


def path_for(cache: Path, week: str) -> Path:
    return store(cache).path(safe_name(week))


def _gathered(raw: bytes) -> Gathered:
    found = pickle.loads(raw)
    if not isinstance(found, Gathered) or not isinstance(found.report, Report):
        raise TypeError("not a snapshot")
    return found


def load(cache: Path, week: str, key: str) -> Gathered | None:
    """The kept snapshot of `week` if its key is `key`, else None."""
    return store(cache).get(key, safe_name(week), _gathered)


def save(cache: Path, week: str, key: str, gathered: Gathered) -> None:
    """Keep the week's snapshot (weeks not built for 30 days are pruned)."""
    store(cache).put(key, gathered, safe_name(week), lambda g: pickle.dumps(g, protocol=5))
