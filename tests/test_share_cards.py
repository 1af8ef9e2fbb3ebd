"""Share cards and image sizes (newsroom/images.py, hooks/images.py).

Every release and programme has an Open Graph image of 1200x630: its lead
image cropped, or a card drawn at build time from its title in the page's
language, with fonts from Debian's packages (nothing downloaded). The
drawn cards are read back as images: Arabic is laid out right to left
(glyph order, compared with each letter drawn alone), and Chinese shows its
characters, not the font's missing-glyph box. Images are generated at run
time (tests/sitebuild.py), never photographs.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageChops, ImageDraw

import sitebuild
from newsroom import images

LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")


def og(soup: BeautifulSoup) -> dict[str, str]:
    return {m["property"]: m["content"] for m in soup.select("meta[property^='og:']")}


def site_file(built: sitebuild.Built, url: str) -> Path:
    """The built file an absolute URL of the site names."""
    prefix = f"{built.base_url}{built.lang}/"
    assert url.startswith(prefix), url
    return built.site / built.lang / url[len(prefix) :]


def grey(card: Image.Image) -> Image.Image:
    """A drawn card's grey channel: its palette indices (0 is the background)."""
    assert card.mode == "P"
    return Image.frombytes("L", card.size, card.tobytes())


def title_band(card: Image.Image, text: images.CardText) -> Image.Image:
    """The part of a drawn card that holds the title, from the top of its
    first line to below the last."""
    size, lines = images.title_layout(text)
    top = images.TITLE_TOP
    bottom = images.baseline(size, len(lines) - 1) + size // 2
    return grey(card).crop((0, top, images.CARD_SIZE[0], bottom))


# --------------------------------------------------------------------------
# On the built pages


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_release_and_programme_has_a_share_card_of_1200_by_630(sites, lang: str) -> None:
    """og:image and its declared size, checked against the file itself."""
    built = sites.get(None, lang)
    pages = sorted(p.parent for p in (built.site / lang).glob("news/[0-9][0-9][0-9][0-9]/*/index.html") if p.parent.name != "page")
    pages += sorted(p.parent for p in (built.site / lang).glob("programmes/*/index.html"))
    assert len(pages) >= 6
    for folder in pages:
        soup = BeautifulSoup((folder / "index.html").read_text("utf-8"), "html.parser")
        meta = og(soup)
        with Image.open(site_file(built, meta["og:image"])) as card:
            assert card.size == (int(meta["og:image:width"]), int(meta["og:image:height"])) == (1200, 630), folder
            assert Image.MIME[card.format] == meta["og:image:type"]
        assert meta["og:image:alt"] == soup.select_one("h1").get_text()
        assert soup.select_one('meta[name="twitter:card"]')["content"] == "summary_large_image"


def test_a_page_without_a_card_keeps_the_logo(site) -> None:
    meta = og(site.html("resources/"))
    assert meta["og:image"] == f"{site.base_url}en/assets/images/newsroom-feed.png"
    assert "og:image:width" not in meta
    assert site.html("resources/").select_one('meta[name="twitter:card"]')["content"] == "summary"


def test_a_release_with_a_lead_image_shares_it_cropped(sites) -> None:
    built = sites.get("release-design")
    meta = og(built.html("news/2024/with-photo/"))
    assert meta["og:image:alt"] == "An indigo gradient in a white frame"
    with Image.open(site_file(built, meta["og:image"])) as card:
        assert card.format == "JPEG" and card.size == (1200, 630)
        # The 1600x900 gradient, cropped: its white frame is at the sides, which
        # the crop keeps, and the middle is the gradient, not white.
        assert card.convert("L").getpixel((2, 315)) > 240
        assert card.convert("L").getpixel((600, 315)) < 200


def test_cards_are_drawn_in_the_pages_language(sites) -> None:
    """The built card shows the title the page shows: the same title band
    as a card drawn for that title in that language."""
    for lang, direction in (("ar", "rtl"), ("zh", "ltr"), ("en", "ltr")):
        built = sites.get("release-design", lang)
        assert built.ok, built.output
        soup = built.html("news/2024/first-release/")
        title = soup.select_one("h1").get_text()
        text = images.CardText("", title, "", lang, direction)
        with Image.open(site_file(built, og(soup)["og:image"])) as card:
            assert list(title_band(card, text).get_flattened_data()) == list(title_band(images.draw_card(text), text).get_flattened_data()), lang


def test_a_page_shown_in_english_has_the_english_card(sites) -> None:
    english = og(sites.get("release-design").html("news/2024/first-release/"))["og:image"].rsplit("/", 1)[1]
    french = og(sites.get("release-design", "fr").html("news/2024/first-release/"))["og:image"].rsplit("/", 1)[1]
    assert english == french


# --------------------------------------------------------------------------
# Drawing: Arabic right to left, Chinese characters, Latin inside Arabic


def _ink_blobs(band: Image.Image) -> list[Image.Image]:
    """The separate pieces of ink of a line, left to right (columns without ink between them)."""
    columns = [any(band.getpixel((x, y)) for y in range(band.height)) for x in range(band.width)]
    blobs, start = [], None
    for x, inked in enumerate([*columns, False]):
        if inked and start is None:
            start = x
        elif not inked and start is not None:
            piece = band.crop((start, 0, x, band.height))
            blobs.append(piece.crop(piece.getbbox()))
            start = None
    return blobs


def _difference(a: Image.Image, b: Image.Image) -> float:
    """How unlike two glyph images are (0: alike), compared at one size."""
    b = b.resize(a.size)
    return sum(ImageChops.difference(a, b).get_flattened_data()) / (255 * a.width * a.height)


def test_arabic_is_laid_out_right_to_left() -> None:
    """دار is dal, alef, reh: letters that do not join the next, so each is
    drawn on its own. Read right to left, dal is at the right end and reh at
    the left: the first letter written is the rightmost."""
    text = images.CardText("", "دار", "", "ar", "rtl")
    size, lines = images.title_layout(text)
    assert lines == ["دار"]
    blobs = _ink_blobs(title_band(images.draw_card(text), text))
    assert len(blobs) == 3
    font = images._font("NotoSansArabicUI-Bold.ttf", size)
    alone = {}
    for letter in "دار":
        canvas = Image.new("L", (3 * size, 3 * size))
        ImageDraw.Draw(canvas).text((size, 2 * size), letter, font=font, fill=255, anchor="ls", direction="rtl", language="ar")
        alone[letter] = canvas.crop(canvas.getbbox())
    seen = [min(alone, key=lambda letter: _difference(blob, alone[letter])) for blob in blobs]
    assert seen == ["ر", "ا", "د"], "left to right on the card: reh, alef, dal"
    # And the line stands against the right margin, where Arabic starts.
    band = title_band(images.draw_card(text), text)
    assert band.getbbox()[2] > images.CARD_SIZE[0] - images.MARGIN - 5 and band.getbbox()[0] > images.CARD_SIZE[0] / 2


def test_a_latin_name_in_an_arabic_title_is_drawn_with_a_latin_font_at_the_start() -> None:
    """Noto Sans Arabic UI has no Latin letters: "AI-POL" is drawn with
    DejaVu Sans, and, first in the title, it is the rightmost run."""
    order = images.FONT_ORDER["ar"]
    runs = images.runs("AI-POL: برنامج", "rtl", order)
    # Left to right as drawn: the Arabic, with the colon and space after
    # "AI-POL" (punctuation between two directions takes the line's), then
    # "AI-POL" at the right end.
    assert [(run.text, run.font, run.direction) for run in runs] == [
        (": برنامج", "NotoSansArabicUI-Bold.ttf", "rtl"),
        ("AI-POL", "DejaVuSans-Bold.ttf", "ltr"),
    ]
    # Digits inside Arabic stay with it, left to right within the run (raqm).
    assert [run.text for run in images.runs("عام 2024 جديد", "rtl", order)] == ["عام 2024 جديد"]


def test_chinese_characters_are_drawn_not_the_missing_glyph_box() -> None:
    """WenQuanYi Micro Hei draws each character of the title in a square
    cell; none of the cells is the font's .notdef box, which a font without
    Chinese would draw (the same card for a title of U+10FFFD characters)."""
    title = "人工智能时代的反恐"
    text = images.CardText("", title, "", "zh", "ltr")
    size, lines = images.title_layout(text)
    assert lines == [title]
    drawn = title_band(images.draw_card(text), text)
    tofu_text = images.CardText("", "\U0010fffd" * len(title), "", "zh", "ltr")
    tofu = title_band(images.draw_card(tofu_text), tofu_text)
    cells = [(images.MARGIN + i * size, 0, images.MARGIN + (i + 1) * size, drawn.height) for i in range(len(title))]
    assert all(tofu.crop(cells[0]).getbbox() for _ in cells), "the comparison card shows boxes"
    same = [title[i] for i, cell in enumerate(cells) if list(drawn.crop(cell).get_flattened_data()) == list(tofu.crop(cell).get_flattened_data())]
    assert not same, f"drawn as the missing-glyph box: {same}"
    assert all(drawn.crop(cell).getbbox() for cell in cells), "every cell has ink"


def test_long_titles_shrink_then_stop_with_an_ellipsis() -> None:
    short = images.title_layout(images.CardText("", "Short title", "", "en", "ltr"))
    assert short == (64, ["Short title"])
    long_title = " ".join(["Counter-terrorism"] * 60)
    size, lines = images.title_layout(images.CardText("", long_title, "", "en", "ltr"))
    assert size == images.TITLE_SIZES[-1][0] and len(lines) == images.TITLE_SIZES[-1][1]
    assert lines[-1].endswith("…")


def test_missing_fonts_are_named_with_their_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "FONT_DIRS", ())
    images.font_path.cache_clear()
    try:
        with pytest.raises(images.MissingTools) as stopped:
            images.check_tools()
    finally:
        images.font_path.cache_clear()
    assert str(stopped.value) == (
        "Can't draw the share cards: the fonts DejaVuSans-Bold.ttf, NotoSansArabicUI-Bold.ttf, wqy-microhei.ttc are not installed "
        "(Debian packages: fonts-dejavu-core fonts-noto-ui-core fonts-wqy-microhei). "
        "Install them with `sudo apt-get install --no-install-recommends fonts-dejavu-core fonts-noto-ui-core fonts-wqy-microhei` (make test does this), then build again."
    )


def test_raqm_lays_out_text_here() -> None:
    """Pillow's wheels bring raqm, which needs Debian's libfribidi0."""
    from PIL import features

    assert features.check("raqm"), "install libfribidi0 (.ci/system-packages)"


# --------------------------------------------------------------------------
# Sizes of lead images


def test_sizes_never_wider_than_the_image_and_upright(tmp_path: Path) -> None:
    """A phone photo stored on its side (EXIF orientation 6) is made upright,
    and no size is wider than the image itself."""
    photo = Image.new("RGB", (1000, 600), (40, 53, 147))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    source = tmp_path / "photo.jpg"
    photo.save(source, "JPEG", exif=exif.tobytes())
    cache = images.Cache(tmp_path / "cache")
    sized, card, made = images.lead_image(source, "news/2024/images/photo.jpg", "A photo", cache, "assets/images/sizes", "assets/images/cards")
    assert (sized.width, sized.height) == (600, 1000)
    assert [(v.width, v.height) for v in sized.variants] == [(400, 667), (600, 1000)]
    assert (card.width, card.height) == (1200, 630) and made[-1].path == card.path
    with Image.open(made[-1].cached) as drawn:
        assert drawn.size == (1200, 630)
    for variant, part in zip(sized.variants, made):
        with Image.open(part.cached) as image:
            assert image.size == (variant.width, variant.height)
            assert image.getexif().get(0x0112) is None, "no metadata carried over"


def test_sizes_are_made_once_and_kept_by_content(tmp_path: Path) -> None:
    source = tmp_path / "a.png"
    source.write_bytes(sitebuild.placeholder_image(".png", 900, 500))
    cache = images.Cache(tmp_path / "cache")
    first, _, _ = images.lead_image(source, "a.png", "", cache, "s", "c")
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()}
    again, _, _ = images.lead_image(source, "a.png", "", cache, "s", "c")
    assert again == first and {p.name for p in (tmp_path / "cache").iterdir()} == set(stamps)
    # Another picture under the same name is made anew.
    source.write_bytes(sitebuild.placeholder_image(".png", 900, 400))
    changed, _, _ = images.lead_image(source, "a.png", "", cache, "s", "c")
    assert {v.path for v in changed.variants}.isdisjoint({v.path for v in first.variants})


# --------------------------------------------------------------------------
# Where the fonts and the cache come from


def test_the_fonts_are_installed_where_cards_are_drawn_and_the_cache_is_kept() -> None:
    """make test (.ci/system-packages) and the deploy workflow install the
    fonts' packages and FriBiDi; the deploy keeps the image cache before it builds."""
    from test_workflows import position, step_running, step_using, workflow

    needed = {*images.FONTS.values(), "libfribidi0"}
    system = (sitebuild.PROJECT / ".ci" / "system-packages").read_text("utf-8")
    assert all(package in system for package in needed)
    flow = workflow("deploy.yml")
    fonts = step_running(flow, "apt-get install")
    assert needed <= set(fonts["run"].split())
    cache = step_using(flow, "actions/cache")
    assert cache["with"]["path"] == ".cache/newsroom-images"
    assert images.cache_folder(sitebuild.PROJECT) == sitebuild.PROJECT / ".cache" / "newsroom-images" or os.environ.get("NEWSROOM_IMAGE_CACHE")
    build = step_running(flow, "make build")
    assert position(flow, fonts) < position(flow, build) and position(flow, cache) < position(flow, build)


def test_make_build_drops_what_no_build_uses_any_more(tmp_path: Path) -> None:
    """A card of a title that changed leaves the cache with the next full build."""
    sitebuild.assemble(tmp_path, "base")
    cache = tmp_path / ".cache" / "newsroom-images"
    env = {**sitebuild.build_env(), "NEWSROOM_IMAGE_CACHE": ""}

    def build() -> set[str]:
        done = subprocess.run([sys.executable, "-m", "newsroom.cli", "build", "--site-url", sitebuild.SITE_URL], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        return {p.name for p in cache.iterdir()}

    first = build()
    assert first and build() == first, "nothing made again, nothing dropped"
    release = tmp_path / "docs" / "en" / "news" / "2024" / "first-release.md"
    release.write_text(release.read_text("utf-8").replace("title: First release", "title: First release, corrected"), "utf-8")
    after = build()
    gone, made = first - after, after - first
    # One card: every language shows the English page, with the English card.
    assert len(gone) == len(made) == 1
    assert len(first) == 3, "the release's card and the two programmes'"


def test_make_serve_previews_without_the_fonts_and_make_build_names_them(tmp_path: Path) -> None:
    """`make serve` needs only Python: without the fonts (NEWSROOM_FONT_DIRS
    pointing at an empty folder) the real `mkdocs serve` still serves every
    page, a release showing the site's logo as its share card, and says why;
    the real `mkdocs build` stops and names the packages."""
    root = tmp_path / "project"
    root.mkdir()
    sitebuild.assemble(root, "base")
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    env = {"NEWSROOM_FONT_DIRS": str(empty)}
    with sitebuild.serving(root, env) as server:
        server.wait_for("Serving on")
        page = BeautifulSoup(urllib.request.urlopen(server.url("en/news/2024/first-release/")).read().decode("utf-8"), "html.parser")
    assert page.select_one("h1") is not None
    assert page.select_one('meta[property="og:image"]')["content"].endswith("assets/images/newsroom-feed.png")
    assert any("Can't draw the share cards: the fonts" in line and "this preview shows the site's logo" in line for line in server.seen), "".join(server.seen)
    built = sitebuild.build(root, "en", env)
    assert not built.ok and "Can't draw the share cards: the fonts DejaVuSans-Bold.ttf" in built.output
