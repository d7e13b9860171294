"""Entry text for the web editions: inline markup as plain pieces, Han–Latin gaps marked.

The templates write every element; this module only splits text.  A piece is a dict:

    {"kind": "text", "segs": [...]}        segs: strings, and None where a Han–Latin gap goes
    {"kind": "bold", "children": [...]}
    {"kind": "link", "href": url, "segs": [...]}   url starts with http://, https:// or mailto:
    {"kind": "ref", "href": "#fig-id", "segs": [...]}  "图表 N"

Gaps follow the PDF's rule (typeset.chars): between a Han character and a letter, digit
or one of the gap symbols (%, $ ...), either order, unless a space is already there.
"""

from __future__ import annotations

from typing import Callable

from .. import inline
from ..typeset.chars import char_class, gap_side

SAFE_SCHEMES = ("http://", "https://", "mailto:")


def _han(ch: str) -> bool:
    return char_class(ch) == "H"


def _gap(a: str, b: str) -> bool:
    return (_han(a) and gap_side(b)) or (gap_side(a) and _han(b))


def pieces(text: str, ref: Callable[[str], tuple[str, str]], markup: bool = True) -> list[dict]:
    """`text` as pieces; `ref(id)` gives ("图表 N", "#anchor")."""
    items = inline.parse(text) if markup else (inline.Text(text),)
    out = _convert(items, ref)
    _mark_gaps(out)
    return out


def _convert(items, ref) -> list[dict]:
    out: list[dict] = []
    for it in items:
        if isinstance(it, inline.Text):
            out.append({"kind": "text", "segs": [it.text]})
        elif isinstance(it, inline.Bold):
            out.append({"kind": "bold", "children": _convert(it.children, ref)})
        elif isinstance(it, inline.Link):
            if it.url.lower().startswith(SAFE_SCHEMES):  # inline.parse admits only these
                out.append({"kind": "link", "href": it.url, "segs": [it.label]})
            else:
                out.append({"kind": "text", "segs": [it.label]})
        elif isinstance(it, inline.Ref):
            label, href = ref(it.target)
            out.append({"kind": "ref", "href": href, "segs": [label]})
    return out


def _leaves(ps: list[dict]):
    for p in ps:
        if p["kind"] == "bold":
            yield from _leaves(p["children"])
        else:
            yield p


def _mark_gaps(ps: list[dict]) -> None:
    """Split each leaf's text where a gap goes (None), across piece boundaries too; a gap at
    a boundary goes at the start of the later piece."""
    prev = ""
    for leaf in _leaves(ps):
        text = leaf["segs"][0]
        segs: list[str | None] = []
        start = 0
        for i, ch in enumerate(text):
            before = text[i - 1] if i else prev
            if before and _gap(before, ch):
                if i > start:
                    segs.append(text[start:i])
                segs.append(None)
                start = i
        if start < len(text):
            segs.append(text[start:])
        leaf["segs"] = segs
        if text:
            prev = text[-1]


def plain(ps: list[dict]) -> str:
    """What a reader sees, with the gaps as U+2009 (for alt text and the plain-text part)."""
    out = []
    for p in ps:
        if p["kind"] == "bold":
            out.append(plain(p["children"]))
        else:
            out.append("".join("\u2009" if s is None else s for s in p["segs"]))
    return "".join(out)
