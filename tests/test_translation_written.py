"""A translation is published only once it is written (issue 18, item 5).

`make new translation` copies the English text and marks it `status: draft`.
Until it is translated, the page in that language is the English fallback
with its notice: not a French page, not in French feeds or search, and not an
hreflang alternate. `make translations` says "not started". A copy whose
status says unofficial but whose text is still the English text is not
written either. Once translated, the image's alt text and caption and the
correction notes are the translation's too, and a translation that gives
another number of notes than the English page is refused.

Run as authors run it (`python -m newsroom.cli`, the real `mkdocs build`), in
a copy of the base fixture with a lead image and two corrections.
"""

from __future__ import annotations

import feedparser
from pathlib import Path

import pytest

import sitebuild
from test_authoring import NOW, cli, copy, split
from test_languages import hreflang_in_sitemap, strings

RELEASE = "docs/en/news/2024/first-release.md"
FRENCH = "docs/fr/news/2024/first-release.md"
URL = "news/2024/first-release/"
GUID_FR = "urn:uuid:e1669e85-01f1-5bd8-a70b-22238e7e55ff"  # uuid5 of the release's id and "fr" (records.Release.guid)
OTHER = "Fix what is named above, then save again."
FRONT_MATTER = "Fix these lines between the --- markers at the top of the file, then save again."

TRANSLATED = {
    'title: "First release"': 'title: "Premier communiqué"',
    'location: "Geneva"': 'location: "Genève"',
    'summary: "The first test release."': 'summary: "Le premier communiqué de test."',
    'alt: "Four indigo squares"': 'alt: "Quatre carrés indigo"',
    'caption: "A generated test image"': 'caption: "Une image de test générée"',
    'note: "The date of the meeting was corrected."': 'note: "La date de la réunion a été corrigée."',
    'note: "A name was corrected."': 'note: "Un nom a été corrigé."',
    'status: "draft"': 'status: "unofficial"',
    "Body of the first release.": "Corps du premier communiqué.",
}


def project(tmp_path: Path) -> Path:
    """The base fixture, its release with a lead image and two corrections
    (written newest first, as authors may: the overlay pairs them by date)."""
    root = copy(tmp_path)
    release = root / RELEASE
    release.write_text(
        release.read_text("utf-8").replace(
            "publishers: [unicri]\n",
            "publishers: [unicri]\n"
            "image:\n  src: images/squares.png\n  alt: Four indigo squares\n  caption: A generated test image\n"
            "updates:\n  - date: 2024-03-09\n    note: A name was corrected.\n  - date: 2024-03-05\n    note: The date of the meeting was corrected.\n",
        ),
        "utf-8",
    )
    image = root / "docs" / "en" / "news" / "2024" / "images" / "squares.png"
    image.parent.mkdir()
    image.write_bytes(sitebuild.placeholder(".png"))
    return root


def report(root: Path) -> list[str]:
    """What `make translations` says of French: the counts, and the pages
    not started or stale (the base fixture's other pages are missing)."""
    done = cli(root, "translations")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("fr ")))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("  ")), len(lines))
    return [lines[start], *(line for line in lines[start + 1 : end] if not line.startswith("  missing: "))]


def release_feed_ids(built: sitebuild.Built) -> list[str]:
    feed = feedparser.parse(built.text("feed_rss_created.xml"))
    assert feed.bozo == 0, feed.bozo_exception
    return [entry.id for entry in feed.entries]


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = project(tmp_path_factory.mktemp("translation"))
    made = cli(root, "new", "translation", RELEASE, "--lang", "fr")
    assert made.returncode == 0, made.stderr
    return root, made.stdout.splitlines()


def test_make_new_translation_writes_a_draft_with_every_text_to_translate(started: tuple[Path, list[str]]) -> None:
    root, said = started
    assert said == [
        f"Created {FRENCH}: the English text of {RELEASE}, to translate into Français. Until it is translated, the page is shown in English with a notice.",
        'Next: translate the fields and the body in place, change status: "draft" to status: "unofficial", run `make check`, and open a pull request.',
    ]
    front, body = split(root / FRENCH)
    fields = [line for line in front if line and not line.lstrip().startswith("#")]
    assert fields[:-1] == [
        'title: "First release"',
        'location: "Geneva"',
        'summary: "The first test release."',
        "image:",
        '  alt: "Four indigo squares"',
        '  caption: "A generated test image"',
        "updates:",
        '  - note: "The date of the meeting was corrected."',
        '  - note: "A name was corrected."',
        "translation:",
        '  status: "draft"',
    ]
    assert fields[-1].startswith('  source_hash: "')
    # Each note under the date of the English correction it translates, oldest first.
    assert front[front.index('  - note: "The date of the meeting was corrected."') - 1] == "  # The correction of 2024-03-05:"
    assert body.strip() == "Body of the first release."


def test_an_untranslated_copy_passes_the_check_and_is_not_started(started: tuple[Path, list[str]]) -> None:
    root, _ = started
    done = cli(root, "check")
    assert done.returncode == 0, done.stderr
    assert report(root) == ["fr (Français): 3 missing, 1 not started, 0 stale, 0 current", f"  not started: {FRENCH}"]


def test_until_it_is_written_the_page_is_the_english_fallback(started: tuple[Path, list[str]]) -> None:
    root, _ = started
    fr, en = sitebuild.build(root, "fr", {"NEWSROOM_NOW": NOW}), sitebuild.build(root, "en", {"NEWSROOM_NOW": NOW})
    assert fr.ok, fr.output
    assert en.ok, en.output
    page = fr.html(URL)
    notice = page.select_one("aside.nr-notice")
    assert notice["data-translation"] == "not-started"
    assert notice.get_text(" ", strip=True) == strings("fr")["translation_missing"]
    english = page.select_one('div[lang="en"]')
    assert english.select_one("h1").get_text(strip=True) == "First release"
    assert english.select_one(".nr-body").get_text(strip=True) == "Body of the first release."
    assert english.select_one("figure img")["alt"] == "Four indigo squares"
    # Neither announced nor found in French, nor an alternate of the English page.
    assert page.select_one("article.nr-release").get("data-pagefind-body") is None
    assert GUID_FR not in release_feed_ids(fr)
    assert hreflang_in_sitemap(en, URL) == {}
    assert hreflang_in_sitemap(fr, URL) == {}


def test_status_unofficial_on_the_english_text_is_still_not_started(started: tuple[Path, list[str]], tmp_path: Path) -> None:
    root, _ = started
    french = root / FRENCH
    text = french.read_text("utf-8")
    try:
        french.write_text(text.replace('status: "draft"', 'status: "unofficial"'), "utf-8")
        assert report(root) == ["fr (Français): 3 missing, 1 not started, 0 stale, 0 current", f"  not started: {FRENCH}"]
        # Whitespace aside: a body rewrapped is still the English text.
        french.write_text(french.read_text("utf-8").replace("Body of the first release.", "Body of the\n   first release."), "utf-8")
        assert report(root)[0] == "fr (Français): 3 missing, 1 not started, 0 stale, 0 current"
        # Its fields translated, its text still English: not written either.
        for english, translated in TRANSLATED.items():
            if english != "Body of the first release.":
                french.write_text(french.read_text("utf-8").replace(english, translated), "utf-8")
        assert 'title: "Premier communiqué"' in french.read_text("utf-8")
        assert report(root)[0] == "fr (Français): 3 missing, 1 not started, 0 stale, 0 current"
    finally:
        french.write_text(text, "utf-8")


def test_once_translated_the_page_is_french_with_its_image_text_and_notes(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert cli(root, "new", "translation", RELEASE, "--lang", "fr").returncode == 0
    french = root / FRENCH
    text = french.read_text("utf-8")
    for english, translated in TRANSLATED.items():
        assert text.count(english) == 1, english
        text = text.replace(english, translated)
    french.write_text(text, "utf-8")
    done = cli(root, "check")
    assert done.returncode == 0, done.stderr
    assert report(root) == ["fr (Français): 3 missing, 0 not started, 0 stale, 1 current"]

    fr, en = sitebuild.build(root, "fr", {"NEWSROOM_NOW": NOW}), sitebuild.build(root, "en", {"NEWSROOM_NOW": NOW})
    assert fr.ok, fr.output
    assert en.ok, en.output
    page = fr.html(URL)
    assert page.select_one("aside.nr-notice")["data-translation"] == "current"
    assert page.select_one('div[lang="en"]') is None
    article = page.select_one("article.nr-release")
    assert article.select_one("h1").get_text(strip=True) == "Premier communiqué"
    assert article.select_one(".nr-body").get_text(strip=True) == "Corps du premier communiqué."
    image, caption = article.select_one("figure img"), article.select_one(".nr-figure__caption")
    assert image["alt"] == "Quatre carrés indigo"
    assert caption.get_text(strip=True) == "Une image de test générée"
    # Translated, so no longer marked as English for screen readers.
    assert image.get("lang") is None and caption.get("lang") is None
    # Newest first on the page, as in English.
    assert [li.get_text(" ", strip=True).split(": ", 1)[1] for li in article.select(".nr-updates li")] == ["Un nom a été corrigé.", "La date de la réunion a été corrigée."]
    assert article.get("data-pagefind-body") is not None
    assert GUID_FR in release_feed_ids(fr)
    assert hreflang_in_sitemap(en, URL) == {"en": f"{sitebuild.SITE_URL}en/{URL}", "fr": f"{sitebuild.SITE_URL}fr/{URL}", "x-default": f"{sitebuild.SITE_URL}en/{URL}"}
    # The English page keeps its own image text and notes.
    english = en.html(URL).select_one("article.nr-release")
    assert english.select_one("figure img")["alt"] == "Four indigo squares"
    assert [li.get_text(" ", strip=True).split(": ", 1)[1] for li in english.select(".nr-updates li")] == ["A name was corrected.", "The date of the meeting was corrected."]


def test_notes_are_one_for_each_english_correction_and_only_text_is_translated(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert cli(root, "new", "translation", RELEASE, "--lang", "fr").returncode == 0
    french = root / FRENCH
    text = french.read_text("utf-8")
    lines = text.split("\n")
    # Line numbers in the file (the first line, ---, is line 1).
    updates = lines.index("updates:") + 1
    alt = lines.index('  alt: "Four indigo squares"') + 1
    french.write_text(text.replace('  - note: "A name was corrected."\n', "").replace('  alt: "Four indigo squares"', '  src: "images/squares.png"'), "utf-8")
    done = cli(root, "check")
    assert done.returncode == 1
    assert done.stderr.splitlines()[:4] == [
        f"Can't publish {FRENCH}:",
        f"  line {alt}, image.src: is not translated: it comes from the English page {RELEASE}. Remove this line.",
        FRONT_MATTER,
        "make check found 1 problem in 1 file.",
    ]
    french.write_text(text.replace('  # The correction of 2024-03-09:\n  - note: "A name was corrected."\n', ""), "utf-8")
    done = cli(root, "check")
    assert done.stderr.splitlines()[:3] == [
        f"Can't publish {FRENCH}:",
        f"  line {updates}, updates: gives 1 correction note, but the English page {RELEASE} has 2 correction notes. Give one - note: line for each correction of the English page, translated, in the order of their dates, oldest first (a new one may stay in English until it is translated).",
        FRONT_MATTER,
    ]
    english = root / RELEASE
    english.write_text(english.read_text("utf-8").replace("image:\n  src: images/squares.png\n  alt: Four indigo squares\n  caption: A generated test image\n", ""), "utf-8")
    french.write_text(text, "utf-8")
    done = cli(root, "check")
    assert done.stderr.splitlines()[:3] == [
        f"Can't publish {FRENCH}:",
        f"  line {alt - 1}, image: the English page {RELEASE} has no image, so there is no alt text or caption to translate. Remove the image: lines.",
        FRONT_MATTER,
    ]


@pytest.mark.parametrize(
    ("front_matter", "body", "written"),
    [
        ('title: "Premier communiqué"\ntranslation:\n  status: "draft"', "Corps du premier communiqué.", False),
        # A YAML escape that spells draft is a draft too.
        ('title: "Premier communiqué"\ntranslation:\n  status: "dr\\x61ft"', "Corps du premier communiqué.", False),
        # A translated title over the English text is not written yet.
        ('title: "Premier communiqué"\ntranslation:\n  status: "unofficial"', "Body of the first release.", False),
        ('title: "First release"\ntranslation:\n  status: "unofficial"', "Body of the first release.", False),
        ('title: "Premier brouillon (draft)"\ntranslation:\n  status: "unofficial"', "Corps du premier communiqué.", True),
    ],
)
def test_the_page_and_its_hreflang_agree_on_what_is_written(tmp_path: Path, front_matter: str, body: str, written: bool) -> None:
    """The French page (the overlay) and every language's hreflang
    alternates (read for all languages in each build, most without reading
    their YAML) decide alike."""
    from newsroom import schema
    from newsroom.validation import validate

    root = copy(tmp_path)
    french = root / FRENCH
    french.parent.mkdir(parents=True)
    # Location and summary as in English: the title and the body tell.
    french.write_text(f'---\nlocation: "Geneva"\nsummary: "The first test release."\n{front_matter}\n---\n\n{body}\n', "utf-8")
    found = validate(root, schema.parse_datetime(NOW, schema.Dates()), render=False)
    assert found.ok, found.report()
    uri = "news/2024/first-release.md"
    assert (not found.catalogues["fr"].by_src(uri).fallback, "fr" in found.catalogues["en"].available[uri]) == (written, written)
