"""The line-breaking analysis of a week's texts, kept between builds.

`authoring.typeset.breaks.analyze` (break opportunities, Han–Latin gaps, punctuation
compression), its UAX #14 boundaries and the lines a paragraph is broken into depend on
nothing but their inputs, yet cost a tenth of a warm build.  A build loads the
`breakmemo.BreakMemo` the previous build of the same week saved, passes it down the
layout, and saves what it used itself when that differs (an edited paragraph): one file
per week and
version of the code, ``<cache>/typeset/<code key>-<week>.marshal`` (a `cache.store.Store`
entry).  It lives here, beside the analysis it keeps, as fonts/memo.py does beside the
shaping: the code key is this package's source.

The code key hashes the source of `authoring/typeset`, the versions of uniseg, BudouX, pyphen
and Python's version (the marshal format), so a change to any of them starts afresh.  A
missing, damaged or foreign file only costs the time to analyse the texts again.  Files
not used for 30 days (an old version of the code, a week no longer built) are deleted.
"""

from __future__ import annotations

import marshal
from pathlib import Path

from ..cache.keys import code_digest, safe_name
from ..cache.store import Store, marshalled_dict
from . import breaks
from .breakmemo import BreakMemo

FORMAT = "typeset-2"


def code_key() -> str:
    return code_digest(Path(breaks.__file__).parent, ("uniseg", "budoux", "pyphen")).hexdigest()[:32]


def _store(cache: Path) -> Store:
    return Store(Path(cache) / "typeset", ".marshal", FORMAT)


def memo_path(cache: Path, week: str) -> Path:
    return _store(cache).path(f"{code_key()}-{safe_name(week)}")


def load(cache: Path, week: str) -> BreakMemo:
    """The week's saved memo, or an empty one (none saved, or of another shape)."""
    key = code_key()
    data = _store(cache).get(key, f"{key}-{safe_name(week)}", marshalled_dict)
    memo = BreakMemo()
    if data is None:
        return memo
    try:
        memo.seed(data)
    except (ValueError, TypeError, AttributeError):  # a file of another shape: a miss
        return BreakMemo()
    return memo


def save(cache: Path, week: str, memo: BreakMemo) -> None:
    """Write what this build used, unless it computed nothing (then the file holds it)."""
    if not memo.changed:
        return
    key = code_key()
    _store(cache).put(key, memo.export(), f"{key}-{safe_name(week)}", marshal.dumps)
