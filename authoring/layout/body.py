"""Numbered sections: headings, the entries' blocks, figures; 风险提示 last."""

from __future__ import annotations

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


def _figure_ids(block) -> list[str]:
    if isinstance(block, records.FigureBlock):
        return [block.figure.id]
    if isinstance(block, records.FigureRowBlock):
        return [f.id for f in block.figure_row]
    return []


def _texts(block) -> list[str]:
    if isinstance(block, records.ParagraphBlock):
        return [block.paragraph]
    if isinstance(block, records.BulletsBlock):
        return list(block.bullets)
    if isinstance(block, records.NumberedBlock):
        return list(block.numbered)
    if isinstance(block, records.TermsBlock):
        return [t.text for t in block.terms]
    return []


def after_first_reference(block_list) -> list:
    """A figure written before the text that first refers to it moves to just after that
    text, so it never stands on a page before its reference; it never passes another
    figure (图表 numbers keep their order)."""
    out = list(block_list)
    i = 0
    while i < len(out):
        ids = set(_figure_ids(out[i]))
        if ids and not any(ids & set(inline.refs(t)) for b in out[:i] for t in _texts(b)):
            for j in range(i + 1, len(out)):
                if _figure_ids(out[j]):
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
        if isinstance(block, records.ParagraphBlock):
            out.append(tf.para(block.paragraph, "body"))
        elif isinstance(block, records.BulletsBlock):
            out += _list(tf, block.bullets, lambda i: labels.LIST_BULLET)
        elif isinstance(block, records.NumberedBlock):
            out += _list(tf, block.numbered, labels.LIST_NUMBER.format)
        elif isinstance(block, records.TermsBlock):
            for term in block.terms:
                runs = tf.runs(labels.TERM.format(term.term), "term", markup=False, font=_bold(tf, "term"))
                runs += tf.runs(term.text, "term")
                out.append(tf.para(runs, "term"))
        elif isinstance(block, records.FigureBlock):
            out.extend(figs.block(block.figure, width))
        elif isinstance(block, records.FigureRowBlock):
            out.extend(figs.row(block.figure_row, width))
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
