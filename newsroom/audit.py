"""Lighthouse scores of the site's key pages: `make audit`.

    python -m newsroom.audit                      # a fresh copy with a lead image, the key pages, 3 runs each
    python -m newsroom.audit --runs 5             # more runs per page
    python -m newsroom.audit --site site --page en/   # an existing build (make build, for port 8000)
    python -m newsroom.audit --fail-under 95      # exit 1 if a median score is lower

By default it builds a copy of the project in a temporary folder
(newsroom/showcase.py: the real content, plus a generated placeholder lead
image on the 2024 launch release, since no seed release has an image of its
own), for the loopback address it then serves it on. The pages: the English
and Arabic home pages, that release (with its image) and a programme page.

The copy is served the way GitHub Pages serves a site (gzip for text,
`Cache-Control: max-age=600`), since Lighthouse judges the transfer as much as
the page: a plain http.server would cost the site points for missing
compression that the real host provides. Lighthouse
(node_modules/.bin/lighthouse, installed by npm ci from package-lock.json)
runs in Debian's Chromium, mobile profile (Lighthouse's default form factor
and throttling), --runs times on each page (3 by default). It prints, per
page, the median of each category's scores, the largest Cumulative Layout
Shift of the runs, and the first view's weight: every byte the page loaded
before Lighthouse stopped, uncompressed (HTML, CSS, JS, fonts and the images
the browser fetched without scrolling; a lazy image below the fold is not
fetched). Then the targets of issue 19 (performance at least 98, the other
three categories 100, CLS 0, a release's first view at most 400 KB), met or
not, and the audits that cost points in any category under --target. The
JSON reports stay in a temporary folder (printed) or in --out.

This is a measurement, not a test: performance scores move with the machine's
load (the simulated throttling multiplies what the CPU really did), which is
why each page is run several times and the median shown, and why the load
average is printed with the results.
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
import statistics
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsroom import showcase

ROOT = Path.cwd()
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
# The network is closed (ARCHITECTURE.md §5): without the background-networking
# flags Chromium keeps trying Google's hosts.
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
RELEASE = showcase.RELEASE
DEFAULT_PAGES = (
    "en/",
    "ar/",
    f"en/{RELEASE}",
    "en/programmes/ai-pol/",
)
# Issue 19, item 6: on a phone, performance at least 98 and 100 in the other
# three categories, no layout shift, and a release's first view at most 400 KB.
TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
FIRST_VIEW_KB = 400
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
class Run:
    """One Lighthouse run of one page."""

    scores: dict[str, int | None]
    losses: dict[str, list[str]]  # category -> the audits that cost it points
    cls: float
    first_view: int  # bytes loaded, uncompressed
    fetched: list[tuple[str, int]]  # (address, bytes) of every request


@dataclass
class Report:
    """Every run of one page, and their medians."""

    page: str
    runs: list[Run]

    @property
    def scores(self) -> dict[str, int | None]:
        medians: dict[str, int | None] = {}
        for category in CATEGORIES:
            values = [r.scores[category] for r in self.runs if r.scores[category] is not None]
            medians[category] = round(statistics.median(values)) if values else None
        return medians

    @property
    def cls(self) -> float:
        return max(r.cls for r in self.runs)

    @property
    def first_view(self) -> int:
        return round(statistics.median(r.first_view for r in self.runs))

    @property
    def losses(self) -> dict[str, list[str]]:
        """What cost points in the run closest to the median performance."""
        median = self.scores["performance"] or 0
        closest = min(self.runs, key=lambda r: abs((r.scores["performance"] or 0) - median))
        return closest.losses


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


def summarise(result: dict[str, Any]) -> Run:
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
    requests = result["audits"]["network-requests"]["details"]["items"]
    fetched = [(item["url"], int(item.get("resourceSize") or 0)) for item in requests]
    cls = float(result["audits"]["cumulative-layout-shift"].get("numericValue") or 0)
    return Run(scores, losses, cls, sum(size for _, size in fetched), fetched)


def table(reports: list[Report]) -> str:
    width = max(len("page"), *(len(r.page) for r in reports))
    head = f"{'page':<{width}}  " + "  ".join(f"{c:>14}" for c in CATEGORIES) + f"  {'CLS (max)':>10}  {'first view':>11}"
    rows = [head, "-" * len(head)]
    for r in reports:
        scores = r.scores
        cells = "  ".join(f"{'n/a' if scores[c] is None else scores[c]:>14}" for c in CATEGORIES)
        rows.append(f"{r.page:<{width}}  {cells}  {r.cls:>10.3f}  {r.first_view / 1024:>8.1f} KB")
    runs = "  ".join(f"{r.page}: " + ", ".join(str(run.scores["performance"]) for run in r.runs) for r in reports)
    rows.append(f"(medians of {len(reports[0].runs)} runs; performance of each run: {runs})")
    return "\n".join(rows)


def targets(reports: list[Report]) -> list[tuple[str, bool]]:
    """Each target of issue 19 item 6, and whether it is met."""
    met = []
    for r in reports:
        for category, floor in TARGETS.items():
            score = r.scores[category]
            met.append((f"{r.page} {category} at least {floor} (median {score})", score is not None and score >= floor))
        met.append((f"{r.page} CLS 0 (largest {r.cls:.3f})", r.cls == 0))
        if RELEASE in r.page:
            met.append((f"{r.page} first view at most {FIRST_VIEW_KB} KB ({r.first_view / 1024:.1f} KB)", r.first_view <= FIRST_VIEW_KB * 1024))
    return met


def load() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsroom.audit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="audit this built site (make build, for --port) instead of building a copy with a lead image")
    parser.add_argument("--page", action="append", dest="pages", help="a page path under the site, e.g. en/ (repeatable)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the table shows medians (default 3)")
    parser.add_argument("--port", type=int, default=8000, help="with --site: the port it was built for (another free port is used if it is taken)")
    parser.add_argument("--out", type=Path, help="folder for the JSON reports (default: a new temporary folder)")
    parser.add_argument("--target", type=int, default=95, help="list what costs points in categories under this score")
    parser.add_argument("--fail-under", type=int, help="exit 1 if any median score is under this")
    args = parser.parse_args(argv)

    if not LIGHTHOUSE.exists():
        print("node_modules/.bin/lighthouse is missing: run `npm ci` (make audit does).", file=sys.stderr)
        return 2
    if args.site is not None and not (args.site / "en" / "index.html").exists():
        print(f"No built site in {args.site}/: run `make build` first.", file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="newsroom-audit-"))
    out.mkdir(parents=True, exist_ok=True)
    pages = args.pages or list(DEFAULT_PAGES)

    with tempfile.TemporaryDirectory(prefix="newsroom-audit-site-") as scratch:
        if args.site is None:
            port = free_port()
            site = Path(scratch) / "site"
            print(f"Building a copy of the project with a placeholder lead image for http://127.0.0.1:{port}/ ...", file=sys.stderr, flush=True)
            showcase.prepare(Path(scratch) / "project")
            showcase.build(Path(scratch) / "project", site, f"http://127.0.0.1:{port}/")
        else:
            port = args.port if free(args.port) else 0
            site = args.site
        reports = []
        with serving(site.resolve(), port) as served:
            if args.site is not None and port != args.port:
                print(f"Port {args.port} is taken; serving on {served}. Canonical URLs still name {args.port}.", file=sys.stderr)
            for page in pages:
                url = f"http://127.0.0.1:{served}/{page.lstrip('/')}"
                name = page.strip("/").replace("/", "_") or "root"
                runs = []
                for number in range(1, args.runs + 1):
                    print(f"lighthouse {url} (run {number} of {args.runs}) ...", file=sys.stderr, flush=True)
                    runs.append(summarise(lighthouse(url, out / f"{name}-{number}.json")))
                reports.append(Report(page, runs))

    print(f"Lighthouse, mobile, {load()} at the end (a busy machine lowers performance scores):")
    print(table(reports))
    print("\nTargets (issue 19, item 6):")
    checked = targets(reports)
    for text, ok in checked:
        print(f"  {'met    ' if ok else 'NOT MET'}  {text}")
    for r in reports:
        if RELEASE in r.page:
            print(f"\nFirst view of {r.page} (run closest to the median weight):")
            run = min(r.runs, key=lambda run: abs(run.first_view - r.first_view))
            for address, size in run.fetched:
                print(f"  {size / 1024:>8.1f} KB  {address}")
        for category in CATEGORIES:
            score = r.scores[category]
            if score is not None and score < args.target and r.losses[category]:
                print(f"\n{r.page} {category} {score}:")
                print("\n".join(f"  {line}" for line in r.losses[category]))
    print(f"\nReports: {out}/")
    if args.fail_under is not None and any(s is not None and s < args.fail_under for r in reports for s in r.scores.values()):
        return 1
    return 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
