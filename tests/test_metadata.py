"""Described pages: JSON-LD, Open Graph, Twitter cards, canonical, sitemaps, robots."""

from __future__ import annotations

import json

import pytest
import yaml

import sitebuild

LAUNCH = "news/2024/from-emerging-tech-to-responsible-ai/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ORGANISATIONS = yaml.safe_load((sitebuild.PROJECT / "data" / "organisations.yml").read_text("utf-8"))


def json_ld(soup) -> dict:
    """The page's own JSON-LD block: every page below the home page has a
    BreadcrumbList beside it (tests/test_site_design.py)."""
    blocks = [json.loads(block.string) for block in soup.select('script[type="application/ld+json"]')]
    own = [data for data in blocks if data.get("@type") != "BreadcrumbList"]
    assert len(own) == 1 and len(blocks) - len(own) <= 1, blocks
    return own[0]


def test_release_is_a_news_article_from_every_issuer(site):
    page = site.html(LAUNCH)
    data = json_ld(page)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == page.select_one("h1").get_text()
    # A date written alone is 10:00 UTC that day (data/site.yml date_only_time_utc).
    assert data["datePublished"] == "2024-11-22T10:00:00+00:00" and data["dateModified"] == "2024-11-22T10:00:00+00:00"
    assert data["inLanguage"] == "en"
    # The share card (hooks/images.py): the release has no lead image.
    assert data["image"] and all(image["@type"] == "ImageObject" and image["url"].startswith(site.base_url) for image in data["image"])
    assert [p["name"] for p in data["publisher"]] == [ORGANISATIONS[s]["name"] for s in ("eu", "interpol", "unicri", "unoct")]
    assert data["url"] == data["mainEntityOfPage"] == f"{site.base_url}en/{LAUNCH}"


def test_corrections_set_date_modified(sites):
    built = sites.get("stable-after")
    data = json_ld(built.html("news/2024/renamed-slug/"))
    assert data["datePublished"].startswith("2024-05-01") and data["dateModified"].startswith("2024-05-03")


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_translated_release_declares_its_language(sites, lang):
    built = sites.get(None, lang)
    data = json_ld(built.html(LAUNCH))
    assert data["inLanguage"] == lang and data["headline"] == built.html(LAUNCH).select_one("h1").get_text()


def test_programme_and_resource_and_organisation_data(site):
    programme = json_ld(site.html("programmes/ai-pol/"))
    assert programme["@type"] == "Project" and programme["alternateName"] == "AI-POL"
    assert [m["alternateName"] for m in programme["member"]] == ["UNICRI", "INTERPOL"]
    assert [f["alternateName"] for f in programme["funder"]] == ["EU", "FPI"]
    research = json_ld(site.html("programmes/counter-terrorism-in-the-age-of-ai/"))
    assert research["parentOrganization"]["name"] == "Global Counter-Terrorism Programme on Cybersecurity and New Technologies"
    toolkit = json_ld(site.html("resources/toolkit-for-responsible-ai-innovation-in-law-enforcement/"))
    assert toolkit["@type"] == "Book" and toolkit["name"].startswith("Toolkit for Responsible")
    interpol = json_ld(site.html("organisations/interpol/"))
    assert interpol["@type"] == "Organization" and interpol["sameAs"] == "https://www.interpol.int/"
    assert json_ld(site.html(""))["@type"] == "WebSite"


def test_json_ld_cannot_be_broken_out_of(sites):
    built = sites.get("hostile-jsonld")
    assert built.ok, built.output
    page = built.html("news/2024/script-breakout/")
    title = "Breakout < /script> & 'quoted' \"twice\" 3 < 4"  # a tag in a title is refused
    summary = 'A summary with </script><script>alert(\'ld\')</script> and "quotes" & <b>tags</b> <!-- comment'
    data = json_ld(page)
    assert data["headline"] == title
    assert data["description"] == summary
    assert data["contentLocation"]["name"] == "Geneva </script>"
    assert page.select_one('meta[property="og:description"]')["content"] == summary
    assert not [s for s in page.find_all("script") if "alert('ld')" in (s.string or "") and s.get("type") != "application/ld+json"]
    assert page.select_one('meta[property="og:title"]')["content"] == title
    assert page.select_one('meta[name="twitter:title"]')["content"] == title
    assert page.find("title").get_text().startswith(title)


def test_open_graph_twitter_and_canonical(site):
    page = site.html(LAUNCH)
    meta = {m.get("property") or m.get("name"): m["content"] for m in page.select("meta[property], meta[name^='twitter:']")}
    url = f"{site.base_url}en/{LAUNCH}"
    assert page.select_one('link[rel="canonical"]')["href"] == url
    assert meta["og:url"] == url and meta["og:type"] == "article" and meta["og:locale"] == "en_GB"
    assert meta["og:title"] == meta["twitter:title"] == page.select_one("h1").get_text()
    assert meta["og:description"] == page.select_one('meta[name="description"]')["content"]
    assert meta["og:image"].startswith(site.base_url) and meta["twitter:card"] in ("summary", "summary_large_image")
    assert meta["article:published_time"] == "2024-11-22T10:00:00+00:00"
    home = {m["property"]: m["content"] for m in site.html("").select("meta[property]")}
    assert home["og:type"] == "website"


def open_graph(soup) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in soup.select("meta[property]"):
        found.setdefault(meta["property"], []).append(meta["content"])
    return found


@pytest.mark.parametrize(
    ("lang", "locale", "alternates"),
    [
        ("en", "en_GB", ["fr_FR", "es_ES", "ar_AR", "ru_RU", "zh_CN"]),
        ("ar", "ar_AR", ["en_GB", "fr_FR", "es_ES", "ru_RU", "zh_CN"]),
        ("zh", "zh_CN", ["en_GB", "fr_FR", "es_ES", "ar_AR", "ru_RU"]),
    ],
)
def test_open_graph_locale_and_the_other_languages_of_the_page(sites, lang, locale, alternates):
    og = open_graph(sites.get(None, lang).html(LAUNCH))
    assert og["og:locale"] == [locale]
    assert og["og:locale:alternate"] == alternates


def test_open_graph_of_a_page_shown_in_english_or_in_one_language(sites):
    fr = sites.get("translated", "fr")
    translated = open_graph(fr.html("news/2024/first-release/"))
    assert translated["og:locale"] == ["fr_FR"] and translated["og:locale:alternate"] == ["en_GB", "ar_AR"]
    fallback = open_graph(fr.html("programmes/beta/"))
    assert fallback["og:locale"] == ["en_GB"] and "og:locale:alternate" not in fallback
    english_only = open_graph(sites.get("translated").html("news/2024/english-only/"))
    assert english_only["og:locale"] == ["en_GB"] and "og:locale:alternate" not in english_only


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_sitemap_lists_pages_with_hreflang_alternates(sites, lang):
    built = sites.get(None, lang)
    entries = {url.findtext(f"{SITEMAP}loc"): url for url in built.sitemap()}
    entry = entries[f"{built.base_url}{lang}/{LAUNCH}"]
    links = {link.get("hreflang"): link.get("href") for link in entry.findall(f"{XHTML}link")}
    assert links == {**{code: f"{built.base_url}{code}/{LAUNCH}" for code in ("en", "fr", "es", "ar", "ru", "zh")}, "x-default": f"{built.base_url}en/{LAUNCH}"}
    assert all(loc.startswith(f"{built.base_url}{lang}/") for loc in entries)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_sitemap_xml_is_a_small_index_of_the_pages_sitemap(sites, lang):
    """Material's bundle fetches sitemap.xml on every page view (beside each
    feed link): an index, the same few hundred bytes however many pages."""
    from lxml import etree

    built = sites.get(None, lang)
    index = etree.parse(str(built.path("sitemap.xml"))).getroot()
    assert index.tag == f"{SITEMAP}sitemapindex"
    assert [loc.text for loc in index.iter(f"{SITEMAP}loc")] == [f"{built.base_url}{lang}/sitemap-pages.xml"]
    assert index.find(f"{SITEMAP}url") is None
    assert len(built.path("sitemap.xml").read_bytes()) < 400
    assert len(built.sitemap()) > 20


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_alternate_link_is_beside_the_sitemap_index(sites, lang):
    """Material's bundle fetches the sitemap.xml beside each <link rel="alternate">
    of a page: each must be in the language's root, where the small index is,
    or the page view asks for a file that does not exist."""
    from urllib.parse import urljoin

    built = sites.get(None, lang)
    root = f"{built.base_url}{lang}/"
    pages = sorted((built.site / lang).rglob("*.html"))
    for path in pages:
        url = root + path.relative_to(built.site / lang).as_posix().removesuffix("index.html")
        soup = built.html(path.relative_to(built.site / lang).as_posix().removesuffix("index.html"))
        for link in soup.select("link[rel]"):
            if link["rel"] == ["alternate"]:
                assert urljoin(urljoin(url, link["href"]), "sitemap.xml") == root + "sitemap.xml", (path, link)


def test_untranslated_page_has_no_false_alternates(sites):
    built = sites.get("translated", "fr")
    entry = next(u for u in built.sitemap() if u.findtext(f"{SITEMAP}loc").endswith("/fr/programmes/beta/"))
    assert entry.findall(f"{XHTML}link") == []


def test_robots_and_localised_404(sites):
    project = sites.project()
    site = project.site
    robots = (site / "robots.txt").read_text("utf-8").splitlines()
    assert robots[:2] == ["User-agent: *", "Allow: /"]
    assert [line for line in robots if line.startswith("Sitemap:")] == [f"Sitemap: {project.base_url}{c}/sitemap.xml" for c in ("en", "fr", "es", "ar", "ru", "zh")]
    from bs4 import BeautifulSoup

    for code in ("en", "fr", "ar", "zh"):
        strings = yaml.safe_load((sitebuild.PROJECT / "data" / "strings" / f"{code}.yml").read_text("utf-8"))
        soup = BeautifulSoup((site / code / "404.html").read_text("utf-8"), "html.parser")
        assert soup.html["lang"] == code and soup.select_one("h1").get_text() == strings["not_found_title"]


def test_arabic_structured_data_names_organisations_in_arabic_where_the_registry_does(sites):
    """data/organisations.yml `names`: official names as the organisations
    publish them; the others stay in English."""
    arabic = {slug: entry["names"]["ar"] for slug, entry in ORGANISATIONS.items() if "ar" in entry.get("names", {})}
    assert set(arabic) == {"interpol", "unoct", "uncct"}
    data = json_ld(sites.get(None, "ar").html(LAUNCH))
    expected = [arabic.get(slug, ORGANISATIONS[slug]["name"]) for slug in ("eu", "interpol", "unicri", "unoct")]
    assert [p["name"] for p in data["publisher"]] == expected == ["European Union", "المنظمة الدولية للشرطة الجنائية", ORGANISATIONS["unicri"]["name"], "مكتب الأمم المتحدة لمكافحة الإرهاب"]
    assert [p["alternateName"] for p in data["publisher"]] == ["EU", "INTERPOL", "UNICRI", "UNOCT"]
    # Other languages have no names in the registry yet: English.
    assert [p["name"] for p in json_ld(sites.get(None, "fr").html(LAUNCH))["publisher"]] == [ORGANISATIONS[s]["name"] for s in ("eu", "interpol", "unicri", "unoct")]


def test_arabic_organisation_pages_show_the_arabic_name_or_mark_the_english_one(sites):
    ar = sites.get(None, "ar")
    interpol = ar.html("organisations/interpol/")
    assert interpol.select_one("h1").get_text(" ", strip=True) == "المنظمة الدولية للشرطة الجنائية ( INTERPOL )"
    assert interpol.select_one("title").get_text().startswith("المنظمة الدولية للشرطة الجنائية - ")
    eu = ar.html("organisations/eu/").select_one("h1 [lang]")
    assert eu["lang"] == "en" and eu.get_text() == "European Union"
    facts = {abbr.get_text(): (abbr["title"], abbr.get("lang")) for abbr in ar.html("programmes/ct-tech-plus/").select(".nr-facts abbr")}
    assert facts["INTERPOL"] == ("المنظمة الدولية للشرطة الجنائية", None) and facts["EU"] == ("European Union", "en")
