"""Register the report's converted fonts with reportlab.

`authoring.fonts.prepare_fonts` gives one TrueType subset per role; here each becomes a
reportlab font named ``Report-<role>`` (subset embedding in the PDF is reportlab's own), and
each regular role with a ``<role>-bold`` partner becomes a font family, so that ``<b>`` in a
paragraph of the serif font switches to serif-bold.  CJK fonts have no italics: ``<i>`` keeps
the upright face.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..fonts import FontFace, FontsMissing

PREFIX = "Report-"


def font_name(role: str) -> str:
    """The reportlab name of a role's font: serif -> Report-serif."""
    return PREFIX + role


def _registered_file(name: str) -> str | None:
    if name not in pdfmetrics.getRegisteredFontNames():
        return None
    font = pdfmetrics.getFont(name)
    return getattr(getattr(font, "face", None), "filename", None)


def register(faces: dict[str, FontFace]) -> dict[str, str]:
    """Register every face with reportlab; return role -> reportlab font name.

    Calling it again with the same faces does nothing; with a face whose converted file
    changed (a new subset), the name is registered again with the new file.
    """
    names: dict[str, str] = {}
    for role, face in faces.items():
        name = font_name(role)
        path = str(face.ttf)
        if _registered_file(name) != path:
            try:
                font = TTFont(name, path)
                # reportlab keeps the first font registered under a name, and shares faces by
                # their PostScript name, which every subset of one font has in common: drop
                # both so that a new subset (new characters) really replaces the old one.
                pdfmetrics._fonts.pop(name, None)
                pdfmetrics._dynFaceNames.pop(font.face.name, None)
                pdfmetrics.registerFont(font)
            except Exception as exc:  # a damaged cache file or an unusual font
                raise FontsMissing(f"fonts.{role}: reportlab cannot use {path} "
                                   f"(converted from {face.source}): {exc}") from exc
        names[role] = name

    for role, name in names.items():
        if role.endswith("-bold"):
            continue
        bold = names.get(f"{role}-bold", name)
        pdfmetrics.registerFontFamily(name, normal=name, bold=bold, italic=name,
                                      boldItalic=bold)
        if bold != name:  # <b> inside bold text, and plain text in a bold style
            pdfmetrics.registerFontFamily(bold, normal=bold, bold=bold, italic=bold,
                                          boldItalic=bold)
    return names
