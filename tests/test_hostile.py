"""Hostile input: nothing a content file says can run in a reader's browser."""

from __future__ import annotations

from bs4 import BeautifulSoup

HOSTILE_TITLE = "Tom & Jerry <b>bold</b> \"quoted\" 'single' 🎉 & more"


def test_front_matter_title_is_text_on_every_page(sites):
    built = sites.get("hostile-feed", NEWSROOM_SITE_NAME='News & <Views> "Q" 🗞')
    assert built.ok, built.output
    pages = list((built.site / "en").rglob("*.html"))
    assert len(pages) > 10
    seen_as_text = 0
    for path in pages:
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        # Markup in the title or the site name would have become elements.
        assert not soup.find("b", string="bold"), path
        assert not soup.find("views"), path
        seen_as_text += HOSTILE_TITLE in soup.get_text()
        title = soup.find("title").get_text()
        assert "<b>" not in title or HOSTILE_TITLE in title, path
    release = BeautifulSoup((built.site / "en/news/2024/hostile-values/index.html").read_text("utf-8"), "html.parser")
    assert release.find("title").get_text() == f'{HOSTILE_TITLE} - News & <Views> "Q" 🗞'
    assert release.select_one("h1").get_text() == HOSTILE_TITLE
    assert release.select_one(".md-header__topic:last-child .md-ellipsis").get_text(strip=True) == HOSTILE_TITLE
    assert seen_as_text >= 4  # the release, news index, year page, programme pages
