"""Screenshots of what readers see, for people to look at.

    python -m newsroom.screenshots                   # build the site, then shoot
    python -m newsroom.screenshots --site site       # shoot an existing build
    python -m newsroom.screenshots --out shots/      # where the PNGs go

The site (every language, `newsroom.cli build`, for the loopback address it
is served on) is opened in Debian's Chromium through Playwright (never
`playwright install`), at a phone's width (390 px) and a desktop's (1280 px):

- the Arabic CT TECH+ programme page, also with the menu (drawer) open;
- the Arabic and English pages of the 2024 launch release;
- the search dialog with the results for "counter", in English and Arabic.

Each view is saved as <name>-<width>.png (the whole page; the drawer and the
dialog as the screen shows them) and its path printed. The tests check the
same views by geometry (tests/test_browser_readers.py); these are for eyes.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
# The network is closed; see ARCHITECTURE.md §5 and tests/conftest.py.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = {390: 844, 1280: 800}
RELEASE = "news/2024/from-emerging-tech-to-responsible-ai/"
PAGES = [
    ("ar-ct-tech-plus", "ar/programmes/ct-tech-plus/"),
    ("ar-release", f"ar/{RELEASE}"),
    ("en-release", f"en/{RELEASE}"),
]
SEARCHES = [("en-search", "en/", "counter"), ("ar-search", "ar/", "الإرهاب")]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build(site: Path, port: int) -> None:
    """`make build`, for the address the site is served on."""
    command = [sys.executable, "-m", "newsroom.cli", "build", "--site-dir", str(site), "--site-url", f"http://127.0.0.1:{port}/"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"The build failed:\n{done.stdout}{done.stderr}")


def open_search(page: Any, query: str) -> None:
    """Press "/" as a reader would, type the query, wait for the results."""
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("/")
    page.wait_for_selector("#nr-search[open]")
    page.keyboard.insert_text(query)
    page.wait_for_selector(".nr-search__result")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(400)  # the debounced search settles


def shoot(base_url: str, out: Path) -> list[Path]:
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
                for name, path in PAGES:
                    page.goto(base_url + path, wait_until="networkidle")
                    saved.append(out / f"{name}-{width}.png")
                    page.screenshot(path=str(saved[-1]), full_page=True)
                    if name == "ar-ct-tech-plus" and width < 1220:  # Material shows the drawer's button below 76.25em
                        page.locator('.md-header label[for="__drawer"]').click()
                        page.wait_for_timeout(400)  # the drawer slides in
                        saved.append(out / f"{name}-{width}-menu.png")
                        page.screenshot(path=str(saved[-1]))
                for name, path, query in SEARCHES:
                    page.goto(base_url + path, wait_until="networkidle")
                    open_search(page, query)
                    saved.append(out / f"{name}-{width}.png")
                    page.screenshot(path=str(saved[-1]))
                context.close()
        finally:
            browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsroom.screenshots", description="Screenshots of key pages at 390 and 1280 px (see the module docstring).")
    parser.add_argument("--site", type=Path, help="a site built by newsroom.cli build for --base-url (default: build one now)")
    parser.add_argument("--base-url", help="with --site: the address it was built for, served from it (default http://127.0.0.1:<free port>/)")
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="folder for the PNGs (default: screenshots/)")
    args = parser.parse_args(argv)
    port = _free_port()
    if args.base_url:
        port = int(args.base_url.rstrip("/").rsplit(":", 1)[-1])
    with tempfile.TemporaryDirectory(prefix="newsroom-screenshots-") as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "site"
            print(f"Building every language into {site} for http://127.0.0.1:{port}/ ...", flush=True)
            build(site, port)
        handler = functools.partial(_Quiet, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            saved = shoot(f"http://127.0.0.1:{port}/", args.out)
        finally:
            server.shutdown()
            server.server_close()
    for path in saved:
        print(f"screenshot: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
