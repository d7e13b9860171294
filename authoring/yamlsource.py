"""Read YAML safely and remember where every value came from.

PyYAML's node graph carries marks; we build plain Python data from it
ourselves so that we can (1) keep the line/column of every key and value,
(2) reject duplicate keys, which PyYAML would silently drop, (3) refuse any
tag outside plain YAML (no Python objects), and (4) stop alias bombs.

Scalars are read as the analyst sees them, never silently converted:

    true / false                        -> bool (any capitalisation)
    42, -7                              -> int   (plain decimal only)
    3.5, -0.25, 1.5e3                   -> float (plain decimal only)
    ~, null, empty                      -> None
    everything else                     -> text

So `yes`, `no`, `on`, `off` (YAML 1.1 booleans), `1:30` (base 60), `1_000`
stay text exactly as written, as editors (YAML 1.2) read them too, and dates
such as `2025-04-30` stay text: the schema turns them into dates where a
date is expected, and a table cell keeps them as printed.  A plain `007`,
`0x1F`, `0o17`, `1e3` or `.inf` is an error: editors read it as a number,
this reader as text, so the writer says which by quoting it or not.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, display_path
from .lazyre import PYYAML, deferred

with deferred(PYYAML):
    import yaml

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 50_000  # after alias expansion

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PLAIN_TAGS = {_STR, _NULL, _BOOL, _INT, _FLOAT, _TIMESTAMP}

_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DECIMAL_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_YAML12_NUMBER = re.compile(  # what YAML 1.2's core schema (editors) reads as a number
    r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")

Path_ = tuple  # a path into the data: keys and list indexes


@dataclass
class Source:
    """Data of one YAML file plus the position of every value and key.

    `problems` are mistakes found while reading that still left usable data
    (a duplicate key keeps its first value, a refused tag reads as null);
    `poisoned` holds the paths those mistakes spoiled, so that the schema
    check does not report the same place a second time.
    """

    file: str
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    poisoned: set[Path_] = field(default_factory=set)
    text: str = ""

    def where(self, path: Path_) -> tuple[int, int]:
        """Line/col of the value at `path`, else of its nearest ancestor."""
        path = tuple(path)
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def key_where(self, path: Path_) -> tuple[int, int]:
        """Line/col of the key naming `path`, else of the value (or ancestor)."""
        return self.keys.get(tuple(path)) or self.where(path)

    def locate(self, path: Path_, needle: str) -> tuple[int, int]:
        """Line/col of `needle` inside the text value at `path` (e.g. a [[ref]]).

        Falls back to the value's position when the needle is not written
        literally (escapes, a line break inside it).
        """
        line, col = self.where(path)
        lines = self.text.splitlines()
        for n in range(line - 1, min(len(lines), line + 199)):
            found = lines[n].find(needle, col - 1 if n == line - 1 else 0)
            if found >= 0:
                return n + 1, found + 1
        return line, col

    def is_poisoned(self, path: Path_) -> bool:
        path = tuple(path)
        return any(path[: len(p)] == p for p in self.poisoned)


def _tag_name(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _tag_message(tag: str) -> str:
    name = _tag_name(tag)
    why = " (YAML here never creates program objects)" if "python" in name else ""
    return (f"the tag '{name}' is not allowed{why}; write plain values only: text, numbers, "
            "true/false, dates, lists and mappings")


class _Builder:
    def __init__(self, file: str, text: str = ""):
        self.file = file
        self.text = text
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}
        self.errors: list[Diagnostic] = []
        self.poisoned: set[Path_] = set()
        self.count = 0
        self.active: set[int] = set()  # nodes being built: an alias to one of them is a loop

    def err(self, node_or_mark, message: str) -> None:
        mark = getattr(node_or_mark, "start_mark", node_or_mark)
        self.errors.append(Diagnostic(self.file, mark.line + 1, mark.column + 1, message))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(node)
        if id(node) in self.active:
            raise _Loop(node)
        self.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path)
            return self.sequence(node, path)
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict:
        if node.tag != "tag:yaml.org,2002:map":
            self.err(node, _tag_message(node.tag))
            self.poisoned.add(path)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.err(key_node, "merge keys ('<<: *anchor') are not supported; "
                                   "write each field out in full")
                self.poisoned.add(path)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                kind = "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"
                self.err(key_node, f"a key must be a plain name, not a {kind}; "
                                   "write 'name: value'")
                self.poisoned.add(path)
                continue
            key = key_node.value
            key_pos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in out:
                first = self.keys.get(path + (key,), (0, 0))
                self.err(key_node, f"duplicate key '{key}' (first at line {first[0]}); "
                                   "each key may appear once: keep one and delete the other")
                continue
            self.keys[path + (key,)] = key_pos
            out[key] = self.build(value_node, path + (key,))
        return out

    def sequence(self, node: yaml.SequenceNode, path: Path_) -> list:
        if node.tag != "tag:yaml.org,2002:seq":
            self.err(node, _tag_message(node.tag))
            self.poisoned.add(path)
        return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]

    def _tagged(self, node) -> bool:
        """An explicit tag (`!!str 007`) says what is meant."""
        return _tagged_at(self.text, node.start_mark.index)

    def scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        tag, text = node.tag, node.value
        if tag not in _PLAIN_TAGS:
            self.err(node, _tag_message(tag))
            self.poisoned.add(path)
            return None
        if tag == _NULL:
            return None
        if tag == _BOOL and text.lower() in ("true", "false"):
            return text.lower() == "true"
        if tag == _INT and _DECIMAL_INT.fullmatch(text):
            return int(text)
        if tag == _FLOAT and _DECIMAL_FLOAT.fullmatch(text):
            return float(text)
        if not node.style and _YAML12_NUMBER.fullmatch(text) and not self._tagged(node):  # plain: None, or "" from libyaml
            self.err(node, f"'{text}' is a number to editors (YAML 1.2) but not a plain decimal; "
                           f"put it in quotes (\"{text}\") to keep it as text, or write the number "
                           "in decimals (e.g. 7, 1000.0)")
            self.poisoned.add(path)
        return text  # str, timestamps, and every YAML 1.1 surprise: kept as written


def _tagged_at(text: str, index: int) -> bool:
    return text[index:index + 1] == "!"


class _TooBig(Exception):
    def __init__(self, node):
        self.node = node


class _Loop(Exception):
    def __init__(self, node):
        self.node = node


def read_text(path: Path, file: str | None = None) -> tuple[str | None, list[Diagnostic]]:
    """File contents as text: UTF-8 (a byte-order mark is accepted).  `file` is the path
    as diagnostics show it (display_path(path) when not given)."""
    file = file or display_path(path)
    try:
        if path.is_dir():
            return None, [Diagnostic(file, 0, 0, "is a folder; expected a YAML file")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(file, 0, 0, f"cannot be read: {exc.strerror or exc}")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [Diagnostic(file, 0, 0, f"is {len(raw):,} bytes; a YAML file may be at most "
                                             f"{MAX_FILE_BYTES:,} bytes (put pictures in image files)")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = len(raw[raw.rfind(b"\n", 0, exc.start) + 1: exc.start].decode("utf-8", "replace")) + 1
        hint = " (UTF-16?)" if b"\x00" in raw[:4] else ""
        return None, [Diagnostic(file, line, col, f"is not UTF-8 text{hint}: byte 0x{raw[exc.start]:02x} "
                                 "cannot be read; save the file with the UTF-8 encoding")]
    return text, []


def _compose(text: str):
    """libyaml's parser when PyYAML has it (5x faster); on any error the pure-Python parser
    parses again, so that diagnostics are exactly the ones it reports."""
    if getattr(yaml, "__with_libyaml__", False):
        try:
            return yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def load(path: str | Path, partial: bool = False) -> tuple[Source | None, list[Diagnostic]]:
    """Parse one YAML file.

    Returns (source, []) when the file is clean, else (None, diagnostics).
    With `partial=True`, mistakes that still leave usable data (duplicate
    keys, refused tags, merge keys) return (source, diagnostics) so that the
    rest of the file can be checked in the same run; `source.poisoned` names
    the spoiled paths.
    """
    path = Path(path)
    file = display_path(path)
    text, problems = read_text(path, file)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Diagnostic(file, 1, 1, "is empty; expected a mapping of 'key: value' fields")]
    if all(not l.strip() or l.lstrip().startswith("#") for l in text.splitlines()):
        return None, [Diagnostic(file, 1, 1, "holds only comments; expected a mapping of "
                                             "'key: value' fields")]
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        line, col, message = _yaml_problem(exc, text)
        return None, [Diagnostic(file, line, col, message)]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return None, [Diagnostic(file, line, col, f"control character U+{exc.character:04X} is not "
                                 "allowed in YAML; delete it (it is invisible in most editors)")]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(file, 1, 1, f"is not valid YAML: {exc}")]
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL):
        return None, [Diagnostic(file, 1, 1, "is empty; expected a mapping of 'key: value' fields")]
    builder = _Builder(file, text)
    try:
        data = builder.build(node, ())
    except _TooBig as big:
        m = big.node.start_mark
        return None, [Diagnostic(file, m.line + 1, m.column + 1,
                                 f"expands to more than {MAX_NODES:,} values through aliases (*name); "
                                 "write the data out plainly")]
    except _Loop as loop:
        m = loop.node.start_mark
        return None, [Diagnostic(file, m.line + 1, m.column + 1,
                                 "this value contains an alias (*name) to itself; "
                                 "an anchor cannot be used inside its own value")]
    except RecursionError:
        return None, [Diagnostic(file, 1, 1, "is nested too deeply; flatten the lists and mappings")]
    source = Source(file, data, builder.values, builder.keys, builder.errors, builder.poisoned, text)
    if builder.errors and not partial:
        return None, builder.errors
    return source, list(builder.errors)


#: Below this many files one process reads them all (a worker costs more than it saves).
PARALLEL_MIN_FILES = 120


def load_many(paths: list[Path], partial: bool = False) -> list[tuple[Source | None, list[Diagnostic]]]:
    """`load` for each of `paths`, in order.

    A large week (hundreds of entries) is shared between forked worker processes, one per
    CPU, while this process reads the first share: parsing YAML is most of what validating
    such a week costs.  Forking is used only where it is safe and cheap: on Linux, from a
    process that runs no other thread.  Elsewhere, and for small weeks, the files are read
    here one after the other.
    """
    paths = list(paths)
    workers = _workers(len(paths))
    if workers <= 1:
        return [load(p, partial) for p in paths]
    import multiprocessing

    size = -(-len(paths) // workers)
    shares = [paths[i:i + size] for i in range(0, len(paths), size)]
    with multiprocessing.get_context("fork").Pool(len(shares) - 1) as pool:
        pending = pool.map_async(_load_share, [(share, partial) for share in shares[1:]])
        results = _load_share((shares[0], partial))
        for part in pending.get():
            results.extend(part)
    return results


def _load_share(job: tuple[list[Path], bool]) -> list[tuple[Source | None, list[Diagnostic]]]:
    share, partial = job
    return [load(p, partial) for p in share]


def _workers(files: int) -> int:
    import sys
    import threading

    if files < PARALLEL_MIN_FILES or not sys.platform.startswith("linux") \
            or threading.active_count() > 1:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cpus, files // (PARALLEL_MIN_FILES // 2)))


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """Line, column and a plain-words message for a YAML syntax error."""
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    pm, cm = exc.problem_mark, exc.context_mark
    lines = text.splitlines()

    def at(mark):
        return (mark.line + 1, mark.column + 1) if mark else (1, 1)

    def line_text(mark) -> str:
        return lines[mark.line] if mark and mark.line < len(lines) else ""

    if "found character '\\t'" in problem or (pm and "\t" in line_text(pm)[: pm.column + 1]):
        tab = line_text(pm).find("\t")
        line, col = at(pm)
        return line, (tab + 1 if tab >= 0 else col), ("tab character; YAML indents with spaces "
                                                      "only: replace the tab with spaces")
    if "quoted scalar" in context and cm:
        if "unknown escape character" in problem:
            ch = problem.rsplit(" ", 1)[-1]
            line, col = at(pm)
            return (line, max(1, col - 1), f"unknown escape \\{ch.strip(chr(39))} in a double-quoted text; write "
                    "'\\\\' for a backslash or use single quotes")
        return (*at(cm), "this quoted text is never closed; add the closing quote "
                         "(or write a quote inside it twice in single quotes: 'it''s')")
    if "could not find expected ':'" in problem:
        mark = cm or pm
        shown = line_text(mark).strip()
        return (*at(mark), f"'{_clip(shown)}' is not a 'key: value' line; a ':' after the key is "
                           "missing (or a quote on an earlier line is not closed)")
    if "mapping values are not allowed" in problem:
        return (*at(pm), "a ': ' inside a plain value; put the whole value in quotes "
                         "(\"...\") or remove the colon")
    if "cannot start any token" in problem:
        ch = problem.split("'")[1] if "'" in problem else "?"
        return (*at(pm), f"a plain value cannot start with '{ch}'; put the value in quotes")
    if "found undefined alias" in problem:
        return (*at(pm), f"{problem.removeprefix('found ')}; aliases (*name) must refer to an "
                         "anchor (&name) written earlier in the file")
    if "duplicate anchor" in context:
        return (*at(pm), f"the anchor {context.split()[3].rstrip(';')} is defined twice; "
                         "give each anchor its own name")
    if "expected a single document" in context:
        return (*at(pm), "a second document ('---') in the file; one file holds one mapping")
    if "flow node" in context and "<stream end>" in problem:
        found = _last_open_bracket(lines)
        if found is not None:
            line, col, ch = found
            close = "]" if ch == "[" else "}"
            return (line, col, f"this '{ch}' is never closed: the file ends before its '{close}'")
    if "flow sequence" in context or "flow mapping" in context:
        close = "]" if "sequence" in context else "}"
        return (*at(cm), f"this '{'[' if close == ']' else '{'}' is not closed with '{close}' "
                         "(or a ',' is missing between items)")
    if "expected <block end>" in problem or "bad indentation" in problem:
        found = problem.split("found", 1)[-1].strip(" '<>")
        if found == "scalar" and pm and cm and pm.line == cm.line:
            return (*at(pm), "unexpected text after a quoted value; put the whole value in "
                             "quotes")
        if found == "-":
            return (*at(pm), "a list item ('- ') where a 'key: value' line was expected; indent "
                             "it under its key or give it a key")
        return (*at(pm), "this line's indentation does not match the lines above it; align it "
                         "with the other items at its level (spaces only)")
    if "did not find expected" in problem:
        return (*at(pm), f"malformed YAML: {problem}; check the indentation and the '- ' of "
                         "list items")
    return (*at(pm or cm), f"malformed YAML: {problem}{' (' + context + ')' if context else ''}")


def _last_open_bracket(lines: list[str]) -> tuple[int, int, str] | None:
    """Line, column and character of the last '[' or '{' that no bracket on the lines
    after it closes (quotes and comments are not tracked: a hint for a message only)."""
    depth = 0
    for n in range(len(lines) - 1, -1, -1):
        text = lines[n].split(" #", 1)[0]
        for col in range(len(text) - 1, -1, -1):
            ch = text[col]
            if ch in "]}":
                depth += 1
            elif ch in "[{":
                if depth == 0:
                    return n + 1, col + 1, ch
                depth -= 1
    return None


def _clip(s: str, n: int = 40) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
