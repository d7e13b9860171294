"""The YAML reader: positions, duplicate keys, tags, encodings, aliases, scalars."""

from __future__ import annotations

from pathlib import Path

import pytest

from authoring.source import files as source_files, load as yamlsource
from authoring.source.load import load


def write(tmp_path: Path, text: str | bytes, name: str = "f.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load_ok(tmp_path: Path, text: str | bytes):
    source, problems = load(write(tmp_path, text))
    assert problems == [] and source is not None
    return source


def only_problem(tmp_path: Path, text: str | bytes, **kw):
    source, problems = load(write(tmp_path, text), **kw)
    assert len(problems) == 1, problems
    return problems[0]


# ------------------------------------------------------------------ positions

def test_positions_of_values_and_keys(tmp_path):
    src = load_ok(tmp_path, "id: qwen3\nbody:\n  - paragraph: 第一段\n  - figure:\n      kind: table\n"
                            "      rows: [[a, 1], [b, 2]]\n")
    assert src.where(("id",)) == (1, 5)
    assert src.key_where(("id",)) == (1, 1)
    assert src.where(("body", 0, "paragraph")) == (3, 16)
    assert src.key_where(("body", 0, "paragraph")) == (3, 5)
    assert src.where(("body", 1, "figure", "kind")) == (5, 13)
    assert src.where(("body", 1, "figure", "rows", 1, 1)) == (6, 26)
    assert src.where(()) == (1, 1)


def test_position_of_a_missing_path_is_its_nearest_ancestor(tmp_path):
    src = load_ok(tmp_path, "a: 1\nb:\n  c: 2\n")
    assert src.where(("b", "missing", 3)) == src.where(("b",)) == (3, 3)
    assert src.key_where(("b", "missing")) == (3, 3)


def test_columns_count_characters_not_bytes(tmp_path):
    src = load_ok(tmp_path, "标题: 通义千问\n说明: [甲, 乙]\n")
    assert src.where(("标题",)) == (1, 5)
    assert src.where(("说明", 1)) == (2, 9)


def test_locate_finds_text_inside_a_value(tmp_path):
    src = load_ok(tmp_path, "a: x\nb: >-\n  第一行文字\n  见 [[fig-1]] 所示\n")
    assert src.locate(("b",), "[[fig-1]]") == (4, 5)
    assert src.locate(("b",), "not there") == src.where(("b",))


# --------------------------------------------------------------- duplicates

def test_duplicate_key_is_an_error_with_both_lines(tmp_path):
    d = only_problem(tmp_path, "title: 一\nid: x\ntitle: 二\n")
    assert (d.line, d.col) == (3, 1)
    assert "duplicate key 'title'" in d.message and "first at line 1" in d.message


def test_duplicate_key_nested_and_in_flow_mapping(tmp_path):
    d = only_problem(tmp_path, "a:\n  - {k: 1, j: 2, k: 3}\n")
    assert (d.line, d.col) == (2, 18) and "duplicate key 'k'" in d.message


def test_partial_load_keeps_the_first_value_and_reports(tmp_path):
    source, problems = load(write(tmp_path, "title: 一\ntitle: 二\nid: x\n"), partial=True)
    assert source is not None and source.data == {"title": "一", "id": "x"}
    assert len(problems) == 1 and source.problems == problems


def test_strict_load_returns_no_data_on_any_problem(tmp_path):
    source, problems = load(write(tmp_path, "title: 一\ntitle: 二\n"))
    assert source is None and problems


# ---------------------------------------------------------------------- tags

@pytest.mark.parametrize("text", [
    "a: !!python/object/apply:os.system [touch {marker}]\n",
    "a: !!python/object/new:os.system [touch {marker}]\n",
    "a: !!python/name:os.system\n",
    "a: !!python/tuple [1, 2]\n",
])
def test_python_tags_are_refused_and_never_run(tmp_path, text):
    marker = tmp_path / "ran"
    d = only_problem(tmp_path, text.format(marker=marker))
    assert (d.line, d.col) == (1, 4)
    assert "is not allowed" in d.message and "!!python/" in d.message
    assert not marker.exists()


@pytest.mark.parametrize("text,tag", [
    ("a: !include other.yaml\n", "!include"),
    ("a: !!binary aGVsbG8=\n", "!!binary"),
    ("a: !!set {x, y}\n", "!!set"),
    ("a: !!omap [x: 1]\n", "!!omap"),
    ("a: !custom\n  b: 1\n", "!custom"),
])
def test_other_tags_are_refused(tmp_path, text, tag):
    d = only_problem(tmp_path, text)
    assert f"'{tag}' is not allowed" in d.message


def test_explicit_plain_tags_are_fine(tmp_path):
    src = load_ok(tmp_path, "a: !!str 123\nb: !!int 7\nc: !!float 1.5\n")
    assert src.data == {"a": "123", "b": 7, "c": 1.5}


def test_merge_keys_are_refused(tmp_path):
    d = only_problem(tmp_path, "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert (d.line, d.col) == (3, 3) and "merge keys" in d.message


def test_mapping_as_key_is_refused(tmp_path):
    d = only_problem(tmp_path, "? [a, b]\n: 1\n")
    assert (d.line, d.col) == (1, 3) and "a key must be a plain name" in d.message


# ----------------------------------------------------------- encodings, size

def test_byte_order_mark_is_accepted_and_positions_unchanged(tmp_path):
    src = load_ok(tmp_path, b"\xef\xbb\xbfid: qwen3\ntitle: \xe6\xa0\x87\xe9\xa2\x98\n")
    assert src.data == {"id": "qwen3", "title": "标题"}
    assert src.key_where(("id",)) == (1, 1)
    assert src.where(("title",)) == (2, 8)


def test_latin1_is_refused_at_the_first_bad_byte(tmp_path):
    d = only_problem(tmp_path, "id: x\ntitle: Caf\xe9 au lait\n".encode("latin-1"))
    assert (d.line, d.col) == (2, 11)
    assert "not UTF-8" in d.message and "0xe9" in d.message


def test_utf16_gets_a_hint(tmp_path):
    d = only_problem(tmp_path, "id: x\n".encode("utf-16"))
    assert "not UTF-8" in d.message and "UTF-16" in d.message


def test_control_characters_are_refused_with_position(tmp_path):
    d = only_problem(tmp_path, "id: x\ntitle: ab\x00c\n")
    assert (d.line, d.col) == (2, 10) and "U+0000" in d.message


def test_empty_and_comment_only_files(tmp_path):
    assert "is empty" in only_problem(tmp_path, b"").message
    assert "is empty" in only_problem(tmp_path, "\n  \n").message
    assert "only comments" in only_problem(tmp_path, "# nothing yet\n   # still nothing\n").message
    assert "is empty" in only_problem(tmp_path, "---\n...\n").message
    assert "is empty" in only_problem(tmp_path, "~\n").message


def test_oversize_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(source_files, "MAX_FILE_BYTES", 100)
    d = only_problem(tmp_path, "a: " + "x" * 200 + "\n")
    assert d.line == 0 and "at most 100 bytes" in d.message


def test_folder_and_missing_file(tmp_path):
    source, problems = load(tmp_path)
    assert source is None and "is a folder" in problems[0].message
    source, problems = load(tmp_path / "nope.yaml")
    assert source is None and "cannot be read" in problems[0].message


# ------------------------------------------------------------------- aliases

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))


def test_alias_bomb_is_stopped(tmp_path):
    """10**9 values if expanded; the builder stops at MAX_NODES (speed is `make bench`'s
    business, not a test's)."""
    d = only_problem(tmp_path, BILLION_LAUGHS)
    assert "expands to more than" in d.message


def test_small_aliases_are_allowed(tmp_path):
    src = load_ok(tmp_path, "src: &s [DeepSeek, 通义千问]\nfig1: {sources: *s}\nfig2: {sources: *s}\n")
    assert src.data["fig1"]["sources"] == src.data["fig2"]["sources"] == ["DeepSeek", "通义千问"]


def test_alias_limit_counts_expanded_values(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlsource, "MAX_NODES", 30)
    d = only_problem(tmp_path, "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*a, *a, *a]\n")
    assert "more than 30 values" in d.message


def test_self_referring_alias(tmp_path):
    d = only_problem(tmp_path, "a: &loop\n  - x\n  - *loop\n")
    assert (d.line, d.col) == (1, 4) and "to itself" in d.message


def test_undefined_alias(tmp_path):
    d = only_problem(tmp_path, "a: *nowhere\n")
    assert (d.line, d.col) == (1, 4) and "undefined alias 'nowhere'" in d.message


# ------------------------------------------------------------------- scalars

@pytest.mark.parametrize("written,value", [
    ("true", True), ("False", False), ("TRUE", True),
    ("42", 42), ("-7", -7), ("0", 0), ("3.5", 3.5), ("-0.25", -0.25), ("1.5e+3", 1500.0), (".5", 0.5),
    ("~", None), ("null", None), ("", None),
    # YAML 1.1 surprises stay text exactly as written
    ("yes", "yes"), ("No", "No"), ("on", "on"), ("OFF", "OFF"), ("y", "y"),
    ("0b101", "0b101"), ("1_000", "1_000"), ("1:30", "1:30"), ("190:20:30", "190:20:30"),
    ("'007'", "007"), ("!!str 007", "007"),
    # dates stay text; the schema turns them into dates where a date is expected
    ("2025-04-30", "2025-04-30"), ("2025-02-30", "2025-02-30"), ("2025-04-30 10:00:00", "2025-04-30 10:00:00"),
    ("'yes'", "yes"), ('"42"', "42"),
])
def test_scalars_are_read_as_written(tmp_path, written, value):
    src = load_ok(tmp_path, f"v: {written}\n")
    assert src.data["v"] == value and type(src.data["v"]) is type(value)


def test_table_cells_keep_their_text(tmp_path):
    src = load_ok(tmp_path, "row: [Yes, No, 2025-04-30, '007', 1:30, 88.9, 671]\n")
    assert src.data["row"] == ["Yes", "No", "2025-04-30", "007", "1:30", 88.9, 671]


@pytest.mark.parametrize("written", ["007", "0x1F", "0o17", ".inf", "-.inf", ".nan", "1.5e3", "1e3"])
def test_numbers_only_editors_read_as_numbers_are_refused(tmp_path, written):
    """YAML 1.2 (editors) reads these as numbers, YAML 1.1 partly as text: the writer must say."""
    d = only_problem(tmp_path, f"a: {written}\n")
    assert (d.line, d.col) == (1, 4) and "put it in quotes" in d.message and written in d.message


# -------------------------------------------------------------- syntax errors

@pytest.mark.parametrize("text,pos,words", [
    ("a:\n\tb: 1\n", (2, 1), "tab character"),
    ("a:\n  b: 1\n c: 2\n", (3, 2), "indentation"),
    ("a:\n  - k: x\n   - k: y\n", (3, 4), "indentation"),
    ("a: 'open\nb: 2\n", (1, 4), "never closed"),
    ('a: "open\nb: 2\n', (1, 4), "never closed"),
    ("a: 1\nb 2\nc: 3\n", (2, 1), "':' after the key is missing"),
    ("title: Qwen3: 发布\n", (1, 13), "': ' inside a plain value"),
    ("a: [1, 2\nb: 3\n", (1, 4), "'[' is not closed"),
    ("a: {b: 1\n", (1, 4), "'{' is not closed"),
    ("a: @x\n", (1, 4), "cannot start with '@'"),
    ('a: "C:\\data"\n', (1, 7), "unknown escape \\d"),
    ("a: 1\n---\nb: 2\n", (2, 1), "second document"),
    ("a: &x 1\nb: &x 2\n", (2, 4), "the anchor 'x' is defined twice"),
])
def test_syntax_errors_have_positions_and_plain_words(tmp_path, text, pos, words):
    d = only_problem(tmp_path, text)
    assert (d.line, d.col) == pos, d
    assert words in d.message, d
    assert "Traceback" not in d.message and "<" not in d.message.split(";")[0].replace("<<", "")
