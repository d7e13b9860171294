"""Entry text is data: hostile text in every text field of an entry prints as text.

The same entry is built twice, once with plain text and once with hostile text in every
field that holds text; the hostile page may hold no element, attribute or URL scheme that
the plain one does not (the templates wrote those), and the hostile strings are there, as
text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from authoring.web import build_editions

from conftest import MINIMAL_WEEK, REPO
from webpage import email_parts, local, parse, text

HOSTILE = ("<script>alert(1)</script><img src=x onerror=alert(2)>\"' onmouseover=\"alert(3)\" "
           "<a href='javascript:alert(4)'>x</a> [a](javascript:alert(5)) [b](data:text/html,<b>6</b>) "
           "<style>body{background:url(http://evil.example/x)}</style> &amp; ]]> <!-- c -->")
SAFE = "安全文本 Safe text"


def entry(t: str) -> dict:
    """An entry using every block and figure kind, `t` in every text field."""
    link = "https://example.com/\"><script>alert(7)</script>" if t == HOSTILE else "https://example.com/paper"
    return {
        "id": "qwen3", "section": "headlines", "title": t, "date": "2025-05-10", "summary": t,
        "body": [
            {"paragraph": f"{t} Qwen3-235B 见[官方]({'https://example.com/'}) [[t1]] [[c1]] [[d1]] [[d2]] [[q1]] [[p1]] [[t2]] [[i1]]"},
            {"bullets": [t, t]},
            {"numbered": [t]},
            {"terms": [{"term": t, "text": t}]},
            {"figure": {"kind": "table", "id": "t1", "title": t, "sources": [t], "note": t,
                        "header_groups": [{"title": t[:100], "span": 1}, {"title": t[:100], "span": 1}],
                        "columns": [{"title": t}, {"title": t, "align": "right"}],
                        "rows": [[t, t], [t, 1.5]], "notes": [t]}},
            {"figure": {"kind": "table", "id": "t2", "title": t, "sources": [t], "group_title": t,
                        "columns": [{"title": t}],
                        "groups": [{"title": t, "rows": [[t], [t]]}]}},
            {"figure_row": [
                {"kind": "chart", "id": "c1", "chart": "grouped_bar", "title": t, "sources": [t], "note": t,
                 "categories": [t, "B"], "series": [{"name": t, "values": [1, 2]}, {"name": "s", "values": [2, 1]}],
                 "x_label": t, "y_label": t, "unit": "<b>"},
                {"kind": "diagram", "id": "d1", "title": t, "sources": [t],
                 "steps": [{"title": t, "text": t}, {"title": t, "text": t}]}]},
            {"figure": {"kind": "diagram", "id": "d2", "title": t, "sources": [t],
                        "stages": [{"title": t, "steps": [{"title": t, "text": t}]}]}},
            {"figure": {"kind": "quote", "id": "q1", "title": t, "sources": [t], "author": t, "handle": t,
                        "platform": t, "date": "2025-05-09", "text": t, "translation": t}},
            {"figure": {"kind": "paper", "id": "p1", "title": t, "sources": [t], "paper_title": t,
                        "authors": [t, t], "affiliations": [t], "venue": t, "link": link, "abstract": t}},
            {"figure": {"kind": "image", "id": "i1", "title": t, "sources": [t], "note": t,
                        "file": "shot.png", "width": 0.5}},
        ],
    }


def build(project: Path, t: str, out: Path):
    from PIL import Image

    week = project / "entries" / MINIMAL_WEEK
    Image.new("RGB", (40, 20), "#0B6E4F").save(week / "shot.png")
    (week / "01-qwen3.yaml").write_text(yaml.safe_dump(entry(t), allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")
    data = yaml.safe_load((week / "week.yaml").read_text(encoding="utf-8"))
    data.update(headline=t, risk=t)
    (week / "week.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {r.format: r.path for r in build_editions(project, MINIMAL_WEEK, ["html", "email"], out_dir=out)}


def vocabulary(html: str):
    doc = parse(html)
    tags, attrs, schemes = set(), set(), set()
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue  # comments
        tags.add(local(el.tag))
        for name, value in el.attrib.items():
            attrs.add((local(el.tag), local(name)))
            if local(name) in ("href", "src", "action", "formaction", "srcset", "poster"):
                schemes.add(value.split(":", 1)[0] if ":" in value.split("/", 1)[0] else value[:1])
    return doc, tags, attrs, schemes


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = {}
    for name, t in (("safe", SAFE), ("hostile", HOSTILE)):
        base = tmp_path_factory.mktemp(name)
        project = base / "project"
        (project / "entries").mkdir(parents=True)
        for f in ("people.yaml", "catalogue.yaml"):
            shutil.copy2(REPO / "entries" / f, project / "entries" / f)
        shutil.copytree(REPO / "styles", project / "styles")
        from conftest import write_minimal_week

        write_minimal_week(project / "entries")
        out[name] = build(project, t, base / "out")
    return out


@pytest.mark.parametrize("fmt", ["html", "email"])
def test_hostile_text_adds_no_markup(pages, fmt):
    def html_of(name):
        path = pages[name][fmt]
        return path.read_text(encoding="utf-8") if fmt == "html" else email_parts(path)[0]

    _d, tags, attrs, schemes = vocabulary(html_of("safe"))
    doc, h_tags, h_attrs, h_schemes = vocabulary(html_of("hostile"))
    assert h_tags <= tags, h_tags - tags
    assert h_attrs <= attrs, h_attrs - attrs
    assert h_schemes <= schemes, h_schemes - schemes
    assert schemes <= {"#", "http", "https", "mailto", "data", "cid"}
    assert not list(doc.iter("script"))
    assert not any(local(n).startswith("on") for el in doc.iter() for n in el.attrib)
    if fmt == "html":
        assert len([s for s in doc.iter("style")]) == 1  # the template's own
    # the hostile text is printed as text, character for character (gaps aside)
    body = text(doc.find("body")).replace("\u2009", "")
    assert body.count("<script>alert(1)</script>") >= 20
    assert "onerror=alert(2)>" in body and "[a](javascript:alert(5))" in body


def test_hostile_link_stays_in_its_attribute(pages):
    doc = parse(pages["hostile"]["html"].read_text(encoding="utf-8"))
    hrefs = [a.get("href") for a in doc.iter("a")]
    assert "https://example.com/\"><script>alert(7)</script>" in hrefs
    assert not any(h.lower().startswith(("javascript:", "data:")) for h in hrefs)
