"""The rules of `authoring lint`: the patterns and word lists of each check, the names of
styles/names.yaml, and where in a YAML line a finding inside a string is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..diagnostics import Diagnostic, Failed
from ..model import inline
from ..source.load import Source, load

WINDOW_DAYS = 14

#: Fields whose strings are identifiers, not prose.
NOT_PROSE = {"id", "section", "key", "file", "link", "kind", "chart", "align", "direction",
             "key_points", "authors", "series", "report_type", "week", "date"}

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_CHAR = re.compile(f"[{HAN}]")
DOUBLE = re.compile(f"([{HAN}])\\1")
HALF_PUNCT = re.compile(f"(?<=[{HAN}]) ?([,.;:!?()]) ?(?=[{HAN}])")
FULL_WIDTH = {",": "，", ".": "。", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
BILLIONS = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)B(?![A-Za-z0-9])")
YI = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?) ?亿(?!元|美元|美金|人民币|港元|港币|欧元|日元|英镑|韩元)")
URL = re.compile(r"(?:https?://|mailto:|www\.)\S+")
WORDY = re.compile(f"[{HAN}A-Za-z0-9]")

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
    for m in URL.finditer(text):
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


def in_rows(path: tuple) -> bool:
    return "rows" in path


def field_name(path: tuple) -> str:
    for p in reversed(path):
        if isinstance(p, str):
            return p
    return ""


def in_link_field(path: tuple) -> bool:
    return any(p in ("link", "file") for p in path if isinstance(p, str))


#: Characters that are words on their own and are rarely the end of one word and the start
#: of the next; doubled, they are nearly always a typing slip (将将于, 的的, 在在).
FUNCTION_CHARS = set("将的是和与及被把从向也都并而或但该此这那又再")

_budoux = None


def isolated_pair(text: str, i: int) -> bool:
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


TOKEN_EDGE = re.compile(r"[\s\u3000-\u303f\uff00-\uffef" + HAN + r"\[\]()'\"“”‘’，。、；：！？]")


def identifier(text: str, start: int, end: int) -> bool:
    """A lowercase name inside a model id, domain or path (deepseek-r1, github.com/x)."""
    if text[start:end] != text[start:end].lower():
        return False
    a = start
    while a > 0 and not TOKEN_EDGE.match(text[a - 1]):
        a -= 1
    b = end
    while b < len(text) and not TOKEN_EDGE.match(text[b]):
        b += 1
    return any(ch in text[a:b] for ch in "-./_")


def idiom_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for idiom in DOUBLE_IDIOMS:
        start = text.find(idiom)
        while start >= 0:
            spans.append((start, start + len(idiom)))
            start = text.find(idiom, start + 1)
    return spans


def context(text: str, i: int, n: int, around: int = 4) -> str:
    return text[max(0, i - around): i + n + around].replace("\n", " ").strip()




def num_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
