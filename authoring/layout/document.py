"""Page templates, running header/footer, and collect-then-resolve page numbers.

Headings and captions are wrapped in `Marked`: when drawn they record their
page, set a PDF destination and an outline entry.  目录 and 图表目录 print
their page numbers through PDF form XObjects that are referenced while the
front matter is laid out and defined after the body has been laid out; so
one layout pass suffices and each printed number is the page where its
target was really drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from reportlab.lib.colors import HexColor
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from .floats import FloatingDoc


@dataclass(frozen=True)
class Origin:
    """Where a flowable's content came from, for error messages: a file and its figure ids."""

    file: str
    figures: tuple[str, ...] = ()


def form_name(dest: str) -> str:
    return "pn-" + dest


class Marked(Flowable):
    """Delegates to a flowable; on draw records page, destination and outline entry."""

    def __init__(self, inner: Flowable, dest: str, outline: str | None = None, level: int = 0):
        super().__init__()
        self.inner = inner
        self.dest = dest
        self.outline = outline
        self.level = level
        self.keepWithNext = getattr(inner, "keepWithNext", 0)

    def wrap(self, aw, ah):
        self.width, self.height = self.inner.wrap(aw, ah)
        return self.width, self.height

    def getSpaceBefore(self):
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self):
        return self.inner.getSpaceAfter()

    def split(self, aw, ah):
        return []  # headings and captions are never split

    def draw(self):
        canv = self.canv
        canv.bookmarkHorizontal(self.dest, 0, self.height + 4)
        if self.outline is not None:
            canv.addOutlineEntry(self.outline, self.dest, level=self.level, closed=self.level > 0)
        doc = getattr(canv, "_doctemplate", None)
        if doc is not None:
            doc.marks[self.dest] = canv.getPageNumber()
        self.inner.drawOn(canv, 0, 0)


def cover_main_size(page) -> tuple[float, float]:
    """Width and height of the cover's main column (the cover's banner is above it)."""
    from reportlab.lib.pagesizes import A4

    w, h = A4
    left = page.margin_left - 20 + page.cover_sidebar_width + page.cover_gutter
    return w - page.margin_right - left, h - (page.margin_top + 40) - page.margin_bottom


class ReportDoc(FloatingDoc, BaseDocTemplate):
    """A4 document with the cover template and the running-page template; figures float
    (see floats.py)."""

    def __init__(self, filename, page, draw_cover: Callable, draw_running: Callable, **kw):
        from reportlab.lib.pagesizes import A4

        super().__init__(filename, pagesize=A4, leftMargin=page.margin_left,
                         rightMargin=page.margin_right, topMargin=page.margin_top,
                         bottomMargin=page.margin_bottom, **kw)
        self.marks: dict[str, int] = {}
        self.page_style = page
        w, h = A4
        side = page.cover_sidebar_width
        gut = page.cover_gutter
        top = page.margin_top + 40  # the cover's banner
        main_w, main_h = cover_main_size(page)
        cover_frames = [
            Frame(page.margin_left - 20, page.margin_bottom, side, h - top - page.margin_bottom,
                  id="sidebar", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0),
            Frame(page.margin_left - 20 + side + gut, page.margin_bottom, main_w, main_h, id="main",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0),
        ]
        body = Frame(page.margin_left, page.margin_bottom, w - page.margin_left - page.margin_right,
                     h - page.margin_top - page.margin_bottom, id="body",
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", cover_frames, onPage=draw_cover, autoNextPageTemplate="running"),
            PageTemplate("running", [body], onPage=draw_running),
        ])
        self.form_painter: Callable | None = None

    epoch: int | None = None  # creation date (seconds since 1970, UTC) for reproducible output
    origin: Origin | None = None  # of the flowable being laid out (see render._tag_body)

    def handle_flowable(self, flowables):
        self.front_changed(flowables)
        super().handle_flowable(flowables)

    def front_changed(self, flowables):
        """The flowable at the front of the story is the one laid out next (also when
        waiting figures were put back there): its origin is the one errors name.  Pieces
        split off a flowable carry no origin: they keep the one of their flowable."""
        if flowables:
            origin = getattr(flowables[0], "_content_origin", None)
            if origin is not None:
                self.origin = origin

    PDF_VERSION = (1, 7)  # CID fonts, form XObjects and outlines need nothing newer

    def build(self, flowables, canvasmaker=None, **kw):
        from functools import partial

        from reportlab.pdfgen.canvas import Canvas

        super().build(flowables, canvasmaker=canvasmaker or partial(Canvas, pdfVersion=self.PDF_VERSION), **kw)

    def beforeDocument(self):
        from . import rlcompat, xmp

        self.canv._doctemplate = self
        self.canv.showOutline()  # the bookmarks panel is open when the PDF is opened
        if self.epoch is None:
            import time

            self.epoch = int(time.time())  # one time for the information and the XMP packet
        rlcompat.fix_timestamp(self.canv, self.epoch)
        rlcompat.set_xmp(self.canv, xmp.packet(
            title=self.title or "", authors=[a for a in (self.author or "").split("、") if a],
            subject=self.subject or "", keywords=[k for k in (self.keywords or "").split(", ") if k],
            creator=self.creator or "", producer=getattr(self, "producer", "") or "", epoch=self.epoch))

    def _endBuild(self):
        self._doSave = 0
        super()._endBuild()
        if self.form_painter is not None:
            self.form_painter(self.canv, self.marks)
        self.canv.save()


def hex_color(value: str):
    return HexColor(value)
