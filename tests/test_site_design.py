"""The site's chrome (issue 19, items 1 and 5): every page says where it
sits, the tab of its section is highlighted, the footer is the site's own,
and the about pages exist in six languages.

Built by the real `newsroom.cli build` (conftest.py `sites`, `full_site`) and
read through BeautifulSoup; the expected words come from the UI string tables
(data/strings/), the content's front-matter and the registries, never from
the output. The browser tests at the end measure in Debian's Chromium what
the privacy note and the type scale promise.
"""

from __future__ import annotations

import json
import posixpath
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

import sitebuild
from conftest import Served

PROJECT = sitebuild.PROJECT
LANGUAGES = [entry["code"] for entry in yaml.safe_load((PROJECT / "data" / "languages.yml").read_text("utf-8"))]
ORGANISATIONS = yaml.safe_load((PROJECT / "data" / "organisations.yml").read_text("utf-8"))
RELEASE = "news/2024/from-emerging-tech-to-responsible-ai/"
REPORT_MESSAGE = 'data/site.yml: repository "not a repository" is not a GitHub repository name. Write it as owner/name, e.g. example-org/newsroom, or leave it out.'


def strings(lang: str) -> dict[str, Any]:
    return yaml.safe_load((PROJECT / "data" / "strings" / f"{lang}.yml").read_text("utf-8"))


def front_matter(lang: str, src: str) -> dict[str, Any]:
    """A page's front-matter in a language: the translation's fields over the English ones."""
    english = yaml.safe_load((PROJECT / "docs" / "en" / src).read_text("utf-8").split("---")[1])
    translated = PROJECT / "docs" / lang / src
    if lang != "en" and translated.is_file():
        english.update(yaml.safe_load(translated.read_text("utf-8").split("---")[1]))
    return english


def resolve(lang: str, url: str, href: str) -> str:
    """A link's target on the site, as a path from the language's root (news/2024/)."""
    path = urlsplit(urljoin(f"http://site.test/{lang}/{url}", href)).path
    assert path.startswith(f"/{lang}/"), f"/{lang}/{url}: {href} leads out of the language's site"
    return path[len(lang) + 2 :]


def exists(built: sitebuild.Built, target: str) -> bool:
    return built.path(target).is_file()


def trail(page: BeautifulSoup, lang: str, url: str) -> list[tuple[str, str, str | None, str | None]]:
    """(text, target, aria-current, lang) of each step of the breadcrumb: a
    link, or for the page itself, last, its name (whose target is the page)."""
    steps = page.select("nav.nr-breadcrumb ol > li > :is(a, span)")
    assert [step.name for step in steps] == ["a"] * (len(steps) - 1) + ["span"], f"/{lang}/{url}: every step but the last is a link"
    return [(step.get_text(), resolve(lang, url, step["href"]) if step.name == "a" else url, step.get("aria-current"), step.get("lang")) for step in steps]


def breadcrumb_list(page: BeautifulSoup) -> list[dict[str, Any]]:
    found = [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]
    lists = [data for data in found if data.get("@type") == "BreadcrumbList"]
    assert len(lists) <= 1, lists
    return lists[0]["itemListElement"] if lists else []


def expected_trails(lang: str) -> dict[str, tuple[list[tuple[str, str]], str | None]]:
    """Page URL -> (steps as (text, target) after the home page, the tab's target)."""
    t = strings(lang)
    programme = front_matter(lang, "programmes/ai-pol.md")
    part = front_matter(lang, "programmes/counter-terrorism-in-the-age-of-ai.md")
    whole = front_matter(lang, f"programmes/{part['part_of']}.md")
    resource = front_matter(lang, "resources/toolkit-for-responsible-ai-innovation-in-law-enforcement.md")
    release = front_matter(lang, "news/2024/from-emerging-tech-to-responsible-ai.md")
    about = front_matter(lang, "about/accessibility.md")
    return {
        RELEASE: ([(t["news"], "news/"), ("2024", "news/2024/"), (release["title"], RELEASE)], "news/"),
        "news/2024/": ([(t["news"], "news/"), ("2024", "news/2024/")], "news/"),
        "news/": ([(t["news"], "news/")], "news/"),
        "programmes/ai-pol/": ([(t["programmes"], "programmes/"), (programme["short_name"], "programmes/ai-pol/")], "programmes/"),
        "programmes/counter-terrorism-in-the-age-of-ai/": (
            [(t["programmes"], "programmes/"), (whole["short_name"], f"programmes/{part['part_of']}/"), (part["short_name"], "programmes/counter-terrorism-in-the-age-of-ai/")],
            "programmes/",
        ),
        "programmes/": ([(t["programmes"], "programmes/")], "programmes/"),
        "resources/toolkit-for-responsible-ai-innovation-in-law-enforcement/": (
            [(t["resources"], "resources/"), (resource["title"], "resources/toolkit-for-responsible-ai-innovation-in-law-enforcement/")],
            "resources/",
        ),
        "resources/": ([(t["resources"], "resources/")], "resources/"),
        "organisations/unicri/": ([(t["organisations"], "organisations/"), (ORGANISATIONS["unicri"]["acronym"], "organisations/unicri/")], "organisations/"),
        "organisations/": ([(t["organisations"], "organisations/")], "organisations/"),
        "about/accessibility/": ([(about["title"], "about/accessibility/")], None),
    }


# --------------------------------------------------------------------------
# Breadcrumb, its JSON-LD and the highlighted tab


@pytest.mark.parametrize("lang", ["en", "ar", "zh"])
def test_every_page_type_has_a_breadcrumb_from_home_to_itself(sites, lang: str) -> None:
    built = sites.get(None, lang)
    home = strings(lang)["home"]
    for url, (steps, _) in expected_trails(lang).items():
        page = built.html(url)
        nav = page.select_one("nav.nr-breadcrumb")
        assert nav is not None, f"/{lang}/{url}: no breadcrumb"
        assert nav["aria-label"] == strings(lang)["breadcrumb"]
        found = trail(page, lang, url)
        assert [(text, target) for text, target, _, _ in found] == [(home, ""), *steps], f"/{lang}/{url}"
        assert [current for _, _, current, _ in found] == [None] * len(steps) + ["page"], f"/{lang}/{url}: only the page itself is current"
        for _, target, _, _ in found:
            assert exists(built, target), f"/{lang}/{url}: the breadcrumb links /{lang}/{target}, which is not a page"


def test_the_home_page_has_no_breadcrumb(sites) -> None:
    page = sites.get(None).html("")
    assert page.select_one(".nr-breadcrumb") is None and breadcrumb_list(page) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_breadcrumb_list_says_what_the_breadcrumb_shows(sites, lang: str) -> None:
    built = sites.get(None, lang)
    for url in expected_trails(lang):
        page = built.html(url)
        shown = trail(page, lang, url)
        listed = breadcrumb_list(page)
        assert [item["position"] for item in listed] == list(range(1, len(shown) + 1))
        assert {item["@type"] for item in listed} == {"ListItem"}
        assert [(item["name"], item["item"]) for item in listed] == [(text, f"{built.base_url}{lang}/{target}") for text, target, _, _ in shown], f"/{lang}/{url}"


@pytest.mark.parametrize("lang", ["en", "ar", "zh"])
def test_the_tab_of_the_pages_section_is_highlighted(sites, lang: str) -> None:
    built = sites.get(None, lang)
    cases = {url: tab for url, (_, tab) in expected_trails(lang).items()}
    cases[""] = ""
    for url, tab in cases.items():
        page = built.html(url)
        active = page.select("nav.md-tabs li.md-tabs__item--active > a")
        if tab is None:
            assert active == [] and page.select("nav.md-nav--primary .md-nav__link--active") == [], f"/{lang}/{url} belongs under no tab"
            continue
        assert len(active) == 1, f"/{lang}/{url}: {active}"
        assert resolve(lang, url, active[0]["href"]) == tab, f"/{lang}/{url}"
        assert active[0]["aria-current"] == ("page" if tab == url else "true")
        assert len(page.select("nav.md-tabs a[aria-current]")) == 1
        # The menu of phones (the drawer) says the same.
        menu = page.select("nav.md-nav--primary > ul > li.md-nav__item--active > a.md-nav__link--active")
        assert [(resolve(lang, url, a["href"]), a["aria-current"]) for a in menu] == [(tab, active[0]["aria-current"])], f"/{lang}/{url}"
    for url in ("", RELEASE):
        tabs = [a.get_text(strip=True) for a in built.html(url).select("nav.md-tabs a")]
        menu = [a.get_text(strip=True) for a in built.html(url).select("nav.md-nav--primary > ul > li > a")]
        assert tabs[0] == menu[0] == strings(lang)["home"], "the home page's tab and menu item read Home, not its long title"
        assert tabs[1:] == menu[1:] == [strings(lang)[key] for key in ("news", "programmes", "resources", "organisations")]


def test_names_in_the_arabic_breadcrumb_read_the_right_way_round(sites) -> None:
    page = sites.get(None, "ar").html("programmes/ct-tech-plus/")
    current = page.select_one('nav.nr-breadcrumb [aria-current="page"]')
    assert [b.get_text() for b in current.select("bdi")] == [front_matter("ar", "programmes/ct-tech-plus.md")["short_name"]]


def test_a_title_still_in_english_is_marked_english_in_the_breadcrumb(sites) -> None:
    """The author guide has no Arabic translation: its Arabic page shows the
    English title, which the breadcrumb marks as English, left to right."""
    page = sites.get(None, "ar").html("about/publishing/")
    *_, (text, _, current, lang) = trail(page, "ar", "about/publishing/")
    assert (text, current, lang) == (front_matter("en", "about/publishing.md")["title"], "page", "en")
    assert page.select_one('nav.nr-breadcrumb [aria-current="page"]')["dir"] == "ltr"


def _releases(root: Path, year: int, count: int) -> None:
    folder = root / "docs" / "en" / "news" / str(year)
    folder.mkdir(parents=True)
    for n in range(count):
        (folder / f"release-{n:02d}.md").write_text(
            f"---\nid: 00000000-0000-4000-8000-{n:012d}\ntitle: \"Release {n:02d}\"\ndate: {year}-01-01 00:{n:02d}\n"
            f"location: Turin\nsummary: \"Number {n}.\"\nprogrammes: [beta]\npublishers: [interpol]\n---\n\nBody {n}.\n",
            "utf-8",
        )


@pytest.fixture(scope="module")
def paginated(tmp_path_factory: pytest.TempPathFactory) -> sitebuild.Built:
    root = tmp_path_factory.mktemp("paginated-chrome")
    sitebuild.assemble(root, "base")
    _releases(root, 2023, 30)
    built = sitebuild.build(root)
    assert built.ok, built.output
    return built


def test_a_later_page_of_a_list_sits_under_its_list(paginated: sitebuild.Built) -> None:
    t = strings("en")
    beta = yaml.safe_load((sitebuild.FIXTURES / "base" / "docs" / "en" / "programmes" / "beta.md").read_text("utf-8").split("---")[1])
    page_2 = t["breadcrumb_page"].format(number=2)
    cases = {
        "news/2023/page/2/": ([(t["news"], "news/"), ("2023", "news/2023/")], "news/"),
        "programmes/beta/page/2/": ([(t["programmes"], "programmes/"), (beta["short_name"], "programmes/beta/")], "programmes/"),
        "organisations/interpol/page/2/": ([(t["organisations"], "organisations/"), (ORGANISATIONS["interpol"]["acronym"], "organisations/interpol/")], "organisations/"),
    }
    for url, (steps, tab) in cases.items():
        page = paginated.html(url)
        found = trail(page, "en", url)
        assert [(text, target) for text, target, _, _ in found] == [(t["home"], ""), *steps, (page_2, url)], url
        assert found[-1][2] == "page"
        assert all(exists(paginated, target) for _, target, _, _ in found), url
        assert [item["name"] for item in breadcrumb_list(page)] == [text for text, *_ in found]
        active = page.select("nav.md-tabs li.md-tabs__item--active > a")
        assert [resolve("en", url, a["href"]) for a in active] == [tab], url


# --------------------------------------------------------------------------
# Footer


def _programmes_by_title() -> list[dict[str, Any]]:
    found = [yaml.safe_load(p.read_text("utf-8").split("---")[1]) for p in (PROJECT / "docs" / "en" / "programmes").glob("*.md")]
    return sorted(found, key=lambda p: p["title"].casefold())


def _named(field: str) -> list[str]:
    """Each organisation the programme pages name in a field, once, in the
    order the site lists programmes."""
    return list(dict.fromkeys(slug for programme in _programmes_by_title() for slug in programme.get(field, [])))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_footer_names_who_runs_and_funds_the_programmes_and_links_the_sites_pages(sites, lang: str) -> None:
    built = sites.get(None, lang)
    t = strings(lang)
    for url in ("", RELEASE, "programmes/ct-tech-plus/", "404.html"):
        page = built.html(url)
        footer = page.select_one("footer.md-footer")
        assert "Material" not in footer.get_text() and "mkdocs" not in str(footer).lower()
        assert footer.select_one(".nr-footer__name").get_text(strip=True) == t["site_name"]
        assert footer.select_one(".nr-footer__description").get_text(strip=True) == t["site_description"]
        parts = {part.select_one("h2").get_text(strip=True): part for part in footer.select(".nr-footer__part:has(h2)")}
        assert list(parts) == [t["footer_implementers"], t["footer_funders"], t["footer_follow"], t["footer_about"]], f"/{lang}/{url}"
        for heading, field in ((t["footer_implementers"], "implementers"), (t["footer_funders"], "funders")):
            links = parts[heading].select("a")
            assert [a.get_text(strip=True) for a in links] == [ORGANISATIONS[slug]["acronym"] for slug in _named(field)], f"/{lang}/{url}: {field}"
            assert [resolve(lang, url, a["href"]) for a in links] == [f"organisations/{slug}/" for slug in _named(field)]
        follow = [(a.get_text(strip=True), resolve(lang, url, a["href"]), a.get("type")) for a in parts[t["footer_follow"]].select("a")]
        assert follow == [
            (t["subscribe_rss"], "feed_rss_created.xml", "application/rss+xml"),
            (t["subscribe_updates"], "feed_rss_updated.xml", "application/rss+xml"),
            ("JSON Feed", "feed_json_created.json", "application/feed+json"),
        ]
        about = [(a.get_text(strip=True), resolve(lang, url, a["href"]), a.get("hreflang")) for a in parts[t["footer_about"]].select("a") if not a["href"].startswith("https://")]
        assert about == [
            (t["footer_accessibility"], "about/accessibility/", None),
            (t["footer_privacy"], "about/privacy/", None),
            (t["footer_publishing_guide"], "about/publishing/", None if lang == "en" else "en"),
        ], f"/{lang}/{url}"
        for a in footer.select("a[href]"):
            if not a["href"].startswith("https://"):
                assert exists(built, resolve(lang, url, a["href"])), f"/{lang}/{url}: {a['href']}"


def test_report_a_problem_opens_an_issue_in_the_sites_repository(sites) -> None:
    """The repository comes from the workflow (GITHUB_REPOSITORY) unless
    data/site.yml names it; a build that knows neither shows no such link."""
    t = strings("en")

    def report_links(built: sitebuild.Built) -> list[str]:
        assert built.ok, built.output
        footer = built.html("").select_one("footer.md-footer")
        return [a["href"] for a in footer.select("a") if a.get_text(strip=True) == t["footer_report"]]

    assert report_links(sites.get("base", GITHUB_REPOSITORY="example-org/newsroom")) == ["https://github.com/example-org/newsroom/issues/new"]
    assert report_links(sites.get("base", GITHUB_REPOSITORY="")) == []


@pytest.fixture(scope="module")
def bad_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    fixture = tmp_path_factory.mktemp("bad-repository-fixture")
    (fixture / "data").mkdir()
    settings = (PROJECT / "data" / "site.yml").read_text("utf-8")
    (fixture / "data" / "site.yml").write_text(settings + '\nrepository: "not a repository"\n', "utf-8")
    return fixture


def test_a_repository_that_is_not_one_stops_the_build_and_the_check(sites, bad_repository: Path, tmp_path: Path) -> None:
    built = sites.get(bad_repository)
    assert not built.ok and REPORT_MESSAGE in built.output, built.output
    root = tmp_path / "check"
    root.mkdir()
    sitebuild.assemble(root, bad_repository)
    done = subprocess.run([sys.executable, "-m", "newsroom.cli", "check"], cwd=root, env=sitebuild.build_env(), capture_output=True, text=True)
    assert done.returncode != 0 and REPORT_MESSAGE in done.stdout + done.stderr, done.stdout + done.stderr


def test_a_repository_named_in_site_yml_wins(sites, tmp_path_factory: pytest.TempPathFactory) -> None:
    fixture = tmp_path_factory.mktemp("named-repository-fixture")
    (fixture / "data").mkdir()
    settings = (PROJECT / "data" / "site.yml").read_text("utf-8")
    (fixture / "data" / "site.yml").write_text(settings + "\nrepository: example-org/newsroom-site\n", "utf-8")
    built = sites.get(fixture, GITHUB_REPOSITORY="someone-else/fork")
    assert built.ok, built.output
    hrefs = [a["href"] for a in built.html("").select("footer.md-footer a[href^='https://']")]
    assert hrefs == ["https://github.com/example-org/newsroom-site/issues/new"]


# --------------------------------------------------------------------------
# About pages


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", ["accessibility", "privacy"])
def test_the_about_pages_exist_in_every_language(sites, lang: str, name: str) -> None:
    built = sites.get(None, lang)
    url = f"about/{name}/"
    page = built.html(url)
    assert page.select_one("html")["lang"] == lang
    assert page.select_one("h1").get_text(strip=True) == front_matter(lang, f"about/{name}.md")["title"]
    assert (PROJECT / "docs" / lang / "about" / f"{name}.md").is_file()
    notice = page.select_one("aside.nr-notice")
    if lang == "en":
        assert notice is None
    else:
        # Marked unofficial, and translating the current English text.
        assert notice["data-translation"] == "current"
        assert strings(lang)["translation_unofficial"] in notice.get_text()
        assert page.select_one(".md-content [lang='en']:not(a)") is None, "the page is written in its language"
    assert f"{built.base_url}{lang}/{url}" in sitebuild.sitemap_locs(built.site / lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_accessibility_statement_names_the_link_it_sends_readers_to(sites, lang: str) -> None:
    """"How to report a problem" points at the footer's link by its name in
    the page's language, and at the repository's issues; no e-mail address."""
    page = sites.get(None, lang).html("about/accessibility/")
    body = page.select_one(".md-content")
    assert strings(lang)["footer_report"] in [b.get_text() for b in body.select("strong")]
    assert "@" not in body.get_text() and not body.select("a[href^='mailto:']")
    assert "WCAG" in body.get_text() and body.select_one("a[href='https://www.w3.org/TR/WCAG21/']")


# --------------------------------------------------------------------------
# In Chromium: the privacy note's promises, and the type scale


_STORED = "() => [Object.entries(localStorage), Object.keys(sessionStorage), document.cookie]"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_site_sets_no_cookie_asks_no_other_site_and_keeps_only_the_colour_scheme(full_site: Served, browser: Any, scheme: str) -> None:
    """What the privacy note says: no cookie, nothing from another site, and
    one entry in local storage, the colour scheme in use (Material's palette:
    the device's setting until the reader toggles it)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    context.set_default_timeout(10_000)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    try:
        page = context.new_page()
        for path in ("en/", f"en/{RELEASE}", "en/programmes/ai-pol/", "en/about/privacy/"):
            page.goto(full_site.url(path), wait_until="networkidle")
        page.keyboard.press("/")
        page.wait_for_selector("#nr-search[open]")
        page.fill("#nr-search-input", "AI-POL")
        page.wait_for_selector(".nr-search__result")
        page.goto(full_site.url("en/about/privacy/"), wait_until="networkidle")
        before = page.evaluate(_STORED)
        page.locator("[data-md-component=palette] label:visible").first.click()
        page.goto(full_site.url(f"en/{RELEASE}"), wait_until="networkidle")
        after = page.evaluate(_STORED)
        cookies = context.cookies()
    finally:
        context.close()
    origins = {f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" for url in requested if not url.startswith("data:")}
    assert origins == {full_site.base_url.rstrip("/")}, origins
    assert cookies == [] and before[2] == after[2] == ""
    assert before[1] == after[1] == [], "nothing in session storage"
    schemes = []
    for stored, _, _ in (before, after):
        assert [key for key, _ in stored] == ["/en/.__palette"], stored
        value = json.loads(stored[0][1])
        assert set(value) == {"index", "color"} and set(value["color"]) == {"media", "scheme", "primary", "accent"}, value
        schemes.append(value["color"]["scheme"])
    device = {"light": "default", "dark": "slate"}[scheme]
    assert schemes[0] == device and schemes[1] != device, "the device's scheme, then the one the reader chose"


_TYPE = """() => {
  const style = (selector) => { const e = document.querySelector(selector); const s = getComputedStyle(e); return {color: s.color, size: parseFloat(s.fontSize), weight: parseInt(s.fontWeight)}; };
  return {headline: style('.nr-release h1'), body: style('.nr-body p'), dateline: style('.nr-dateline'), breadcrumb: style('.nr-breadcrumb a')};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "ar", "zh"])
def test_headlines_are_in_the_text_colour_on_a_clear_scale(full_site: Served, browser: Any, lang: str, scheme: str) -> None:
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
        try:
            page = context.new_page()
            page.goto(full_site.url(f"{lang}/{RELEASE}"))
            measured = page.evaluate(_TYPE)
        finally:
            context.close()
        headline, body, dateline, breadcrumb = (measured[k] for k in ("headline", "body", "dateline", "breadcrumb"))
        assert headline["color"] == body["color"], f"{lang} {scheme} {width}px: the headline is in the text's colour, {measured}"
        assert headline["weight"] >= 700, measured
        assert headline["size"] >= 1.6 * body["size"] and dateline["size"] < body["size"] and breadcrumb["size"] < body["size"], measured
