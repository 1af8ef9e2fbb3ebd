"""Every UI string is escaped in every build.

Each key of every string table (data/strings/<lang>.yml) is replaced with
markup carrying a marker of its own, K001K, K002K ..., and the real project
is built in all six languages with `newsroom.cli build`, as published and as
a preview that shows embargoes (its banner, its EMBARGOED notice). Through an
HTML parser, no element or attribute of any page came from a marker, while
the markers are there as text; the feeds still parse; and in Chromium no
dialog opens, no script fails and nothing is asked of another origin.
"""

from __future__ import annotations

import json
import os
import re
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import lxml.etree
import pytest
import yaml
from bs4 import BeautifulSoup

import sitebuild
from conftest import Served, serve

LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
NOW = "2025-01-15T12:00:00Z"
HOSTILE = '<img src=x onerror=alert("{marker}")>"\'&'
MARKER = re.compile(r"K\d{3}K")
EMBARGOED = "news/2025/a-launch-to-come/"


def _hostile_tables(root: Path) -> dict[str, str]:
    """Replace every value of every string table; the marker of each key."""
    english = yaml.safe_load((root / "data/strings/en.yml").read_text("utf-8"))
    markers = {key: f"K{index:03d}K" for index, key in enumerate(sorted(english), start=1)}
    for lang in LANGUAGES:
        path = root / "data/strings" / f"{lang}.yml"
        table = yaml.safe_load(path.read_text("utf-8"))
        hostile = {}
        for key, value in table.items():
            # Keep the placeholders, so values put into a string are tested
            # too, and each plural form of a count (newsroom/strings.py).
            forms = value if isinstance(value, dict) else {None: value}
            hostile_forms = {}
            for form, text in forms.items():
                fields = [name for _, name, _, _ in string.Formatter().parse(str(text)) if name]
                hostile_forms[form] = HOSTILE.format(marker=markers[key]) + "".join(f" {{{name}}}" for name in fields)
            hostile[key] = hostile_forms if isinstance(value, dict) else hostile_forms[None]
        path.write_text(yaml.safe_dump(hostile, allow_unicode=True), "utf-8")
    return markers


def _release(root: Path, year: int, slug: str, number: int, front: str = "", body: str = "Text.") -> None:
    folder = root / "docs/en/news" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{slug}.md").write_text(
        f'---\nid: "{number:08d}-0000-4000-8000-000000000000"\ntitle: "{slug.replace("-", " ").capitalize()}"\ndate: "{year}-03-{(number % 28) + 1:02d}"\n'
        f'location: "Geneva"\nsummary: "A release for the hostile strings test."\nprogrammes: ["ai-pol"]\npublishers: ["unicri"]\n{front}---\n\n{body}\n',
        "utf-8",
    )


def _project(root: Path) -> dict[str, str]:
    """The real project, hostile strings, and releases that show the rest:
    26 in a year (a second page), a correction, a withdrawal, an embargo."""
    sitebuild.assemble(root, None)
    for number in range(1, 27):
        _release(root, 2023, f"release-number-{number}", number)
    _release(root, 2023, "a-corrected-release", 90, 'updates:\n  - date: "2023-05-01"\n    note: "A name corrected."\n')
    _release(root, 2023, "a-withdrawn-release", 91, 'withdrawn:\n  date: "2023-06-01"\n  reason: "Published in error."\n')
    _release(root, 2025, "a-launch-to-come", 92)
    (root / "docs/en/news/2025/a-launch-to-come.md").write_text(
        (root / "docs/en/news/2025/a-launch-to-come.md").read_text("utf-8").replace('date: "2025-03-05"', 'date: "2025-06-01 09:30 -05:00"'), "utf-8"
    )
    return _hostile_tables(root)


def _build(root: Path, site: Path, site_url: str, **env: str) -> None:
    command = [sys.executable, "-m", "newsroom.cli", "build", "--site-dir", str(site), "--site-url", site_url]
    full_env = dict(os.environ, NEWSROOM_NOW=NOW, LC_ALL="C.UTF-8", LANG="C.UTF-8", NO_MKDOCS_2_WARNING="1", **env)
    done = subprocess.run(command, cwd=root, env=full_env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module", params=["published", "preview"])
def hostile(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, dict[str, str], str]]:
    root = tmp_path_factory.mktemp(f"hostile-strings-{request.param}")
    markers = _project(root)
    env = {"NEWSROOM_PREVIEW": "1", "NEWSROOM_PREVIEW_EMBARGOED": "1"} if request.param == "preview" else {}
    with serve(root / "site", lambda port: _build(root, root / "site", f"http://127.0.0.1:{port}/", **env)) as served:
        yield served, markers, request.param


def test_no_string_becomes_markup_in_any_page(hostile: tuple[Served, dict[str, str], str]) -> None:
    served, markers, kind = hostile
    seen: set[str] = set()
    pages = sorted(served.site.rglob("*.html"))
    assert len(pages) > 6 * 40
    for path in pages:
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for element in soup.find_all(True):
            assert not (element.name == "img" and element.get("src") == "x"), (path, str(element)[:200])
            for name, value in element.attrs.items():
                # A value that broke out of its attribute leaves names such as k001k")>"'&".
                assert not name.startswith("on") and not re.search(r"[\"'()<>&]", name), (path, element.name, name)
                values = value if isinstance(value, list) else [value]
                seen.update(m for v in values for m in MARKER.findall(str(v)))
            if element.name == "script":
                code = element.string or ""
                if element.get("type") == "application/ld+json":
                    json.loads(code)
                    assert "</" not in code, path
                else:
                    assert not MARKER.search(code), (path, code[:200])
        seen.update(MARKER.findall(soup.get_text()))
    # The markers did reach the pages, as text: the strings were not left out.
    by_key = {marker: key for key, marker in markers.items()}
    shown = {by_key[m] for m in seen}
    expected = {"site_name", "site_description", "not_found_title", "translation_missing", "page_of", "withdrawn_on", "updated", "search", "search_results", "kind_toolkit", "contacts"}
    if kind == "preview":
        expected |= {"preview_banner", "embargoed_until"}
    assert expected <= shown, sorted(expected - shown)
    assert len(shown) >= 45, sorted(set(markers) - shown)


def test_feeds_still_parse(hostile: tuple[Served, dict[str, str], str]) -> None:
    served, markers, _ = hostile
    for lang in LANGUAGES:
        folder = served.site / lang
        for path in [folder / "feed_rss_created.xml", folder / "feed_rss_updated.xml", *folder.glob("programmes/*/feed.xml")]:
            parsed = feedparser.parse(path.read_bytes())
            assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
            assert parsed.entries or "programmes" in path.parts, path
        # Titles are text; descriptions are read as HTML, so they are escaped for it.
        site_feed = feedparser.parse((folder / "feed_rss_created.xml").read_bytes()).feed
        assert site_feed.title.startswith(HOSTILE.format(marker=markers["site_name"]))
        assert site_feed.description.startswith('&lt;img src=x onerror=alert("' + markers["site_description"])
        programme_feed = feedparser.parse((folder / "programmes/ai-pol/feed.xml").read_bytes()).feed
        assert programme_feed.description.startswith('&lt;img src=x onerror=alert("' + markers["programme_feed_description"])
        for path in folder.glob("feed_json_*.json"):
            assert json.loads(path.read_text("utf-8"))["items"], path
        lxml.etree.fromstring((folder / "sitemap.xml").read_bytes())


def _pages(kind: str) -> list[str]:
    sample = [f"{lang}/{url}" for lang in LANGUAGES for url in ("", "404.html")]
    sample += [f"{lang}/{url}" for lang in ("en", "ar") for url in ("news/2023/page/2/", "news/2023/a-withdrawn-release/", "news/2023/a-corrected-release/", "programmes/ai-pol/", "resources/", "about/publishing/")]
    if kind == "preview":
        sample += [f"{lang}/{EMBARGOED}" for lang in ("en", "ar")]
    return sample


def test_nothing_runs_in_chromium(hostile: tuple[Served, dict[str, str], str], browser: Any) -> None:
    served, _, kind = hostile
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    dialogs: list[str] = []
    errors: list[str] = []
    foreign: list[str] = []
    workers: list[str] = []
    context.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    context.on("serviceworker", lambda worker: workers.append(worker.url))
    context.on("request", lambda request: None if request.url.startswith((served.base_url, "data:", "blob:")) else foreign.append(request.url))
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for url in _pages(kind):
            page.goto(served.url(url), wait_until="load")
            # The search dialog writes its strings into the page as it opens and answers.
            page.keyboard.press("/")
            if page.locator("#nr-search-input").is_visible():
                page.fill("#nr-search-input", "release")
                page.wait_for_timeout(300)
                page.keyboard.press("Escape")
            page.wait_for_timeout(100)
    finally:
        context.close()
    assert dialogs == [] and errors == [] and foreign == [] and workers == []
