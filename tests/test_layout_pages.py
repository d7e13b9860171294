"""Page layout measured on the PDFs: floating figures, page fill, wide and long tables,
the cover's fit.

Both seed weeks, and tests/weeks/20250519 (a 12-column and a 20-row table of the Qwen3
release's published scores), are built once per module.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest

from authoring.build import build_week
from authoring.diagnostics import Failed

REPO = Path(__file__).resolve().parent.parent
TEST_WEEKS = Path(__file__).resolve().parent / "weeks"
SEEDS = ("20250505", "20250310")
TOP, BOTTOM = 72, 62  # the theme's body frame margins (points)
REF = re.compile(r"图表\s*(\d+)(?!\d)(?!\s*：)")
CAPTION = re.compile(r"图表\s*(\d+)：")  # (two captions share a line in a figure_row)


def _rows(page) -> list[tuple[float, str]]:
    """(top, text without spaces) of each text line inside the body frame."""
    rows: dict[int, list] = {}
    for ch in page.chars:
        if TOP - 4 < ch["top"] < page.height - BOTTOM:
            rows.setdefault(round(ch["top"] / 2), []).append(ch)
    out = []
    for _k, chars in sorted(rows.items()):
        chars.sort(key=lambda c: c["x0"])
        out.append((min(c["top"] for c in chars), re.sub(r"\s+", "", "".join(c["text"] for c in chars))))
    return out


def _empty_fraction(page) -> float:
    """How much of the body frame below the lowest text, image or rule is empty."""
    frame_bottom = page.height - BOTTOM
    bottoms = [c["bottom"] for c in page.chars if TOP - 4 < c["top"] < frame_bottom]
    bottoms += [o["bottom"] for o in page.images + page.rects + page.lines
                if TOP - 4 < o["top"] < frame_bottom]
    lowest = max(bottoms, default=TOP)
    return (frame_bottom - lowest) / (frame_bottom - TOP)


def _build(root: Path, week: str, tmp: Path):
    result = build_week(root, week, out_dir=tmp)
    with pdfplumber.open(result.pdf) as pdf:
        pages = [(_rows(p), _empty_fraction(p)) for p in pdf.pages]
    return result, pages


@pytest.fixture(scope="module", params=SEEDS)
def seed(request, seed_weeks):
    week = request.param
    return week, seed_weeks.build(week), [(_rows(p), _empty_fraction(p)) for p in seed_weeks.pages(week)]


def _project_with(tmp: Path, week_dir: Path) -> Path:
    root = tmp / "project"
    for d in ("entries", "styles"):
        shutil.copytree(REPO / d, root / d)
    shutil.copytree(week_dir, root / "entries" / week_dir.name)
    return root


@pytest.fixture(scope="module")
def tables_week(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tables")
    root = _project_with(tmp, TEST_WEEKS / "20250519")
    return _build(root, "20250519", tmp / "out")


def test_no_body_page_ends_more_than_a_quarter_empty(seed):
    week, _result, pages = seed
    # the cover, 目录, 图表目录 and the last page may end early
    holes = [(i + 1, f"{empty:.0%}") for i, (_rows, empty) in enumerate(pages)
             if 3 <= i < len(pages) - 1 and empty > 0.25]
    assert not holes, f"{week}: pages ending more than 25% empty: {holes}"


def test_figures_on_or_after_their_first_reference_in_order(seed):
    week, result, pages = seed
    caption_page: dict[int, int] = {}
    first_ref: dict[int, int] = {}
    order = []
    for number, (rows, _empty) in enumerate(pages[3:], start=4):
        for _top, text in rows:
            found = [int(m.group(1)) for m in CAPTION.finditer(text)] if CAPTION.match(text) else []
            for n in found:
                caption_page[n] = number
                order.append(n)
            if found:
                continue
            for r in REF.finditer(text):
                first_ref.setdefault(int(r.group(1)), number)
    assert order == list(range(1, result.figures + 1))
    early = {n: (caption_page[n], first_ref[n]) for n in caption_page
             if n in first_ref and caption_page[n] < first_ref[n]}
    assert not early, f"{week}: figures before the page of their first reference: {early}"
    unreferenced = set(caption_page) - set(first_ref)
    assert not unreferenced, f"{week}: figures no text refers to: {sorted(unreferenced)}"


def test_back_matter_follows_risk_on_its_page(seed):
    week, _result, pages = seed
    texts = ["".join(t for _top, t in rows) for rows, _e in pages]
    risk = next(i for i, t in enumerate(texts) if i >= 3 and "5风险提示" in t)
    if "投资评级说明" not in texts[risk]:  # no room left: then it opens the next page
        assert pages[risk + 1][0][0][1].endswith("投资评级说明"), f"{week}: page {risk + 2}"
        assert pages[risk][1] < 0.5, f"{week}: 投资评级说明 did not take the room left after 风险提示"


LONG_NAMES = ["Qwen3-235B-A22B", "OpenAI-o12024-12-17", "OpenAI-o3-miniMedium", "Qwen2.5-72B-Instruct",
              "GPT-4o2024-11-20", "Gemini2.5-Pro", "DeepSeek-R1"]


def test_long_table_repeats_its_header_and_keeps_names_whole(tables_week):
    _result, pages = tables_week
    cap = next(i for i, (rows, _e) in enumerate(pages) if i >= 3 and any("图表2：" in t for _top, t in rows))
    first, second = pages[cap][0], pages[cap + 1][0]
    header = "模型基准得分"
    assert any(t == header for _top, t in first), "no header on the table's first page"
    assert any(t == header for _top, t in second), "the header is not repeated on the continuation page"
    lines = [t for _top, t in first + second]
    for name in LONG_NAMES:
        assert any(t.startswith(name) for t in lines), f"{name} is not whole on one line"
    rows = [t for t in lines if re.match(r"^(Qwen|QwQ|OpenAI|DeepSeek|Gemini|GPT)\S*(ArenaHard|AIME'24)[\d.]+$", t)]
    assert len(rows) == 20


def test_wide_table_fits_without_breaking_names(tables_week):
    result, pages = tables_week
    assert not result.warnings
    rows, _e = next(p for p in pages[3:] if any(t.startswith("图表1：") for _top, t in p[0]))
    lines = [t for _top, t in rows]
    start = next(i for i, t in enumerate(lines) if t.startswith("图表1："))
    table = lines[start + 1: next(i for i, t in enumerate(lines) if t.startswith("注："))]
    for label, first in (("ArenaHard", "95.6"), ("AIME'24", "85.7"), ("AIME'25", "81.5")):
        assert any(t.startswith(label + first) for t in table), (label, table)
    assert any(t.startswith("ArenaHard95.693.892.193.2–96.4") for t in table), "missing value is not an en dash"
    assert all(len(t) > 1 for t in table), f"a one-character line in the table: {table}"
    # the title lines break only after a hyphen or between words, never inside a name part
    head = "".join(table[: next(i for i, t in enumerate(table) if t.startswith("ArenaHard"))])
    for part in ("Qwen3-", "235B-", "A22B", "Qwen2.5-", "Instruct", "Medium", "Think"):
        assert part in head, (part, head)


def _six_points(tmp: Path) -> Path:
    root = tmp / "project"
    for d in ("entries", "styles"):
        shutil.copytree(REPO / d, root / d)
    week = root / "entries" / "20250505"
    text = (week / "week.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^key_points: .*$", "key_points: [qwen3, deepseek-prover-v2, grok-3-5, mimo-7b, "
                  "nova-premier, reasonir-8b]", text, flags=re.M)
    (week / "week.yaml").write_text(text, encoding="utf-8")
    # summaries restating each entry's own first paragraph (facts of the 20250505 report)
    for name, summary in (
            ("05-nova-premier.yaml", "5月3日，亚马逊正式推出 Amazon Nova Premier，这是 Nova 系列中能力最强的"
                                     "模型，面向复杂任务，也可在模型蒸馏中充当教师模型，已在 Amazon Bedrock 上线。"),
            ("06-reasonir-8b.yaml", "Meta AI 推出专为推理密集型检索打造的 ReasonIR-8B 模型，检索精度更高，"
                                    "成本与效率上也有优势，适合在实际场景中落地应用。")):
        f = week / name
        lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
        at = next(i for i, line in enumerate(lines) if line.startswith("date:"))
        lines.insert(at + 1, f"summary: {summary}\n")
        f.write_text("".join(lines), encoding="utf-8")
    return root


def test_six_key_points_fail_at_key_points_with_how_much(tmp_path):
    root = _six_points(tmp_path)
    with pytest.raises(Failed) as err:
        build_week(root, "20250505", out_dir=tmp_path / "out")
    [d] = err.value.diagnostics
    week_yaml = (root / "entries" / "20250505" / "week.yaml").read_text(encoding="utf-8").splitlines()
    assert week_yaml[d.line - 1].startswith("key_points:")
    assert d.file.endswith("week.yaml")
    assert re.search(r"\d+ pt \(about \d+ lines?\) longer than the cover", d.message), d.message
    assert "summary" in d.message and "fewer key points" in d.message
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_four_key_points_fit(seed):
    _week, _result, pages = seed
    cover = "".join(t for _top, t in pages[0][0])
    assert cover.count("●") == 5 and "风险提示：" in cover
    assert len(pages) > 3 and "目录" in "".join(t for _top, t in pages[1][0])


def test_recent_report_dates_never_start_a_line(seed):
    _week, _result, pages = seed
    lines = [t for _top, t in pages[0][0]]
    assert not [t for t in lines if re.match(r"^-?\d{4}\.\d{2}\.\d{2}$", t) or t.startswith("-20")], lines


def test_landscape_table_on_a_turned_page_of_its_own(tmp_path):
    root = _project_with(tmp_path, TEST_WEEKS / "20250519")
    entry = root / "entries" / "20250519" / "01-qwen3-wide.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace(
        "      id: qwen3-wide-table\n", "      id: qwen3-wide-table\n      landscape: true\n"), encoding="utf-8")
    result = build_week(root, "20250519", out_dir=tmp_path / "out")
    with pdfplumber.open(result.pdf) as pdf:
        turned = [i + 1 for i, p in enumerate(pdf.pages)
                  if any(not c["upright"] for c in p.chars if TOP - 4 < c["top"] < p.height - BOTTOM)]
        assert len(turned) == 1, turned
        page = pdf.pages[turned[0] - 1]
        body = [c for c in page.chars if TOP - 4 < c["top"] < page.height - BOTTOM]
        assert body and all(not c["upright"] for c in body), "the turned page holds other text"
        text = "".join(c["text"] for c in body)
        assert "Qwen2.5-" in text and "Instruct" in text
    assert not result.warnings


def test_validate_also_fails_on_six_key_points(tmp_path):
    from conftest import run_authoring

    root = _six_points(tmp_path)
    done = run_authoring("validate", "entries/20250505", cwd=root)
    assert done.returncode == 2, done.stderr
    assert re.search(r"entries/20250505/week\.yaml:\d+:\d+: key_points: .* longer than the cover", done.stderr)
    assert "Traceback" not in done.stderr
