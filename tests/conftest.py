"""Session-wide builds: each site is built once and shared by every test."""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import sitebuild


@dataclass
class ProjectBuild:
    """The real project built in every language by `newsroom.cli build`, as
    `make build` does, for the loopback address it is served on."""

    root: Path
    site: Path
    output: str
    served: Served

    @property
    def base_url(self) -> str:
        return self.served.base_url

    def language(self, lang: str) -> sitebuild.Built:
        return sitebuild.Built(self.root, self.site, 0, self.output, lang, self.base_url)


class SiteCache:
    """Builds a fixture once per (fixture, language, environment) per session.

    The real project (fixture None, no extra environment) is built once, in
    every language, when a test first asks for it, and served on a loopback
    port until the session ends: the browser tests (`full_site`) and the
    tests that read its files share that one build.
    """

    def __init__(self, tmp_factory: pytest.TempPathFactory, stack: ExitStack) -> None:
        self.tmp_factory = tmp_factory
        self.stack = stack
        self.built: dict[tuple, sitebuild.Built] = {}
        self._project: ProjectBuild | None = None

    def project(self) -> ProjectBuild:
        if self._project is None:
            root = self.tmp_factory.mktemp("project")
            sitebuild.assemble(root, None)
            site = root / "site"
            output: list[str] = []

            def build(port: int) -> None:
                command = [sys.executable, "-m", "newsroom.cli", "build", "--site-dir", str(site), "--site-url", f"http://127.0.0.1:{port}/"]
                done = subprocess.run(command, cwd=root, env=sitebuild.build_env(), capture_output=True, text=True)
                if done.returncode != 0:
                    pytest.fail(f"`newsroom.cli build` failed in {root}:\n{done.stdout}{done.stderr}", pytrace=False)
                output.append(done.stdout + done.stderr)

            served = self.stack.enter_context(serve(site, build))
            served.root = root
            self._project = ProjectBuild(root, site, output[0], served)
        return self._project

    def get(self, fixture: str | Path | None, lang: str = "en", **env: str) -> sitebuild.Built:
        if fixture is None and not env:
            return self.project().language(lang)
        key = (fixture, lang, tuple(sorted(env.items())))
        if key not in self.built:
            root = self.tmp_factory.mktemp(str(fixture or "project").replace("/", "-"))
            sitebuild.assemble(root, fixture)
            self.built[key] = sitebuild.build(root, lang, env)
        return self.built[key]


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteCache]:
    with ExitStack() as stack:
        yield SiteCache(tmp_path_factory, stack)


@pytest.fixture(scope="session")
def site(sites: SiteCache) -> sitebuild.Built:
    """The real project's English site (from the one all-language build)."""
    return sites.get(None)


@pytest.fixture(scope="session")
def project() -> Path:
    return sitebuild.PROJECT


# --------------------------------------------------------------------------
# Browser tests (ARCHITECTURE.md §5): the real site served on loopback and one
# Debian Chromium driven by Playwright for the whole session. Playwright never
# downloads a browser here; `make test` installs chromium with apt (.ci/system-packages).

CHROMIUM = Path("/usr/bin/chromium")
# The network is closed: without the background-networking flags Chromium
# keeps trying Google's hosts and has its connections refused.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Served:
    """A built site on http://127.0.0.1:<port>/."""

    site: Path
    port: int
    root: Path | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path: str = "") -> str:
        return self.base_url + path.lstrip("/")


@contextmanager
def serve(site: Path, build: Callable[[int], None] | None = None) -> Iterator[Served]:
    """Serve site on a free loopback port, in a thread.

    The socket is bound first and `build(port)` runs before serving starts, so
    a build can write absolute URLs for the very port it will be served on.
    """
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name=f"http-{port}", daemon=True)
    try:
        if build is not None:
            build(port)
        thread.start()
        yield Served(site, port)
    finally:
        if thread.is_alive():
            server.shutdown()
            thread.join()
        server.server_close()


@pytest.fixture(scope="session")
def full_site(sites: SiteCache) -> Served:
    """The real project in every language, built for and served on a loopback port.

    Browser tests need the site at the very address it was built for: Material
    follows absolute URLs (hreflang alternates) that must stay on the site.
    """
    return sites.project().served


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the whole session. Missing Chromium is a failure, not a skip."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM}, which is not installed. "
            "Install it with `apt-get install --no-install-recommends chromium fonts-noto-ui-core fonts-wqy-microhei` "
            "(`make test` does this). Never run `playwright install`: the network is closed.",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.fail(f"Browser tests need the `playwright` package from requirements/test.txt ({error}). Run `make test` to rebuild .venv.", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh context and page per test (1280x800), closed afterwards."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()
