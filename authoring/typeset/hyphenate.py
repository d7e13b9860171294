"""Hyphenation points of English words: where a line may break inside a Latin word,
a hyphen drawn at the end of the line.

The breaker uses them in two places (:mod:`.totalfit`): in a Latin-heavy justified
paragraph (a reference list, an English title) at a penalty, as TeX and Typst do; in
any other paragraph only as a last resort, when no set of breaks keeps every line
within the stretch limit.  The points come from pyphen's English patterns (the
LibreOffice/Hunspell dictionaries, the same patterns TeX uses) on each part of a
camel-cased name ("DeepSeek" is "Deep" + "Seek"), plus the boundary between the parts
itself; an acronym part ("IR", "GPT") is never cut.  Tokens that look like an address
(a URL, an e-mail, a path) are never hyphenated: a hyphen there would change them.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: letters left before and after a pattern point, and around a camel-case boundary
LEFT, RIGHT, CAMEL_RIGHT = 2, 3, 2
#: the shortest word hyphenated
SHORTEST = 5

_WORD = re.compile(r"[A-Za-z]{%d,}" % SHORTEST)
_TOKEN = re.compile(r"[Lbfqx]+")
_ADDRESS = re.compile(r"[/@:\\]|\.[A-Za-z]|^www", re.I)

_dictionary = None


def _dic():
    global _dictionary
    if _dictionary is None:
        import pyphen  # imported when first needed: most paragraphs never hyphenate

        _dictionary = pyphen.Pyphen(lang="en_US", left=LEFT, right=RIGHT)
    return _dictionary


@lru_cache(maxsize=4096)
def word_points(word: str) -> tuple[int, ...]:
    """Offsets k (0 < k < len(word)) where `word` may be hyphenated after word[:k]."""
    cuts = [i for i in range(1, len(word)) if word[i - 1].islower() and word[i].isupper()]
    bounds = [0, *cuts, len(word)]
    found = {k for k in cuts if k >= LEFT and len(word) - k >= CAMEL_RIGHT}
    for a, b in zip(bounds, bounds[1:]):
        part = word[a:b]
        if len(part) < SHORTEST or part[1:].isupper():
            continue  # short, or an acronym
        found.update(a + k for k in _dic().positions(part.lower()))
    return tuple(sorted(k for k in found if k >= LEFT and len(word) - k >= CAMEL_RIGHT))


def hyphen_points(text: str, cls: str, start: int, stop: int) -> list[int]:
    """Positions j (start < j < stop) inside a Latin word of `text` where a line may end
    with a drawn hyphen; `cls` is the class string (:mod:`.chars`)."""
    out = []
    for tok in _TOKEN.finditer(cls, start, stop):
        t = text[tok.start():tok.end()]
        if _ADDRESS.search(t):
            continue
        for w in _WORD.finditer(t):
            base = tok.start() + w.start()
            out.extend(base + k for k in word_points(w.group()) if start < base + k < stop)
    return out


def latin_heavy(cls: str) -> bool:
    """Whether a paragraph is mostly Latin letters (a reference, an English title)."""
    letters = cls.count("L")
    return letters >= 40 and letters >= 0.6 * (len(cls) - cls.count("S"))
