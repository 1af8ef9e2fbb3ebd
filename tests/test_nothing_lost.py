"""Nothing lost, nothing re-announced: proved by counting, on built sites.

For every language of a full `newsroom.cli build`: every content file becomes
exactly one page, and every published release is in its language's feed
(within the feed length), its programmes' pages and feeds, the news index
(its year's page), the sitemap and the search index. The same check runs on
the real site and on a generated corpus of a few hundred releases.
"""

from __future__ import annotations

import filecmp
import subprocess
import sys
from collections import Counter
from pathlib import Path

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import etree

import sitebuild
from newsroom.content import now_from_env
from newsroom.translations import all_records, load_language
from searchindex import indexed_pages

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def count_everything(root: Path, site: Path, base_url: str) -> dict[str, Counter]:
    """Check every language of a built site against its content; returns the tallies."""
    feed_length = int(yaml.safe_load((root / "data" / "site.yml").read_text("utf-8"))["feed_length"])
    codes = [e["code"] for e in yaml.safe_load((root / "data" / "languages.yml").read_text("utf-8"))]
    tallies = {}
    for code in codes:
        catalogue = load_language(root, code, now_from_env())
        lang_site = site / code
        tally = Counter()
        # Every content file (or its English fallback) is exactly one page.
        for record in all_records(catalogue):
            url = getattr(record, "url", None) or _page_url(record.src_uri)
            assert (lang_site / url / "index.html").is_file(), (code, record.src_uri)
            tally["pages"] += 1
        built_pages = {p.parent.relative_to(lang_site).as_posix() + "/" for p in lang_site.rglob("index.html")}
        sitemap = {loc.text for loc in etree.parse(str(lang_site / "sitemap.xml")).getroot().iter(f"{SITEMAP}loc")}
        search = Counter(page["url"] for page in indexed_pages(lang_site))
        assert all(n == 1 for n in search.values()), "a page indexed twice"
        feed = [e.id for e in feedparser.parse((lang_site / "feed_rss_created.xml").read_bytes()).entries]
        assert len(feed) == len(set(feed)), f"{code}: an item twice in the feed"
        in_feed_order = [r for r in catalogue.listings.listed if catalogue.in_feeds(r)]
        assert feed == [r.guid for r in in_feed_order[:feed_length]], f"{code}: feed is not the newest releases"
        programme_feeds = {
            slug: [e.id for e in feedparser.parse((lang_site / "programmes" / slug / "feed.xml").read_bytes()).entries]
            for slug in catalogue.programmes
        }
        listing_pages = {}
        for release in catalogue.listings.listed:
            url = release.url
            assert url in built_pages and f"{base_url}{code}/{url}" in sitemap, (code, url)
            tally["releases"] += 1
            year_page = listing_pages.setdefault(f"news/{release.year}/", _ids_on(lang_site / f"news/{release.year}/index.html"))
            assert year_page[release.id] == 1, (code, url, "year page")
            for slug in release.programmes:
                programme_page = listing_pages.setdefault(f"programmes/{slug}/", _ids_on(lang_site / f"programmes/{slug}/index.html"))
                assert programme_page[release.id] == 1, (code, url, slug)
                if catalogue.in_feeds(release):
                    programme_releases = [r for r in catalogue.listings.releases_by_programme[slug] if catalogue.in_feeds(r)]
                    if release in programme_releases[:feed_length]:
                        assert programme_feeds[slug].count(release.guid) == 1, (code, url, slug, "programme feed")
                        tally["programme feed entries"] += 1
            if catalogue.in_feeds(release):
                assert search[f"/{url}"] == 1, (code, url, "search")
                tally["indexed"] += 1
        tallies[code] = tally
    return tallies


def _page_url(src_uri: str) -> str:
    stem = src_uri[:-3]
    return "" if stem == "index" else (stem.removesuffix("/index") + "/")


def _ids_on(path: Path) -> Counter:
    soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
    return Counter(card["data-release-id"] for card in soup.select("li.nr-card[data-release-id]"))


def test_real_site_loses_nothing(sites):
    project = sites.project()
    tallies = count_everything(project.root, project.site, sitebuild.SITE_URL)
    english_files = len(list((project.root / "docs" / "en").rglob("*.md")))
    releases = len(list((project.root / "docs" / "en" / "news").rglob("*.md")))
    for code, tally in tallies.items():
        assert tally["releases"] == releases == 2 and tally["pages"] == english_files, (code, tally)
        assert tally["indexed"] == 2, (code, tally)
