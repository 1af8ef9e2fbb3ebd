"""Lighthouse scores of the built site: `make audit` (after `make build`).

    python -m newsroom.audit                      # site/, the default pages
    python -m newsroom.audit --page en/ --page en/news/2024/some-release/
    python -m newsroom.audit --fail-under 95      # exit 1 if a score is lower

Serves site/ on loopback the way GitHub Pages serves it (gzip for text,
`Cache-Control: max-age=600`), since Lighthouse judges the transfer as much as
the page: a plain http.server would cost the site points for missing
compression that the real host provides. Then it runs Lighthouse
(node_modules/.bin/lighthouse, installed by npm ci from package-lock.json) in
Debian's Chromium, mobile profile (Lighthouse's default form factor and
throttling), on each page, and prints the four category scores as a table,
followed by the audits that cost points in any category under the target.
The JSON reports stay in a temporary folder (printed) or in --out.

This is a measurement, not a test: performance scores move with the machine's
load (the simulated throttling multiplies what the CPU really did).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import mimetypes
import os
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path.cwd()
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
# The network is closed (ARCHITECTURE.md §5): without the background-networking
# flags Chromium keeps trying Google's hosts.
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
DEFAULT_PAGES = (
    "en/",
    "en/news/2024/from-emerging-tech-to-responsible-ai/",
    "en/programmes/ai-pol/",
    "ar/",
)
# What GitHub Pages compresses; images and fonts are compressed already.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml", "application/rss+xml", "application/feed+json")


class _PagesLikeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files as GitHub Pages sends them: gzip when asked, ten-minute cache."""

    _gzipped: dict[Path, bytes] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the slash URL
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return None
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        body = path.read_bytes()
        compress = "gzip" in self.headers.get("Accept-Encoding", "") and kind.startswith(COMPRESSIBLE)
        if compress:
            if path not in self._gzipped:
                self._gzipped[path] = gzip.compress(body, compresslevel=6)
            body = self._gzipped[path]
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") else kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        if compress:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return _Body(body)


class _Body:
    """The file-like object send_head returns, over bytes already read."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_: Any) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@contextmanager
def serving(site: Path, port: int) -> Iterator[int]:
    handler = functools.partial(_PagesLikeHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@dataclass
class Report:
    page: str
    scores: dict[str, int | None]
    losses: dict[str, list[str]]  # category -> the audits that cost it points


def lighthouse(url: str, out: Path) -> dict[str, Any]:
    command = [
        str(LIGHTHOUSE), url, "--quiet",
        "--output", "json", "--output-path", str(out),
        "--only-categories", ",".join(CATEGORIES),
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse failed on {url} (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(out.read_text("utf-8"))


def summarise(page: str, result: dict[str, Any]) -> Report:
    scores: dict[str, int | None] = {}
    losses: dict[str, list[str]] = {}
    for category in CATEGORIES:
        data = result["categories"][category]
        scores[category] = None if data["score"] is None else round(data["score"] * 100)
        lost = []
        for ref in data["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit["score"] is not None and audit["score"] < 1:
                shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                lost.append(f"{ref['id']}: score {audit['score']:.2f}, weight {ref['weight']}{shown} — {audit['title']}")
        losses[category] = lost
    return Report(page, scores, losses)


def table(reports: list[Report]) -> str:
    width = max(len("page"), *(len(r.page) for r in reports))
    head = f"{'page':<{width}}  " + "  ".join(f"{c:>14}" for c in CATEGORIES)
    rows = [head, "-" * len(head)]
    for r in reports:
        rows.append(f"{r.page:<{width}}  " + "  ".join(f"{'n/a' if r.scores[c] is None else r.scores[c]:>14}" for c in CATEGORIES))
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsroom.audit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (make build)")
    parser.add_argument("--page", action="append", dest="pages", help="a page path under the site, e.g. en/ (repeatable)")
    parser.add_argument("--port", type=int, default=8000, help="port to serve on; make build writes URLs for 8000 (another free port is used if it is taken)")
    parser.add_argument("--out", type=Path, help="folder for the JSON reports (default: a new temporary folder)")
    parser.add_argument("--target", type=int, default=95, help="list what costs points in categories under this score")
    parser.add_argument("--fail-under", type=int, help="exit 1 if any score is under this")
    args = parser.parse_args(argv)

    if not (args.site / "en" / "index.html").exists():
        print(f"No built site in {args.site}/: run `make build` first.", file=sys.stderr)
        return 2
    if not LIGHTHOUSE.exists():
        print("node_modules/.bin/lighthouse is missing: run `npm ci` (make audit does).", file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="newsroom-audit-"))
    out.mkdir(parents=True, exist_ok=True)
    port = args.port if free(args.port) else 0
    pages = args.pages or list(DEFAULT_PAGES)

    reports = []
    with serving(args.site.resolve(), port) as served:
        if port != args.port:
            print(f"Port {args.port} is taken; serving on {served}. Canonical URLs still name {args.port}.", file=sys.stderr)
        for page in pages:
            url = f"http://127.0.0.1:{served}/{page.lstrip('/')}"
            name = page.strip("/").replace("/", "_") or "root"
            print(f"lighthouse {url} ...", file=sys.stderr, flush=True)
            reports.append(summarise(page, lighthouse(url, out / f"{name}.json")))

    print(table(reports))
    for r in reports:
        for category in CATEGORIES:
            score = r.scores[category]
            if score is not None and score < args.target and r.losses[category]:
                print(f"\n{r.page} {category} {score}:")
                print("\n".join(f"  {line}" for line in r.losses[category]))
    print(f"\nReports: {out}/")
    if args.fail_under is not None and any(s is not None and s < args.fail_under for r in reports for s in r.scores.values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
