"""Results of pure functions kept in memory, by the content of their inputs.

The long-lived `authoring watch` process rebuilds a week after every save; most of what a
build computes (a parsed file, a prepared paragraph) depends only on inputs that did not
change.  A `Memo` maps a key that holds *all* of a result's inputs (text, style, fonts:
hashable values, never a file name or a time) to the result, so a hit is exactly what a
fresh computation would give.  This is the idea of Typst's comemo, without its tracking of
what a function read: here every key is built from the whole input.

Entries not asked for during the last `keep` builds (`sweep` after each build) are dropped:
an edited paragraph's old versions do not pile up over a day of editing.
"""

from __future__ import annotations

from typing import Callable, Generic, Hashable, TypeVar

T = TypeVar("T")


class Memo(Generic[T]):
    def __init__(self, keep: int = 2):
        self.keep = keep
        self._items: dict[Hashable, list] = {}  # key -> [result, generation last used]
        self._generation = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        item = self._items.get(key)
        if item is None:
            self.misses += 1
            item = self._items[key] = [make(), self._generation]
        else:
            self.hits += 1
            item[1] = self._generation
        return item[0]

    def sweep(self) -> None:
        """End of a build: forget what no build asked for lately; count afresh."""
        oldest = self._generation - self.keep + 1
        self._items = {k: v for k, v in self._items.items() if v[1] >= oldest}
        self._generation += 1
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)


class LayoutMemo:
    """What a watch keeps for the layout (authoring.layout.render): prepared paragraphs with
    what drawing them gave, and tables as built."""

    def __init__(self):
        self.paragraphs: Memo = Memo()
        self.tables: Memo = Memo()

    def sweep(self) -> None:
        self.paragraphs.sweep()
        self.tables.sweep()
