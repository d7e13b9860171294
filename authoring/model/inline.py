"""Inline markup: the only three constructs an entry's text may use.

    **bold**                 bold text (may contain links and references)
    [label](https://...)     a link; the target must start with http://, https:// or mailto:
    [[figure-id]]            a cross-reference, printed as "图表 N" and linked to the figure

Everything else is literal: '<', '&', '*', '_', '\\', '<font>' and any
unbalanced '**' or '[' print exactly as written.  A backslash before '*',
'[' or ']' forces that character to be literal where it would otherwise
start markup.  Nothing is ever passed to reportlab's or jinja2's markup.
"""

from __future__ import annotations

import re
from typing import NamedTuple

REF_ID = r"[a-z0-9][a-z0-9-]*"


class Text(NamedTuple):
    text: str


class Bold(NamedTuple):
    children: tuple


class Link(NamedTuple):
    label: str
    url: str


class Ref(NamedTuple):
    target: str


Inline = Text | Bold | Link | Ref

_LINK = re.compile(r"\[([^\[\]\n]+)\]\(((?:https?://|mailto:)[^\s()]+)\)")
_REF = re.compile(r"\[\[(" + REF_ID + r")\]\]")
_ESC = {"\\*": "*", "\\[": "[", "\\]": "]", "\\\\": "\\"}
_SPECIAL = re.compile(r"[\\*\[]")  # every construct (and escape) starts with one of these


def parse(text: str) -> tuple[Inline, ...]:
    """Split `text` into inline pieces; never fails, never drops a character."""
    out: list[Inline] = []
    i = 0
    n = len(text)
    buf: list[str] = []

    def flush():
        if buf:
            out.append(Text("".join(buf)))
            buf.clear()

    while i < n:
        m = _SPECIAL.search(text, i)
        if m is None:
            buf.append(text[i:])
            break
        if m.start() > i:  # plain text up to the next possible construct
            buf.append(text[i:m.start()])
            i = m.start()
        two = text[i:i + 2]
        if two in _ESC:
            buf.append(_ESC[two])
            i += 2
            continue
        if two == "**":
            end = _find_close(text, i + 2)
            if end > i + 2:
                flush()
                out.append(Bold(parse(text[i + 2:end])))
                i = end + 2
                continue
        if two == "[[":
            m = _REF.match(text, i)
            if m:
                flush()
                out.append(Ref(m.group(1)))
                i = m.end()
                continue
        if text[i] == "[":
            m = _LINK.match(text, i)
            if m:
                flush()
                out.append(Link(m.group(1), m.group(2)))
                i = m.end()
                continue
        buf.append(text[i])
        i += 1
    flush()
    return tuple(out)


def _find_close(text: str, start: int) -> int:
    """Index of the '**' closing a bold run that opened before `start`, or -1."""
    j = start
    while True:
        j = text.find("**", j)
        if j < 0:
            return -1
        if j > 0 and text[j - 1] == "\\":
            j += 2
            continue
        return j


def refs(text: str) -> list[str]:
    """Every figure id referred to in `text` (for cross-file checks)."""
    if "[[" not in text:  # every reference starts with it; skips parsing most strings
        return []
    found: list[str] = []

    def walk(items):
        for it in items:
            if isinstance(it, Ref):
                found.append(it.target)
            elif isinstance(it, Bold):
                walk(it.children)

    walk(parse(text))
    return found


def plain(items: tuple[Inline, ...], ref_label=lambda target: target) -> str:
    """The text a reader sees (references through `ref_label`)."""
    parts = []
    for it in items:
        if isinstance(it, Text):
            parts.append(it.text)
        elif isinstance(it, Bold):
            parts.append(plain(it.children, ref_label))
        elif isinstance(it, Link):
            parts.append(it.label)
        elif isinstance(it, Ref):
            parts.append(ref_label(it.target))
    return "".join(parts)
