#!/bin/sh
# Make sure the machine has what the build needs from the system:
#   - a CJK font fontconfig can find (fonts-noto-cjk): required, exit 1 without it;
#   - the fallback faces of styles/theme.yaml (subscripts, superscripts, arrows, math and
#     other symbols the CJK fonts lack): fonts-noto-core, fonts-dejavu-core, fonts-symbola;
#     without them the build still runs, and only an entry using such a character fails;
#   - pdftoppm and pdffonts (poppler-utils), used to render pages and list fonts for checks,
#     and qpdf, which the tests use to check the PDF's structure: optional for a build.
# Installs with apt-get (through sudo when not root) where possible; otherwise says what to
# install, or how to point styles/theme.yaml at a font file.
set -u

. "$(dirname "$0")/apt-install.sh"

have_cjk_font() {
    command -v fc-list >/dev/null 2>&1 || return 1
    [ -n "$(fc-list :lang=zh family 2>/dev/null | head -n 1)" ]
}

status=0

# ---- CJK fonts (required)
if have_cjk_font; then
    echo "CJK fonts: ok ($(fc-list :lang=zh family | head -n 1 | cut -d, -f1))"
else
    echo "CJK fonts: none found by fontconfig; installing fonts-noto-cjk"
    if apt_install fonts-noto-cjk && { command -v fc-cache >/dev/null 2>&1 && fc-cache -f >/dev/null 2>&1 || true; } && have_cjk_font; then
        echo "CJK fonts: installed fonts-noto-cjk"
    else
        cat >&2 <<'MSG'
No CJK font is available and it could not be installed here.
Either install one, e.g.
    apt-get install fonts-noto-cjk          (Debian/Ubuntu; needs fontconfig too)
    dnf install google-noto-sans-cjk-fonts google-noto-serif-cjk-fonts   (Fedora)
    brew install --cask font-noto-sans-cjk-sc font-noto-serif-cjk-sc     (macOS)
or point the report at font files in styles/theme.yaml, for every role:
    fonts:
      serif:      {file: /path/to/NotoSerifCJK-Regular.ttc, index: 2}
      serif-bold: {file: /path/to/NotoSerifCJK-Bold.ttc, index: 2}
      sans:       {file: /path/to/NotoSansCJK-Regular.ttc, index: 2}
      sans-bold:  {file: /path/to/NotoSansCJK-Bold.ttc, index: 2}
(.ttf, .otf or .ttc; `index` picks the face of a collection, 2 = Simplified Chinese in
Noto CJK .ttc files.)
MSG
        status=1
    fi
fi

# ---- fallback faces (recommended)
have_family() {
    command -v fc-list >/dev/null 2>&1 || return 1
    [ -n "$(fc-list ":family=$1" family 2>/dev/null | head -n 1)" ]
}
for pair in "fonts-noto-core:Noto Sans Math" "fonts-dejavu-core:DejaVu Sans" "fonts-symbola:Symbola"; do
    pkg=${pair%%:*}
    family=${pair#*:}
    if have_family "$family"; then
        echo "fallback fonts: ok ($family)"
    elif apt_install "$pkg" && { command -v fc-cache >/dev/null 2>&1 && fc-cache -f >/dev/null 2>&1 || true; } \
            && have_family "$family"; then
        echo "fallback fonts: installed $pkg ($family)"
    else
        echo "fallback fonts: $family not available (install $pkg); characters only it has will be errors" >&2
    fi
done

# ---- pdftoppm (optional)
if command -v pdftoppm >/dev/null 2>&1; then
    echo "pdftoppm: ok"
elif apt_install poppler-utils && command -v pdftoppm >/dev/null 2>&1; then
    echo "pdftoppm: installed poppler-utils"
else
    echo "pdftoppm: not available (install poppler-utils to render pages for checks); continuing" >&2
fi

# ---- qpdf (optional: the tests check every PDF's structure with it)
if command -v qpdf >/dev/null 2>&1; then
    echo "qpdf: ok"
elif apt_install qpdf && command -v qpdf >/dev/null 2>&1; then
    echo "qpdf: installed qpdf"
else
    echo "qpdf: not available (install qpdf to run the PDF structure tests); continuing" >&2
fi

exit $status
