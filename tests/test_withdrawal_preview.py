"""Withdrawn releases and preview builds."""

from __future__ import annotations

import feedparser
import pytest
from bs4 import BeautifulSoup

import sitebuild
from searchindex import indexed_pages

WITHDRAWN = "news/2024/withdrawn-release/"
WITHDRAWN_ID = "urn:uuid:aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"


@pytest.fixture(scope="module")
def withdrawn(sites):
    built = sites.get("withdrawn")
    assert built.ok, built.output
    return built


def test_withdrawn_release_keeps_its_page_with_a_notice(withdrawn):
    page = withdrawn.html(WITHDRAWN)
    notice = page.select_one("aside.nr-withdrawn").get_text(" ", strip=True)
    assert notice == "Withdrawn on 5 May 2024: It announced an event that was cancelled."
    assert "amethyst-lantern" in page.select_one(".nr-body").get_text()
    assert f"{sitebuild.SITE_URL}en/{WITHDRAWN}" in sitebuild.sitemap_locs(withdrawn.site / "en")


def test_withdrawn_release_leaves_listings_search_and_feeds(withdrawn):
    for url in ("", "news/", "news/2024/", "programmes/alpha/", "organisations/unicri/", "news/2024/first-release/"):
        assert "A release that was withdrawn" not in withdrawn.text(url), url
    for feed in ("feed_rss_created.xml", "feed_rss_updated.xml", "programmes/alpha/feed.xml"):
        parsed = feedparser.parse(withdrawn.text(feed))
        assert parsed.bozo == 0 and WITHDRAWN_ID not in [e.id for e in parsed.entries], feed
    assert "/news/2024/withdrawn-release/" not in [p["url"] for p in indexed_pages(withdrawn.site / "en")]


def test_preview_shows_embargoed_releases_watermarked_and_noindex(sites):
    # Embargoes are shown only when the preview asks for them (a private
    # repository's pull request): see test_embargo.py for the rest.
    built = sites.get("embargo", NEWSROOM_NOW="2024-06-01T09:00:00Z", NEWSROOM_PREVIEW="1", NEWSROOM_PREVIEW_EMBARGOED="1")
    assert built.ok, built.output
    page = built.html("news/2024/embargoed-release/")
    assert page.select_one(".nr-embargo").get_text(strip=True) == "EMBARGOED until 1 June 2024, 12:00 (UTC+02:00)"
    for path in (built.site / "en").rglob("*.html"):
        soup = built.html(path.relative_to(built.site / "en").as_posix()) if path.name == "index.html" else None
        if soup is None:
            continue
        assert soup.select_one('meta[name="robots"]')["content"] == "noindex, nofollow", path
        assert "Preview of a proposed change" in soup.select_one(".md-banner .nr-preview").get_text(), path
    assert not built.path("news/2024/draft-release/").exists()
    ids = [e.id for e in feedparser.parse(built.text("feed_rss_created.xml")).entries]
    assert "urn:uuid:44444444-4444-4444-8444-444444444444" not in ids


def test_published_site_has_no_preview_marks(site):
    page = site.html("")
    assert page.select_one(".nr-preview") is None
    assert page.select_one('meta[name="robots"]') is None


def test_no_empty_banner_without_a_preview_notice(site):
    """Material draws its banner (a dark strip) whenever the announce block
    renders anything, whitespace included."""
    pages = sorted((site.site / "en").rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        announce = soup.select_one('[data-md-component="announce"]')
        assert announce is not None and announce.select_one(".md-banner") is None, path
