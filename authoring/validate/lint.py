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
from pathlib import Path
from typing import Iterable

from ..diagnostics import Diagnostic, Failed, display_path
from ..model import entries as models, inline
from ..model.entries import figures_with_paths
from ..source.load import Source, load
from ..source.paths import dotted, strings
from .lint_rules import (BILLIONS, DOUBLE, DOUBLES_ALLOWED, FULL_WIDTH, FUNCTION_CHARS, HALF_PUNCT,
                         NOT_PROSE, NameRules, PLACEHOLDER_SOURCES, Positions, WINDOW_DAYS, WORDY,
                         YI, context, field_name, identifier, idiom_spans, in_link_field, in_rows,
                         isolated_pair, mask, num_text, size_units)
from .week import WeekSources, validate_week

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
                    if bare in PLACEHOLDER_SOURCES or not WORDY.search(bare):
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
        elif isinstance(data.get("risk"), str) and not WORDY.search(data["risk"]):
            line, col = ws.where(("risk",))
            self.warn(ws, line, col, f"risk: {data['risk']!r} is an empty 风险提示; write the text")
            return
        if self.src.week.model.risk is None:
            default = self._brand_value("default_risk")
            if default is not None and not WORDY.search(default):
                brand = self._brand_source()
                line, col = brand.where(("default_risk",))
                self.warn(brand, line, col, f"default_risk: empty, and {display_path(ws.file)} has no "
                          "risk text: the report's 风险提示 would print empty")

    # -- text checks
    def texts(self, source: Source) -> None:
        for path, text in strings(source.data):
            if field_name(path) in NOT_PROSE or in_link_field(path):
                continue
            masked = mask(text)
            self.doubles(source, path, text, masked)
            self.punctuation(source, path, text, masked)
            self.names(source, path, text, masked)
        for unit in size_units(source.data):
            self.sizes(source, unit)

    def doubles(self, source, path, text, masked) -> None:
        allowed = DOUBLES_ALLOWED | self.rules.doubles_allowed
        covered = idiom_spans(masked)
        for m in DOUBLE.finditer(masked):
            i = m.start()
            pair = m.group(0)
            if pair in allowed or any(a <= i < b for a, b in covered):
                continue
            if DOUBLE.match(masked, i + 2) or (i >= 2 and DOUBLE.match(masked, i - 2)):
                continue  # AABB: 清清楚楚, 大大小小
            if pair[0] not in FUNCTION_CHARS and not isolated_pair(masked, i):
                continue  # most likely two words meeting: 规模|模型, 项目|目前
            line, col = self.pos.at(source, path, text, i, 2)
            self.warn(source, line, col, f"{dotted(path)}: doubled character '{pair}' "
                      f"(…{context(masked, i, 2)}…); delete one '{pair[0]}', or add the word to "
                      "doubles_allowed in styles/names.yaml if the doubling is intended")

    def punctuation(self, source, path, text, masked) -> None:
        for m in HALF_PUNCT.finditer(masked):
            ch = m.group(1)
            line, col = self.pos.at(source, path, text, m.start(1), 1)
            self.warn(source, line, col, f"{dotted(path)}: half-width '{ch}' between Chinese "
                      f"characters (…{context(masked, m.start(1), 1)}…); write the full-width "
                      f"'{FULL_WIDTH[ch]}'")

    def names(self, source, path, text, masked) -> None:
        for canonical, pattern in self.rules.patterns:
            for m in pattern.finditer(masked):
                if m.group(0) == canonical or identifier(masked, m.start(), m.end()):
                    continue
                line, col = self.pos.at(source, path, text, m.start(), len(m.group(0)))
                self.warn(source, line, col, f"{dotted(path)}: '{m.group(0)}' is spelled "
                          f"'{canonical}' (styles/names.yaml)")

    def sizes(self, source, unit: list[tuple[tuple, str]]) -> None:
        bs = [(p, t, m) for p, t in unit for m in BILLIONS.finditer(mask(t))]
        yis = [(p, t, m) for p, t in unit for m in YI.finditer(mask(t))]
        if not bs or not yis:
            return
        row = len(unit) > 1 or (unit and isinstance(unit[0][0][-1], int) and in_rows(unit[0][0]))
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
            written = num_text(b) + "B"
            line, col = self.pos.at(source, path, text, m.start(), len(m.group(0)))
            self.warn(source, line, col, f"{dotted(path)}: '{m.group(0)}' next to '{written}': "
                      f"{written} is {num_text(b * 10)}亿 (B = billion = 10亿)")

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
