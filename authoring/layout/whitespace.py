"""White space of a paragraph's runs as it is set: runs of spaces and tabs collapse to one
space (also across runs), a space next to a forced line break goes, empty runs drop."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace


_WS = re.compile(r"[ \t\r\f\v]+")
_SP_NL = re.compile(r" ?\n ?")


def normalize(runs: Sequence) -> tuple[tuple, str, list[int]]:
    """Collapse white space (across runs), drop empty runs.

    Returns the runs with normalized text, the paragraph text and each run's start.
    """
    out: list = []
    starts: list[int] = []
    parts: list[str] = []
    pos = 0
    prev_space = True  # leading spaces of the paragraph go
    for r in runs:
        t = r.text
        if "\r" in t:
            t = t.replace("\r\n", "\n")
        t = _WS.sub(" ", t)
        if "\n" in t:
            t = _SP_NL.sub("\n", t)
        if prev_space and t.startswith((" ", "\n")) and t[0] == " ":
            t = t[1:]
        if not t:
            continue
        prev_space = t[-1] in " \n"
        if t != r.text:
            r = replace(r, text=t)
        out.append(r)
        starts.append(pos)
        parts.append(t)
        pos += len(t)
    return tuple(out), "".join(parts), starts
