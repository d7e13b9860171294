"""authoring.fonts: finding faces, shaping through the fallback chain, CJK features,
subsetting, and the reportlab side of embedding (authoring.fonts.embed).

The PDFs themselves (one CID font per face, glyphs, ToUnicode, extracted text) are
checked in test_pdf_fonts.py.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from authoring import fonts
from authoring.fonts import FontsMissing, find
from authoring.fonts.face import Face, cjk_features
from authoring.fonts.shaping import Chain, feature_adjustments
from authoring.fonts.subset import cids_are_gids, make_program, program

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def spec() -> dict:
    theme = yaml.safe_load((REPO / "styles" / "theme.yaml").read_text(encoding="utf-8"))
    return theme["fonts"]


@pytest.fixture(scope="module")
def chains(spec) -> dict[str, Chain]:
    return fonts.prepare_fonts(spec, fonts.cache_dir(), base_dir=REPO / "styles")


def test_every_role_has_its_cjk_face_first_and_fallbacks(chains, spec):
    assert set(chains) == set(spec)
    for role, chain in chains.items():
        assert "CJK SC" in chain.primary.family, role
        assert chain.primary.cff  # the Noto CJK collections are OpenType/CFF
        assert len(chain.faces) >= 3, (role, chain.faces)  # the Debian fallbacks are installed
        assert len(set(chain.faces)) == len(chain.faces)
    assert chains["serif"].primary.postscript_name.endswith("-Regular")
    assert chains["serif-bold"].primary.postscript_name.endswith("-Bold")
    assert chains["sans"].primary is not chains["serif"].primary


def test_advances_come_from_the_font(chains):
    chain = chains["serif"]
    face = chain.primary
    shaped = chain.shape("中文H")
    for ch, adv in zip("中文H", shaped.advances):
        assert adv == pytest.approx(face.advance(face.glyph(ch)) / face.upem)
    assert shaped.advances[0] == pytest.approx(1.0)  # an ideograph is one em wide
    assert [g.gid for g in shaped.glyphs] == [face.glyph(ch) for ch in "中文H"]


def test_latin_is_kerned(chains):
    chain = chains["serif"]
    face = chain.primary
    shaped = chain.shape("AVA")
    nominal = face.advance(face.glyph("A")) / face.upem
    assert shaped.advances[0] < nominal - 0.01  # the A–V pair is kerned
    assert chain.width("AVA", 10) < 10 * sum(face.advance(face.glyph(c)) / face.upem for c in "AVA")


def test_a_cluster_advance_stands_on_its_first_character(chains):
    chain = chains["serif"]
    shaped = chain.shape("e\u0301x")  # e + combining acute: one cluster
    assert shaped.advances[1] == 0.0 and shaped.advances[0] > 0
    assert {g.char for g in shaped.glyphs} <= {0, 2}
    assert shaped.glyphs_of(0, 1) and all(g.char == 0 for g in shaped.glyphs_of(0, 1))


def test_line_breaks_and_format_characters_draw_nothing(chains):
    shaped = chains["serif"].shape("甲\n乙\u200b丙")
    assert shaped.advances[1] == 0.0 and shaped.advances[3] == 0.0
    assert [g.char for g in shaped.glyphs] == [0, 2, 4]


def test_fallback_chain_draws_what_the_first_face_lacks(chains):
    serif = chains["serif"]
    for ch in "₂⁻":
        assert not serif.primary.glyph(ch)
        k = serif.face_of(ch)
        assert k > 0, ch
        shaped = serif.shape("CO" + ch)
        assert shaped.glyphs[-1].face == k and shaped.glyphs[-1].gid == serif.faces[k].glyph(ch)
    for ch in "①Ⅱ→∑≤":
        assert serif.face_of(ch) >= 0, ch
    # spaces after a fallback character stay in its face; Latin letters go back to the first
    shaped = serif.shape("₂ x")
    assert [g.face for g in shaped.glyphs][:2] == [serif.face_of("₂")] * 2
    assert shaped.glyphs[-1].face == 0


def test_a_character_no_face_has_is_reported(chains):
    chain = Chain("serif", chains["serif"].faces[:1])
    assert chain.missing("Qwen中₂\ue000\n") == {"₂", "\ue000"}
    assert fonts.missing_chars(chains["serif"], "\ue000中") == {"\ue000"}
    shaped = chain.shape("甲\ue000")
    assert shaped.glyphs[-1].gid == 0
    # drawing it records it (the build then fails): see test_pdf_fonts / build tests
    assert chain.missing_seen == {}


def test_cjk_features_and_their_adjustments(chains):
    face = chains["serif"].primary
    feats = cjk_features(face)
    assert {"halt", "palt", "kern"} <= feats
    adj = feature_adjustments(chains["serif"], "（注）。", "halt")
    assert adj[0][1] == pytest.approx(-0.5)  # a full-width bracket set in half an em
    assert adj[1] == (0.0, 0.0)  # the ideograph is untouched
    assert all(a == (0.0, 0.0) for a in feature_adjustments(chains["serif"], "中文", "chws"))


def test_cff_subset_keeps_the_cids_of_the_glyphs(chains):
    from fontTools.cffLib import CFFFontSet
    import zlib

    face = chains["serif"].primary
    gids = sorted({0, *(face.glyph(c) for c in "中文排版，Qwen3")})
    assert cids_are_gids(face.path, face.index)  # Noto CJK: each glyph's CID is its id
    prog = make_program(face, gids, True)
    assert prog.kind == "cff"
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(zlib.decompress(prog.packed)), None)
    assert cff.topDictIndex[0].charset == [".notdef", *(f"cid{g:05d}" for g in gids[1:])]
    assert prog.length < 20_000  # a subset, not the 16 MB face


def test_truetype_subset_keeps_glyph_ids(chains):
    from fontTools.ttLib import TTFont
    import zlib

    face = next(f for f in chains["serif"].faces if not f.cff)
    gid = face.glyph("₂") or face.glyph("→")
    prog = make_program(face, [0, gid], False)
    assert prog.kind == "truetype"
    tt = TTFont(io.BytesIO(zlib.decompress(prog.packed)))
    assert tt["glyf"][tt.getGlyphOrder()[gid]].numberOfContours != 0  # outline or composite
    assert "GSUB" not in tt and "GPOS" not in tt


def test_programs_are_cached_and_a_damaged_entry_is_made_again(chains, tmp_path):
    face = chains["sans"].primary
    gids = [0, face.glyph("中")]
    first = program(face, gids, tmp_path)
    files = list((tmp_path / "fonts").glob("*.program"))
    assert len(files) == 1
    assert program(face, gids, tmp_path) == first
    files[0].write_bytes(b"junk")
    assert program(face, gids, tmp_path) == first


def test_shaping_memo_round_trip(chains, tmp_path):
    """What a build shaped is kept for the next build of the week and gives the same glyphs."""
    from authoring.fonts import memo

    serif = chains["serif"]
    loaded = memo.load(tmp_path, "w", {"serif": serif})
    assert loaded == {}
    first = serif.shape("模型 Qwen3，AVA₂")
    memo.save(tmp_path, "w", {"serif": serif}, loaded)
    fresh = Chain("serif", serif.faces)
    again = memo.load(tmp_path, "w", {"serif": fresh})
    assert again and fresh.shape("模型 Qwen3，AVA₂") == first
    memo.path_for(tmp_path, "w").write_bytes(b"junk")
    other = Chain("serif", serif.faces)
    assert memo.load(tmp_path, "w", {"serif": other}) == {}
    assert other.shape("模型 Qwen3，AVA₂") == first


def test_file_in_spec_overrides_search(chains, tmp_path):
    src = chains["sans"].primary
    spec = {"sans": [{"families": ["No Such Family 42"], "weight": "regular",
                      "file": str(src.path), "index": src.index}]}
    got = fonts.prepare_fonts(spec, tmp_path)
    assert got["sans"].primary is src
    bad = {"sans": [{"families": [], "weight": "regular", "file": str(tmp_path / "nope.ttf")}]}
    with pytest.raises(FontsMissing, match="fonts.sans.file"):
        fonts.prepare_fonts(bad, tmp_path)
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font")
    with pytest.raises(FontsMissing, match="junk.ttf"):
        fonts.prepare_fonts({"sans": [{"families": [], "file": str(junk)}]}, tmp_path)


def test_a_missing_fallback_is_skipped_a_missing_first_face_is_an_error(tmp_path):
    spec = {"serif": [{"families": ["Noto Serif CJK SC"]}, {"families": ["No Such Family 42"]},
                      {"families": ["DejaVu Sans"]}]}
    chain = fonts.prepare_fonts(spec, tmp_path)["serif"]
    assert [f.family for f in chain.faces] == ["Noto Serif CJK SC", "DejaVu Sans"]
    with pytest.raises(FontsMissing, match="No Such Family 42"):
        fonts.prepare_fonts({"serif": [{"families": ["No Such Family 42"]}]}, tmp_path)
    # one face given as a mapping is a chain of one
    assert len(fonts.prepare_fonts({"serif": {"families": ["Noto Serif CJK SC"]}}, tmp_path)["serif"].faces) == 1


def test_find_font_checks_the_family():
    path, index = find.find_font(["No Such Family 42", "Noto Sans CJK SC"], "bold")
    face = Face(path, index)
    assert face.family == "Noto Sans CJK SC"
    assert face.postscript_name.endswith("-Bold")


def test_find_font_missing_says_what_to_do():
    with pytest.raises(FontsMissing) as err:
        find.find_font(["No Such Family 42", "Nor This One"], "regular", role="serif")
    msg = str(err.value)
    assert "No Such Family 42" in msg and "Nor This One" in msg
    assert "apt-get install fonts-noto-cjk" in msg
    assert "fonts.serif.file" in msg and "styles/theme.yaml" in msg


def test_cache_dir_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("AUTHORING_CACHE", str(tmp_path / "c"))
    assert fonts.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("AUTHORING_CACHE")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert fonts.cache_dir() == Path.home() / ".cache" / "authoring"


def test_fonts_module_does_not_import_reportlab():
    code = ("import sys; import authoring.fonts; "
            "sys.exit(1 if any(m.startswith('reportlab') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0


def test_fontconfig_answers_are_kept_until_fontconfig_changes(tmp_path):
    """Between runs, fc-list is asked once per family and fontconfig state: a later run takes
    the kept answer; a new font folder (a font copied in, fonts installed) or a damaged kept
    answer asks fc-list again.  Each run is a process of its own, as a build is; fc-list is
    a script on PATH that logs its calls and runs the real one."""
    real = shutil.which("fc-list")
    if real is None:
        pytest.skip("fontconfig is not installed")
    home, bin_dir, store, log = tmp_path / "home", tmp_path / "bin", tmp_path / "store", tmp_path / "calls"
    for d in (home, bin_dir, store):
        d.mkdir()
    fake = bin_dir / "fc-list"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    fake.chmod(0o755)
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
           "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    family = "Noto Sans CJK SC"
    # fontconfig writes its own caches for a new home once: before the runs, not between them
    subprocess.run([real, f":family={family}"], env=env, capture_output=True, check=True)
    code = ("import sys; from pathlib import Path; from authoring.fonts.find import find_font; "
            "print(find_font([sys.argv[1]], 'regular', store=Path(sys.argv[2])))")

    def run() -> str:
        return subprocess.run([sys.executable, "-c", code, family, str(store)], env=env, cwd=REPO,
                              capture_output=True, text=True, check=True).stdout

    def calls() -> int:
        return len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0

    first = run()
    assert "NotoSansCJK" in first and calls() == 1
    assert run() == first and calls() == 1  # the kept answer
    (home / ".fonts").mkdir()  # a new font folder: fontconfig's answer may differ
    assert run() == first and calls() == 2
    for memo in store.glob("fontconfig-*.json"):  # a damaged answer is asked again, not trusted
        memo.write_text("[[", encoding="utf-8")
    assert run() == first and calls() == 3


def test_package_version_agrees_with_the_metadata_without_importing_it():
    """Cache keys carry package versions; reading them must neither import the package nor
    importlib.metadata (4 % of a warm build), and must agree with the metadata."""
    import importlib.metadata

    names = ("uniseg", "budoux", "reportlab", "pydantic", "fontTools", "jinja2", "uharfbuzz")
    probe = ("import sys; from authoring.cache.keys import package_version; "
             f"print(*[package_version(n) for n in {names!r}]); "
             "print('importlib.metadata' in sys.modules, 'uniseg' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    versions, imported = out.stdout.splitlines()
    assert versions.split() == [importlib.metadata.version(n) for n in names]
    assert imported == "False False"


def test_reportlab_calls_the_font_object_as_embed_expects(chains):
    """embed.PDFFace relies on reportlab's public font protocol: a text object's setFont
    makes the document call addObjects once, the document calls it again when it is
    written (delayedFonts), and canvas.drawText writes getCode() as it is.  A reportlab
    release that changes any of this fails here."""
    from reportlab.pdfgen.canvas import Canvas

    from authoring.fonts import embed
    from authoring.layout.glyphs import GlyphText

    face = chains["sans"].primary
    embed.register([face], None)
    pdf = face.embedding
    calls = []
    real = pdf.addObjects
    pdf.addObjects = lambda doc: (calls.append(doc), real(doc))[1]
    buf = io.BytesIO()
    canvas = Canvas(buf, pageCompression=0)
    tx = GlyphText(canvas)
    chain = Chain("sans", (face,))
    shaped = chain.shape("中文")
    tx.show(chain, shaped, 0, 2, 10, 72, 700, [10, 10])
    canvas.drawText(tx)
    assert len(calls) == 1
    canvas.showPage()
    canvas.save()
    assert len(calls) == 2 and calls[0] is calls[1]
    data = buf.getvalue()
    hexes = f"<{face.glyph('中'):04X}{face.glyph('文'):04X}>".encode()
    assert f"/{pdf.internal_name} 10 Tf".encode() in data and hexes in data
    assert b"/Subtype /Type0" in data and b"/CIDFontType0C" in data and b"/Identity-H" in data
    assert sorted(pdf.used) == sorted({0, face.glyph("中"), face.glyph("文")})
    assert pdf.used[face.glyph("中")] == "中"


def test_a_copy_of_a_font_file_is_another_pdf_font(chains, tmp_path):
    """Two faces with the same name and file name (a copy in another folder) must not share
    a reportlab name: one would replace the other's glyphs in the PDF."""
    from authoring.fonts.embed import PDFFace

    src = next(f for f in chains["sans"].faces if not f.cff).path
    copies = []
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        copies.append(Face(Path(shutil.copy2(src, tmp_path / d / src.name))))
    one, two = (PDFFace(f, None) for f in copies)
    assert one.fontName != two.fontName and one.internal_name != two.internal_name
    assert PDFFace(copies[0], None).fontName == one.fontName  # stable for the same file
