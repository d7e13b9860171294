"""Inline markup: **bold**, [label](url), [[figure-id]]; everything else is literal."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.model.inline import Bold, Link, Ref, Text, parse, plain, refs


def test_bold():
    assert parse("**Qwen3** 发布") == (Bold((Text("Qwen3"),)), Text(" 发布"))


def test_link():
    assert parse("见[官网](https://qwenlm.github.io/blog/qwen3/)。") == (
        Text("见"), Link("官网", "https://qwenlm.github.io/blog/qwen3/"), Text("。"))
    assert parse("[邮件](mailto:xiaochengzhi@cnpsec.com)") == (
        Link("邮件", "mailto:xiaochengzhi@cnpsec.com"),)


def test_reference():
    assert parse("结果见 [[qwen3-bench]]。") == (Text("结果见 "), Ref("qwen3-bench"), Text("。"))
    assert refs("见 [[a-1]] 与 [[b2]]") == ["a-1", "b2"]


def test_markup_nests_inside_bold():
    assert parse("**见 [[qwen3-bench]] 与 [论文](https://arxiv.org/abs/2505.09388)**") == (
        Bold((Text("见 "), Ref("qwen3-bench"), Text(" 与 "),
              Link("论文", "https://arxiv.org/abs/2505.09388"))),)
    assert refs("**见 [[qwen3-bench]]**") == ["qwen3-bench"]


@pytest.mark.parametrize("text", [
    "<", ">", "&", "*", "_", "\\", "a<b", "a>b", "R&D", "AT&T", "&amp;", "&lt;", "&#60;", "&nbsp;",
    "<font>", "<font color='red'>红</font>", "<think>推理</think>", "<b>粗</b>", "<br/>", "<para>",
    "</para>", "<img src=x>", "<![CDATA[x]]>", "<!-- x -->",
    "2*3*4", "*斜体*", "_斜体_", "__init__", "snake_case_name", "a_b_c", "f(x) = x_1 * x_2",
    "**unbalanced", "unbalanced**", "a ** b", "****", "***", "[", "]", "[not a link", "[label]",
    "[label](not a url)", "[x](javascript:alert(1))", "[x](ftp://host/file)", "[[", "]]", "[[x]",
    "[[Bad Id]]", "[[UPPER]]", "[[ spaced ]]", "[]()", "()",
    "{{ name }}", "{% if x %}y{% endif %}", "${HOME}", "%s %d", "`code`", "# not a heading",
    "C:\\data\\new", "\\n", "\\t", "end\\", "a\\b", "50%", "100%+", "~/x", "|a|b|",
    "GPT-4.5 < o3 & R1 > V3", "x<y && y>z", "<<<>>>", "&&&", "Qwen3-235B-A22B", "MiMo-7B-RL",
])
def test_everything_else_is_literal(text):
    items = parse(text)
    assert all(isinstance(i, Text) for i in items), items
    assert plain(items) == text
    assert refs(text) == []


@pytest.mark.parametrize("text,shown", [
    ("\\*\\*not bold\\*\\*", "**not bold**"),
    ("\\[[not-a-ref]]", "[[not-a-ref]]"),
    ("\\[label](https://x.y)", "[label](https://x.y)"),
    ("a \\\\ b", "a \\ b"),
])
def test_backslash_makes_markup_literal(text, shown):
    items = parse(text)
    assert all(isinstance(i, Text) for i in items), items
    assert plain(items) == shown


def test_markup_characters_next_to_real_markup_stay_literal():
    assert parse("<b>**粗体**</b> & R&D") == (
        Text("<b>"), Bold((Text("粗体"),)), Text("</b> & R&D"))
    assert parse("a<b **x<y** c&d") == (Text("a<b "), Bold((Text("x<y"),)), Text(" c&d"))


def test_link_label_and_url_keep_special_characters():
    (link,) = parse("[R&D <报告>](https://example.com/a?x=1&y=2)")
    assert link == Link("R&D <报告>", "https://example.com/a?x=1&y=2")


def test_reference_label_function_is_used_by_plain():
    assert plain(parse("见 [[fig-a]]"), lambda t: f"图表 {len(t)}") == "见 图表 5"


# ------------------------------------------------------------ properties

@settings(max_examples=500, deadline=None)
@given(st.text())
def test_parse_never_fails(text):
    items = parse(text)
    assert len(plain(items, lambda t: "[[" + t + "]]")) <= len(text)
    for target in refs(text):
        assert f"[[{target}]]" in text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="*[\\")))
def test_text_without_markup_characters_is_kept_exactly(text):
    assert plain(parse(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="*[]\\", blacklist_categories=("Cs",)),
               min_size=1))
def test_bold_round_trip(inner):
    assert parse(f"**{inner}**") == (Bold((Text(inner),)),)
