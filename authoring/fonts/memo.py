"""The shaping of a week's texts, kept between builds.

Shaping every paragraph with HarfBuzz (and turning its glyphs into Python objects) costs a
fifth of a warm build, for the same result as last time.  A build loads what the previous
build of the same week shaped and saves what it shaped itself, when that differs: one file
per week, ``<cache>/shaping/<week>.marshal`` (a `cache.store.Store` entry), holding for each font chain (under a key of
its faces: path, size, mtime, index, HarfBuzz's version, and the source of the shaping
code) the texts with their glyphs and advances.  A missing, damaged or foreign file only
costs the time to shape again; files unused for 30 days are deleted.
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path

from ..cache.keys import safe_name
from ..cache.store import Store, marshalled_dict

FORMAT = "shaping-2"


def _code() -> bytes:
    here = Path(__file__).parent
    return b"".join((here / name).read_bytes() for name in ("face.py", "shaped.py", "shaping.py"))


def chain_key(chain, code: bytes) -> str:
    h = hashlib.sha256(code)
    for face in chain.faces:
        h.update(face.key.encode())
    return h.hexdigest()[:32]


def _store(cache: Path) -> Store:
    return Store(Path(cache) / "shaping", ".marshal", FORMAT)


def path_for(cache: Path, week: str) -> Path:
    return _store(cache).path(safe_name(week))


def load(cache: Path, week: str, chains: dict) -> dict:
    """Seed each chain with the week's saved shaping; returns what was read."""
    code = _code()
    for chain in chains.values():
        chain.memo_reset()
    data = _store(cache).get(week, safe_name(week), marshalled_dict)
    if data is None:
        return {}
    try:
        for chain in chains.values():
            seed = data.get(chain_key(chain, code))
            if isinstance(seed, dict):
                chain.memo_seed(seed)
    except (ValueError, TypeError):
        return {}
    return data


def save(cache: Path, week: str, chains: dict, loaded: dict) -> None:
    """Write what this build shaped, unless the file already holds exactly that."""
    code = _code()
    keys = {chain_key(chain, code): chain for chain in chains.values()}
    if set(loaded) == set(keys) and all(
            isinstance(loaded[k], dict) and loaded[k].keys() == c.memo_used() for k, c in keys.items()):
        return  # the same texts under the same keys: the same shaping
    data = {key: chain.memo_export() for key, chain in keys.items()}
    _store(cache).put(week, data, safe_name(week), marshal.dumps)
