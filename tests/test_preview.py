"""`authoring preview`: page PNGs with pypdfium2 or pdftoppm, the contact sheet, rebuild-if-stale."""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from conftest import REPO, run_authoring
from authoring.cache.inputs import input_files
from authoring.preview import contact_sheet, is_stale, render_pages


@pytest.fixture
def tiny_pdf(tmp_path: Path) -> Path:
    """Three A4 pages drawn with reportlab, page n showing a bar n/3 of the width."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "tiny.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for n in (1, 2, 3):
        c.setFillColorRGB(0, 0, 0)
        c.rect(0, 400, A4[0] * n / 3, 40, fill=1, stroke=0)
        c.showPage()
    c.save()
    return path


def _dark_fraction(png: Path) -> float:
    with Image.open(png) as im:
        row = im.convert("L").crop((0, im.height // 2 - 10, im.width, im.height // 2 + 10))
        dark = sum(row.histogram()[:100])
        return dark / (row.width * row.height)


def test_pdfium_draws_every_page(tiny_pdf: Path, tmp_path: Path):
    folder = tmp_path / "preview"
    folder.mkdir()
    (folder / "page-09.png").write_bytes(b"left over from a longer build")
    pages = render_pages(tiny_pdf, folder, dpi=72)
    assert [p.name for p in pages] == ["page-01.png", "page-02.png", "page-03.png"]
    assert not (folder / "page-09.png").exists()
    with Image.open(pages[0]) as im:
        assert abs(im.width - 595) <= 1 and abs(im.height - 842) <= 1
    # the pages are the PDF's pages, in order
    fractions = [_dark_fraction(p) for p in pages]
    assert fractions[0] < fractions[1] < fractions[2]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_pdftoppm_is_the_fallback(tiny_pdf: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pypdfium2", None)   # import pypdfium2 -> ImportError
    pages = render_pages(tiny_pdf, tmp_path / "preview", dpi=36)
    assert [p.name for p in pages] == ["page-01.png", "page-02.png", "page-03.png"]
    with Image.open(pages[2]) as im:
        assert abs(im.width - 298) <= 1
    fractions = [_dark_fraction(p) for p in pages]
    assert fractions[0] < fractions[1] < fractions[2]


def test_no_renderer_is_an_error_not_a_traceback(tiny_pdf: Path, tmp_path: Path, monkeypatch):
    from authoring.diagnostics import Failed

    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(Failed) as failed:
        render_pages(tiny_pdf, tmp_path / "preview")
    assert "install pypdfium2" in str(failed.value.diagnostics[0])


def test_contact_sheet_is_a_grid_of_thumbnails(tiny_pdf: Path, tmp_path: Path):
    pages = render_pages(tiny_pdf, tmp_path / "preview", dpi=72)
    sheet = contact_sheet(pages, tmp_path / "preview" / "contact-sheet.png", thumb_width=100, columns=2)
    with Image.open(pages[0]) as page:
        thumb_h = round(page.height * 100 / page.width)
    with Image.open(sheet) as im:
        # 2 columns, 2 rows: padding 16, thumbnails 100 wide, a 22 px label under each
        assert im.size == (16 + 2 * (100 + 16), 16 + 2 * (thumb_h + 22 + 16))
        # the first thumbnail sits at (16, 16) and is white paper, the gap is grey
        assert im.getpixel((20, 20)) == (255, 255, 255)
        assert im.getpixel((8, 8)) == (236, 236, 236)


def test_stale_when_an_input_is_newer(tmp_path: Path):
    pdf, entry = tmp_path / "a.pdf", tmp_path / "01-x.yaml"
    assert is_stale(pdf, [entry])
    pdf.write_bytes(b"%PDF")
    entry.write_text("id: x\n")
    os.utime(entry, (time.time() - 100, time.time() - 100))
    assert not is_stale(pdf, [entry])
    os.utime(entry, (time.time() + 100, time.time() + 100))
    assert is_stale(pdf, [entry])


def test_inputs_are_the_week_the_registries_and_styles(project: Path):
    (project / "styles" / "templates").mkdir(parents=True)
    (project / "styles" / "templates" / "title.j2").write_text("x")
    (project / "entries" / "20250512" / ".01-qwen3.yaml.swp").write_text("editor lock")
    (project / "entries" / "20250519").mkdir()
    (project / "entries" / "20250519" / "week.yaml").write_text("other week")
    names = {p.relative_to(project).as_posix() for p in input_files(project, "20250512")}
    assert names == {"entries/20250512/week.yaml", "entries/20250512/01-qwen3.yaml",
                     "entries/people.yaml", "entries/catalogue.yaml", "styles/templates/title.j2"}


@pytest.fixture(scope="module")
def full_project(tmp_path_factory) -> Path:
    """The real week 20250505 with the real styles, in a temporary folder."""
    root = tmp_path_factory.mktemp("full") / "project"
    (root / "entries").mkdir(parents=True)
    for name in ("people.yaml", "catalogue.yaml"):
        shutil.copy2(REPO / "entries" / name, root / "entries" / name)
    shutil.copytree(REPO / "entries" / "20250505", root / "entries" / "20250505")
    shutil.copytree(REPO / "styles", root / "styles")
    return root


def test_preview_builds_when_needed_and_writes_every_page(full_project: Path):
    out = full_project / "build" / "20250505"
    # 40 dpi: what is checked is which files are written and when, not their detail
    first = run_authoring("preview", "20250505", "--dpi", "40", cwd=full_project)
    assert first.returncode == 0, first.stderr
    m = re.search(r"^built (\d+) pages, (\d+) 图表, \d+ KB in [\d.]+ s: build/20250505/\S+\.pdf$",
                  first.stdout, re.M)
    assert m, first.stdout
    pages = int(m.group(1))
    pngs = sorted((out / "preview").glob("page-*.png"))
    assert len(pngs) == pages
    assert first.stdout.strip().splitlines()[-1] == "build/20250505/preview/contact-sheet.png"
    with Image.open(out / "preview" / "contact-sheet.png") as im:
        assert im.width > 1000

    second = run_authoring("preview", "20250505", "--dpi", "40", cwd=full_project)
    assert second.returncode == 0
    assert "up to date: build/20250505/" in second.stdout and "built" not in second.stdout

    entry = full_project / "entries" / "20250505" / "01-qwen3.yaml"
    later = time.time() + 5
    os.utime(entry, (later, later))
    third = run_authoring("preview", "20250505", "--dpi", "40", cwd=full_project)
    assert third.returncode == 0 and third.stdout.startswith("built "), third.stdout


def test_preview_of_a_bad_week_reports_positions(project: Path):
    shutil.copytree(REPO / "styles", project / "styles")
    (project / "entries" / "20250512" / "01-qwen3.yaml").write_text("id: Qwen 3\n", encoding="utf-8")
    result = run_authoring("preview", "20250512", cwd=project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "entries/20250512/01-qwen3.yaml:1:5: id:" in result.stderr
