"""The real reports of both seed weeks, checked from the PDFs themselves.

Page numbers printed in 目录 and 图表目录 must be the pages where the heading
or caption really stands; fonts must be embedded subsets; the cover, 风险提示,
the rating table and the disclaimers must be there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest


REPO = Path(__file__).resolve().parent.parent
WEEKS = {"20250505": 20, "20250310": 19}
TOC_LINE = re.compile(r"^(\d+(?:\.\d+)?)(.+?)(?:\.\s?){2,}\s*(\d+)$")
LOF_LINE = re.compile(r"^图表(\d+)：(.+?)(?:\.\s?){2,}\s*(\d+)$")
CAPTION = re.compile(r"^图表(\d+)：")


def _squash(s: str) -> str:
    return re.sub(r"[\s\u3000]+", "", s)


class Line(str):
    """A text line of a page (spaces removed) that knows its largest font size."""

    size: float = 0.0


def page_lines(page) -> list[Line]:
    """Text lines of a page, in reading order, without spaces (the typesetter adds gaps)."""
    rows: dict[int, list] = {}
    for ch in page.chars:
        rows.setdefault(round(ch["top"] / 2), []).append(ch)
    out = []
    for _top, chars in sorted(rows.items()):
        chars.sort(key=lambda c: c["x0"])
        line = Line(_squash("".join(c["text"] for c in chars)))
        line.size = max(c["size"] for c in chars)
        out.append(line)
    return out


@pytest.fixture(scope="module", params=sorted(WEEKS))
def built(request, seed_weeks):
    week = request.param
    return week, seed_weeks.build(week), [page_lines(p) for p in seed_weeks.pages(week)]


def entries_of(lines: list[str], first: str) -> list[str]:
    """Lines of a 目录-like page joined so that a wrapped entry becomes one string."""
    out, buf = [], ""
    for l in lines:
        if not buf and not re.match(first, l):
            continue
        buf += l
        if re.search(r"(?:\.\s?){2,}\s*\d+$", buf):
            out.append(buf)
            buf = ""
    return out


def test_toc_numbers_are_heading_pages(built):
    week, result, lines = built
    toc = [TOC_LINE.match(e) for e in entries_of(lines[1], r"^\d")]
    assert all(toc)
    assert len(toc) == {"20250505": 5 + 10, "20250310": 5 + 12}[week], lines[1]
    pages = ["".join(ls) for ls in lines]
    for m in toc:
        number, title, page = m.group(1), m.group(2), int(m.group(3))
        heading = number + title
        assert heading in pages[page - 1], f"{heading!r} not on page {page} (目录 says so)"
        elsewhere = [i + 1 for i, text in enumerate(pages) if i >= 3 and i != page - 1 and heading in text]
        assert not elsewhere, f"{heading!r} also stands on pages {elsewhere}"


def test_lof_numbers_are_caption_pages(built):
    week, result, lines = built
    lof = [LOF_LINE.match(e) for e in entries_of(lines[2], r"^图表\d")]
    assert all(lof)
    assert [int(m.group(1)) for m in lof] == list(range(1, WEEKS[week] + 1))
    pages = ["".join(ls) for ls in lines]
    for m in lof:
        n, page = m.group(1), int(m.group(3))
        caption = f"图表{n}：{m.group(2)}"
        assert caption in pages[page - 1], f"{caption!r} not on page {page} (图表目录 says so)"


def test_figure_count_and_order(built):
    week, result, lines = built
    numbers = [int(m.group(1)) for ls in lines[3:] for l in ls
               for m in re.finditer(r"图表(\d+)：", l)]
    assert numbers == list(range(1, WEEKS[week] + 1))
    assert result.figures == WEEKS[week]


def test_sections_numbered_and_risk_last(built):
    _week, _result, lines = built
    body = [l for ls in lines[3:] for l in ls]
    h1 = [l for l in body if l.size > 14]  # the h1 style is the only text set at 15 pt in the body
    assert h1 == ["1AI重点要闻", "2企业动态", "3AI行业洞察", "4技术前沿", "5风险提示"]


def test_fonts_embedded_subsets(built):
    _week, result, _lines = built
    reader = pypdf.PdfReader(result.pdf)
    seen = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            seen.add(name)
            assert font["/Subtype"] == "/Type0", f"{name} is not a CID font (a standard, unembedded font?)"
            desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in desc or "/FontFile3" in desc, f"{name} is not embedded"
            assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not a subset"
    assert len(seen) >= 2


def test_outline_and_links(built):
    _week, result, lines = built
    reader = pypdf.PdfReader(result.pdf)
    flat = []

    def walk(items):
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                flat.append((it.title, reader.get_destination_page_number(it) + 1))

    walk(reader.outline)
    titles = [t for t, _p in flat]
    assert "目录" in titles and "图表目录" in titles
    assert any(t.endswith("风险提示") for t in titles)
    # every outline target is the page where that heading stands
    for title, page in flat:
        assert _squash(title) in "".join(lines[page - 1]), (title, page)
    links = [a.get_object() for a in (reader.pages[1].get("/Annots") or [])]
    assert len([a for a in links if "/Dest" in a or "/A" in a]) >= 10


def test_cover(built):
    week, result, lines = built
    cover = "".join(lines[0])
    for text in ("研究所", "分析师：肖承志", "SAC登记编号：S1340524090001", "xiaochengzhi@cnpsec.com",
                 "研究助理：冯昱文", "S1340124100011", "近期研究报告", "金工周报", "风险提示：", "●"):
        assert text in cover, text
    assert "——" in cover and week in cover
    assert cover.count("●") >= 5  # four key points and the risk line


def test_back_matter(built):
    _week, _result, lines = built
    text = "".join(l for ls in lines for l in ls)
    for t in ("投资评级说明", "买入", "增持", "回避", "强于大市", "弱于大市", "谨慎推荐", "沪深300指数",
              "分析师声明", "免责声明", "公司简介", "邮编：100050", "邮编：518048", "yanjiusuo@cnpsec.com"):
        assert t in text, t


def test_running_header_and_footer(built):
    _week, _result, lines = built
    for i, ls in enumerate(lines[1:], start=2):
        joined = "".join(ls)
        assert ls[0].startswith("金工周报") or "金工周报" in ls[0] + ls[1], i
        assert "请务必认真阅读正文之后的免责条款部分" in joined and ls[-1].endswith(str(i)), i


def test_metadata(built):
    week, result, _lines = built
    meta = pypdf.PdfReader(result.pdf).metadata
    assert week in meta.title and "——" in meta.title
    assert "肖承志" in meta.author
    assert "金工周报" in meta.subject
    assert meta.get("/Keywords")
