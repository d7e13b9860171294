"""What both `new` commands write with: YAML scalars that read back as written, new
files that never replace an existing one, and the failure they raise."""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..diagnostics import Diagnostic, Failed, display_path
from ..source.load import load

WEEK_TAG = re.compile(r"^\d{8}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass
class Written:
    created: list[Path] = field(default_factory=list)
    appended: list[tuple[Path, str]] = field(default_factory=list)  # (file, line)
    notes: list[str] = field(default_factory=list)


def fail(path, message: str, line: int = 0, col: int = 0) -> Failed:
    return Failed([Diagnostic(display_path(path), line, col, message)])


def scalar(value) -> str:
    """`value` as a YAML scalar that reads back as the same text (plain when safe)."""
    text = str(value)
    try:
        if text == text.strip() and yaml.safe_load(f"k: {text}") == {"k": text} \
                and yaml.safe_load(f"[{text}]") == [text] and "#" not in text:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def flow_list(values) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def load_text(path: Path, text: str):
    fd, tmp = tempfile.mkstemp(suffix=".yaml")  # outside the project: watchers must not see it
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        return load(Path(tmp))
    finally:
        os.unlink(tmp)


def create(path: Path, text: str) -> None:
    """Write a new file; refuse (never truncate) when it exists."""
    try:
        with open(path, "x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        raise fail(path, "already exists; nothing was overwritten") from None
