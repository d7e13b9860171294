"""authoring.charts: ChartFigure -> deterministic 300 dpi PNG in the cache."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from PIL import Image

from authoring.fonts import find
from authoring.charts import chart_look, render_chart, wrap_label
from authoring.validate.styles import load_styles
from authoring.model.entries import ChartFigure

COLORS = ["#0B6E4F", "#C8102E", "#E0A526", "#3B7DD8"]
TEXT = "#1A1A1A"
LOOK = chart_look(load_styles(Path(__file__).resolve().parent.parent / "styles"))


@pytest.fixture(scope="module")
def font() -> tuple[Path, int]:
    """The sans face straight from its collection (index > 0 for Noto CJK .ttc)."""
    return find.find_font(["Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC"], "regular")


def chart(**kw) -> ChartFigure:
    base = dict(kind="chart", id="c", title="测试图表", sources=["测试"], chart="bar",
                categories=["星火X1", "DeepSeek R1"],
                series=[{"name": "参数量", "values": [70, 671]}], y_label="参数量（B）", unit="B")
    base.update(kw)
    return ChartFigure(**base)


def draw(fig, font, cache: Path, width: float = 470.0, **kw) -> Path:
    return render_chart(fig, kw.get("colors", COLORS), TEXT, font[0], font[1], width, cache, None, 8.0, LOOK)


@pytest.mark.parametrize("width", [470.0, 229.5])
def test_png_size_and_dpi(tmp_path, font, width):
    fig = chart(height=0.45)
    out = draw(fig, font, tmp_path, width)
    assert out.is_file() and out.parent == tmp_path / "charts" and out.suffix == ".png"
    with Image.open(out) as im:
        assert [round(d) for d in im.info["dpi"]] == [300, 300]
        assert im.mode == "RGB"  # opaque: the layout embeds the PNG's data as it is
        w, h = im.size
    from authoring.layout.pngimage import passthrough_stream

    assert passthrough_stream(out.read_bytes()) is not None
    assert abs(w - width / 72 * 300) <= 1
    assert abs(h - width * 0.45 / 72 * 300) <= 1


def test_same_input_same_bytes(tmp_path, font):
    a = draw(chart(), font, tmp_path / "a")
    b = draw(chart(), font, tmp_path / "b")
    assert a.name == b.name
    assert a.read_bytes() == b.read_bytes()
    assert b"matplotlib" not in a.read_bytes()  # no Software/version metadata


def test_cache_hit_does_not_redraw(tmp_path, font):
    first = draw(chart(), font, tmp_path)
    mtime = first.stat().st_mtime_ns
    again = draw(chart(), font, tmp_path)
    assert again == first and again.stat().st_mtime_ns == mtime
    # caption and sources are not drawn: changing them keeps the picture
    assert draw(chart(title="另一个标题", sources=["别处"]), font, tmp_path) == first
    assert sorted(p.name for p in (tmp_path / "charts").iterdir()) == [first.name]


def test_changed_input_gives_another_file(tmp_path, font):
    first = draw(chart(), font, tmp_path)
    changed = draw(chart(series=[{"name": "参数量", "values": [70, 672]}]), font, tmp_path)
    assert changed != first and changed.read_bytes() != first.read_bytes()
    assert draw(chart(), font, tmp_path, width=300) != first
    assert draw(chart(), font, tmp_path, colors=["#000000"]) != first


KINDS = {
    "bar": dict(chart="bar"),
    "hbar": dict(chart="hbar", categories=["Gemini 2.5 Pro Experimental", "通义千问 Qwen3-235B-A22B 混合推理模型", "DeepSeek-R1"],
                 series=[{"name": "得分", "values": [1439, None, -12.5]}], unit="分", x_label="Arena 得分"),
    "grouped_bar": dict(chart="grouped_bar", categories=["ICML", "NeurIPS", "ICLR"],
                        series=[{"name": "基于参考的评估", "values": [3.72, 3.83, 3.68]},
                                {"name": "无参考评估", "values": [4.73, None, 4.73]}],
                        unit="", y_label="平均正确性得分"),
    "line": dict(chart="line", categories=[f"2025年{m}月" for m in range(1, 13)],
                 series=[{"name": "月活", "values": [1.2, 1.5, None, 2.4, 3.1, 3.3, 4.0, None, 4.4, 5.1, 5.6, 6.2]},
                         {"name": "日活", "values": [0.3, 0.4, 0.5, 0.7, 0.9, 1.0, 1.2, 1.4, 1.5, 1.6, 1.9, 2.0]}],
                 unit="亿", y_label="用户数（亿）"),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("width", [470.0, 229.5])
def test_every_kind_draws_with_the_cjk_font(tmp_path, font, kind, width):
    import matplotlib

    rc_before = dict(matplotlib.rcParams)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = draw(chart(**KINDS[kind]), font, tmp_path, width)
    glyph_warnings = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert glyph_warnings == []
    assert dict(matplotlib.rcParams) == rc_before  # no global state touched
    with Image.open(out) as im:
        rgb = im.convert("RGB")
        colours = {c for _, c in rgb.getcolors(maxcolors=1 << 20)}
    # the first brand colour is used for the first series
    assert (0x0B, 0x6E, 0x4F) in colours


def test_wrap_label():
    assert wrap_label("2025年1月", 4) == ["2025年", "1月"]
    assert wrap_label("短标签", 10) == ["短标签"]
    lines = wrap_label("强化学习训练阶段的整体吞吐", 11)
    assert len(lines) == 2 and min(len(x) for x in lines) >= 5  # balanced, no orphan
    assert wrap_label("Claude 3.7 Sonnet (thinking)", 9) == ["Claude 3.7", "Sonnet (thinking)"]


def test_unused_charts_are_pruned_when_a_new_one_is_drawn(tmp_path, font):
    import os

    from authoring.cache.store import UNUSED_DAYS, Store

    old = draw(chart(height=0.45), font, tmp_path, 470.0)
    kept = draw(chart(height=0.5), font, tmp_path, 470.0)
    long_ago = old.stat().st_mtime - (UNUSED_DAYS + 1) * 86400
    for p in (old, kept):
        os.utime(p, (long_ago, long_ago))
    assert draw(chart(height=0.5), font, tmp_path, 470.0) == kept  # in use: marked
    # a process prunes a store's folder once, on its first write: here, the charts' store
    # pruned as it wrote the first chart, so it is asked again
    assert Store(old.parent, ".png", "any").prune() == [old]
    assert kept.exists() and not old.exists()


UP, DOWN = "#C8102E", "#0B6E4F"


def _has(im, hexcolor: str) -> bool:
    want = tuple(int(hexcolor[i:i + 2], 16) for i in (1, 3, 5))
    return any(c == want for _n, c in im.getcolors(1 << 20))


def test_rising_and_falling_bars_take_red_up_and_green_down(tmp_path, font):
    """Red is up and green is down for Chinese readers; other series use the neutral
    palette (styles/theme.yaml has no red or green in `chart`)."""
    neutral = ["#2E4A62", "#D9A441"]
    change = chart(categories=["一月", "二月", "三月"], series=[{"name": "变化", "values": [3, -2, 1]}],
                   unit="%")
    out = render_chart(change, neutral, TEXT, font[0], font[1], 470, tmp_path, (UP, DOWN), 8.0, LOOK)
    with Image.open(out) as im:
        assert _has(im, UP) and _has(im, DOWN) and not _has(im, neutral[0])
    plain = render_chart(chart(), neutral, TEXT, font[0], font[1], 470, tmp_path, (UP, DOWN), 8.0, LOOK)
    with Image.open(plain) as im:
        assert _has(im, neutral[0]) and not _has(im, UP) and not _has(im, DOWN)


def test_theme_chart_palette_is_neutral():
    import yaml

    theme = yaml.safe_load((Path(__file__).resolve().parent.parent / "styles" / "theme.yaml")
                           .read_text(encoding="utf-8"))
    colors = theme["colors"]
    assert colors["chart_up"] not in colors["chart"] and colors["chart_down"] not in colors["chart"]
    assert colors["brand"] not in colors["chart"]  # the brand's green would read as "falling"


def test_a_cut_svg_in_the_cache_is_drawn_again(tmp_path, font):
    from authoring.charts import render_chart_svg

    args = (chart(height=0.45), COLORS, TEXT, font[0], font[1], 470.0, tmp_path, None, 8.0, LOOK)
    first = render_chart_svg(*args)
    (kept,) = (tmp_path / "charts").glob("*.svg")
    assert kept.read_text(encoding="utf-8") == first and render_chart_svg(*args) == first
    kept.write_bytes(kept.read_bytes()[: len(first) // 2])
    assert render_chart_svg(*args) == first and kept.read_text(encoding="utf-8") == first
