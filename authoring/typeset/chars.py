"""Character classes for Chinese text layout (clreq), as one-letter codes.

The line breaker works on a *class string*: one code per character of the text,
so that the hot loops compare short strings instead of calling functions.

    H  Han and other ideographic-width characters (kana, hangul, full-width letters);
       a line may break before and after them.
    O  opening punctuation of Chinese text (（《「『【〔“‘ ...): never ends a line.
    C  closing / no-start punctuation of Chinese text (，。、；：？！）》」』】〕”’…—·% ...):
       never starts a line.
    S  a space (source spaces are collapsed to one before analysis).
    N  a forced line break (U+000A or U+2028).
    L  a letter or digit outside the ideographic set (Latin, Greek, Cyrillic, digits).
    b  other non-ideographic character that may not start a line (UAX #14 CL CP EX IS
       NS PO SY HY BA: ) ] } , . ; : ! ? % / - ...).
    f  other non-ideographic character that may not end a line (UAX #14 OP PR: ( [ { $ ...).
    q  other non-ideographic glue (UAX #14 QU GL WJ ZWJ CM: " ' combining marks ...).
    x  any other non-ideographic character (symbols, emoji).

Characters of classes L b f q x are *token* characters: a maximal run of them is one
unbreakable token (a Latin word, a number, a model name, a URL).
"""

from __future__ import annotations

from functools import lru_cache

# --- Chinese punctuation -------------------------------------------------------------

#: Opening punctuation: may never end a line.  Full-width, ink on the right half.
OPENING = "（《「『【〔〖〘〚〈［｛“‘〝｟"
#: Closing brackets and quotes: may never start a line.  Full-width, ink on the left half.
CLOSING_BRACKETS = "）》」』】〕〗〙〛〉］｝”’〞〟｠"
#: Pause and stop marks (GB style: set in the left half of the em box).
STOPS = "，。、；：？！"
#: Other characters that may never start a line.
NO_START_OTHER = (
    "…‥—―⸺～〜·・‧﹒．％‰‱℃℉°′″"  # ellipsis, dashes, middle dots, percent, degrees
    "々〻ゝゞヽヾー"  # iteration marks, prolonged sound mark
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"  # small kana
    "｡｣､︰︱︲︳︴︵︶"
    "\uff0e\uff1a\uff1b\uff01\uff1f\uff0c"  # full-width forms (duplicates are harmless)
)
CLOSING = CLOSING_BRACKETS + STOPS + NO_START_OTHER

#: Full-width punctuation whose right half is blank (can lose it: "half-width").
RIGHT_BLANK = frozenset(CLOSING_BRACKETS + STOPS)
#: Full-width punctuation whose left half is blank.
LEFT_BLANK = frozenset(OPENING)
#: Full-width punctuation taking part in the adjacency compression of clreq 3.1.6.
FULLWIDTH_PUNCT = RIGHT_BLANK | LEFT_BLANK | frozenset("·・")

#: Pairs that must look continuous (no letter-spacing between their halves).
INSEPARABLE = frozenset("…‥—―⸺")

#: Characters next to which a Han character gets the Han–Latin gap.
GAP_SYMBOLS = frozenset("%‰$€£¥#@\u2212")

_NO_START_UAX = {"CL", "CP", "EX", "IS", "NS", "PO", "SY", "HY", "BA", "IN", "CJ"}
_NO_END_UAX = {"OP", "PR"}
_GLUE_UAX = {"QU", "GL", "WJ", "ZWJ", "CM"}

_FIXED: dict[str, str] = {}
for _c in OPENING:
    _FIXED[_c] = "O"
for _c in CLOSING:
    _FIXED[_c] = "C"
for _c in " \t\r":
    _FIXED[_c] = "S"
_FIXED["\n"] = "N"
_FIXED["\u2028"] = "N"
del _c


def _is_ideographic(cp: int) -> bool:
    return (
        0x2E80 <= cp <= 0x2FDF  # CJK radicals, Kangxi
        or 0x3000 <= cp <= 0x30FF  # CJK symbols (minus punctuation above), kana
        or 0x3100 <= cp <= 0x31FF  # bopomofo, kanbun, CJK strokes, kana ext
        or 0x3200 <= cp <= 0x4DBF  # enclosed CJK, compatibility, ext A
        or 0x4E00 <= cp <= 0x9FFF  # unified ideographs
        or 0xA960 <= cp <= 0xA97F
        or 0xAC00 <= cp <= 0xD7FF  # hangul
        or 0xF900 <= cp <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= cp <= 0xFE4F  # CJK compatibility forms
        or 0xFF01 <= cp <= 0xFF60  # full-width forms
        or 0xFFE0 <= cp <= 0xFFE6
        or 0x1F200 <= cp <= 0x1F2FF
        or 0x2460 <= cp <= 0x24FF  # enclosed alphanumerics (①): full-width in CJK fonts
        or 0x2160 <= cp <= 0x217F  # Roman numerals (Ⅱ)
        or 0x3220 <= cp <= 0x325F
        or 0x20000 <= cp <= 0x3FFFF  # ext B and beyond
    )


@lru_cache(maxsize=None)
def char_class(ch: str) -> str:
    """The one-letter class of `ch` (see the module docstring)."""
    fixed = _FIXED.get(ch)
    if fixed is not None:
        return fixed
    if ch.isspace():
        return "S" if ch not in "\u00a0\u202f\u2007" else "q"
    if _is_ideographic(ord(ch)):
        return "H"
    if ch.isalnum():
        return "L"
    from uniseg.linebreak import line_break  # imported when first needed (see breaks.uax14_boundaries)

    uax = str(line_break(ch))
    uax = uax.rsplit(".", 1)[-1]
    if uax in _GLUE_UAX:
        return "q"
    if uax in _NO_START_UAX:
        return "b"
    if uax in _NO_END_UAX:
        return "f"
    if uax in ("BK", "CR", "LF", "NL"):
        return "N"
    if uax in ("ID", "EB", "EM"):  # emoji behave like ideographs for breaking
        return "x"
    return "x"


TOKEN = frozenset("Lbfqx")
NO_START = frozenset("Cbq")
NO_END = frozenset("Ofq")


def classify(text: str) -> str:
    """The class string of `text`: one code per character."""
    cc = char_class
    return "".join([cc(c) for c in text])


def gap_side(ch: str) -> bool:
    """True when `ch` is a Latin-side character of a Han–Latin gap."""
    return char_class(ch) == "L" or ch in GAP_SYMBOLS
