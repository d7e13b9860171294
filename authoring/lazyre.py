"""Defer the compiling of a few third-party regular expressions until they are used.

reportlab compiles, when `reportlab.platypus` is imported, a case-insensitive URL pattern
over character ranges up to U+FFFF.  Python's compiler folds the case of every character in
those ranges: about 325 million instructions, 11 % of a warm build, for a pattern that only
reportlab's own `Paragraph` uses (the layout draws its text with `CJKParagraph`).
reportlab's CJK word-wrap pattern and PyYAML's printable-character check (unused with
libyaml's parser) cost another 1 % together.

`re.compile` looks each (type, pattern, flags) up in `re`'s cache before compiling.  While a
`deferred(...)` block imports the library, that cache holds a `Deferred` for each listed
pattern; the library keeps it as its pattern object, and it compiles the real pattern the
first time any attribute (`match`, `search`, ...) is asked for.  Behaviour is unchanged, only
the time of compiling moves.  When a library changes a pattern, the seed is simply not hit
and the library compiles as before (tests/test_lazyre.py notices that).
"""

from __future__ import annotations

import re
from contextlib import contextmanager

#: reportlab.platypus.paragraph.uri_pat (as in reportlab 5.1), checked by tests/test_lazyre.py
REPORTLAB_URI = (
    "(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)"
    "(?:\\.(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}|\\[[0-9a-f:\\.]+\\]|([a-z\xa1-\uffff0-9]"
    "(?:[a-z\xa1-\uffff0-9-]{0,61}[a-z\xa1-\uffff0-9])?(?:\\.(?!-)[a-z\xa1-\uffff0-9-]{1,63}"
    "(?<!-))*\\.(?!-)(?:[a-z\xa1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost))"
    "(?::\\d{2,5})?(?:[/?#][^\\s]*)?\\Z"
)

#: (pattern, flags) compiled at import by reportlab.platypus and unused by our layout
REPORTLAB = (
    (REPORTLAB_URI, re.I),
    ("([\u2e80-\uffff])", re.UNICODE),  # reportlab.lib.textsplit.rx
)

#: yaml.reader.Reader.NON_PRINTABLE (the pure-Python reader; libyaml checks in C)
PYYAML = (
    ("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]", 0),
)


class Deferred:
    """Stands for `re.compile(pattern, flags)` and compiles it on first use."""

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str):
        # only reached for names the slots do not have: match, search, sub, groups, ...
        compiled = self._compiled
        if compiled is None:
            _unseed(self)  # so that re.compile compiles instead of answering with self
            compiled = self._compiled = re.compile(self.pattern, self.flags)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"Deferred({self.pattern[:40]!r}..., {self.flags!r})"


def _caches() -> list[dict]:
    # Python 3.11 has re._cache; 3.12 and 3.13 add re._cache2 in front of it
    return [c for c in (getattr(re, "_cache", None), getattr(re, "_cache2", None)) if isinstance(c, dict)]


def _unseed(deferred: Deferred) -> None:
    for cache in _caches():
        for key in [k for k, v in cache.items() if v is deferred]:
            del cache[key]


@contextmanager
def deferred(patterns):
    """Within the block, `re.compile` answers each listed (pattern, flags) with a `Deferred`."""
    caches = _caches()
    seeds = []
    if caches:
        for pattern, flags in patterns:
            flags = int(flags)
            key = (type(pattern), pattern, flags)
            if not any(key in c for c in caches):
                seeds.append(Deferred(pattern, flags))
                caches[0][key] = seeds[-1]
    try:
        yield
    finally:
        for seed in seeds:
            _unseed(seed)
