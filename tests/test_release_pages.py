"""A release page a journalist can use, and listings that look like news
(issue 19, items 1-3), read through an HTML parser on sites built by the
real `mkdocs`.

tests/fixtures/release-design holds a release with a generated 1600x900 lead
image (caption, credit, licence), two PDF documents (English and French)
and press contacts, one with a small 300x200 image, and the base fixture's
release without one; Arabic and Chinese translations of that one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from PIL import Image

import sitebuild

PHOTO = "news/2024/with-photo/"
LAUNCH = "news/2024/from-emerging-tech-to-responsible-ai/"
STRINGS = {code: yaml.safe_load((sitebuild.PROJECT / "data" / "strings" / f"{code}.yml").read_text("utf-8")) for code in ("en", "fr", "ar", "zh")}


@pytest.fixture(scope="module")
def designed(sites) -> sitebuild.Built:
    built = sites.get("release-design")
    assert built.ok, built.output
    return built


def local_file(built: sitebuild.Built, page: str, address: str) -> Path:
    """The built file a relative address on a page leads to."""
    path = urlsplit(urljoin(f"/{built.lang}/{page}", address)).path
    target = built.site / unquote(path).lstrip("/")
    return target / "index.html" if path.endswith("/") else target


# --------------------------------------------------------------------------
# Labels


@pytest.mark.parametrize("lang", ["en", "ar", "zh"])
def test_every_page_and_card_says_what_it_is(sites, lang: str) -> None:
    built = sites.get(None, lang)
    strings = STRINGS[lang]
    assert built.html(LAUNCH).select_one("article.nr-release .nr-kicker").get_text() == strings["search_type_release"]
    assert built.html("programmes/ai-pol/").select_one("article.nr-programme .nr-kicker").get_text() == strings["search_type_programme"]
    resource = built.html("resources/toolkit-for-responsible-ai-innovation-in-law-enforcement/")
    assert resource.select_one("article.nr-resource .nr-kicker").get_text() == strings["kind_toolkit"]
    home = built.html("")
    releases = home.select(".nr-home__news li.nr-card[data-release-id]")
    assert releases and all(card.select_one(".nr-card__meta .nr-label").get_text() == strings["search_type_release"] for card in releases)
    programmes = home.select(".nr-home__programmes li.nr-card--programme")
    assert programmes and all(card.select_one(".nr-label").get_text() == strings["search_type_programme"] for card in programmes)
    kinds = {card["data-resource"]: card.select_one(".nr-label").get_text() for card in built.html("resources/").select("li.nr-card[data-resource]")}
    assert kinds["toolkit-for-responsible-ai-innovation-in-law-enforcement"] == strings["kind_toolkit"]
    assert kinds["protection-of-critical-infrastructure-against-terrorist-attacks"] == strings["kind_compendium"]


# --------------------------------------------------------------------------
# The release page


def test_a_release_reads_label_dateline_title_standfirst_image_body_documents_contacts(designed) -> None:
    article = designed.html(PHOTO).select_one("article.nr-release")
    header = article.select_one("header.nr-release__header")
    assert [child["class"][0] if child.name == "p" else child.name for child in header.find_all(recursive=False)] == ["nr-kicker", "nr-dateline", "h1", "nr-standfirst"]
    assert header.select_one(".nr-standfirst").get_text() == "Everything a journalist needs: a lead image with its credit, two documents and the press contacts."
    parts = [child for child in article.find_all(recursive=False) if child.name != "div" or "nr-body" in child.get("class", [])]
    order = [child.get("class", [child.name])[0] for child in parts if child.name in ("header", "figure", "div", "section", "footer")]
    assert order == ["nr-release__header", "nr-figure", "nr-body", "nr-attachments", "nr-contacts", "nr-facts"]


def test_the_lead_image_comes_in_sizes_with_its_caption_credit_and_licence(designed) -> None:
    page = designed.html(PHOTO)
    figure = page.select_one("figure.nr-figure")
    img = figure.select_one("img")
    assert img["alt"] == "An indigo gradient in a white frame"
    assert "loading" not in img.attrs, "the lead image is at the top: never lazy"
    candidates = [c.split() for c in img["srcset"].split(",")]
    assert [int(width[:-1]) for _, width in candidates] == [400, 800, 1200, 1600]
    for address, width in candidates:
        with Image.open(local_file(designed, PHOTO, address)) as made:
            assert made.format == "JPEG" and made.size == (int(width[:-1]), int(width[:-1]) * 900 // 1600)
    # width and height: the image's place is kept before it arrives.
    assert (int(img["width"]), int(img["height"])) == (1600, 900)
    assert img["sizes"] and img["src"] == candidates[-1][0]
    assert figure.select_one(".nr-figure__caption").get_text() == "A generated stand-in for a photograph of the launch."
    assert figure.select_one(".nr-figure__credit").get_text() == "Image: Test Studio/Jane Doe"
    assert figure.select_one(".nr-figure__licence").get_text() == "Licence: CC BY 4.0"
    original = figure.select_one("a.nr-figure__original")
    assert original.get_text() == "Full-size image (1600 × 900 px)"
    with Image.open(local_file(designed, PHOTO, original["href"])) as full:
        assert full.size == (1600, 900)


def test_a_small_image_is_never_made_larger(designed) -> None:
    img = designed.html("news/2024/small-image/").select_one("figure.nr-figure img")
    assert img["srcset"].split(",")[0].split()[1] == "300w" and "," not in img["srcset"]
    assert (img["width"], img["height"]) == ("300", "200")


def test_an_images_texts_are_text_wherever_they_are_shown(designed) -> None:
    """Caption, credit and licence are data: shown as written, never markup."""
    page = designed.html("news/2024/small-image/")
    caption = "A chart </figcaption><script>alert('caption')</script> & <b>more</b>"
    credit = "Studio </script><img src=x onerror=alert(1)>"
    licence = '© "Quoted" & <i>tagged</i>'
    figure = page.select_one("figure.nr-figure")
    assert figure.select_one(".nr-figure__caption").get_text() == caption
    assert figure.select_one(".nr-figure__credit").get_text() == f"Image: {credit}"
    assert figure.select_one(".nr-figure__licence").get_text() == f"Licence: {licence}"
    assert [tag.name for tag in figure.find_all(True)] == ["img", "figcaption", "span", "span", "span", "a"]
    assert not [s for s in page.find_all("script") if "alert" in (s.string or "") and s.get("type") != "application/ld+json"]
    lead = json.loads(page.select_one('script[type="application/ld+json"]').string)["image"][0]
    assert (lead["caption"], lead["creditText"], lead["license"]) == (caption, credit, licence)


def test_image_object_in_the_structured_data(designed) -> None:
    data = json.loads(designed.html(PHOTO).select_one('script[type="application/ld+json"]').string)
    lead, card = data["image"]
    assert lead == {
        "@type": "ImageObject",
        "contentUrl": f"{sitebuild.SITE_URL}en/news/2024/images/launch-photo.jpg",
        "url": lead["url"],
        "width": 1600,
        "height": 900,
        "description": "An indigo gradient in a white frame",
        "caption": "A generated stand-in for a photograph of the launch.",
        "creditText": "Test Studio/Jane Doe",
        "license": "CC BY 4.0",
    }
    assert lead["url"].startswith(f"{sitebuild.SITE_URL}en/assets/images/sizes/") and lead["url"].endswith("-1600w.jpg")
    assert card["@type"] == "ImageObject" and (card["width"], card["height"]) == (1200, 630)
    # Without a lead image: the share card alone.
    (only,) = json.loads(designed.html("news/2024/first-release/").select_one('script[type="application/ld+json"]').string)["image"]
    assert only["@type"] == "ImageObject" and only["url"].startswith(f"{sitebuild.SITE_URL}en/assets/images/cards/")


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", [("Annual report 2024", "en", "PDF, 1 kB, English"), ("Rapport annuel 2024", "fr", "PDF, 1 kB, French")]),
    # French writes a narrow no-break space between number and unit (Babel, CLDR).
    ("fr", [("Annual report 2024", "en", "PDF, 1\u202fko, anglais"), ("Rapport annuel 2024", "fr", "PDF, 1\u202fko, français")]),
])
def test_documents_with_their_type_size_and_language(sites, lang: str, expected: list) -> None:
    built = sites.get("release-design", lang)
    section = built.html(PHOTO).select_one("section.nr-attachments")
    assert section.select_one("h2").get_text() == STRINGS[lang]["attachments"]
    found = []
    for item in section.select("li"):
        link = item.select_one("a")
        assert link["type"] == "application/pdf" and link["hreflang"] == link["lang"]
        assert local_file(built, PHOTO, link["href"]).read_bytes().startswith(b"%PDF-")
        found.append((link.get_text(), link["hreflang"], item.select_one(".nr-attachment__meta").get_text()))
    assert found == expected


def test_the_press_contacts_box(designed) -> None:
    box = designed.html(PHOTO).select_one("article.nr-release section.nr-contacts")
    first, second = box.select("li address")
    assert first.select_one(".nr-contact__name").get_text() == "Maria Rossi"
    org = first.select_one(".nr-contact__org abbr")
    assert org.get_text() == "UNICRI" and org["title"] == "United Nations Interregional Crime and Justice Research Institute"
    assert [a["href"] for a in first.select("a")] == ["mailto:press@example.org", "tel:+390116537111"]
    assert first.select_one("a[href^='tel:']").get_text() == "+39 011 653 7111"
    assert [a["href"] for a in second.select("a")] == ["mailto:media@example.org"]


# --------------------------------------------------------------------------
# Share and print


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_share_links_are_plain_links_with_the_address_encoded(sites, lang: str) -> None:
    built = sites.get(None, lang)
    page = built.html(LAUNCH)
    share = page.select_one("aside.nr-share")
    url = page.select_one('link[rel="canonical"]')["href"]
    title = page.select_one("h1").get_text()
    summary = page.select_one(".nr-standfirst").get_text()
    assert share.find("script") is None
    assert not [a for a in share.find_all(True) if any(name.startswith("on") for name in a.attrs)]
    copy = share.select_one("a.nr-share__copy")
    assert copy["href"] == url and copy.get_text() == STRINGS[lang]["share_copy"]
    email = urlsplit(share.select_one("a.nr-share__email")["href"])
    assert email.scheme == "mailto" and email.path == ""
    assert parse_qs(email.query) == {"subject": [title], "body": [f"{summary}\n\n{url}"]}
    networks = {a.get_text(): urlsplit(a["href"]) for a in share.select("a.nr-share__network")}
    assert set(networks) == {"LinkedIn", "X", "Facebook", "Bluesky", "WhatsApp", "Telegram"}
    queries = {name: parse_qs(parts.query) for name, parts in networks.items()}
    assert all(parts.scheme == "https" and parts.netloc for parts in networks.values())
    assert queries["LinkedIn"] == {"url": [url]}
    assert queries["Facebook"] == {"u": [url]}
    assert queries["X"] == {"text": [title], "url": [url]}
    assert queries["Telegram"] == {"url": [url], "text": [title]}
    assert queries["Bluesky"] == queries["WhatsApp"] == {"text": [f"{title} {url}"]}
    for a in share.select("a.nr-share__network"):
        assert set(a["rel"]) == {"external", "noopener"}
    # Print needs its script: hidden until share.js shows it.
    button = share.select_one("button.nr-share__print")
    assert button.has_attr("hidden") and button["type"] == "button" and button.get_text() == STRINGS[lang]["print"]
    # The page loads that script from the site, deferred.
    assert page.select_one("script[src$='assets/javascripts/share.js'][defer]")
    # Share is not part of the release: neither printed nor indexed.
    assert share.find_parent("article", class_="nr-release") is None and share.has_attr("data-pagefind-ignore")


# --------------------------------------------------------------------------
# Listings


def test_cards_show_the_lead_image_lazily_below_the_fold(designed) -> None:
    home = designed.html("")
    cards = home.select(".nr-home__news li.nr-card")
    assert [card["data-release-id"][:8] for card in cards] == ["77777777", "88888888", "11111111"]
    lead, second, third = cards
    assert "nr-card--lead" in lead["class"]
    lead_img = lead.select_one("img.nr-card__image")
    assert lead_img["fetchpriority"] == "high" and "loading" not in lead_img.attrs
    assert "loading" not in second.select_one("img").attrs, "the second card is above the fold too"
    assert third.select_one("img") is None, "a release without an image has none"
    # Decorative beside the linked title, with its size and a choice of widths.
    for img in (lead_img, second.select_one("img")):
        assert img["alt"] == "" and img["width"] and img["height"] and img["srcset"] and img["sizes"]
    # Lower in a long list: lazy.
    news = designed.html("news/2024/")
    imgs = news.select("li.nr-card img.nr-card__image")
    assert imgs and all(img["loading"] == "lazy" for img in imgs)
    for card in news.select("li.nr-card[data-release-id]"):
        meta = card.select_one(".nr-card__meta")
        assert meta.select_one(".nr-label").get_text() == "Press release" and meta.select_one("time[datetime]")
        assert meta.select(".nr-card__programme")


def test_programme_and_organisation_pages_show_cards_with_images(designed) -> None:
    for url in ("programmes/alpha/", "organisations/unicri/"):
        cards = {card["data-release-id"][:8]: card for card in designed.html(url).select("li.nr-card[data-release-id]")}
        assert cards["77777777"].select_one("img.nr-card__image[srcset]") is not None, url
        assert cards["11111111"].select_one("img") is None, url


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_home_leads_with_the_latest_release_then_programmes_then_ways_to_follow(sites, lang: str) -> None:
    built = sites.get(None, lang)
    home = built.html("")
    sections = [s["class"][0] for s in home.select("section[class^='nr-home__']")]
    assert sections == ["nr-home__news", "nr-home__programmes", "nr-home__subscribe"]
    latest = home.select(".nr-home__news li.nr-card")
    assert "nr-card--lead" in latest[0]["class"] and not any("nr-card--lead" in c["class"] for c in latest[1:])
    follow = home.select_one(".nr-home__subscribe")
    feeds = [a["href"] for a in follow.select("a[rel~='alternate'][type='application/rss+xml']")]
    programmes = sorted(p.stem for p in (sitebuild.PROJECT / "docs" / "en" / "programmes").glob("*.md"))
    assert feeds[:2] == ["feed_rss_created.xml", "feed_rss_updated.xml"]
    assert sorted(feeds[2:]) == [f"programmes/{slug}/feed.xml" for slug in programmes]
    for href in feeds:
        assert built.path(href).is_file()
    # data/site.yml declares no email service: none is offered.
    assert follow.select_one(".nr-follow__email") is None


def test_an_email_service_is_offered_where_the_site_declares_one(tmp_path: Path) -> None:
    sitebuild.assemble(tmp_path, "base")
    settings = tmp_path / "data" / "site.yml"
    settings.write_text(settings.read_text("utf-8").replace('email_updates: ""', 'email_updates: "https://lists.example.org/newsroom"'), "utf-8")
    built = sitebuild.build(tmp_path)
    assert built.ok, built.output
    link = built.html("").select_one(".nr-home__subscribe .nr-follow__email a")
    assert link["href"] == "https://lists.example.org/newsroom" and link.get_text() == "Follow the news by email"


def test_an_email_service_that_is_not_a_web_address_stops_the_build(tmp_path: Path) -> None:
    sitebuild.assemble(tmp_path, "base")
    settings = tmp_path / "data" / "site.yml"
    settings.write_text(settings.read_text("utf-8").replace('email_updates: ""', 'email_updates: "newsletter@example.org"'), "utf-8")
    message = 'data/site.yml: email_updates "newsletter@example.org" is not a web address starting with https://. Write the address of the page where readers sign up for the news by email, or leave it empty (""): the home page then offers no email.'
    built = sitebuild.build(tmp_path)
    assert not built.ok and message in built.output
    checked = subprocess.run([sys.executable, "-m", "newsroom.cli", "check"], cwd=tmp_path, env=sitebuild.build_env(), capture_output=True, text=True)
    assert checked.returncode == 1 and message in checked.stdout + checked.stderr


# --------------------------------------------------------------------------
# On a translated page


def test_a_translated_page_marks_the_image_texts_and_documents_in_their_language(sites) -> None:
    built = sites.get("release-design", "fr")
    page = built.html(PHOTO)
    assert page.select_one("h1").get_text() == "Un communiqué avec une photographie, des documents et des contacts"
    figure = page.select_one("figure.nr-figure")
    assert figure.select_one("img")["lang"] == "en" and figure.select_one(".nr-figure__caption")["lang"] == "en"
    assert not figure.select_one("figcaption").has_attr("lang")
    assert figure.select_one(".nr-figure__credit").get_text() == "Image : Test Studio/Jane Doe"
    assert [a["lang"] for a in page.select(".nr-attachments a")] == ["en", "fr"]
