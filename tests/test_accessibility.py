"""Accessibility in a real browser (ARCHITECTURE.md §5): axe-core's WCAG 2.1 A
and AA rules on every page type (with their breadcrumb, tabs and footer), in
every language, in the light and the dark colour scheme; then the keyboard:
a skip link, visible focus, search.

Debian's Chromium, driven by Playwright (conftest.py: `browser`, `full_site`).
axe-core comes from node_modules (package-lock.json; `make test` runs npm ci)
and is run in each page as it is (never fetched, never added as a <script>,
which the site's Content-Security-Policy would refuse). The dark scheme is the
reader's system setting, `prefers-color-scheme: dark`, which mkdocs.yml's
palette follows; each test checks Material really applied it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml

import sitebuild
from conftest import Served

AXE = sitebuild.PROJECT / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = [entry["code"] for entry in yaml.safe_load((sitebuild.PROJECT / "data" / "languages.yml").read_text("utf-8"))]
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material's palette scheme
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RELEASE = "news/2024/from-emerging-tech-to-responsible-ai/"
RELEASE_WITH_HEADINGS = "news/2020/counter-terrorism-in-the-age-of-artificial-intelligence/"
PAGES = {
    "home": "",
    "news index": "news/",
    "year": "news/2024/",
    "release": RELEASE,
    "programmes": "programmes/",
    "programme": "programmes/ai-pol/",
    "programme part of another": "programmes/counter-terrorism-in-the-age-of-ai/",
    "organisations": "organisations/",
    "organisation": "organisations/unicri/",
    "resources": "resources/",
    "resource": "resources/toolkit-for-responsible-ai-innovation-in-law-enforcement/",
    "accessibility statement": "about/accessibility/",
    "privacy note": "about/privacy/",
    "404": "404.html",
}
# A programme name kept in Latin letters in every translation: found everywhere.
SEARCH_QUERY = "AI-POL"

_RUN_AXE = """options => axe.run(document, options).then(result => result.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
})))"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(sitebuild.PROJECT)} is missing. Run `make test` (it runs `npm ci` from package-lock.json).", pytrace=False)
    return AXE.read_text("utf-8")


def context_for(browser: Any, scheme: str, **options: Any) -> Any:
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, "color_scheme": scheme, **options})
    context.set_default_timeout(10_000)
    return context


@pytest.fixture(params=list(SCHEMES))
def scheme(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def schemed_page(browser: Any, scheme: str) -> Iterator[Any]:
    context = context_for(browser, scheme)
    try:
        yield context.new_page()
    finally:
        context.close()


def axe_violations(page: Any, axe: str) -> list[dict[str, Any]]:
    # Run through the DevTools protocol, not added as a <script>: the site's
    # Content-Security-Policy refuses inline scripts, and stays on for axe.
    page.evaluate(f"() => {{ {axe}\n}}")
    return page.evaluate(_RUN_AXE, {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]})


def describe(where: str, violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}) — {v['help']}")
        for node in v["nodes"]:
            lines.append(f"    {node['target']}")
            lines.extend(f"      {line.strip()}" for line in node["summary"].splitlines() if line.strip())
    return "\n".join(lines)


def open_search(page: Any, query: str) -> None:
    """Open the dialog with "/" as a reader does, type, and wait for the results."""
    page.keyboard.press("/")
    page.wait_for_selector("#nr-search[open]")
    page.fill("#nr-search-input", query)
    page.wait_for_selector(".nr-search__result")
    page.wait_for_function("() => !document.querySelector('#nr-search-status').textContent.includes('…')")


# --------------------------------------------------------------------------
# axe-core: WCAG 2.1 A and AA, no violation anywhere


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_type_passes_axe(full_site: Served, schemed_page: Any, axe_source: str, scheme: str, lang: str) -> None:
    page = schemed_page
    found: list[str] = []
    for name, path in PAGES.items():
        page.goto(full_site.url(f"{lang}/{path}"))
        if name == "home":
            applied = page.locator("body").get_attribute("data-md-color-scheme")
            assert applied == SCHEMES[scheme], f"prefers-color-scheme: {scheme} should give Material's {SCHEMES[scheme]!r} palette, got {applied!r}"
        if violations := axe_violations(page, axe_source):
            found.append(describe(f"/{lang}/{path} ({name}, {scheme})", violations))

    page.goto(full_site.url(f"{lang}/"))
    open_search(page, SEARCH_QUERY)
    if violations := axe_violations(page, axe_source):
        found.append(describe(f"/{lang}/ search dialog with results for {SEARCH_QUERY!r} ({scheme})", violations))

    assert not found, "axe-core (WCAG 2.1 A/AA) violations:\n" + "\n".join(found)


PHONE_PAGES = {name: PAGES[name] for name in ("home", "release", "programme part of another", "accessibility statement")}


@pytest.mark.parametrize("lang", ["en", "ar", "zh"])
def test_the_chrome_passes_axe_on_a_phone(full_site: Served, browser: Any, axe_source: str, scheme: str, lang: str) -> None:
    """At 390 px the breadcrumb wraps and its last step is cut short, the
    tabs give way to the menu, and the footer's columns stack: the same
    rules hold there, with the menu (drawer) open too."""
    context = context_for(browser, scheme, viewport={"width": 390, "height": 844})
    found: list[str] = []
    try:
        page = context.new_page()
        for name, path in PHONE_PAGES.items():
            page.goto(full_site.url(f"{lang}/{path}"))
            if violations := axe_violations(page, axe_source):
                found.append(describe(f"/{lang}/{path} ({name}, {scheme}, 390 px)", violations))
        page.locator('.md-header label[for="__drawer"]').click()
        page.wait_for_function("() => document.getElementById('__drawer').checked")
        if violations := axe_violations(page, axe_source):
            found.append(describe(f"/{lang}/{path} with the menu open ({scheme}, 390 px)", violations))
    finally:
        context.close()
    assert not found, "axe-core (WCAG 2.1 A/AA) violations:\n" + "\n".join(found)


# --------------------------------------------------------------------------
# Keyboard

_FOCUS_STYLE = """() => {
  const e = document.activeElement;
  // Material's palette toggle is a hidden radio input: its label shows the focus.
  const shown = e.matches('input.md-option') ? e.nextElementSibling : e;
  const s = getComputedStyle(shown);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  return {
    tag: e.tagName.toLowerCase(), cls: e.className, text: (e.textContent || '').trim().slice(0, 40),
    href: e.getAttribute('href'), visible: outline || s.boxShadow !== 'none',
    style: `outline: ${s.outlineStyle} ${s.outlineWidth}; box-shadow: ${s.boxShadow}`,
  };
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_skip_link_is_first_and_shows_on_focus(full_site: Served, page: Any, lang: str) -> None:
    # A release with headings in its body, where Material writes a skip link of its own.
    page.goto(full_site.url(f"{lang}/{RELEASE_WITH_HEADINGS}"))
    rendered = page.evaluate("[...document.querySelectorAll('a.md-skip')].filter(a => a.getClientRects().length).map(a => a.className)")
    assert rendered == ["md-skip nr-skip"], f"exactly one skip link is rendered, ours: {rendered}"
    link = page.locator("a.nr-skip")
    assert link.evaluate("e => getComputedStyle(e).opacity") == "0", "the skip link is hidden until focused"

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('nr-skip')"), "the skip link is the first stop of Tab"
    page.wait_for_function("() => getComputedStyle(document.querySelector('a.nr-skip')).opacity === '1'")
    shown = link.bounding_box()
    assert shown and shown["width"] > 20 and shown["height"] > 10 and shown["y"] >= 0, shown
    assert link.inner_text().strip(), "the skip link has a text"

    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#nr-content'")
    page.keyboard.press("Tab")
    inside = page.evaluate("document.activeElement.closest('.md-content') !== null")
    assert inside, "after the skip link, Tab continues in the content, past the header and tabs"


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("path", ["", RELEASE], ids=["home", "release"])
def test_focus_is_visible_on_every_stop(full_site: Served, page: Any, lang: str, path: str) -> None:
    """Tab through the whole page, once round: every focused element shows an outline or a shadow."""
    page.goto(full_site.url(f"{lang}/{path}"))
    stops: list[dict[str, Any]] = []
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        stops.append(page.evaluate(_FOCUS_STYLE))
    assert len(stops) > 10, stops
    invisible = [f"<{s['tag']} class={s['cls']!r} href={s['href']!r}> {s['text']!r}: {s['style']}" for s in stops if not s["visible"]]
    assert not invisible, f"/{lang}/{path}: focus not visible on:\n" + "\n".join(invisible)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_search_is_reachable_by_keyboard(full_site: Served, page: Any, lang: str) -> None:
    """Tab to the search button, Enter, type, Tab into the results; Escape returns to the button."""
    page.goto(full_site.url(f"{lang}/"))
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('nr-search-open')"):
            break
    else:
        pytest.fail("the search button is not reachable with Tab from the top of the page")
    assert page.evaluate(_FOCUS_STYLE)["visible"], "the focused search button shows its focus"
    page.keyboard.press("Enter")
    page.wait_for_selector("#nr-search[open]")
    assert page.evaluate("document.activeElement.id") == "nr-search-input"
    page.keyboard.type(SEARCH_QUERY)
    page.wait_for_selector(".nr-search__result")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('nr-search__result-title')"):
            break
    else:
        pytest.fail("no search result is reachable with Tab")
    assert page.evaluate(_FOCUS_STYLE)["visible"], "the focused result shows its focus"
    page.keyboard.press("Escape")
    page.wait_for_selector("#nr-search", state="hidden")
    assert page.evaluate("document.activeElement.classList.contains('nr-search-open')"), "closing the dialog returns focus to the search button"
