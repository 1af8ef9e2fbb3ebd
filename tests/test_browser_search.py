"""Search in the browser: real queries through our Pagefind dialog, in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import sitebuild
from conftest import serve

LAUNCH = "news/2024/from-emerging-tech-to-responsible-ai"
RESEARCH = "news/2020/counter-terrorism-in-the-age-of-artificial-intelligence"


def front_matter(path: Path) -> dict:
    text = path.read_text("utf-8")
    return yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---\n"))


def open_search(page, url: str) -> None:
    page.goto(url)
    page.locator("body").click(position={"x": 5, "y": 400})
    page.keyboard.press("/")  # Material's shortcut, kept by our dialog
    page.wait_for_selector("#nr-search[open]")
    assert page.evaluate("document.activeElement.id") == "nr-search-input"


def results(page, query: str) -> list[str]:
    """Type a query and wait for its answer. The status still shows the last
    query's answer, so it is emptied first: once it says something again (not
    "loading…"), this query's results are shown."""
    page.evaluate("document.querySelector('#nr-search-status').textContent = ''")
    page.fill("#nr-search-input", query)
    page.wait_for_function("document.querySelector('#nr-search-status').textContent.trim() !== '' && !document.querySelector('#nr-search-status').textContent.includes('…')")
    return [a.get_attribute("href") for a in page.query_selector_all(".nr-search__result-title")]


# The query for each language comes from the translated title, as a reader
# would type it. French drops the plural "s" of "émergentes", so a match
# needs stemming; Chinese takes the word 新兴技术 out of an unspaced title,
# so a match needs segmentation.
QUERIES = {
    "en": lambda title: "Lambrinidis",
    "fr": lambda title: title.split()[2].removesuffix("s"),
    "ar": lambda title: title.split()[1],
    "zh": lambda title: title[1:5],
}


@pytest.mark.parametrize("lang", ["en", "fr", "ar", "zh"])
def test_a_query_in_each_language_finds_the_release(full_site, page, lang):
    title = front_matter(full_site.root / "docs" / lang / f"{LAUNCH}.md")["title"]
    query = QUERIES[lang](title)
    open_search(page, full_site.url(f"{lang}/"))
    found = results(page, query)
    assert f"/{lang}/{LAUNCH}/" in found, (query, found)
    assert all(href.startswith(f"/{lang}/") for href in found), "results only from the reader's language"
    first = page.query_selector(".nr-search__result")
    assert first.query_selector(".nr-search__result-meta").inner_text().strip()  # date and programme
    assert first.query_selector(".nr-search__excerpt mark") is not None  # matches highlighted


def test_results_show_title_date_and_programme(full_site, page):
    open_search(page, full_site.url("en/"))
    results(page, "Voronkov")
    item = next(r for r in page.query_selector_all(".nr-search__result") if LAUNCH in r.query_selector("a").get_attribute("href"))
    assert item.query_selector("a").inner_text() == "From Emerging Tech to Responsible AI: The Present and Future of Law Enforcement and Counter-Terrorism"
    assert item.query_selector(".nr-search__result-meta").inner_text() == "22 November 2024 · AI-POL · CT TECH+"
    assert "voronkov" in item.query_selector(".nr-search__excerpt mark").inner_text().lower()


def test_programme_filter_narrows_results(full_site, page):
    open_search(page, full_site.url("en/"))
    everything = results(page, "Voronkov")
    assert {f"/en/{LAUNCH}/", f"/en/{RESEARCH}/"} <= set(everything)
    page.check("input[name=programme][value='AI-POL']")
    page.wait_for_function("document.querySelectorAll('.nr-search__result').length < %d" % len(everything))
    narrowed = [a.get_attribute("href") for a in page.query_selector_all(".nr-search__result-title")]
    assert narrowed == [f"/en/{LAUNCH}/"]
    assert "1" in page.inner_text("#nr-search-status")


def test_search_is_usable_by_keyboard_and_announced(full_site, page):
    open_search(page, full_site.url("ar/"))
    dialog = page.locator("#nr-search")
    assert dialog.get_attribute("aria-labelledby") == "nr-search-title"
    assert page.get_attribute("#nr-search-status", "aria-live") == "polite"
    assert page.evaluate("getComputedStyle(document.querySelector('#nr-search')).direction") == "rtl"
    results(page, "الإنتربول")
    page.keyboard.press("Tab")  # from the input to the close button, then facets and results
    page.keyboard.press("Escape")
    page.wait_for_selector("#nr-search", state="hidden")


def test_an_embargoed_release_is_not_found(page, tmp_path):
    root = tmp_path
    sitebuild.assemble(root, "embargo")

    def build(port: int) -> None:
        done = sitebuild.build(root, "en", {"NEWSROOM_NOW": "2024-06-01T09:00:00Z", "NEWSROOM_SITE_URL": f"http://127.0.0.1:{port}/en/"})
        assert done.ok, done.output

    with serve(root / "site", build) as served:
        open_search(page, served.url("en/"))
        assert results(page, "zebra-quartz") == []
        assert results(page, "Embargoed announcement") == []
        assert f"/en/news/2024/first-release/" in results(page, "first")


def test_search_makes_no_request_outside_the_site(full_site, page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    open_search(page, full_site.url("zh/"))
    results(page, "人工智能")
    assert requests and all(url.startswith(full_site.base_url) for url in requests), [u for u in requests if not u.startswith(full_site.base_url)]
    assert any("/zh/pagefind/" in url for url in requests)
