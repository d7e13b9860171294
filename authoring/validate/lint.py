"""Editorial checks on a valid week: `authoring lint [WEEK]`.

Validation (`authoring validate`) decides whether a week *can* be built; lint
points at what a reviewer would otherwise mark in red on the PDF.  Every
finding is a warning `file:line:col: warning: message` at the text it is
about.  The checks:

dates
    An entry's `date` outside the report's window: the 14 days ending on the
    week's publication `date` (date - 13 days .. date).  The report comes out
    weekly or fortnightly, so two weeks is the widest honest window; a later
    date is always wrong.
figures
    A figure whose `sources` name no source (a placeholder such as "-",
    "待补充", "TODO", or only the institute, which is appended anyway), and a
    figure that no text of the week refers to with [[figure-id]].
doubled characters
    The same Chinese character twice in a row ("将将于"), except reduplicated
    words (常常, 渐渐, 纷纷 ...), AABB forms (清清楚楚), the idioms listed in
    DOUBLE_IDIOMS, and two words that meet on one character (规模|模型,
    项目|目前): unless the character is a function word such as 将 or 的, a
    doubling is reported only when BudouX's phrase segmenter leaves both
    characters standing alone.  `doubles_allowed` in styles/names.yaml adds
    words.  A doubling inside one word ("模型型") is not found: no dictionary.
half-width punctuation
    , . ; : ! ? ( ) between two Chinese characters ("中文,中文"); the report
    uses full-width ，。；：！？（）.
names
    A wrong spelling from styles/names.yaml as a whole word, ignoring case
    ("Openai" -> OpenAI, "Imarena" -> LMArena).
sizes
    A model size in billions next to 亿 with the wrong factor: "6B" and "6亿"
    in the same text or table row (6B is 60亿).  Flagged when an M亿 sits in
    a text or row with an NB where N = M and no NB with N x 10 = M, and in a
    table row whose only NB and only M亿 disagree (N x 10 != M).  Sums of money
    (亿元, 亿美元 ...) are not sizes and are skipped.
风险提示
    `risk:` written without text, a risk text with no words in it, and a
    report whose 风险提示 would print empty (no week text and an empty
    `default_risk` in styles/brand.yaml).

Text means every string of week.yaml and the entries except ids, keys, file
names and links; link targets and [[references]] inside text are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..model import entries as models, inline
from ..diagnostics import Diagnostic, Failed, display_path
from ..model.entries import figures_with_paths
from ..source.paths import dotted, strings
from .week import WeekSources, validate_week
from ..source.load import Source, load

WINDOW_DAYS = 14

#: Fields whose strings are identifiers, not prose.
NOT_PROSE = {"id", "section", "key", "file", "link", "kind", "chart", "align", "direction",
             "key_points", "authors", "series", "report_type", "week", "date"}

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_CHAR = re.compile(f"[{HAN}]")
_DOUBLE = re.compile(f"([{HAN}])\\1")
_HALF_PUNCT = re.compile(f"(?<=[{HAN}]) ?([,.;:!?()]) ?(?=[{HAN}])")
FULL_WIDTH = {",": "，", ".": "。", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_BILLIONS = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)B(?![A-Za-z0-9])")
_YI = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?) ?亿(?!元|美元|美金|人民币|港元|港币|欧元|日元|英镑|韩元)")
_URL = re.compile(r"(?:https?://|mailto:|www\.)\S+")
_WORDY = re.compile(f"[{HAN}A-Za-z0-9]")

#: Reduplicated words that are correct Chinese, not typing slips.
DOUBLES_ALLOWED = set("""
常常 渐渐 天天 人人 个个 刚刚 仅仅 往往 纷纷 慢慢 好好 多多 看看 试试 谢谢 星星 妈妈 爸爸 哥哥
姐姐 弟弟 妹妹 爷爷 奶奶 叔叔 姑姑 舅舅 宝宝 娃娃 太太 步步 层层 处处 时时 年年 月月 日日 家家
事事 样样 种种 项项 条条 件件 句句 字字 点点 微微 稍稍 略略 默默 悄悄 静静 轻轻 深深 紧紧 牢牢
满满 大大 小小 高高 远远 早早 久久 匆匆 频频 屡屡 连连 次次 回回 代代 节节 级级 环环 道道 片片
段段 声声 重重 每每 一一 统统 通通 恰恰 偏偏 明明 白白 整整 足足 区区 堂堂 暗暗 隐隐 缓缓 徐徐
细细 稳稳 苦苦 生生 活活 万万 千千 等等 想想 说说 聊聊 谈谈 讲讲 问问 走走 听听 算算 练练 学学
玩玩 做做 写写 读读 尝尝 动动 哈哈 嘻嘻 呵呵 洋洋 乎乎 油油 晶晶 甸甸 腾腾 糟糟 冰冰 茫茫 灿灿
彤彤 吞吞 睁睁 呼呼 眯眯 荡荡 零零 秃秃 漉漉 茸茸 绵绵 滚滚 闪闪 蒙蒙 沉沉 飘飘 勃勃 翼翼 切切
津津 济济 栩栩 熠熠 耿耿 赫赫 谆谆 娓娓 姗姗 侃侃 孜孜 冉冉 皑皑 袅袅 莘莘 芸芸 碌碌 惶惶 忡忡
眈眈 凛凛 楚楚 咄咄 振振 岌岌 寥寥 蒸蒸 欣欣 息息 井井 源源 滔滔 循循 彬彬 落落 亭亭 面面 头头
心心 念念 格格 跃跃 比比 草草 喋喋 虎虎 历历 泱泱 浩浩 恋恋 依依 奄奄 惺惺 铮铮 郁郁 葱葱 冥冥
昭昭 累累 熙熙 攘攘 哗哗 隆隆 轰轰 淡淡 冷冷 热热 暖暖 平平 常常 的的确确
""".split())

#: Idioms with a doubled character that is neither a word on its own nor AABB.
DOUBLE_IDIOMS = ("不了了之", "一一对应", "人人皆知", "天天向上", "蒸蒸日上", "欣欣向荣", "念念不忘",
                 "息息相关", "井井有条", "津津乐道", "源源不断", "滔滔不绝", "比比皆是", "面面俱到",
                 "头头是道", "步步为营", "代代相传", "生生不息", "跃跃欲试", "格格不入", "彬彬有礼",
                 "循循善诱", "落落大方", "多多益善", "侃侃而谈", "喋喋不休", "虎虎生威", "历历在目",
                 "岌岌可危", "寥寥无几", "振振有词", "咄咄逼人", "楚楚动人", "耿耿于怀", "孜孜不倦",
                 "栩栩如生", "心心相印", "郁郁葱葱", "井井有条", "事事关心", "谢谢你们")


@dataclass
class NameRules:
    """styles/names.yaml: canonical names with their wrong spellings."""

    patterns: list[tuple[str, re.Pattern]] = field(default_factory=list)
    doubles_allowed: set[str] = field(default_factory=set)
    file: str = ""

    @classmethod
    def load(cls, path: Path) -> "NameRules":
        if not path.exists():
            return cls()
        source, problems = load(path)
        if source is None:
            raise Failed(problems)
        data = source.data if isinstance(source.data, dict) else None
        errors: list[Diagnostic] = []
        if data is None:
            raise Failed([Diagnostic(source.file, 1, 1, "expected a mapping with the key 'names'")])
        for key in data:
            if key not in ("names", "doubles_allowed"):
                line, col = source.key_where((key,))
                errors.append(Diagnostic(source.file, line, col,
                                         f"unknown field '{key}'; expected 'names' or 'doubles_allowed'"))
        rules = cls(file=source.file)
        names = data.get("names") or {}
        if not isinstance(names, dict):
            line, col = source.where(("names",))
            errors.append(Diagnostic(source.file, line, col,
                                     "names: expected a mapping 'Canonical: [wrong, spellings]'"))
            names = {}
        for canonical, wrong in names.items():
            line, col = source.where(("names", canonical))
            if not isinstance(canonical, str) or not canonical.strip():
                errors.append(Diagnostic(source.file, line, col, "names: a name must be text"))
                continue
            if wrong is None:
                wrong = []
            if not isinstance(wrong, list) or not all(isinstance(w, str) and w.strip() for w in wrong):
                errors.append(Diagnostic(source.file, line, col, f"names.{canonical}: expected a "
                                         "list of wrong spellings, e.g. [Openai, Open AI]"))
                continue
            forms = sorted({canonical, *wrong}, key=len, reverse=True)
            alternatives = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
            rules.patterns.append((canonical, re.compile(
                rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])", re.IGNORECASE)))
        allowed = data.get("doubles_allowed") or []
        if not isinstance(allowed, list) or not all(isinstance(w, str) for w in allowed):
            line, col = source.where(("doubles_allowed",))
            errors.append(Diagnostic(source.file, line, col,
                                     "doubles_allowed: expected a list of words, e.g. [嘟嘟]"))
        else:
            rules.doubles_allowed = {w.strip() for w in allowed if w.strip()}
        if errors:
            raise Failed(errors)
        return rules


# ------------------------------------------------------------------ positions

class Positions:
    """Line and column of a character inside a string value of a YAML file."""

    def __init__(self):
        self._lines: dict[str, list[str]] = {}

    def lines(self, source: Source) -> list[str]:
        if source.file not in self._lines:
            try:
                text = Path(source.file).read_text(encoding="utf-8-sig")
            except OSError:
                text = ""
            self._lines[source.file] = text.splitlines()
        return self._lines[source.file]

    def at(self, source: Source, path: tuple, text: str, offset: int, length: int) -> tuple[int, int]:
        line, col = source.where(path)
        lines = self.lines(source)
        if not 0 < line <= len(lines):
            return line, col
        raw = lines[line - 1]
        start = col - 1
        if start < len(raw) and raw[start] in "'\"":
            start += 1
        if raw[start:start + offset + length] == text[:offset + length]:
            return line, start + offset + 1
        # block scalars, folded lines, escapes: find the snippet itself
        snippet = text[offset:offset + length]
        for n in range(line - 1, len(lines)):
            frm = col - 1 if n == line - 1 else 0
            k = lines[n].find(snippet, frm)
            if k >= 0:
                return n + 1, k + 1
        return line, col


# ----------------------------------------------------------------------- lint

def window(week: models.Week) -> tuple[dt.date, dt.date]:
    return week.date - dt.timedelta(days=WINDOW_DAYS - 1), week.date


def lint_week(root: Path, week: str, rules: NameRules | None = None) -> list[Diagnostic]:
    """Warnings for one week; raises `Failed` when the week does not validate."""
    root = Path(root)
    entries_root = root / "entries"
    src = validate_week(entries_root / week, entries_root)
    if rules is None:
        rules = NameRules.load(root / "styles" / "names.yaml")
    return Linter(src, rules, root / "styles" / "brand.yaml").run()


def lint_weeks(root: Path, weeks: Iterable[str]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(warnings, errors) over several weeks; a broken week does not hide the others."""
    warnings: list[Diagnostic] = []
    errors: list[Diagnostic] = []
    rules = NameRules.load(Path(root) / "styles" / "names.yaml")
    for week in weeks:
        try:
            warnings.extend(lint_week(root, week, rules))
        except Failed as failed:
            errors.extend(failed.diagnostics)
    key = lambda d: (d.file, d.line, d.col, d.message)  # noqa: E731
    return sorted(set(warnings), key=key), sorted(set(errors), key=key)


def all_weeks(root: Path) -> list[str]:
    entries = Path(root) / "entries"
    if not entries.is_dir():
        raise Failed([Diagnostic(display_path(entries), 0, 0, "no entries/ folder here; run "
                                 "authoring from the project folder")])
    return sorted(p.name for p in entries.iterdir() if p.is_dir() and not p.name.startswith("."))


class Linter:
    def __init__(self, src: WeekSources, rules: NameRules, brand_file: Path):
        self.src = src
        self.rules = rules
        self.brand_file = brand_file
        self.pos = Positions()
        self.out: list[Diagnostic] = []

    def warn(self, source: Source, line: int, col: int, message: str) -> None:
        self.out.append(Diagnostic(source.file, line, col, message, severity="warning"))

    def run(self) -> list[Diagnostic]:
        self.dates()
        self.figures()
        self.risk()
        for source in [self.src.week.source] + [e.source for e in self.src.entries]:
            self.texts(source)
        return self.out

    # -- dates
    def dates(self) -> None:
        first, last = window(self.src.week.model)
        for e in self.src.entries:
            d = e.model.date
            if not first <= d <= last:
                line, col = e.source.where(("date",))
                when = "after the report's date" if d > last else "before the report's window"
                self.warn(e.source, line, col, f"date: {d.isoformat()} is {when} "
                          f"({first.isoformat()} to {last.isoformat()}, the {WINDOW_DAYS} days "
                          "ending on week.yaml's date); check the date or move the item to its week")

    # -- figures
    def figures(self) -> None:
        referred: set[str] = set()
        for source in [self.src.week.source] + [e.source for e in self.src.entries]:
            for _path, text in strings(source.data):
                referred.update(inline.refs(text))
        suffix = self._brand_value("source_suffix")
        for e in self.src.entries:
            for path, fig in figures_with_paths(e.model):
                where = dotted(path)
                for i, s in enumerate(fig.sources):
                    bare = s.strip().lower()
                    if bare in PLACEHOLDER_SOURCES or not _WORDY.search(bare):
                        line, col = e.source.where(path + ("sources", i))
                        self.warn(e.source, line, col, f"{where}.sources[{i}]: '{s}' names no source; "
                                  "write where the figure's data come from (e.g. the company or paper)")
                    elif suffix and s.strip() == suffix.strip():
                        line, col = e.source.where(path + ("sources", i))
                        self.warn(e.source, line, col, f"{where}.sources[{i}]: '{s}' is appended to "
                                  "every 资料来源 line already; name the original source instead")
                if fig.id not in referred:
                    line, col = e.source.where(path + ("id",))
                    self.warn(e.source, line, col, f"{where}.id: figure '{fig.id}' is never referred "
                              f"to; write [[{fig.id}]] where the text discusses it")

    # -- 风险提示
    def risk(self) -> None:
        ws = self.src.week.source
        data = ws.data
        if "risk" in data and data["risk"] is None:
            line, col = ws.key_where(("risk",))
            self.warn(ws, line, col, "risk: is written without text; write the 风险提示 or delete "
                      "the line to print the brand's default")
        elif isinstance(data.get("risk"), str) and not _WORDY.search(data["risk"]):
            line, col = ws.where(("risk",))
            self.warn(ws, line, col, f"risk: {data['risk']!r} is an empty 风险提示; write the text")
            return
        if self.src.week.model.risk is None:
            default = self._brand_value("default_risk")
            if default is not None and not _WORDY.search(default):
                brand = self._brand_source()
                line, col = brand.where(("default_risk",))
                self.warn(brand, line, col, f"default_risk: empty, and {display_path(ws.file)} has no "
                          "risk text: the report's 风险提示 would print empty")

    # -- text checks
    def texts(self, source: Source) -> None:
        for path, text in strings(source.data):
            if _field(path) in NOT_PROSE or _in_link_field(path):
                continue
            masked = mask(text)
            self.doubles(source, path, text, masked)
            self.punctuation(source, path, text, masked)
            self.names(source, path, text, masked)
        for unit in size_units(source.data):
            self.sizes(source, unit)

    def doubles(self, source, path, text, masked) -> None:
        allowed = DOUBLES_ALLOWED | self.rules.doubles_allowed
        covered = _idiom_spans(masked)
        for m in _DOUBLE.finditer(masked):
            i = m.start()
            pair = m.group(0)
            if pair in allowed or any(a <= i < b for a, b in covered):
                continue
            if _DOUBLE.match(masked, i + 2) or (i >= 2 and _DOUBLE.match(masked, i - 2)):
                continue  # AABB: 清清楚楚, 大大小小
            if pair[0] not in FUNCTION_CHARS and not _isolated_pair(masked, i):
                continue  # most likely two words meeting: 规模|模型, 项目|目前
            line, col = self.pos.at(source, path, text, i, 2)
            self.warn(source, line, col, f"{dotted(path)}: doubled character '{pair}' "
                      f"(…{_context(masked, i, 2)}…); delete one '{pair[0]}', or add the word to "
                      "doubles_allowed in styles/names.yaml if the doubling is intended")

    def punctuation(self, source, path, text, masked) -> None:
        for m in _HALF_PUNCT.finditer(masked):
            ch = m.group(1)
            line, col = self.pos.at(source, path, text, m.start(1), 1)
            self.warn(source, line, col, f"{dotted(path)}: half-width '{ch}' between Chinese "
                      f"characters (…{_context(masked, m.start(1), 1)}…); write the full-width "
                      f"'{FULL_WIDTH[ch]}'")

    def names(self, source, path, text, masked) -> None:
        for canonical, pattern in self.rules.patterns:
            for m in pattern.finditer(masked):
                if m.group(0) == canonical or _identifier(masked, m.start(), m.end()):
                    continue
                line, col = self.pos.at(source, path, text, m.start(), len(m.group(0)))
                self.warn(source, line, col, f"{dotted(path)}: '{m.group(0)}' is spelled "
                          f"'{canonical}' (styles/names.yaml)")

    def sizes(self, source, unit: list[tuple[tuple, str]]) -> None:
        bs = [(p, t, m) for p, t in unit for m in _BILLIONS.finditer(mask(t))]
        yis = [(p, t, m) for p, t in unit for m in _YI.finditer(mask(t))]
        if not bs or not yis:
            return
        row = len(unit) > 1 or (unit and isinstance(unit[0][0][-1], int) and _in_rows(unit[0][0]))
        b_values = [float(m.group(1)) for _p, _t, m in bs]
        for path, text, m in yis:
            yi = float(m.group(1))
            if any(abs(b * 10 - yi) < 1e-9 for b in b_values):
                continue
            same = [b for b in b_values if abs(b - yi) < 1e-9]
            lone = row and len(bs) == 1 and len(yis) == 1
            if not same and not lone:
                continue
            b = same[0] if same else b_values[0]
            written = _num(b) + "B"
            line, col = self.pos.at(source, path, text, m.start(), len(m.group(0)))
            self.warn(source, line, col, f"{dotted(path)}: '{m.group(0)}' next to '{written}': "
                      f"{written} is {_num(b * 10)}亿 (B = billion = 10亿)")

    # -- brand
    def _brand_source(self) -> Source | None:
        if not hasattr(self, "_brand"):
            self._brand = None
            if self.brand_file.exists():
                source, _problems = load(self.brand_file)
                if source is not None and isinstance(source.data, dict):
                    self._brand = source
        return self._brand

    def _brand_value(self, key: str) -> str | None:
        brand = self._brand_source()
        if brand is None or key not in brand.data:
            return None
        value = brand.data[key]
        return "" if value is None else str(value)


PLACEHOLDER_SOURCES = {"-", "--", "—", "–", "无", "暂无", "未知", "不详", "待定", "待补充", "待补",
                       "todo", "tbd", "tba", "n/a", "na", "none", "null", "xxx", "?", "？",
                       "source", "sources", "来源", "资料来源", "网络", "网络资料", "互联网"}


def mask(text: str) -> str:
    """`text` with link targets, bare URLs and [[references]] blanked (same length)."""
    chars = list(text)

    def blank(a: int, b: int) -> None:
        for k in range(a, b):
            chars[k] = " "

    for m in inline._LINK.finditer(text):
        blank(m.start(2) - 1, m.end(2) + 1)
    for m in inline._REF.finditer(text):
        blank(m.start(), m.end())
    for m in _URL.finditer(text):
        blank(m.start(), m.end())
    return "".join(chars)


def size_units(data: Any, path: tuple = ()) -> Iterable[list[tuple[tuple, str]]]:
    """Texts and table rows: where a size and its 亿 must agree."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k == "rows" and isinstance(v, list):
                for i, row in enumerate(v):
                    if isinstance(row, list):
                        yield [(path + (k, i, j), str(c)) for j, c in enumerate(row)
                               if isinstance(c, (str, int, float)) and not isinstance(c, bool)]
            elif k not in NOT_PROSE:
                yield from size_units(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from size_units(v, path + (i,))
    elif isinstance(data, str):
        yield [(path, data)]


def _in_rows(path: tuple) -> bool:
    return "rows" in path


def _field(path: tuple) -> str:
    for p in reversed(path):
        if isinstance(p, str):
            return p
    return ""


def _in_link_field(path: tuple) -> bool:
    return any(p in ("link", "file") for p in path if isinstance(p, str))


#: Characters that are words on their own and are rarely the end of one word and the start
#: of the next; doubled, they are nearly always a typing slip (将将于, 的的, 在在).
FUNCTION_CHARS = set("将的是和与及被把从向也都并而或但该此这那又再")

_budoux = None


def _isolated_pair(text: str, i: int) -> bool:
    """True when a phrase segmenter leaves both characters of text[i:i+2] standing alone.

    Two words that meet on the same character (规模|模型, 涌现|现象) keep each character
    inside a word; a slip (数据据集 -> 数|据|据|集) leaves both on their own.  A doubled
    character inside one word ("模型型") is not found this way; no dictionary is used.
    """
    global _budoux
    if _budoux is None:
        import budoux

        _budoux = budoux.load_default_simplified_chinese_parser()
    lo = max(0, i - 12)
    chunks = _budoux.parse(text[lo:i + 14])
    spans, k = [], lo
    for c in chunks:
        spans.append((k, k + len(c)))
        k += len(c)
    first = next((s for s in spans if s[0] <= i < s[1]), None)
    second = next((s for s in spans if s[0] <= i + 1 < s[1]), None)
    return first == (i, i + 1) and second == (i + 1, i + 2)


_TOKEN_EDGE = re.compile(r"[\s\u3000-\u303f\uff00-\uffef" + HAN + r"\[\]()'\"“”‘’，。、；：！？]")


def _identifier(text: str, start: int, end: int) -> bool:
    """A lowercase name inside a model id, domain or path (deepseek-r1, github.com/x)."""
    if text[start:end] != text[start:end].lower():
        return False
    a = start
    while a > 0 and not _TOKEN_EDGE.match(text[a - 1]):
        a -= 1
    b = end
    while b < len(text) and not _TOKEN_EDGE.match(text[b]):
        b += 1
    return any(ch in text[a:b] for ch in "-./_")


def _idiom_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for idiom in DOUBLE_IDIOMS:
        start = text.find(idiom)
        while start >= 0:
            spans.append((start, start + len(idiom)))
            start = text.find(idiom, start + 1)
    return spans


def _context(text: str, i: int, n: int, around: int = 4) -> str:
    return text[max(0, i - around): i + n + around].replace("\n", " ").strip()




def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
