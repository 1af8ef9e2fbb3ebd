"""An embargoed or draft release publishes nothing early: not its page, and
not the files only it uses, in any language (English fallback copies too).

tests/fixtures/embargo-files holds a release embargoed until 2024-06-01 12:00
+02:00 with a lead image, images in its text (Markdown and raw HTML), a PDF
it links to, a PDF it attaches, and an image its French translation shows;
a draft with a photo; and a published release sharing one image with the
embargoed one. The images and the PDFs are generated when the fixture is
laid out (PLACEHOLDERS).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import sitebuild

BEFORE = "2024-06-01T09:00:00Z"  # 11:00 in Lyon: an hour before the embargo lifts
AFTER = "2024-06-01T11:00:00Z"
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
EMBARGOED = "news/2024/launch-under-embargo/"
# Used only by the embargoed release (in every language), and by the draft.
EMBARGO_FILES = {
    "news/2024/images/launch-lead.png",
    "news/2024/images/launch-chart.png",
    "news/2024/images/launch-raw.png",
    "files/launch-report.pdf",
    "files/launch-annex.pdf",
}
FRENCH_FILE = "news/2024/images/lancement.png"
DRAFT_FILE = "news/2024/images/draft-photo.png"
# Used by a published release as well, or by nothing: published as ever.
PUBLIC_FILES = {"news/2024/images/shared.png", "news/2024/images/unused.png"}


def _all_languages(tmp_path_factory: pytest.TempPathFactory, now: str) -> Path:
    """The fixture in every language, built as `make build` builds it."""
    root = tmp_path_factory.mktemp(f"embargo-files-{now[11:13]}")
    sitebuild.assemble(root, "embargo-files")
    env = dict(os.environ, NEWSROOM_NOW=now, LC_ALL="C.UTF-8", LANG="C.UTF-8", NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "newsroom.cli", "build", "--site-url", sitebuild.SITE_URL], cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "site"


def _files(site: Path, lang: str) -> set[str]:
    return {p.relative_to(site / lang).as_posix() for p in (site / lang).rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _all_languages(tmp_path_factory, BEFORE)


@pytest.fixture(scope="module")
def after(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _all_languages(tmp_path_factory, AFTER)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_embargoed_and_draft_files_stay_out_in_every_language(before: Path, lang: str) -> None:
    published = _files(before, lang)
    assert f"{EMBARGOED}index.html" not in published
    assert not published & (EMBARGO_FILES | {FRENCH_FILE, DRAFT_FILE}), lang
    assert PUBLIC_FILES <= published, lang
    # Nothing of the release is anywhere else either: no page names its files.
    for path in (before / lang).rglob("*.html"):
        text = path.read_text("utf-8")
        assert "launch-lead" not in text and "garnet-willow" not in text and "grenat-saule" not in text, path


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_files_come_out_with_the_release(after: Path, lang: str) -> None:
    published = _files(after, lang)
    assert f"{EMBARGOED}index.html" in published
    assert EMBARGO_FILES | PUBLIC_FILES <= published, lang
    # The French translation's own image exists only in French.
    assert (FRENCH_FILE in published) == (lang == "fr")
    assert DRAFT_FILE not in published
    page = sitebuild.Built(after.parent, after, 0, "", lang).html(EMBARGOED)
    # The lead image: the sizes made from it, and a link to the file itself.
    assert page.select_one(".nr-figure a.nr-figure__original")["href"] == "../images/launch-lead.png"
    img = page.select_one(".nr-figure img")
    assert img["src"].startswith("../../../assets/images/sizes/") and f"assets/images/sizes/{img['src'].rsplit('/', 1)[1]}" in published
    assert [a["href"] for a in page.select(".nr-attachments a")] == ["../../../files/launch-annex.pdf"]


def _made(site: Path, lang: str) -> set[str]:
    """The image sizes and share cards the build made (hooks/images.py)."""
    return {p for p in _files(site, lang) if p.startswith(("assets/images/sizes/", "assets/images/cards/"))}


def _shown(site: Path, lang: str) -> set[str]:
    """Every file under assets/images/ that a page shows or shares."""
    from bs4 import BeautifulSoup

    shown = set()
    for path in (site / lang).rglob("*.html"):
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for address in [*(img["src"] for img in soup.select("img[src]")), *(c.split()[0] for img in soup.select("img[srcset]") for c in img["srcset"].split(",")), *(m["content"] for m in soup.select('meta[property="og:image"]'))]:
            if "assets/images/" in address:
                shown.add("assets/images/" + address.split("assets/images/", 1)[1])
    return shown


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_size_or_share_card_of_an_embargoed_release_is_made_before_its_time(before: Path, after: Path, lang: str) -> None:
    """Every image size and share card in the site is one a published page
    shows; those of the embargoed release (its lead image's sizes, its card)
    come out with it."""
    assert _made(before, lang) <= _shown(before, lang)
    assert _made(after, lang) <= _shown(after, lang)
    embargoed = sitebuild.Built(after.parent, after, 0, "", lang).html(EMBARGOED)
    card = embargoed.select_one('meta[property="og:image"]')["content"].split(f"/{lang}/", 1)[1]
    sizes = {"assets/images/sizes/" + c.split()[0].rsplit("/", 1)[1] for c in embargoed.select_one(".nr-figure img")["srcset"].split(",")}
    assert not ({card} | sizes) & _made(before, lang)
    assert {card} | sizes <= _made(after, lang)


def test_a_preview_shows_embargoes_only_when_asked(sites) -> None:
    """NEWSROOM_PREVIEW=1 alone (a public repository's pull request) holds
    embargoes back as the published site does; with NEWSROOM_PREVIEW_EMBARGOED=1
    as well (a private repository) it shows them, watermarked, with their files."""
    public = sites.get("embargo-files", NEWSROOM_NOW=BEFORE, NEWSROOM_PREVIEW="1")
    assert public.ok, public.output
    assert public.html("").select_one(".nr-preview") is not None
    assert not public.path(EMBARGOED).exists()
    assert not _files(public.site, "en") & EMBARGO_FILES
    private = sites.get("embargo-files", NEWSROOM_NOW=BEFORE, NEWSROOM_PREVIEW="1", NEWSROOM_PREVIEW_EMBARGOED="1")
    assert private.ok, private.output
    assert private.html(EMBARGOED).select_one(".nr-embargo").get_text(strip=True) == "EMBARGOED until 1 June 2024, 12:00 (UTC+02:00)"
    assert EMBARGO_FILES <= _files(private.site, "en")
    assert DRAFT_FILE not in _files(private.site, "en")
    # Asked for without a preview, it changes nothing.
    alone = sites.get("embargo-files", NEWSROOM_NOW=BEFORE, NEWSROOM_PREVIEW_EMBARGOED="1")
    assert alone.ok and not alone.path(EMBARGOED).exists() and not _files(alone.site, "en") & EMBARGO_FILES


def test_the_guide_and_the_template_say_what_an_embargo_does_not_do() -> None:
    guide = (sitebuild.PROJECT / "docs/en/about/publishing.md").read_text("utf-8").split("## Embargoes", 1)[1].split("\n## ", 1)[0]
    assert "**What an embargo does not do.**" in guide
    assert "**private repository**" in guide and "**open and merge the pull request on the day**" in guide
    template = (sitebuild.PROJECT / ".github/pull_request_template.md").read_text("utf-8")
    assert "An embargo keeps a release off the site, not out of sight" in template
    assert "private repository, or open and merge the pull request on the day" in template
