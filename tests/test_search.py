"""Search: one Pagefind index per language, holding only published content.

What Pagefind indexed is read straight from its fragments (searchindex.py);
the browser tests in test_browser_search.py run real queries.
"""

from __future__ import annotations

import gzip
import subprocess
import urllib.request
import sys

import pytest
import yaml

import sitebuild
from searchindex import indexed_pages, languages

CODES = [e["code"] for e in yaml.safe_load((sitebuild.PROJECT / "data" / "languages.yml").read_text("utf-8"))]


def content_urls(built: sitebuild.Built) -> set[str]:
    """Every release, programme and resource page of a build, as Pagefind writes URLs."""
    root = built.site / built.lang
    urls = set()
    for section in ("news", "programmes", "resources"):
        for page in (root / section).rglob("index.html"):
            url = "/" + page.parent.relative_to(root).as_posix() + "/"
            depth = url.count("/")
            if (section == "news" and depth == 4) or (section != "news" and depth == 3):
                urls.add(url)
    return urls


@pytest.mark.parametrize("lang", CODES)
def test_each_language_has_its_own_index_of_its_content(sites, lang):
    built = sites.get(None, lang)
    assert built.ok, built.output
    assert set(languages(built.site / lang)) == {lang}
    pages = indexed_pages(built.site / lang)
    assert {p["url"] for p in pages} == content_urls(built)
    for page in pages:
        assert page["meta"]["title"]
        assert page["filters"]["type"]


def test_listings_navigation_and_notices_are_not_indexed(sites):
    built = sites.get("translated", "fr")
    pages = indexed_pages(built.site / "fr")
    urls = {p["url"] for p in pages}
    assert urls == {"/news/2024/first-release/", "/programmes/alpha/"}  # translated content only
    release = next(p for p in pages if p["url"] == "/news/2024/first-release/")
    for label in ("Communiqué de presse", "traduction", "Actualités"):
        assert label.lower() not in release["content"].lower()
    assert "Corps du premier communiqué." in release["content"]


def test_facets_are_localised(sites):
    built = sites.get("translated", "fr")
    release = next(p for p in indexed_pages(built.site / "fr") if p["url"] == "/news/2024/first-release/")
    assert release["filters"] == {"type": ["Communiqué de presse"], "year": ["2024"], "programme": ["ALPHA"]}
    assert release["meta"]["date"] == "1 mars 2024"
    assert release["meta"]["programmes"] == "ALPHA"


def test_real_site_facets(site):
    pages = {p["url"]: p for p in indexed_pages(site.site / "en")}
    launch = pages["/news/2024/from-emerging-tech-to-responsible-ai/"]
    assert launch["filters"] == {"type": ["Press release"], "year": ["2024"], "programme": ["AI-POL", "CT TECH+"]}
    assert pages["/programmes/ai-pol/"]["filters"]["type"] == ["Programme"]
    assert pages["/resources/toolkit-for-responsible-ai-innovation-in-law-enforcement/"]["filters"]["type"] == ["Resource"]


@pytest.mark.parametrize(("now", "published"), [("2024-06-01T09:59:00Z", False), ("2024-06-01T10:00:00Z", True)])
def test_embargoed_and_draft_releases_are_never_indexed(sites, now, published):
    built = sites.get("embargo", NEWSROOM_NOW=now)
    pages = indexed_pages(built.site / "en")
    urls = {p["url"] for p in pages}
    assert "/news/2024/draft-release/" not in urls
    assert ("/news/2024/embargoed-release/" in urls) is published
    assert all("onyx-marble" not in p["content"] for p in pages)
    assert any("zebra-quartz" in p["content"] for p in pages) is published


def test_every_index_file_is_whole(sites, tmp_path):
    """Each language's index, written from Pagefind's answers, is complete: every
    compressed file decompresses, and the scripts and styles are byte for byte
    those the Pagefind command line writes for a page of its own."""
    page = tmp_path / "in" / "index.html"
    page.parent.mkdir()
    page.write_text('<html lang="en"><body><main data-pagefind-body>Pagefind reference page</main></body></html>', "utf-8")
    done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(page.parent), "--output-path", str(tmp_path / "out"), "--quiet"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    shipped = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir() if p.suffix in {".js", ".css"} or p.name == "wasm.unknown.pagefind"}
    assert "pagefind.js" in shipped and "pagefind-ui.js" in shipped
    project = sites.project()
    for lang in CODES:
        bundle = project.site / lang / "pagefind"
        for name, data in shipped.items():
            assert (bundle / name).read_bytes() == data, (lang, name)
        compressed = [p for p in bundle.rglob("*") if p.suffix in {".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"}]
        assert len(compressed) > 3, lang
        for path in compressed:
            assert gzip.decompress(path.read_bytes()).startswith(b"pagefind_dcd"), path


@pytest.mark.parametrize("lang", CODES)
def test_the_index_holds_what_pagefind_reads_from_the_written_pages(sites, tmp_path, lang):
    """Pages go to Pagefind as they are rendered, cut to the article marked for
    search (hooks/search.py). Pagefind's own command line, reading the whole
    written pages, must find exactly the same: every page's text, title,
    filters, metadata and anchors."""
    built = sites.project().language(lang)
    done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(built.site / lang), "--output-path", str(tmp_path / "pagefind"), "--quiet"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    ours = {page["url"]: page for page in indexed_pages(built.site / lang)}
    theirs = {page["url"]: page for page in indexed_pages(tmp_path)}
    assert ours and ours.keys() == theirs.keys()
    for url in ours:
        assert ours[url] == theirs[url], url


def test_a_language_with_no_translation_has_an_empty_index(sites):
    """Spanish has no translated page in this fixture: every page is the
    English text, and none is marked for search. Pagefind, given such a site,
    would index every page whole (listings, navigation, English text), so the
    index holds no page, and its scripts are there for search to say so."""
    built = sites.get("translated", "es")
    assert built.ok, built.output
    bundle = built.site / "es" / "pagefind"
    assert languages(built.site / "es") == {}
    assert indexed_pages(built.site / "es") == []
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-ui.js").is_file()


def test_mkdocs_serve_indexes_every_rebuild(tmp_path):
    """Search works while previewing: each rebuild of `mkdocs serve` is
    indexed again, with the text just saved. The server builds into a
    temporary folder (tempfile, under TMPDIR), read here."""
    root, drafts, scratch = tmp_path / "site", tmp_path / "drafts", tmp_path / "tmp"
    for folder in (root, drafts, scratch):
        folder.mkdir()
    sitebuild.assemble(root, "translated")
    with sitebuild.serving(root, {"TMPDIR": str(scratch)}) as server:
        server.wait_for("Serving on")
        (built,) = scratch.glob("mkdocs_*")
        release = root / "docs" / "en" / "news" / "2024" / "first-release.md"
        before = {page["url"]: page for page in indexed_pages(built)}
        assert "/news/2024/first-release/" in before
        assert "kumquat" not in before["/news/2024/first-release/"]["content"]
        sitebuild.replace(release, release.read_text("utf-8") + "\nA kumquat grove, saved while previewing.\n", drafts)
        server.wait_for("Reloading browsers")  # the rebuild is written
        after = {page["url"]: page for page in indexed_pages(built)}
        assert after.keys() == before.keys()
        assert "kumquat" in after["/news/2024/first-release/"]["content"]
        with urllib.request.urlopen(server.url("en/pagefind/pagefind.js"), timeout=30) as response:
            assert response.status == 200
