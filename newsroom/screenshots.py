"""Screenshots of what readers see, for people to look at.

    python -m newsroom.screenshots                   # build a copy of the site, then shoot
    python -m newsroom.screenshots --site site --base-url http://127.0.0.1:8000/   # shoot an existing build
    python -m newsroom.screenshots --out shots/      # where the PNGs go
    python -m newsroom.screenshots --lang ar         # one language (repeatable)

By default the site is a copy of the project built in a temporary folder
(newsroom/showcase.py: the real content, plus a generated placeholder lead
image on the 2024 launch release, as no seed release has an image of its
own), every language, for the loopback address it is served on. It is opened
in Debian's Chromium through Playwright (never `playwright install`), at a
phone's width (390 px) and a desktop's (1280 px), in English, Arabic and
Chinese:

- the home page, the news index, the release with its image and the AI-POL
  programme page (the whole page);
- the search dialog with results (as the screen shows it);
- on a phone, the Arabic CT TECH+ programme page with the menu (drawer) open.

Each view is saved as <lang>-<view>-<width>.png and its path printed. The
tests check the same pages by structure and geometry
(tests/test_site_design.py, tests/test_browser_readers.py); these are for eyes.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import socket
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from newsroom import showcase

CHROMIUM = Path("/usr/bin/chromium")
# The network is closed; see ARCHITECTURE.md §5 and tests/conftest.py.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = {390: 844, 1280: 800}
LANGUAGES = ("en", "ar", "zh")
PAGES = [
    ("home", ""),
    ("news", "news/"),
    ("release", showcase.RELEASE),
    ("programme", "programmes/ai-pol/"),
]
# A word each language's search finds.
SEARCHES = {"en": "counter", "ar": "الإرهاب", "zh": "人工智能", "fr": "terrorisme", "es": "terrorismo", "ru": "терроризм"}
DRAWER = ("ar", "programme-ct-tech-plus", "programmes/ct-tech-plus/")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def open_search(page: Any, query: str) -> None:
    """Press "/" as a reader would, type the query, wait for the results."""
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("/")
    page.wait_for_selector("#nr-search[open]")
    page.keyboard.insert_text(query)
    page.wait_for_selector(".nr-search__result")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(400)  # the debounced search settles


def shoot(base_url: str, out: Path, languages: tuple[str, ...] = LANGUAGES) -> list[Path]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise SystemExit(f"Screenshots need the playwright package from requirements/test.txt ({error}); never `playwright install`.") from None
    if not CHROMIUM.exists():
        raise SystemExit(f"Screenshots need Debian's Chromium at {CHROMIUM}: apt-get install --no-install-recommends chromium")
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            for width, height in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                context.set_default_timeout(30_000)
                page = context.new_page()
                for lang in languages:
                    for name, path in PAGES:
                        page.goto(f"{base_url}{lang}/{path}", wait_until="networkidle")
                        saved.append(out / f"{lang}-{name}-{width}.png")
                        page.screenshot(path=str(saved[-1]), full_page=True)
                    page.goto(f"{base_url}{lang}/", wait_until="networkidle")
                    open_search(page, SEARCHES[lang])
                    saved.append(out / f"{lang}-search-{width}.png")
                    page.screenshot(path=str(saved[-1]))
                    if lang == DRAWER[0] and width < 1220:  # Material shows the drawer's button below 76.25em
                        page.goto(f"{base_url}{lang}/{DRAWER[2]}", wait_until="networkidle")
                        page.locator('.md-header label[for="__drawer"]').click()
                        page.wait_for_timeout(400)  # the drawer slides in
                        saved.append(out / f"{lang}-{DRAWER[1]}-{width}-menu.png")
                        page.screenshot(path=str(saved[-1]))
                context.close()
        finally:
            browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsroom.screenshots", description="Screenshots of key pages at 390 and 1280 px (see the module docstring).")
    parser.add_argument("--site", type=Path, help="a site built by newsroom.cli build for --base-url (default: build a copy with a lead image now)")
    parser.add_argument("--base-url", help="with --site: the address it was built for, served from it (default http://127.0.0.1:<free port>/)")
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="folder for the PNGs (default: screenshots/)")
    parser.add_argument("--lang", action="append", dest="languages", choices=sorted(SEARCHES), help=f"a language to shoot (repeatable; default {', '.join(LANGUAGES)})")
    args = parser.parse_args(argv)
    port = _free_port()
    if args.base_url:
        port = int(args.base_url.rstrip("/").rsplit(":", 1)[-1])
    with tempfile.TemporaryDirectory(prefix="newsroom-screenshots-") as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "site"
            print(f"Building a copy of the project, with a placeholder lead image, into {site} for http://127.0.0.1:{port}/ ...", flush=True)
            showcase.prepare(Path(scratch) / "project")
            showcase.build(Path(scratch) / "project", site, f"http://127.0.0.1:{port}/")
        handler = functools.partial(_Quiet, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            saved = shoot(f"http://127.0.0.1:{port}/", args.out, tuple(args.languages or LANGUAGES))
        finally:
            server.shutdown()
            server.server_close()
    for path in saved:
        print(f"screenshot: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
