"""theme.yaml's page size is the size of every page, and the frames follow it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdf
import pytest

from authoring.build import build_week
from authoring.diagnostics import Failed

REPO = Path(__file__).resolve().parent.parent
WEEK = "20250310"
#: the names theme.yaml takes, and their size in points (ISO 216 and ANSI)
SIZES = {"A4": (595.28, 841.89), "letter": (612.0, 792.0), "legal": (612.0, 1008.0)}


def _project(tmp_path: Path, size: str) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(REPO / "styles", root / "styles")
    (root / "entries").mkdir(parents=True)
    for name in ("people.yaml", "catalogue.yaml"):
        shutil.copy(REPO / "entries" / name, root / "entries" / name)
    shutil.copytree(REPO / "entries" / WEEK, root / "entries" / WEEK)
    theme = root / "styles" / "theme.yaml"
    text = theme.read_text(encoding="utf-8")
    assert "\n  size: A4 " in text
    theme.write_text(text.replace("\n  size: A4 ", f"\n  size: {size} ", 1), encoding="utf-8")
    return root


def _page_boxes(pdf: Path) -> list[tuple[float, float]]:
    reader = pypdf.PdfReader(pdf)
    return [(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in reader.pages]


@pytest.mark.parametrize("size", ["letter", "legal"])
def test_every_page_has_the_themes_size(tmp_path: Path, size: str):
    root = _project(tmp_path, size)
    result = build_week(root, WEEK, out_dir=tmp_path / "out")
    boxes = _page_boxes(result.pdf)
    assert boxes and set(boxes) == {SIZES[size]}, boxes
    # the body text fills the taller page: a legal-size report has fewer pages than an A4 one
    a4 = build_week(_project(tmp_path / "a4", "A4"), WEEK, out_dir=tmp_path / "a4out")
    assert set(_page_boxes(a4.pdf)) == {SIZES["A4"]}
    if size == "legal":
        assert result.pages < a4.pages


def test_a_page_too_small_for_the_cover_is_a_clear_error(tmp_path: Path):
    root = _project(tmp_path, "A5")
    with pytest.raises(Failed) as failed:
        build_week(root, WEEK, out_dir=tmp_path / "out")
    text = "\n".join(str(d) for d in failed.value.diagnostics)
    assert f"{WEEK}/week.yaml:" in text and "longer than the cover has room for" in text, text
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
