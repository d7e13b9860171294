"""Read YAML safely and remember where every value came from.

PyYAML's node graph carries marks; we build plain Python data from it
ourselves so that we can (1) keep the line/column of every key and value,
(2) reject duplicate keys, which PyYAML would silently drop, (3) refuse any
tag outside plain YAML (no Python objects), and (4) stop alias bombs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, display_path

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 50_000  # after alias expansion

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

Path_ = tuple  # a path into the data: keys and list indexes


@dataclass
class Source:
    """Data of one YAML file plus the position of every value and key."""

    file: str
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_) -> tuple[int, int]:
        """Line/col of the value at `path`, else of its nearest ancestor."""
        path = tuple(path)
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def key_where(self, path: Path_) -> tuple[int, int]:
        return self.keys.get(tuple(path)) or self.where(path)


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}
        self.errors: list[Diagnostic] = []
        self.count = 0
        self.loader = yaml.SafeLoader("")

    def err(self, node_or_mark, message: str) -> None:
        mark = getattr(node_or_mark, "start_mark", node_or_mark)
        self.errors.append(Diagnostic(self.file, mark.line + 1, mark.column + 1, message))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(node)
        self.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                self.err(node, f"tag {node.tag!r} is not allowed; write a plain mapping")
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.err(key_node, "merge keys ('<<') are not supported; write the fields out")
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    self.err(key_node, "a key must be a plain word, not a list or mapping")
                    continue
                key = key_node.value
                if key in out:
                    first = self.keys.get(path + (key,), (0, 0))
                    self.err(key_node, f"duplicate key '{key}' (first defined at line {first[0]}); "
                                       "each key may appear once")
                    continue
                self.keys[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                out[key] = self.build(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self.err(node, f"tag {node.tag!r} is not allowed; write a plain list")
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        if node.tag not in _PLAIN_TAGS:
            self.err(node, f"tag {node.tag!r} is not allowed; only plain text, numbers, "
                           "dates, true/false and null")
            return None
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.err(node, f"cannot read this value ({exc.__class__.__name__}); "
                           "quote it to make it text")
            return None


class _TooBig(Exception):
    def __init__(self, node):
        self.node = node


def read_text(path: Path) -> tuple[str | None, list[Diagnostic]]:
    """File contents as text: UTF-8 (a byte-order mark is accepted)."""
    file = display_path(path)
    try:
        if path.is_dir():
            return None, [Diagnostic(file, 0, 0, "is a folder; expected a YAML file")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(file, 0, 0, f"cannot be read: {exc.strerror or exc}")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [Diagnostic(file, 0, 0, f"is {len(raw):,} bytes; a YAML file may be at most "
                                             f"{MAX_FILE_BYTES:,} bytes")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Diagnostic(file, line, col, "is not UTF-8 text (byte "
                                 f"0x{raw[exc.start]:02x}); save the file as UTF-8")]
    return text, []


def load(path: str | Path) -> tuple[Source | None, list[Diagnostic]]:
    """Parse one YAML file.  Returns (source, []) or (None, diagnostics)."""
    path = Path(path)
    file = display_path(path)
    text, problems = read_text(path)
    if text is None:
        return None, problems
    if not text.strip() or all(l.strip().startswith("#") or not l.strip() for l in text.splitlines()):
        return None, [Diagnostic(file, 1, 1, "is empty; expected a mapping of fields")]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "quoted scalar" in (exc.context or "") and exc.context_mark:
            mark = exc.context_mark  # point at the opening quote, not the end of file
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Diagnostic(file, line, col, _yaml_message(exc, text, mark))]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(file, 1, 1, f"is not valid YAML: {exc}")]
    if node is None:
        return None, [Diagnostic(file, 1, 1, "is empty; expected a mapping of fields")]
    builder = _Builder(file)
    try:
        data = builder.build(node, ())
    except _TooBig as big:
        m = big.node.start_mark
        return None, [Diagnostic(file, m.line + 1, m.column + 1,
                                 f"expands to more than {MAX_NODES:,} values (aliases?); "
                                 "write the data out plainly")]
    except RecursionError:
        return None, [Diagnostic(file, 1, 1, "is nested too deeply or refers to itself")]
    if builder.errors:
        return None, builder.errors
    return Source(file, data, builder.values, builder.keys), []


def _yaml_message(exc: yaml.MarkedYAMLError, text: str, mark) -> str:
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    if mark is not None:
        lines = text.splitlines()
        if mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            return "tab character in indentation; YAML indents with spaces only"
    if "found character '\\t'" in problem:
        return "tab character in indentation; YAML indents with spaces only"
    if "could not find expected ':'" in problem:
        return "malformed YAML: expected 'key: value' here (is a quote left open or a colon missing?)"
    if "quoted scalar" in context:
        return "malformed YAML: a quoted text is never closed; add the closing quote"
    if "mapping values are not allowed" in problem:
        return ("malformed YAML: a ':' followed by a space inside a plain value; "
                "put the value in quotes")
    if "expected <block end>" in problem or "bad indentation" in problem or "did not find expected" in problem:
        return f"malformed YAML: {problem}{' ' + context if context else ''}; check the indentation"
    return f"malformed YAML: {problem}{' (' + context + ')' if context else ''}"
