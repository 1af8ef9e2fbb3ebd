"""What the validation entry point hands over, besides its report.

newsroom.validation.validate returns its problems as data (file, line,
field, message) and, for the build, each language's catalogue: every page's
address and whether it is published, and the records whose properties are
the publishing rules templates and hooks read (records.py). Checked here on
the small fixture sites, in this process; the built sites that follow from
them are checked by test_site, test_feeds, test_search and test_languages.
"""

from __future__ import annotations

from pathlib import Path

import sitebuild
from newsroom import schema
from newsroom.problems import Problem
from newsroom.validation import validate

BEFORE = schema.parse_datetime("2024-06-01T09:00:00Z", schema.Dates())  # the embargo fixture's noon in Lyon is 10:00 UTC
LATER = schema.parse_datetime("2025-01-15T12:00:00Z", schema.Dates())


def validated(tmp_path: Path, fixture: str, **options):
    sitebuild.assemble(tmp_path, fixture)
    found = validate(tmp_path, options.pop("now", BEFORE), **options)
    assert found.ok, found.report()
    return found


def releases(catalogue) -> dict:
    return {r.slug: r for r in (*catalogue.releases, *catalogue.withheld)}


def test_drafts_and_embargoes_are_addresses_not_yet_published(tmp_path: Path) -> None:
    found = validated(tmp_path, "embargo", languages=["en"], render=False)
    english = found.catalogues["en"]
    assert english.addresses() == {
        "": True,
        "news/2024/first-release/": True,
        "news/2024/draft-release/": False,
        "news/2024/embargoed-release/": False,
        "programmes/alpha/": True,
        "programmes/beta/": True,
    }
    held = releases(english)
    assert (held["draft-release"].published, held["draft-release"].embargoed) == (False, False)
    assert (held["embargoed-release"].published, held["embargoed-release"].embargoed) == (False, True)
    assert not held["embargoed-release"].listed and not held["embargoed-release"].in_feeds
    assert [r.slug for r in english.releases] == ["first-release"] and english.releases[0].in_feeds


def test_a_preview_that_shows_embargoes_publishes_them_marked_but_never_announced(tmp_path: Path) -> None:
    found = validated(tmp_path, "embargo", languages=["en"], show_embargoed=True, render=False)
    english = found.catalogues["en"]
    assert english.addresses()["news/2024/embargoed-release/"] is True
    assert english.addresses()["news/2024/draft-release/"] is False
    embargoed = releases(english)["embargoed-release"]
    assert (embargoed.published, embargoed.embargoed, embargoed.listed) == (True, True, True)
    assert not embargoed.in_feeds and not embargoed.searchable


def test_a_withdrawn_release_keeps_its_page_and_leaves_lists_feeds_and_search(tmp_path: Path) -> None:
    withdrawn = releases(validated(tmp_path, "withdrawn", now=LATER, languages=["en"], render=False).catalogues["en"])["withdrawn-release"]
    assert withdrawn.published and not withdrawn.listed and not withdrawn.in_feeds and not withdrawn.searchable


def test_a_renamed_release_is_published_at_its_old_address_too(tmp_path: Path) -> None:
    addresses = validated(tmp_path, "renamed", now=LATER, languages=["en"], render=False).catalogues["en"].addresses()
    assert addresses["news/2024/new-name/"] is True and addresses["news/2024/old-name/"] is True


def test_a_page_without_translation_falls_back_to_english_and_is_neither_announced_nor_searched(tmp_path: Path) -> None:
    found = validated(tmp_path, "translated", now=LATER, languages=["fr"], render=False)
    assert set(found.catalogues) == {"en", "fr"}  # English, which every language is built from, and French
    french = found.catalogues["fr"]
    translated, untranslated = releases(french)["first-release"], releases(french)["english-only"]
    assert not translated.fallback and translated.in_feeds and translated.searchable
    assert untranslated.fallback and not untranslated.in_feeds and not untranslated.searchable and untranslated.listed
    assert french.programmes["beta"].fallback and not french.programmes["beta"].searchable
    assert not any(record.fallback for record in releases(found.catalogues["en"]).values())


def test_problems_are_data_with_file_line_and_field(tmp_path: Path) -> None:
    sitebuild.assemble(tmp_path, "broken-unknown-programme")
    settings = tmp_path / "data" / "site.yml"
    settings.write_text(settings.read_text("utf-8").replace('date_only_time_utc: "10:00"', 'date_only_time_utc: "09:00"'), "utf-8")
    found = validate(tmp_path, BEFORE, languages=["en"], render=False)
    (page,) = [p for p in found.problems.items if not p.site]
    assert (page.path, page.line, page.field) == ("docs/en/news/2024/x.md", 7, "programmes[1]")
    assert found.problems.items[0] == Problem(
        "data/site.yml",
        0,
        "date_only_time_utc",
        'data/site.yml: date_only_time_utc "09:00" is not a time from 10:00 to 11:59. Write "10:00", in quotes: a date written without a time then reads as that date from UTC-10 (Hawaii) to UTC+13 (New Zealand in summer).',
        site=True,
    )
    # Files first, each with its problems, then the site's, each its own sentence.
    assert found.report().splitlines()[0] == "Can't publish docs/en/news/2024/x.md:"
    assert found.report().splitlines()[-1] == found.problems.items[0].message
    assert found.problems.files == ["docs/en/news/2024/x.md"]


def test_the_build_leaves_the_bodies_to_its_own_rendering(tmp_path: Path) -> None:
    """A build's validation converts no body (hooks/content.py holds MkDocs'
    own rendering to the same rules); `make check`'s converts each once."""
    sitebuild.assemble(tmp_path, "hostile-html")
    build = validate(tmp_path, BEFORE, languages=["en"], render=False)
    assert build.ok and build.pages == 0
    check = validate(tmp_path, BEFORE)
    assert check.pages == len(list((tmp_path / "docs").rglob("*.md"))) and not check.ok
    assert {p.path for p in check.problems.items} == {"docs/en/news/2024/attacks.md"}


def test_language_settings_are_checked_for_the_build_and_the_check_alike(tmp_path: Path) -> None:
    """Open Graph locales were checked by the build only, and `make check` passed them."""
    sitebuild.assemble(tmp_path, "base")
    languages = tmp_path / "data" / "languages.yml"
    languages.write_text(languages.read_text("utf-8").replace("og_locale: fr_FR", "og_locale: fr-FR"), "utf-8")
    wrong = 'Can\'t build: data/languages.yml: og_locale of fr is "fr-FR". Write each as language_TERRITORY, the way Open Graph names locales, e.g. fr_FR or ar_AR.'
    assert sitebuild.validated(tmp_path) == [wrong]
    assert sitebuild.validated(tmp_path, ["en"], render=False) == [wrong]
    languages.write_text(languages.read_text("utf-8").replace("og_locale: fr-FR", "og_locale: fr_FR"), "utf-8")
    assert sitebuild.validated(tmp_path, ["de"], render=False) == ['theme.language is "de", which data/languages.yml does not declare. Declared: en, fr, es, ar, ru, zh.']
