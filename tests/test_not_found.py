"""A missing address, as GitHub Pages answers it: with the site root's
404.html and status 404, whatever the folder asked for (GitHub Pages never
serves a language's own 404.html). `newsroom.cli build` writes the first
language's there (newsroom/cli.py); this serves the real six-language build
the way GitHub Pages does and opens missing addresses in Debian's Chromium.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import sitebuild
from conftest import Served


class _LikeGitHubPages(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def pages_server(full_site: Served) -> Iterator[str]:
    handler = functools.partial(_LikeGitHubPages, directory=str(full_site.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@pytest.mark.parametrize("missing", ["no-such-page/", "en/news/2019/no-such-release/", "fr/programmes/gone/", "ar/a/b/c/d.html"])
def test_a_missing_address_shows_the_sites_own_page_not_found(pages_server: str, page: Any, missing: str) -> None:
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
    page.on("response", lambda response: failed.append(f"{response.url} ({response.status})") if response.status >= 400 and response.url != pages_server + missing else None)
    answered = page.goto(pages_server + missing)
    assert answered.status == 404
    strings = yaml.safe_load((sitebuild.PROJECT / "data" / "strings" / "en.yml").read_text("utf-8"))
    assert page.locator("h1").inner_text() == strings["not_found_title"]
    # The site's own page, styled and whole, at any depth: every file it
    # loads is found (addresses from the site root), and the theme's
    # stylesheet is in force.
    page.wait_for_load_state("networkidle")
    assert failed == []
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") == "sticky"
    home = page.locator("a", has_text=strings["back_home"])
    assert home.count() == 1
