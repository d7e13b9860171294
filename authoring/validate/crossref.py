"""Checks across the files of a week: the week's folder, authors, sections, key points,
unique ids, and every [[reference]] naming a figure.  They run on the raw data of every
entry that could be read, so that an entry with a schema error is still checked."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Collector, display_path
from ..model import entries as models, inline
from ..source.load import Source
from ..source.paths import dotted, strings
from .figures import check_image, raw_figures
from .messages import close_matches

if TYPE_CHECKING:
    from .files import Loaded
    from .week import Parsed

_BAD_REF = re.compile(r"(?<!\\)\[\[([^\[\]\n]{1,80})\]\]")  # [[...]] that may be a mistyped reference
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def _text(value: Any) -> str | None:
    """A raw YAML value as the model would read it (stripped text), else None."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def _slug(value: Any) -> str | None:
    """A raw id that the schema accepts, else None (the schema reports it)."""
    text = _text(value)
    return text if text and _SLUG.fullmatch(text) else None


def cross_check(folder: Path, week: Loaded, parsed: list[Parsed],
                 people: tuple[list[str], str] | None, out: Collector) -> None:
    """Checks across files.  They run on the raw data of every entry that could be
    read, so an entry with a schema error still has its section, ids, images and
    references checked in the same run."""
    w: models.Week = week.model
    ws = week.source
    if w.week != folder.name:
        line, col = ws.where(("week",))
        out.error(ws.file, line, col, f"week: '{w.week}' does not match the folder name "
                  f"'{folder.name}'; write week: \"{folder.name}\" or rename the folder")
    section_keys = [s.key for s in w.sections]
    if people is not None:
        known, people_file = people
        for i, pid in enumerate(w.authors):
            if pid not in known:
                line, col = ws.where(("authors", i))
                hint = close_matches(pid, known, n=1)
                out.error(ws.file, line, col, f"authors[{i}]: unknown person '{pid}'; "
                          + (f"did you mean '{hint[0]}'? " if hint else "")
                          + f"{people_file} lists: {', '.join(known)}")
    entries = [(p, p.source.data) for p in parsed if isinstance(p.source.data, dict)]
    entry_ids: dict[str, Source] = {}
    for p, data in entries:
        src = p.source
        eid = _slug(data.get("id"))
        if eid is None:
            continue
        if eid in entry_ids:
            line, col = src.where(("id",))
            out.error(src.file, line, col, f"id: '{eid}' is already the id of {entry_ids[eid].file}; "
                      "entry ids must be unique in the week")
        else:
            entry_ids[eid] = src
    figure_ids: dict[str, tuple[str, int, int]] = {}
    for p, data in entries:
        src = p.source
        section = _text(data.get("section"))
        if section is not None and section not in section_keys:
            line, col = src.where(("section",))
            hint = close_matches(section, section_keys, n=1)
            out.error(src.file, line, col, f"section: unknown section '{section}'; "
                      + (f"did you mean '{hint[0]}'?" if hint
                         else f"{display_path(ws.file)} defines: {', '.join(section_keys)}"))
        for path, fig in raw_figures(data):
            fid = _slug(fig.get("id"))
            where = dotted(path + ("id",))
            line, col = src.where(path + ("id",))
            if fid is None:
                pass
            elif fid in figure_ids:
                f, l, c = figure_ids[fid]
                out.error(src.file, line, col, f"{where}: '{fid}' is already the id of the figure at "
                          f"{f}:{l}:{c}; figure ids must be unique in the week")
            elif fid in entry_ids:
                out.error(src.file, line, col, f"{where}: '{fid}' is already the id of the entry "
                          f"{entry_ids[fid].file}; give the figure an id of its own")
            else:
                figure_ids[fid] = (src.file, line, col)
            if fig.get("kind") == "image" and _text(fig.get("file")):
                check_image(folder, src, path, fig["file"], out)
    for i, kp in enumerate(w.key_points):
        line, col = ws.where(("key_points", i))
        if kp not in entry_ids:
            hint = close_matches(kp, list(entry_ids), n=1)
            out.error(ws.file, line, col, f"key_points[{i}]: no entry has the id '{kp}'"
                      + (f"; did you mean '{hint[0]}'?" if hint else
                         f"; entry ids this week: {', '.join(sorted(entry_ids)) or 'none'}"))
        else:
            src = entry_ids[kp]
            if not _text(src.data.get("summary")) and not src.is_poisoned(("summary",)):
                line, col = src.key_where(("id",))
                out.error(src.file, line, col, f"summary: required because {display_path(ws.file)} "
                          f"lists '{kp}' as a key point (the cover shows its summary)")
    for p, data in entries:
        src = p.source
        if "[[" not in getattr(src, "text", "[["):
            continue  # no reference written in this file
        for path, text in strings(data):
            for target in inline.refs(text):
                if target not in figure_ids:
                    line, col = src.locate(path, f"[[{target}]]")
                    hint = close_matches(target, list(figure_ids), n=1)
                    out.error(src.file, line, col, f"{dotted(path)}: the reference "
                              f"[[{target}]] names no figure of this week"
                              + (f"; did you mean [[{hint[0]}]]?" if hint else
                                 "; [[id]] must be the id of a figure"))
            for m in _BAD_REF.finditer(text):
                if not re.fullmatch(inline.REF_ID, m.group(1)):
                    line, col = src.locate(path, m.group(0))
                    guess = re.sub(r"[^a-z0-9-]+", "-", m.group(1).strip().lower()).strip("-")
                    out.error(src.file, line, col, f"{dotted(path)}: {m.group(0)} is "
                              "not a reference: figure ids are lowercase letters, digits and '-'"
                              + (f" (did you mean [[{guess}]]?)" if guess in figure_ids else "")
                              + "; write \\[[ to print '[[' as text")
