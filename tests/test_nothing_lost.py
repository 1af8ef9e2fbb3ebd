"""Nothing lost, nothing re-announced: proved by counting, on built sites.

For every language of a full `newsroom.cli build`: every content file becomes
exactly one page, and every published release is in its language's feed
(within the feed length), its programmes' pages and feeds, the news index
(its year's page), the sitemap and the search index. The same check runs on
the real site and on a generated corpus of a few hundred releases.
"""

from __future__ import annotations

import filecmp
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import feedparser
import yaml
from bs4 import BeautifulSoup

import sitebuild
from newsroom.content import now_from_env
from newsroom.translations import all_records, load_language
from searchindex import indexed_pages

CODES = [entry["code"] for entry in yaml.safe_load((sitebuild.PROJECT / "data" / "languages.yml").read_text("utf-8"))]


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
        sitemap = sitebuild.sitemap_locs(lang_site)
        search = Counter(page["url"] for page in indexed_pages(lang_site))
        assert all(n == 1 for n in search.values()), "a page indexed twice"
        feed = [e.id for e in feedparser.parse((lang_site / "feed_rss_created.xml").read_bytes()).entries]
        assert len(feed) == len(set(feed)), f"{code}: an item twice in the feed"
        in_feed_order = [r for r in catalogue.listings.listed if r.in_feeds]
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
            year_page = listing_pages.setdefault(f"news/{release.year}/", _ids_on_every_page(lang_site / f"news/{release.year}"))
            assert year_page[release.id] == 1, (code, url, "year page")
            for slug in release.programmes:
                programme_page = listing_pages.setdefault(f"programmes/{slug}/", _ids_on_every_page(lang_site / f"programmes/{slug}"))
                assert programme_page[release.id] == 1, (code, url, slug)
                if release.in_feeds:
                    programme_releases = [r for r in catalogue.listings.releases_by_programme[slug] if r.in_feeds]
                    if release in programme_releases[:feed_length]:
                        assert programme_feeds[slug].count(release.guid) == 1, (code, url, slug, "programme feed")
                        tally["programme feed entries"] += 1
            if release.in_feeds:
                assert search[f"/{url}"] == 1, (code, url, "search")
                tally["indexed"] += 1
        tallies[code] = tally
    return tallies


def _page_url(src_uri: str) -> str:
    stem = src_uri[:-3]
    return "" if stem == "index" else (stem.removesuffix("/index") + "/")


def _ids_on_every_page(folder: Path) -> Counter:
    """Release cards on a list's first page and its further pages (page/<n>/)."""
    ids = _ids_on(folder / "index.html")
    number = 2
    while (folder / "page" / str(number) / "index.html").is_file():
        ids += _ids_on(folder / "page" / str(number) / "index.html")
        number += 1
    return ids


def _ids_on(path: Path) -> Counter:
    soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
    return Counter(card["data-release-id"] for card in soup.select("li.nr-card[data-release-id]"))


def test_real_site_loses_nothing(sites):
    project = sites.project()
    tallies = count_everything(project.root, project.site, project.base_url)
    english_files = len(list((project.root / "docs" / "en").rglob("*.md")))
    releases = len(list((project.root / "docs" / "en" / "news").rglob("*.md")))
    for code, tally in tallies.items():
        assert tally["releases"] == releases == 2 and tally["pages"] == english_files, (code, tally)
        assert tally["indexed"] == 2, (code, tally)


def test_generated_corpus_loses_nothing_and_rebuilds_identically(tmp_path):
    """200 releases in two languages (more than a feed holds), built twice:
    nothing lost, and the two builds byte for byte the same."""
    from newsroom import bench

    root = tmp_path / "corpus"
    root.mkdir()
    langs = bench.assemble(root, 2)
    corpus = bench.generate(root, 200, langs)
    env = {**sitebuild.build_env(), "NEWSROOM_NOW": "2026-01-01T00:00:00Z"}
    sites = []
    for run in ("first", "second"):
        site = tmp_path / f"site-{run}"
        done = subprocess.run(
            [sys.executable, "-m", "newsroom.cli", "build", "--site-dir", str(site), "--site-url", sitebuild.SITE_URL],
            cwd=root, env=env, capture_output=True, text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        sites.append(site)
    tallies = count_everything(root, sites[0], sitebuild.SITE_URL)
    assert tallies["en"]["releases"] == tallies["fr"]["releases"] == len(corpus.releases) == 200
    assert tallies["en"]["indexed"] == 200
    assert _differences(sites[0], sites[1]) == []


def test_languages_built_in_turn_in_one_worker_are_what_each_builds_alone(tmp_path):
    """`newsroom.cli build` builds several languages in turn in each worker
    process (--jobs 1: one worker, all six). Each must be byte for byte what
    `mkdocs build` writes for that language alone, in a fresh process: no
    hook carries anything from one language's build into the next."""
    root = tmp_path / "project"
    root.mkdir()
    sitebuild.assemble(root, None)  # the real project: every language, Arabic and Chinese included
    now = {"NEWSROOM_NOW": "2026-01-01T00:00:00Z"}
    together = tmp_path / "together"
    done = subprocess.run(
        [sys.executable, "-m", "newsroom.cli", "build", "--jobs", "1", "--site-dir", str(together), "--site-url", sitebuild.SITE_URL],
        cwd=root, env={**sitebuild.build_env(), **now}, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(1 at a time)" in done.stdout
    for code in CODES:
        alone = sitebuild.build(root, code, {**now, "NEWSROOM_SITE_DIR": str(tmp_path / "alone" / code)})
        assert alone.ok, alone.output
        assert _differences(together / code, tmp_path / "alone" / code, at_least=50) == [], code


# Pagefind writes its filter and metadata indexes (and so the entry file that
# names them by hash) in a per-run hash order: a known upstream limitation
# (Pagefind issue #638; fragments became stable in 1.3). Everything else,
# Pagefind's fragments and word index included, must be byte-identical.
_UNSTABLE = re.compile(r"/pagefind/(pagefind-entry\.json|pagefind\.[a-z_]+_[0-9a-f]+\.pf_meta|filter/[a-z_]+_[0-9a-f]+\.pf_filter)$")


def _differences(first: Path, second: Path, at_least: int = 1000) -> list[str]:
    def listing(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file() and not _UNSTABLE.search("/" + p.relative_to(root).as_posix())}

    a, b = listing(first), listing(second)
    assert len(a) > at_least
    changed = sorted(set(a) ^ set(b))
    changed += [name for name in sorted(set(a) & set(b)) if not filecmp.cmp(a[name], b[name], shallow=False)]
    return changed
