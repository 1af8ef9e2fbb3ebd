"""Languages in a real browser: the switcher, right-to-left Arabic, English
fallbacks, and no request that leaves the site.

Debian's Chromium, driven by Playwright (conftest.py: `browser`, `page`,
`full_site`). The real project is built once in all six languages and served on
loopback. Expected titles come from the front-matter of the docs/ the site was
built from, so the tests follow the translations as they are written.

Mirroring is checked with real geometry (bounding boxes of elements and of the
text inside them), in Arabic and, mirrored, in English. Screenshots go to the
test's tmp_path; their paths are printed (`pytest -s` shows them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

import sitebuild
from conftest import Served, serve

RELEASE = "news/2024/from-emerging-tech-to-responsible-ai/"
RELEASE_SRC = "news/2024/from-emerging-tech-to-responsible-ai.md"
WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Sub-pixel rounding of text boxes.
PX = 1.5


# --------------------------------------------------------------------------
# Helpers


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text("utf-8")
    match = re.match(r"---\s*\n(.*?)\n---\s*\n", text, re.DOTALL)
    assert match, f"{path} has no front-matter"
    return yaml.safe_load(match.group(1)) or {}


def shown_title(docs: Path, lang: str, src: str) -> str:
    """The title a language shows: its translation's, or the English one it falls back to."""
    translated = docs / lang / src
    return front_matter(translated if translated.exists() else docs / "en" / src)["title"]


_BOX = "e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height}; }"
# The box of the text itself, not of its block: where the words really sit.
_TEXT_BOX = (
    "e => { const g = document.createRange(); g.selectNodeContents(e); const r = g.getBoundingClientRect();"
    " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height}; }"
)


def box(page: Any, selector: str) -> dict[str, float]:
    return page.locator(selector).first.evaluate(_BOX)


def text_box(page: Any, selector: str) -> dict[str, float]:
    return page.locator(selector).first.evaluate(_TEXT_BOX)


def style(page: Any, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate("(e, p) => getComputedStyle(e).getPropertyValue(p)", prop)


def hugs_start(inner: dict[str, float], outer: dict[str, float], rtl: bool) -> bool:
    """The text starts at the start edge of its box: the right edge in RTL, the left in LTR."""
    return abs(inner["right"] - outer["right"]) <= PX if rtl else abs(inner["left"] - outer["left"]) <= PX


def start_gap_smaller(inner: dict[str, float], outer: dict[str, float], rtl: bool) -> bool:
    """The inner box sits nearer the start edge than the end edge of the outer box."""
    left, right = inner["left"] - outer["left"], outer["right"] - inner["right"]
    return right < left if rtl else left < right


def centre(b: dict[str, float]) -> float:
    return (b["left"] + b["right"]) / 2


def open_switcher(page: Any) -> None:
    """Open Material's language selector in the header, as a reader does, and wait until it is shown."""
    page.locator(".md-header .md-select button").click()
    page.wait_for_function("() => getComputedStyle(document.querySelector('.md-header .md-select__inner')).opacity === '1'")
    # Material animates max-height; wait until the box stops growing.
    page.wait_for_function(
        "() => { const e = document.querySelector('.md-header .md-select__inner'); const h = e.getBoundingClientRect().height;"
        " const same = e.dataset.h === String(h); e.dataset.h = String(h); return same && h > 0; }",
        polling=100,
    )


def switch_language(page: Any, name: str) -> Any:
    """Choose a language by its own name in the header's selector; returns the response of the new page."""
    open_switcher(page)
    link = page.locator(".md-header .md-select__link", has_text=name)
    with page.expect_navigation() as navigation:
        link.click()
    return navigation.value


def screenshot(page: Any, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


# --------------------------------------------------------------------------
# The language switcher keeps the reader on the same page


def test_switching_language_keeps_the_release(page: Any, full_site: Served) -> None:
    docs = full_site.root / "docs"
    page.goto(full_site.url(f"en/{RELEASE}"))
    assert page.locator("h1").inner_text() == shown_title(docs, "en", RELEASE_SRC)

    response = switch_language(page, "Français")
    assert response.status == 200
    assert page.url == full_site.url(f"fr/{RELEASE}")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert (docs / "fr" / RELEASE_SRC).exists(), "the French translation of the release is missing"
    assert page.locator("h1").inner_text() == front_matter(docs / "fr" / RELEASE_SRC)["title"]

    response = switch_language(page, "العربية")
    assert response.status == 200
    assert page.url == full_site.url(f"ar/{RELEASE}")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("h1").inner_text() == shown_title(docs, "ar", RELEASE_SRC)


def test_language_switcher_shows_every_language(page: Any, full_site: Served) -> None:
    """Six languages: none may be cut off at the bottom of the open selector."""
    names = [entry["name"] for entry in yaml.safe_load((full_site.root / "data" / "languages.yml").read_text("utf-8"))]
    for lang in ("en", "ar"):
        page.goto(full_site.url(f"{lang}/{RELEASE}"))
        open_switcher(page)
        menu = box(page, ".md-header .md-select__inner")
        links = page.locator(".md-header .md-select__link")
        assert links.all_inner_texts() == names
        clipped = [
            f"{name} (bottom {b['bottom']:.0f} px, menu ends at {menu['bottom']:.0f} px)"
            for name, b in zip(names, (link.evaluate(_BOX) for link in links.all()))
            if b["bottom"] > menu["bottom"] + PX
        ]
        assert not clipped, f"/{lang}/: the open language selector cuts off " + ", ".join(clipped)


# --------------------------------------------------------------------------
# Arabic is right-to-left, and English is its mirror image

MIRRORED = [
    pytest.param("ar", "", id="ar-home"),
    pytest.param("ar", RELEASE, id="ar-release"),
    pytest.param("en", "", id="en-home"),
    pytest.param("en", RELEASE, id="en-release"),
]


@pytest.mark.parametrize(("lang", "path"), MIRRORED)
def test_layout_follows_the_writing_direction(page: Any, full_site: Served, tmp_path: Path, lang: str, path: str) -> None:
    rtl = lang == "ar"
    direction = "rtl" if rtl else "ltr"
    name = f"{lang}-{'release' if path else 'home'}"
    page.set_viewport_size(WIDE)
    page.goto(full_site.url(f"{lang}/{path}"))
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == (lang, direction)
    assert page.locator("body").get_attribute("dir") == direction
    screenshot(page, tmp_path, f"{name}-1280x800")
    width = WIDE["width"]

    # Header: the logo on the start side, the language button on the far side of the title.
    logo = box(page, ".md-header__button.md-logo")
    assert (centre(logo) > width / 2) == rtl, f"logo at x={logo['left']:.0f}–{logo['right']:.0f}"
    title = box(page, ".md-header__title")
    switcher = box(page, ".md-header .md-select")
    assert (switcher["right"] <= title["left"] + PX) if rtl else (switcher["left"] >= title["right"] - PX)

    # The primary sidebar (navigation) sits on the start side of the content.
    content = box(page, ".md-content")
    sidebar = box(page, ".md-sidebar--primary")
    if sidebar["width"] > 0:
        assert (sidebar["left"] >= content["right"] - PX) if rtl else (sidebar["right"] <= content["left"] + PX)

    # Headings start at the start edge of the content column.
    column = box(page, ".md-content__inner")
    assert style(page, "h1", "direction") == direction
    assert hugs_start(text_box(page, "h1"), column, rtl), f"h1 text {text_box(page, 'h1')} in column {column}"

    if path == RELEASE:
        # The dateline is one short line: it hugs the start edge and leaves the end edge free.
        assert style(page, ".nr-dateline", "direction") == direction
        dateline = text_box(page, ".nr-dateline")
        assert hugs_start(dateline, column, rtl), f"dateline text {dateline} in column {column}"
        assert start_gap_smaller(dateline, column, rtl)
        # Contacts: each line starts on the start side of its list item.
        assert style(page, ".nr-contacts li", "direction") == direction
        assert hugs_start(text_box(page, ".nr-contacts li a"), box(page, ".nr-contacts li"), rtl)
        # Facts: the label (dt) before its values (dd) in reading order.
        dt, dd = box(page, ".nr-facts__row dt"), box(page, ".nr-facts__row dd")
        assert (dt["left"] >= dd["right"] - PX) if rtl else (dt["right"] <= dd["left"] + PX)
        # A bulleted list as an author writes one in Markdown (no seed release
        # has one yet), styled by the page's own stylesheets: the marker gutter
        # is on the start side.
        page.locator(".nr-body").evaluate("e => e.insertAdjacentHTML('beforeend', '<ul id=\"probe-list\"><li>Un</li><li>Deux</li></ul>')")
        assert style(page, "#probe-list li", "direction") == direction
        assert style(page, "#probe-list", "list-style-position") == "outside"
        listed, item = box(page, "#probe-list"), box(page, "#probe-list li")
        gutter = (listed["right"] - item["right"]) if rtl else (item["left"] - listed["left"])
        far_side = (item["left"] - listed["left"]) if rtl else (listed["right"] - item["right"])
        assert gutter >= 10 and gutter > far_side, f"list markers not on the {'right' if rtl else 'left'}: list {listed}, item {item}"
        page.locator("#probe-list").evaluate("e => e.remove()")

    # The language selector opens under its button, inside the page, its names
    # starting on the start side.
    button = box(page, ".md-header .md-select button")
    open_switcher(page)
    menu = box(page, ".md-header .md-select__inner")
    assert menu["left"] >= 0 and menu["right"] <= width, f"menu {menu} leaves the page"
    assert menu["left"] <= centre(button) <= menu["right"], f"menu {menu} not under its button {button}"
    assert style(page, ".md-header .md-select__link", "direction") == direction
    for link in page.locator(".md-header .md-select__link").all():
        assert start_gap_smaller(link.evaluate(_TEXT_BOX), link.evaluate(_BOX), rtl), link.inner_text()
    screenshot(page, tmp_path, f"{name}-1280x800-switcher")

    # Phone: the menu button on the start side, the off-canvas drawer parked
    # beyond the start edge, the open language selector on the screen, and
    # nothing wider than the screen.
    page.set_viewport_size(PHONE)
    page.goto(full_site.url(f"{lang}/{path}"))
    screenshot(page, tmp_path, f"{name}-390x844")
    width = PHONE["width"]
    drawer_button = box(page, "label.md-header__button[for='__drawer']")
    assert (centre(drawer_button) > width / 2) == rtl, f"menu button at x={drawer_button['left']:.0f}–{drawer_button['right']:.0f}"
    drawer = box(page, ".md-sidebar--primary")
    assert (drawer["left"] >= width - PX) if rtl else (drawer["right"] <= PX), f"drawer parked at {drawer}"
    if path == RELEASE:
        assert hugs_start(text_box(page, ".nr-dateline"), box(page, ".md-content__inner"), rtl)
    too_wide = page.evaluate(_BEYOND_SCREEN)
    assert not too_wide, f"/{lang}/{path} at {width} px: wider than the screen: " + "; ".join(too_wide)
    open_switcher(page)
    screenshot(page, tmp_path, f"{name}-390x844-switcher")
    menu = box(page, ".md-header .md-select__inner")
    assert menu["left"] >= 0 and menu["right"] <= width, f"the open language selector leaves the screen: x={menu['left']:.0f}–{menu['right']:.0f}"


# When the page scrolls sideways: the outermost elements whose box crosses the
# left or right edge of the screen, invisible ones included (they still scroll).
_BEYOND_SCREEN = """() => {
  const out = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || (r.right <= innerWidth + 0.5 && r.left >= -0.5)) continue;
    // Fixed boxes (the off-canvas drawer) do not scroll the page.
    let fixed = false;
    for (let a = e; a && a !== document.body; a = a.parentElement) fixed ||= getComputedStyle(a).position === 'fixed';
    if (fixed) continue;
    if (out.some(o => o.el.contains(e))) continue;
    out.push({el: e, text: `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} at x=${Math.round(r.left)}–${Math.round(r.right)}`});
  }
  return document.scrollingElement.scrollWidth > innerWidth ? out.map(o => o.text) : [];
}"""


def test_latin_programme_names_keep_their_order_in_arabic(page: Any, full_site: Served) -> None:
    """A name such as "CT TECH+" must not read "+CT TECH" in a right-to-left line.

    Each character of a Latin-script programme name that a template draws (card
    meta, card title, facts) must sit to the right of the one before it. The
    bidi algorithm gives a trailing "+" the direction of the line unless the
    name is isolated with its own direction (<bdi> or dir="auto").
    """
    misplaced: list[str] = []
    for path in ("", RELEASE):
        page.goto(full_site.url(f"ar/{path}"))
        for element in page.locator(".nr-card__programme, .nr-card__title a, .nr-facts a[href*='programmes/']").all():
            text = element.inner_text()
            if not re.fullmatch(r"[\x20-\x7e]+", text):
                continue
            order = element.evaluate(
                """e => { const t = e.firstChild; const xs = [];
                   for (let i = 0; i < t.length; i++) { if (t.data[i] === ' ') continue;
                     const g = document.createRange(); g.setStart(t, i); g.setEnd(t, i + 1); xs.push(g.getBoundingClientRect().left); }
                   return xs; }"""
            )
            if order != sorted(order):
                where = element.evaluate("e => e.closest('.nr-card__meta, .nr-card__title, .nr-facts__row').className")
                misplaced.append(f"/ar/{path} .{where}: {text!r} is drawn out of order")
    assert not misplaced, "\n".join(misplaced)


# --------------------------------------------------------------------------
# An untranslated page falls back to English, at the French address


@pytest.fixture(scope="module")
def without_one_french_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, str]]:
    """The project with one French resource removed, built in en and fr and served."""
    root = tmp_path_factory.mktemp("fallback")
    sitebuild.assemble(root, None)
    english = sorted(p for p in (root / "docs" / "en" / "resources").glob("*.md") if p.name != "index.md")
    slug = english[0].stem
    (root / "docs" / "fr" / "resources" / f"{slug}.md").unlink(missing_ok=True)
    for lang in ("en", "fr"):
        built = sitebuild.build(root, lang)
        assert built.ok, built.output
    with serve(root / "site") as served:
        served.root = root
        yield served, slug


def test_switching_to_an_untranslated_page_falls_back_to_english(page: Any, without_one_french_page: tuple[Served, str]) -> None:
    site, slug = without_one_french_page
    page.goto(site.url(f"en/resources/{slug}/"))
    english_title = front_matter(site.root / "docs" / "en" / "resources" / f"{slug}.md")["title"]

    response = switch_language(page, "Français")
    assert response.status == 200
    assert page.url == site.url(f"fr/resources/{slug}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    notice = page.locator("aside.nr-notice[data-translation=missing]")
    assert notice.is_visible()
    french = yaml.safe_load((site.root / "data" / "strings" / "fr.yml").read_text("utf-8"))
    assert notice.inner_text().strip() == french["translation_missing"]
    heading = page.locator("[lang=en] h1")
    assert heading.count() == 1 and heading.inner_text() == english_title


# --------------------------------------------------------------------------
# Nothing is fetched from anywhere but the site, and nothing fetched is missing

# The root page sends the reader on to a language with location.replace(),
# which aborts its own load: that one failure is the redirect working.
PAGE_LOADS = ("", "en/", "ar/", "zh/", f"en/{RELEASE}", f"ar/{RELEASE}", "ar/programmes/ct-tech-plus/")


@dataclass
class PageLoads:
    requests: list[str]
    failures: list[str]


@pytest.fixture(scope="module")
def page_loads(browser: Any, full_site: Served) -> PageLoads:
    """Every request made while loading PAGE_LOADS, and every failed or unanswered one."""
    loads = PageLoads([], [])
    root = full_site.url("")
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()

    def failed(request: Any) -> None:
        if (request.url, request.failure) != (root, "net::ERR_ABORTED"):
            loads.failures.append(f"{request.url}: {request.failure}")

    page.on("request", lambda request: loads.requests.append(request.url))
    page.on("requestfailed", failed)
    page.on("response", lambda response: response.status >= 400 and loads.failures.append(f"HTTP {response.status} {response.url}"))
    try:
        for path in PAGE_LOADS:
            page.goto(full_site.url(path), wait_until="networkidle")
            if path == "":
                page.wait_for_url(full_site.url("en/"))
    finally:
        context.close()
    return loads


def test_no_request_leaves_the_site(page_loads: PageLoads, full_site: Served) -> None:
    assert len(page_loads.requests) > len(PAGE_LOADS)
    here = f"127.0.0.1:{full_site.port}"
    outside = [url for url in page_loads.requests if not url.startswith(("data:", "blob:")) and urlsplit(url).netloc != here]
    assert not outside, "requests left the site:\n" + "\n".join(outside)


def test_every_request_is_answered(page_loads: PageLoads) -> None:
    """No page asks for a file the site does not have.

    Material's alternate-language script fetches `sitemap.xml` relative to
    every <link rel="alternate"> in the head, taking each for a language's
    home: only the feeds, in the language's root, have such links
    (overrides/main.html), and the sitemap there is a small index.
    """
    failures = page_loads.failures
    distinct = sorted(set(failures))
    assert not failures, f"{len(failures)} failed requests ({len(distinct)} distinct):\n" + "\n".join(distinct)


def test_language_switch_goes_straight_to_the_page(page: Any, full_site: Served) -> None:
    """The switcher's link is followed as written, not rewritten into a URL that only a redirect rescues.

    Material's alternate-language script intercepts clicks on links that start
    with an alternate's URL and navigates to that URL without its trailing
    slash; a host that does not redirect /fr/x to /fr/x/ would answer 404.
    """
    page.goto(full_site.url(f"en/{RELEASE}"))
    href = page.locator(".md-header .md-select__link[hreflang=fr]").evaluate("a => a.href")
    assert href == full_site.url(f"fr/{RELEASE}")
    response = switch_language(page, "Français")
    first = response.request
    while first.redirected_from is not None:
        first = first.redirected_from
    assert first.url == href, f"the switcher asked for {first.url}, then was redirected to {response.url}"


@pytest.mark.parametrize("path", [f"en/{RELEASE}", f"ar/{RELEASE}", "en/programmes/ai-pol/"])
def test_a_page_view_does_not_download_the_archive(browser: Any, full_site: Served, path: str) -> None:
    """A first view fetches no list of every page: the only sitemap Material's
    bundle asks for is the language's small index (overrides/sitemap.xml)."""
    context = browser.new_context(viewport=WIDE)
    responses: list[Any] = []
    try:
        page = context.new_page()
        page.on("response", lambda response: responses.append(response))
        page.goto(full_site.url(path), wait_until="networkidle")
        sitemaps = [r for r in responses if "sitemap" in urlsplit(r.url).path]
        assert sitemaps, "Material's bundle no longer asks for sitemap.xml: see whether the index is still needed"
        lang = path.split("/")[0]
        for response in sitemaps:
            assert response.url == full_site.url(f"{lang}/sitemap.xml") and response.status == 200, response.url
            assert b"<sitemapindex" in response.body() and b"<url>" not in response.body()
    finally:
        context.close()


@pytest.mark.parametrize(("lang", "style"), [("en", "italic"), ("ar", "normal"), ("zh", "normal")])
def test_quotations_are_not_slanted_where_the_script_has_no_italic(page: Any, full_site: Served, lang: str, style: str) -> None:
    """The release's quotations are emphasised (<em>); Arabic and Chinese
    fonts have no italic, so a browser would slant the letters itself."""
    page.goto(full_site.url(f"{lang}/{RELEASE}"))
    styles = page.eval_on_selector_all(".nr-body em", "els => els.map(e => getComputedStyle(e).fontStyle)")
    assert styles and set(styles) == {style}
