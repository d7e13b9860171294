"""The build's caches are safe: a changed input never reuses a stale result, and the cache
only saves time (deleting or damaging it gives the same PDF, byte for byte).

The caches, all `authoring.cache.store.Store` entries: the subset font programs
(``*.program``), the CFF faces' CID checks (``*.cids``) and fontconfig's answers under
<cache>/fonts, each week's shaping under <cache>/shaping (authoring.fonts), the chart PNGs
under <cache>/charts (authoring.charts), the rendered templates under <cache>/templates
(authoring.assemble.templates), the line-breaking analysis under <cache>/typeset
(authoring.typeset.memo) and each week's assembled report under <cache>/snapshots
(authoring.cache.snapshot).  The store itself is tested at the end.
Each test builds a small week in a copy of the project, with its own cache folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from authoring import fonts
from authoring.build import build_week
from conftest import MINIMAL_WEEK, write_minimal_week

REPO = Path(__file__).resolve().parent.parent

CHART_ENTRY = """\
id: mimo-rollout
section: research
title: 小米 MiMo 的 Seamless Rollout 系统
date: 2025-04-30
body:
  - paragraph: Seamless Rollout 系统把连续部署、异步奖励计算与提前终止结合起来，训练与验证均明显提速（[[rollout-speedup]]）。
  - figure:
      id: rollout-speedup
      kind: chart
      chart: bar
      title: Seamless Rollout 系统
      sources: [Xiaomi]
      categories: [强化学习训练, 验证]
      series:
        - {name: 加速倍数, values: [2.29, 1.96]}
      y_label: 加速倍数
      unit: 倍
      height: 0.45
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """entries/ (people, catalogue, a small week with a table and a chart) and styles/."""
    root = tmp_path_factory.mktemp("cache-project")
    (root / "entries").mkdir()
    for name in ("people.yaml", "catalogue.yaml"):
        shutil.copy2(REPO / "entries" / name, root / "entries" / name)
    folder = write_minimal_week(root / "entries")
    (folder / "02-mimo-rollout.yaml").write_text(CHART_ENTRY, encoding="utf-8")
    shutil.copytree(REPO / "styles", root / "styles")
    return root


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def baseline(project, cache) -> bytes:
    return build(project, cache)


def build(root: Path, cache: Path) -> bytes:
    out = root / "build"
    result = build_week(root, MINIMAL_WEEK, out_dir=out, cache=cache)
    return result.pdf.read_bytes()


def pdf_text(data: bytes) -> str:
    import io

    reader = pypdf.PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages))


class Edit:
    """Change a file of the project for one test; put it back afterwards."""

    def __init__(self, path: Path):
        self.path = path
        self.original = path.read_text(encoding="utf-8")

    def replace(self, old: str, new: str) -> None:
        text = self.path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {self.path}"
        self.path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def restore(self) -> None:
        self.path.write_text(self.original, encoding="utf-8")


@pytest.fixture
def edit(project):
    edits: list[Edit] = []

    def make(relative: str) -> Edit:
        e = Edit(project / relative)
        edits.append(e)
        return e

    yield make
    for e in reversed(edits):
        e.restore()


def charts_in(cache: Path) -> set[str]:
    return {p.name for p in (cache / "charts").glob("*.png")}


def subsets_in(cache: Path) -> set[str]:
    return {p.name for p in (cache / "fonts").glob("*.program")}


def spawn_build(project: Path, cache: Path, out: Path) -> subprocess.Popen:
    """A build in a process of its own (nothing in memory from this one), started: it
    prints whether jinja2, uniseg, pydantic and yaml were imported."""
    code = ("import sys; from pathlib import Path; from authoring.build import build_week; "
            f"build_week(Path({str(project)!r}), {MINIMAL_WEEK!r}, out_dir=Path({str(out)!r}), "
            f"cache=Path({str(cache)!r})); "
            "print(*[m in sys.modules for m in ('jinja2', 'uniseg', 'pydantic', 'yaml')])")
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.Popen([sys.executable, "-c", code], cwd=project, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


# ---------------------------------------------------------------- changed inputs

def test_unchanged_input_reuses_everything(project, cache, baseline):
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    assert build(project, cache) == baseline
    after = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    assert after == before  # nothing drawn, converted or written again


def test_changed_chart_values_draw_a_new_chart(project, cache, baseline, edit):
    charts_before = charts_in(cache)
    assert len(charts_before) == 1
    e = edit(f"entries/{MINIMAL_WEEK}/02-mimo-rollout.yaml")
    e.replace("values: [2.29, 1.96]", "values: [1.96, 2.29]")
    changed = build(project, cache)
    assert changed != baseline
    assert len(charts_in(cache) - charts_before) == 1
    # and back: the first chart is still right for the first values
    e.restore()
    assert build(project, cache) == baseline
    assert len(charts_in(cache)) == 2


def test_changed_chart_colour_draws_a_new_chart(project, cache, baseline, edit):
    charts_before = charts_in(cache)
    e = edit("styles/theme.yaml")
    e.replace('chart: ["#2E4A62"', 'chart: ["#2F9C95"')
    assert build(project, cache) != baseline
    assert charts_in(cache) - charts_before


def test_changed_style_colour_changes_the_pdf(project, cache, baseline, edit):
    e = edit("styles/theme.yaml")
    e.replace('brand: "#0B6E4F"', 'brand: "#08513A"')
    assert build(project, cache) != baseline
    e.restore()
    assert build(project, cache) == baseline


def test_changed_template_changes_the_text(project, cache, baseline, edit):
    assert "资料来源：" in pdf_text(baseline)
    assert list((cache / "templates").iterdir())  # compiled templates are cached
    e = edit("styles/templates/source_line.j2")
    e.replace("资料来源：", "数据来源：")
    text = pdf_text(build(project, cache))
    assert "数据来源：" in text and "资料来源：" not in text


def test_changed_template_context_renders_again(project, cache, baseline, edit):
    """Rendered boilerplate is kept by template and context: a changed brand value (part
    of the context) renders the templates again."""
    e = edit("styles/brand.yaml")
    text = (project / "styles/brand.yaml").read_text(encoding="utf-8")
    old = re.search(r"registered_capital: *(.+)", text).group(1).strip().strip('"')
    e.replace(old, "八十亿元")
    assert "八十亿元" in pdf_text(build(project, cache))
    e.restore()
    assert build(project, cache) == baseline


def test_changed_entry_text_changes_the_pdf_and_the_subset(project, cache, baseline, edit):
    subsets_before = subsets_in(cache)
    e = edit(f"entries/{MINIMAL_WEEK}/01-qwen3.yaml")
    e.replace("各尺寸的对比见", "鹏城实验室亦参与了评测，各尺寸的对比见")
    changed = build(project, cache)
    assert "鹏城实验室亦参与了评测" in pdf_text(changed)
    # new characters: new subsets of the faces that draw them
    assert subsets_in(cache) - subsets_before
    e.restore()
    assert build(project, cache) == baseline


def test_font_file_change_gives_new_keys(project, tmp_path, edit):
    """A font file's size or mtime is part of every key that depends on it: the subset
    programs and the charts drawn with it."""
    from authoring.charts import chart_look, render_chart
    from authoring.validate.styles import load_styles
    from authoring.fonts import find
    from authoring.fonts.subset import program
    from authoring.model.entries import ChartFigure

    sans = find.find_font(["Noto Sans CJK SC"], "regular")
    copy = tmp_path / "font" / sans[0].name
    copy.parent.mkdir()
    shutil.copy2(sans[0], copy)
    spec = {"sans": [{"families": [], "weight": "regular", "file": str(copy), "index": sans[1]}]}
    cache = tmp_path / "cache"
    chart = ChartFigure.model_validate({
        "id": "c", "kind": "chart", "chart": "bar", "title": "t", "sources": ["s"],
        "categories": ["甲", "乙"], "series": [{"name": "n", "values": [2.29, 1.96]}]})

    def keys():
        face = fonts.prepare_fonts(spec, cache)["sans"].primary
        prog = program(face, [0, face.glyph("中")], cache)
        png = render_chart(chart, ["#0B6E4F"], "#1A1A1A", face.path, face.index, 300, cache, None, 8.0,
                           chart_look(load_styles(REPO / "styles")))
        return face.key, prog, png

    first = keys()
    st = copy.stat()
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # touched
    touched = keys()
    with open(copy, "ab") as fh:  # grown (a font file edited in place)
        fh.write(b"\0" * 4)
    grown = keys()
    for a, b in ((first, touched), (touched, grown)):
        assert a[0] != b[0] and a[2] != b[2]
    assert len(subsets_in(cache)) == 3
    # new keys, same glyphs: the programs made again are identical
    assert first[1] == touched[1] == grown[1]

    # and a build with this font file: still the same PDF after touching it
    e = edit("styles/theme.yaml")
    e.replace("  sans:\n    - {families:", f"  sans:\n    - {{file: {copy}, index: {sans[1]}}}\n    - {{families:")
    before = build(project, cache)
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 2 * 10**9))
    assert build(project, cache) == before


# ---------------------------------------------------------------- deleting or damaging the cache

def test_typeset_memo_is_saved_used_and_keyed_by_the_code(project, cache, baseline, tmp_path,
                                                          monkeypatch):
    from authoring.typeset import BreakMemo, breaks
    from authoring.typeset import memo as typesetmemo

    assert build(project, cache) == baseline  # the memo now holds what this week uses
    (memo,) = (cache / "typeset").glob("*.marshal")
    assert memo.name == typesetmemo.memo_path(cache, MINIMAL_WEEK).name
    # a build analyses nothing the memo holds: the memo it loads is seeded from the file,
    # and it computes nothing (so it writes nothing)
    loaded = []
    load = typesetmemo.load
    monkeypatch.setattr(typesetmemo, "load", lambda *a: loaded.append(load(*a)) or loaded[-1])
    calls = []
    classify = breaks.classify  # the first step of every analysis
    monkeypatch.setattr(breaks, "classify", lambda t: calls.append(t) or classify(t))
    assert build(project, cache) == baseline
    assert calls == []
    (used,) = loaded
    assert not used.changed
    # a seeded analysis is the analysis
    seeded = used.export()["analyses"]
    assert len(seeded) > 10
    fresh = BreakMemo()
    for text, phrases, *_fields in seeded:
        fresh.analysis(text, phrases)
    assert len(calls) == len(seeded)
    assert fresh.changed
    assert sorted(fresh.export()["analyses"]) == sorted(seeded)
    # another version of the typeset code gets another key
    copy = tmp_path / "typeset"
    shutil.copytree(Path(breaks.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(breaks, "__file__", str(copy / "breaks.py"))
    key = typesetmemo.code_key()
    (copy / "chars.py").write_text((copy / "chars.py").read_text(encoding="utf-8") + "\n# changed\n",
                                   encoding="utf-8")
    assert typesetmemo.code_key() != key


def test_deleting_the_cache_only_costs_time(project, cache, baseline):
    """In this process (what it keeps in memory still serves); a fresh process on an empty
    cache, which writes every entry again, is in the last test below."""
    shutil.rmtree(cache)
    assert build(project, cache) == baseline
    assert charts_in(cache)


def damage(cache: Path, every_kind: bool = True) -> None:
    """Cut every cache entry in half (a half-written file); `every_kind`: a cache a fresh
    process filled, holding entries of every kind."""
    damaged = [*(cache / "charts").glob("*.png"), *(cache / "fonts").glob("*.program"),
               *(cache / "fonts").glob("fontconfig-*.json"),
               *(cache / "templates").iterdir(),
               *(cache / "typeset").glob("*.marshal"), *(cache / "shaping").glob("*.marshal"),
               *(cache / "snapshots").glob("*.pickle")]
    if every_kind:
        assert len(damaged) >= 9 and {"typeset", "shaping", "snapshots"} <= {p.parent.name for p in damaged}
    assert damaged
    for path in damaged:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])


def test_damaged_cache_entries_are_made_again(project, cache, baseline):
    build(project, cache)
    damage(cache, every_kind=False)  # what this process wrote (it keeps some in memory)
    assert build(project, cache) == baseline


def test_fresh_processes_give_the_same_bytes_from_an_empty_a_warm_and_a_damaged_cache(
        project, baseline, tmp_path):
    """Processes of their own (nothing in memory), another output folder each:
    - two builds at once into one empty cache (an archive build on every core): both
      convert, write and read the same cache entries, and both give the same bytes;
    - an unchanged week then takes the assembled report from its snapshot (no PyYAML,
      pydantic or jinja2) and every line-breaking analysis from the typeset memo (no uniseg);
    - with every cache entry damaged, they are made again: still the same bytes."""
    cache = tmp_path / "cache"
    imported = []
    for step, outs in enumerate((["out0", "out1"], ["warm"], ["damaged"])):
        if step == 2:
            damage(cache)
        procs = [spawn_build(project, cache, tmp_path / out) for out in outs]
        for proc in procs:
            stdout, stderr = proc.communicate(timeout=300)
            assert proc.returncode == 0, stderr
            imported.append(stdout.split()[-4:])
        for out in outs:
            (pdf,) = (tmp_path / out).glob("*.pdf")
            assert pdf.read_bytes() == baseline, out
        if step == 0:
            assert charts_in(cache) and subsets_in(cache)
    # the first of the two to look found an empty cache: it gathered (the other may have
    # found its snapshot already)
    assert ["True"] * 4 in imported[:2]
    assert imported[2] == ["False"] * 4


# ---------------------------------------------------------------- the store every cache uses

def store_in(folder: Path, fmt: str = "test-1"):
    from authoring.cache.store import Store

    return Store(folder / "kind", ".entry", fmt)


def test_a_foreign_damaged_or_truncated_entry_is_a_miss(tmp_path):
    import pickle

    store = store_in(tmp_path)
    assert store.get("key") is None  # nothing yet
    assert store.put("key", b"payload") and store.get("key") == b"payload"
    assert store.put("key", {"a": 1}, name="week", encode=pickle.dumps)
    assert store.get("key", "week", pickle.loads) == {"a": 1}
    assert store.get("another key", "week", pickle.loads) is None           # another key's entry
    assert store_in(tmp_path, "test-2").get("key", "week") is None          # another format's entry
    path = store.path("week")
    good = path.read_bytes()
    head = good.index(b"\n") + 1
    damaged = {
        "cut short": good[:-1], "half": good[: len(good) // 2], "header only": good[:head],
        "empty": b"", "junk": b"junk", "a byte of the payload": good[:-3] + bytes([good[-3] ^ 1]) + good[-2:],
        "a byte of the header": good[:5] + b"X" + good[6:], "longer": good + b"\0",
        "the old layout, no header": pickle.dumps({"a": 1}),
    }
    for what, data in damaged.items():
        path.write_bytes(data)
        assert store.get("key", "week", pickle.loads) is None, what
    path.write_bytes(good)
    assert store.get("key", "week", lambda raw: 1 / 0) is None  # a payload that does not decode
    path.unlink()
    path.mkdir()  # not even a file
    assert store.get("key", "week") is None
    path.rmdir()
    os.mkfifo(path)  # a pipe: read, it would block
    assert store.get("key", "week") is None


def test_a_failing_write_keeps_the_previous_entry_and_costs_time_only(tmp_path, monkeypatch):
    store = store_in(tmp_path)
    assert store.put("key", b"first", name="week")

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(os, "replace", refuse)  # the rename that would make the new entry visible
        assert store.put("key", b"second", name="week") is False
    assert store.get("key", "week") == b"first"
    assert [p.name for p in store.folder.iterdir()] == ["week.entry"]  # no temporary file left
    assert store.put("key", object(), name="week", encode=lambda v: v.no_such_thing) is False
    assert store.get("key", "week") == b"first"
    blocked = store_in(tmp_path / "file")
    (tmp_path / "file").write_text("a file where the cache folder should be")
    assert blocked.put("key", b"x") is False and blocked.get("key") is None
    # a bare entry (a chart) the store cannot keep is still a file the caller can read
    spilled = blocked.put_file("chart", b"PNG bytes")
    assert spilled.read_bytes() == b"PNG bytes" and not spilled.is_relative_to(tmp_path)


def test_a_bare_entry_is_its_payload_and_the_callers_check_decides(tmp_path):
    store = store_in(tmp_path)
    assert store.file("chart", lambda p: p.is_file()) is None
    path = store.put_file("chart", b"whole")
    assert path.read_bytes() == b"whole" and path.parent == store.folder
    assert store.file("chart", lambda p: p.read_bytes() == b"whole") == path
    path.write_bytes(b"who")
    assert store.file("chart", lambda p: p.read_bytes() == b"whole") is None
    path.unlink()
    os.mkfifo(path)
    assert store.file("chart", lambda p: p.read_bytes() == b"whole") is None  # never opened
    assert store.put_file("chart", b"whole") == path and path.read_bytes() == b"whole"
    assert store.file("chart", lambda p: 1 / 0) is None  # a check that fails is a miss


def age(path: Path, days: float) -> None:
    import time

    then = time.time() - days * 86400
    os.utime(path, (then, then))


def test_pruning_removes_only_entries_unused_for_the_limit(tmp_path):
    from authoring.cache.store import UNUSED_DAYS

    store = store_in(tmp_path)
    store.folder.mkdir(parents=True)
    old, recent = store.path("old"), store.path("recent")
    other_kind = store.folder / "old.other"       # another store's file in the same folder
    for path in (old, recent, other_kind):
        path.write_bytes(b"entry")
    age(old, UNUSED_DAYS + 1)
    age(recent, UNUSED_DAYS - 1)
    age(other_kind, UNUSED_DAYS + 1)
    assert store.put("new", b"x")  # the first write of this store in the process prunes
    assert not old.exists() and recent.exists() and other_kind.exists() and store.path(store.name("new")).exists()
    age(recent, UNUSED_DAYS + 1)
    assert store.put("newer", b"y")  # once per process and folder: not scanned again
    assert recent.exists()
    assert store.prune() == [recent]


def test_a_used_entry_is_marked_and_kept(tmp_path):
    import time

    from authoring.cache.store import UNUSED_DAYS

    store = store_in(tmp_path)
    for name in ("used", "unused"):
        assert store.put(name, b"v", name=name)
        age(store.path(name), UNUSED_DAYS + 5)
    assert store.get("used", "used") == b"v"
    assert store.path("used").stat().st_mtime > time.time() - 60  # marked
    assert store.prune() == [store.path("unused")]
    assert store.get("used", "used") == b"v"
    age(store.path("used"), 0.5)  # used within the day: a hit writes nothing
    before = store.path("used").stat().st_mtime_ns
    assert store.get("used", "used") == b"v"
    assert store.path("used").stat().st_mtime_ns == before
