"""The feeds as clients nobody here wrote read them: the W3C Feed Validator,
JSON Feed 1.1's own rules, and newsboat.

Each runs on the real project built in all six languages (the session build
in conftest.py) and on the hostile fixture.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import jsonschema
import lxml.html
import pytest
from lxml import etree

import sitebuild
from conftest import serve
from test_feeds import HOSTILE_SITE

VALIDATE_FEEDS = sitebuild.PROJECT.parent / "shared" / "tools" / "validate-feeds"
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")


@pytest.fixture(scope="module")
def hostile(sites):
    built = sites.get("hostile-feed", NEWSROOM_SITE_NAME=HOSTILE_SITE)
    assert built.ok, built.output
    return built


def rss_files(site: Path) -> list[Path]:
    """Every RSS file of a built site (not the sitemaps), told by its root element."""
    return sorted(p for p in site.rglob("*.xml") if etree.parse(str(p)).getroot().tag == "rss")


# -- The W3C Feed Validator ------------------------------------------------------


def validate_feeds(site: Path, base_url: str = sitebuild.SITE_URL) -> subprocess.CompletedProcess:
    if not VALIDATE_FEEDS.is_file():
        pytest.fail(f"The W3C Feed Validator is expected at {VALIDATE_FEEDS} (../shared/tools/validate-feeds beside the project).", pytrace=False)
    # The project's Python: the validator needs lxml and html5lib (requirements/test.txt).
    return subprocess.run([sys.executable, str(VALIDATE_FEEDS), str(site), base_url], capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("which", ["project", "hostile"])
def test_w3c_feed_validator_finds_no_error_and_no_warning(sites, hostile, which):
    built = sites.project() if which == "project" else hostile
    site = built.site
    feeds = rss_files(site)
    if which == "project":
        # Two site feeds and one per programme, in every language.
        programmes = len(list((site / "en" / "programmes").glob("*/feed.xml")))
        assert programmes >= 4 and len(feeds) == len(LANGUAGES) * (2 + programmes)
    done = validate_feeds(site, built.base_url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(feeds)} of {len(feeds)} feeds valid" in done.stdout.splitlines(), done.stdout


def test_w3c_feed_validator_is_not_a_rubber_stamp(tmp_path, hostile):
    """The same run reports what the validator exists to catch."""
    site = tmp_path / "site"
    shutil.copytree(hostile.site, site)
    feed = site / "en" / "feed_rss_created.xml"
    text = feed.read_text("utf-8")
    feed.write_text(text.replace("<ttl>60</ttl>", "<ttl>an hour</ttl>").replace("<title>", "<title>Tom &amp; Jerry ", 1), "utf-8")
    done = validate_feeds(site)
    assert done.returncode == 1
    assert "en/feed_rss_created.xml: 2 problem(s)" in done.stdout, done.stdout
    assert "ttl must be a positive integer" in done.stdout and "Image title doesn't match channel title" in done.stdout


# -- JSON Feed 1.1 ----------------------------------------------------------------

# https://www.jsonfeed.org/version/1.1/: the required fields and the type of
# every field the spec defines, and its rules in words: an author object has
# at least one member; an item has content_html or content_text; dates are
# RFC 3339. URLs are written with the scheme the site uses.
RFC3339 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
URL = r"^https?://\S+$"
AUTHORS = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "minProperties": 1,
        "properties": {"name": {"type": "string"}, "url": {"type": "string", "pattern": URL}, "avatar": {"type": "string", "pattern": URL}},
    },
}
JSON_FEED_1_1 = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "pattern": URL},
        "feed_url": {"type": "string", "pattern": URL},
        "description": {"type": "string"},
        "user_comment": {"type": "string"},
        "next_url": {"type": "string", "pattern": URL},
        "icon": {"type": "string", "pattern": URL},
        "favicon": {"type": "string", "pattern": URL},
        "authors": AUTHORS,
        "language": {"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$"},
        "expired": {"type": "boolean"},
        "hubs": {"type": "array", "items": {"type": "object", "required": ["type", "url"], "properties": {"type": {"type": "string"}, "url": {"type": "string"}}}},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string"},
                    "url": {"type": "string", "pattern": URL},
                    "external_url": {"type": "string", "pattern": URL},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "content_text": {"type": "string"},
                    "summary": {"type": "string"},
                    "image": {"type": "string", "pattern": URL},
                    "banner_image": {"type": "string", "pattern": URL},
                    "date_published": {"type": "string", "pattern": RFC3339},
                    "date_modified": {"type": "string", "pattern": RFC3339},
                    "authors": AUTHORS,
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "language": {"type": "string"},
                    "attachments": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["url", "mime_type"],
                            "properties": {"url": {"type": "string"}, "mime_type": {"type": "string"}, "title": {"type": "string"}, "size_in_bytes": {"type": "number"}, "duration_in_seconds": {"type": "number"}},
                        },
                    },
                },
            },
        },
    },
}


def json_feeds(site: Path) -> list[Path]:
    return sorted(site.rglob("feed_json_*.json"))


def test_json_feed_schema_catches_what_the_plugin_used_to_write():
    """The schema refuses mkdocs-rss-plugin 1.19's own output for a page without image or author."""
    item = {"id": "urn:uuid:x", "content_html": "<p>x</p>", "image": None, "authors": []}
    errors = list(jsonschema.Draft202012Validator(JSON_FEED_1_1).iter_errors({"version": "https://jsonfeed.org/version/1.1", "title": "t", "authors": [], "items": [item]}))
    assert sorted(list(e.absolute_path) for e in errors) == [["authors"], ["items", 0, "authors"], ["items", 0, "image"]]


@pytest.mark.parametrize("which", ["project", "hostile"])
def test_json_feeds_are_json_feed_1_1(sites, hostile, which):
    site = sites.project().site if which == "project" else hostile.site
    paths = json_feeds(site)
    assert len(paths) == (2 * len(LANGUAGES) if which == "project" else 2)
    validator = jsonschema.Draft202012Validator(JSON_FEED_1_1)
    for path in paths:
        feed = json.loads(path.read_text("utf-8"))
        problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(feed)]
        assert not problems, (path, problems)
        assert feed["items"], path
        assert len({item["id"] for item in feed["items"]}) == len(feed["items"]), path


def test_json_feed_items_are_the_rss_items(sites):
    """Same GUIDs, titles and links as the RSS feed of the same language, and
    a release's image where it has one."""
    site = sites.project().site
    for lang in LANGUAGES:
        for kind in ("created", "updated"):
            feed = json.loads((site / lang / f"feed_json_{kind}.json").read_text("utf-8"))
            channel = etree.parse(str(site / lang / f"feed_rss_{kind}.xml")).getroot().find("channel")
            rss = [(i.findtext("guid"), i.findtext("title"), i.findtext("link")) for i in channel.findall("item")]
            assert [(i["id"], i["title"], i["url"]) for i in feed["items"]] == rss, (lang, kind)
            assert feed["language"] == lang


# -- newsboat -----------------------------------------------------------------


def run_newsboat(urls: list[str], home: Path) -> subprocess.CompletedProcess:
    newsboat = shutil.which("newsboat")
    if newsboat is None:
        pytest.fail("These tests need Debian's newsboat (`apt-get install newsboat`; .ci/run installs it).", pytrace=False)
    (home / "urls").write_text("".join(f"{url}\n" for url in urls), "utf-8")
    # Nothing but the loopback URLs above: no proxy, no other source.
    (home / "config").write_text("use-proxy no\ndownload-retries 1\ndownload-timeout 20\nreload-threads 1\n", "utf-8")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config.d"),
        "XDG_DATA_HOME": str(home / "data.d"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "no_proxy": "127.0.0.1",
    }
    command = [newsboat, "-u", str(home / "urls"), "-C", str(home / "config"), "-c", str(home / "cache.db"), "-x", "reload"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def feed_items(path: Path) -> dict[str, tuple[str, str]]:
    """GUID -> (title, text of the description) of one built RSS file."""
    channel = etree.parse(str(path)).getroot().find("channel")
    return {i.findtext("guid"): (i.findtext("title"), text_of(i.findtext("description"))) for i in channel.findall("item")}


def text_of(html: str) -> str:
    return " ".join(lxml.html.fragment_fromstring(html, create_parent="div").text_content().split())


def test_newsboat_keeps_every_item_once_with_its_own_language(sites, tmp_path):
    """English and Arabic site feeds and an English programme feed, in one
    newsboat: every release is there once per language, in a feed that carries
    it, with that language's title and body. (newsboat keeps one item per GUID
    across all its feeds: a GUID shared by two languages made one of them vanish.)"""
    site = sites.project().site
    subscribed = ["en/feed_rss_created.xml", "ar/feed_rss_created.xml", "en/programmes/ai-pol/feed.xml"]
    built = {path: feed_items(site / path) for path in subscribed}
    expected: dict[str, tuple[str, str]] = {}
    for items in built.values():
        for guid, item in items.items():
            expected.setdefault(guid, item)
    # The programme feed repeats English items (one GUID each), and the
    # Arabic feed has the same releases under GUIDs of their own.
    assert set(built["en/programmes/ai-pol/feed.xml"]) < set(built["en/feed_rss_created.xml"])
    assert not set(built["en/feed_rss_created.xml"]) & set(built["ar/feed_rss_created.xml"])
    assert len(built["ar/feed_rss_created.xml"]) == len(built["en/feed_rss_created.xml"]) >= 2

    home = tmp_path / "newsboat"
    home.mkdir()
    with serve(site) as served:
        urls = {served.url(path): path for path in subscribed}
        snapshots = []
        for _ in range(2):  # a second reload changes nothing
            done = run_newsboat(list(urls), home)
            assert done.returncode == 0, done.stdout + done.stderr
            with sqlite3.connect(home / "cache.db") as cache:
                feeds = dict(cache.execute("SELECT rssurl, title FROM rss_feed"))
                rows = cache.execute("SELECT guid, feedurl, title, content FROM rss_item ORDER BY guid").fetchall()
            snapshots.append((feeds, rows))
    assert snapshots[0] == snapshots[1]

    # Every feed was fetched and read: the site feeds' own titles.
    assert set(feeds) == set(urls)
    assert feeds[served.url("ar/feed_rss_created.xml")] == etree.parse(str(site / "ar/feed_rss_created.xml")).getroot().findtext("channel/title")
    guids = [guid for guid, *_ in rows]
    assert len(guids) == len(set(guids)) == len(expected)
    for guid, feedurl, title, content in rows:
        assert guid in built[urls[feedurl]], f"{guid} is shown in {urls[feedurl]}, which does not carry it"
        assert (title, text_of(content)) == expected[guid], f"{guid} in {urls[feedurl]}"
        language = urls[feedurl].split("/", 1)[0]
        assert guid in built[f"{language}/feed_rss_created.xml"], f"{guid} moved to a feed in another language"
    arabic = [row for row in rows if urls[row[1]].startswith("ar/")]
    assert len(arabic) == len(built["ar/feed_rss_created.xml"])
    assert all(re.search("[\u0600-\u06ff]", title) for _, _, title, _ in arabic)


def test_json_feed_item_image_is_the_releases_own(sites):
    built = sites.get("release-image")
    assert built.ok, built.output
    for kind in ("created", "updated"):
        feed = json.loads(built.text(f"feed_json_{kind}.json"))
        images = {item["url"].removeprefix(f"{sitebuild.SITE_URL}en/"): item.get("image", "left out") for item in feed["items"]}
        assert images == {"news/2024/with-image/": f"{sitebuild.SITE_URL}en/news/2024/images/launch.png", "news/2024/first-release/": "left out"}
    assert built.path("news/2024/images/launch.png").is_file()
