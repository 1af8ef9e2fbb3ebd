"""Hostile input: nothing a content file says can run in a reader's browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import sitebuild

from newsroom.feedhtml import absolute_html
from newsroom.sanitise import clean, reserved_id, template_ids, unsafe_url

HOSTILE_TITLE = "Tom & Jerry: 3 < 4 > 2 \"quoted\" 'single' 🎉 & more"


def test_front_matter_title_is_text_on_every_page(sites):
    built = sites.get("hostile-feed", NEWSROOM_SITE_NAME='News & <Views> "Q" 🗞')
    assert built.ok, built.output
    pages = list((built.site / "en").rglob("*.html"))
    assert len(pages) > 10
    seen_as_text = 0
    for path in pages:
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        # Markup in the site name, location or summary would have become
        # elements. (A tag in a title is refused: schema x-plain-text.)
        assert not soup.find("views") and not soup.find("city") and not soup.find("tags"), path
        seen_as_text += HOSTILE_TITLE in soup.get_text()
        title = soup.find("title").get_text()
        assert "3 < 4 > 2" not in title or HOSTILE_TITLE in title, path
    release = BeautifulSoup((built.site / "en/news/2024/hostile-values/index.html").read_text("utf-8"), "html.parser")
    assert release.find("title").get_text() == f'{HOSTILE_TITLE} - News & <Views> "Q" 🗞'
    assert release.select_one("h1").get_text() == HOSTILE_TITLE
    assert release.select_one(".md-header__topic:last-child .md-ellipsis").get_text(strip=True) == HOSTILE_TITLE
    assert seen_as_text >= 4  # the release, news index, year page, programme pages


HOSTILE_HTML = [
    "Can't publish docs/en/news/2024/attacks.md:",
    "  line 13: <script> elements are not allowed: scripts cannot be part of a page's content. Remove it.",
    '  line 15: the onclick="..." attribute on <p> would run code when a reader interacts with the page. Remove it.',
    '  line 17: the address "JaVaScRiPt:alert(1)" uses a scheme that can run code or hide content. Use an https://, mailto: or tel: address, or a relative link.',
    '  line 19: the address "javascript:alert(1)" uses a scheme that can run code or hide content. Use an https://, mailto: or tel: address, or a relative link.',
    '  line 21: the address "java?script:alert(1)" uses a scheme that can run code or hide content. Use an https://, mailto: or tel: address, or a relative link.',
    '  line 23: the address "vbscript:msgbox(1)" uses a scheme that can run code or hide content. Use an https://, mailto: or tel: address, or a relative link.',
    '  line 23: the address "data:image/png;base64,AAAA" uses a scheme that can run code or hide content. Use an https://, mailto: or tel: address, or a relative link.',
    "  line 25: <iframe> elements are not allowed: embedded frames load other sites into ours. Remove it.",
    "  line 27: <object> elements are not allowed: embedded objects can run code. Remove it.",
    "  line 29: <embed> elements are not allowed: embedded objects can run code. Remove it.",
    "  line 31: <style> elements are not allowed: styling comes from the site's theme, not from content. Remove it.",
    "  line 33: a style attribute on <span> is not allowed: styling comes from the site's theme. Remove it.",
    "  line 35: <form> elements are not allowed: forms cannot be part of a page's content. Remove it.",
    "  line 37: <meta> elements are not allowed: page metadata comes from the front-matter. Remove it.",
    "  line 39: <base> elements are not allowed: it would change where every link on the page points. Remove it.",
    "  line 41: <link> elements are not allowed: pages cannot load outside resources. Remove it.",
    "  line 43: <svg> elements are not allowed: inline SVG can carry scripts; use a PNG, JPEG or WebP image instead. Remove it.",
    '  line 46: the onmouseover="..." attribute on <p> would run code when a reader interacts with the page. Remove it.',
    '  line 48: the image "https://tracker.example/pixel.gif" is on another site, which would learn of every reader who opens the page. Store the image with the site: put the file in an images/ folder beside the page and give its path, e.g. images/photo.jpg.',
    '  line 50: the image "//tracker.example/p.gif" is on another site, which would learn of every reader who opens the page. Store the image with the site: put the file in an images/ folder beside the page and give its path, e.g. images/photo.jpg.',
    "Fix what is named above, then save again.",
]


def test_executable_markup_stops_the_build_naming_file_and_line(sites):
    """The build holds MkDocs' own rendering of each page to the policy."""
    built = sites.get("hostile-html")
    assert built.returncode != 0 and "Traceback" not in built.output
    assert "\n".join(HOSTILE_HTML) in built.output
    assert not (built.site / "en" / "news" / "2024" / "attacks").exists()


def test_executable_markup_is_refused_by_the_check_with_the_same_words(tmp_path):
    sitebuild.assemble(tmp_path, "hostile-html")
    assert sitebuild.validated(tmp_path) == HOSTILE_HTML


HOSTILE_IDS = [
    "Can't publish docs/en/news/2024/theme-takeover.md:",
    '  line 13: the id "__config" on <details> is reserved for the site itself (ids starting with __, md- or nr-, and those of its templates): the site would find this element instead of its own. Choose another id.',
    '  line 15: the heading "__config" gets the id "__config" from its text, which is reserved for the site itself (ids starting with __, md- or nr-, and those of its templates): the site would find this element instead of its own. Reword the heading, or give it another id by ending its line with {#another-id}.',
    '  line 18: the id "md-header" on <p> is reserved for the site itself (ids starting with __, md- or nr-, and those of its templates): the site would find this element instead of its own. Choose another id.',
    "  line 20: the class \"md-banner\" on <p> is not allowed: the look of a page comes from the site's theme, and content may only carry the classes Markdown writes itself (footnotes, [TOC], a code block's language). Remove it.",
    '  line 22: the id "nr-search" on <span> is reserved for the site itself (ids starting with __, md- or nr-, and those of its templates): the site would find this element instead of its own. Choose another id.',
    '  line 24: the id "__Drawer" on <div> is reserved for the site itself (ids starting with __, md- or nr-, and those of its templates): the site would find this element instead of its own. Choose another id.',
    "  line 27: the class \"lead\" on <p> is not allowed: the look of a page comes from the site's theme, and content may only carry the classes Markdown writes itself (footnotes, [TOC], a code block's language). Remove it.",
    "Fix what is named above, then save again.",
]


def test_theme_ids_and_classes_are_refused_naming_file_and_line(tmp_path):
    """<details id="__config"> came before Material's own configuration and,
    with a `base` elsewhere, made a click load another site's script. (The
    build applies the same rules to its own rendering: the test above.)"""
    sitebuild.assemble(tmp_path, "hostile-ids")
    assert sitebuild.validated(tmp_path) == HOSTILE_IDS


def test_template_ids_are_read_from_the_templates():
    import material

    ids = template_ids([sitebuild.PROJECT / "overrides", Path(material.__file__).parent / "templates"])
    # Material's configuration and toggles, and ours, whatever their prefix.
    assert {"__config", "__drawer", "__search", "nr-content", "nr-search", "nr-contacts"} <= ids
    assert reserved_id("search-results", frozenset({"search-results"})) and not reserved_id("search-results")


@pytest.mark.parametrize(
    ("html", "cleaned"),
    [
        ('<details id="__config"><summary>x</summary></details>', "<details><summary>x</summary></details>"),
        ('<p id=" MD-Header ">x</p>', "<p>x</p>"),
        ('<p class="md-banner footnote">x</p>', "<p>x</p>"),
        ('<div class="footnote md-typeset">x</div>', '<div class="footnote">x</div>'),
        ('<pre><code class="language-python md-banner">x</code></pre>', '<pre><code class="language-python">x</code></pre>'),
        ('<h2 id="results">x</h2>', '<h2 id="results">x</h2>'),
        ('<img src="https://tracker.example/p.gif" alt="p">', '<img alt="p">'),
        ('<img src="../images/p.png" alt="p">', '<img src="../images/p.png" alt="p">'),
    ],
)
def test_backstop_drops_reserved_ids_foreign_classes_and_images_elsewhere(html, cleaned):
    """Should the loud check ever miss one (lxml and browsers parse differently), nh3 drops it."""
    assert clean(html) == cleaned
    assert clean('<p id="results">x</p>', frozenset({"results"})) == "<p>x</p>"


def _not_published(kind: str) -> str:
    return f"  file: {kind} not published. Only Markdown pages (.md), images (.jpg, .jpeg, .png, .webp, .gif, .avif) and PDF documents (.pdf) are published from docs/: other files, such as HTML, SVG or scripts, could run code on the site. Remove this file; save a picture as PNG or JPEG, and a document as PDF."


def _refused_files(*blocks: tuple[str, str]) -> list[str]:
    lines = []
    for path, line in blocks:
        lines += [f"Can't publish {path}:", line, "Fix what is named above, then save again."]
    return lines


ENGLISH_FILES = [
    # A real PNG, but at the address of the site's feed and link-preview logo.
    ("docs/en/assets/images/newsroom-feed.png", "  file: the site has its own file at this address (assets/images/newsroom-feed.png), which this file would replace on every page. Put it in another folder, e.g. images/ beside the page that shows it."),
    ("docs/en/news/2024/attachment.html", _not_published(".html files are")),
    ("docs/en/news/2024/images/chart.svg", _not_published(".svg files are")),
    ("docs/en/news/2024/images/photo.png", "  file: the name says PNG image, but the content is not one. Save it again as a PNG image, or remove this file."),
    ("docs/en/news/2024/payload", _not_published("files without a type at the end of their name (such as .png or .pdf) are")),
    ("docs/en/news/2024/style.css", _not_published(".css files are")),
    ("docs/en/sw.js", _not_published(".js files are")),
]
HOSTILE_FILES = _refused_files(*ENGLISH_FILES)
# docs/fr/ also holds an .htm file; French falls back to every English file.
HOSTILE_FILES_FR = _refused_files(*ENGLISH_FILES, ("docs/fr/news/2024/annexe.htm", _not_published(".htm files are")))


@pytest.mark.parametrize(("lang", "expected"), [("en", HOSTILE_FILES), ("fr", HOSTILE_FILES_FR)])
def test_files_of_other_types_are_refused(tmp_path, lang, expected):
    """An .html or .svg file beside a release ran script in the site's origin,
    and a .js file could register a service worker over /en/."""
    sitebuild.assemble(tmp_path, "hostile-files")
    assert sitebuild.validated(tmp_path, [lang], render=False) == expected  # as that language's build calls it


def test_files_of_other_types_stop_the_build(sites):
    built = sites.get("hostile-files", "fr")
    assert built.returncode != 0 and "Traceback" not in built.output
    assert "\n".join(HOSTILE_FILES_FR) in built.output, built.output
    assert not (built.site / "fr").exists() or not any((built.site / "fr").rglob("*.html"))


def test_files_mkdocs_leaves_out_stay_out_in_every_language(tmp_path):
    """A .gitkeep, a dot-folder and templates/ are never published, so they are
    not refused either, and the English fallback does not copy them."""
    root = tmp_path / "project"
    root.mkdir()
    sitebuild.assemble(root, "hostile-files")
    for path, _ in ENGLISH_FILES:
        (root / path).unlink()
    (root / "docs/fr/news/2024/annexe.htm").unlink()
    for lang in ("en", "fr"):
        built = sitebuild.build(root, lang)
        assert built.ok, built.output
        published = {p.relative_to(built.site / lang).as_posix() for p in (built.site / lang).rglob("*") if p.is_file()}
        assert "news/2024/files-beside-a-release/index.html" in published
        assert not {p for p in published if p.startswith((".well-known", "templates/", "news/2024/.gitkeep"))}, lang


def test_safe_content_keeps_working(sites):
    built = sites.get("safe-html")
    assert built.ok, built.output
    body = built.html("news/2024/safe-content/").select_one(".nr-body")
    hrefs = [a["href"] for a in body.select("a[href]")]
    assert "../../../programmes/alpha/" in hrefs
    assert "https://www.un.org/" in hrefs and "mailto:press@example.org" in hrefs and "tel:+12129631234" in hrefs
    assert body.select_one("table th[align=left]").get_text() == "Region"
    assert body.select_one("table td[align=right]").get_text() == "3"
    image = body.select_one("img")
    assert image["alt"] == "A bar chart of projects per region" and image["src"] == "../images/chart.png"
    assert body.select_one('abbr[title="United Nations Interregional Crime and Justice Research Institute"]').get_text() == "UNICRI"
    assert "Since 2015, according to the release." in body.select_one(".footnote").get_text()
    assert body.select_one("sup a[href^='#fn']") is not None
    text = body.get_text()
    assert "A literal <script> tag written as text stays visible" in text
    assert body.select_one("code").get_text() == "<script>"
    assert body.select_one("p#intro").get_text(strip=True) == "A paragraph with an id of its own."
    assert body.select_one("pre code.language-python").get_text() == 'print("a code block keeps its language")\n'
    assert [a["class"] for a in body.select("sup a")] == [["footnote-ref"]] and body.select_one("div.footnote a.footnote-backref")
    assert not body.select("script")


@pytest.mark.parametrize(
    "address",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:x",
     "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)", "&amp;#106;avascript:x", "vbscript:msgbox(1)",
     "data:text/html;base64,PHNjcmlwdD4=", "DATA:image/svg+xml,<svg onload=alert(1)>", "\x01javascript:x", "file:///etc/passwd"],
)
def test_unsafe_addresses_in_every_disguise(address):
    assert unsafe_url(address)


@pytest.mark.parametrize("address", ["https://www.un.org/", "http://example.org/a:b", "mailto:a@b.org", "tel:+123", "../x/", "#top", "x.png", "?q=a:b", "//cdn.example/x"])
def test_safe_addresses(address):
    assert not unsafe_url(address)


def test_feed_html_is_cleaned_even_if_a_check_missed_something():
    dirty = '<p onclick="x()">Hi <a href="javascript:x()">a</a> <a href="../y/">b</a></p><script>x()</script><iframe src="https://e/"></iframe><img src="i.png" onerror="x()" alt="i">'
    clean = absolute_html(dirty, "https://site.test/en/news/2024/z/")
    soup = BeautifulSoup(clean, "html.parser")
    assert not soup.select("script, iframe") and "onclick" not in clean and "onerror" not in clean
    assert [a.get("href") for a in soup.select("a")] == [None, "https://site.test/en/news/2024/y/"]
    assert soup.select_one("img")["src"] == "https://site.test/en/news/2024/z/i.png"


# Every script is a file of the theme's or ours: the Content-Security-Policy
# allows no inline script (tests/test_csp.py). Material's own inline scripts
# are moved to assets/javascripts/material-*.js.
SCRIPT_SOURCES = ("assets/javascripts/bundle.", "assets/javascripts/material-", "assets/javascripts/search.js", "assets/javascripts/share.js")


@pytest.mark.parametrize("fixture", [None, "hostile-feed", "safe-html"])
def test_no_executable_markup_from_content_anywhere(sites, fixture):
    """Scan every built page: scripts are only the theme's and ours; content has none."""
    built = sites.get(fixture, **({"NEWSROOM_SITE_NAME": 'News & <Views> "Q" 🗞'} if fixture == "hostile-feed" else {}))
    assert built.ok, built.output
    pages = list((built.site / "en").rglob("*.html"))
    for path in pages:
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for script in soup.find_all("script"):
            if script.get("src"):
                assert any(marker in script["src"] for marker in SCRIPT_SOURCES), (path, script["src"])
            else:
                code = (script.string or "").strip()
                if script.get("type") == "application/ld+json":
                    json.loads(code)  # data, never run: it must parse as JSON
                    assert "</" not in code, (path, "JSON-LD could end its script element")
                    continue
                # Material's configuration: data, never run.
                assert script.get("id") == "__config" and script.get("type") == "application/json", (path, code[:200])
        content = soup.select_one(".md-content") or soup
        for element in content.find_all(True):
            assert element.name not in ("script", "iframe", "object", "embed", "style", "form", "base", "meta", "link", "svg") or element.find_parent(class_="md-content__button"), (path, element.name)
            for name, value in element.attrs.items():
                assert not name.lower().startswith("on"), (path, element.name, name)
                if name in ("href", "src"):
                    assert not unsafe_url(str(value)), (path, value)


# --------------------------------------------------------------------------
# The whole real site, six languages (the session build of `newsroom.cli build`).

# What the site itself writes: pages, feeds and sitemaps, Material's and our
# styles and scripts (with source maps), images, Pagefind's index and its
# WebAssembly, robots.txt. A file copied from docs/ must be of a type
# newsroom/paths.py publishes.
# What the site writes itself; .yml and .wasm are the web editor's (admin/config.yml,
# and the WebAssembly parts of Decap CMS copied from node_modules).
SITE_TYPES = {".html", ".xml", ".gz", ".json", ".css", ".js", ".map", ".png", ".txt", ".yml", ".wasm", ".pagefind", ".pf_fragment", ".pf_filter", ".pf_index", ".pf_meta"}


def _plain_page(relative: Path) -> bool:
    """Whether a built page is a plain Markdown page (such as about/publishing),
    whose text Material's content partial writes straight into the article."""
    folder = relative.parent
    if not folder.parts or folder.parts[0] in ("news", "programmes", "resources", "organisations"):
        return False
    english = sitebuild.PROJECT / "docs" / "en"
    return (english / f"{folder.as_posix()}.md").is_file() or (english / folder / "index.md").is_file()


def _content_elements(soup: BeautifulSoup, relative: Path) -> set[int]:
    """The elements that come from a page's Markdown: .nr-body (releases,
    programmes, resources), .nr-intro (home), or, on a plain page, what
    Material's content partial writes into the article after our own parts.
    Pages the site makes (listings, organisations, 404) have none."""
    roots = soup.select(".nr-body, .nr-intro")
    if not roots and _plain_page(relative):
        article = soup.select_one("article.md-content__inner")
        roots = [c for c in article.find_all(True, recursive=False) if c.get("id") != "nr-content" and "nr-notice" not in (c.get("class") or [])]
    return {id(e) for root in roots for e in [root, *root.find_all(True)]}


def test_whole_site_no_theme_id_twice_and_every_id_outside_content_reserved(sites):
    import material

    project = sites.project()
    reserved = template_ids([sitebuild.PROJECT / "overrides", Path(material.__file__).parent / "templates"])
    pages = sorted(project.site.rglob("*.html"))
    assert len(pages) > 6 * 20
    content_ids = 0
    for path in pages:
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        relative = path.relative_to(project.site)
        inside = _content_elements(soup, Path(*relative.parts[1:]) if len(relative.parts) > 1 else relative)
        counts: dict[str, int] = {}
        for element in soup.find_all(id=True):
            counts[element["id"]] = counts.get(element["id"], 0) + 1
            if id(element) in inside:
                content_ids += 1
                assert not reserved_id(element["id"], reserved), (path, element["id"])
            else:
                # The chrome's ids are all covered: by a prefix, or read from the templates.
                assert reserved_id(element["id"], reserved), (path, element.name, element["id"])
        assert not [i for i, n in counts.items() if n > 1 and reserved_id(i, reserved)], path
    assert content_ids > 50  # headings and footnotes of the real content were looked at


def test_whole_site_publishes_only_allowed_file_types(sites):
    from newsroom.paths import PUBLISHED_SUFFIXES

    project = sites.project()
    docs = sitebuild.PROJECT / "docs"
    seen: set[str] = set()
    for path in (p for p in project.site.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        seen.add(suffix)
        assert suffix in SITE_TYPES, path
        relative = path.relative_to(project.site)
        if len(relative.parts) > 1:
            lang, rest = relative.parts[0], Path(*relative.parts[1:])
            if (docs / lang / rest).is_file() or (docs / "en" / rest).is_file():
                assert suffix in PUBLISHED_SUFFIXES, path
    assert {".html", ".xml", ".js", ".css", ".pf_fragment"} <= seen


# --------------------------------------------------------------------------
# Content that is allowed carries nothing executable: every page of these
# fixtures in Chromium, and a search whose excerpt holds text shaped like markup.

ALLOWED = {
    "safe-html": {},
    "hostile-feed": {"NEWSROOM_SITE_NAME": 'News & <Views> "Q" 🗞'},
    "embargo-files": {"NEWSROOM_NOW": "2024-06-01T11:00:00Z"},
}


@pytest.mark.parametrize("fixture", list(ALLOWED))
def test_allowed_content_runs_nothing_in_chromium(tmp_path, browser, fixture):
    from conftest import serve

    root = tmp_path / "project"
    root.mkdir()
    sitebuild.assemble(root, fixture)

    def build(port: int) -> None:
        built = sitebuild.build(root, "en", {**ALLOWED[fixture], "NEWSROOM_SITE_URL": f"http://127.0.0.1:{port}/en/"})
        assert built.ok, built.output

    with serve(root / "site", build) as served:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.set_default_timeout(10_000)
        dialogs, errors, foreign, workers = [], [], [], []
        context.on("serviceworker", lambda worker: workers.append(worker.url))
        context.on("request", lambda request: None if request.url.startswith((served.base_url, "data:", "blob:")) else foreign.append(request.url))
        try:
            page = context.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.on("pageerror", lambda error: errors.append(str(error)))
            pages = sorted((root / "site" / "en").rglob("index.html"))
            assert len(pages) > 8
            for path in pages:
                page.goto(served.url(path.relative_to(root / "site").parent.as_posix() + "/"), wait_until="load")
                assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
            if fixture == "safe-html":
                page.goto(served.url("en/"))
                page.keyboard.press("/")
                page.fill("#nr-search-input", "quillwort")
                result = page.locator(".nr-search__results li").first
                result.wait_for()
                assert 'alert("excerpt")' in result.inner_text()
                assert page.locator(".nr-search__results img").count() == 0
        finally:
            context.close()
    assert dialogs == [] and errors == [] and foreign == [] and workers == []
