"""Reading the site as a reader does: a release on paper, pages without
JavaScript, and a home page that says what the site is.

Debian's Chromium, driven by Playwright (conftest.py: `browser`, `page`,
`full_site`). Screenshots and the printed PDF go to the test's tmp_path; their
paths are printed (`pytest -s` shows them).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Served

RELEASE = "news/2024/from-emerging-tech-to-responsible-ai/"
WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

_DISPLAY = "e => getComputedStyle(e).display"
# Shown: it has a box and is neither transparent nor invisible, nor inside something that is.
_SHOWN = """e => { if (!e.getClientRects().length) return false;
  for (let n = e; n; n = n.parentElement) { const s = getComputedStyle(n); if (s.visibility === 'hidden' || s.opacity === '0') return false; }
  return true; }"""


def shown(page: Any, selector: str) -> bool:
    element = page.locator(selector).first
    return element.count() > 0 and element.evaluate(_SHOWN)


@pytest.fixture(params=["light", "dark"])
def scheme_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport=WIDE, color_scheme=request.param)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


# --------------------------------------------------------------------------
# Print


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_release_prints_cleanly(full_site: Served, scheme_page: Any, tmp_path: Path, lang: str) -> None:
    page = scheme_page
    page.goto(full_site.url(f"{lang}/{RELEASE}"))
    canonical = page.get_attribute("link[rel=canonical]", "href")
    assert not shown(page, ".nr-print-url"), "the printed address is for paper only"

    page.emulate_media(media="print")
    site_parts = {
        "header": ".md-header",
        "tabs": ".md-tabs",
        "navigation sidebar": ".md-sidebar--primary",
        "table of contents": ".md-sidebar--secondary",
        "footer": ".md-footer",
        "back to top": ".md-top",
        "skip link": ".nr-skip",
        "search": "#nr-search",
        "related news": ".nr-related",
    }
    printed = {name: sel for name, sel in site_parts.items() if page.locator(sel).count() and page.locator(sel).first.evaluate(_DISPLAY) != "none"}
    assert not printed, f"on paper these should not appear: {printed}"
    feeds = page.locator("a[type='application/rss+xml'], a[href$='.xml']")
    assert not any(link.evaluate(_SHOWN) for link in feeds.all()), "no feed links on paper"

    release = {
        "dateline": ".nr-dateline",
        "title": ".nr-release h1",
        "body": ".nr-body",
        "contacts": ".nr-contacts",
        "address": ".nr-print-url",
    }
    missing = [name for name, sel in release.items() if not shown(page, sel)]
    assert not missing, f"on paper the release lacks: {missing}"
    assert page.inner_text(".nr-print-url").strip() == canonical
    assert "@" in page.inner_text(".nr-contacts"), "contacts print with their addresses"
    # Dark on white, whatever the reader's screen scheme: body text is dark.
    colour = page.locator(".nr-body p").first.evaluate("e => getComputedStyle(e).color")
    channels = [float(c) for c in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
    assert max(channels) < 100, f"body text prints in {colour}"

    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    path = tmp_path / f"{lang}-release.pdf"
    path.write_bytes(pdf)
    print(f"printed: {path}")


# --------------------------------------------------------------------------
# Without JavaScript


@pytest.fixture
def no_script_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_pages_read_without_javascript(full_site: Served, no_script_page: Any, lang: str) -> None:
    page = no_script_page
    page.goto(full_site.url(f"{lang}/{RELEASE}"))
    for part in (".nr-dateline", ".nr-release h1", ".nr-body", ".nr-contacts"):
        assert shown(page, part), f"{part} of the release is not visible without JavaScript"
    assert len(page.inner_text(".nr-body")) > 500

    for path in ("", "news/"):
        page.goto(full_site.url(f"{lang}/{path}"))
        assert shown(page, "h1") and page.inner_text("h1").strip()
        cards = page.locator(".nr-card")
        assert cards.count() >= 2, f"/{lang}/{path}: releases listed"
        first = cards.first
        assert first.evaluate(_SHOWN)
        assert first.locator("time").inner_text().strip() and first.locator(".nr-card__summary").inner_text().strip()
        assert shown(page, ".nr-subscribe a"), f"/{lang}/{path}: the feed link shows without JavaScript"
    # The search button needs JavaScript: without it, it is not offered.
    assert not shown(page, ".nr-search-open")


# --------------------------------------------------------------------------
# The home page says what the site is


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["390", "1280"])
def test_home_shows_identity_news_programmes_and_feeds(full_site: Served, page: Any, tmp_path: Path, lang: str, viewport: dict[str, int]) -> None:
    page.set_viewport_size(viewport)
    page.goto(full_site.url(f"{lang}/"))
    path = tmp_path / f"home-{lang}-{viewport['width']}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")

    # Who we are: the site's name and the page's own introduction.
    assert shown(page, "h1") and page.inner_text("h1").strip()
    assert len(page.inner_text(".nr-intro").strip()) > 100, "an introduction says what the site publishes"
    assert page.title().strip()

    # Latest news: dated, summarised, linked.
    news = page.locator(".nr-home__news .nr-card")
    assert news.count() >= 2
    for card in news.all():
        assert card.locator("time[datetime]").inner_text().strip()
        assert card.locator(".nr-card__summary").inner_text().strip()
        assert card.locator(".nr-card__title a").get_attribute("href")

    # Feeds: visible links, not only <link> tags in the head, after the
    # programmes (issue 19.3): the site's, then each programme's.
    feeds = page.locator(".nr-home__subscribe .nr-subscribe a[type='application/rss+xml']")
    assert [a.get_attribute("href").rsplit("/", 1)[-1] for a in feeds.all()] == ["feed_rss_created.xml", "feed_rss_updated.xml"]
    assert all(a.evaluate(_SHOWN) for a in feeds.all())
    programme_feeds = page.locator(".nr-home__subscribe .nr-follow__feeds a[type='application/rss+xml']")
    assert programme_feeds.count() >= 2 and all(a.evaluate(_SHOWN) for a in programme_feeds.all())

    # Programmes as cards: side by side on a wide screen, stacked on a phone.
    cards = page.locator(".nr-home__programmes .nr-card")
    assert cards.count() >= 2
    tops = {round(card.bounding_box()["y"]) for card in cards.all()[:2]}
    assert (len(tops) == 1) == (viewport is WIDE), f"first two programme cards at y={sorted(tops)}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page is {width}px wide in a {viewport['width']}px window"
