"""Floating figures in a small document, and the one reportlab detail they rely on."""

from __future__ import annotations

import io

from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer
from reportlab.platypus.flowables import Flowable

from authoring.layout.floats import Float, FloatingDoc, FlushFloats


class Box(Flowable):
    """A block of a given height that records the page it is drawn on."""

    def __init__(self, name, h, log):
        super().__init__()
        self.name, self.h, self.log = name, h, log

    def wrap(self, aw, ah):
        return aw, self.h

    def draw(self):
        self.log.append((self.name, self.canv.getPageNumber()))


class Doc(FloatingDoc, BaseDocTemplate):
    def __init__(self):
        super().__init__(io.BytesIO(), pagesize=(300, 400))
        self.addPageTemplates([PageTemplate("p", [Frame(0, 0, 300, 400, id="f", leftPadding=0,
                                                         rightPadding=0, topPadding=0, bottomPadding=0)])])


def test_a_figure_that_does_not_fit_waits_while_text_fills_the_page():
    log: list = []
    story = [Box("text1", 250, log), Float([Box("fig1", 200, log)]), Float([Box("fig2", 100, log)]),
             Box("text2", 100, log), Box("text3", 100, log), FlushFloats()]
    Doc().build(story)
    # fig1 does not fit below text1: text2 fills page 1; fig1 opens page 2, fig2 keeps its
    # order (after fig1), then the text goes on
    assert log == [("text1", 1), ("text2", 1), ("fig1", 2), ("fig2", 2), ("text3", 2)]


def test_waiting_figures_are_placed_before_the_flush_point():
    log: list = []
    story = [Box("text1", 350, log), Float([Box("fig1", 200, log)]), FlushFloats(), Box("risk", 50, log)]
    Doc().build(story)
    assert log == [("text1", 1), ("fig1", 2), ("risk", 2)]


def test_a_figure_taller_than_a_page_is_reported_not_lost():
    import pytest
    from reportlab.platypus.doctemplate import LayoutError

    log: list = []
    with pytest.raises(LayoutError):
        Doc().build([Spacer(1, 10), Float([Box("huge", 500, log)])])


def test_a_figure_written_before_its_reference_moves_after_it_but_never_past_a_figure():
    from authoring.model import records as m
    from authoring.layout.body import after_first_reference

    def fig(i):
        return m.FigureBlock(m.ImageFigure(i, "t", ["s"], None, "image", "f.png", 1.0))

    def names(blocks):
        return [b.paragraph if hasattr(b, "paragraph") else b.figure.id for b in blocks]

    blocks = [m.ParagraphBlock("intro"), fig("a"), m.ParagraphBlock("see [[a]]"), fig("b"),
              m.ParagraphBlock("more"), m.ParagraphBlock("see [[b]]")]
    assert names(after_first_reference(blocks)) == ["intro", "see [[a]]", "a", "more", "see [[b]]", "b"]
    blocks = [fig("a"), fig("b"), m.ParagraphBlock("see [[a]] and [[b]]")]
    assert names(after_first_reference(blocks)) == ["a", "see [[a]] and [[b]]", "b"]
    blocks = [m.ParagraphBlock("see [[a]]"), fig("a"), m.ParagraphBlock("again [[a]]")]
    assert names(after_first_reference(blocks)) == ["see [[a]]", "a", "again [[a]]"]


def test_every_kind_of_block_and_of_figure_has_one_entry_in_the_layouts_tables():
    """The layout looks a block up by its record type and a figure by its kind: a kind the
    model has and the tables lack would fail at its first use, so it fails here."""
    import typing

    from authoring.layout.body import BLOCKS
    from authoring.layout.figures import KINDS
    from authoring.model import records
    from authoring.validate.locate import FIGURE_KINDS

    assert set(BLOCKS) == set(typing.get_args(records.Block))
    assert set(KINDS) == set(FIGURE_KINDS)
    assert [k for k, kind in KINDS.items() if kind.splits] == ["table"]
