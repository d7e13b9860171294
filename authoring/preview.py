"""`authoring preview WEEK`: a PNG of every page and one contact sheet, for review.

The PDF is (re)built first when it is missing or older than any of its inputs
(`cache.inputs`: the week's folder, the registries in entries/, everything under styles/).  Pages are drawn
with pypdfium2, or with poppler's `pdftoppm` when pypdfium2 is not installed,
into build/<WEEK>/preview/page-NN.png; contact-sheet.png shows them all as
numbered thumbnails.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .cache.inputs import input_files
from .diagnostics import Diagnostic, Failed, display_path
from .source.load import load

THUMB_WIDTH = 220
SHEET_COLUMNS = 6


@dataclass
class Preview:
    pdf: Path
    pages: list[Path]
    contact_sheet: Path
    built: object | None  # BuildResult when the PDF was rebuilt


def pdf_path(root: Path, week: str, out_dir: Path | None = None) -> Path:
    """Where `authoring build WEEK` writes the PDF (the name depends on the series)."""
    from .build import output_path

    week_file = Path(root) / "entries" / week / "week.yaml"
    source, problems = load(week_file) if week_file.exists() else (None, [])
    if not week_file.exists():
        raise Failed([Diagnostic(display_path(week_file), 0, 0, "does not exist; no such week")])
    if source is None:
        raise Failed(problems)
    series = source.data.get("series") if isinstance(source.data, dict) else None
    out_dir = Path(out_dir) if out_dir else Path(root) / "build" / week
    if not isinstance(series, str):
        raise Failed([Diagnostic(source.file, 1, 1, "series: field required")])
    return output_path(out_dir, series, week)


def is_stale(pdf: Path, inputs: list[Path]) -> bool:
    if not pdf.exists():
        return True
    built = pdf.stat().st_mtime_ns
    return any(p.stat().st_mtime_ns > built for p in inputs if p.exists())


def preview(root: Path, week: str, out_dir: Path | None = None, dpi: int = 110,
            rebuild: bool = False) -> Preview:
    root = Path(root)
    out_dir = Path(out_dir) if out_dir else root / "build" / week
    pdf = pdf_path(root, week, out_dir)
    built = None
    if rebuild or is_stale(pdf, input_files(root, week)):
        from .build import build_week

        built = build_week(root, week, out_dir=out_dir)
        pdf = built.pdf
    folder = out_dir / "preview"
    pages = render_pages(pdf, folder, dpi)
    sheet = contact_sheet(pages, folder / "contact-sheet.png")
    return Preview(pdf, pages, sheet, built)


def render_pages(pdf: Path, folder: Path, dpi: int = 110) -> list[Path]:
    """page-NN.png for every page of `pdf` (old page files in `folder` are removed)."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        tmp = Path(tmp)
        try:
            import pypdfium2  # noqa: F401
        except ImportError:
            drawn = _with_pdftoppm(pdf, tmp, dpi)
        else:
            drawn = _with_pdfium(pdf, tmp, dpi)
        for old in folder.glob("page-*.png"):
            old.unlink()
        width = max(2, len(str(len(drawn))))
        pages = []
        for i, png in enumerate(drawn, start=1):
            target = folder / f"page-{i:0{width}d}.png"
            png.replace(target)
            pages.append(target)
    return pages


def _with_pdfium(pdf: Path, folder: Path, dpi: int) -> list[Path]:
    import pypdfium2 as pdfium

    out = []
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for i in range(len(doc)):
            page = doc[i]
            bitmap = page.render(scale=dpi / 72)
            path = folder / f"{i + 1:04d}.png"
            bitmap.to_pil().save(path)
            out.append(path)
            page.close()
    finally:
        doc.close()
    return out


def _with_pdftoppm(pdf: Path, folder: Path, dpi: int) -> list[Path]:
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise Failed([Diagnostic(display_path(pdf), 0, 0, "cannot draw pages: install pypdfium2 "
                                 "(pip install pypdfium2) or poppler-utils (pdftoppm)")])
    run = subprocess.run([exe, "-r", str(dpi), "-png", str(pdf), str(folder / "p")],
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise Failed([Diagnostic(display_path(pdf), 0, 0, f"pdftoppm failed: {run.stderr.strip()}")])
    return sorted(folder.glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def contact_sheet(pages: list[Path], target: Path, thumb_width: int = THUMB_WIDTH,
                  columns: int = SHEET_COLUMNS) -> Path:
    """One PNG with every page as a numbered thumbnail, left to right, top to bottom."""
    from PIL import Image, ImageDraw, ImageFont

    if not pages:
        raise Failed([Diagnostic(display_path(target), 0, 0, "the PDF has no pages")])
    thumbs = []
    for p in pages:
        with Image.open(p) as im:
            im = im.convert("RGB")
            h = round(im.height * thumb_width / im.width)
            thumbs.append(im.resize((thumb_width, h), Image.LANCZOS))
    columns = min(columns, len(thumbs))
    rows = -(-len(thumbs) // columns)
    pad, label = 16, 22
    cell_h = max(t.height for t in thumbs)
    sheet = Image.new("RGB", (pad + columns * (thumb_width + pad),
                              pad + rows * (cell_h + label + pad)), (236, 236, 236))
    draw = ImageDraw.Draw(sheet)
    try:
        font = ImageFont.load_default(size=14)
    except TypeError:  # Pillow < 10.1
        font = ImageFont.load_default()
    for i, t in enumerate(thumbs):
        r, c = divmod(i, columns)
        x = pad + c * (thumb_width + pad)
        y = pad + r * (cell_h + label + pad)
        sheet.paste(t, (x, y))
        draw.rectangle([x - 1, y - 1, x + t.width, y + t.height], outline=(160, 160, 160))
        text = str(i + 1)
        w = draw.textlength(text, font=font)
        draw.text((x + (thumb_width - w) / 2, y + t.height + 4), text, fill=(60, 60, 60), font=font)
    target.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(target)
    return target
