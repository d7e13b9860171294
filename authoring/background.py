"""Work a build needs only late, done in a second process while the layout goes on.

On a cold build, importing matplotlib and drawing a week's charts take about as long as
everything else the build does, and checking each CFF face's CIDs (fontTools) is most of
what remains of the font work.  The layout needs only a chart's size to place it (its
width, and the figure's `height` as a fraction of the width), and its PNG only when the
page that shows it is drawn; a face's CIDs matter only when the PDF is written.  So such
work goes to one forked worker process the moment it is known to be needed, and the
result is waited for when it is used; with two cores the two run side by side.

Nothing is sent to the worker when its result is in the cache, so a warm build starts
no process.  Where `fork` is not available or only one core may be used, the work is done
in line, when it is asked for.  Either way the results, and so the PDF, are the same: the
worker runs the same functions.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

# multiprocessing and concurrent.futures are imported only when a worker starts (a warm
# build starts none, and their import is a tenth of its start-up)

#: What the layout gets for a chart: call it for the PNG's path (it waits for the worker).
ChartSource = Callable[[], Path]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    import multiprocessing

    return _cores() > 1 and "fork" in multiprocessing.get_all_start_methods()


def _render_chart(*args) -> Path:
    """`charts.render_chart`, looked up when called (the worker is a fork of this process)."""
    from . import charts

    return charts.render_chart(*args)


def _warm_up_charts(font_file: Path, font_index: int) -> None:
    from .charts.draw import warm_up

    warm_up(font_file, font_index)


class Background:
    """`call(fn, *args)` -> a thunk giving `fn(*args)`, computed in the worker (or in line)."""

    def __init__(self, enabled: bool | None = None):
        self._enabled = enabled  # None: decided when the first piece of work comes
        self._pool = None
        self._once: dict = {}  # key -> the thunk of work begun under that key

    @property
    def enabled(self) -> bool:
        if self._enabled is None:
            self._enabled = can_fork()
        return self._enabled

    def call(self, fn: Callable, *args) -> Callable[[], Any]:
        if not self.enabled:
            done: list = []

            def inline():
                if not done:
                    done.append(fn(*args))
                return done[0]

            return inline
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=1,
                                             mp_context=multiprocessing.get_context("fork"))
        future = self._pool.submit(fn, *args)

        def result():
            from concurrent.futures.process import BrokenProcessPool

            try:
                return future.result()
            except BrokenProcessPool:  # the worker died (killed, out of memory): do it here
                return fn(*args)

        return result

    def once(self, key, fn: Callable, *args) -> Callable[[], Any]:
        """`call`, unless work under `key` was begun already by this object: then that
        work's thunk (a face's CID check is begun early and asked for again when the PDF
        is written)."""
        thunk = self._once.get(key)
        if thunk is None:
            thunk = self._once[key] = self.call(fn, *args)
        return thunk

    def warm_up_charts(self, font_file: Path, font_index: int) -> None:
        """Have the worker import matplotlib and open the charts' face now, so that a chart
        asked for later is only drawn.  Only a worker does this (in line it would only
        delay the build); the caller asks for it when a cold cache makes a worker needed
        anyway (`build.begin_font_work`)."""
        if self.enabled:
            self.once(("warm-up", str(font_file), font_index), _warm_up_charts, font_file, font_index)

    def chart(self, *args) -> ChartSource:
        """The PNG of `charts.render_chart(*args)`: from the cache, else drawn in the worker
        (in line: drawn now, so that a chart that cannot be drawn fails where it is asked for)."""
        from .charts import cached_chart

        hit = cached_chart(*args)
        if hit is not None:
            return lambda: hit
        if not self.enabled:
            path = _render_chart(*args)
            return lambda: path
        return self.call(_render_chart, *args)

    def close(self, failed: bool = False) -> None:
        """End the worker: after what it is doing (a failed build drops what has not started)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=failed)
            self._pool = None

    def __enter__(self) -> "Background":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(failed=exc_type is not None)
