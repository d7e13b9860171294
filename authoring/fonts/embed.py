"""Embedding: each face once per PDF, as a Type0 font with Identity-H encoding.

`PDFFace` is a reportlab font object (a subclass of the public ``pdfmetrics.Font``,
registered with ``pdfmetrics.registerFont``) the way reportlab's own CID fonts work: the
first time a document names it (``getInternalFontName``), `addObjects` puts an empty font
dictionary into the document's font resources and asks to be called again when the
document is written (``doc.delayedFonts``, which reportlab's TrueType fonts use too).
Meanwhile the drawing code (authoring.layout.glyphs) records every glyph it shows
(`use`).  At the second call the face is subset to those glyphs (authoring.fonts.subset)
and the objects are filled in:

    Type0 font ── /Encoding /Identity-H, /ToUnicode CMap (glyph id -> the text it shows)
      └ CIDFontType0 (CFF) or CIDFontType2 (TrueType) ── /W widths of the glyphs used
          └ FontDescriptor ── /FontFile3 (/Subtype /CIDFontType0C) or /FontFile2

Only reportlab's public PDF object classes (pdfdoc.PDFDictionary, PDFArray, PDFStream,
PDFName, PDFString) are used.
"""

from __future__ import annotations

import hashlib
import weakref
from pathlib import Path

import uharfbuzz as hb
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics

from .face import Face
from .subset import cid_check, program

class _FaceInfo:
    """What reportlab's canvas asks of a font's face (``builtIn``, ``name``)."""

    builtIn = 0

    def __init__(self, name: str):
        self.name = name


class PDFFace(pdfmetrics.Font):
    """One face as a reportlab font: records the glyphs drawn, writes them at the end."""

    def __init__(self, face: Face, cache: Path | None, background=None):
        # pdfmetrics.Font.__init__ looks up a Type 1 face and encoding: not wanted here
        self.hb = face
        self.cache = cache
        #: the face's CID check, needed when the PDF is written: begun in `background` when
        #: a document first names the face (after the layout has asked for its charts)
        self.cids = None
        self._background = background
        # names from the face's name, file and index: the same in every build and after the
        # font file is touched (reproducible PDFs), unique per face (a copy of a font file
        # elsewhere is another face); registering a later build's object under the name
        # replaces this one
        ident = hashlib.sha256(f"{face.postscript_name}:{face.path}:{face.index}".encode())
        self.internal_name = f"AF{ident.hexdigest()[:10]}"
        self.fontName = f"{self.internal_name}-{face.postscript_name}"
        self.face = _FaceInfo(face.postscript_name)
        self.encoding = None
        self.substitutionFonts = []
        self.scale = 1000.0 / face.upem
        #: glyph id -> the text it stands for (first seen), every glyph drawn so far
        self.used: dict[int, str] = {0: ""}
        self._w = face.widths1000  # kept with the face: the same in every build
        self._docs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __repr__(self) -> str:
        return f"<PDFFace {self.fontName}>"

    def use(self, gid: int, text: str) -> None:
        if gid not in self.used or (text and not self.used[gid]):
            self.used[gid] = text

    def use_all(self, uses: dict[int, str]) -> None:
        """`use` for each (glyph, text) of `uses`, in order."""
        used = self.used
        for gid, text in uses.items():
            if gid not in used or (text and not used[gid]):
                used[gid] = text

    def width1000(self, gid: int) -> float:
        """The glyph's advance as the PDF's /W says it, in 1/1000 em."""
        w = self._w.get(gid)
        if w is None:
            w = self._w[gid] = round(self.hb.advance(gid) * self.scale, 3)
        return w

    def stringWidth(self, text, size, encoding="utf8"):
        if isinstance(text, bytes):
            text = text.decode(encoding)
        return sum(self.width1000(self.hb.glyph(ch)) for ch in text) * size / 1000.0

    # -- reportlab's font protocol -------------------------------------------------------

    def addObjects(self, doc):
        font = self._docs.get(doc)
        if font is None:  # first use in this document: a resource to be filled in at the end
            font = self._docs[doc] = pdfdoc.PDFDictionary({})
            ref = doc.Reference(font, self.internal_name)
            doc.idToObject["BasicFonts"].dict[self.internal_name] = ref
            doc.fontMapping[self.fontName] = "/" + self.internal_name
            doc.delayedFonts.append(self)
            if self.cids is None and self._background is not None:
                self.cids = cid_check(self.hb, self.cache, self._background)
            return
        self._fill(doc, font)

    def _fill(self, doc, font: pdfdoc.PDFDictionary) -> None:
        face = self.hb
        used = tuple(sorted(self.used.items()))
        kept = face.embedded.get(used)
        if kept is None:
            gids = [g for g, _t in used]
            prog = program(face, gids, self.cache, self.cids)  # cids None: checked now
            kept = (gids, prog, self._widths(gids), self._tounicode())
            if len(face.embedded) >= 2:  # the last two: an edit and its undo
                face.embedded.pop(next(iter(face.embedded)))
            face.embedded[used] = kept
        gids, prog, widths, tounicode = kept
        tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(
            f"{self.internal_name}:{gids}".encode()).digest()[:6])
        base = pdfdoc.PDFName(f"{tag}+{face.postscript_name}")

        stream = pdfdoc.PDFStream(content=prog.packed, filters=[])
        stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
        if prog.kind == "cff":
            stream.dictionary["Subtype"] = pdfdoc.PDFName("CIDFontType0C")
        else:
            stream.dictionary["Length1"] = prog.length
        ext = face.font.get_font_extents("ltr")
        s = self.scale
        bbox = [v * s for v in prog.bbox]
        cap = face.font.get_metric_position(hb.OTMetricsTag.CAP_HEIGHT)
        descriptor = pdfdoc.PDFDictionary({
            "Type": pdfdoc.PDFName("FontDescriptor"),
            "FontName": base,
            "Flags": 4,  # symbolic: glyphs outside the standard Latin set
            "FontBBox": pdfdoc.PDFArray([round(v) for v in bbox]),
            "ItalicAngle": 0,
            "Ascent": round(ext.ascender * s),
            "Descent": round(ext.descender * s),
            "CapHeight": round((cap if cap else ext.ascender) * s),
            "StemV": 80,
            ("FontFile3" if prog.kind == "cff" else "FontFile2"): doc.Reference(stream),
        })
        cid = pdfdoc.PDFDictionary({
            "Type": pdfdoc.PDFName("Font"),
            "Subtype": pdfdoc.PDFName("CIDFontType0" if prog.kind == "cff" else "CIDFontType2"),
            "BaseFont": base,
            "CIDSystemInfo": pdfdoc.PDFDictionary({
                "Registry": pdfdoc.PDFString("Adobe"), "Ordering": pdfdoc.PDFString("Identity"),
                "Supplement": 0}),
            "FontDescriptor": doc.Reference(descriptor),
            "DW": self.width1000(0),
            "W": widths,
        })
        if prog.kind != "cff":
            cid["CIDToGIDMap"] = pdfdoc.PDFName("Identity")
        tounicode = pdfdoc.PDFStream(content=tounicode)
        font["Type"] = pdfdoc.PDFName("Font")
        font["Subtype"] = pdfdoc.PDFName("Type0")
        font["BaseFont"] = base
        font["Encoding"] = pdfdoc.PDFName("Identity-H")
        font["DescendantFonts"] = pdfdoc.PDFArray([doc.Reference(cid)])
        font["ToUnicode"] = doc.Reference(tounicode)

    def _widths(self, gids: list[int]) -> bytes:
        """/W: runs of consecutive glyph ids with their widths, written out here (a
        thousand numbers through reportlab's per-object formatting cost a warm build
        20 ms; pdfdoc writes bytes as they are)."""
        out: list[str] = []
        run: list[str] = []
        prev = None
        for g in gids:
            w = self.width1000(g)
            text = str(int(w)) if w == int(w) else fp_str(w)
            if prev is not None and g == prev + 1:
                run.append(text)
            else:
                if run:
                    out.append("[" + " ".join(run) + "]")
                out.append(str(g))
                run = [text]
            prev = g
        if run:
            out.append("[" + " ".join(run) + "]")
        return ("[" + " ".join(out) + "]").encode("ascii")

    def _bfchar(self, g: int, t: str) -> bytes:
        """One line of the /ToUnicode map (kept with the face: a watch writes them again)."""
        kept = self.hb.bfchars
        line = kept.get((g, t))
        if line is None:
            line = kept[(g, t)] = f"<{g:04X}> <{t.encode('utf-16-be').hex().upper()}>".encode()
        return line

    def _tounicode(self) -> bytes:
        pairs = [(g, t) for g, t in sorted(self.used.items()) if t]
        lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
                 b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
                 b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
                 b"1 begincodespacerange", b"<0000> <FFFF>", b"endcodespacerange"]
        for k in range(0, len(pairs), 100):
            chunk = pairs[k:k + 100]
            lines.append(f"{len(chunk)} beginbfchar".encode())
            lines += [self._bfchar(g, t) for g, t in chunk]
            lines.append(b"endbfchar")
        lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
        return b"\n".join(lines)


def register(faces, cache: Path | None, background=None) -> None:
    """Make a `PDFFace` for each face (``face.embedding``) and register it with reportlab
    (a new object per build: the glyphs drawn are recorded on it).  `background`
    (`authoring.background.Background`): where a face's CID check runs when not cached."""
    for face in faces:
        pdf = face.embedding = PDFFace(face, cache, background)
        pdfmetrics.registerFont(pdf)
