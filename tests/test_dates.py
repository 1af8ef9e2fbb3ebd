"""Dates that read the same everywhere: a date written without a time is
data/site.yml's `date_only_time_utc` (10:00 UTC) on that day, in every output.

Each output's timestamp is parsed from the real built files and shown as a
reader in Hawaii (UTC-10) and one in New Zealand (UTC+12) would see it: both
must read the date the author wrote.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import etree

import sitebuild

LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
READERS = (timezone(timedelta(hours=-10)), timezone(timedelta(hours=12)))
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n", 2)[1])


def written_releases(root: Path) -> dict[str, dict]:
    """Release URL (from the language root) -> its English front-matter."""
    return {f"news/{p.parent.name}/{p.stem}/": front_matter(p) for p in sorted((root / "docs" / "en" / "news").glob("*/*.md"))}


def shown_dates(moment: datetime) -> list[date]:
    return [moment.astimezone(zone).date() for zone in READERS]


def assert_reads(moment: datetime, written: str, where: str) -> None:
    day = date.fromisoformat(written)
    assert shown_dates(moment) == [day, day], f"{where}: {moment.isoformat()} reads {shown_dates(moment)} at UTC-10 and UTC+12, not {written}"


@pytest.fixture(scope="module")
def project(sites):
    return sites.project()


@pytest.fixture(scope="module")
def releases(project):
    found = written_releases(project.root)
    # The real releases are dated by a day alone: the rule is what is tested.
    assert len(found) >= 2 and all(len(str(fm["date"])) == 10 for fm in found.values())
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_feeds_read_the_written_date_from_utc_minus_10_to_plus_12(project, releases, lang):
    site = project.site / lang
    base = f"{project.base_url}{lang}/"
    seen = 0
    for feed in [site / "feed_rss_created.xml", site / "feed_rss_updated.xml", *sorted((site / "programmes").glob("*/feed.xml"))]:
        channel = etree.parse(str(feed)).getroot().find("channel")
        items = channel.findall("item")
        for item in items:
            written = str(releases[item.findtext("link").removeprefix(base)]["date"])
            assert_reads(parsedate_to_datetime(item.findtext("pubDate")), written, f"{feed} item {item.findtext('link')}")
            seen += 1
        if items:
            newest = max(str(releases[i.findtext("link").removeprefix(base)]["date"]) for i in items)
            for name in ("pubDate", "lastBuildDate"):
                assert_reads(parsedate_to_datetime(channel.findtext(name)), newest, f"{feed} {name}")
    for kind in ("created", "updated"):
        for item in json.loads((site / f"feed_json_{kind}.json").read_text("utf-8"))["items"]:
            written = str(releases[item["url"].removeprefix(base)]["date"])
            for name in ("date_published", "date_modified"):
                assert_reads(datetime.fromisoformat(item[name]), written, f"feed_json_{kind}.json {item['url']} {name}")
                seen += 1
    assert seen >= 4 * len(releases)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_and_sitemap_read_the_written_date_from_utc_minus_10_to_plus_12(project, releases, lang):
    site = project.site / lang
    lastmod = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in sitebuild.sitemap_entries(site)}
    for url, fm in releases.items():
        written = str(fm["date"])
        page = BeautifulSoup((site / url / "index.html").read_text("utf-8"), "html.parser")
        ld = json.loads(page.select_one('script[type="application/ld+json"]').string)
        og = {m["property"]: m["content"] for m in page.select("meta[property^='article:']")}
        moments = {
            "JSON-LD datePublished": ld["datePublished"],
            "JSON-LD dateModified": ld["dateModified"],
            "og article:published_time": og["article:published_time"],
            "og article:modified_time": og["article:modified_time"],
            "dateline <time>": page.select_one(".nr-dateline time")["datetime"],
            "sitemap lastmod": lastmod[f"{project.base_url}{lang}/{url}"],
        }
        for where, value in moments.items():
            assert_reads(datetime.fromisoformat(value), written, f"{lang}/{url} {where}")


def test_a_date_alone_is_the_declared_utc_time(project, releases):
    """The declared rule, as data/site.yml states it, is the moment every output carries."""
    settings = yaml.safe_load((project.root / "data" / "site.yml").read_text("utf-8"))
    declared = time.fromisoformat(settings["date_only_time_utc"])
    assert declared == time(10, 0)
    channel = etree.parse(str(project.site / "en" / "feed_rss_created.xml")).getroot().find("channel")
    for item in channel.findall("item"):
        written = releases[item.findtext("link").removeprefix(f"{project.base_url}en/")]["date"]
        assert parsedate_to_datetime(item.findtext("pubDate")) == datetime.combine(date.fromisoformat(str(written)), declared, timezone.utc)


@pytest.mark.parametrize(("now", "published"), [("2024-06-02T09:59:00Z", False), ("2024-06-02T10:00:00Z", True)])
def test_an_embargo_until_a_date_alone_lifts_on_that_date_from_utc_minus_10_to_plus_12(sites, now, published):
    """Not the evening before in the Americas (00:00 UTC was 19:00 on 1 June in New York)."""
    built = sites.get("embargo-date-only", NEWSROOM_NOW=now)
    assert built.ok, built.output
    # 10:00 UTC on 2 June is 2 June from Hawaii to New Zealand.
    assert shown_dates(datetime.fromisoformat(now)) == ([date(2024, 6, 2)] * 2 if published else [date(2024, 6, 1), date(2024, 6, 2)])
    assert built.path("news/2024/date-only-embargo/").exists() is published
    feed = built.text("feed_rss_created.xml")
    assert ("quince-garnet" in feed) is published
    if published:
        channel = etree.fromstring(feed.encode()).find("channel")
        item = next(i for i in channel.findall("item") if i.findtext("link").endswith("/date-only-embargo/"))
        assert_reads(parsedate_to_datetime(item.findtext("pubDate")), "2024-06-02", "the released item")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_sitemap_lastmod_is_each_pages_own_date(project, releases, lang):
    site = project.site / lang
    base = f"{project.base_url}{lang}/"
    lastmod = {url.findtext(f"{SITEMAP}loc").removeprefix(base): url.findtext(f"{SITEMAP}lastmod") for url in sitebuild.sitemap_entries(site)}
    moment = {url: datetime.combine(date.fromisoformat(str(fm["date"])), time(10), timezone.utc) for url, fm in releases.items()}
    for url in releases:
        assert datetime.fromisoformat(lastmod[url]) == moment[url], url
    # A programme's page, its newest release; none without one.
    for path in sorted((project.root / "docs" / "en" / "programmes").glob("*.md")):
        own = [moment[url] for url, fm in releases.items() if path.stem in fm["programmes"]]
        shown = lastmod[f"programmes/{path.stem}/"]
        assert (datetime.fromisoformat(shown) if shown else None) == (max(own) if own else None), path.stem
    assert datetime.fromisoformat(lastmod[""]) == datetime.fromisoformat(lastmod["news/"]) == max(moment.values())
    for year in {url.split("/")[1] for url in releases}:
        assert datetime.fromisoformat(lastmod[f"news/{year}/"]) == max(m for url, m in moment.items() if url.split("/")[1] == year)
    # Pages with no date of their own have none: not the build's.
    for url in ("about/publishing/", "resources/", "programmes/", "organisations/"):
        assert lastmod[url] is None, url
    assert {datetime.fromisoformat(v) for v in lastmod.values() if v} <= set(moment.values())
    assert len({v for v in lastmod.values() if v}) >= 2


def test_an_empty_programme_feed_has_no_date(project):
    for lang in LANGUAGES:
        channel = etree.parse(str(project.site / lang / "programmes" / "cybersecurity-and-new-technologies" / "feed.xml")).getroot().find("channel")
        assert channel.findall("item") == []
        assert channel.find("pubDate") is None and channel.find("lastBuildDate") is None
    for feed in project.site.rglob("*.xml"):
        assert "2000 00:00:00" not in feed.read_text("utf-8"), feed


# -- The setting itself --------------------------------------------------------

SETTING_PROBLEMS = {
    '"09:00"': 'data/site.yml: date_only_time_utc "09:00" is not a time from 10:00 to 11:59. Write "10:00", in quotes: a date written without a time then reads as that date from UTC-10 (Hawaii) to UTC+13 (New Zealand in summer).',
    "10:00": 'data/site.yml: date_only_time_utc is not a time in quotes. Write "10:00", in quotes: a date written without a time then reads as that date from UTC-10 (Hawaii) to UTC+13 (New Zealand in summer).',
}


def _with_date_rule(root, written):
    sitebuild.assemble(root, "base")
    settings = root / "data" / "site.yml"
    settings.write_text(settings.read_text("utf-8").replace('date_only_time_utc: "10:00"', f"date_only_time_utc: {written}"), "utf-8")


@pytest.mark.parametrize("written", list(SETTING_PROBLEMS))
def test_a_wrong_date_rule_is_refused(tmp_path, written):
    _with_date_rule(tmp_path, written)
    assert sitebuild.validated(tmp_path, ["en"], render=False) == [SETTING_PROBLEMS[written]]  # as the build calls it
    assert sitebuild.validated(tmp_path) == [SETTING_PROBLEMS[written]]  # as `make check` does


def test_a_wrong_date_rule_stops_the_build_and_the_check(tmp_path):
    written = '"09:00"'
    _with_date_rule(tmp_path, written)
    built = sitebuild.build(tmp_path)
    assert built.returncode != 0 and "Traceback" not in built.output
    assert SETTING_PROBLEMS[written] in built.output
    checked = subprocess.run([sys.executable, "-m", "newsroom.cli", "check"], cwd=tmp_path, env=sitebuild.build_env(), capture_output=True, text=True)
    assert checked.returncode == 1
    # A site-wide problem (no file named), and no git: nothing to compare with.
    assert checked.stderr.splitlines() == [SETTING_PROBLEMS[written], "make check found 1 problem.", "Published addresses not compared with a base: this folder is not a git checkout."]
