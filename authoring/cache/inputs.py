"""The files a week's PDF is made from: the one definition of them.

The snapshot's key (snapshot.py), `authoring preview`'s staleness check, `authoring
watch`'s choice of which saved files start a build and the watch session's key of the
styles all ask this module, so that they agree on what a week depends on:

- every file below the week's folder, ``entries/<week>/`` (week.yaml, the entries, images);
- the registries ``entries/people.yaml`` and ``entries/catalogue.yaml``;
- every file below ``styles/`` (theme, brand, templates).

Editors' backup, swap and lock files (``name~``, ``#name#``, ``.#name``, ``*.swp``,
``*.swx``, ``*.tmp``) are not inputs: no reader of the build opens them (an entry's name
ends in .yaml or .yml, an image's in .png, .jpg or .jpeg), and a save that only touches
them starts no build.  Every other name counts, hidden or not (an image may be hidden).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .keys import files_under, hash_files

#: The files of entries/ that every week reads.
REGISTRIES = ("people.yaml", "catalogue.yaml")
SCRATCH_SUFFIXES = ("~", "#", ".swp", ".swx", ".tmp")


def is_scratch(path: Path) -> bool:
    """An editor's backup, swap or lock file (by its name)."""
    name = Path(path).name
    return name.startswith(("#", ".#")) or name.endswith(SCRATCH_SUFFIXES)


def week_files(root: Path, week: str) -> list[Path]:
    """The files of the week's folder, in a fixed order."""
    return [p for p in files_under(Path(root) / "entries" / week) if not is_scratch(p)]


def style_files(root: Path) -> list[Path]:
    """The files of styles/, in a fixed order."""
    return [p for p in files_under(Path(root) / "styles") if not is_scratch(p)]


def registry_files(root: Path) -> list[Path]:
    """entries/people.yaml and entries/catalogue.yaml (listed whether they exist or not)."""
    return [Path(root) / "entries" / name for name in REGISTRIES]


def input_files(root: Path, week: str) -> list[Path]:
    """Every input of the week that exists (see the module docstring), in a fixed order."""
    return [*week_files(root, week), *(p for p in registry_files(root) if os.path.lexists(p)),
            *style_files(root)]


def is_input(root: Path, week: str, path: Path) -> bool:
    """Whether `path` is one of the week's inputs, or would be if it existed (a deleted
    input counts): the same rule as `input_files`, for a path a file event names."""
    path = Path(path)
    if is_scratch(path) or path.is_dir():
        return False
    try:
        rel = path.resolve().relative_to(Path(root).resolve()).parts
    except (ValueError, OSError, RuntimeError):
        return False
    if len(rel) >= 3 and rel[:2] == ("entries", week):
        return True
    if len(rel) == 2 and rel[0] == "entries" and rel[1] in REGISTRIES:
        return True
    return len(rel) >= 2 and rel[0] == "styles"


def inputs_digest(h, root: Path, week: str) -> None:
    """Add every input of the week to the hash `h`: names and every byte
    (`keys.hash_files`); a missing registry counts as missing."""
    hash_files(h, [*week_files(root, week), *registry_files(root), *style_files(root)], root)


def styles_digest(root: Path) -> str:
    """A hash of styles/ as the build reads it: the working folder and the folder as given
    (messages name files relative to them) and every style file's name and bytes."""
    h = hashlib.sha256(os.getcwd().encode("utf-8", "surrogateescape") + b"\0")
    folder = Path(root) / "styles"
    h.update(str(folder).encode("utf-8", "surrogateescape") + b"\0")
    hash_files(h, style_files(root), folder)
    return h.hexdigest()
