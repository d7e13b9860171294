"""Floating figures, placed as LaTeX places `[tbp]` floats.

A figure (caption, body, notes and source) is one `Float`.  When it fits the space left
on the page it is drawn where it stands.  When it does not, it waits: the text after it
fills the current page, and the waiting figures open the next page, in their order (a
figure never overtakes an earlier one, so 图表 numbers stay in reading order).  A figure
only ever moves later, never before the text that refers to it.

A long table is a splittable float: with enough room left it starts on the current page
and continues on the next ones (its header repeated) instead of leaving a hole.

`FloatingDoc` is the document side: it keeps the waiting figures and puts them back at
the front of the story on every new page; `FlushFloats` in the story places every
waiting figure before the story goes on.  Only reportlab's public hooks are used
(`handle_flowable`, `beforePage`, `Frame.add`), plus `rlcompat.forget_postponed`.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Table

from .rlcompat import forget_postponed


class Float(Flowable):
    """A figure kept together that may wait for the next page.

    `splittable` (a long table): it may start on this page when at least `min_split` of
    the frame's height is left, and continues on the next pages.
    """

    def __init__(self, content: list[Flowable], splittable: bool = False, min_split: float = 0.25,
                 space_after: float | None = None):
        super().__init__()
        self.content = list(content)
        self.space_after = space_after
        self.splittable = splittable
        self.min_split = min_split
        self.available = 0.0

    def _sizes(self, aw):
        return [f.wrapOn(self.canv, aw, 100_000) for f in self.content]

    def wrap(self, aw, ah):
        self.available = ah
        sizes = self._sizes(aw)
        gaps = sum(a.getSpaceAfter() + b.getSpaceBefore() for a, b in zip(self.content, self.content[1:]))
        self.width = aw
        self.height = sum(h for _w, h in sizes) + gaps
        return self.width, self.height

    def getSpaceBefore(self):
        return self.content[0].getSpaceBefore()

    def getSpaceAfter(self):
        return self.content[-1].getSpaceAfter() if self.space_after is None else self.space_after

    def drawOn(self, canvas, x, y, _sW=0):
        page_text = getattr(canvas, "page_text", None)  # a ReportCanvas (layout.document)
        if page_text is None:
            return super().drawOn(canvas, x, y, _sW)
        x0, y0 = canvas.absolutePosition(x, y)
        x1, y1 = canvas.absolutePosition(x + self.width, y + self.height)
        page_text.begin_figure(canvas.getPageNumber(), (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
        try:
            super().drawOn(canvas, x, y, _sW)
        finally:
            page_text.end_figure()

    def draw(self):
        y = self.height
        for i, (f, (_w, h)) in enumerate(zip(self.content, self._sizes(self.width))):
            if i:
                y -= self.content[i - 1].getSpaceAfter() + f.getSpaceBefore()
            y -= h
            f.drawOn(self.canv, 0, y)

    def split(self, aw, ah):
        if not self.splittable:
            return []
        idx = max(i for i, f in enumerate(self.content) if isinstance(f, Table))
        lead, table, tail = self.content[:idx], self.content[idx], self.content[idx + 1:]
        used = sum(f.wrapOn(self.canv, aw, ah)[1] + f.getSpaceAfter() for f in lead)
        # the notes and source stay with the last rows: a table that would fit without
        # them still gives its last rows to the next page
        after = sum(f.wrapOn(self.canv, aw, ah)[1] + f.getSpaceBefore() for f in tail)
        room = ah - used - table.getSpaceBefore() - 1
        pieces = table.splitOn(self.canv, aw, room)
        if len(pieces) < 2:
            pieces = table.splitOn(self.canv, aw, room - after)
        if len(pieces) < 2:
            return []
        first, *rest = pieces
        return [Float([*lead, first]), *rest[:-1], KeepTogether([rest[-1], *tail])]

    def identity(self, maxLen=None):
        return f"<Float {self.content[0].identity(maxLen)}>"


class FlushFloats(Flowable):
    """Every waiting figure is placed before the story goes on past this point."""

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        pass


class FloatingDoc:
    """Mixin for a BaseDocTemplate: figures that do not fit wait for the next page."""

    story: list | None = None
    fresh_page = False
    flushing = False

    def build(self, flowables, *args, **kw):
        self.story = flowables
        self.waiting: list[Float] = []
        return super().build(flowables, *args, **kw)

    def front_changed(self, flowables) -> None:
        """Called when waiting figures were put back at the front of the story."""

    def beforePage(self):
        super().beforePage()
        self.fresh_page = True

    def handle_flowable(self, flowables):
        if flowables is self.story:
            if self.fresh_page and self.waiting:
                # the waiting figures open the new page, then the text continues
                forget_postponed(flowables[0])
                flowables[0:0] = self.waiting
                self.waiting = []
                self.front_changed(flowables)
            self.fresh_page = False
            f = flowables[0]
            if isinstance(f, FlushFloats):
                del flowables[0]
                if self.waiting:
                    flowables[0:0] = [*self.waiting, f]
                    self.waiting = []
                    self.flushing = True
                    self.front_changed(flowables)
                else:
                    self.flushing = False
                return
            if isinstance(f, Float) and not self.flushing and self._placed_or_waiting(f, flowables):
                return
        super().handle_flowable(flowables)

    def _placed_or_waiting(self, f: Float, flowables) -> bool:
        """True when `f` was drawn here or set aside; False: reportlab handles it."""
        full = self.frame.height
        if not self.waiting:
            if self.frame.add(f, self.canv, trySplit=0):
                del flowables[0]
                self.afterFlowable(f)
                return True
            if f.available >= full - 1:  # taller than a page: split it or report it
                return False
            if f.splittable and f.available >= f.min_split * full:
                return False  # reportlab splits it: the table starts here
        del flowables[0]  # wait (behind any earlier waiting figure: 图表 order)
        self.waiting.append(f)
        if not flowables:
            flowables.append(FlushFloats())
        return True
