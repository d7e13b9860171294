"""Which fields take inline markup, and the error for markup where it is not taken.

The rule (README, "How to write an entry"): an entry's running text takes inline markup,
everything else is a name or a label and prints exactly as written.  Running text is
paragraphs, list items, a term's text, `summary`, notes, table cells, a diagram step's
text, a quote's text and translation and a paper's abstract.  Titles of every kind
(entry, figure, column, header group, row group, stage, step), term names, sources,
chart text, quote and paper details and everything in week.yaml are names and labels.
Markup in them would print literally (and reach 目录 and 图表目录), so it is an error.
"""

from __future__ import annotations

from typing import Any, Iterator

from ..model import inline
from ..diagnostics import Collector

#: the last key naming a running-text value (a list's items take the list's key)
MARKUP_FIELDS = frozenset({"paragraph", "bullets", "numbered", "text", "translation", "abstract",
                           "summary", "note", "notes", "rows"})  # "text": of a term, step, quote


def takes_markup(path: tuple) -> bool:
    """True when the value at `path` of an entry is running text."""
    keys = [k for k in path if isinstance(k, str)]
    return bool(keys) and keys[-1] in MARKUP_FIELDS


def _found(text: str) -> list[tuple[str, str]]:
    """(what was written, what to do) for each piece of markup in `text`."""
    out = []
    for item in inline.parse(text):
        if isinstance(item, inline.Bold):
            out.append(("**" + inline.plain(item.children) + "**",
                        "titles and names are set in their own style; write the text without '**'"))
        elif isinstance(item, inline.Link):
            out.append((f"[{item.label}](", "a link belongs in the running text (a paragraph, "
                        "note or table cell); write the name alone here"))
        elif isinstance(item, inline.Ref):
            out.append((f"[[{item.target}]]", "refer to a figure from the running text (a "
                        "paragraph, list item or note); write the name alone here"))
    return out


def strings(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from strings(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from strings(v, path + (i,))


def check_markup(source, out: Collector, entry: bool = True) -> None:
    """Report markup in every field of `source` (a yamlsource.Source) that takes none.
    `entry` False: a file with no running text at all (week.yaml)."""
    if source is None or not any(c in source.text for c in "*["):
        return
    for path, text in strings(source.data):
        if not any(c in text for c in "*[") or (entry and takes_markup(path)):
            continue
        for written, fix in _found(text):
            line, col = source.locate(path, written)
            field = ".".join(str(k) if isinstance(k, str) else f"[{k}]" for k in path).replace(".[", "[")
            out.error(source.file, line, col, f"{field}: inline markup {written} is not taken "
                      f"here (it would print as written); {fix}")
