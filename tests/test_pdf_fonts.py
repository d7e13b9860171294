"""The fonts of real PDFs: one embedded CID font per face, every glyph drawn is in its font
and maps back to text, extracted text equals the source, fallback faces draw what the first
face lacks."""

from __future__ import annotations

import re
import shutil
from collections import Counter
import subprocess
from pathlib import Path

import pypdfium2
import pytest

from authoring import fonts
from authoring.layout import labels
from authoring.model import inline
from authoring.build import build_week, gather
from conftest import MINIMAL_ENTRY_YAML, MINIMAL_WEEK_YAML, REPO
from pdffonts import pdffonts, read_fonts

#: The fixed labels of the layout (cover, headings, back matter, captions).
LABELS = "风险提示目录图表资料来源证券研究报告发布时间投资评级说明分析师声明免责公司简介邮箱地址邮编注"

#: A week whose headline, key point and risk text share no character with LABELS.
NO_LABELS_WEEK = MINIMAL_WEEK_YAML.replace("headline: 通义千问开源 Qwen3 系列模型",
                                           "headline: 阿里云开放 Qwen3 全家桶") + \
    "risk: 行业变化快，信息可能已经过期，仅供参考。\n"
NO_LABELS_ENTRY = MINIMAL_ENTRY_YAML.replace(
    "summary: 旗舰模型 Qwen3-235B-A22B 在多项基准测试中领先，小模型 Qwen3-4B 可比肩 Qwen2.5-72B-Instruct。",
    "summary: 旗舰版 Qwen3-235B-A22B 成绩亮眼，小尺寸的 Qwen3-4B 也能比肩 Qwen2.5-72B-Instruct。")

#: Characters Noto CJK lacks or that a fallback must supply (subscript two, superscript minus).
FALLBACK = "₂⁻①Ⅱ"
FALLBACK_ENTRY = MINIMAL_ENTRY_YAML.replace(
    "      各尺寸的对比见 [[qwen3-sizes]]。",
    "      各尺寸的对比见 [[qwen3-sizes]]。化学式 CO₂ 与电子 e⁻ 只是排版示例：第①条、第Ⅱ类。")


def _project(root: Path, week_yaml: str, entry_yaml: str) -> Path:
    (root / "entries" / "20250512").mkdir(parents=True)
    for name in ("people.yaml", "catalogue.yaml"):
        shutil.copy2(REPO / "entries" / name, root / "entries" / name)
    shutil.copytree(REPO / "styles", root / "styles")
    (root / "entries" / "20250512" / "week.yaml").write_text(week_yaml, encoding="utf-8")
    (root / "entries" / "20250512" / "01-qwen3.yaml").write_text(entry_yaml, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def builds(tmp_path_factory, seed_weeks):
    """name -> (project root, week, BuildResult)."""
    out = {}
    cache = fonts.cache_dir()
    for week in ("20250505", "20250310"):
        out[week] = (REPO, week, seed_weeks.build(week))
    for name, week_yaml, entry in (("no-labels", NO_LABELS_WEEK, NO_LABELS_ENTRY),
                                   ("fallback", MINIMAL_WEEK_YAML, FALLBACK_ENTRY)):
        root = _project(tmp_path_factory.mktemp(name), week_yaml, entry)
        out[name] = (root, "20250512", build_week(root, "20250512", cache=cache))
    return out


ALL = ("20250505", "20250310", "no-labels", "fallback")


def test_the_no_labels_week_really_avoids_the_labels():
    text = NO_LABELS_WEEK + NO_LABELS_ENTRY.split("body:")[0]
    head = re.search(r"headline: (.*)", NO_LABELS_WEEK).group(1)
    risk = re.search(r"risk: (.*)", NO_LABELS_WEEK).group(1)
    summary = re.search(r"summary: (.*)", NO_LABELS_ENTRY).group(1)
    assert not set(head + risk + summary) & set(LABELS), text


@pytest.mark.parametrize("name", ALL)
def test_one_cid_font_per_face_embedded_subset_with_tounicode(builds, name):
    pdf = builds[name][2].pdf
    rows = pdffonts(pdf)
    names = [r["name"] for r in rows]
    faces = [n.split("+", 1)[1] for n in names]
    assert len(set(faces)) == len(faces), names  # one font per face
    for r in rows:
        assert r["type"] in ("CID Type 0C", "CID TrueType"), r
        assert r["encoding"] == "Identity-H", r
        assert (r["emb"], r["sub"], r["uni"]) == ("yes", "yes", "yes"), r
        assert re.match(r"^[A-Z]{6}\+", r["name"]), r
    check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, check.stdout


@pytest.mark.parametrize("name", ALL)
def test_no_notdef_and_every_glyph_drawn_is_in_its_font(builds, name):
    fonts_, _pages = read_fonts(builds[name][2].pdf)
    assert fonts_
    for f in fonts_.values():
        assert 0 not in f.shown, f"{f.base} draws .notdef {f.shown[0]} times"
        # not in the program (CFF charset), or without an outline (TrueType): blank spaces only
        missing = {c for c in f.shown if c not in f.glyphs and not f.tounicode.get(c, "x").isspace()}
        assert not missing, f"{f.base}: codes {sorted(missing)[:10]} not in the embedded program"
        assert set(f.shown) <= f.widths, f"{f.base}: codes without /W width"
        unmapped = {c for c in f.shown if not f.tounicode.get(c)}
        assert not unmapped, f"{f.base}: codes {sorted(unmapped)[:10]} without ToUnicode"


def test_fallback_faces_draw_what_the_first_face_lacks(builds):
    fonts_, _pages = read_fonts(builds["fallback"][2].pdf)
    drawn_by = {}
    for f in fonts_.values():
        for code in f.shown:
            for ch in f.tounicode.get(code, ""):
                drawn_by.setdefault(ch, set()).add(f.base.split("+", 1)[1])
    primary = "NotoSerifCJKsc-Regular"
    for ch in FALLBACK:
        assert ch in drawn_by, ch
    for ch in "₂⁻":  # not in Noto CJK: from the next faces of the serif chain
        assert drawn_by[ch] and primary not in drawn_by[ch], (ch, drawn_by[ch])
    chains = fonts.prepare_fonts(dict(gather(builds["fallback"][0], "20250512", fonts.cache_dir())[0]
                                      .report.styles.theme.fonts), None,
                                 base_dir=builds["fallback"][0] / "styles")
    serif = chains["serif"]
    for ch in FALLBACK:  # each from the first face of the chain that has it
        k = serif.face_of(ch)
        assert k >= 0, ch
        assert serif.faces[k].postscript_name in drawn_by[ch], (ch, serif.faces[k])
    assert serif.face_of("₂") > 0 and serif.face_of("⁻") > 0


# ----------------------------------------------------------------- extracted text

def _plain(text: str, report) -> str:
    out = []

    def walk(items):
        for it in items:
            if isinstance(it, inline.Text):
                out.append(it.text)
            elif isinstance(it, inline.Bold):
                walk(it.children)
            elif isinstance(it, inline.Link):
                out.append(it.label)
            elif isinstance(it, inline.Ref):
                out.append(labels.FIGURE_REF.format(report.figures[it.target].number))

    walk(inline.parse(text))
    return re.sub(r"\s+", "", "".join(out))


def _expected(report) -> list[str]:
    """The body's text blocks, in order, markup and white space removed."""
    want = []
    for sec in report.sections:
        want.append(re.sub(r"\s+", "", f"{sec.number}{sec.title}"))
        for item in sec.items:
            want.append(re.sub(r"\s+", "", f"{item.number}{item.title}"))
            for block in item.entry.body:
                for field in ("paragraph", "bullets", "numbered"):
                    value = getattr(block, field, None)
                    if isinstance(value, str):
                        want.append(_plain(value, report))
                    elif isinstance(value, list):
                        want.extend(_plain(v, report) for v in value)
                for term in getattr(block, "terms", None) or ():
                    want.append(_plain(labels.TERM.format(term.term), report) + _plain(term.text, report))
        want.extend(_plain(p, report) for p in sec.paragraphs)
    return [w for w in want if w]


def _frame(report):
    page = report.styles.theme.page
    return page.margin_left, page.margin_bottom, 595.28 - page.margin_right, 841.89 - page.margin_top


def _poppler_pages(pdf, first, last, frame):
    x0, y0, x1, y1 = frame
    out = []
    for n in range(first, last + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-x", str(int(x0) - 2), "-y", str(int(841.89 - y1) - 2),
             "-W", str(int(x1 - x0) + 4), "-H", str(int(y1 - y0) + 4), "-r", "72", str(pdf), "-"],
            capture_output=True, text=True, check=True).stdout
        out.append(re.sub(r"\s+", "", text))
    return out


def _pdfium_pages(pdf, first, last, frame):
    x0, y0, x1, y1 = frame
    doc = pypdfium2.PdfDocument(str(pdf))
    out = []
    for n in range(first, last + 1):
        tp = doc[n - 1].get_textpage()
        out.append(re.sub(r"\s+", "", tp.get_text_bounded(left=x0 - 2, bottom=y0 - 2, right=x1 + 2, top=y1 + 2)))
    doc.close()
    return out


def _poppler_chars(pdf, n: int) -> list[tuple[str, float, float]]:
    """(text, x, y) of each word poppler finds on page n, y from the bottom (PDF space)."""
    import html

    out = subprocess.run(["pdftotext", "-bbox", "-f", str(n), "-l", str(n), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', out).group(1))
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', out)
    return [(html.unescape(t), (float(a) + float(c)) / 2, height - (float(b) + float(d)) / 2)
            for a, b, c, d, t in words]


def _pdfium_chars(pdf, n: int) -> list[tuple[str, float, float]]:
    """(character, x, y) of each character pdfium finds on page n (PDF space)."""
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        tp = doc[n - 1].get_textpage()
        out = []
        for i in range(tp.count_chars()):
            left, bottom, right, top = tp.get_charbox(i)
            out.append((tp.get_text_range(i, 1), (left + right) / 2, (bottom + top) / 2))
        return out
    finally:
        doc.close()


def _first_difference(got: str, want: str) -> str:
    k = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    return f"from character {k}: {got[max(0, k - 20):k + 40]!r} where {want[max(0, k - 20):k + 40]!r}"


def _squeeze(text: str) -> str:
    """White space and hyphens out: a hyphen that ends a line is taken for a hyphenation
    point by the extractors (pdfium reports it as U+0002 or U+FFFE, poppler drops it)."""
    return re.sub(r"[\s\-\x02\ufffe]", "", text)


@pytest.mark.parametrize("extract", [_poppler_chars, _pdfium_chars], ids=["poppler", "pdfium"])
@pytest.mark.parametrize("name", ["20250505", "20250310", "fallback"])
def test_extracted_text_of_each_body_page_is_the_source_text_of_its_blocks(builds, name, extract):
    """Page by page: what a reader's copy gives outside the figures is exactly the text of
    the blocks the page shows, in order; inside each figure's box, every character of its
    text is there.  And the blocks' parts, page after page, are the body's source text
    (markup and white space removed), in order: nothing lost or doubled at a page break."""
    root, week, result = builds[name]
    report = gather(root, week, fonts.cache_dir())[0].report
    first = result.marks[report.sections[0].dest]
    # the back matter begins on page `last`, which the body's end may share
    last = result.marks.get("back-ratings", result.pages)
    x0, y0, x1, y1 = _frame(report)
    shown = result.page_text
    source = _squeeze("".join(_expected(report)))
    told = ""  # the body's source text on the pages so far
    for n in range(first, last + 1):
        boxes = [box for box, _text in shown.figures.get(n, [])]
        in_frame = [(t, x, y) for t, x, y in extract(result.pdf, n)
                    if x0 - 2 <= x <= x1 + 2 and y0 - 2 <= y <= y1 + 2]

        def inside(x, y, box):
            return box[0] - 1 <= x <= box[2] + 1 and box[1] - 1 <= y <= box[3] + 1

        body = _squeeze("".join(t for t, x, y in in_frame if not any(inside(x, y, b) for b in boxes)))
        for box, texts in shown.figures.get(n, []):
            found = "".join(t for t, x, y in in_frame if inside(x, y, box))
            missing = Counter(_squeeze("".join(texts))) - Counter(_squeeze(found))
            assert not missing, f"page {n}, figure at {box}: {''.join(missing)!r} not extracted"
        parts = shown.text.get(n, [])
        if n < last:
            drawn = _squeeze("".join(label + text for label, text in parts))
            assert body == drawn, f"page {n}: {_first_difference(body, drawn)}"
            told += _squeeze("".join(text for _label, text in parts))
            assert source.startswith(told), \
                f"page {n} does not go on with the source: {_first_difference(told, source[:len(told)])}"
        else:  # what is left of the body opens the page, before the back matter
            rest = source[len(told):]
            assert body.startswith(rest), f"page {n}: {_first_difference(body[:len(rest)], rest)}"
            told = source


