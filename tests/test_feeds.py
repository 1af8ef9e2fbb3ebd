"""Feeds subscribers can trust: valid, complete, stable, with nothing leaked.

Every feed is parsed strictly with lxml and with feedparser, on real builds.
"""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlparse

import feedparser
import lxml.html
import pytest
import yaml
from lxml import etree

import sitebuild

ATOM = "{http://www.w3.org/2005/Atom}"
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
HOSTILE_TITLE = "Tom & Jerry: 3 < 4 > 2 \"quoted\" 'single' 🎉 & more"
HOSTILE_PROGRAMME = 'R&D < Gamma > "Quoted" 🚀 Programme'
HOSTILE_LOCATION = 'Rock & Roll <City> "Q" 🌍'
HOSTILE_SITE = 'News & <Views> "Q" 🗞'


def feed_files(built: sitebuild.Built) -> list[Path]:
    root = built.site / built.lang
    return [root / "feed_rss_created.xml", root / "feed_rss_updated.xml", *sorted((root / "programmes").glob("*/feed.xml"))]


def feed_url(built: sitebuild.Built, path: Path) -> str:
    return f"{built.base_url}{path.relative_to(built.site).as_posix()}"


def check_rss(built: sitebuild.Built, path: Path) -> etree._Element:
    """Everything the W3C validator checks for RSS 2.0 that applies to us."""
    raw = path.read_bytes()
    assert not XML_ILLEGAL.search(raw.decode("utf-8")), path
    root = etree.fromstring(raw, etree.XMLParser(recover=False))  # strict: raises on malformed XML
    assert root.tag == "rss" and root.get("version") == "2.0"
    parsed = feedparser.parse(raw)
    assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
    channel = root.find("channel")
    for name in ("title", "link", "description", "language"):
        assert (channel.findtext(name) or "").strip(), f"{path}: channel has no {name}"
    assert channel.findtext("link").startswith(f"{built.base_url}{built.lang}/")
    assert channel.findtext("language") == built.lang
    selfs = [link for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert [link.get("href") for link in selfs] == [feed_url(built, path)]
    items = channel.findall("item")
    if items:
        # The channel's dates are its newest item's, not the build's.
        for name in ("pubDate", "lastBuildDate"):
            assert RFC822.match(channel.findtext(name) or ""), (path, name, channel.findtext(name))
        newest = max(parsedate_to_datetime(item.findtext("pubDate")) for item in items)
        assert parsedate_to_datetime(channel.findtext("pubDate")) == newest, path
        assert parsedate_to_datetime(channel.findtext("lastBuildDate")) >= newest, path
    else:
        # No item, no date: neither the clock's nor a made-up one.
        assert channel.find("pubDate") is None and channel.find("lastBuildDate") is None, path
    image = channel.find("image")
    assert image is not None and image.findtext("url").startswith(built.base_url)
    assert image.findtext("title") == channel.findtext("title")
    guids = []
    for item in items:
        assert item.findtext("title")
        assert item.findtext("link").startswith(f"{built.base_url}{built.lang}/news/")
        assert item.findtext("guid")
        guids.append(item.findtext("guid"))
        assert RFC822.match(item.findtext("pubDate")), item.findtext("pubDate")
        check_item_html(item.findtext("description"), built.base_url)
    assert len(guids) == len(set(guids)), f"{path}: an item appears twice"
    return channel


def check_item_html(html: str, base_url: str) -> None:
    """Only absolute URLs (the site's own, other sites' https); nothing that runs."""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in tree.iter():
        assert element.tag not in ("script", "iframe", "object", "embed", "style", "form")
        for name, value in element.attrib.items():
            assert not name.startswith("on"), (element.tag, name)
            if name in ("href", "src"):
                assert value.startswith(base_url) or urlparse(value).scheme in ("https", "mailto", "tel"), (name, value)


@pytest.fixture(scope="module")
def hostile(sites):
    built = sites.get("hostile-feed", NEWSROOM_SITE_NAME=HOSTILE_SITE)
    assert built.ok, built.output
    return built


def test_real_site_feeds_are_valid(site):
    files = feed_files(site)
    assert len(files) == 2 + len(list((site.site / "en" / "programmes").glob("*/feed.xml")))
    for path in files:
        check_rss(site, path)


def test_real_site_feed_has_both_seed_releases_with_full_text(site):
    feed = feedparser.parse(site.text("feed_rss_created.xml"))
    titles = [entry.title for entry in feed.entries]
    assert "From Emerging Tech to Responsible AI: The Present and Future of Law Enforcement and Counter-Terrorism" in titles
    assert "UNCCT and UNICRI jointly launched a new research initiative: Counter-Terrorism in the Age of Artificial Intelligence" in titles
    release = next(e for e in feed.entries if e.title.startswith("From Emerging"))
    page_text = " ".join(site.html("news/2024/from-emerging-tech-to-responsible-ai/").select_one(".nr-body").get_text().split())
    feed_text = " ".join(lxml.html.fragment_fromstring(release.description, create_parent="div").text_content().split())
    assert page_text in feed_text  # the whole body, not an abstract


def test_each_language_has_its_own_stable_guid_for_a_release(sites):
    """English keeps urn:uuid:<id> as published; another language's item is
    urn:uuid:<uuid5(id, language)>. The same in the site, JSON and programme
    feeds of one language, and never the same in two languages."""
    project = sites.project()
    ids = {f"news/{p.parent.name}/{p.stem}/": yaml.safe_load(p.read_text("utf-8").split("---\n", 2)[1])["id"] for p in (project.root / "docs/en/news").glob("*/*.md")}
    languages: dict[str, str] = {}
    for lang in ("en", "fr", "es", "ar", "ru", "zh"):
        site = project.site / lang
        base = f"{project.base_url}{lang}/"

        def expected(link: str) -> str:
            release_id = ids[link.removeprefix(base)]
            return f"urn:uuid:{release_id}" if lang == "en" else f"urn:uuid:{uuid.uuid5(uuid.UUID(release_id), lang)}"

        items = []
        for feed in [site / "feed_rss_created.xml", site / "feed_rss_updated.xml", *sorted((site / "programmes").glob("*/feed.xml"))]:
            for item in etree.parse(str(feed)).getroot().iter("item"):
                guid = item.find("guid")
                assert guid.get("isPermaLink") == "false"
                items.append((item.findtext("link"), guid.text))
        for kind in ("created", "updated"):
            items += [(i["url"], i["id"]) for i in json.loads((site / f"feed_json_{kind}.json").read_text("utf-8"))["items"]]
        assert {link for link, _ in items} == {base + url for url in ids}, lang
        for link, guid in items:
            assert guid == expected(link), (lang, link)
            assert str(uuid.UUID(guid.removeprefix("urn:uuid:"))) == guid.removeprefix("urn:uuid:")
            assert languages.setdefault(guid, lang) == lang, f"{guid} is in the {languages[guid]} and the {lang} feeds"
    assert len(languages) == 6 * len(ids)


def test_programme_feeds_list_their_releases(site):
    for path in sorted((site.site / "en" / "programmes").glob("*/feed.xml")):
        slug = path.parent.name
        page = site.html(f"programmes/{slug}/")
        listed = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in page.select(".nr-programme__news .nr-card__title a")}
        feed = feedparser.parse(path.read_bytes())
        assert {e.link.rstrip("/").rsplit("/", 1)[-1] for e in feed.entries} == listed
        title = page.select_one("h1").get_text(strip=True)
        assert title in feed.feed.title and title in feed.feed.description


def test_hostile_values_stay_valid_and_escaped_once(hostile):
    for path in feed_files(hostile):
        check_rss(hostile, path)
    raw = hostile.text("feed_rss_created.xml")
    assert "<url>None</url>" not in raw
    feed = feedparser.parse(raw)
    assert feed.feed.title == HOSTILE_SITE
    item = next(e for e in feed.entries if "Tom" in e.title)
    assert item.title == HOSTILE_TITLE  # not double-escaped
    channel = etree.fromstring(raw.encode()).find("channel")
    xml_item = next(i for i in channel.findall("item") if "Tom" in i.findtext("title"))
    assert sorted(c.text for c in xml_item.findall("category")) == sorted([HOSTILE_PROGRAMME, "Alpha Programme"])
    assert HOSTILE_LOCATION in lxml.html.fragment_fromstring(xml_item.findtext("description"), create_parent="div").text_content()
    gamma = etree.fromstring(hostile.path("programmes/gamma/feed.xml").read_bytes()).find("channel")
    # A title is text; a channel's description is read as HTML (by feedparser
    # too), so its text is escaped for HTML inside the XML.
    description = lxml.html.fragment_fromstring(gamma.findtext("description"), create_parent="div").text_content()
    assert HOSTILE_PROGRAMME in gamma.findtext("title") and HOSTILE_PROGRAMME in description
    assert HOSTILE_PROGRAMME in lxml.html.fragment_fromstring(feedparser.parse(hostile.text("programmes/gamma/feed.xml")).feed.description, create_parent="div").text_content()
    assert [i.findtext("title") for i in gamma.findall("item")] == [HOSTILE_TITLE]


def test_hostile_body_is_sanitised_and_absolute_in_feeds(hostile):
    channel = etree.fromstring(hostile.path("feed_rss_created.xml").read_bytes()).find("channel")
    item = next(i for i in channel.findall("item") if "Tom" in i.findtext("title"))
    html = item.findtext("description")
    check_item_html(html, hostile.base_url)
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    hrefs = [a.get("href") for a in tree.iter("a") if a.get("href")]
    assert f"{sitebuild.SITE_URL}en/programmes/gamma/" in hrefs
    assert f"{sitebuild.SITE_URL}en/news/2024/hostile-values/#section" in hrefs
    assert [img.get("src") for img in tree.iter("img")] == [f"{sitebuild.SITE_URL}en/assets/images/newsroom-feed.png"]
    assert "alert" not in html and "evil.example" not in html
    assert "Last paragraph of the hostile release." in tree.text_content()


def test_json_feed_mirrors_rss(hostile):
    data = json.loads(hostile.text("feed_json_created.json"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == f"{sitebuild.SITE_URL}en/feed_json_created.json"
    item = next(i for i in data["items"] if i["title"] == HOSTILE_TITLE)
    assert item["id"] == "urn:uuid:22222222-2222-4222-8222-222222222222"
    assert item["url"] == f"{sitebuild.SITE_URL}en/news/2024/hostile-values/"
    assert datetime.fromisoformat(item["date_published"]) == datetime(2024, 11, 22, 14, 30, tzinfo=timezone.utc)
    assert datetime.fromisoformat(item["date_modified"]).date().isoformat() == "2024-12-03"
    assert "Last paragraph of the hostile release." in item["content_html"]
    check_item_html(item["content_html"], hostile.base_url)


def test_pub_date_is_the_front_matter_date_with_its_offset(hostile):
    feed = feedparser.parse(hostile.text("feed_rss_created.xml"))
    item = next(e for e in feed.entries if e.title == HOSTILE_TITLE)
    assert parsedate_to_datetime(item.published) == datetime(2024, 11, 22, 14, 30, tzinfo=timezone.utc)
    base = next(e for e in feed.entries if e.title == "First release")
    # A date written alone is 10:00 UTC that day (data/site.yml date_only_time_utc).
    assert parsedate_to_datetime(base.published) == datetime(2024, 3, 1, 10, tzinfo=timezone.utc)


def test_corrections_update_without_reannouncing(hostile):
    created = feedparser.parse(hostile.text("feed_rss_created.xml"))
    updated = feedparser.parse(hostile.text("feed_rss_updated.xml"))
    item_created = next(e for e in created.entries if e.title == HOSTILE_TITLE)
    item_updated = next(e for e in updated.entries if e.title == HOSTILE_TITLE)
    assert item_created.id == item_updated.id
    assert parsedate_to_datetime(item_created.published).date().isoformat() == "2024-11-22"
    assert parsedate_to_datetime(item_updated.published).date().isoformat() == "2024-12-03"
    assert [e.id for e in created.entries].count(item_created.id) == 1
    page = hostile.html("news/2024/hostile-values/")
    notice = page.select_one(".nr-updates").get_text(" ", strip=True)
    assert "Updated 3 December 2024" in notice and "Corrected a name & a <date>." in notice


def test_guid_survives_edits_corrections_and_renames(sites):
    before = sites.get("stable-before")
    after = sites.get("stable-after")
    assert before.ok and after.ok, before.output + after.output
    old = next(e for e in feedparser.parse(before.text("feed_rss_created.xml")).entries if e.title == "Original title")
    new = next(e for e in feedparser.parse(after.text("feed_rss_created.xml")).entries if e.title == "Edited title")
    assert old.id == new.id == "urn:uuid:33333333-3333-4333-8333-333333333333"
    assert old.link.endswith("/news/2024/original-slug/") and new.link.endswith("/news/2024/renamed-slug/")
    assert parsedate_to_datetime(old.published) == parsedate_to_datetime(new.published)
    redirect = after.html("news/2024/original-slug/")
    refresh = redirect.select_one('meta[http-equiv="refresh"]')["content"]
    assert refresh.endswith("../renamed-slug/")
    programme_feed = feedparser.parse(after.text("programmes/alpha/feed.xml"))
    assert [e.id for e in programme_feed.entries].count(new.id) == 1


def test_two_builds_of_the_same_content_are_identical(sites, hostile):
    again = sites.get("hostile-feed", NEWSROOM_SITE_NAME=HOSTILE_SITE, REBUILD="second")
    assert again.ok
    for path in feed_files(hostile) + [hostile.site / "en" / "feed_json_created.json", hostile.site / "en" / "sitemap.xml", hostile.site / "en" / "sitemap-pages.xml"]:
        twin = again.site / path.relative_to(hostile.site)
        assert path.read_bytes() == twin.read_bytes(), path


@pytest.mark.parametrize(
    ("now", "published"),
    [("2024-06-01T09:59:00Z", False), ("2024-06-01T10:00:00Z", True)],
)
def test_embargo_and_drafts_leak_nowhere(sites, now, published):
    built = sites.get("embargo", NEWSROOM_NOW=now)
    assert built.ok, built.output
    everything = "\n".join(p.read_text("utf-8", errors="replace") for p in built.site.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt"))
    assert "Draft announcement" not in everything and "onyx-marble" not in everything and "draft-release" not in everything
    for marker in ("Embargoed announcement", "zebra-quartz", "embargoed-release", "44444444-4444-4444-8444-444444444444"):
        assert (marker in everything) is published, marker
    ids = [e.id for e in feedparser.parse(built.text("feed_rss_created.xml")).entries]
    assert ("urn:uuid:44444444-4444-4444-8444-444444444444" in ids) is published
    alpha = [e.id for e in feedparser.parse(built.text("programmes/alpha/feed.xml")).entries]
    assert ("urn:uuid:44444444-4444-4444-8444-444444444444" in alpha) is published
    assert built.path("news/2024/embargoed-release/").exists() is published


def test_every_page_advertises_the_site_feed(site):
    for path in (site.site / "en").rglob("*.html"):
        soup = site.html(path.relative_to(site.site / "en").as_posix())
        feeds = [link["href"] for link in soup.select('link[rel="alternate"][type="application/rss+xml"]')]
        assert any(href.endswith("feed_rss_created.xml") for href in feeds), path


def test_programme_pages_advertise_their_feed_and_show_subscribe(site):
    for path in sorted((site.site / "en" / "programmes").glob("*/feed.xml")):
        soup = site.html(f"programmes/{path.parent.name}/")
        # The visible link is the feed link (rel="alternate", a feed type); a
        # <link> in the head would send Material's bundle after a sitemap.xml
        # in the programme's folder (overrides/programme.html).
        visible = soup.select_one('.nr-subscribe a[rel~="alternate"][type="application/rss+xml"]')
        assert visible["href"] == "feed.xml" and "Subscribe" in visible.get_text()
        assert not soup.select('link[href="feed.xml"]')
    news = site.html("news/")
    links = {a["href"]: a.get_text() for a in news.select(".nr-subscribe a")}
    assert "Subscribe" in links["../feed_rss_created.xml"]
    assert "../feed_rss_updated.xml" in links


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def test_serve_rebuilds_never_duplicate_items(tmp_path):
    """mkdocs-rss-plugin 1.19 appends every item again on each serve rebuild."""
    root, drafts = tmp_path / "site", tmp_path / "drafts"
    root.mkdir()
    drafts.mkdir()
    sitebuild.assemble(root, "stable-before")
    with sitebuild.serving(root) as server:
        server.wait_for("Serving on")
        first = feedparser.parse(_fetch(server.url("en/feed_rss_created.xml")))
        assert "Original title" in {e.title for e in first.entries}
        count = len(first.entries)
        release = root / "docs/en/news/2024/original-slug.md"
        for round_number in (1, 2):
            sitebuild.replace(release, release.read_text("utf-8") + f"\nRebuild marker {round_number}.\n", drafts)
            server.wait_for("Reloading browsers")  # the rebuild is written
            body = _fetch(server.url("en/feed_rss_created.xml"))
            assert f"Rebuild marker {round_number}.".encode() in body
            feed = feedparser.parse(body)
            assert len(feed.entries) == count
            assert len({e.id for e in feed.entries}) == count
            programme = feedparser.parse(_fetch(server.url("en/programmes/alpha/feed.xml")))
            assert len({e.id for e in programme.entries}) == len(programme.entries)
