"""Reading the fonts of a built PDF back: every glyph shown, from which font, and what the
embedded font and its ToUnicode map say about it.  Helpers for the font tests."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass, field

import pypdf
from pypdf.generic import ContentStream


@dataclass
class Font:
    base: str
    subtype: str                  # CIDFontType0 / CIDFontType2
    encoding: str
    tounicode: dict[int, str]
    widths: set[int]
    glyphs: set[int]              # the ids the embedded program has (with outlines or not)
    shown: dict[int, int] = field(default_factory=dict)  # code -> times drawn


def _tounicode(stream) -> dict[int, str]:
    data = stream.get_data().decode("latin-1")
    out = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    return out


def _widths(w) -> set[int]:
    out: set[int] = set()
    items = list(w or [])
    k = 0
    while k < len(items):
        first = int(items[k])
        nxt = items[k + 1]
        if isinstance(nxt, list) or hasattr(nxt, "__iter__"):
            out.update(range(first, first + len(nxt)))
            k += 2
        else:
            out.update(range(first, int(nxt) + 1))
            k += 3
    return out


def _program_glyphs(descriptor, subtype: str) -> set[int]:
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont

    if "/FontFile3" in descriptor:
        data = descriptor["/FontFile3"].get_object().get_data()
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), None)
        top = cff.topDictIndex[0]
        names = top.charset
        if hasattr(top, "ROS"):
            return {0 if n == ".notdef" else int(n[3:]) for n in names}
        return set(range(len(names)))
    data = descriptor["/FontFile2"].get_object().get_data()
    tt = TTFont(io.BytesIO(data))
    glyf = tt["glyf"]
    order = tt.getGlyphOrder()
    return {i for i, name in enumerate(order) if glyf[name].numberOfContours != 0 or i == 0}


def read_fonts(path) -> tuple[dict[str, Font], list[dict[str, list[int]]]]:
    """(font objects by BaseFont, per page: BaseFont -> codes shown, in order)."""
    reader = pypdf.PdfReader(str(path))
    fonts: dict[str, Font] = {}
    pages = []

    def font_of(ref) -> Font:
        obj = ref.get_object()
        base = str(obj["/BaseFont"])[1:]
        if base not in fonts:
            desc = obj["/DescendantFonts"][0].get_object()
            fd = desc["/FontDescriptor"].get_object()
            fonts[base] = Font(base, str(desc["/Subtype"])[1:], str(obj["/Encoding"])[1:],
                               _tounicode(obj["/ToUnicode"].get_object()), _widths(desc.get("/W")),
                               _program_glyphs(fd, str(desc["/Subtype"])))
        return fonts[base]

    def walk(content, resources, shown):
        fontres = resources.get("/Font", {}) if resources else {}
        xobjects = resources.get("/XObject", {}) if resources else {}
        cur = None
        for operands, op in ContentStream(content, reader).operations:
            if op == b"Tf":
                cur = font_of(fontres[operands[0]])
            elif op in (b"Tj", b"TJ"):
                parts = operands[0] if op == b"TJ" else [operands[0]]
                for part in parts:
                    if isinstance(part, (bytes, pypdf.generic.ByteStringObject, pypdf.generic.TextStringObject)):
                        raw = part.original_bytes if hasattr(part, "original_bytes") else bytes(part)
                        for k in range(0, len(raw) - 1, 2):
                            code = raw[k] << 8 | raw[k + 1]
                            cur.shown[code] = cur.shown.get(code, 0) + 1
                            shown.setdefault(cur.base, []).append(code)
            elif op == b"Do":
                x = xobjects[operands[0]].get_object()
                if x.get("/Subtype") == "/Form":
                    walk(x, x.get("/Resources") or resources, shown)

    for page in reader.pages:
        shown: dict[str, list[int]] = {}
        walk(page.get_contents(), page["/Resources"], shown)
        pages.append(shown)
    return fonts, pages


def pdffonts(path) -> list[dict]:
    """poppler's pdffonts table: name, type, encoding, emb, sub, uni."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        m = re.match(r"(\S+)\s+(.+?)\s{2,}(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line)
        assert m, line
        rows.append(dict(zip(("name", "type", "encoding", "emb", "sub", "uni"), m.groups())))
    return rows
