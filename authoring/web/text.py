"""Entry text for the web editions: inline markup as plain pieces, Han–Latin gaps marked.

The templates write every element; this module only splits text.  A piece is a dict:

    {"kind": "text", "segs": [...]}        segs: strings, None where a Han–Latin gap goes, and
                                            {"nobreak": "Qwen3-235B"} for a hyphenated word
    {"kind": "bold", "children": [...]}
    {"kind": "link", "href": url, "segs": [...]}   url starts with http://, https:// or mailto:
    {"kind": "ref", "href": "#fig-id", "segs": [...]}  "图表 N"

Gaps follow the PDF's rule (typeset.chars): between a Han character and a letter, digit
or one of the gap symbols (%, $ ...), either order, unless a space is already there.
Browsers break a line after the hyphen of "DeepSeek-R1"; the PDF never splits a Latin word,
so a hyphenated word (up to NOBREAK_MAX characters; a longer one may have to break) is
marked for the templates to keep on one line.
"""

from __future__ import annotations

from typing import Callable

from ..model import inline
from ..typeset.chars import TOKEN, char_class, classify, gap_side

SAFE_SCHEMES = ("http://", "https://", "mailto:")
NOBREAK_MAX = 24
_RUN = None  # runs of token characters in a class string, compiled on first use


def _nobreak(text: str) -> list:
    """`text` with its hyphenated Latin words (runs of token characters, typeset.chars) as
    {"nobreak": word}."""
    global _RUN
    if "-" not in text:
        return [text]
    if _RUN is None:
        import re

        _RUN = re.compile("[" + "".join(sorted(TOKEN)) + "]+")
    out: list = []
    pos = 0
    for m in _RUN.finditer(classify(text)):
        word = text[m.start():m.end()]
        if "-" in word.strip("-") and len(word) <= NOBREAK_MAX:
            if m.start() > pos:
                out.append(text[pos:m.start()])
            out.append({"nobreak": word})
            pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


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
        leaf["segs"] = [piece for seg in segs for piece in ([seg] if seg is None else _nobreak(seg))]
        if text:
            prev = text[-1]


def plain(ps: list[dict]) -> str:
    """What a reader sees, with the gaps as U+2009 (for alt text and the plain-text part)."""
    out = []
    for p in ps:
        if p["kind"] == "bold":
            out.append(plain(p["children"]))
        else:
            out.append("".join("\u2009" if s is None else s["nobreak"] if isinstance(s, dict) else s
                               for s in p["segs"]))
    return "".join(out)
