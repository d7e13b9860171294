"""Where the caches live: $AUTHORING_CACHE, else $XDG_CACHE_HOME/authoring, else ~/.cache/authoring."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """The cache folder (created by whoever writes to it); AUTHORING_CACHE overrides XDG_CACHE_HOME."""
    env = os.environ.get("AUTHORING_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and Path(xdg).is_absolute():  # the XDG spec: a relative value is ignored
        return Path(xdg) / "authoring"
    return Path("~/.cache/authoring").expanduser()
