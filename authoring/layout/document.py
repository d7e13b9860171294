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

from reportlab.lib import pagesizes
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from . import labels, rlcompat, xmp
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
        marks = getattr(canv, "marks", None)  # a ReportCanvas records where each target is
        if marks is not None:
            marks[self.dest] = canv.getPageNumber()
        self.inner.drawOn(canv, 0, 0)


def page_size(theme) -> tuple[float, float]:
    """Width and height of theme.yaml's page size, in points."""
    return getattr(pagesizes, theme.page.size)


def body_height(theme) -> float:
    """Height of a body page's frame."""
    page = theme.page
    return page_size(theme)[1] - page.margin_top - page.margin_bottom


def _frame(x: float, y: float, w: float, h: float, name: str) -> Frame:
    return Frame(x, y, w, h, id=name, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def cover_frames(theme) -> list[Frame]:
    """The cover's sidebar and main column, below the cover's head."""
    page, cover = theme.page, theme.cover
    w, h = page_size(theme)
    left = page.margin_left - cover.outdent
    main_x = left + page.cover_sidebar_width + page.cover_gutter
    height = h - page.margin_top - cover.columns_top - page.margin_bottom
    return [_frame(left, page.margin_bottom, page.cover_sidebar_width, height, "sidebar"),
            _frame(main_x, page.margin_bottom, w - page.margin_right - main_x, height, "main")]


class PageText:
    """What each page shows of the report's text, as the layout drew it: every paragraph
    part in drawing order (`text`), and the boxes of the figures with their own text
    (`figures`).  It is what a reader's copy of a page must give back (the tests compare
    it with the text PDF readers extract, and its parts with the entries' source text)."""

    def __init__(self):
        #: page -> (label, text) of each paragraph part: the label is what the layout
        #: drew before the text (a bullet, a list number), the text a part of the source
        self.text: dict[int, list[tuple[str, str]]] = {}
        self.figures: dict[int, list[tuple[tuple[float, float, float, float], list[str]]]] = {}
        self._figure: list[str] | None = None

    def paragraph(self, page: int, text: str, label: str = "") -> None:
        if self._figure is not None:
            self._figure.append(label + text)
        else:
            self.text.setdefault(page, []).append((label, text))

    def begin_figure(self, page: int, box: tuple[float, float, float, float]) -> None:
        self._figure = []
        self.figures.setdefault(page, []).append((box, self._figure))

    def end_figure(self) -> None:
        self._figure = None


class ReportCanvas(Canvas):
    """A canvas that records the page of every `Marked` target as it is drawn, and the text
    of each page (`PageText`), and runs `before_save(canvas, marks)` when the document is
    saved (after the last page)."""

    def __init__(self, *args, before_save: Callable | None = None, **kw):
        super().__init__(*args, **kw)
        self.marks: dict[str, int] = {}
        self.page_text = PageText()
        self.before_save = before_save

    def save(self):
        if self.before_save is not None:
            self.before_save(self, self.marks)
        super().save()


class ReportDoc(FloatingDoc, BaseDocTemplate):
    """The document in theme.yaml's page size with the cover template and the running-page
    template; figures float (see floats.py)."""

    def __init__(self, filename, theme, draw_cover: Callable, draw_running: Callable, **kw):
        page = theme.page
        super().__init__(filename, pagesize=page_size(theme), leftMargin=page.margin_left,
                         rightMargin=page.margin_right, topMargin=page.margin_top,
                         bottomMargin=page.margin_bottom, **kw)
        w, h = page_size(theme)
        body = _frame(page.margin_left, page.margin_bottom, w - page.margin_left - page.margin_right,
                      body_height(theme), "body")
        self.addPageTemplates([
            PageTemplate("cover", cover_frames(theme), onPage=draw_cover, autoNextPageTemplate="running"),
            PageTemplate("running", [body], onPage=draw_running),
        ])
        self.form_painter: Callable | None = None
        self.marks: dict[str, int] = {}
        self.page_text = PageText()

    epoch: int | None = None  # creation date (seconds since 1970, UTC) for reproducible output
    origin: Origin | None = None  # of the flowable being laid out (see errors.tag_body)

    def handle_flowable(self, flowables):
        self.front_changed(flowables)
        super().handle_flowable(flowables)

    def front_changed(self, flowables):
        """The flowable at the front of the story is the one laid out next (also when
        waiting figures were put back there): its origin is the one errors name.  Pieces
        split off a flowable carry no origin: they keep the one of their flowable."""
        if flowables:
            origin = getattr(flowables[0], "content_origin", None)
            if origin is not None:
                self.origin = origin

    PDF_VERSION = (1, 7)  # CID fonts, form XObjects and outlines need nothing newer

    def build(self, flowables, canvasmaker=None, **kw):
        from functools import partial

        canvasmaker = canvasmaker or partial(ReportCanvas, pdfVersion=self.PDF_VERSION,
                                             before_save=self._paint_forms)
        super().build(flowables, canvasmaker=canvasmaker, **kw)

    def _paint_forms(self, canv, marks) -> None:
        self.marks = marks
        self.page_text = canv.page_text
        if self.form_painter is not None:
            self.form_painter(canv, marks)

    def beforeDocument(self):
        self.canv.showOutline()  # the bookmarks panel is open when the PDF is opened
        if self.epoch is None:
            import time

            self.epoch = int(time.time())  # one time for the information and the XMP packet
        rlcompat.fix_timestamp(self.canv, self.epoch)
        rlcompat.set_xmp(self.canv, xmp.packet(
            title=self.title or "", authors=[a for a in (self.author or "").split(labels.NAMES) if a],
            subject=self.subject or "", keywords=[k for k in (self.keywords or "").split(", ") if k],
            creator=self.creator or "", producer=getattr(self, "producer", "") or "", epoch=self.epoch))
