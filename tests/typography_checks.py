"""Typography checks from character positions, as pdfplumber reports them.

Each check takes lines of characters (dicts with at least ``text``, ``x0``, ``x1``,
``size`` and, for grouping, ``matrix`` or ``top``) and returns a list of violations
(human-readable strings), so that a test can assert the list is empty -- and can show
that the same check finds violations in badly set text.

    lines = group_lines(page.chars)             # one list of chars per text line
    kinsoku_violations(lines)                   # lines starting with closing punctuation ...
    gap_violations(lines)                       # Han–Latin pairs without the quarter-em gap
    offs = align(lines, paragraphs)             # where each line starts/ends in the source
    split_token_violations(offs, paragraphs)    # Latin words/numbers/names broken across lines
    flush_violations(lines, offs, paragraphs, left, right, first_indent)

No PDF library is imported here; pass ``page.chars`` from pdfplumber.
"""

from __future__ import annotations

import re

from authoring.typeset.chars import CLOSING, OPENING, RIGHT_BLANK, TOKEN, char_class, gap_side

#: characters that may never start a line: Chinese closing punctuation plus the
#: Latin closing punctuation that must stay with the word before it
NO_LINE_START = frozenset(CLOSING) | frozenset(")]},.;:!?%")
NO_LINE_END = frozenset(OPENING) | frozenset("([{")


def group_lines(chars, tol: float = 1.0, split_gap: float | None = None) -> list[list[dict]]:
    """Group characters into text lines by baseline (``matrix[5]``, else ``bottom``),
    top to bottom, each line sorted by x; whitespace characters dropped.

    With `split_gap` (in em), a baseline group is cut wherever two neighbours are more
    than that apart: text of different columns or table cells on the same baseline
    becomes separate lines."""

    def base(c):
        m = c.get("matrix")
        return -m[5] if m is not None else c["bottom"]

    cs = sorted(chars, key=lambda c: (base(c), c["x0"]))
    lines: list[list[dict]] = []
    cur_y = None
    for c in cs:
        y = base(c)
        if cur_y is None or abs(y - cur_y) > tol:
            lines.append([])
            cur_y = y
        lines[-1].append(c)
    out_lines = []
    for ln in lines:
        ln.sort(key=lambda c: c["x0"])
        kept = []
        space = False
        for c in ln:
            if not c["text"].strip():
                space = True
                continue
            if space:
                c = dict(c, after_space=True)  # a source space precedes this character
                space = False
            kept.append(c)
        if kept:
            out_lines.append(kept)
    lines = out_lines
    if split_gap is None:
        return lines
    out = []
    for ln in lines:
        cur = [ln[0]]
        for a, b in zip(ln, ln[1:]):
            if b["x0"] - a["x1"] > split_gap * max(a["size"], b["size"]):
                out.append(cur)
                cur = []
            cur.append(b)
        out.append(cur)
    return out


def line_text(line) -> str:
    return "".join(c["text"] for c in line)


def kinsoku_violations(lines) -> list[str]:
    """Lines that start with closing punctuation or end with opening punctuation."""
    out = []
    for ln in lines:
        if not ln:
            continue
        t = line_text(ln)
        if t[0] in NO_LINE_START and not t.startswith("——"):  # clreq: a dash may start a line
            out.append(f"line starts with {t[0]!r}: {t!r}")
        if t[-1] in NO_LINE_END:
            out.append(f"line ends with {t[-1]!r}: {t!r}")
    return out


def _is_han(ch: str) -> bool:
    # a glyph may stand for several characters (the font's "——" ligature): not Han
    return len(ch) == 1 and char_class(ch) == "H"


def gap_violations(lines, least: float = 0.2, most: float = 0.5, tol: float = 0.05) -> tuple[list[str], int]:
    """Han–Latin neighbours whose distance is not the quarter-em gap.

    The gap is a quarter em of the Han character, whether the source typed a space
    there or not; a justified line may stretch or shrink it a little, never letter-space
    it like the Han characters of the line: it must lie between `least` and `most` em.
    Returns (violations, number of pairs checked)."""
    out = []
    checked = 0
    for ln in lines:
        for a, b in zip(ln, ln[1:]):
            ta, tb = a["text"], b["text"]
            if len(ta) != 1 or len(tb) != 1:
                continue  # a ligature of several characters (the font's "——")
            if _is_han(ta) and gap_side(tb):
                size = a["size"]
            elif gap_side(ta) and _is_han(tb):
                size = b["size"]
            else:
                continue
            checked += 1
            d = b["x0"] - a["x1"]
            if not (least * size - tol <= d <= most * size + tol):
                out.append(f"gap {d:.2f}pt between {ta!r} and {tb!r} "
                           f"(expected {least * size:.2f}..{most * size:.2f}): {line_text(ln)!r}")
    return out, checked


_WS = re.compile(r"\s+")


def align(lines, paragraphs) -> list[tuple[int, int]]:
    """The (start, end) offset of each line in the paragraphs' text with white space
    removed.  Raises ValueError when the lines do not spell exactly that text (a lost,
    added or reordered character)."""
    src = "".join(_WS.sub("", p) for p in paragraphs)
    offs = []
    pos = 0
    for ln in lines:
        t = line_text(ln)
        if t.endswith("-") and src[pos : pos + len(t)] != t and hyphenated(t, src, pos):
            t = t[:-1]  # a drawn hyphen: the word goes on on the next line
        if src[pos : pos + len(t)] != t:
            raise ValueError(f"text differs at offset {pos}: PDF {t!r} vs source {src[pos:pos + len(t)]!r}")
        offs.append((pos, pos + len(t)))
        pos += len(t)
    if pos != len(src):
        raise ValueError(f"PDF text ends at {pos} of {len(src)}: {src[pos:pos + 40]!r} missing")
    return offs


def hyphenated(t: str, src: str, pos: int) -> bool:
    """Whether line text `t`, found at offset `pos` of `src`, ends with a hyphen drawn
    inside a word (the source goes on with a letter where the hyphen stands)."""
    k = pos + len(t) - 1
    return (src[pos:k] == t[:-1] and k < len(src) and src[k].isalpha() and len(t) > 1
            and t[-2].isalpha())


def tokens(paragraphs) -> list[tuple[int, int, str]]:
    """Latin tokens (maximal runs of non-ideographic, non-space characters) of the
    paragraphs, as (start, end, token) in white-space-free offsets."""
    out = []
    base = 0
    for p in paragraphs:
        ns = 0
        run_start = None
        run = []
        for ch in p + " ":
            if ch.isspace():
                if run_start is not None:
                    out.append((base + run_start, base + ns, "".join(run)))
                    run_start, run = None, []
                continue
            if char_class(ch) in TOKEN:
                if run_start is None:
                    run_start = ns
                run.append(ch)
            elif run_start is not None:
                out.append((base + run_start, base + ns, "".join(run)))
                run_start, run = None, []
            ns += 1
        base += ns
    return out


def hyphen_ends(lines, offsets) -> set:
    """End offsets (see `align`) of the lines that end with a drawn hyphen."""
    out = set()
    for ln, (s, e) in zip(lines, offsets):
        t = line_text(ln)
        if t.endswith("-") and e - s == len(t) - 1:
            out.add(e)
    return out


def split_token_violations(offsets, paragraphs, allowed=(), hyphenated=()) -> list[str]:
    """Tokens of the source that a line boundary cuts, except those in `allowed`; a cut
    at one of the `hyphenated` offsets (`hyphen_ends`) is named "hyphenated after"."""
    ends = sorted({e for _s, e in offsets})
    from bisect import bisect_right

    out = []
    for s, e, tok in tokens(paragraphs):
        i = bisect_right(ends, s)
        if i < len(ends) and ends[i] < e and tok not in allowed:
            how = "hyphenated" if ends[i] in hyphenated else "broken"
            out.append(f"token {tok!r} {how} after {tok[: ends[i] - s]!r}")
    return out


def paragraph_bounds(paragraphs) -> tuple[set, set]:
    """White-space-free offsets where paragraphs start and end."""
    starts, ends = set(), set()
    pos = 0
    for p in paragraphs:
        n = len(_WS.sub("", p))
        starts.add(pos)
        pos += n
        ends.add(pos)
    return starts, ends


def flush_violations(lines, offsets, paragraphs, left: float, right: float, first_indent: float = 0.0,
                     tol: float = 0.5) -> list[str]:
    """Justified lines that are not flush on both sides.

    Every line must start at `left` (+ `first_indent` on a paragraph's first line; an
    opening bracket starting a later line is set half-width, its blank half outside);
    every line but a paragraph's last must end at `right` -- or half an em beyond it
    when it ends with punctuation set half-width (its blank half hangs).  Lines with no
    place to stretch (a single Latin token broken as a last resort) are exempt from the
    right edge.  Also: no line may overflow the right edge."""
    pstarts, pends = paragraph_bounds(paragraphs)
    out = []
    for ln, (s, e) in zip(lines, offsets):
        t = line_text(ln)
        x0 = ln[0]["x0"]
        want = left + (first_indent if s in pstarts else 0.0)
        if ln[0]["text"] in OPENING and s not in pstarts:
            want -= 0.5 * ln[0]["size"]  # an opening bracket starting a line is half-width
        if abs(x0 - want) > tol:
            out.append(f"line starts at {x0:.2f}, not {want:.2f}: {t!r}")
        x1 = ln[-1]["x1"]
        last = ln[-1]
        hang = 0.5 * last["size"] if last["text"] in RIGHT_BLANK else 0.0
        if x1 - hang > right + tol:
            out.append(f"line overflows: ends at {x1:.2f} > {right:.2f}: {t!r}")
            continue
        if e in pends:
            continue
        stretchable = any(char_class(c) not in TOKEN for c in t)
        if not stretchable:
            continue
        if not (abs(x1 - right) <= tol or (hang and abs(x1 - hang - right) <= tol)):
            out.append(f"line not flush: ends at {x1:.2f}, right edge {right:.2f}: {t!r}")
    return out


# --- spacing figures ---------------------------------------------------------------------

_LATIN_CH = re.compile(r"[A-Za-z0-9]")


def han_pair_spacing(line) -> list[float]:
    """Extra space (em) between each pair of neighbouring Han characters of a line: the
    distance between their origins minus one em."""
    out = []
    for a, b in zip(line, line[1:]):
        if _is_han(a["text"]) and _is_han(b["text"]):
            size = float(a["size"])
            out.append((b["x0"] - a["x0"] - size) / size)
    return out


def han_latin_gaps(line) -> list[float]:
    """Visible gap (em of the Han character) between each Han character and a
    neighbouring Latin letter or digit, a typed space between them included."""
    out = []
    for a, b in zip(line, line[1:]):
        ta, tb = a["text"], b["text"]
        if _is_han(ta) and _LATIN_CH.fullmatch(tb):
            out.append((b["x0"] - a["x1"]) / float(a["size"]))
        elif _LATIN_CH.fullmatch(ta) and _is_han(tb):
            out.append((b["x0"] - a["x1"]) / float(b["size"]))
    return out


def _quantile(xs, q: float) -> float:
    """The q-quantile of `xs` by linear interpolation (numpy's default); 0 when empty."""
    xs = sorted(xs)
    if not xs:
        return 0.0
    pos = q * (len(xs) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def spacing_figures(lines, justified, min_pairs: int = 4) -> dict:
    """Figures of a set of lines: for the justified ones (``justified[i]`` true) with at
    least `min_pairs` Han pairs, the per-line mean extra Han spacing (p95, max, lines
    over 0.1 and 0.2 em); the Han–Latin gaps of every line (median, p95, max)."""
    means, worst = [], []
    gaps = []
    for ln, just in zip(lines, justified):
        gaps += han_latin_gaps(ln)
        if not just:
            continue
        pairs = han_pair_spacing(ln)
        if len(pairs) >= min_pairs:
            m = sum(pairs) / len(pairs)
            means.append(m)
            worst.append((m, line_text(ln)))
    worst.sort(reverse=True)
    return {
        "lines": len(lines),
        "measured": len(means),
        "han_p95": _quantile(means, 0.95),
        "han_max": max(means, default=0.0),
        "over_0.1": sum(m > 0.1 for m in means),
        "over_0.2": sum(m > 0.2 for m in means),
        "gaps": len(gaps),
        "gap_median": _quantile(gaps, 0.5),
        "gap_p95": _quantile(gaps, 0.95),
        "gap_max": max(gaps, default=0.0),
        "worst": worst[:12],
    }
