"""A chart drawn with matplotlib (Figure and the Agg canvas directly: no pyplot, no rcParams
changes, nothing shared between charts).

The figure is exactly ``width_pt`` x ``width_pt * fig.height`` points, so the font sizes
below are the sizes printed in the PDF.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..model.records import ChartFigure
from .labels import fmt_value, text_em, tick_labels, wrap_label

DPI = 300
#: Bumped whenever the drawing below changes, to invalidate cached PNGs.
STYLE_VERSION = "4"  # 2: text is never read as a $...$ formula; 3: RGB PNG, no alpha;
# 4: text at least `min_font`, rising/falling bars in the up/down colours

#: what `look` holds (theme.yaml's `chart`, its colours as #RRGGBB)
LOOK_KEYS = ("grid_color", "grid_width", "axis_color", "zero_line_width", "line_width", "marker_size",
             "bar_max_width", "bar_fill")


def _font(font_file: Path, font_index: int):
    from matplotlib import font_manager

    if font_index:
        if not hasattr(font_manager, "FontPath"):
            raise ValueError(f"{font_file}: face {font_index} of a collection needs matplotlib "
                             f">= 3.10 (pyproject.toml asks for it)")
        return font_manager.FontProperties(fname=font_manager.FontPath(str(font_file), font_index))
    return font_manager.FontProperties(fname=str(font_file))


def warm_up(font_file: Path, font_index: int) -> None:
    """Import what drawing a chart imports and open its face (authoring.background runs
    this in its worker while the main process is still reading the week)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator  # noqa: F401

    figure = Figure(figsize=(0.5, 0.5), dpi=DPI)
    figure.text(0, 0, "0", fontproperties=_font(font_file, font_index))
    FigureCanvasAgg(figure).draw()


def chart_bytes(fig: ChartFigure, colors: list[str], text_color: str, font_file: Path,
                font_index: int, width_pt: float, directions, min_font: float, look: dict,
                fmt: str = "png") -> bytes:
    """The chart as PNG (opaque RGB, 300 dpi) or SVG bytes."""
    import matplotlib

    # an analyst's '$' is a dollar sign, not the start of a mathtext formula
    with matplotlib.rc_context({"text.parse_math": False, "svg.fonttype": "path",
                                "svg.hashsalt": "authoring"}):
        return _draw_chart(fig, colors, text_color, font_file, font_index, width_pt, directions,
                           min_font, look, fmt)


def _draw_chart(fig: ChartFigure, colors: list[str], text_color: str, font_file: Path,
                font_index: int, width_pt: float, directions, min_font: float, look: dict,
                fmt: str = "png") -> bytes:
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fp = _font(font_file, font_index)
    small = width_pt < 320
    size_tick = min_font if small else min_font + 0.5
    size_label = min_font if small else min_font + 0.5
    size_value = min_font

    def props(size: float):
        p = fp.copy()
        p.set_size(size)
        return p

    w_in = width_pt / 72.0
    h_in = width_pt * fig.height / 72.0
    figure = Figure(figsize=(w_in, h_in), dpi=DPI, facecolor="white", layout="constrained")
    figure.get_layout_engine().set(w_pad=2 / 72, h_pad=2 / 72, wspace=0, hspace=0)
    canvas = FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    ax.set_facecolor("white")

    horizontal = fig.chart == "hbar"
    n_cat = len(fig.categories)
    n_ser = len(fig.series)
    unit = fig.unit or ""
    color = lambda i: colors[i % len(colors)]  # noqa: E731

    # ---- category labels: wrapped to their slot, rotated only when wrapping cannot fit
    pos = np.arange(n_cat, dtype=float)
    plot_w_pt = width_pt * 0.86
    if horizontal:
        max_em = max(5.0, 0.28 * width_pt / size_tick)
        wrapped = [wrap_label(c, max_em) for c in fig.categories]
        cat_labels = ["\n".join(w) for w in wrapped]
        rotate = 0
        label_col_pt = max(text_em(line) for w in wrapped for line in w) * size_tick + 8
        plot_w_pt = max(0.3 * width_pt, width_pt - label_col_pt - 8)
    else:
        per_cat_em = max(2.0, (plot_w_pt / n_cat) / size_tick - 0.6)
        wrapped = [wrap_label(c, per_cat_em) for c in fig.categories]
        fits = max(text_em(line) for w in wrapped for line in w) <= per_cat_em + 0.3
        if fits and max(len(w) for w in wrapped) <= 3:
            cat_labels, rotate = ["\n".join(w) for w in wrapped], 0
        else:  # too long even on three lines: rotate, one line each
            cat_labels, rotate = list(fig.categories), 35

    # ---- value labels: shown where there is room for them
    def label_text(v: float) -> str:
        return f"{fmt_value(v)}{unit}"

    all_vals = [v for s in fig.series for v in s.values if v is not None]
    label_em = max((text_em(label_text(v)) for v in all_vals), default=1.0)
    label_pt = label_em * size_value + 2
    slot_pt = (width_pt * fig.height * 0.8 if horizontal else plot_w_pt) / n_cat
    if fig.chart == "line":
        show_values = fig.value_labels and slot_pt >= label_pt * 1.05 and n_cat * n_ser <= 40
        rotate_values = False
    else:
        bars_per_slot = n_ser
        show_values = fig.value_labels
        # vertical bars: a label wider than its bar's share of the slot stands on end
        rotate_values = (not horizontal) and label_pt > 0.95 * slot_pt / bars_per_slot

    # ---- data extent (None = gap) and the value axis, with room for the labels
    vals = all_vals
    lo = min([0.0] + vals) if fig.chart != "line" else (min(vals) if vals else 0.0)
    hi = max([0.0] + vals) if fig.chart != "line" else (max(vals) if vals else 1.0)
    if fig.chart == "line" and vals:
        span = (hi - lo) or abs(hi) or 1.0
        # lines start at zero when the data are not far from it, as bars do
        if lo >= 0 and lo <= 0.5 * hi:
            lo = 0.0
        else:
            lo -= 0.06 * span
        hi += 0.04 * span
    if hi == lo:
        hi = lo + 1.0
    # what a value label needs along the value axis, in points
    if show_values:
        need_pt = (label_pt + 4) if (horizontal or rotate_values) else (size_value * 1.3 + 4)
    else:
        need_pt = 3.0

    def value_limits(axis_pt: float) -> tuple[float, float, list[float]]:
        """Limits leaving `need_pt` beyond the longest bars, and ticks inside them."""
        frac = min(0.35, need_pt / max(axis_pt, 1.0))
        p_top = frac if hi > 0 or fig.chart == "line" else 0.0
        p_bot = frac if lo < 0 else 0.0
        total = (hi - lo) / (1.0 - p_top - p_bot)
        vmin, vmax = lo - p_bot * total, hi + p_top * total
        eps = 1e-9 * (vmax - vmin)
        ticks = [float(t) for t in
                 MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(vmin, vmax)
                 if vmin - eps <= t <= vmax + eps]
        return vmin, vmax, ticks

    # first guess of the axis length; corrected below once the layout is known
    vmin, vmax, ticks = value_limits(plot_w_pt if horizontal else width_pt * fig.height * 0.7)

    # ---- the marks
    value_texts: list[tuple[float, float, str, int]] = []  # x, y, text, series
    if fig.chart in ("bar", "hbar", "grouped_bar"):
        # bars no wider than the theme's bar_max_width
        group = 0.62 if n_ser == 1 else min(0.84, 0.22 * n_ser + 0.3)
        bw = min(group / n_ser, look["bar_max_width"] / slot_pt)
        group = bw * n_ser
        for i, s in enumerate(fig.series):
            offs = pos - group / 2 + bw * (i + 0.5)
            idx = [k for k, v in enumerate(s.values) if v is not None]
            heights = [s.values[k] for k in idx]
            at = [offs[k] for k in idx]
            fill = color(i)
            if directions and n_ser == 1 and any(v < 0 for v in heights):
                fill = [directions[0] if v >= 0 else directions[1] for v in heights]  # a change
            if horizontal:
                ax.barh(at, heights, height=bw * look["bar_fill"], color=fill, label=s.name, zorder=3)
            else:
                ax.bar(at, heights, width=bw * look["bar_fill"], color=fill, label=s.name, zorder=3)
            for x, v in zip(at, heights):
                value_texts.append((x, v, label_text(v), i))
    else:  # line
        many = n_cat > 12
        for i, s in enumerate(fig.series):
            y = np.array([np.nan if v is None else v for v in s.values], dtype=float)
            ax.plot(pos, y, color=color(i), linewidth=look["line_width"], label=s.name, zorder=3,
                    marker="o" if not many else None, markersize=look["marker_size"],
                    markeredgewidth=0, solid_capstyle="round")
            # a point between two gaps would be invisible without a marker
            if many:
                lone = [k for k in range(n_cat) if not np.isnan(y[k])
                        and (k == 0 or np.isnan(y[k - 1])) and (k == n_cat - 1 or np.isnan(y[k + 1]))]
                if lone:
                    ax.plot(pos[lone], y[lone], "o", color=color(i), markersize=look["marker_size"],
                            markeredgewidth=0, zorder=3)
            for k, v in enumerate(s.values):
                if v is not None:
                    value_texts.append((pos[k], v, label_text(v), i))

    if show_values:
        vp = props(size_value)
        for x, v, text, i in value_texts:
            neg = v < 0
            if horizontal:
                ax.annotate(text, (v, x), xytext=(-3 if neg else 3, 0), textcoords="offset points",
                            ha="right" if neg else "left", va="center", fontproperties=vp,
                            color=text_color, zorder=4, annotation_clip=False)
            else:
                ax.annotate(text, (x, v), xytext=(0, -3 if neg else 3), textcoords="offset points",
                            ha="center", va="top" if neg else "bottom", fontproperties=vp,
                            color=color(i) if fig.chart == "line" and n_ser > 1 else text_color,
                            rotation=90 if rotate_values else 0, zorder=4, annotation_clip=False)

    # ---- axes, ticks, grid
    tp = props(size_tick)
    lp = props(size_label)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)

    def set_value_axis(vmin: float, vmax: float, ticks: list[float]) -> None:
        labels = tick_labels(ticks)
        if horizontal:
            ax.set_xlim(vmin, vmax)
            ax.set_xticks(ticks, labels, fontproperties=tp, color=text_color)
        else:
            ax.set_ylim(vmin, vmax)
            ax.set_yticks(ticks, labels, fontproperties=tp, color=text_color)

    set_value_axis(vmin, vmax, ticks)
    # with negative values the zero line is the axis
    if horizontal:
        ax.spines["left"].set_color(look["axis_color"])
        ax.spines["left"].set_visible(lo >= 0)
        ax.spines["bottom"].set_visible(False)
        ax.set_yticks(pos, cat_labels, fontproperties=tp, color=text_color)
        ax.set_ylim(n_cat - 0.5, -0.5)  # first category on top
        ax.xaxis.grid(True, color=look["grid_color"], linewidth=look["grid_width"], zorder=0)
        ax.tick_params(axis="x", length=0, pad=3)
        ax.tick_params(axis="y", length=0, pad=4)
    else:
        ax.spines["bottom"].set_color(look["axis_color"])
        ax.spines["bottom"].set_visible(lo >= 0)
        ax.spines["left"].set_visible(False)
        ax.set_xticks(pos, cat_labels, fontproperties=tp, color=text_color,
                      rotation=rotate, ha="right" if rotate else "center",
                      rotation_mode="anchor" if rotate else "default")
        ax.set_xlim(-0.5, n_cat - 0.5)
        ax.yaxis.grid(True, color=look["grid_color"], linewidth=look["grid_width"], zorder=0)
        ax.tick_params(axis="y", length=0, pad=3)
        ax.tick_params(axis="x", length=0, pad=4)
    ax.set_axisbelow(True)
    if lo < 0:
        (ax.axvline if horizontal else ax.axhline)(0, color=look["axis_color"], linewidth=look["zero_line_width"], zorder=2)

    if fig.x_label:
        ax.set_xlabel(fig.x_label, fontproperties=lp, color=text_color, labelpad=4)
    if fig.y_label:
        ax.set_ylabel(fig.y_label, fontproperties=lp, color=text_color, labelpad=4)

    if n_ser > 1:
        ncols = n_ser if sum(text_em(s.name) + 3 for s in fig.series) * size_label < plot_w_pt \
            else max(1, min(4, n_ser // 2 + n_ser % 2))
        leg = ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.02), ncols=ncols, frameon=False,
                        prop=props(size_label), handlelength=1.4 if fig.chart != "line" else 2.0,
                        handleheight=0.8, columnspacing=1.4, borderaxespad=0, borderpad=0)
        for t in leg.get_texts():
            t.set_color(text_color)

    # the layout is known now: redo the value axis for the real axis length
    figure.draw_without_rendering()
    box = ax.get_window_extent()
    axis_pt = (box.width if horizontal else box.height) * 72.0 / DPI
    set_value_axis(*value_limits(axis_pt))

    if fmt == "svg":  # no date, fixed ids: the same chart gives the same text
        buf = io.BytesIO()
        figure.savefig(buf, format="svg", metadata={"Date": None})
        return buf.getvalue()
    # an opaque RGB PNG (no alpha channel): the layout embeds its pixel data as it is
    canvas.draw()
    from PIL import Image

    rgba = canvas.buffer_rgba()
    buf = io.BytesIO()
    Image.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), rgba, "raw", "RGBA", 0, 1) \
        .convert("RGB").save(buf, format="PNG", dpi=(DPI, DPI))
    return buf.getvalue()
