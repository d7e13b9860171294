"""Helpers for the web edition's tests: parse a page with html5lib as a browser would."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import html5lib


def parse(html: str | bytes):
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def text(el) -> str:
    return "".join(el.itertext())


def local(tag: str) -> str:
    """'{http://www.w3.org/2000/svg}path' -> 'path' (html5lib names foreign elements so)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def has_class(el, name: str) -> bool:
    return name in (el.get("class") or "").split()


def find_class(root, tag: str, name: str) -> list:
    return [e for e in root.iter(tag) if has_class(e, name)]


def email_parts(path: Path):
    """(html text, plain text, {content-id: bytes}) of an .eml file."""
    msg = email.message_from_bytes(Path(path).read_bytes(), policy=policy.default)
    html = msg.get_body(("html",)).get_content()
    plain = msg.get_body(("plain",)).get_content()
    related = {}
    for part in msg.walk():
        cid = part.get("Content-ID")
        if cid:
            related[cid.strip("<>")] = part.get_content()
    return html, plain, related
