"""The report model's records, and the snapshot of an unchanged week (authoring.cache.snapshot).

The records must copy the validated models exactly (a field added to a model and not to
its record fails here); the snapshot must be keyed by every input of validation and
assembly, be used when nothing changed, and never hide an error.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import BaseModel

from authoring import build as build_module
from authoring import fonts
from authoring.cache import snapshot
from authoring.diagnostics import Collector
from authoring.model import entries as models, generate, records, styles as stylesheet
from authoring.assemble.report import assemble
from authoring.build import build_week
from authoring.diagnostics import Failed
from authoring.model.records import RECORD_OF
from authoring.model.report import as_json, record
from authoring.validate.files import load_checked
from authoring.validate.styles import load_styles
from authoring.assemble.templates import Templates
from authoring.validate.week import validate_week
from conftest import MINIMAL_WEEK

REPO = Path(__file__).resolve().parent.parent

def test_the_generated_records_are_current():
    """records.py is generated from the pydantic classes; `authoring schema` rewrites it."""
    assert not generate.stale(), "authoring/model/records.py is stale: run `authoring schema`"


def test_a_model_change_makes_the_records_stale(monkeypatch):
    """The records follow the classes' fields, so a changed model fails the check above."""
    before = generate.render()

    class Step(models.Strict):  # entries.Step with a field more
        title: str
        text: str | None = None
        caption: models.Line = "x"

    monkeypatch.setattr(generate, "ROOTS", (*generate.ROOTS, Step))
    after = generate.render()
    assert after != before
    assert 'Step = NamedTuple("Step", [("title", str), ("text", str | None), ("caption", str)])' in after


def test_the_records_are_filled_to_the_width_and_type_their_fields():
    """The compact form stays readable: no line wider than WIDTH, and each field keeps its
    type (a record is not a bare tuple of names)."""
    assert max(map(len, generate.render().splitlines())) <= generate.WIDTH
    assert records.Theme.__annotations__["fonts"] == dict[str, list[records.FontSpec]]
    assert records.QuoteFigure.__annotations__["date"] == (records.dt.date | None)


def test_every_class_the_report_holds_has_a_record_with_its_fields_in_order():
    found = generate.classes()
    assert len(found) >= 30
    for model in found:
        rec = RECORD_OF[f"{model.__module__}.{model.__name__}"]
        assert rec._fields == tuple(model.model_fields), model.__name__


def test_records_hold_what_the_models_hold():
    """The seed week, its people, catalogue and styles: each record dumps to the same JSON as
    its model (values, nesting, dates, None)."""
    src = validate_week(REPO / "entries" / "20250505", REPO / "entries")
    out = Collector()
    theme = load_checked(REPO / "styles" / "theme.yaml", stylesheet.Theme, out).model
    brand = load_checked(REPO / "styles" / "brand.yaml", stylesheet.Brand, out).model
    objects = [src.week.model, *(e.model for e in src.entries), *src.catalogue.model.reports, theme, brand]
    kinds = set()
    for obj in objects:
        rec = record(obj)
        assert type(rec).__name__ == type(obj).__name__
        assert as_json(rec) == obj.model_dump(mode="json")
        kinds.update(type(b).__name__ for b in getattr(rec, "body", []))
    assert kinds >= {"ParagraphBlock", "FigureBlock"}
    styles = load_styles(REPO / "styles")  # the styles are records from the start
    assert as_json(styles.theme) == theme.model_dump(mode="json")
    assert type(styles.theme) is records.Theme and type(styles.brand) is records.Brand
    with pytest.raises(TypeError, match="no record"):
        record(src.people.model)  # a model the report does not carry


def test_assembled_report_carries_records_only(tmp_path):
    src = validate_week(REPO / "entries" / "20250505", REPO / "entries")
    styles = load_styles(REPO / "styles")
    report = assemble(src, styles, Templates(REPO / "styles" / "templates", tmp_path, scope="t"))

    def walk(value, where="report"):
        assert not isinstance(value, BaseModel), where
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{where}[{k!r}]")
        elif isinstance(value, (list, tuple)):
            for i, v in enumerate(value):
                walk(v, f"{where}[{i}]")

    walk(list(report))
    walk([report.styles.theme, report.styles.brand])
    assert isinstance(report.week, records.Week)
    assert report.styles is styles  # one Styles, of one type, from load_styles to the layout


# ------------------------------------------------------------------ the snapshot


@pytest.fixture
def week_project(project: Path) -> Path:
    shutil.copytree(REPO / "styles", project / "styles")
    return project


def test_the_key_covers_every_input(week_project: Path, tmp_path: Path, monkeypatch):
    root = week_project
    folder = root / "entries" / MINIMAL_WEEK
    first = snapshot.input_key(root, MINIMAL_WEEK)
    assert snapshot.input_key(root, MINIMAL_WEEK) == first

    def changed(path: Path, data: bytes | None) -> None:
        original = path.read_bytes() if path.exists() else None
        if data is None:
            path.unlink()
        else:
            path.write_bytes(data)
        try:
            assert snapshot.input_key(root, MINIMAL_WEEK) != first, path
        finally:
            if original is None:
                path.unlink()
            else:
                path.write_bytes(original)
        assert snapshot.input_key(root, MINIMAL_WEEK) == first

    for path in (folder / "01-qwen3.yaml", folder / "week.yaml", root / "entries" / "people.yaml",
                 root / "entries" / "catalogue.yaml", root / "styles" / "theme.yaml",
                 root / "styles" / "brand.yaml", *sorted((root / "styles" / "templates").iterdir())[:2]):
        changed(path, path.read_bytes() + b"\n# changed\n")
    changed(folder / "figure.png", b"\x89PNG not really")   # a new file in the week folder
    changed(root / "styles" / "extra.yaml", b"x: 1\n")      # a new file in styles/
    changed(folder / "01-qwen3.yaml", None)                 # a deleted entry
    assert snapshot.input_key(root, "20250519") != first    # another week
    moved = tmp_path / "moved"
    shutil.copytree(root, moved)
    assert snapshot.input_key(moved, MINIMAL_WEEK) != first  # the report records its folder
    monkeypatch.chdir(root)
    assert snapshot.input_key(Path("."), MINIMAL_WEEK) != first  # the same folder, written otherwise
    monkeypatch.chdir(tmp_path)
    assert snapshot.input_key(root, MINIMAL_WEEK) != first  # messages name files from elsewhere


def test_the_key_covers_the_code(week_project: Path, monkeypatch, tmp_path: Path):
    first = snapshot.input_key(week_project, MINIMAL_WEEK)
    copy = tmp_path / "authoring"
    shutil.copytree(snapshot.CODE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(snapshot, "CODE", copy)
    assert snapshot.input_key(week_project, MINIMAL_WEEK) == first
    changed = copy / "assemble" / "report.py"  # a module of a package counts, not only the top level
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert snapshot.input_key(week_project, MINIMAL_WEEK) != first


def test_an_unchanged_week_is_not_gathered_again(week_project: Path, tmp_path: Path, monkeypatch):
    cache = tmp_path / "cache"
    first = build_week(week_project, MINIMAL_WEEK, out_dir=tmp_path / "a", cache=cache).pdf.read_bytes()
    assert snapshot.path_for(cache, MINIMAL_WEEK).is_file()
    calls = []
    real = build_module.gather
    monkeypatch.setattr(build_module, "gather", lambda *a: calls.append(a) or real(*a))
    again = build_week(week_project, MINIMAL_WEEK, out_dir=tmp_path / "b", cache=cache).pdf.read_bytes()
    assert calls == [] and again == first
    entry = week_project / "entries" / MINIMAL_WEEK / "01-qwen3.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("部分模型", "部分型号"), encoding="utf-8")
    edited = build_week(week_project, MINIMAL_WEEK, out_dir=tmp_path / "c", cache=cache).pdf.read_bytes()
    assert len(calls) == 1 and edited != first


def test_a_broken_entry_is_reported_even_after_a_good_build(week_project: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    build_week(week_project, MINIMAL_WEEK, out_dir=tmp_path / "a", cache=cache)
    entry = week_project / "entries" / MINIMAL_WEEK / "01-qwen3.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("section: headlines", "section: nowhere"),
                     encoding="utf-8")
    with pytest.raises(Failed) as info:
        build_week(week_project, MINIMAL_WEEK, out_dir=tmp_path / "a", cache=cache)
    assert any("unknown section 'nowhere'" in d.message and d.line > 0 for d in info.value.diagnostics)


def test_a_character_the_fonts_lost_is_located_on_a_warm_build(week_project: Path, tmp_path: Path,
                                                                monkeypatch):
    """The snapshot holds each file's characters; when a font no longer draws one (another
    font installed), the week is read again to name the character's line and column."""
    cache = tmp_path / "cache"
    build_week(week_project, MINIMAL_WEEK, out_dir=tmp_path / "a", cache=cache)
    real = fonts.missing_chars
    monkeypatch.setattr(fonts, "missing_chars", lambda face, chars: real(face, chars) | ({"旗"} & set(chars)))
    with pytest.raises(Failed) as info:
        build_week(week_project, MINIMAL_WEEK, out_dir=tmp_path / "a", cache=cache)
    found = [d for d in info.value.diagnostics if "'旗'" in d.message]
    assert found and all(d.file.endswith("01-qwen3.yaml") and "cannot be drawn" in d.message for d in found)
    assert 5 in [d.line for d in found]  # summary: 旗舰模型 ...


def test_a_file_changed_during_gathering_is_not_kept_under_the_old_key(week_project: Path, tmp_path: Path,
                                                                       monkeypatch):
    """An entry saved while the build reads the week: the report holds the new text, the key
    was taken from the old one; keeping it would give the new text to the old file later."""
    cache = tmp_path / "cache"
    entry = week_project / "entries" / MINIMAL_WEEK / "01-qwen3.yaml"
    original = entry.read_text(encoding="utf-8")
    real = build_module.gather

    def gather_while_saving(*args):
        entry.write_text(original.replace("部分模型", "部分型号"), encoding="utf-8")
        return real(*args)

    monkeypatch.setattr(build_module, "gather", gather_while_saving)
    build_week(week_project, MINIMAL_WEEK, out_dir=tmp_path / "a", cache=cache)
    assert not snapshot.path_for(cache, MINIMAL_WEEK).exists()


@pytest.mark.parametrize("week", ["../elsewhere", "/tmp", "a\udcff", "2025"])
def test_a_week_that_is_not_a_folder_name_gets_a_clear_error(week_project: Path, week: str):
    """Such a week never has a snapshot (snapshot.applies); validation says what is wrong."""
    from conftest import run_authoring

    done = run_authoring("build", week, cwd=week_project)
    assert done.returncode == 2, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert "week" in done.stderr


def test_code_digest_sees_modules_of_subpackages(tmp_path: Path):
    """A snapshot kept under the code's digest must miss when any module changes, also one
    inside a subpackage (the validator, the model and the layout live in packages)."""
    from authoring.cache.keys import code_digest

    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "top.py").write_text("A = 1\n")
    (pkg / "sub" / "inner.py").write_text("B = 1\n")
    before = code_digest(pkg, ()).hexdigest()
    (pkg / "sub" / "inner.py").write_text("B = 2\n")
    assert code_digest(pkg, ()).hexdigest() != before


def test_snapshot_preview_watch_and_the_session_agree_on_a_weeks_inputs(week_project: Path, tmp_path: Path):
    """One definition of the files a week is made from (authoring.cache.inputs): a file added
    to the week folder or styles/ changes the snapshot's key, makes the PDF stale for
    preview and starts a watch build; one in styles/ also gives the watch session new
    styles.  An editor's backup or swap file, another week's file, or a file of entries/
    that no week reads, changes none of them."""
    import os
    import time

    from authoring.cache.inputs import input_files
    from authoring.incremental import Session
    from authoring.preview import is_stale
    from authoring.watch import relevant

    root, week = week_project, MINIMAL_WEEK
    pdf = tmp_path / "week.pdf"
    pdf.write_bytes(b"%PDF")
    later = time.time() + 1000
    os.utime(pdf, (later, later))  # newer than every input
    session = Session(root, week, cache=tmp_path / "cache")

    def effects(path: Path) -> dict:
        key = snapshot.input_key(root, week)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x: 1\n", encoding="utf-8")
        os.utime(path, (later + 10, later + 10))
        misses = session.styles.misses
        session.gather(root, week, tmp_path / "cache")
        try:
            return {"snapshot": snapshot.input_key(root, week) != key,
                    "preview": is_stale(pdf, input_files(root, week)),
                    "watch": relevant(root, week, [str(path)]) == [path.relative_to(root).as_posix()],
                    "styles": session.styles.misses > misses}
        finally:
            path.unlink()

    session.gather(root, week, tmp_path / "cache")
    folder, styles = root / "entries" / week, root / "styles"
    assert effects(folder / "notes.txt") == {"snapshot": True, "preview": True, "watch": True, "styles": False}
    assert effects(folder / "figures" / "chart.png") == {"snapshot": True, "preview": True, "watch": True,
                                                         "styles": False}
    for path in (styles / "extra.yaml", styles / "templates" / "macros.j2", styles / ".hidden"):
        assert effects(path) == dict.fromkeys(("snapshot", "preview", "watch", "styles"), True), path
    for path in (folder / "01-qwen3.yaml~", folder / ".01-qwen3.yaml.swp", folder / "#01-qwen3.yaml#",
                 styles / ".#theme.yaml", styles / "theme.yaml.tmp", root / "entries" / "20250519" / "week.yaml",
                 root / "entries" / "notes.yaml", root / "build" / "x.pdf"):
        assert effects(path) == dict.fromkeys(("snapshot", "preview", "watch", "styles"), False), path
