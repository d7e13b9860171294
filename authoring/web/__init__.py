"""The web and e-mail editions: the same assembled Report as the PDF, written as HTML.

    html   one self-contained page: styles in the page, charts as inline SVG, images as
           data: URIs, fonts by name with a system fallback stack, no script (a
           Content-Security-Policy forbids them)
    email  a MIME message (.eml): HTML with inline styles and a table layout, charts and
           images as PNG parts referenced by cid:, and a plain-text part

Entry text is data: the templates (styles/templates/web/) autoescape everything, links
are limited to http, https and mailto, as in the PDF.
"""

from __future__ import annotations

from .build import EditionResult, build_editions, output_path

__all__ = ["EditionResult", "build_editions", "output_path"]
