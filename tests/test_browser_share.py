"""Release pages with images, share and print, in Debian's Chromium.

tests/fixtures/release-design (generated lead images, documents, contacts)
built in every language by `newsroom.cli build` for a loopback address and
served there. In the browser: "Copy link" copies the page's address (and is a
plain link without JavaScript), "Print" prints, nothing is requested from
another origin, images take the size their place needs and move nothing
(no layout shift), and axe-core and the Content-Security-Policy find nothing
on these pages, light and dark.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

import sitebuild
from conftest import Served, serve
from test_accessibility import axe_source, axe_violations, context_for  # noqa: F401 (axe_source is a fixture)
from test_csp import SCHEMES, settle, watching

PHOTO = "news/2024/with-photo/"
PAGES = {"release with an image": PHOTO, "home with a lead story": "", "news": "news/", "programme": "programmes/alpha/"}
STRINGS = {code: yaml.safe_load((sitebuild.PROJECT / "data" / "strings" / f"{code}.yml").read_text("utf-8")) for code in ("en", "ar")}
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def designed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("release-design-site")
    sitebuild.assemble(root, "release-design")
    site = root / "site"

    def build(port: int) -> None:
        command = [sys.executable, "-m", "newsroom.cli", "build", "--site-dir", str(site), "--site-url", f"http://127.0.0.1:{port}/"]
        done = subprocess.run(command, cwd=root, env=sitebuild.build_env(), capture_output=True, text=True)
        if done.returncode != 0:
            pytest.fail(f"`newsroom.cli build` failed in {root}:\n{done.stdout}{done.stderr}", pytrace=False)

    with serve(site, build) as served:
        yield served


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_copy_link_copies_the_address_of_the_page(designed_site: Served, browser: Any, lang: str) -> None:
    context = browser.new_context(viewport=WIDE, permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        url = designed_site.url(f"{lang}/{PHOTO}")
        page.goto(url)
        page.click(".nr-share__copy")
        page.wait_for_function("text => document.querySelector('.nr-share__status').textContent === text", arg=STRINGS[lang]["share_copied"])
        assert page.evaluate("() => navigator.clipboard.readText()") == url
        assert page.url == url, "the click copied; it did not follow the link"
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_print_opens_the_print_dialog(designed_site: Served, browser: Any, lang: str) -> None:
    context = browser.new_context(viewport=WIDE)
    try:
        page = context.new_page()
        page.goto(designed_site.url(f"{lang}/{PHOTO}"))
        button = page.locator("button.nr-share__print")
        assert button.is_visible() and button.inner_text() == STRINGS[lang]["print"]
        page.evaluate("() => { window.printed = 0; window.addEventListener('beforeprint', () => { window.printed += 1; }); }")
        button.click()
        page.wait_for_function("() => window.printed === 1")
        # What prints: the release, without the share and print controls.
        page.emulate_media(media="print")
        assert page.locator(".nr-share").evaluate("e => getComputedStyle(e).display") == "none"
        assert page.locator(".nr-figure img").is_visible() and page.locator(".nr-contacts").is_visible()
    finally:
        context.close()


def test_without_javascript_copy_link_is_a_link_and_print_is_not_offered(designed_site: Served, browser: Any) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        url = designed_site.url(f"en/{PHOTO}")
        page.goto(url)
        assert not page.locator("button.nr-share__print").is_visible()
        assert page.locator(".nr-figure img").is_visible()
        page.click(".nr-share__copy")
        page.wait_for_load_state()
        assert page.url == url and page.locator("h1").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["390", "1280"])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_nothing_from_another_origin_and_images_fit_their_place_without_moving(designed_site: Served, browser: Any, lang: str, viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    try:
        page = context.new_page()
        for name, path in PAGES.items():
            page.goto(designed_site.url(f"{lang}/{path}"))
            page.evaluate("() => { window.shifts = 0; new PerformanceObserver(list => { for (const entry of list.getEntries()) window.shifts += entry.value; }).observe({type: 'layout-shift', buffered: true}); }")
            # Scroll through, so lazy images load, and wait until all have.
            page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_function("() => [...document.images].every(image => image.complete)")
            settle(page)
            images = page.evaluate(
                "() => [...document.querySelectorAll('img.nr-card__image, img.nr-figure__image')]"
                ".map(image => ({src: image.currentSrc, shown: image.getBoundingClientRect().width, natural: image.naturalWidth, largest: Math.max(...image.srcset.split(',').map(c => parseInt(c.trim().split(' ')[1])))}))"
            )
            assert images, name
            for image in images:
                # The smallest size that fills its place, or the largest there is.
                assert image["natural"] >= min(image["shown"], image["largest"]) - 1, (name, image)
            assert page.evaluate("() => window.shifts") == 0, f"{name}: layout shift"
    finally:
        context.close()
    foreign = [url for url in requested if not url.startswith(designed_site.base_url)]
    assert not foreign, foreign
    assert any("/assets/images/sizes/" in url for url in requested)


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_axe_finds_nothing_on_pages_with_images(designed_site: Served, browser: Any, axe_source: str, lang: str, scheme: str) -> None:  # noqa: F811
    context = context_for(browser, scheme)
    try:
        page = context.new_page()
        for name, path in PAGES.items():
            page.goto(designed_site.url(f"{lang}/{path}"))
            assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
            violations = axe_violations(page, axe_source)
            assert not violations, f"{name} ({lang}, {scheme}): {violations}"
    finally:
        context.close()


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_no_policy_violation_on_pages_with_images_and_share(designed_site: Served, browser: Any, scheme: str) -> None:
    with watching(browser, color_scheme=scheme, permissions=["clipboard-read", "clipboard-write"]) as watched:
        page = watched.page
        for lang in ("en", "ar"):
            for path in PAGES.values():
                page.goto(designed_site.url(f"{lang}/{path}"))
                settle(page)
            page.goto(designed_site.url(f"{lang}/{PHOTO}"))
            page.click(".nr-share__copy")
            page.wait_for_function("() => document.querySelector('.nr-share__status').textContent !== ''")
        assert not watched.problems(), "\n".join(watched.problems())


def test_pages_with_images_documents_and_share_are_valid_html(designed_site: Served) -> None:
    """The Nu Html Checker on the whole fixture site (test_html_valid.py runs
    it on the project, which has no lead image or document)."""
    import json
    import shutil

    from test_html_valid import VNU, Message

    if not VNU.exists() or not shutil.which("java"):
        pytest.fail("The Nu Html Checker needs node_modules (npm ci) and Java (make test installs both).", pytrace=False)
    done = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json", str(designed_site.site)], capture_output=True, text=True)
    messages = [Message(m.get("url", "?").rsplit("/site/", 1)[-1], m.get("lastLine", 0), m.get("firstColumn", 0), m["message"], m.get("extract", "")) for m in json.loads(done.stderr or done.stdout)["messages"] if m.get("type") == "error"]
    ours = [m for m in messages if not m.from_material_base]
    assert not ours, "\n".join(map(str, ours))
