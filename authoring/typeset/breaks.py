"""Text analysis for line breaking: break opportunities, Han–Latin gaps, punctuation
compression.  Depends only on the text (never on fonts), so a build keeps it per text
(:mod:`.breakmemo`).

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


def analyze(text: str, phrases: bool = False, memo=None) -> Analysis:
    """Analyse `text` (spaces already collapsed by the caller).  With a `memo`
    (`breakmemo.BreakMemo`: a build's), a text is analysed once; without one, every call
    computes."""
    if memo is not None:
        return memo.analysis(text, phrases)
    return _analyze(text, phrases)


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


def uax14_boundaries(text: str) -> tuple[int, ...]:
    """UAX #14 boundaries of the whole text (uniseg takes some 150 microseconds per
    character, so a build keeps them in its `breakmemo.BreakMemo`)."""
    # uniseg (with importlib.metadata) is imported only here: a warm build finds every
    # text in the week's memo and never needs it
    from uniseg.linebreak import line_break_boundaries

    return tuple(line_break_boundaries(text))


def emergency_breaks(text: str, cls: str, start: int, stop: int, uax14: bool = True,
                     memo=None) -> list[int]:
    """UAX #14 break positions j with start < j <= stop inside tokens (after a hyphen,
    a slash ...), the last resort for a token longer than the line; never before
    no-start or after no-end punctuation.  `uax14=False`: only the breaks after a hyphen or
    slash (what the total-fit breaker asks for), without running UAX #14 (uniseg takes
    about a millisecond per character on a cold build).  `memo`: the build's
    `breakmemo.BreakMemo`, which computes a text's UAX #14 boundaries once."""
    if uax14:
        every = memo.boundaries(text) if memo is not None else uax14_boundaries(text)
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
