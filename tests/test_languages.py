"""Six languages: translations over English facts, fallbacks, status, feeds.

The `translated` fixture has a French release (stamped with a stale hash), an
approved French programme, a French home page, an Arabic release, and pages
with no translation at all. Labels and dates are checked against the real
UI string tables in data/strings/.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import feedparser
import pytest
import yaml
from babel.dates import format_date
from bs4 import BeautifulSoup

import sitebuild

PROJECT = sitebuild.PROJECT
LANGUAGES = yaml.safe_load((PROJECT / "data" / "languages.yml").read_text("utf-8"))
CODES = [entry["code"] for entry in LANGUAGES]


def strings(lang: str) -> dict[str, str]:
    return {k: str(v) for k, v in yaml.safe_load((PROJECT / "data" / "strings" / f"{lang}.yml").read_text("utf-8")).items()}


@pytest.fixture(scope="module")
def fr(sites):
    built = sites.get("translated", "fr")
    assert built.ok, built.output
    return built


@pytest.fixture(scope="module")
def ar(sites):
    built = sites.get("translated", "ar")
    assert built.ok, built.output
    return built


def test_languages_are_declared_once():
    assert CODES == ["en", "fr", "es", "ar", "ru", "zh"]
    assert [e["dir"] for e in LANGUAGES if e["dir"] == "rtl"] == ["rtl"]


@pytest.mark.parametrize("lang", CODES)
def test_every_language_has_every_ui_string(lang):
    assert set(strings(lang)) == set(strings("en"))
    for key, value in strings(lang).items():
        assert value.strip(), f"{lang}.yml: {key} is empty"


def test_translation_text_with_facts_from_english(fr):
    page = fr.html("news/2024/first-release/")
    assert page.html["lang"] == "fr" and page.html["dir"] == "ltr"
    assert page.select_one("h1").get_text(strip=True) == "Premier communiqué"
    assert page.select_one(".nr-dateline__place").get_text(strip=True) == "Genève"
    assert page.select_one(".nr-dateline time").get_text(strip=True) == "1 mars 2024"
    assert "Corps du premier communiqué." in page.select_one(".nr-body").get_text()
    programme_links = [a.get_text(strip=True) for a in page.select(".nr-facts a[href*='programmes/']")]
    assert programme_links == ["ALPHA"]


def test_unofficial_and_stale_translations_say_so_in_their_language(fr):
    notice = fr.html("news/2024/first-release/").select_one("aside.nr-notice")
    text = notice.get_text(" ", strip=True)
    assert notice["data-translation"] == "stale"
    assert strings("fr")["translation_unofficial"] in text
    assert strings("fr")["translation_stale"] in text
    english = notice.select_one('a[hreflang="en"]')["href"]
    assert english == f"{sitebuild.SITE_URL}en/news/2024/first-release/"


def test_approved_current_translation_has_no_unofficial_notice(fr):
    page = fr.html("programmes/alpha/")
    assert page.select_one("h1").get_text(strip=True) == "Programme Alpha"
    notice = page.select_one("aside.nr-notice")
    # Approved but never stamped: not known to match the English, so stale.
    assert strings("fr")["translation_unofficial"] not in notice.get_text(" ", strip=True)


def test_untranslated_page_falls_back_to_english_with_notice(fr):
    page = fr.html("programmes/beta/")
    notice = page.select_one("aside.nr-notice")
    assert notice["data-translation"] == "missing"
    assert strings("fr")["translation_missing"] in notice.get_text(" ", strip=True)
    english = page.select_one('div[lang="en"]')
    assert english is not None and english.select_one("h1").get_text(strip=True) == "Beta Programme"
    assert page.html["lang"] == "fr"
    # The English-only release too: a switch from English never leads to a 404.
    assert fr.path("news/2024/english-only/").is_file()


def test_listings_mark_english_items(fr):
    news = fr.html("news/")
    card = news.select_one('[data-release-id="77777777-7777-4777-8777-777777777777"]')
    assert card["lang"] == "en"
    translated = news.select_one('[data-release-id="11111111-1111-4111-8111-111111111111"]')
    assert not translated.has_attr("lang")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "1 March 2024"), ("fr", "1 mars 2024"), ("es", "1 de marzo de 2024"), ("ru", "1 марта 2024\u202fг."), ("zh", "2024年3月1日"), ("ar", None)],
)
def test_dates_follow_the_locale(sites, lang, expected):
    built = sites.get("translated", lang)
    assert built.ok, built.output
    shown = built.html("news/2024/first-release/").select_one(".nr-dateline time").get_text(strip=True)
    locale = next(e["locale"] for e in LANGUAGES if e["code"] == lang)
    assert shown == (expected or format_date(date(2024, 3, 1), format="long", locale=locale))


def test_arabic_pages_are_right_to_left(ar):
    page = ar.html("news/2024/first-release/")
    assert page.html["lang"] == "ar" and page.html["dir"] == "rtl"
    assert page.select_one("h1").get_text(strip=True) == "البيان الأول"
    assert ar.html("").html["dir"] == "rtl"
    assert BeautifulSoup(ar.text("404.html"), "html.parser").html["dir"] == "rtl"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_no_english_label_on_a_translated_page(sites, lang):
    built = sites.get("translated", lang)
    page = built.html("news/2024/first-release/")
    for english in page.select('[lang="en"]'):
        english.decompose()
    text = page.get_text(" ", strip=True)
    ours, theirs = strings("en"), strings(lang)
    leaked = [value for key, value in ours.items() if value != theirs[key] and len(value) > 4 and "{" not in value and value in text]
    assert not leaked


def hreflang_in_sitemap(built, url: str) -> dict[str, str]:
    entry = next(u for u in built.sitemap() if u.findtext(f"{sitebuild.SITEMAP}loc") == f"{sitebuild.SITE_URL}{built.lang}/{url}")
    return {link.get("hreflang"): link.get("href") for link in entry.findall("{http://www.w3.org/1999/xhtml}link")}


def test_hreflang_lists_real_translations_and_x_default(fr):
    """In the sitemap, not in the page's head: Material's bundle fetches
    sitemap.xml beside every <link rel="alternate"> (overrides/main.html)."""
    assert hreflang_in_sitemap(fr, "news/2024/first-release/") == {
        "en": f"{sitebuild.SITE_URL}en/news/2024/first-release/",
        "fr": f"{sitebuild.SITE_URL}fr/news/2024/first-release/",
        "ar": f"{sitebuild.SITE_URL}ar/news/2024/first-release/",
        "x-default": f"{sitebuild.SITE_URL}en/news/2024/first-release/",
    }
    # Shown in English in French: not an alternate of its own.
    assert hreflang_in_sitemap(fr, "programmes/beta/") == {}
    for url in ("", "news/2024/first-release/", "programmes/beta/"):
        assert fr.html(url).select('link[rel="alternate"][hreflang]') == [], url


def test_switcher_keeps_the_page(fr):
    page = fr.html("news/2024/first-release/")
    targets = {a["hreflang"]: a["href"] for a in page.select(".md-select__link")}
    assert set(targets) == set(CODES)
    for code, href in targets.items():
        assert href == f"../../../../{code}/news/2024/first-release/"
    assert page.select_one('.md-select__link[aria-current="true"]')["hreflang"] == "fr"


def test_feeds_carry_only_what_exists_in_the_language(fr, sites):
    feed = feedparser.parse(fr.text("feed_rss_created.xml"))
    assert feed.bozo == 0 and feed.feed.language == "fr"
    assert [e.title for e in feed.entries] == ["Premier communiqué"]
    alpha = feedparser.parse(fr.text("programmes/alpha/feed.xml"))
    assert alpha.bozo == 0 and alpha.feed.language == "fr"
    assert [e.title for e in alpha.entries] == ["Premier communiqué"]
    assert "Programme Alpha" in alpha.feed.title
    english = feedparser.parse(sites.get("translated").text("feed_rss_created.xml"))
    # Releases that exist in English (one path in every language), each item
    # under its own language's GUID (README, Feeds).
    def paths(entries: list) -> set[str]:
        return {e.link.split("/", 4)[4] for e in entries}  # https://host/<lang>/<path>

    assert paths(english.entries) >= paths(feed.entries)
    assert not {e.id for e in english.entries} & {e.id for e in feed.entries}
    es = sites.get("translated", "es")
    assert feedparser.parse(es.text("feed_rss_created.xml")).entries == []


TRANSLATION_MISTAKES = {
    "translation-broken-field": [
        "Can't publish docs/fr/news/2024/first-release.md:",
        "  line 3, date: is not translated: it comes from the English page docs/en/news/2024/first-release.md. Remove this line.",
        "  line 6, programmes: is not translated: it comes from the English page docs/en/news/2024/first-release.md. Remove this line.",
    ],
    "translation-broken-orphan": [
        "Can't publish docs/fr/news/2024/no-such-release.md:",
        "  file: translates docs/en/news/2024/no-such-release.md, which does not exist. Give this file the same folder and name as the English page it translates, or remove it.",
    ],
    "translation-broken-twice": [
        "Can't publish docs/fr/news/2024/first-release/index.md:",
        "  file: translates the same page as docs/fr/news/2024/first-release.md (docs/en/news/2024/first-release.md). Keep one translation per page and language: merge the two files.",
    ],
}


@pytest.mark.parametrize(("fixture", "expected"), list(TRANSLATION_MISTAKES.items()))
def test_translation_mistakes_name_both_files(tmp_path, fixture, expected):
    sitebuild.assemble(tmp_path, fixture)
    refused = sitebuild.validated(tmp_path, ["fr"], render=False)  # as the French build calls it
    assert "\n".join(expected) in "\n".join(refused)


def test_a_translation_mistake_stops_the_build(sites):
    built = sites.get("translation-broken-field", "fr")
    assert built.returncode != 0 and "Traceback" not in built.output
    assert "\n".join(TRANSLATION_MISTAKES["translation-broken-field"]) in built.output


# --------------------------------------------------------------------------
# Counts: each language's plural rules (CLDR, through Babel)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", {2024: "All 3 releases from 2024", 2023: "1 release from 2023"}),
        ("fr", {2024: "Les 3 communiqués de 2024", 2023: "1 communiqué de 2023"}),
        ("ru", {2024: "Все 3 пресс-релиза за 2024 год", 2023: "1 пресс-релиз за 2023 год"}),
        ("ar", {2024: "جميع البيانات الصحفية لعام 2024 (3)", 2023: "البيان الصحفي الوحيد لعام 2023"}),
        ("zh", {2024: "2024年全部新闻稿（3篇）", 2023: "2023年全部新闻稿（1篇）"}),
    ],
)
def test_counts_follow_the_languages_plural_rules(sites, lang, expected):
    built = sites.get("related", lang)
    assert built.ok, built.output
    shown = {int(section.h2.get_text()): section.select_one(".nr-more").get_text(strip=True) for section in built.html("news/").select(".nr-year")}
    assert shown == expected


@pytest.mark.parametrize("lang", CODES)
def test_every_count_has_the_forms_its_language_needs(lang):
    """Each table as written: a form for each CLDR category of the language, no other."""
    from babel import Locale

    locale = next(e["locale"] for e in LANGUAGES if e["code"] == lang)
    needed = set(Locale.parse(locale).plural_form.tags) | {"other"}
    counts = {key for key, value in strings_raw("en").items() if isinstance(value, dict)}
    assert counts >= {"all_releases_of_year", "search_results"}
    for key, value in strings_raw(lang).items():
        assert isinstance(value, dict) == (key in counts), key
        if key in counts:
            assert set(value) == needed, (key, sorted(value))


def strings_raw(lang: str) -> dict:
    return yaml.safe_load((PROJECT / "data" / "strings" / f"{lang}.yml").read_text("utf-8"))


def without_line(table: Path, starts: str) -> None:
    lines = table.read_text("utf-8").splitlines()
    table.write_text("\n".join(line for line in lines if not line.startswith(starts)) + "\n", "utf-8")


def line_of(table: Path, start: str) -> int:
    return next(number for number, line in enumerate(table.read_text("utf-8").splitlines(), 1) if line.startswith(start))


def test_a_missing_plural_form_stops_the_build(tmp_path):
    sitebuild.assemble(tmp_path, "base")
    table = tmp_path / "data" / "strings" / "ar.yml"
    without_line(table, ("  few: \"{count} نتائج", "  many: \"{count} نتيجة"))
    table.write_text(table.read_text("utf-8").replace("  zero: ", '  several: "x"\n  zero: ', 1), "utf-8")
    expected = "\n".join([
        "Can't publish data/strings/ar.yml:",
        f'  line {line_of(table, "  several:")}, all_releases_of_year.several: "several" is not a plural category. Use "zero", "one", "two", "few", "many" or "other".',
        f'  line {line_of(table, "search_results:")}, search_results: has no form for "few" and "many". Arabic words a count differently for "zero", "one", "two", "few", "many" and "other" (CLDR plural rules): add a line for each, indented under search_results:, e.g. few: "..."',
        "Fix what is named above, then save again.",
    ])
    result = sitebuild.build(tmp_path, "ar")
    assert result.returncode != 0 and "Traceback" not in result.output
    assert expected in result.output
    # `make check` says the same.
    done = subprocess.run([sys.executable, "-m", "newsroom.cli", "check"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1
    assert expected in done.stderr


def test_a_count_written_as_one_text_or_a_form_english_never_uses_is_refused(tmp_path):
    sitebuild.assemble(tmp_path, "base")
    table = tmp_path / "data" / "strings" / "en.yml"
    text = table.read_text("utf-8").replace('  one: "{count} result"\n', '  one: "{count} result"\n  two: "{count} results"\n')
    table.write_text(text, "utf-8")
    ru = tmp_path / "data" / "strings" / "ru.yml"
    lines = ru.read_text("utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("search_results:"))
    ru.write_text("\n".join(lines[:start] + ['search_results: "Результатов: {count}"'] + lines[start + 5 :]), "utf-8")
    english = sitebuild.validated(tmp_path, ["en"], render=False)  # as the English build calls it
    assert f'  line {line_of(table, "  two:")}, search_results.two: English never uses the form "two" (CLDR plural rules): it tells apart "one" and "other". Remove this line.' in english
    russian = "\n".join(sitebuild.validated(tmp_path, ["ru"], render=False))
    assert (
        f'  line {line_of(ru, "search_results:")}, search_results: is one text, but it carries a count, and Russian words a count differently for "one", "few", "many" and "other" (CLDR plural rules). Write a text for each, indented under search_results:, e.g.\n'
        '      one: "..."\n      few: "..."\n      many: "..."\n      other: "..."'
    ) in russian


def test_missing_ui_string_is_refused(tmp_path):
    sitebuild.assemble(tmp_path, "base")
    table = tmp_path / "data" / "strings" / "fr.yml"
    table.write_text("\n".join(line for line in table.read_text("utf-8").splitlines() if not line.startswith("subscribe:")) + "\n", "utf-8")
    assert sitebuild.validated(tmp_path, ["fr"], render=False) == ["Can't build fr: data/strings/fr.yml has no translation for subscribe. Add each key with its text in this language (see data/strings/en.yml)."]


def test_make_translations_reports_and_stamps(tmp_path, sites):
    sitebuild.assemble(tmp_path, "translated")
    run = lambda *args: subprocess.run([sys.executable, "-m", "newsroom.cli", "translations", *args], cwd=tmp_path, capture_output=True, text=True)
    report = run()
    assert report.returncode == 0, report.stderr
    assert "fr (Français): 2 missing, 0 not started, 3 stale, 0 current" in report.stdout
    assert "  stale: docs/fr/news/2024/first-release.md" in report.stdout
    assert "  missing: docs/fr/programmes/beta.md" in report.stdout
    assert "es (Español): 5 missing, 0 not started, 0 stale, 0 current" in report.stdout
    stamped = run("--stamp", "docs/fr/news/2024/first-release.md")
    assert stamped.returncode == 0, stamped.stderr
    assert "fr (Français): 2 missing, 0 not started, 2 stale, 1 current" in stamped.stdout
    rebuilt = sitebuild.build(tmp_path, "fr")
    assert rebuilt.ok, rebuilt.output
    notice = rebuilt.html("news/2024/first-release/").select_one("aside.nr-notice")
    assert notice["data-translation"] == "current"
    assert strings("fr")["translation_stale"] not in notice.get_text()
    # Editing the English text makes the translation stale again.
    english = tmp_path / "docs" / "en" / "news" / "2024" / "first-release.md"
    english.write_text(english.read_text("utf-8") + "\nA new English sentence.\n", "utf-8")
    assert "  stale: docs/fr/news/2024/first-release.md" in run().stdout


def test_make_build_builds_every_language_and_the_root_chooser(sites):
    project = sites.project()
    for code in CODES:
        assert f"[{code}]" in project.output
        assert (project.site / code / "index.html").is_file()
    root = BeautifulSoup((project.site / "index.html").read_text("utf-8"), "html.parser")
    alternates = {link["hreflang"]: link["href"] for link in root.select('link[rel="alternate"]')}
    assert alternates == {**{code: f"{project.base_url}{code}/" for code in CODES}, "x-default": f"{project.base_url}en/"}
    visible = {a["hreflang"]: (a["href"], a.get_text(strip=True)) for a in root.select("nav a")}
    assert visible == {e["code"]: (f"{e['code']}/", e["name"]) for e in LANGUAGES}
    # Its script is a file beside it (the Content-Security-Policy allows no inline script).
    script = root.select_one("script")
    assert script["data-languages"].split() == CODES and script["data-default"] == "en"
    assert "navigator.languages" in (project.site / script["src"]).read_text("utf-8")
    assert root.select_one('meta[name="description"]')["content"] == strings("en")["site_description"]


def test_the_english_catalogue_is_shared_within_a_build_and_never_stale(tmp_path, monkeypatch):
    """newsroom.cli build lets each language read the English catalogue the
    first one left (newsroom/translations.py); an English file changed
    since is read afresh."""
    from newsroom.content import now_from_env
    from newsroom.translations import load_language

    root = tmp_path / "project"
    root.mkdir()
    sitebuild.assemble(root, None)
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("NEWSROOM_CATALOGUE_CACHE", str(cache))
    import newsroom.translations

    parsed: list[str] = []
    real = newsroom.translations.load_catalogue
    monkeypatch.setattr(newsroom.translations, "load_catalogue", lambda root, docs, lang, *rest: parsed.append(lang) or real(root, docs, lang, *rest))
    now = now_from_env()
    first = load_language(root, "fr", now)
    assert len(list(cache.glob("english-*.pickle"))) == 1
    again = load_language(root, "es", now)
    assert [(r.src_uri, r.title) for r in again.releases] == [(r.src_uri, r.title) for r in load_language(root, "es", now).releases]
    assert [r.src_uri for r in again.releases] == [r.src_uri for r in first.releases]
    # Parsed the first time, read from the cache after.
    assert parsed == ["en"]

    release = root / "docs" / "en" / "news" / "2024" / "from-emerging-tech-to-responsible-ai.md"
    text = release.read_text("utf-8")
    release.write_text(text.replace('title: "', 'title: "Changed ', 1), "utf-8")
    changed = load_language(root, "en", now)
    assert len(list(cache.glob("english-*.pickle"))) == 2
    assert parsed == ["en", "en"]
    title = next(r.title for r in changed.releases if r.src_uri.endswith("from-emerging-tech-to-responsible-ai.md"))
    assert title.startswith("Changed ")


@pytest.mark.parametrize("lang", ["en", "ar", "zh"])
def test_the_footer_is_the_sites_own_in_its_language(sites, lang):
    """Not Material's "Made with Material for MkDocs": the site's name, its
    feeds, its pages about itself and the publishing guide, every link
    leading to a file of the site (tests/test_site_design.py checks the
    footer's every part in six languages)."""
    built = sites.get(None, lang)
    table = strings(lang)
    for url in ("", "news/2024/from-emerging-tech-to-responsible-ai/", "programmes/ct-tech-plus/"):
        page = built.html(url)
        footer = page.select_one(".md-footer-meta")
        assert "Material" not in footer.get_text() and "mkdocs" not in str(footer).lower()
        assert footer.select_one(".nr-footer__name").get_text(strip=True) == table["site_name"]
        links = {a.get_text(strip=True): a for a in footer.select("a") if not a["href"].startswith("https://")}
        named = [table["subscribe_rss"], table["subscribe_updates"], "JSON Feed", table["footer_accessibility"], table["footer_privacy"], table["footer_publishing_guide"]]
        assert [text for text in links if text in named] == named
        for a in links.values():
            target = (built.path(url).parent / a["href"]).resolve()
            assert (target / "index.html" if a["href"].endswith("/") else target).is_file(), (url, a["href"])
        guide = links[table["footer_publishing_guide"]]
        assert guide.get("hreflang") == (None if lang == "en" else "en")


def test_keywords_of_a_translated_page_are_translated_or_marked_english(sites, tmp_path):
    """A translation may give its keywords (x-translatable); where it does
    not, the English keywords it shows are marked as English. Keywords are
    not in the stamp: no stamped translation goes stale for them."""
    english_keywords = ["responsible AI", "law enforcement", "counter-terrorism"]
    launch = "news/2024/from-emerging-tech-to-responsible-ai/"
    in_english = sites.get(None, "en").html(launch).select_one(".nr-facts ul.nr-inline:not(:has(a))")
    assert [li.get_text() for li in in_english.select("li")] == english_keywords and not in_english.has_attr("lang")
    in_arabic = sites.get(None, "ar").html(launch).select_one(".nr-facts ul.nr-inline:not(:has(a))")
    assert [li.get_text() for li in in_arabic.select("li")] == english_keywords and in_arabic["lang"] == "en"
    # Stamped before keywords were translatable, and still current.
    assert sites.get(None, "es").html(launch).select_one("aside.nr-notice")["data-translation"] == "current"

    sitebuild.assemble(tmp_path, "translated")
    release = tmp_path / "docs" / "en" / "news" / "2024" / "first-release.md"
    release.write_text(release.read_text("utf-8").replace("publishers: [unicri]\n", "publishers: [unicri]\ntags: [testing, geneva]\n"), "utf-8")
    arabic = tmp_path / "docs" / "ar" / "news" / "2024" / "first-release.md"
    arabic.write_text(arabic.read_text("utf-8").replace("translation:\n", 'tags: ["اختبار", "جنيف"]\ntranslation:\n'), "utf-8")
    built = sitebuild.build(tmp_path, "ar")
    assert built.ok, built.output
    keywords = built.html("news/2024/first-release/").select_one(".nr-facts ul.nr-inline:not(:has(a))")
    assert [li.get_text() for li in keywords.select("li")] == ["اختبار", "جنيف"] and not keywords.has_attr("lang")
