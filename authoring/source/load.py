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

from ..diagnostics import Diagnostic, display_path
from ..lazyre import PYYAML, deferred
from .files import read_text
from .messages import text_lines, yaml_problem as _yaml_problem

with deferred(PYYAML):
    import yaml

MAX_NODES = 50_000  # after alias expansion
MAX_DEPTH = 50      # lists and mappings inside each other (an entry needs about 8)
MAX_INT_DIGITS = 30  # a whole number longer than this is a mistake (Python refuses 4,300)

#: Characters PyYAML counts as line breaks that no editor does: while parsing they stand in
#: as noncharacters (same length), so that line and column numbers are the editor's.
_FALSE_BREAKS = {"\x85": "\ufdd0", "\u2028": "\ufdd1", "\u2029": "\ufdd2"}
_FALSE_BREAKS_BACK = {v: k for k, v in _FALSE_BREAKS.items()}
_HIDE_BREAKS = str.maketrans(_FALSE_BREAKS)
_SHOW_BREAKS = str.maketrans(_FALSE_BREAKS_BACK)

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
        lines = text_lines(self.text)
        for n in range(line - 1, min(len(lines), line + 199)):
            found = lines[n].find(needle, col - 1 if n == line - 1 else 0)
            if found >= 0:
                return n + 1, found + 1
        return line, col

    def is_poisoned(self, path: Path_) -> bool:
        path = tuple(path)
        return any(path[: len(p)] == p for p in self.poisoned)


def shown(key: Any) -> str:
    """A key or value as a one-line message prints it: line breaks, tabs and other control
    characters escaped (a key holding a newline must not split the diagnostic)."""
    text = str(key)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def _tag_name(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _tag_message(tag: str) -> str:
    name = _tag_name(tag)
    why = " (YAML here never creates program objects)" if "python" in name else ""
    return (f"the tag '{name}' is not allowed{why}; write plain values only: text, numbers, "
            "true/false, dates, lists and mappings")


class _Builder:
    def __init__(self, file: str, hidden_breaks: bool = False, text: str = ""):
        self.file = file
        self.hidden_breaks = hidden_breaks  # noncharacters stand for U+0085/U+2028/U+2029
        self.text = text  # as parsed: to see an explicit tag before a scalar
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
        if len(path) >= MAX_DEPTH and not isinstance(node, yaml.ScalarNode):
            raise _TooDeep(node)  # the list or mapping number MAX_DEPTH + 1 from the top
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
            key = self.text_of(key_node)
            key_pos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in out:
                first = self.keys.get(path + (key,), (0, 0))
                self.err(key_node, f"duplicate key '{shown(key)}' (first at line {first[0]}); "
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
        tag, text = node.tag, self.text_of(node)
        if tag not in _PLAIN_TAGS:
            self.err(node, _tag_message(tag))
            self.poisoned.add(path)
            return None
        if tag == _NULL:
            return None
        if tag == _BOOL and text.lower() in ("true", "false"):
            return text.lower() == "true"
        if tag == _INT and _DECIMAL_INT.fullmatch(text):
            digits = len(text.lstrip("+-"))
            if digits > MAX_INT_DIGITS:
                self.err(node, f"a whole number of {digits:,} digits; numbers may have at most "
                               f"{MAX_INT_DIGITS} digits (put it in quotes to keep it as text)")
                self.poisoned.add(path)
                return None
            return int(text)
        if tag == _FLOAT and _DECIMAL_FLOAT.fullmatch(text):
            return float(text)
        if not node.style and _YAML12_NUMBER.fullmatch(text) and not self._tagged(node):  # plain: None, or "" from libyaml
            self.err(node, f"'{text}' is a number to editors (YAML 1.2) but not a plain decimal; "
                           f"put it in quotes (\"{text}\") to keep it as text, or write the number "
                           "in decimals (e.g. 7, 1000.0)")
            self.poisoned.add(path)
        return text  # str, timestamps, and every YAML 1.1 surprise: kept as written

    def text_of(self, node: yaml.ScalarNode) -> str:
        return node.value.translate(_SHOW_BREAKS) if self.hidden_breaks else node.value


class _TooDeep(Exception):
    def __init__(self, node):
        self.node = node


def _tagged_at(text: str, index: int) -> bool:
    return text[index:index + 1] == "!"


class _TooBig(Exception):
    def __init__(self, node):
        self.node = node


class _Loop(Exception):
    def __init__(self, node):
        self.node = node


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
    hidden = any(ch in text for ch in _FALSE_BREAKS) and \
        not any(ch in text for ch in _FALSE_BREAKS_BACK)
    parsed = text.translate(_HIDE_BREAKS) if hidden else text
    try:
        node = _compose(parsed)
    except yaml.MarkedYAMLError as exc:
        line, col, message = _yaml_problem(exc, parsed)
        return None, [Diagnostic(file, line, col, message)]
    except RecursionError:  # only the pure-Python composer recurses; find where, iteratively
        return None, [_too_deep(file, parsed)]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return None, [Diagnostic(file, line, col, f"control character U+{exc.character:04X} is not "
                                 "allowed in YAML; delete it (it is invisible in most editors)")]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(file, 1, 1, f"is not valid YAML: {exc}")]
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL):
        return None, [Diagnostic(file, 1, 1, "is empty; expected a mapping of 'key: value' fields")]
    builder = _Builder(file, hidden, parsed)
    try:
        data = builder.build(node, ())
    except _TooDeep as deep:
        m = deep.node.start_mark
        return None, [Diagnostic(file, m.line + 1, m.column + 1, _DEEP_MESSAGE)]
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
    except RecursionError:  # aliases nest deeper than the recursion limit
        return None, [_too_deep(file, parsed)]
    source = Source(file, data, builder.values, builder.keys, builder.errors, builder.poisoned, text)
    if builder.errors and not partial:
        return None, builder.errors
    return source, list(builder.errors)


_DEEP_MESSAGE = (f"lists and mappings are nested more than {MAX_DEPTH} levels deep here; "
                 "flatten them (an entry needs about 8 levels)")


def _too_deep(file: str, text: str) -> Diagnostic:
    """Where `text` nests deeper than MAX_DEPTH, found with the parser's events (the
    parser keeps a stack of states; it never recurses)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    m = event.start_mark
                    return Diagnostic(file, m.line + 1, m.column + 1, _DEEP_MESSAGE)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        return Diagnostic(file, *_yaml_problem(exc, text))
    except yaml.YAMLError:
        pass
    return Diagnostic(file, 1, 1, _DEEP_MESSAGE)


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
