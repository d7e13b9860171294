"""Text analysis for line breaking: break opportunities, Han–Latin gaps, punctuation
compression.  Depends only on the text (never on fonts), so it is cached per text.

Break opportunities follow UAX #14 tailored for Chinese (clreq):

* a line may break between two ideographs, between an ideograph and a Latin token
  (either order) and after a space;
* it never breaks before closing punctuation (class C, b, q) nor after opening
  punctuation (class O, f, q) -- the kinsoku rules (避头尾);
* it never breaks inside a token (a maximal run of non-ideographic, non-space
  characters: a Latin word, a number such as 85.3%, a model name such as
  Qwen3-235B-A22B, a URL).  UAX #14 would allow a break after the hyphen of
  "Qwen3-235B"; that break (computed by uniseg) is kept only as an *emergency*
  break, the breaker's last resort (:mod:`.totalfit`).

Positions are boundaries: position j is the boundary before character j.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .chars import (
    FULLWIDTH_PUNCT,
    GAP_SYMBOLS,
    INSEPARABLE,
    LEFT_BLANK,
    NO_END,
    NO_START,
    RIGHT_BLANK,
    TOKEN,
    classify,
)

_CLASSES = "HOCSNLbfqx"


def _pair_allows(p: str, c: str) -> bool:
    if c in "SN" or p == "N":
        return False
    if p == "S":
        return c not in NO_START
    if p in TOKEN and c in TOKEN:
        return False
    if c in NO_START or p in NO_END:
        return False
    return True


def _pair_expands(p: str, c: str) -> bool:
    """Whether justification may add space at a boundary between classes p and c."""
    if p in TOKEN and c in TOKEN:
        return False  # never letter-space a Latin word
    if p == "S":
        return False  # a space expands once, at the boundary before it
    if c == "N" or p == "N":
        return False
    return True


def _pair_gap(p: str, c: str) -> int:
    """1 when a Han–Latin gap may go here (checked further for symbols), else 0."""
    if p == "H" and c == "L" or p == "L" and c == "H":
        return 1
    if p == "H" and c in "bfx" or p in "bfx" and c == "H":
        return 2  # only for the gap symbols (%, $ ...)
    return 0


_ALLOWS = {p + c: _pair_allows(p, c) for p in _CLASSES for c in _CLASSES}
_EXPANDS = {p + c: _pair_expands(p, c) for p in _CLASSES for c in _CLASSES}
_GAPS = {p + c: _pair_gap(p, c) for p in _CLASSES for c in _CLASSES}

def _code(pair: str) -> str:
    g = _GAPS[pair]
    return chr(1 * _ALLOWS[pair] + 2 * _EXPANDS[pair] + (4 if g == 1 else 8 if g == 2 else 0))


_CODE = {pair: _code(pair) for pair in _ALLOWS}
_RE_BREAK = re.compile("[" + "".join(chr(i) for i in range(16) if i & 1) + "]")
_RE_GAP = re.compile("[" + "".join(chr(i) for i in range(16) if i & 4) + "]")
_RE_GAPSYM = re.compile("[" + "".join(chr(i) for i in range(16) if i & 8) + "]")
_EXPAND_TABLE = {i: (1 if i & 2 else 0) for i in range(16)}
# positions found by the regex engine rather than a Python loop over every character
_RE_N = re.compile("N")
_RE_S = re.compile("S")
_RE_ONE = re.compile(b"\x01")

#: Han characters that are units or measure words after a number (2025 年, 147 分, 220 亿)
HAN_UNITS = "年月日时分秒个款家项道位名亿万元倍颗张块层次篇条种类台人天周度"
#: a number and the start of its unit: no line break between them (304 W, 48.7 TFLOPs)
_NUMBER_UNIT = re.compile(r"(?<![A-Za-z0-9.,_-])[0-9][0-9.,]*[0-9]? ?(?=[A-Za-z%‰℃]|[" + HAN_UNITS + "])")
_APOS = re.compile(r"(?<=[A-Za-z0-9])[’‘](?=[A-Za-z0-9])")
_PUNCT_PAIR = re.compile(
    "[" + re.escape("".join(sorted(FULLWIDTH_PUNCT))) + "](?=[" + re.escape("".join(sorted(FULLWIDTH_PUNCT))) + "])"
)


@dataclass(frozen=True, slots=True)
class Analysis:
    """The font-independent analysis of one paragraph text."""

    text: str
    #: class string, one code per character (see chars.py)
    cls: str
    #: sorted normal break positions (0 < j < n)
    breaks: tuple[int, ...]
    #: sorted positions j where a forced break ends the line before j (after a newline)
    forced: tuple[int, ...]
    #: sorted positions j with a Han–Latin gap before character j
    gaps: tuple[int, ...]
    #: per boundary j (index j, 0..n): 1 if justification may add space there
    expand: bytes
    #: char index -> em fraction removed from the right blank half (adjacent punctuation)
    comp_right: dict
    #: char index -> em fraction removed from the left blank half (the glyph moves left)
    comp_left: dict
    #: sorted positions j with expand[j] == 1
    expand_pos: tuple[int, ...] = ()
    #: sorted positions j of the spaces (word spaces, j > 0)
    spaces: tuple[int, ...] = ()
    #: sorted phrase boundaries from BudouX (subset of `breaks`), or None
    phrases: tuple[int, ...] | None = None
    #: sorted positions of spaces typed between Han and Latin: set as the Han–Latin gap
    gap_spaces: tuple[int, ...] = ()


#: (text, phrases) -> Analysis, and text -> UAX #14 boundaries: pure functions of the
#: text, memoised in the process and, through `memo_export`/`memo_seed`, across builds
#: (authoring.typeset.memo keeps them in the cache folder).
_ANALYSES: dict[tuple[str, bool], "Analysis"] = {}
_BOUNDARIES: dict[str, tuple[int, ...]] = {}
#: the lines a paragraph was broken into, under everything they depend on (its text, the
#: advance, gap and size of every character, the break opportunities, the widths and
#: options of break_lines): ((start, end, next, forced, last, emergency, squeeze, hyphen), ...)
_LINES: dict[tuple, tuple] = {}
_USED: set = set()  # keys asked for since memo_clear (what a build needs)
_NEW: set = set()  # keys computed in this process (what a saved memo lacks)
MEMO_LIMIT = 50_000


def analyze(text: str, phrases: bool = False) -> Analysis:
    """Analyse `text` (spaces already collapsed by the caller); memoised per text."""
    key = (text, phrases)
    _USED.add(key)
    an = _ANALYSES.get(key)
    if an is None:
        if len(_ANALYSES) >= MEMO_LIMIT:
            _ANALYSES.clear()
        an = _ANALYSES[key] = _analyze(text, phrases)
        _NEW.add(key)
    return an


def _analyze(text: str, phrases: bool) -> Analysis:
    cls = classify(text)
    if "’" in text or "‘" in text:
        chars = list(cls)
        for m in _APOS.finditer(text):
            chars[m.start()] = "q"  # an apostrophe inside a Latin word
        cls = "".join(chars)
    n = len(text)
    # one code per boundary j = 1..n-1 (bit 1: break, 2: expand, 4: gap, 8: gap if symbol)
    codes = "".join(map(_CODE.__getitem__, map(str.__add__, cls, cls[1:])))
    breaks = [m.start() + 1 for m in _RE_BREAK.finditer(codes)]
    if any(c.isdigit() for c in text):
        glued = {m.end() for m in _NUMBER_UNIT.finditer(text)}
        breaks = [j for j in breaks if j not in glued]
    if "S" in cls:  # no break after the space that follows an opening bracket
        breaks = [j for j in breaks if not (cls[j - 1] == "S" and j > 1 and cls[j - 2] in NO_END)]
    expand = bytearray(b"\x00" + codes.translate(_EXPAND_TABLE).encode("latin-1") + b"\x00")
    gaps = [m.start() + 1 for m in _RE_GAP.finditer(codes)]
    if any(c in GAP_SYMBOLS for c in text):
        gaps.extend(
            m.start() + 1 for m in _RE_GAPSYM.finditer(codes)
            if text[m.start()] in GAP_SYMBOLS or text[m.start() + 1] in GAP_SYMBOLS
        )
        gaps.sort()
    if any(c in INSEPARABLE for c in text):
        for j in range(1, n):
            a = text[j - 1]
            if a in INSEPARABLE and text[j] == a:
                expand[j] = 0
    forced = tuple(m.start() + 1 for m in _RE_N.finditer(cls))
    # a space typed between Han and Latin is the Han–Latin gap itself
    gap_spaces = tuple(
        i for i in (m.start() for m in _RE_S.finditer(cls, 1))
        if i + 1 < n and _gap_pair(text, cls, i - 1, i + 1)
    )
    comp_right: dict[int, float] = {}
    comp_left: dict[int, float] = {}
    for m in _PUNCT_PAIR.finditer(text):
        i = m.start()
        a, b = text[i], text[i + 1]
        if a in RIGHT_BLANK:
            comp_right[i] = 0.5
        elif a in LEFT_BLANK and b in LEFT_BLANK:
            comp_left[i + 1] = 0.5
    phr = None
    if phrases:
        bset = set(breaks)
        phr = tuple(j for j in phrase_boundaries(text) if j in bset)
    return Analysis(
        text=text,
        cls=cls,
        breaks=tuple(breaks),
        forced=forced,
        gaps=tuple(gaps),
        expand=bytes(expand),
        expand_pos=tuple(m.start() for m in _RE_ONE.finditer(expand, 1, max(1, n))),
        spaces=tuple(m.start() for m in _RE_S.finditer(cls, 1)),
        comp_right=comp_right,
        comp_left=comp_left,
        phrases=phr,
        gap_spaces=gap_spaces,
    )


def _gap_pair(text: str, cls: str, a: int, b: int) -> bool:
    """Whether characters a and b (around a space) are a Han–Latin pair."""
    ca, cb = cls[a], cls[b]
    if ca == "H":
        return cb == "L" or text[b] in GAP_SYMBOLS
    if cb == "H":
        return ca == "L" or text[a] in GAP_SYMBOLS
    return False


_budoux_parser = None


def phrase_boundaries(text: str) -> list[int]:
    """Boundaries between BudouX phrases of `text` (simplified Chinese model)."""
    global _budoux_parser
    if _budoux_parser is None:
        import budoux

        _budoux_parser = budoux.load_default_simplified_chinese_parser()
    out = []
    pos = 0
    for chunk in _budoux_parser.parse(text):
        pos += len(chunk)
        if 0 < pos < len(text):
            out.append(pos)
    return out


_HYPHENS = frozenset("-/‐‑–_")


def _uax14(text: str) -> tuple[int, ...]:
    """UAX #14 boundaries of the whole text, computed once: a long token of a table cell is
    tried at many widths, and uniseg takes some 150 microseconds per character."""
    _USED.add(text)
    found = _BOUNDARIES.get(text)
    if found is None:
        if len(_BOUNDARIES) >= MEMO_LIMIT:
            _BOUNDARIES.clear()
        # uniseg (with importlib.metadata) is imported only here: a warm build finds every
        # text in the week's memo and never needs it
        from uniseg.linebreak import line_break_boundaries

        found = _BOUNDARIES[text] = tuple(line_break_boundaries(text))
        _NEW.add(text)
    return found


_FIELDS = ("text", "cls", "breaks", "forced", "gaps", "expand", "comp_right", "comp_left",
           "expand_pos", "spaces", "phrases", "gap_spaces")


def lines_get(key: tuple):
    """The memoised lines under `key` (see `_LINES`), or None."""
    _USED.add(key)
    return _LINES.get(key)


def lines_put(key: tuple, value: tuple) -> None:
    if len(_LINES) >= MEMO_LIMIT:
        _LINES.clear()
    _LINES[key] = value
    _NEW.add(key)


def memo_export() -> dict:
    """What was asked for since the last `memo_used_reset`, as plain (marshal-able) data:
    {"analyses": [[text, phrases, *fields]], "boundaries": {text: (...)}, "lines": {...}}."""
    ans = [[k[0], k[1], *(getattr(a, f) for f in _FIELDS)] for k, a in _ANALYSES.items()
           if k in _USED]
    bounds = {t: b for t, b in _BOUNDARIES.items() if t in _USED}
    lines = {k: v for k, v in _LINES.items() if k in _USED}
    return {"analyses": ans, "boundaries": bounds, "lines": lines}


def memo_used_reset() -> None:
    """Start recording what a (new) build asks for."""
    _USED.clear()
    _NEW.clear()


def memo_used_matches(data: dict) -> bool:
    """True when a build found everything it asked for in `data` (nothing to save).  A
    build whose lines all come from the memo never asks for the UAX #14 boundaries the
    breaker needed when it first set them; those stay until the memo is next written."""
    if _NEW:
        return False
    keys = {(r[0], r[1]) for r in data.get("analyses", ())} | set(data.get("boundaries", {}))
    keys |= set(data.get("lines", {}))
    return _USED <= keys


def memo_seed(data: dict) -> None:
    """Add a memo made by `memo_export` (in this process or an earlier one)."""
    for row in data.get("analyses", ()):
        text, phrases, *values = row
        if len(values) != len(_FIELDS):
            raise ValueError("memo row of another shape")
        _ANALYSES.setdefault((text, phrases), Analysis(**dict(zip(_FIELDS, values))))
    for text, b in data.get("boundaries", {}).items():
        _BOUNDARIES.setdefault(text, tuple(b))
    for key, v in data.get("lines", {}).items():
        _LINES.setdefault(key, v)


def memo_clear() -> None:
    _ANALYSES.clear()
    _BOUNDARIES.clear()
    _LINES.clear()
    _USED.clear()
    _NEW.clear()


def emergency_breaks(text: str, cls: str, start: int, stop: int, uax14: bool = True) -> list[int]:
    """UAX #14 break positions j with start < j <= stop inside tokens (after a hyphen,
    a slash ...), the last resort for a token longer than the line; never before
    no-start or after no-end punctuation.  `uax14=False`: only the breaks after a hyphen or
    slash (what the total-fit breaker asks for), without running UAX #14 (uniseg takes
    about a millisecond per character on a cold build)."""
    if uax14:
        every = _uax14(text)
        cands = set(every[bisect_right(every, start) : bisect_right(every, stop)])
    else:
        cands = set()
    # UAX #14 keeps "-" before a digit (a minus sign); in a model name such as
    # Qwen3-235B a hyphen is a hyphen, and a slash of a URL path is a fine place too.
    for j in range(start + 1, min(stop, len(text) - 1) + 1):
        p = text[j - 1]
        if p in _HYPHENS and text[j] not in _HYPHENS and cls[j] == "L":
            cands.add(j)
    out = []
    for j in sorted(cands):
        if start < j <= stop and j < len(text):
            if cls[j] in NO_START and cls[j] != "q" or cls[j - 1] in NO_END and cls[j - 1] != "q":
                continue
            if cls[j] in "SN":
                continue
            out.append(j)
    return out
