"""Chart text without matplotlib: values and ticks as the entry wrote them, label widths
in em, and category labels broken into balanced lines (a CJK character, or a Latin word with
what follows, is a unit; closing punctuation and a number's unit keep with what is before)."""

from __future__ import annotations

import math
import unicodedata


def fmt_value(v: float) -> str:
    """A value as the entry wrote it: 70 -> '70', 2.29 -> '2.29', -0.5 -> '-0.5'."""
    if float(v).is_integer():
        return str(int(v))
    text = f"{v:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def tick_labels(values: list[float]) -> list[str]:
    """Tick labels with as many decimals as the step needs (ASCII minus)."""
    if len(values) < 2:
        return [fmt_value(v) for v in values]
    step = min(abs(b - a) for a, b in zip(values, values[1:]) if b != a) if len(set(values)) > 1 else 1
    decimals = max(0, min(6, -math.floor(math.log10(step) + 1e-9))) if step < 1 else 0
    out = []
    for v in values:
        s = f"{v:.{decimals}f}"
        out.append("0" if float(s) == 0 else s)
    return out


def _em(ch: str) -> float:
    """Width of a character in em, roughly: CJK and full-width 1, others about half."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in "iljtfI.,:;'|!()[] ":
        return 0.32
    if ch in "mwMW@%":
        return 0.85
    return 0.56


def text_em(text: str) -> float:
    return sum(_em(c) for c in text)


def _tokens(text: str) -> list[str]:
    """Units a line may break between: single CJK characters, Latin words with what follows."""
    out: list[str] = []
    word = ""
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in ("W", "F")
        if wide or ch == " ":
            if word:
                out.append(word)
                word = ""
            if ch == " ":
                if out:
                    out[-1] += " "
                continue
            # keep closing punctuation with the character before it
            if out and ch in "，。、；：？！）》」』】”’" and not out[-1].endswith(" "):
                out[-1] += ch
            else:
                out.append(ch)
        else:
            word += ch
            if ch in "-/":
                out.append(word)
                word = ""
    if word:
        out.append(word)
    # opening brackets stay with what follows; a number keeps its unit (2025年, 3月, 5倍)
    merged: list[str] = []
    for tok in out:
        if merged and merged[-1] and (merged[-1][-1] in "（《「『【“‘(" or
                                      (merged[-1][-1].isdigit() and len(tok) == 1
                                       and not merged[-1].endswith(" "))):
            merged[-1] += tok
        else:
            merged.append(tok)
    return merged


def _greedy(tokens: list[str], max_em: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for tok in tokens:
        if line and text_em((line + tok).rstrip()) > max_em:
            lines.append(line.rstrip())
            line = tok
        else:
            line += tok
    if line.strip():
        lines.append(line.rstrip())
    return lines


def wrap_label(text: str, max_em: float) -> list[str]:
    """Break a label into balanced lines of at most `max_em` (a long word keeps a line).

    The fewest lines greedy filling needs, made as even as possible: no lone last character.
    """
    tokens = _tokens(text)
    lines = _greedy(tokens, max_em)
    if len(lines) > 1:
        lo = max(text_em(t.rstrip()) for t in tokens)
        hi = max_em
        for _ in range(20):  # narrowest width that still needs no more lines
            mid = (lo + hi) / 2
            if len(_greedy(tokens, mid)) <= len(lines):
                hi = mid
            else:
                lo = mid
        lines = _greedy(tokens, hi)
    return lines or [text]

