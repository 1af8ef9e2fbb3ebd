"""The built English site, read through an HTML parser.

The project is built once per session (the `site` fixture); small fixture sites
under tests/fixtures/ cover what the real content cannot show (related news,
drafts and embargoes, renamed releases, ordering across several releases).
Expectations come from the content files, data/ and the seed press releases in
/work/shared/seeds/, so the tests follow the content instead of copying it.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

import sitebuild
from searchindex import indexed_pages

PROJECT = sitebuild.PROJECT
DOCS = PROJECT / "docs" / "en"
SEEDS = sitebuild.PROJECT.parent / "shared" / "seeds"  # ../shared beside the clone, in CI too
SEED_FILES = sorted(SEEDS.glob("*.txt"))

# The top pages, and nothing else, belong in the navigation (mkdocs.yml).
TOP_PAGES = {"", "news/", "programmes/", "resources/", "organisations/"}
RELEASE_URL = re.compile(r"^news/\d{4}/[a-z0-9]+(?:-[a-z0-9]+)*/$")


# --------------------------------------------------------------------------
# What each seed press release must become. The dateline and date are what
# the seed prints; the 2020 seed leaves out the year ("30 June."), and the
# site writes the place with an en dash where the seed typed a hyphen.


@dataclass(frozen=True)
class SeedRelease:
    url: str
    location: str
    date_text: str
    iso_date: str
    contacts: int


SEED_RELEASES = {
    "000_716ef4b5a6030904.txt": SeedRelease(
        "news/2024/from-emerging-tech-to-responsible-ai/", "New York", "22 November 2024", "2024-11-22", 3
    ),
    "002_6aae0bb5601ee4b1.txt": SeedRelease(
        "news/2020/counter-terrorism-in-the-age-of-artificial-intelligence/", "The Hague–New York", "30 June 2020", "2020-06-30", 0
    ),
}
SEED_IDS = [p.name for p in SEED_FILES]

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
QUOTE = re.compile(r"“(.+?)”", re.S)
# A hyphen at the end of a line, between letters, may be a soft break
# ("coun-\nter") or a real hyphen that fell at the break ("Counter-\nTerrorism").
LINE_END_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\r?\n[ \t]*(?=\w)")
DATELINE = re.compile(r"^(?P<place>[^,\n]+), (?P<date>\d{1,2} [A-Z][a-z]+(?: \d{4})?)\s*[.\-–—]\s+(?P<lead>.+)$", re.S)


def squash(text: str) -> str:
    """Collapse every run of whitespace (including no-break spaces) to one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def dashes(text: str) -> str:
    return re.sub(r"[-–—]", "-", text)


def seed_quotes(path: Path) -> list[str]:
    """Each quoted passage of a seed, as a regex that tolerates line-end hyphens."""
    patterns = []
    for raw in QUOTE.findall(path.read_text("utf-8")):
        parts = LINE_END_HYPHEN.split(raw)
        patterns.append("-?".join(r"\s+".join(map(re.escape, squash(p).split(" "))) for p in parts))
    return patterns


def seed_dateline(path: Path) -> re.Match[str]:
    """The seed's lead paragraph, split into place, date and the lead itself."""
    for paragraph in re.split(r"\n\s*\n", path.read_text("utf-8")):
        match = DATELINE.match(squash(paragraph))
        if match:
            return match
    raise AssertionError(f"{path.name}: no dateline paragraph (\"Place, 22 November 2024 - ...\")")


def front_matter(path: Path) -> dict:
    text = path.read_text("utf-8")
    _, block, _ = text.split("---\n", 2)
    return yaml.safe_load(block) or {}


def release_source(url: str) -> Path:
    return DOCS / (url.rstrip("/") + ".md")


def strings() -> dict[str, str]:
    return yaml.safe_load((PROJECT / "data" / "strings" / "en.yml").read_text("utf-8"))


def organisations() -> dict[str, dict]:
    return yaml.safe_load((PROJECT / "data" / "organisations.yml").read_text("utf-8"))


def programme_sources() -> dict[str, dict]:
    return {p.stem: front_matter(p) for p in sorted((DOCS / "programmes").glob("*.md")) if p.stem != "index"}


def resource_sources() -> dict[str, dict]:
    return {p.stem: front_matter(p) for p in sorted((DOCS / "resources").glob("*.md")) if p.stem != "index"}


# --------------------------------------------------------------------------
# Reading built pages


def page_url_of(built: sitebuild.Built, file: Path) -> str:
    """The language-relative URL of a built HTML file: news/index.html -> news/."""
    rel = file.relative_to(built.site / built.lang).as_posix()
    if rel == "index.html":
        return ""
    return rel[: -len("index.html")] if rel.endswith("/index.html") else rel


def local_target(built: sitebuild.Built, page_url: str, href: str) -> str | None:
    """The site-root-relative path (en/news/...) an href points at, or None if not local."""
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    scheme = urlsplit(href).scheme
    if scheme in ("mailto", "tel", "data", "javascript"):
        return None
    absolute = urljoin(f"{built.base_url}{built.lang}/{page_url}", href)
    if not absolute.startswith(built.base_url):
        return None  # another site
    return unquote(urlsplit(absolute).path).lstrip("/")


def link_target(built: sitebuild.Built, page_url: str, href: str) -> str | None:
    """Like local_target, but relative to the language root: news/2024/x/."""
    target = local_target(built, page_url, href)
    prefix = f"{built.lang}/"
    if target is None or not (target + "/").startswith(prefix):
        return None
    return target[len(prefix):]


def built_file(built: sitebuild.Built, target: str) -> Path:
    path = built.site / target
    if target.endswith("/") or target == "" or path.is_dir():
        path = path / "index.html"
    return path


def links(built: sitebuild.Built, page_url: str, scope: Tag | None) -> list[str]:
    """Language-relative targets of the <a href> inside scope, in order."""
    if scope is None:
        return []
    found = []
    for a in scope.select("a[href]"):
        target = link_target(built, page_url, a["href"])
        if target is not None:
            found.append(target)
    return found


def html_files(built: sitebuild.Built) -> list[Path]:
    return sorted((built.site / built.lang).rglob("*.html"))


def facts_row(scope: Tag, label: str) -> Tag | None:
    """The .nr-facts__row whose <dt> reads label."""
    for dt in scope.select(".nr-facts__row > dt"):
        if squash(dt.get_text()) == label:
            return dt.parent
    return None


def card_times(scope: Tag | None) -> list[datetime]:
    if scope is None:
        return []
    return [datetime.fromisoformat(t["datetime"]) for t in scope.select("li.nr-card[data-release-id] time[datetime]")]


def section_titled(soup: BeautifulSoup, heading_id: str) -> Tag | None:
    return soup.select_one(f'section[aria-labelledby="{heading_id}"]')


def year_section(soup: BeautifulSoup, year: int | str) -> Tag | None:
    for section in soup.select("section.nr-year"):
        h2 = section.find("h2")
        if h2 and squash(h2.get_text()) == str(year):
            return section
    return None


def assert_is_newest_first(times: list[datetime], where: str) -> None:
    assert times == sorted(times, reverse=True), f"{where}: releases are not newest first: {[t.isoformat() for t in times]}"


@pytest.fixture(scope="session")
def related(sites) -> sitebuild.Built:
    built = sites.get("related")
    assert built.ok, built.output
    return built


@pytest.fixture(scope="session")
def designed(sites) -> sitebuild.Built:
    """Releases with lead images (at several sizes), documents and contacts."""
    built = sites.get("release-design")
    assert built.ok, built.output
    return built


@pytest.fixture(scope="session")
def renamed(sites) -> sitebuild.Built:
    built = sites.get("renamed")
    assert built.ok, built.output
    return built


def _built(name: str, request: pytest.FixtureRequest) -> sitebuild.Built:
    """A session build by fixture name, for tests parametrised over several sites."""
    return request.getfixturevalue(name)


# --------------------------------------------------------------------------
# Seed releases on their own pages


def test_every_seed_has_an_expected_release() -> None:
    assert SEED_FILES, f"no seeds in {SEEDS}"
    assert set(SEED_IDS) == set(SEED_RELEASES), "add each new seed to SEED_RELEASES with its URL and dateline"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_release_page_title_and_dateline(site, seed: str) -> None:
    expected = SEED_RELEASES[seed]
    fm = front_matter(release_source(expected.url))
    seed_text = squash((SEEDS / seed).read_text("utf-8"))
    assert squash(fm["title"]) in seed_text, "the release's title is not the seed's headline"

    assert site.path(expected.url).is_file(), f"no page at /en/{expected.url}"
    soup = site.html(expected.url)
    article = soup.select_one("article.nr-release")
    assert article is not None
    assert [squash(h.get_text()) for h in article.select("h1")] == [squash(fm["title"])]
    assert squash(soup.title.get_text()).startswith(squash(fm["title"]))

    dateline = article.select_one(".nr-dateline")
    assert dateline is not None
    place = dateline.select_one(".nr-dateline__place")
    assert place is not None and squash(place.get_text()) == expected.location
    time = dateline.select_one("time[datetime]")
    assert time is not None
    assert squash(time.get_text()) == expected.date_text
    assert datetime.fromisoformat(time["datetime"]).date().isoformat() == expected.iso_date

    # The dateline agrees with what the seed printed.
    seeded = seed_dateline(SEEDS / seed)
    assert dashes(seeded["place"]) == dashes(expected.location)
    assert expected.date_text.startswith(seeded["date"])


@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_release_page_body_has_the_seed_lead(site, seed: str) -> None:
    expected = SEED_RELEASES[seed]
    body = site.html(expected.url).select_one("article.nr-release .nr-body")
    assert body is not None
    lead = squash(seed_dateline(SEEDS / seed)["lead"].replace("*", ""))
    assert lead in squash(body.get_text())


@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_release_contacts_are_mailto_links(site, seed: str) -> None:
    expected = SEED_RELEASES[seed]
    emails = EMAIL.findall((SEEDS / seed).read_text("utf-8"))
    assert len(emails) == expected.contacts
    article = site.html(expected.url).select_one("article.nr-release")
    mailtos = [a["href"] for a in article.select('a[href^="mailto:"]')]
    assert mailtos == [f"mailto:{e}" for e in emails]
    contacts = article.select_one(".nr-contacts")
    if emails:
        assert contacts is not None
        assert [squash(a.get_text()) for a in contacts.select("a[href^='mailto:']")] == emails
    else:
        assert contacts is None, "a release without contacts shows an empty Contacts section"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_release_programmes_and_organisations_are_links_to_built_pages(site, seed: str) -> None:
    url = SEED_RELEASES[seed].url
    fm = front_matter(release_source(url))
    labels = strings()
    facts = site.html(url).select_one("article.nr-release .nr-facts")
    assert facts is not None
    rows = {
        "programmes": [f"programmes/{s}/" for s in fm["programmes"]],
        "issued_by": [f"organisations/{s}/" for s in fm["publishers"]],
        "partners": [f"organisations/{s}/" for s in fm.get("partners", [])],
        "funders": [f"organisations/{s}/" for s in fm.get("funders", [])],
    }
    for key, expected in rows.items():
        row = facts_row(facts, labels[key])
        if not expected:
            assert row is None, f"empty {key} row"
            continue
        assert row is not None, f"no {labels[key]!r} row"
        targets = links(site, url, row)
        assert targets == expected, key
        for target in targets:
            assert site.path(target).is_file(), f"{key} link to /en/{target} has no page"


# --------------------------------------------------------------------------
# Quotes are verbatim


QUOTES = [pytest.param(seed.name, pattern, id=f"{seed.name}-{n}") for seed in SEED_FILES for n, pattern in enumerate(seed_quotes(seed), 1)]


@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_has_quotes(seed: str) -> None:
    # Guards the extraction below: an empty list would pass vacuously.
    assert seed_quotes(SEEDS / seed)


@pytest.mark.parametrize(("seed", "pattern"), QUOTES)
def test_quotes_are_verbatim(site, seed: str, pattern: str) -> None:
    text = squash(site.html(SEED_RELEASES[seed].url).select_one("article.nr-release").get_text())
    assert re.search(pattern, text), f"quote not verbatim on the page: {pattern.replace(chr(92) + 's+', ' ')}"


# --------------------------------------------------------------------------
# Where each seed release is listed


@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_release_is_listed_on_exactly_its_programmes(site, seed: str) -> None:
    url = SEED_RELEASES[seed].url
    mine = set(front_matter(release_source(url))["programmes"])
    for slug in programme_sources():
        page = f"programmes/{slug}/"
        news = site.html(page).select_one("section.nr-programme__news")
        assert news is not None, page
        assert (url in links(site, page, news)) == (slug in mine), f"/en/{page}"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_release_is_on_the_news_index_under_its_year(site, seed: str) -> None:
    url = SEED_RELEASES[seed].url
    year = url.split("/")[1]
    soup = site.html("news/")
    section = year_section(soup, year)
    assert section is not None, f"no {year} heading on /en/news/"
    assert url in links(site, "news/", section)
    for other in soup.select("section.nr-year"):
        if other is not section:
            assert url not in links(site, "news/", other), "listed under another year"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_release_is_on_its_year_page(site, seed: str) -> None:
    url = SEED_RELEASES[seed].url
    year_page = "/".join(url.split("/")[:2]) + "/"
    soup = site.html(year_page)
    assert str(url.split("/")[1]) in squash(soup.select_one("h1").get_text())
    assert url in links(site, year_page, soup.select_one("ul.nr-cards"))


@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_release_is_on_exactly_its_organisations_pages(site, seed: str) -> None:
    url = SEED_RELEASES[seed].url
    fm = front_matter(release_source(url))
    named = {*fm["publishers"], *fm.get("partners", []), *fm.get("funders", [])}
    for slug in organisations():
        page = f"organisations/{slug}/"
        news = section_titled(site.html(page), "nr-news")
        assert news is not None, page
        assert (url in links(site, page, news)) == (slug in named), f"/en/{page}"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_release_is_in_the_latest_news_on_the_home_page(site, seed: str) -> None:
    news = site.html("").select_one(".nr-home__news")
    assert news is not None
    assert SEED_RELEASES[seed].url in links(site, "", news)


def test_home_page_lists_every_programme(site) -> None:
    section = site.html("").select_one(".nr-home__programmes")
    assert section is not None
    assert sorted(links(site, "", section)) == sorted(f"programmes/{s}/" for s in programme_sources())


# --------------------------------------------------------------------------
# Newest first


def test_news_index_is_newest_first(site, related) -> None:
    for built in (site, related):
        soup = built.html("news/")
        years = [int(squash(s.find("h2").get_text())) for s in soup.select("section.nr-year")]
        assert years == sorted(years, reverse=True) and len(years) == len(set(years))
        assert_is_newest_first(card_times(soup.select_one(".md-content")), f"{built.root.name} /en/news/")


def test_listings_are_newest_first_with_several_releases(related) -> None:
    # The fixture has three alpha releases over two years and one in beta.
    soup = related.html("news/")
    assert [len(card_times(year_section(soup, y))) for y in (2024, 2023)] == [3, 1]
    assert len(card_times(related.html("programmes/alpha/").select_one("section.nr-programme__news"))) == 3
    for page in ("", "news/2024/", "programmes/alpha/", "programmes/beta/", "organisations/unicri/", "organisations/interpol/"):
        assert_is_newest_first(card_times(related.html(page).select_one(".md-content")), f"/en/{page}")


def test_programme_listings_are_newest_first(site) -> None:
    for slug in programme_sources():
        news = site.html(f"programmes/{slug}/").select_one("section.nr-programme__news")
        assert_is_newest_first(card_times(news), f"/en/programmes/{slug}/")


# --------------------------------------------------------------------------
# Programmes, resources and organisations


@pytest.mark.parametrize("slug", sorted(programme_sources()))
def test_programme_page_shows_its_organisations(site, slug: str) -> None:
    fm = programme_sources()[slug]
    page = f"programmes/{slug}/"
    soup = site.html(page)
    article = soup.select_one(f'article.nr-programme[data-programme="{slug}"]')
    assert article is not None
    assert squash(article.select_one("h1").get_text()) == squash(fm["title"])
    labels = strings()
    for key, label in (("implementers", "implementers"), ("partners", "partners"), ("funders", "funders")):
        expected = [f"organisations/{s}/" for s in fm.get(key, [])]
        row = facts_row(article, labels[label])
        if not expected:
            assert row is None, f"empty {key} row"
            continue
        assert row is not None, f"no {labels[label]!r} row"
        assert links(site, page, row) == expected
        assert all(site.path(t).is_file() for t in expected)


@pytest.mark.parametrize("slug", sorted(programme_sources()))
def test_programme_page_lists_the_resources_naming_it(site, slug: str) -> None:
    page = f"programmes/{slug}/"
    expected = sorted(f"resources/{r}/" for r, fm in resource_sources().items() if slug in fm.get("programmes", []))
    section = section_titled(site.html(page), "nr-resources")
    if not expected:
        assert section is None
        return
    assert section is not None, f"/en/{page} lists no resources"
    assert sorted(links(site, page, section.select_one("ul.nr-cards"))) == expected


@pytest.mark.parametrize("slug", sorted(resource_sources()))
def test_resource_page_exists(site, slug: str) -> None:
    fm = resource_sources()[slug]
    page = f"resources/{slug}/"
    assert site.path(page).is_file(), f"no page at /en/{page}"
    article = site.html(page).select_one(f'article.nr-resource[data-resource="{slug}"]')
    assert article is not None
    assert squash(article.select_one("h1").get_text()) == squash(fm["title"])
    row = facts_row(article, strings()["programmes"])
    assert links(site, page, row) == [f"programmes/{p}/" for p in fm.get("programmes", [])]


def test_resources_index_lists_every_resource(site) -> None:
    cards = site.html("resources/").select_one(".md-content ul.nr-cards")
    assert sorted(links(site, "resources/", cards)) == sorted(f"resources/{s}/" for s in resource_sources())


@pytest.mark.parametrize("slug", sorted(organisations()))
def test_every_organisation_has_a_page(site, slug: str) -> None:
    page = f"organisations/{slug}/"
    assert site.path(page).is_file(), f"no page at /en/{page}"
    org = organisations()[slug]
    article = site.html(page).select_one(f'article.nr-organisation[data-organisation="{slug}"]')
    assert article is not None
    heading = squash(article.select_one("h1").get_text())
    assert org["name"] in heading and org["acronym"] in heading


def test_organisations_index_lists_every_organisation(site) -> None:
    listed = site.html("organisations/").select_one("ul.nr-orgs")
    assert sorted(links(site, "organisations/", listed)) == sorted(f"organisations/{s}/" for s in organisations())


# --------------------------------------------------------------------------
# Related releases (fixture: first, second and third share alpha; beta-only)


@pytest.mark.parametrize(
    ("release", "others"),
    [
        ("news/2024/first-release/", ["news/2024/second-release/", "news/2023/third-release/"]),
        ("news/2024/second-release/", ["news/2024/first-release/", "news/2023/third-release/"]),
        ("news/2023/third-release/", ["news/2024/second-release/", "news/2024/first-release/"]),
    ],
)
def test_related_releases_share_a_programme(related, release: str, others: list[str]) -> None:
    section = related.html(release).select_one("section.nr-related")
    assert section is not None, f"/en/{release} has no related news"
    listed = links(related, release, section)
    assert release not in listed, "a release lists itself as related"
    assert "news/2024/beta-only-release/" not in listed, "a release sharing no programme is listed as related"
    assert listed == [o for o in others if o in listed] and sorted(listed) == sorted(others), "related news, newest first"


def test_release_sharing_no_programme_has_no_related_news(related) -> None:
    assert related.html("news/2024/beta-only-release/").select_one("section.nr-related") is None


# --------------------------------------------------------------------------
# Navigation holds the top pages only


@pytest.mark.parametrize("built_name", ["site", "related", "renamed"])
def test_no_release_in_any_navigation(built_name: str, request: pytest.FixtureRequest) -> None:
    built = _built(built_name, request)
    offenders = []
    for file in html_files(built):
        page = page_url_of(built, file)
        soup = BeautifulSoup(file.read_text("utf-8"), "html.parser")
        for switcher in soup.select(".md-select"):  # the same page in other languages
            switcher.decompose()
        for nav in soup.find_all("nav"):
            offenders += [(page, t) for t in links(built, page, nav) if RELEASE_URL.match(t)]
    assert not offenders


@pytest.mark.parametrize("built_name", ["site", "related", "renamed"])
def test_navigation_holds_the_top_pages(built_name: str, request: pytest.FixtureRequest) -> None:
    built = _built(built_name, request)
    for file in html_files(built):
        page = page_url_of(built, file)
        soup = BeautifulSoup(file.read_text("utf-8"), "html.parser")
        for selector in ("nav.md-nav--primary", "nav.md-tabs"):
            nav = soup.select_one(selector)
            assert nav is not None, f"/en/{page}: no {selector}"
            assert set(links(built, page, nav)) == TOP_PAGES, f"/en/{page}: {selector}"


# --------------------------------------------------------------------------
# Drafts and embargoes

DRAFT = ("Unfinished draft headline", "unfinished-draft-release", "55555555-5555-4555-8555-555555555555")
FUTURE = ("Embargoed future headline", "embargoed-future-release", "66666666-6666-4666-8666-666666666666")


def _built_texts(built: sitebuild.Built) -> dict[str, str]:
    """Every built file as text; compressed files (sitemap.xml.gz) decompressed."""
    texts = {}
    for file in sorted(built.site.rglob("*")):
        if not file.is_file():
            continue
        data = file.read_bytes()
        if file.suffix == ".gz":
            data = gzip.decompress(data)
        texts[file.relative_to(built.site).as_posix()] = data.decode("utf-8", "replace")
    return texts


def _mentions(built: sitebuild.Built, needles: tuple[str, ...]) -> list[tuple[str, str]]:
    found = [(name, n) for name, text in _built_texts(built).items() for n in needles if n.casefold() in text.casefold()]
    found += [(p.relative_to(built.site).as_posix(), n) for p in built.site.rglob("*") for n in needles if n in p.name]
    return found


def test_drafts_and_embargoed_releases_are_not_published(sites) -> None:
    built = sites.get("drafts")
    assert built.ok, built.output
    assert built.path("news/2024/first-release/").is_file()
    assert not _mentions(built, DRAFT + FUTURE)
    assert not (built.site / "en" / "news" / "2099").exists()
    assert "sitemap.xml" in {p.name for p in (built.site / "en").iterdir()}


def test_embargo_lifts_when_its_moment_has_passed(sites) -> None:
    built = sites.get("drafts", NEWSROOM_NOW="2099-01-02T00:00:00Z")
    assert built.ok, built.output
    url = f"news/2099/{FUTURE[1]}/"
    assert built.path(url).is_file()
    assert squash(built.html(url).select_one("article.nr-release h1").get_text()) == FUTURE[0]
    assert url in links(built, "news/", year_section(built.html("news/"), 2099))
    assert url in links(built, "news/2099/", built.html("news/2099/").select_one(".md-content"))
    assert f"{sitebuild.SITE_URL}en/{url}" in sitebuild.sitemap_locs(built.site / "en")
    assert _mentions(built, FUTURE), "the search for unpublished releases finds nothing even when they are published"
    assert not _mentions(built, DRAFT)


# --------------------------------------------------------------------------
# Renamed releases, programme and resource pages keep their old address

RENAMED = [("news/2024/old-name/", "news/2024/new-name/"), ("programmes/old-gamma/", "programmes/gamma/"), ("resources/old-handbook/", "resources/handbook/")]


@pytest.mark.parametrize(("old", "new"), RENAMED)
def test_old_address_of_a_renamed_page_redirects(renamed, old: str, new: str) -> None:
    assert renamed.path(new).is_file()
    assert renamed.path(old).is_file(), "no page at the old address"
    soup = renamed.html(old)
    refresh = soup.select_one('meta[http-equiv="refresh"]')
    assert refresh is not None
    match = re.fullmatch(r"\s*0\s*;\s*url=(.+)", refresh["content"], re.I)
    assert match, refresh["content"]
    assert link_target(renamed, old, match[1].strip("'\" ")) == new
    assert new in links(renamed, old, soup.select_one(".md-content"))


@pytest.mark.parametrize(("old", "new"), RENAMED)
def test_old_address_is_not_in_the_sitemap(renamed, old: str, new: str) -> None:
    # The redirect page says noindex; listing it in the sitemap contradicts that
    # (search consoles report "Submitted URL marked 'noindex'") and offers
    # crawlers a duplicate of the page under its retired address.
    assert renamed.html(old).select_one('meta[name="robots"][content~="noindex"]') is not None
    sitemap = sitebuild.sitemap_locs(renamed.site / "en")
    assert f"{sitebuild.SITE_URL}en/{new}" in sitemap
    assert f"{sitebuild.SITE_URL}en/{old}" not in sitemap, "the sitemap lists the redirect page"


@pytest.mark.parametrize(("old", "new"), RENAMED)
def test_old_address_names_the_new_one_as_canonical(renamed, old: str, new: str) -> None:
    # A redirect that calls itself canonical tells crawlers to keep the retired
    # address; pointing at the page hands its ranking on (as mkdocs-redirects does).
    canonical = renamed.html(old).select_one('link[rel="canonical"]')
    assert canonical is not None
    assert canonical["href"] == f"{sitebuild.SITE_URL}en/{new}"


def test_old_address_is_not_in_the_site_search(renamed) -> None:
    urls = [page["url"] for page in indexed_pages(renamed.site / "en")]
    for old, new in RENAMED:
        assert f"/{new}" in urls and f"/{old}" not in urls


# --------------------------------------------------------------------------
# Every local link resolves


@pytest.mark.parametrize("built_name", ["site", "related", "renamed", "designed"])
def test_every_local_link_resolves(built_name: str, request: pytest.FixtureRequest) -> None:
    built = _built(built_name, request)
    broken, checked = [], 0
    for file in html_files(built):
        page = page_url_of(built, file)
        soup = BeautifulSoup(file.read_text("utf-8"), "html.parser")
        for tag in soup.find_all(["a", "link", "script", "img", "source", "iframe", "area"]):
            # Every address of a srcset (an image's sizes) as well.
            addresses = [(attr, tag[attr]) for attr in ("href", "src") if tag.has_attr(attr)]
            addresses += [("srcset", candidate.split()[0]) for candidate in tag.get("srcset", "").split(",") if candidate.strip()]
            for attr, address in addresses:
                target = local_target(built, page, address)
                if target is not None and not (built.site / target.split("/", 1)[0]).exists():
                    continue  # a language this build did not include
                checked += target is not None
                if target is not None and not built_file(built, target).is_file():
                    broken.append(f"/{built.lang}/{page}: <{tag.name} {attr}={address!r}> -> /{target}")
    assert checked > 100, f"only {checked} local links found: is the checker reading the pages?"
    assert not broken, "\n".join(broken)


def test_release_image_resolves_from_the_page(sites) -> None:
    built = sites.get("release-image")
    assert built.ok, built.output
    page = built.html("news/2024/with-image/")
    img = page.select_one(".nr-figure img")
    assert img["alt"] == "A white bar on an indigo square"
    # The page shows sizes made from the image (hooks/images.py) and links
    # the image itself, as the author gave it.
    original = page.select_one(".nr-figure a.nr-figure__original")
    target = local_target(built, "news/2024/with-image/", original["href"])
    assert built_file(built, target).read_bytes() == (sitebuild.FIXTURES / "release-image/docs/en/news/2024/images/launch.png").read_bytes()
    from PIL import Image

    with Image.open(built_file(built, local_target(built, "news/2024/with-image/", img["src"]))) as shown:
        assert shown.size == (144, 144) == (int(img["width"]), int(img["height"]))  # smaller than every size made: its own
    assert page.select_one(".nr-figure figcaption").get_text(strip=True).startswith("The channel image")
