"""The web and e-mail editions of both seed weeks, parsed as browsers parse them.

Every 图表 in order with its caption and source line, every in-page link landing on an id,
the compliance sections with the PDF's text, nothing loaded from outside the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from authoring.build import gather
from authoring.fonts import cache_dir
from authoring.web import build_editions

from webpage import email_parts, find_class, has_class, local, parse, text

REPO = Path(__file__).resolve().parent.parent
WEEKS = ("20250505", "20250310")


@pytest.fixture(scope="module", params=WEEKS)
def edition(request, tmp_path_factory):
    week = request.param
    out = tmp_path_factory.mktemp(f"web-{week}")
    results = {r.format: r for r in build_editions(REPO, week, ["html", "email"], out_dir=out)}
    report = gather(REPO, week, cache_dir())[0].report
    html = results["html"].path.read_text(encoding="utf-8")
    return report, html, parse(html), results["email"].path


def _no_gaps(s: str) -> str:
    return s.replace("\u2009", "")


def test_every_figure_in_order_with_caption_and_source(edition):
    report, _html, doc, _eml = edition
    figures = [e for e in doc.iter("figure")]
    expected = report.figure_list
    assert len(figures) == len(expected)
    for el, info in zip(figures, expected):
        assert el.get("id") == info.dest
        cap = el.find("figcaption")
        assert text(cap) == f"图表 {info.number}：{info.title}"
        sources = find_class(el, "p", "source")
        assert sources and text(sources[-1]) == info.source_line
        assert text(sources[-1]).startswith("资料来源：")


def test_every_link_inside_the_page_lands_on_an_id(edition):
    report, _html, doc, _eml = edition
    ids = {e.get("id") for e in doc.iter() if e.get("id")}
    local_links = [a.get("href") for a in doc.iter("a") if (a.get("href") or "").startswith("#")]
    assert local_links
    missing = [h for h in local_links if h[1:] not in ids]
    assert not missing
    refs = find_class(doc, "a", "ref")
    fig_ids = {"#" + f.dest for f in report.figures.values()}
    assert refs and all(a.get("href") in fig_ids for a in refs)
    for a in refs:  # the label is the number of the figure it points to
        info = next(f for f in report.figures.values() if "#" + f.dest == a.get("href"))
        assert text(a) == f"图表 {info.number}"
    # every figure is referred to from the text, as the lint asks
    assert {a.get("href") for a in refs} == fig_ids


def test_ids_are_unique_and_charts_reproducible(edition, tmp_path):
    report, html, doc, _eml = edition
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids))  # the charts' own ids are prefixed with their figure's
    again = build_editions(REPO, report.week.week, ["html"], out_dir=tmp_path)[0].path
    assert again.read_text(encoding="utf-8") == html


def test_compliance_sections_carry_the_pdf_text(edition):
    report, _html, doc, _eml = edition
    heads = [_no_gaps(text(h)) for h in doc.iter("h2")]
    brand = report.styles.brand
    for title in (f"{report.sections[-1].number}风险提示", f"{brand.institute}投资评级说明", "分析师声明",
                  "免责声明", "公司简介", brand.department):
        assert title in heads, title
    paras = [text(p) for p in find_class(doc, "p", "back-text")]
    for p in [*report.rating_basis, *report.analyst_statement, *report.disclaimer, *report.profile]:
        assert p in paras
    body_text = text(doc.find("body"))
    assert report.risk in body_text
    for row in report.ratings:
        assert row.meaning in body_text and row.grade in body_text
    for c in brand.contacts:
        assert c.address in body_text and c.postcode in body_text


def test_page_parses_without_errors(edition):
    import html5lib

    _report, html, _doc, _eml = edition
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    parser.parse(html)
    assert parser.errors == []


def test_nothing_is_fetched_from_outside(edition):
    _report, html, doc, _eml = edition
    for el in doc.iter():
        src = el.get("src")
        if src is not None:
            assert src.startswith("data:image/"), src
        if local(el.tag) == "link":
            assert "stylesheet" not in (el.get("rel") or "")
    assert not list(doc.iter("script"))
    assert not re.search(r"url\(\s*['\"]?(?!#)", html), "CSS must not load anything"
    assert "@import" not in html
    csp = [m.get("content") for m in doc.iter("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "script-src 'none'" in csp[0] and "default-src 'none'" in csp[0]


def test_page_is_accessible(edition):
    report, _html, doc, _eml = edition
    assert doc.get("lang") == "zh-CN"
    levels = [int(local(e.tag)[1]) for e in doc.iter() if re.fullmatch(r"h[1-6]", local(e.tag))]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    charts = [e for e in doc.iter() if local(e.tag) == "svg"]
    chart_figs = [f for f in report.figures.values()
                  if any(e.get("id") == f.dest and has_class(e, "fig-chart") for e in doc.iter("figure"))]
    assert len(charts) == len(chart_figs) > 0
    for svg in charts:
        assert svg.get("role") == "img" and svg.get("aria-label", "").startswith("图表 ")
    titles = {f"图表 {f.number}：{f.title}" for f in report.figures.values()}
    for img in doc.iter("img"):
        assert img.get("alt") in titles


def test_han_latin_gaps_are_marked(edition):
    _report, _html, doc, _eml = edition
    gaps = find_class(doc, "span", "hl")
    assert len(gaps) > 50
    # a gap never doubles a space the analyst typed
    assert all(not (g.tail or "").startswith(" ") for g in gaps)


def test_gaps_between_han_and_latin_only():
    from authoring.web.text import pieces, plain

    ref = lambda t: ("图表 1", "#fig-" + t)  # noqa: E731
    ps = pieces("4月29日发布Qwen3模型，提升20%，见[[a-b]]与**GPT**。", ref)
    flat = plain(ps)
    assert "发布\u2009Qwen3\u2009模型" in flat
    assert "提升\u200920%" in flat
    assert "与\u2009GPT" in flat          # across the start of a bold run
    assert "GPT。" in flat                 # no gap before Chinese punctuation
    assert "发布 Qwen" in plain(pieces("发布 Qwen", ref))  # a typed space stays the only gap
    assert "\u2009" not in plain(pieces("发布 Qwen", ref))


def test_hyphenated_words_stay_on_one_line():
    from authoring.web.text import pieces

    ref = lambda t: ("图表 1", "#fig-" + t)  # noqa: E731
    segs = pieces("基于DeepSeek-V3微调，对标o1-mini与“GPT-4o”。", ref)[0]["segs"]
    words = [s["nobreak"] for s in segs if isinstance(s, dict)]
    assert words == ["DeepSeek-V3", "o1-mini", "GPT-4o"]
    long = "https://example.com/a-very-long-path-that-may-break"
    assert pieces(long, ref)[0]["segs"] == [long]  # longer than a phone's line may hold


def test_only_safe_links_become_links():
    from authoring.web.text import pieces

    ref = lambda t: ("图表 1", "#fig-" + t)  # noqa: E731
    kinds = [p["kind"] for p in pieces("[a](javascript:alert(1)) [b](data:text/html,x) [c](https://e.com)", ref)]
    assert kinds.count("link") == 1


def test_email_edition(edition):
    report, _html, _doc, eml = edition
    html, plain, related = email_parts(eml)
    doc = parse(html)
    assert not list(doc.iter("style")) and not list(doc.iter("script"))
    caps = [text(p) for p in doc.iter("p") if re.match(r"图表 \d+：", text(p))]
    assert [_no_gaps(c) for c in caps] == [f"图表 {f.number}：{f.title}" for f in report.figure_list]
    for img in doc.iter("img"):
        src = img.get("src")
        assert src.startswith("cid:") and src[4:] in related
        assert img.get("alt").startswith("图表 ")
    for info in report.figure_list:
        assert info.source_line in _no_gaps(plain)
    assert report.disclaimer[0] in _no_gaps(plain)
    # styles are inline: every paragraph carries its own
    assert all("font-size:" in (p.get("style") or "") for p in doc.iter("p"))
    assert all("font-family:'Noto" in (p.get("style") or "") for p in doc.iter("p"))
    assert all("background:#" in (th.get("style") or "") for th in doc.iter("th"))


def test_a_broken_page_template_is_a_clean_error(tmp_path):
    import shutil

    from authoring.diagnostics import Failed

    root = tmp_path / "project"
    shutil.copytree(REPO / "styles", root / "styles")
    shutil.copytree(REPO / "entries", root / "entries")
    page = root / "styles" / "templates" / "web" / "page.html.j2"
    page.write_text(page.read_text(encoding="utf-8").replace("{{ title }}", "{{ titel }}", 1), encoding="utf-8")
    with pytest.raises(Failed) as exc:
        build_editions(root, "20250505", ["html"], out_dir=tmp_path / "out")
    d = exc.value.diagnostics[0]
    assert d.file.endswith("page.html.j2") and d.line > 0 and "titel" in d.message
    assert not (tmp_path / "out").exists()


def test_build_format_flag(project, authoring):
    import shutil

    shutil.copytree(REPO / "styles", project / "styles")
    done = authoring("build", "20250512", "--format", "html", cwd=project)
    assert done.returncode == 0, done.stderr
    page = project / "build" / "20250512" / "AI动态汇总_20250512.html"
    assert page.is_file() and not page.with_suffix(".pdf").exists()
    assert done.stdout.strip().splitlines()[-1].endswith("AI动态汇总_20250512.html")
    before = page.read_bytes()
    entry = project / "entries" / "20250512" / "01-qwen3.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("title: 通义千问发布", "titel: 通义千问发布"),
                     encoding="utf-8")
    bad = authoring("build", "20250512", "--format", "all", cwd=project)
    assert bad.returncode == 2 and "01-qwen3.yaml:" in bad.stderr and "Traceback" not in bad.stderr
    assert page.read_bytes() == before and not page.with_suffix(".eml").exists()
