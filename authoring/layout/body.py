"""Numbered sections: headings, the entries' blocks, figures; 风险提示 last."""

from __future__ import annotations

from typing import Callable, NamedTuple

from reportlab.platypus import Flowable

from ..model import inline, records
from ..model.report import Report
from . import labels
from .document import Marked
from .figures import FigureBuilder
from .floats import FlushFloats
from .text import TextFactory


def heading(tf: TextFactory, style: str, number: str, title: str, dest: str, level: int) -> Flowable:
    para = tf.para(f"{number}{labels.NUMBER_GAP}{title}" if number else title, style, markup=False,
                   keep_with_next=True, phrase_wrap=True)
    return Marked(para, dest, outline=f"{number} {title}".strip(), level=level)


def after_first_reference(block_list) -> list:
    """A figure written before the text that first refers to it moves to just after that
    text, so it never stands on a page before its reference; it never passes another
    figure (图表 numbers keep their order)."""
    out = list(block_list)
    i = 0
    while i < len(out):
        ids = set(_figures(out[i]))
        if ids and not any(ids & set(inline.refs(t)) for b in out[:i] for t in _texts(b)):
            for j in range(i + 1, len(out)):
                if _figures(out[j]):
                    break  # never past another figure
                if any(ids & set(inline.refs(t)) for t in _texts(out[j])):
                    out.insert(j, out.pop(i))
                    i -= 1
                    break
        i += 1
    return out


def blocks(block_list, tf: TextFactory, figs: FigureBuilder, width: float) -> list[Flowable]:
    out: list[Flowable] = []
    for block in after_first_reference(block_list):
        out += BLOCKS[type(block)].build(block, tf, figs, width)
    return out


def _list(tf: TextFactory, texts: list[str], bullet) -> list[Flowable]:
    """List items; the last one is followed by the space after a paragraph, so that the
    paragraph after a list does not read as one more item."""
    after = tf.spec("body").get("space_after", 0)
    return [tf.para(text, "list", bullet=bullet(i), space_after=after if i == len(texts) else None)
            for i, text in enumerate(texts, start=1)]


def _bold(tf: TextFactory, style: str) -> str:
    role = tf.spec(style).get("font", "serif")
    return role if role.endswith("-bold") else role + "-bold"


def _paragraph(block, tf: TextFactory, figs, width) -> list[Flowable]:
    return [tf.para(block.paragraph, "body")]


def _bullets(block, tf: TextFactory, figs, width) -> list[Flowable]:
    return _list(tf, block.bullets, lambda i: labels.LIST_BULLET)


def _numbered(block, tf: TextFactory, figs, width) -> list[Flowable]:
    return _list(tf, block.numbered, labels.LIST_NUMBER.format)


def _terms(block, tf: TextFactory, figs, width) -> list[Flowable]:
    out = []
    for term in block.terms:
        runs = tf.runs(labels.TERM.format(term.term), "term", markup=False, font=_bold(tf, "term"))
        runs += tf.runs(term.text, "term")
        out.append(tf.para(runs, "term"))
    return out


def _figure(block, tf, figs: FigureBuilder, width: float) -> list[Flowable]:
    return figs.block(block.figure, width)


def _figure_row(block, tf, figs: FigureBuilder, width: float) -> list[Flowable]:
    return figs.row(block.figure_row, width)


def _none(block) -> list[str]:
    return []


class BlockKind(NamedTuple):
    """What the layout does with one kind of block."""
    build: Callable    # (block, text factory, figure builder, width) -> its flowables
    texts: Callable    # block -> its running texts, where figures are referred to
    figures: Callable  # block -> the ids of the figures it places


#: Each block record type of the model (records.Block) and what the layout does with it:
#: a new kind of block is one entry here.
BLOCKS: dict[type, BlockKind] = {
    records.ParagraphBlock: BlockKind(_paragraph, lambda b: [b.paragraph], _none),
    records.BulletsBlock: BlockKind(_bullets, lambda b: list(b.bullets), _none),
    records.NumberedBlock: BlockKind(_numbered, lambda b: list(b.numbered), _none),
    records.TermsBlock: BlockKind(_terms, lambda b: [t.text for t in b.terms], _none),
    records.FigureBlock: BlockKind(_figure, _none, lambda b: [b.figure.id]),
    records.FigureRowBlock: BlockKind(_figure_row, _none, lambda b: [f.id for f in b.figure_row]),
}


def _texts(block) -> list[str]:
    return BLOCKS[type(block)].texts(block)


def _figures(block) -> list[str]:
    return BLOCKS[type(block)].figures(block)


def sections(report: Report, tf: TextFactory, figs: FigureBuilder, width: float) -> list[Flowable]:
    out: list[Flowable] = []
    for sec in report.sections:
        if not sec.items:  # 风险提示: every waiting figure is placed before it
            out.append(FlushFloats())
        out.append(heading(tf, "h1", str(sec.number), sec.title, sec.dest, 0))
        for item in sec.items:
            out.append(heading(tf, "h2", item.number, item.title, item.dest, 1))
            out.extend(blocks(item.entry.body, tf, figs, width))
        for text in sec.paragraphs:
            out.append(tf.para(text, "body", markup=False))
    return out
