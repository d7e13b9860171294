"""What line breaking has already worked out, owned by whoever runs the layout.

The analysis of a text (`breaks.analyze`), its UAX #14 boundaries and the lines a
paragraph was broken into are pure functions of their inputs, and a week's build asks for
the same ones as the previous build of that week.  A `BreakMemo` keeps them, and records
which of them a build asked for and which it had to compute, so that the build can save
exactly what it used (:mod:`.memo` keeps one per week in the cache folder) and only when
that changed.  It is an object passed down the layout rather than module state: a build
sees the memo it loaded, and a watch keeps one across its rebuilds.
"""

from __future__ import annotations

from .breaks import Analysis, analyze, uax14_boundaries

#: entries of each kind kept before that kind starts afresh (a long watch session)
MEMO_LIMIT = 50_000

#: the fields of an `Analysis`, in the order `export` writes them
FIELDS = ("text", "cls", "breaks", "forced", "gaps", "expand", "comp_right", "comp_left",
          "expand_pos", "spaces", "phrases", "gap_spaces")


class BreakMemo:
    """Analyses by (text, phrases), UAX #14 boundaries by text, and lines by the key the
    breaker builds (`linebreak.break_lines`: the text, every character's advance, gap and
    size, the break opportunities, the widths and options), with the keys asked for since
    `reset` (what a build needs) and the keys computed (what a saved memo lacks)."""

    __slots__ = ("_analyses", "_boundaries", "_lines", "_used", "_new")

    def __init__(self):
        self._analyses: dict[tuple[str, bool], Analysis] = {}
        self._boundaries: dict[str, tuple[int, ...]] = {}
        #: key -> ((start, end, next, forced, last, emergency, squeeze, hyphen), ...)
        self._lines: dict[tuple, tuple] = {}
        self._used: set = set()
        self._new: set = set()

    def analysis(self, text: str, phrases: bool = False) -> Analysis:
        """`breaks.analyze(text, phrases)`, computed once."""
        key = (text, phrases)
        self._used.add(key)
        an = self._analyses.get(key)
        if an is None:
            if len(self._analyses) >= MEMO_LIMIT:
                self._analyses.clear()
            an = self._analyses[key] = analyze(text, phrases)
            self._new.add(key)
        return an

    def boundaries(self, text: str) -> tuple[int, ...]:
        """`breaks.uax14_boundaries(text)`, computed once: a long token of a table cell is
        tried at many widths, and uniseg is slow."""
        self._used.add(text)
        found = self._boundaries.get(text)
        if found is None:
            if len(self._boundaries) >= MEMO_LIMIT:
                self._boundaries.clear()
            found = self._boundaries[text] = uax14_boundaries(text)
            self._new.add(text)
        return found

    def lines(self, key: tuple):
        """The lines kept under `key`, or None (the breaker then computes and `put_lines`)."""
        self._used.add(key)
        return self._lines.get(key)

    def put_lines(self, key: tuple, value: tuple) -> None:
        if len(self._lines) >= MEMO_LIMIT:
            self._lines.clear()
        self._lines[key] = value
        self._new.add(key)

    @property
    def changed(self) -> bool:
        """Whether something was computed since `reset`: a memo saved from what was asked
        for would then differ from the one seeded.  (Nothing computed means everything asked
        for was seeded.  A build whose lines all come from the memo never asks for the UAX
        #14 boundaries the breaker needed when it first set them; those stay until the memo
        is next written.)"""
        return bool(self._new)

    def export(self) -> dict:
        """What was asked for since `reset`, as plain (marshal-able) data:
        {"analyses": [[text, phrases, *FIELDS]], "boundaries": {text: (...)}, "lines": {...}}."""
        used = self._used
        ans = [[k[0], k[1], *(getattr(a, f) for f in FIELDS)] for k, a in self._analyses.items()
               if k in used]
        bounds = {t: b for t, b in self._boundaries.items() if t in used}
        lines = {k: v for k, v in self._lines.items() if k in used}
        return {"analyses": ans, "boundaries": bounds, "lines": lines}

    def seed(self, data: dict) -> None:
        """Add what `export` gave (in this process or an earlier one); raises ValueError or
        TypeError on data of another shape."""
        analyses = self._analyses
        for row in data.get("analyses", ()):
            text, phrases, *values = row
            if len(values) != len(FIELDS):
                raise ValueError("memo row of another shape")
            analyses.setdefault((text, phrases), Analysis(**dict(zip(FIELDS, values))))
        for text, b in data.get("boundaries", {}).items():
            self._boundaries.setdefault(text, tuple(b))
        for key, v in data.get("lines", {}).items():
            self._lines.setdefault(key, v)

    def reset(self) -> None:
        """Start recording what a (new) build asks for; what is kept stays."""
        self._used.clear()
        self._new.clear()

    def __len__(self) -> int:
        return len(self._analyses) + len(self._boundaries) + len(self._lines)
