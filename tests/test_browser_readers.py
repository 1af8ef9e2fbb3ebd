"""What readers see, measured in Chromium: names that read the right way
round in Arabic, at a phone's width and a desktop's.

"CT TECH+" printed as it is in a right-to-left line shows as "+CT TECH": the
"+" at the end of a Latin run takes the line's direction. Every place that
prints a name isolates it (newsroom/i18n.py `isolate`, <bdi>, search.js), and
these tests find where the "+" really is on the screen: to the right of the
"C", as in English. `python -m newsroom.screenshots` shows the same views
for people to look at.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import Served

NAME = "CT TECH+"
PROGRAMME = "ar/programmes/ct-tech-plus/"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}

# Where each character of the name is drawn: the boxes of its first letter
# and of its last character, found through the text nodes under an element.
_NAME_BOXES = """(element, name) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
  const at = text.indexOf(name);
  if (at < 0) return null;
  const box = (index) => {
    const [node, start] = nodes.filter(([n, s]) => s <= index).pop();
    const range = document.createRange();
    range.setStart(node, index - start);
    range.setEnd(node, index - start + 1);
    const r = range.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  };
  return {first: box(at), last: box(at + name.length - 1)};
}"""


def name_reads_left_to_right(page: Any, selector: str) -> None:
    boxes = page.locator(selector).first.evaluate(_NAME_BOXES, NAME)
    assert boxes is not None, f"{NAME!r} is not in {selector}"
    first, last = boxes["first"], boxes["last"]
    assert abs(first["top"] - last["top"]) < 2, f"{selector}: the name is broken across lines: {boxes}"
    assert last["left"] > first["right"], f'{selector}: "+" is drawn left of "C", so the name reads "+CT TECH": {boxes}'


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def width(request: pytest.FixtureRequest, browser: Any) -> Any:
    context = browser.new_context(viewport=WIDTHS[request.param])
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize(
    "selector",
    [
        "article.nr-programme h1",
        ".nr-subscribe a",
        ".nr-card__meta",
        '[data-md-component="header-topic"]',
        "article.nr-programme .nr-body p",
    ],
)
def test_the_name_reads_the_right_way_round_in_arabic(width: Any, full_site: Served, selector: str) -> None:
    width.goto(full_site.url(PROGRAMME), wait_until="networkidle")
    assert width.evaluate("document.documentElement.dir") == "rtl"
    name_reads_left_to_right(width, selector)


def test_the_arabic_title_isolates_the_name(page: Any, full_site: Served) -> None:
    """<title> holds no markup: the name sits between Unicode's isolates."""
    page.goto(full_site.url(PROGRAMME))
    assert page.title().startswith(f"\u2068{NAME}\u2069 - ")


def test_the_name_reads_the_right_way_round_in_the_arabic_search(width: Any, full_site: Served) -> None:
    """Result facts and filter labels come from search.js, which isolates names too."""
    width.goto(full_site.url("ar/"), wait_until="networkidle")
    width.locator("body").click(position={"x": 5, "y": 400})
    width.keyboard.press("/")
    width.wait_for_selector("#nr-search[open]")
    width.keyboard.insert_text("الإرهاب")
    width.wait_for_selector(".nr-search__result")
    width.wait_for_timeout(400)
    meta = width.locator(".nr-search__result-meta", has_text="TECH")
    assert meta.count() >= 1
    meta.first.evaluate("e => e.id = 'nr-test-meta'")
    name_reads_left_to_right(width, "#nr-test-meta")
    details = width.locator(".nr-search__more")
    if not details.evaluate("d => d.open"):
        width.locator(".nr-search__more summary").click()
    label = width.locator(".nr-search__facet label", has_text="TECH")
    label.first.evaluate("e => e.id = 'nr-test-filter'")
    name_reads_left_to_right(width, "#nr-test-filter")
