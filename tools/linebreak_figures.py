#!/usr/bin/env python3
"""Print the line-breaking figures of the 20250505 paragraphs at the body and the cover
measure (see tests/linebreak_corpus.py).  Not a test: it prints a table.

  .venv/bin/python tools/linebreak_figures.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

import linebreak_corpus as lc  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path, help="write the PDFs into this folder")
    args = ap.parse_args()
    from authoring.fonts import cache_dir, prepare_fonts
    from authoring.layout.fontreg import register

    paras = lc.paragraphs()
    spec = yaml.safe_load((REPO / "styles" / "theme.yaml").read_text(encoding="utf-8"))["fonts"]
    fonts = register(prepare_fonts(spec, set("".join(paras)), cache_dir()))
    out = args.keep or Path(tempfile.mkdtemp())
    out.mkdir(parents=True, exist_ok=True)
    print(f"{len(paras)} paragraphs")
    for name, size, width in lc.MEASURES:
        path = out / f"{name}.pdf"
        lc.build(path, fonts, paras, size, width)
        f = lc.read(path, paras)
        print(f"{name} {size} pt / {width:g} pt: lines {f['lines']}, measured {f['measured']}, "
              f"Han extra p95 {f['han_p95']:.3f} max {f['han_max']:.3f} em, >0.1 {f['over_0.1']}, "
              f">0.2 {f['over_0.2']}; Han-Latin gap median {f['gap_median']:.3f} p95 {f['gap_p95']:.3f} "
              f"max {f['gap_max']:.3f} em ({f['gaps']} gaps); kinsoku {len(f['kinsoku'])}, "
              f"split {len(f['split'])}, number-unit {len(f['number_unit'])}")
        for m, t in f["worst"][:int(__import__("os").environ.get("NW", 3))]:
            print(f"   {m:.3f} {t}")
        for k in ("kinsoku", "split", "number_unit"):
            for v in f[k]:
                print(f"   {k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
