"""Parts rendered once per key (hooks/layout.py) are what rendering every time writes.

A generated corpus (newsroom.bench, 40 releases) is built by the real
`mkdocs build` twice: with the layout cache, and with NEWSROOM_LAYOUT_CACHE=0,
where every page renders its own navigation, tabs, header parts, footer and
cards. Every file must be byte-identical, except Pagefind's filter and
metadata files, whose internal order changes from run to run (Pagefind #638:
tests/test_nothing_lost.py), and whose contents are compared through the
index fragments instead.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import sitebuild
from newsroom import bench
from searchindex import indexed_pages

N = 40
NONDETERMINISTIC = re.compile(r"^pagefind/(filter/.*|pagefind\.[^/]*\.pf_meta|pagefind-entry\.json)$")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("layout")
    bench.assemble(root, 1)
    bench.generate(root, N, ["en"])
    # The footer links the publishing guide: from the guide itself, and from
    # the pages as deep as it (news/<year>/), that link differs.
    guide = root / "docs" / "en" / "about" / "publishing.md"
    guide.parent.mkdir(parents=True)
    guide.write_text('---\ntitle: "How to publish"\n---\n\nThe steps.\n', "utf-8")
    return root


def build(root: Path, site: str, **more: str) -> subprocess.CompletedProcess:
    env = sitebuild.build_env("en", {"NEWSROOM_SITE_DIR": site, "NEWSROOM_NOW": bench.NOW, **more})
    return subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=root, env=env, capture_output=True, text=True)


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file() and not NONDETERMINISTIC.match(p.relative_to(site).as_posix())}


def test_parts_rendered_once_per_key_are_what_rendering_every_time_writes(corpus: Path) -> None:
    """hooks/layout.py reuses Material's navigation, tabs, stylesheets,
    scripts and configuration, the header's parts and release cards among
    pages that show them alike; with the cache off, every page renders its own."""
    for site, cache in (("site-cached", "1"), ("site-uncached", "0")):
        done = build(corpus, site, NEWSROOM_LAYOUT_CACHE=cache)
        assert done.returncode == 0, done.stdout + done.stderr
    cached, uncached = files(corpus / "site-cached"), files(corpus / "site-uncached")
    assert cached.keys() == uncached.keys()
    assert [name for name in cached if cached[name] != uncached[name]] == []
    assert sum(1 for name in cached if name.endswith(".html")) > 2 * N
    pages = indexed_pages(corpus / "site-cached")
    assert len(pages) >= N
    assert pages == indexed_pages(corpus / "site-uncached")
    # Both really contain the navigation and the tabs, on listings and releases alike.
    parsed = {name: BeautifulSoup(data, "html.parser") for name, data in cached.items() if name.endswith(".html")}
    for name in ("index.html", "news/index.html", "programmes/index.html"):
        assert parsed[name].select_one("nav.md-nav--primary") and parsed[name].select_one(".md-tabs"), name
    releases = [name for name in parsed if re.match(r"news/\d{4}/[^/]+/index\.html$", name) and "page" not in name]
    assert parsed[releases[0]].select_one(".md-tabs")
    # The smaller parts, at every depth: the home page, a year's news, a release.
    year = next(name for name in parsed if re.match(r"news/\d{4}/index\.html$", name))
    parts = ("#__config", 'link[href$="assets/stylesheets/newsroom.css"]', 'script[src$="search.js"][defer]', '[data-md-component="palette"]', "#nr-search")
    for name in ("index.html", year, *releases):
        for part in parts:
            assert parsed[name].select_one(part), (name, part)
    assert all(parsed[name].select_one(".nr-card") for name in ("index.html", year))
    assert any(parsed[name].select_one(".nr-card") for name in releases)  # related news
