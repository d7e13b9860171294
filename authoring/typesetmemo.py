"""The line-breaking analysis of a week's texts, kept between builds.

`authoring.typeset.breaks.analyze` (break opportunities, Han–Latin gaps, punctuation
compression) and its UAX #14 boundaries depend on nothing but the text, yet cost a tenth
of a warm build.  A build loads what the previous build of the same week used and saves
what it used itself, when that differs (an edited paragraph): one file per week,
``<cache>/typeset/<code key>-<week>.marshal``.

The code key hashes the source of `authoring/typeset`, the versions of uniseg, BudouX, pyphen
and Python's version (the marshal format), so a change to any of them starts afresh.  A
missing, damaged or foreign file only costs the time to analyse the texts again.  Files
not used for 30 days (an old version of the code, a week no longer built) are deleted.
"""

from __future__ import annotations

import marshal
from pathlib import Path

from .atomic import mark_used, prune_unused, safe_name, write_bytes
from .cachekeys import code_digest
from .typeset import breaks


def code_key() -> str:
    return code_digest(Path(breaks.__file__).parent, ("uniseg", "budoux", "pyphen")).hexdigest()[:32]


def memo_path(cache: Path, week: str) -> Path:
    return Path(cache) / "typeset" / f"{code_key()}-{safe_name(week)}.marshal"


def load(cache: Path, week: str) -> dict:
    """Seed the analysis memo with the week's saved one; returns what was read ({} if none)."""
    breaks.memo_used_reset()
    path = memo_path(cache, week)
    try:
        data = marshal.loads(path.read_bytes())
        if not isinstance(data, dict):
            raise ValueError("not a memo")
        breaks.memo_seed(data)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    mark_used([path])
    return data


def save(cache: Path, week: str, loaded: dict) -> None:
    """Write what this build used, unless it is exactly what was loaded."""
    if breaks.memo_used_matches(loaded):
        return
    path = memo_path(cache, week)
    try:
        write_bytes(path, marshal.dumps(breaks.memo_export()))
    except OSError:
        return  # a cache that cannot be written costs time only
    prune_unused(path.parent, "*.marshal")
