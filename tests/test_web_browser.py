"""Both seed weeks' web pages in headless Chromium at 375 and 1200 px.

Nothing may stick out of the viewport sideways (a wide table scrolls inside its own box on a
phone; on a desktop every table fits), and a screenshot of the page's first three screens
is kept under build/<WEEK>/screenshots/ for a reviewer (CI uploads them with the pages; a
picture of the whole 20,000-pixel page took seconds to encode).  Chromium is Debian's package,
installed by tools/ensure-browser.sh; without it the test is skipped on a developer's
machine and fails in CI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from authoring.web import build_editions

from cdp import Browser, find_chromium

REPO = Path(__file__).resolve().parent.parent
WEEKS = ("20250505", "20250310")
WIDTHS = (375, 1200)

OVERFLOW = r"""
(() => {
  const W = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > W) out.push('document is ' + document.documentElement.scrollWidth + ' px wide');
  const scrolls = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!r.width || scrolls(el)) continue;
    if (r.right > W + 0.5 || r.left < -0.5)
      out.push(el.tagName.toLowerCase() + '.' + (el.getAttribute('class') || '') + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  }
  return out.slice(0, 20);
})()
"""

SCROLLING_BOXES = r"""
Array.from(document.querySelectorAll('.table-wrap')).filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => e.getAttribute('aria-labelledby'))
"""


@pytest.fixture(scope="module")
def browser():
    binary = find_chromium()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; tools/ensure-browser.sh installs Debian's package")
        pytest.skip("chromium is not installed (tools/ensure-browser.sh installs it)")
    b = Browser(binary)
    yield b
    b.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("web-pages")
    return {week: build_editions(REPO, week, ["html"], out_dir=out / week)[0].path for week in WEEKS}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("week", WEEKS)
def test_page_fits_the_viewport(browser, pages, week, width):
    page = pages[week]
    session = browser.open(page.resolve().as_uri(), width)
    shots = REPO / "build" / week / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    browser.screenshot(session, shots / f"{page.stem}-{width}px.png", width, max_height=3 * 900)
    assert browser.evaluate(session, "document.documentElement.clientWidth") == width
    assert browser.evaluate(session, OVERFLOW) == []
    boxes = browser.evaluate(session, SCROLLING_BOXES)
    if width >= 1000:
        assert boxes == [], "tables that do not fit a desktop column"
    # a hyphenated Latin word is never split across lines (but in a narrow table column)
    split = browser.evaluate(session, "Array.from(document.querySelectorAll('.nobreak')).filter("
                                      "e => !e.closest('table') && e.getClientRects().length > 1)"
                                      ".map(e => e.textContent)")
    assert split == []
    assert browser.evaluate(session, "document.querySelectorAll('.nobreak').length") > 20
    # the page was laid out with its own styles, its charts and no script
    assert browser.evaluate(session, "document.querySelectorAll('script').length") == 0
    assert browser.evaluate(session, "document.querySelectorAll('svg.chart').length") > 0
    family = browser.evaluate(session, "getComputedStyle(document.body).fontFamily")
    assert family.lstrip("'\"").startswith("Noto Serif CJK SC")
    assert browser.evaluate(session, "document.querySelector('h1').getBoundingClientRect().height") > 30
    browser.send("Target.closeTarget", {"targetId": browser.send("Target.getTargetInfo", session=session)
                                        ["targetInfo"]["targetId"]})
