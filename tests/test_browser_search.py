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
    # A function, not an expression string: Playwright evaluates a string
    # with eval, which the site's Content-Security-Policy refuses.
    page.wait_for_function("() => document.querySelector('#nr-search-status').textContent.trim() !== '' && !document.querySelector('#nr-search-status').textContent.includes('…')")
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
    assert item.query_selector(".nr-search__result-meta").inner_text() == "Press release · 22 November 2024 · AI-POL · CT TECH+"
    assert "voronkov" in item.query_selector(".nr-search__excerpt mark").inner_text().lower()


def test_programme_filter_narrows_results(full_site, page):
    open_search(page, full_site.url("en/"))
    everything = results(page, "Voronkov")
    assert {f"/en/{LAUNCH}/", f"/en/{RESEARCH}/"} <= set(everything)
    page.check("input[name=programme][value='AI-POL']")
    page.wait_for_function("count => document.querySelectorAll('.nr-search__result').length < count", arg=len(everything))
    narrowed = [a.get_attribute("href") for a in page.query_selector_all(".nr-search__result-title")]
    assert narrowed == [f"/en/{LAUNCH}/"]
    assert page.inner_text("#nr-search-status") == "1 result"  # the plural form for one (data/strings/en.yml)


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


# --------------------------------------------------------------------------
# News first, newest first, and room for the results on a phone


def dated(root: Path) -> dict[str, str]:
    """The date each result is sorted by, from the front-matter the site was
    built from: a release's date, a resource's, a programme's launch."""
    dates = {}
    for path in sorted((root / "docs" / "en").rglob("*.md")):
        uri = path.relative_to(root / "docs" / "en").as_posix()
        fields = front_matter(path)
        when = fields.get("date") or fields.get("launched")
        if when is not None and uri.split("/")[0] in ("news", "resources", "programmes"):
            dates[f"/en/{uri[:-3]}/"] = str(when)[:10]
    return dates


def kinds(page) -> list[str]:
    return [meta.inner_text().split(" · ")[0] for meta in page.query_selector_all(".nr-search__result-meta")]


def test_news_comes_first_for_a_word_every_kind_of_page_has(full_site, page):
    """"counter" is in the titles of releases, programmes and resources alike:
    the releases come first (it ranked a handbook above them)."""
    open_search(page, full_site.url("en/"))
    found = results(page, "counter")
    shown = kinds(page)
    assert {"Press release", "Programme", "Resource"} <= set(shown), shown
    releases = shown.count("Press release")
    assert releases >= 2 and shown[:releases] == ["Press release"] * releases, list(zip(shown, found))


def test_newest_first_orders_results_by_date(full_site, page):
    open_search(page, full_site.url("en/"))
    best = results(page, "counter")
    page.select_option("select[name=sort]", "date")
    page.wait_for_timeout(600)  # the debounced search settles
    newest = [a.get_attribute("href") for a in page.query_selector_all(".nr-search__result-title")]
    assert sorted(newest) == sorted(best) and newest != best
    dates = dated(full_site.root)
    shown = [dates.get(href, "0000") for href in newest]
    assert shown == sorted(shown, reverse=True), list(zip(newest, shown))
    assert newest.index(f"/en/{LAUNCH}/") < newest.index(f"/en/{RESEARCH}/")


def test_on_a_phone_the_filters_fold_away_and_the_results_show(browser, full_site):
    """At 390 px the order and the folded filters take one row, and the first
    result is on the screen below them; opened, the filters still fit."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        open_search(page, full_site.url("en/"))
        results(page, "counter")
        box = lambda selector: page.locator(selector).first.bounding_box()
        controls, first = box(".nr-search__controls"), box(".nr-search__result")
        assert not page.locator(".nr-search__more").evaluate("d => d.open")
        assert controls["height"] < 60, controls
        assert first["y"] >= controls["y"] + controls["height"] and first["y"] + 40 < 844, (controls, first)
        page.locator(".nr-search__more summary").click()
        assert page.locator(".nr-search__facet").first.is_visible()
        dialog = page.locator("#nr-search")
        assert dialog.evaluate("d => d.scrollWidth <= d.clientWidth"), "the open filters are wider than the phone"
        page.check("input[name=type][value='Press release']")
        page.wait_for_timeout(600)
        assert page.locator(".nr-search__chosen").inner_text().strip() == "(1)"
        assert set(kinds(page)) == {"Press release"}
    finally:
        context.close()
