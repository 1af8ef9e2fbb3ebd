"""The Content-Security-Policy (mkdocs.yml, extra.content_security_policy):
written first in every page's <head>, strict, and kept by the site itself.

GitHub Pages sets no headers, so the policy is a <meta> element. The tests:
- read every built page with a parser (the real site in every language, the
  root chooser, a preview build, a redirect page): the policy and the
  referrer policy come first in <head>; no page has an inline script, a
  <style> element, a style attribute or an event-handler attribute, so
  nothing needs 'unsafe-inline';
- check that the scripts moved out of Material's templates are still
  Material's own (a new Material version changes them: copy them again);
- load every page type in every language in Debian's Chromium, light and dark,
  with the palette toggled and search open with results, and find no
  violation (`securitypolicyviolation` events, console messages, page errors);
  also under `mkdocs serve`, whose live-reload script is allowed there only;
- and show the policy is real: an inline script put into a built page is
  refused and reported.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import material
import pytest
import yaml
from bs4 import BeautifulSoup

import sitebuild
from conftest import Served, serve

MATERIAL = Path(material.__file__).parent / "templates"
JAVASCRIPTS = sitebuild.PROJECT / "overrides" / "assets" / "javascripts"
LANGUAGES = [entry["code"] for entry in yaml.safe_load((sitebuild.PROJECT / "data" / "languages.yml").read_text("utf-8"))]
# Script types a browser never runs: data for Material (__config) and JSON-LD.
DATA_SCRIPTS = {"application/json", "application/ld+json"}

RELEASE = "news/2024/from-emerging-tech-to-responsible-ai/"
PAGE_TYPES = {
    "home": "",
    "news index": "news/",
    "year": "news/2024/",
    "release": RELEASE,
    "programmes index": "programmes/",
    "programme": "programmes/ai-pol/",
    "resources index": "resources/",
    "resource": "resources/toolkit-for-responsible-ai-innovation-in-law-enforcement/",
    "organisations index": "organisations/",
    "organisation": "organisations/unicri/",
    "author guide": "about/publishing/",
    "404": "404.html",
}
# A programme name kept in Latin letters in every translation: found everywhere.
SEARCH_QUERY = "AI-POL"
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material's palette scheme


def site_extra() -> dict[str, Any]:
    """mkdocs.yml's `extra:`, where the policies are written."""
    from newsroom.cli import _IgnoreTags

    return yaml.load((sitebuild.PROJECT / "mkdocs.yml").read_text("utf-8"), Loader=_IgnoreTags)["extra"]


def site_policy() -> dict[str, list[str]]:
    """mkdocs.yml's policy, directive by directive."""
    return parse_policy(site_extra()["content_security_policy"])


def parse_policy(text: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in text.split(";"):
        name, *values = part.split()
        assert name not in directives, f"{name} written twice"
        directives[name] = values
    return directives


# --------------------------------------------------------------------------
# The policy as written


def test_the_policy_allows_only_the_sites_own_files() -> None:
    policy = site_policy()
    assert policy["default-src"] == ["'none'"]
    # Scripts: files from the site; Pagefind compiles WebAssembly. No inline
    # script, no eval, no other host.
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["worker-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'none'"]
    for name, values in policy.items():
        assert set(values) <= {"'self'", "'none'", "'wasm-unsafe-eval'", "data:"}, (name, values)
        # data: is for images only (Material's icons are SVG data: URLs in its stylesheet).
        assert "data:" not in values or name == "img-src", name
    # Browsers ignore these in a <meta> and say so in the console.
    assert not {"frame-ancestors", "report-uri", "report-to", "sandbox"} & set(policy)
    # Other sites learn nothing of what a reader was reading here.
    assert site_extra()["referrer_policy"] in {"no-referrer", "same-origin"}


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def check_page(path: Path, policy: dict[str, list[str]], referrer: str) -> list[str]:
    """What in one built page needs more than the policy allows."""
    soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
    problems = []
    head = soup.head
    first = head.find(True) if head else None
    if first is None or first.name != "meta" or (first.get("http-equiv") or "").lower() != "content-security-policy":
        problems.append(f"the first element in <head> is {first.name if first else None!r}, not the policy")
    elif parse_policy(first["content"]) != policy:
        problems.append(f"the policy differs from mkdocs.yml: {first['content']}")
    if len(soup.find_all("meta", attrs={"http-equiv": re.compile("^content-security-policy$", re.I)})) != 1:
        problems.append("not exactly one policy")
    referrers = [meta.get("content") for meta in soup.find_all("meta", attrs={"name": "referrer"})]
    if referrers != [referrer]:
        problems.append(f"referrer policies {referrers}, expected [{referrer!r}]")
    for script in soup.find_all("script"):
        if script.get("src"):
            if urlsplit(script["src"]).netloc:
                problems.append(f"a script from another site: {script['src']}")
        elif (script.get("type") or "").lower() not in DATA_SCRIPTS:
            problems.append(f"an inline script: {(script.string or '').strip()[:80]!r}")
    for element in soup.find_all(True):
        if element.name == "style":
            problems.append("a <style> element")
        for name in element.attrs:
            if name.lower() == "style":
                problems.append(f"a style attribute on <{element.name}>")
            elif name.lower().startswith("on"):
                problems.append(f"an event handler attribute {name} on <{element.name}>")
    return problems


def test_every_page_carries_the_policy_and_needs_nothing_inline(sites) -> None:
    """Every page of the real site in every language, and the root chooser."""
    project = sites.project()
    # The web editor's page has a policy of its own, first in its <head> too
    # (tests/test_editor.py checks what it allows).
    editor = project.site / "admin" / "index.html"
    pages = [page for page in html_files(project.site) if page != editor]
    assert project.site / "index.html" in pages
    assert {lang for lang in LANGUAGES if (project.site / lang / "404.html") in pages} == set(LANGUAGES)
    found = {str(path.relative_to(project.site)): problems for path in pages if (problems := check_page(path, site_policy(), site_extra()["referrer_policy"]))}
    assert not found, "\n".join(f"{page}: {'; '.join(problems)}" for page, problems in found.items())


def test_a_preview_build_carries_the_policy_and_needs_nothing_inline(sites) -> None:
    """The pull-request preview: a banner on every page, embargoed releases watermarked."""
    built = sites.get("embargo", NEWSROOM_NOW="2024-06-01T09:00:00Z", NEWSROOM_PREVIEW="1")
    assert built.ok, built.output
    pages = html_files(built.site / "en")
    assert any(BeautifulSoup(path.read_text("utf-8"), "html.parser").select_one(".nr-preview") for path in pages)
    found = {str(path.relative_to(built.site)): problems for path in pages if (problems := check_page(path, site_policy(), site_extra()["referrer_policy"]))}
    assert not found, "\n".join(f"{page}: {'; '.join(problems)}" for page, problems in found.items())


@pytest.mark.parametrize("fixture", ["renamed"])
def test_the_redirect_page_carries_the_policy_and_needs_nothing_inline(sites, fixture: str) -> None:
    """The old address of a renamed release: a meta refresh, no script."""
    built = sites.get(fixture)
    assert built.ok, built.output
    redirect = built.path("news/2024/old-name/")
    assert redirect.is_file()
    assert check_page(redirect, site_policy(), site_extra()["referrer_policy"]) == []
    assert BeautifulSoup(redirect.read_text("utf-8"), "html.parser").select_one('meta[http-equiv="refresh"]')


# --------------------------------------------------------------------------
# The scripts moved out of Material's templates are still Material's


def material_script(partial: str, index: int = -1) -> str:
    """The code of one inline script in one of Material's partials."""
    soup = BeautifulSoup((MATERIAL / "partials" / "javascripts" / partial).read_text("utf-8"), "html.parser")
    return [script.string for script in soup.find_all("script")][index]


def moved_script(name: str) -> str:
    """Our file's code, without its leading comment."""
    text = (JAVASCRIPTS / name).read_text("utf-8")
    assert text.startswith("/*"), name
    return text[text.index("*/") + 2 :].strip()


@pytest.mark.parametrize(
    ("file", "partial", "index", "replaced"),
    [
        # The scope Material writes into the script is read from the script element.
        ("material-base.js", "base.html", 0, ('"{{ config.extra.scope | d(base_url) }}"', 'document.currentScript.getAttribute("data-md-scope")')),
        ("material-palette.js", "palette.html", 0, None),
        ("material-content-tabs.js", "content.html", 0, None),
        ("material-content.js", "content.html", -1, None),
    ],
)
def test_moved_scripts_are_materials_own(file: str, partial: str, index: int, replaced: tuple[str, str] | None) -> None:
    """If this fails after a Material upgrade, copy the script from Material's
    partials/javascripts/<partial> into overrides/assets/javascripts/<file> again."""
    original = material_script(partial, index)
    if replaced:
        assert replaced[0] in original
        original = original.replace(*replaced)
    assert moved_script(file) == original
    override = (sitebuild.PROJECT / "overrides" / "partials" / "javascripts" / partial).read_text("utf-8")
    assert f"assets/javascripts/{file}" in override and "<script>" not in override


# --------------------------------------------------------------------------
# In Chromium: no violation anywhere

# Reports every violation to Python at once, so none is lost when the page
# navigates. Added before any script of the page runs.
_LISTENER = """
document.addEventListener("securitypolicyviolation", event => {
  window.__newsroomViolation({
    page: location.href, directive: event.effectiveDirective, blocked: event.blockedURI,
    source: event.sourceFile, line: event.lineNumber, sample: event.sample,
  });
}, true);
"""


@dataclass
class Watched:
    """A browser context that records every sign of a CSP violation."""

    context: Any
    page: Any
    violations: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return self.violations + self.console + self.errors


def watch(browser: Any, **options: Any) -> Watched:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    watched = Watched(context, page)
    context.expose_binding("__newsroomViolation", lambda source, v: watched.violations.append(f"{v['page']}: {v['directive']} refused {v['blocked'] or v['sample']!r} ({v['source']}:{v['line']})"))
    context.add_init_script(_LISTENER)

    def listen(tab: Any) -> None:
        def on_console(message: Any) -> None:
            if "content security policy" in message.text.lower() or "content-security-policy" in message.text.lower():
                watched.console.append(f"{tab.url}: console {message.type}: {message.text}")

        def on_request_failed(request: Any) -> None:
            if "csp" in (request.failure or "").lower():
                watched.console.append(f"{tab.url}: request refused: {request.url} ({request.failure})")

        tab.on("console", on_console)
        tab.on("pageerror", lambda error: watched.errors.append(f"{tab.url}: page error: {error}"))
        tab.on("requestfailed", on_request_failed)

    # Every page of the context, also those a test opens side by side.
    listen(page)
    context.on("page", listen)
    return watched


@contextmanager
def watching(browser: Any, **options: Any) -> Iterator[Watched]:
    """A watched context, closed afterwards. A step that fails shows the
    violations seen until then, which are usually why."""
    watched = watch(browser, **options)
    try:
        yield watched
    except Exception as error:
        if watched.problems():
            raise AssertionError(f"{error}\nafter these violations:\n" + "\n".join(watched.problems())) from error
        raise
    finally:
        watched.context.close()


def open_search(page: Any, query: str) -> None:
    """Open the dialog with "/" as a reader does, type, and wait for the results."""
    page.keyboard.press("/")
    page.wait_for_selector("#nr-search[open]")
    page.fill("#nr-search-input", query)
    page.wait_for_selector(".nr-search__result")


def toggle_palette(page: Any) -> str:
    """Click the shown palette toggle, as a reader does; the scheme it switched to."""
    before = page.locator("body").get_attribute("data-md-color-scheme")
    page.locator("form[data-md-component=palette] label:not([hidden])").click()
    page.wait_for_function("before => document.body.getAttribute('data-md-color-scheme') !== before", arg=before)
    return page.locator("body").get_attribute("data-md-color-scheme")


def settle(page: Any) -> None:
    """Wait until the page's own requests (Material's sitemap, Pagefind) are done."""
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_violation_on_any_page_type(full_site: Served, browser: Any, lang: str, scheme: str) -> None:
    with watching(browser, color_scheme=scheme, locale=lang) as watched:
        page = watched.page
        # The root chooser sends the reader to their language (navigator.languages).
        page.goto(full_site.url(""))
        page.wait_for_url(full_site.url(f"{lang}/"))
        # Each page type in a tab of its own, side by side: each is then
        # waited on until its requests are done, and those waits overlap.
        tabs = []
        for name, path in PAGE_TYPES.items():
            tab = watched.context.new_page()
            tab.goto(full_site.url(f"{lang}/{path}"))
            assert tab.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme], name
            tabs.append(tab)
        for tab in tabs:
            settle(tab)
            tab.close()

        # The palette toggle, and the choice kept on the next page (Material's
        # moved scripts read it back from its storage, under the site's scope).
        page.goto(full_site.url(f"{lang}/"))
        toggled = toggle_palette(page)
        assert toggled != SCHEMES[scheme]
        page.goto(full_site.url(f"{lang}/{RELEASE}"))
        assert page.locator("body").get_attribute("data-md-color-scheme") == toggled
        page.goto(full_site.url(f"{lang}/404.html"))
        assert page.locator("body").get_attribute("data-md-color-scheme") == toggled

        # Search, open and with results, in the toggled scheme.
        page.goto(full_site.url(f"{lang}/news/"))
        open_search(page, SEARCH_QUERY)
        settle(page)
    assert not watched.problems(), "\n".join(watched.problems())


@pytest.fixture(scope="module")
def more_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Page types the real site does not have yet: a renamed release's old
    address (tests/fixtures/renamed), a paginated year and a release with a
    footnote and a <details> block, built for and served on a loopback port."""
    root = tmp_path_factory.mktemp("csp-more")
    sitebuild.assemble(root, "renamed")
    year = root / "docs" / "en" / "news" / "2023"
    year.mkdir(parents=True)
    for n in range(30):
        (year / f"release-{n:02d}.md").write_text(
            f"---\nid: 00000000-0000-4000-8000-{n:012d}\ntitle: \"Release {n:02d}\"\ndate: 2023-01-01 00:{n:02d}\n"
            f"location: Turin\nsummary: \"Number {n}.\"\nprogrammes: [beta]\npublishers: [interpol]\n---\n\nBody {n}.\n",
            "utf-8",
        )

    # Material draws a <details> block's marker and a footnote's back link
    # with SVG icons written as data: URLs in its stylesheet (img-src data:).
    (root / "docs" / "en" / "news" / "2024" / "notes.md").write_text(
        "---\nid: 00000000-0000-4000-8000-100000000000\ntitle: Notes\ndate: 2024-02-01\nlocation: Turin\n"
        "summary: A footnote and details.\nprogrammes: [alpha]\npublishers: [unicri]\n---\n\n"
        "A sentence with a footnote.[^1]\n\n<details><summary>More</summary><p>Hidden text.</p></details>\n\n[^1]: The note.\n",
        "utf-8",
    )

    def build(port: int) -> None:
        built = sitebuild.build(root, "en", {"NEWSROOM_SITE_URL": f"http://127.0.0.1:{port}/en/"})
        if not built.ok:
            pytest.fail(f"the build failed:\n{built.output}", pytrace=False)

    with serve(root / "site", build) as served:
        yield served


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_no_violation_on_redirect_paginated_and_rich_pages(more_pages: Served, browser: Any, scheme: str) -> None:
    with watching(browser, color_scheme=scheme) as watched:
        page = watched.page
        page.goto(more_pages.url("en/news/2024/old-name/"))
        page.wait_for_url(more_pages.url("en/news/2024/new-name/"))
        settle(page)
        page.goto(more_pages.url("en/news/2024/notes/"))
        assert page.locator(".nr-body details summary").count() == 1 and page.locator(".footnote-backref").count() == 1
        settle(page)
        page.goto(more_pages.url("en/news/2023/page/2/"))
        assert page.locator(".nr-pagination").count() == 1
        toggled = toggle_palette(page)
        page.reload()
        assert page.locator("body").get_attribute("data-md-color-scheme") == toggled
        open_search(page, "Release")
        settle(page)
    assert not watched.problems(), "\n".join(watched.problems())


def test_search_without_a_worker_needs_no_more(full_site: Served, browser: Any) -> None:
    """Pagefind searches in a worker, and on the page itself when the worker
    fails or takes over 5 s to start (slow phones): there it compiles its
    WebAssembly, which is what 'wasm-unsafe-eval' is for."""
    workers: list[str] = []
    with watching(browser) as watched:
        page = watched.page
        page.on("worker", lambda worker: workers.append(worker.url))
        watched.context.add_init_script("delete window.Worker;")
        page.goto(full_site.url("en/news/"))
        open_search(page, SEARCH_QUERY)
        settle(page)
        wasm = [url for url in page.evaluate("performance.getEntriesByType('resource').map(e => e.name)") if url.endswith(".pagefind") and "/wasm." in url]
    assert not workers and wasm, (workers, wasm)
    assert not watched.problems(), "\n".join(watched.problems())


@pytest.fixture(scope="module")
def served_by_mkdocs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The English site from `mkdocs serve`, as `make serve` runs it: the
    address of its home page once it answers."""
    root = tmp_path_factory.mktemp("csp-serve")
    sitebuild.assemble(root, None)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = f"http://127.0.0.1:{port}/en/"
    env = sitebuild.build_env("en", {"NEWSROOM_SITE_URL": home})
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(home, timeout=5):
                    break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"mkdocs serve stopped:\n{server.stderr.read()}", pytrace=False)
                if time.monotonic() > deadline:
                    pytest.fail("mkdocs serve did not answer within 3 minutes", pytrace=False)
                time.sleep(0.5)
        yield home
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_mkdocs_serve_keeps_the_policy_and_live_reload_works(served_by_mkdocs: str, browser: Any) -> None:
    """`mkdocs serve` adds an inline live-reload script to every page; only
    there does the policy allow inline scripts (hooks/policies.py)."""
    served = parse_policy(BeautifulSoup(urllib.request.urlopen(served_by_mkdocs).read().decode("utf-8"), "html.parser").head.find("meta")["content"])
    built = site_policy()
    assert served["script-src"] == [*built["script-src"], "'unsafe-inline'"]
    assert {name: values for name, values in served.items() if name != "script-src"} == {name: values for name, values in built.items() if name != "script-src"}
    logged: list[str] = []
    with watching(browser) as watched:
        watched.page.on("console", lambda message: logged.append(message.text))
        watched.page.goto(served_by_mkdocs)
        watched.page.wait_for_load_state("load")
        watched.page.wait_for_function("() => typeof livereload === 'function'")
    assert "Enabled live reload" in logged
    assert not watched.problems(), "\n".join(watched.problems())


# --------------------------------------------------------------------------
# The policy is real


@pytest.fixture(scope="module")
def injected(full_site: Served, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A copy of the English site whose release has an inline script, an
    inline style and an image from another site put into its content, as if
    they had got past the content policy."""
    copy = tmp_path_factory.mktemp("csp-injected")
    shutil.copytree(full_site.site / "en", copy / "en")
    release = copy / "en" / RELEASE / "index.html"
    soup = BeautifulSoup(release.read_text("utf-8"), "html.parser")
    article = soup.select_one("article")
    for markup in (
        '<script>document.documentElement.dataset.injected = "ran";</script>',
        '<p id="nr-injected-style" style="color: rgb(255, 0, 0)">Styled</p>',
        '<img src="http://127.0.0.2:9/tracker.png" alt="">',
    ):
        article.append(BeautifulSoup(markup, "html.parser"))
    release.write_text(str(soup), "utf-8")
    with serve(copy) as served:
        yield served


def test_an_injected_inline_script_is_refused_and_reported(injected: Served, browser: Any) -> None:
    with watching(browser) as watched:
        page = watched.page
        page.goto(injected.url(f"en/{RELEASE}"))
        settle(page)
        ran = page.evaluate("document.documentElement.dataset.injected")
        colour = page.locator("#nr-injected-style").evaluate("e => getComputedStyle(e).color")
    assert ran is None, "the injected script ran"
    assert colour != "rgb(255, 0, 0)", "the injected style applied"
    reported = "\n".join(watched.violations)
    assert "script-src-elem refused 'inline'" in reported, reported
    assert "style-src-attr refused 'inline'" in reported, reported
    assert "img-src refused 'http://127.0.0.2:9/tracker.png'" in reported, reported
    assert any("Content Security Policy" in line for line in watched.console), watched.console
