"""Chinese/Latin text layout algorithms (clreq): character classes, break
opportunities, Han–Latin spacing, punctuation compression, line breaking and
glyph placement.  Pure Python: widths come from the caller; no reportlab here.
"""

from .breakmemo import BreakMemo
from .breaks import Analysis, analyze, emergency_breaks, phrase_boundaries
from .chars import char_class, classify
from . import glue
from .linebreak import Line, Metrics, break_lines, justify, line_offset, line_width, measure, place

__all__ = [
    "Analysis",
    "BreakMemo",
    "Line",
    "Metrics",
    "analyze",
    "break_lines",
    "char_class",
    "classify",
    "emergency_breaks",
    "glue",
    "justify",
    "line_offset",
    "line_width",
    "measure",
    "phrase_boundaries",
    "place",
]
