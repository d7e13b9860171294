"""authoring.fonts (find, subset, convert, cache) and authoring.layout.fontreg.

The converted fonts live in the real cache (fonts.cache_dir(), as for a build), so a warm
machine runs these in a moment; the first run converts the glyphs it needs once.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from fontTools.ttLib import TTFont

from authoring import fonts
from authoring.fonts import FontFace, FontsMissing

REPO = Path(__file__).resolve().parent.parent
SAMPLE = set("中文，。Qwen3-235B")


@pytest.fixture(scope="module")
def spec() -> dict:
    theme = yaml.safe_load((REPO / "styles" / "theme.yaml").read_text(encoding="utf-8"))
    return theme["fonts"]


@pytest.fixture(scope="module")
def faces(spec) -> dict[str, FontFace]:
    return fonts.prepare_fonts(spec, SAMPLE, fonts.cache_dir())


def _glyph(font: TTFont, ch: str):
    name = font.getBestCmap()[ord(ch)]
    glyph = font["glyf"][name]
    return name, glyph


def test_all_roles_are_found(faces, spec):
    assert set(faces) == set(spec)
    for role, face in faces.items():
        assert face.role == role
        assert face.source.is_file() and face.ttf.is_file()
        assert "CJK SC" in face.family or "SC" in face.family or "CN" in face.family
    assert faces["serif"].source != faces["serif-bold"].source or \
        faces["serif"].index != faces["serif-bold"].index


def test_converted_fonts_are_truetype(faces):
    for face in faces.values():
        font = TTFont(face.ttf)
        assert "glyf" in font and "loca" in font
        assert "CFF " not in font and "CFF2" not in font
        assert font.sfntVersion == "\x00\x01\x00\x00"
        assert font["maxp"].tableVersion == 0x00010000
        assert font["post"].formatType in (2.0, 3.0)
        assert font["name"].getBestFamilyName()
        # a subset: the base set and the sample, not the 65,535 glyphs of the source
        assert 100 < len(font.getGlyphOrder()) < 400


def test_cmap_covers_sample_and_base(faces):
    for face in faces.values():
        cmap = TTFont(face.ttf).getBestCmap()
        for ch in SAMPLE | set("（）《》、；：“”…—%0123456789AZaz"):
            assert ord(ch) in cmap, (face.role, ch)
        # every base character the source has is kept, and nothing else
        have = fonts._face_info(face.source, face.index, None).codepoints
        expected = {ord(c) for c in fonts.base_chars() | SAMPLE} & have
        assert set(cmap) == expected, face.role


def test_outlines_and_metrics_survive(faces):
    face = faces["serif"]
    conv = TTFont(face.ttf)
    src = TTFont(face.source, fontNumber=face.index, lazy=True)
    src_cmap, conv_cmap = src.getBestCmap(), conv.getBestCmap()
    for ch in "中A，":
        # same advance width as the source
        assert conv["hmtx"][conv_cmap[ord(ch)]][0] == src["hmtx"][src_cmap[ord(ch)]][0]
        name, glyph = _glyph(conv, ch)
        glyph.recalcBounds(conv["glyf"])
        assert glyph.numberOfContours > 0
        # the converted outline covers the same box as the CFF original (within 2 units)
        bounds = src.getGlyphSet()[src_cmap[ord(ch)]]
        from fontTools.pens.boundsPen import BoundsPen
        pen = BoundsPen(src.getGlyphSet())
        bounds.draw(pen)
        for a, b in zip((glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax), pen.bounds):
            assert abs(a - b) <= 2


def test_bold_differs_from_regular(faces):
    for regular, bold in (("serif", "serif-bold"), ("sans", "sans-bold")):
        r, b = TTFont(faces[regular].ttf), TTFont(faces[bold].ttf)
        _, gr = _glyph(r, "中")
        _, gb = _glyph(b, "中")
        gr.expand(r["glyf"]), gb.expand(b["glyf"])
        differs = list(gr.coordinates) != list(gb.coordinates)
        adv = r["hmtx"][r.getBestCmap()[ord("A")]][0] != b["hmtx"][b.getBestCmap()[ord("A")]][0]
        assert differs or adv, (regular, bold)


def test_second_call_is_a_cache_hit(spec, faces):
    before = {role: f.ttf.stat().st_mtime_ns for role, f in faces.items()}
    again = fonts.prepare_fonts(spec, SAMPLE, fonts.cache_dir())
    assert {r: f.ttf for r, f in again.items()} == {r: f.ttf for r, f in faces.items()}
    assert {r: f.ttf.stat().st_mtime_ns for r, f in again.items()} == before


def test_key_depends_on_the_kept_chars_only(spec, faces):
    # base characters, line breaks and tabs add nothing to the subset: same key, same file
    again = fonts.prepare_fonts(spec, SAMPLE | set("ABC，。\n\t"), fonts.cache_dir())
    assert {r: f.ttf for r, f in again.items()} == {r: f.ttf for r, f in faces.items()}
    # characters no face has cannot change the key either
    odd = fonts.prepare_fonts(spec, SAMPLE | {"\U0001F600"}, fonts.cache_dir())
    assert {r: f.ttf for r, f in odd.items()} == {r: f.ttf for r, f in faces.items()}
    # a new hanzi makes another subset
    more = fonts.prepare_fonts(spec, SAMPLE | {"鹏"}, fonts.cache_dir())
    assert all(more[r].ttf != faces[r].ttf for r in faces)


def test_base_chars():
    base = fonts.base_chars()
    assert {chr(c) for c in range(0x21, 0x7F)} <= base
    assert set("，。、；：？！（）《》“”‘’—…·\u3000") <= base
    assert "\n" not in base and "中" not in base


def test_fast_conversion_matches_fonttools(faces):
    """The charstring interpreter gives the outlines fontTools' pens give (same points,
    same on/off-curve flags, same box), for CJK, Latin and punctuation glyphs."""
    from collections import Counter

    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib.tables._g_l_y_f import Glyph, table__g_l_y_f

    glyf = table__g_l_y_f()
    glyf.glyphs = {}
    for role in ("serif", "sans-bold"):
        face = faces[role]
        info = fonts._face_info(face.source, face.index, None)
        gids = sorted({0} | {info.cmap[ord(c)] for c in "中文鹏龘Qwen3-235B，。（）@&%g"})
        ours = fonts.convert_glyphs(face.source, face.index, gids)
        src = TTFont(face.source, fontNumber=face.index, lazy=True)
        glyph_set, order = src.getGlyphSet(), src.getGlyphOrder()
        for gid in gids:
            pen = TTGlyphPen(None)
            glyph_set[order[gid]].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            ref = Glyph(pen.glyph().compile(glyf, recalcBBoxes=True))
            ref.expand(glyf)
            mine = Glyph(ours[gid])
            mine.expand(glyf)
            assert mine.numberOfContours == ref.numberOfContours, (role, order[gid])
            if ref.numberOfContours:
                assert (mine.xMin, mine.yMin, mine.xMax, mine.yMax) == \
                    (ref.xMin, ref.yMin, ref.xMax, ref.yMax), (role, order[gid])
                assert Counter(zip(mine.coordinates, mine.flags)) == \
                    Counter(zip(ref.coordinates, ref.flags)), (role, order[gid])


def test_glyphs_are_converted_once(spec, tmp_path):
    """A new character converts its glyph only; the others come from the glyph packs."""
    one = {"sans": spec["sans"]}
    first = fonts.prepare_fonts(one, set("中文"), tmp_path)["sans"]
    store = next(p for p in (tmp_path / "fonts").iterdir() if p.is_dir())
    packs = list(store.glob("*.pack"))
    assert len(packs) == 1
    before = len(fonts._unpack(packs[0].read_bytes()))
    fonts._STORES.clear()  # as in a fresh process
    second = fonts.prepare_fonts(one, set("中文鹏"), tmp_path)["sans"]
    assert second.ttf != first.ttf
    new = [p for p in store.glob("*.pack") if p not in packs]
    assert len(new) == 1 and list(fonts._unpack(new[0].read_bytes())) == \
        [fonts._face_info(second.source, second.index, None).cmap[ord("鹏")]]
    assert before > 90
    # a damaged pack is dropped and its glyphs converted again
    packs[0].write_bytes(packs[0].read_bytes()[:-10])
    fonts._STORES.clear()
    third = fonts.prepare_fonts(one, set("中文鹏龘"), tmp_path)["sans"]
    assert ord("中") in TTFont(third.ttf).getBestCmap()
    assert not packs[0].exists()


def test_missing_chars(faces):
    face = faces["serif"]
    assert fonts.missing_chars(face, "中文Qwen\n\t") == set()
    assert fonts.missing_chars(face, "好\U0001F600") == {"\U0001F600"}
    # never drawn: zero-width space, BOM, variation selectors
    assert fonts.missing_chars(face, "\u200b\ufeff\ufe0f\U000E0100") == set()
    assert fonts.missing_chars(face, "\uE000") == {"\uE000"}  # private use


def test_char_outside_base_set_is_kept(spec):
    rare = "龘"  # not in GB2312, present in Noto CJK
    one = {"sans": spec["sans"]}
    cache = fonts.cache_dir()  # the real cache: converted once per machine
    faces = fonts.prepare_fonts(one, {rare, "中"}, cache)
    conv = TTFont(faces["sans"].ttf)
    assert ord(rare) in conv.getBestCmap()
    base = fonts.prepare_fonts(one, {"中"}, cache)
    assert base["sans"].ttf != faces["sans"].ttf
    assert ord(rare) not in TTFont(base["sans"].ttf).getBestCmap()
    # written atomically: no temporary file left beside the result
    for face in (faces["sans"], base["sans"]):
        assert not list(face.ttf.parent.glob(face.ttf.stem + ".*.tmp"))


def test_find_font_checks_the_family():
    path, index = fonts.find_font(["No Such Family 42", "Noto Sans CJK SC"], "bold")
    name = TTFont(path, fontNumber=index, lazy=True)["name"]
    assert name.getBestFamilyName() == "Noto Sans CJK SC"
    assert "Bold" in (name.getBestSubFamilyName() or "")


def test_find_font_missing_says_what_to_do():
    with pytest.raises(FontsMissing) as err:
        fonts.find_font(["No Such Family 42", "Nor This One"], "regular", role="serif")
    msg = str(err.value)
    assert "No Such Family 42" in msg and "Nor This One" in msg
    assert "apt-get install fonts-noto-cjk" in msg
    assert "fonts.serif.file" in msg and "styles/theme.yaml" in msg


def test_file_in_spec_overrides_search(tmp_path, faces):
    src = faces["sans"]
    spec = {"sans": {"families": ["No Such Family 42"], "weight": "regular",
                     "file": str(src.source), "index": src.index}}
    got = fonts.prepare_fonts(spec, SAMPLE, fonts.cache_dir())
    assert got["sans"].source == src.source and got["sans"].index == src.index
    assert got["sans"].ttf == src.ttf

    bad = {"sans": {"families": [], "weight": "regular", "file": str(tmp_path / "nope.ttf")}}
    with pytest.raises(FontsMissing, match="fonts.sans.file"):
        fonts.prepare_fonts(bad, SAMPLE, tmp_path)
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font")
    with pytest.raises(FontsMissing, match="junk.ttf"):
        fonts.prepare_fonts({"sans": {"families": [], "file": str(junk)}}, {"\u9f98"}, tmp_path)


def test_cache_dir_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("AUTHORING_CACHE", str(tmp_path / "c"))
    assert fonts.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("AUTHORING_CACHE")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert fonts.cache_dir() == Path.home() / ".cache" / "authoring"


def test_fonts_module_does_not_import_reportlab():
    import subprocess
    import sys

    code = ("import sys; import authoring.fonts; "
            "sys.exit(1 if any(m.startswith('reportlab') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0


def test_register_with_reportlab(faces):
    from reportlab.lib.fonts import tt2ps
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph

    from authoring.layout.fontreg import register

    names = register(faces)
    assert names == {"serif": "Report-serif", "serif-bold": "Report-serif-bold",
                     "sans": "Report-sans", "sans-bold": "Report-sans-bold"}
    assert register(faces) == names  # idempotent
    assert tt2ps("Report-serif", 1, 0) == "Report-serif-bold"
    assert tt2ps("Report-sans", 1, 0) == "Report-sans-bold"
    assert tt2ps("Report-serif", 0, 1) == "Report-serif"

    buf = io.BytesIO()
    canvas = Canvas(buf)
    para = Paragraph("中文，<b>加粗</b>。Qwen3-235B",
                     ParagraphStyle("t", fontName=names["serif"], fontSize=10.5, leading=18))
    para.wrapOn(canvas, 400, 100)
    para.drawOn(canvas, 72, 700)
    canvas.save()
    pdf = buf.getvalue()
    assert b"NotoSerifCJKsc-Regular" in pdf and b"NotoSerifCJKsc-Bold" in pdf


def test_truetype_source_is_subset(tmp_path):
    """A face with TrueType outlines (here matplotlib's DejaVu Sans) is subset, not converted."""
    import matplotlib

    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    spec = {"sans": {"families": [], "weight": "regular", "file": str(ttf)}}
    face = fonts.prepare_fonts(spec, set("Qwen3 αβ"), tmp_path)["sans"]
    assert face.family == "DejaVu Sans"
    font = TTFont(face.ttf)
    cmap = font.getBestCmap()
    assert {ord(c) for c in "Qwenαβ"} <= set(cmap) and ord("中") not in cmap
    assert len(font.getGlyphOrder()) < 200
    assert not list((tmp_path / "fonts").glob("*/*.pack"))  # nothing converted
    assert fonts.missing_chars(face, "Qwen中") == {"中"}


def test_fontconfig_answers_are_kept_until_fontconfig_changes(tmp_path, monkeypatch):
    """fc-list runs once per family and fontconfig state; a changed state (fonts installed,
    fc-cache run, a font copied into a font folder) asks fc-list again."""
    calls: list[str] = []
    real = fonts._run_fc_list

    def counting(exe, family):
        calls.append(family)
        return real(exe, family)

    monkeypatch.setattr(fonts, "_run_fc_list", counting)
    state = [["/usr/share/fonts", 1]]
    monkeypatch.setattr(fonts, "_fontconfig_state", lambda: state)
    family = "Noto Sans CJK SC"
    first = fonts._fc_candidates(family, tmp_path)
    assert first and calls == [family]
    again = fonts._fc_candidates(family, tmp_path)
    assert again == first and calls == [family]  # read from the memo
    state = [["/usr/share/fonts", 2]]  # fontconfig changed
    assert fonts._fc_candidates(family, tmp_path) == first and calls == [family, family]
    # a damaged memo is asked again, not trusted
    for memo in tmp_path.glob("fontconfig-*.json"):
        memo.write_text("[[", encoding="utf-8")
    assert fonts._fc_candidates(family, tmp_path) == first and len(calls) == 3


def test_fontconfig_state_sees_a_new_font_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "_font_dirs", lambda: [tmp_path])
    before = fonts._fontconfig_state()
    (tmp_path / "newfamily").mkdir()
    assert fonts._fontconfig_state() != before


def test_parsed_face_is_what_reportlab_parses(faces, tmp_path):
    """fontreg keeps reportlab's parse of each subset (marshal) beside it; the font made
    from it must be the TTFont reportlab makes from the file, attribute for attribute, so
    a reportlab release that changes TTFont fails here rather than in a build."""
    import shutil

    from reportlab.pdfbase.ttfonts import TTFont as RLFont

    from authoring.layout import fontreg

    path = tmp_path / faces["sans"].ttf.name
    shutil.copy2(faces["sans"].ttf, path)
    fresh = fontreg._face(str(path))  # parsed, and the parse written
    memo = path.parent / f"{path.name}.{fontreg.FACE_FORMAT}"
    assert memo.is_file()
    thawed = fontreg._face(str(path))  # read back
    real = RLFont("Probe-sans", str(path))
    for face in (fresh, thawed):
        mine, theirs = vars(face), vars(real.face)
        assert mine.keys() == theirs.keys()
        for k in theirs:
            if callable(theirs[k]):
                assert [mine[k](v) for v in (0, 1, 500, 1234)] == [theirs[k](v) for v in (0, 1, 500, 1234)]
            else:
                assert mine[k] == theirs[k], k
                assert type(mine[k]) is type(theirs[k]), k
    ours = fontreg._ParsedTTFont("Probe-sans", thawed)
    assert vars(ours).keys() == vars(real).keys()
    for k in ("fontName", "_asciiReadable", "_shapable"):
        assert getattr(ours, k) == getattr(real, k), k
    assert type(ours.encoding) is type(real.encoding) and type(ours.state) is type(real.state)
    assert ours.stringWidth("中文 Qwen3", 10) == real.stringWidth("中文 Qwen3", 10)
    # a damaged parse is parsed again, not trusted
    memo.write_bytes(memo.read_bytes()[:100])
    assert vars(fontreg._face(str(path))).keys() == vars(real.face).keys()


def test_unused_subsets_are_pruned_and_used_ones_kept(spec, tmp_path):
    """Every new character set makes a subset; those unused for UNUSED_DAYS go
    (with reportlab's parse beside them) when a build makes a new one, and a subset in
    use is never pruned, however old."""
    import os as _os

    one = {"sans": spec["sans"]}
    cache = tmp_path / "cache"
    fonts._INFOS.clear()  # as in a fresh process: the face's cmap is cached in `cache`
    old = fonts.prepare_fonts(one, {"中"}, cache)["sans"].ttf
    used = fonts.prepare_fonts(one, {"中", "文"}, cache)["sans"].ttf
    (old.parent / (old.name + ".rl-test")).write_bytes(b"x")
    from authoring.atomic import UNUSED_DAYS

    long_ago = old.stat().st_mtime - (UNUSED_DAYS + 1) * 86400
    for p in (old, used):
        _os.utime(p, (long_ago, long_ago))
    # a warm build of the `used` set marks it used
    assert fonts.prepare_fonts(one, {"中", "文"}, cache)["sans"].ttf == used
    assert used.stat().st_mtime > long_ago
    # a face whose font file was replaced long ago: its cmap and packs are never used again
    gone = cache / "fonts" / ("0" * 64)
    gone.mkdir()
    (gone / "x.pack").write_bytes(b"x")
    gone_cmap = cache / "fonts" / (gone.name + ".cmap")
    gone_cmap.write_bytes(b"x")
    (in_use,) = [p for p in (cache / "fonts").glob("*.cmap") if p != gone_cmap]
    for p in (gone_cmap, in_use):
        _os.utime(p, (long_ago, long_ago))
    fonts._INFOS.clear()  # a fresh process reads the face's cmap from the cache: marked used
    # a build with new characters makes a subset and prunes what is unused
    fonts.prepare_fonts(one, {"中", "文", "字"}, cache)
    assert used.exists()
    assert not old.exists() and not (old.parent / (old.name + ".rl-test")).exists()
    assert not gone.exists() and not gone_cmap.exists()
    assert in_use.exists() and (cache / "fonts" / in_use.stem).is_dir()


def test_kept_font_programs_give_reportlabs_own_pdf(spec, tmp_path):
    """The compressed subsets fontreg keeps beside a face (`_Face._program`) must give the
    PDF reportlab writes itself, byte for byte: kept or made, and when a kept one is damaged."""
    import shutil

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as RLFont
    from reportlab.pdfgen.canvas import Canvas

    from authoring.layout import fontreg

    week = REPO / "entries" / "20250505"
    text = "".join(sorted({c for f in week.glob("*.yaml") for c in f.read_text(encoding="utf-8")
                           if ord(c) > 0x2000}))
    assert len(text) > 300  # more than one of reportlab's 256-character subsets
    face = fonts.prepare_fonts(spec, set(text), fonts.cache_dir())["sans"]
    path = tmp_path / face.ttf.name
    shutil.copy2(face.ttf, path)

    def pdf(font) -> bytes:
        pdfmetrics._fonts.pop(font.fontName, None)
        pdfmetrics._dynFaceNames.pop(font.face.name, None)
        pdfmetrics.registerFont(font)
        buf = io.BytesIO()
        c = Canvas(buf, invariant=1)
        c.setFont(font.fontName, 9)
        for i in range(0, len(text), 40):
            c.drawString(30, 800 - 11 * (i // 40), text[i : i + 40] + " Qwen3-235B")
        c.save()
        return buf.getvalue()

    theirs = pdf(RLFont("Probe-programs", str(path)))
    made = pdf(fontreg._ParsedTTFont("Probe-programs", fontreg._face(str(path))))
    kept_files = sorted(tmp_path.glob("*.sub-*"))
    assert len(kept_files) >= 2
    kept = pdf(fontreg._ParsedTTFont("Probe-programs", fontreg._face(str(path))))
    assert made == theirs
    assert kept == theirs
    kept_files[0].write_bytes(kept_files[0].read_bytes()[:-7] + b"damaged")
    assert pdf(fontreg._ParsedTTFont("Probe-programs", fontreg._face(str(path)))) == theirs


def test_package_version_agrees_with_the_metadata_without_importing_it():
    """Cache keys carry package versions; reading them must neither import the package nor
    importlib.metadata (4 % of a warm build), and must agree with the metadata."""
    import importlib.metadata
    import subprocess
    import sys

    names = ("uniseg", "budoux", "reportlab", "pydantic", "fontTools", "jinja2")
    probe = ("import sys; from authoring.cachekeys import package_version; "
             f"print(*[package_version(n) for n in {names!r}]); "
             "print('importlib.metadata' in sys.modules, 'uniseg' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    versions, imported = out.stdout.splitlines()
    assert versions.split() == [importlib.metadata.version(n) for n in names]
    assert imported == "False False"


def test_kept_font_programs_unused_for_30_days_are_deleted(faces, tmp_path):
    import os
    import shutil
    import time

    from authoring.atomic import UNUSED_DAYS
    from authoring.layout import fontreg

    path = tmp_path / faces["sans"].ttf.name
    shutil.copy2(faces["sans"].ttf, path)
    face = fontreg._face(str(path))
    old = tmp_path / f"{path.name}.{fontreg.FACE_FORMAT}.sub-0123456789abcdef01234567"
    old.write_bytes(b"an old program")
    past = time.time() - (UNUSED_DAYS + 1) * 86400
    os.utime(old, (past, past))
    from authoring import atomic

    atomic._PRUNED.discard((str(tmp_path), "*.sub-*"))
    face._program([ord(c) for c in "中文"])  # a new program is written: the folder is pruned
    kept = list(tmp_path.glob("*.sub-*"))
    assert not old.exists() and len(kept) == 1
    os.utime(kept[0], (past, past))
    assert face._program([ord(c) for c in "中文"])[0] > 0  # read back: marked as used again
    assert kept[0].stat().st_mtime > past + 86400
