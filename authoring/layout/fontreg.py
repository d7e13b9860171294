"""Register the report's converted fonts with reportlab.

`authoring.fonts.prepare_fonts` gives one TrueType subset per role; here each becomes a
reportlab font named ``Report-<role>`` (subset embedding in the PDF is reportlab's own), and
each regular role with a ``<role>-bold`` partner becomes a font family, so that ``<b>`` in a
paragraph of the serif font switches to serif-bold.  CJK fonts have no italics: ``<i>`` keeps
the upright face.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
import zlib
from fnmatch import fnmatch
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, TTEncoding, TTFont, TTFontFace, TTFNameBytes
from reportlab.rl_config import unShapedFontGlob

from ..atomic import mark_used, prune_unused_once, write_bytes
from ..fonts import FontFace, FontsMissing

PREFIX = "Report-"
#: Part of the parsed-face file name: reportlab's version, the layout of _freeze below and
#: Python's version (marshal's format is Python's own).
FACE_FORMAT = f"rl{reportlab.Version}-py{sys.version_info[0]}{sys.version_info[1]}-1"


class _ParsedTTFont(TTFont):
    """reportlab's TTFont around a face that is already parsed (see `_face`).

    The attributes are the ones TTFont.__init__ sets; tests/test_fonts.py compares the two
    on a real font, so a reportlab release that changes them fails a test, not a build."""

    def __init__(self, name: str, face: TTFontFace):
        self.fontName = name
        self.face = face
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not _unshaped(name)


class _Face(TTFontFace):
    """reportlab's face of a converted subset, whose embedded font programs are kept.

    reportlab cuts the fonts it embeds into subsets of 256 characters, in the order the
    characters are first drawn, and builds and compresses each again for every PDF: a
    tenth of a warm build.  Each compressed program is kept beside the converted file
    (``<subset>.<FACE_FORMAT>.sub-<hash of its characters>``); same face and same characters
    give the same bytes.  `addSubsetObjects` is reportlab's, with the program read from
    there; tests/test_fonts.py compares the PDF with reportlab's own, byte for byte.
    """

    def addSubsetObjects(self, doc, fontname, subset):
        if not doc.compression:
            return super().addSubsetObjects(doc, fontname, subset)
        length1, packed = self._program(subset)
        fontFile = pdfdoc.PDFStream()
        fontFile.content = packed
        fontFile.dictionary["Length1"] = length1
        fontFile.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
        fontFileRef = doc.Reference(fontFile, "fontFile:%s(%s)" % (self.filename, fontname))
        fontDescriptor = pdfdoc.PDFDictionary({
            "Type": "/FontDescriptor",
            "Ascent": self.ascent,
            "CapHeight": self.capHeight,
            "Descent": self.descent,
            "Flags": (self.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
            "FontBBox": pdfdoc.PDFArray(self.bbox),
            "FontName": pdfdoc.PDFName(fontname),
            "ItalicAngle": self.italicAngle,
            "StemV": self.stemV,
            "FontFile2": fontFileRef,
            "MissingWidth": self.defaultWidth,
        })
        return doc.Reference(fontDescriptor, "fontDescriptor:" + fontname)

    def _program(self, subset) -> tuple[int, bytes]:
        """(uncompressed length, zlib-compressed TrueType program) of one subset."""
        key = hashlib.sha256(",".join(map(str, subset)).encode("ascii")).hexdigest()[:24]
        path = Path(f"{self.filename}.{FACE_FORMAT}.sub-{key}")
        try:
            length1, crc, packed = marshal.loads(path.read_bytes())
            if type(length1) is int and type(packed) is bytes and zlib.crc32(packed) == crc:
                mark_used([path])
                return length1, packed
        except (OSError, EOFError, ValueError, TypeError):
            pass
        program = self.makeSubset(subset)
        packed = zlib.compress(program)  # what reportlab's PDFZCompress does
        try:
            write_bytes(path, marshal.dumps((len(program), zlib.crc32(packed), packed)))
            prune_unused_once(path.parent, "*.sub-*")  # programs unused for 30 days
        except OSError:
            pass
        return len(program), packed


def _unshaped(name: str) -> bool:
    return any(fnmatch(name, g) for g in unShapedFontGlob)


def _freeze(face: TTFontFace) -> bytes:
    """The parsed tables of a face as marshal data (not the file's bytes, read again)."""
    state = {}
    for k, v in vars(face).items():
        if k == "_ttf_data":
            state[k] = ("len", len(v))
        elif callable(v):
            continue  # _pdfScale: made again from unitsPerEm
        elif isinstance(v, TTFNameBytes):
            state[k] = ("name", v.ustr)
        else:
            state[k] = ("value", v)
    return marshal.dumps(state)


def _thaw(raw: bytes, path: str) -> TTFontFace:
    state = marshal.loads(raw)
    face = _Face.__new__(_Face)
    data = Path(path).read_bytes()
    for k, (kind, v) in state.items():
        if kind == "len":
            if v != len(data):
                raise ValueError("font file changed")
            setattr(face, k, data)
        elif kind == "name":
            setattr(face, k, TTFNameBytes(v.encode("utf-8"), "utf-8"))
        else:
            setattr(face, k, v)
    upem = face.unitsPerEm
    face._pdfScale = (lambda x: x) if upem == 1000 else (lambda x, m=1000 / upem: x * m)
    if face.filename != path:
        raise ValueError("parsed for another file")
    return face


def _face(path: str) -> TTFontFace:
    """reportlab's parse of a converted subset, kept beside it (``<subset>.<FACE_FORMAT>``):
    parsing four faces cost a tenth of a warm build.  The subset's name is a hash of its
    content, so the parse of one name never goes stale; a damaged file is parsed again."""
    memo = Path(f"{path}.{FACE_FORMAT}")
    try:
        return _thaw(memo.read_bytes(), path)
    except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError):
        pass
    face = _Face(path)
    try:
        write_bytes(memo, _freeze(face))
    except (OSError, ValueError):
        pass
    return face


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
                font = _ParsedTTFont(name, _face(path))
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
