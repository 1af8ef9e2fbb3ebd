"""A walk through the web editor in Chromium, as an author takes it.

Used by tests/test_editor.py (which asserts what each step leaves behind) and
by `make editor-screenshots`, which stores a PNG of each step under
docs/en/about/images/ for the author guide. Both drive the real editor: the
built site/admin/ served on loopback, Decap's local backend (decap-server from
node_modules, in git mode, so each entry becomes a branch as on GitHub) on a
git repository, and Debian's Chromium through Playwright. Nothing is fetched
from anywhere else.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsroom import editor

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# What the walk writes: a release an author could have written (not one of the seeds).
RELEASE = {
    "title": "Editor walk-through: a release written in the browser",
    "date": "2024-12-02",
    "location": "Vienna",
    "summary": "A release written in the web editor, to show each step of the author guide.",
    "programmes": ["ai-pol"],
    "publishers": ["unicri"],
    "alt": "A plain blue rectangle standing in for a photograph",
    "body": "The text of the release, written in the web editor.",
}
SLUG = "editor-walk-through-a-release-written-in-the-browser"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def placeholder_png(path: Path, width: int = 640, height: int = 360) -> Path:
    """A plain PNG made here, standing in for a photograph (none is invented)."""
    row = b"\x00" + bytes((40, 53, 147)) * width
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))
    return path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Editor:
    """The editor served from a built site, with decap-server on a repository."""

    repo: Path
    site: Path
    port: int
    backend_port: int
    requests: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/admin/"

    def outside(self) -> list[str]:
        """Requests that left this machine's loopback (there should be none)."""
        local = (f"http://127.0.0.1:{self.port}/", f"http://127.0.0.1:{self.backend_port}/", "blob:", "data:")
        return [url for url in self.requests if not url.startswith(local)]


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Editor walk", GIT_AUTHOR_EMAIL="walk@example.org", GIT_COMMITTER_NAME="Editor walk", GIT_COMMITTER_EMAIL="walk@example.org")
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout


_LINKED = ("mkdocs.yml", "hooks", "overrides", "newsroom", "node_modules", "pyproject.toml")


def check_out(project: Path, repo: Path, branch: str, dest: Path) -> Path:
    """The branch in a folder of its own, as a reviewer checks out a pull request.

    Not in `repo` itself: decap-server switches that working copy to main and
    back while it answers the editor.
    """
    git(repo, "worktree", "add", "-q", "--detach", str(dest), branch)
    for name in _LINKED:
        (dest / name).symlink_to(project / name)
    return dest


def prepare(project: Path, repo: Path, backend_port: int) -> None:
    """A git repository holding the project's content on main, with its site built."""
    for name in _LINKED:
        (repo / name).symlink_to(project / name)
    for name in ("docs", "data"):
        shutil.copytree(project / name, repo / name)
    (repo / ".gitignore").write_text("site/\n.cache/\nmkdocs.yml\nhooks\noverrides\nnewsroom\nnode_modules\npyproject.toml\n__pycache__/\n", "utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "The project's content")
    env = dict(os.environ, NEWSROOM_EDITOR_PORT=str(backend_port), NO_MKDOCS_2_WARNING="1", LC_ALL="C.UTF-8", LANG="C.UTF-8")
    done = subprocess.run([sys.executable, "-m", "newsroom.cli", "build", "--site-url", "http://127.0.0.1:8000/"], cwd=repo, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"newsroom.cli build failed in {repo}:\n{done.stdout}{done.stderr}")


@contextmanager
def running(repo: Path, backend_port: int) -> Iterator[Editor]:
    """decap-server (git mode) on repo and repo/site on loopback, both stopped after."""
    env = dict(os.environ, MODE="git", PORT=str(backend_port), BIND_HOST="127.0.0.1", GIT_REPO_DIRECTORY=str(repo), LOG_LEVEL="warn")
    server = subprocess.Popen(["node", str(repo / editor.SERVER)], env=env, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(repo / "site")))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", backend_port)) == 0:
                    break
            if server.poll() is not None:
                raise RuntimeError(f"decap-server stopped: {server.stdout.read() if server.stdout else ''}")
            time.sleep(0.2)
        yield Editor(repo, repo / "site", httpd.server_address[1], backend_port)
    finally:
        httpd.shutdown()
        httpd.server_close()
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def browser_page(session: Editor, chromium: Any = None) -> Iterator[Any]:
    """A Chromium page that records every request it makes (in `chromium`, or one started here)."""
    if chromium is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            started = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                with browser_page(session, started) as page:
                    yield page
            finally:
                started.close()
        return
    context = chromium.new_context(viewport={"width": 1280, "height": 860})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("request", lambda request: session.requests.append(request.url))
    try:
        yield page
    finally:
        context.close()


Shot = Callable[[str], None]


def sign_in(page: Any, session: Editor, shot: Shot) -> None:
    page.goto(session.url)
    page.get_by_role("button", name="Login").wait_for()
    shot("editor-1-sign-in")
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Press releases").first.wait_for()
    # The list of releases, loaded from the repository.
    page.get_by_text("From Emerging Tech to Responsible AI").first.wait_for()
    shot("editor-2-collections")


def _choose(page: Any, label: str, values: list[str]) -> None:
    box = page.get_by_label(label, exact=True)
    for value in values:
        box.click()
        box.fill(value)
        # Options read "ACRONYM – Name (slug)": the one whose slug this is.
        page.get_by_text(re.compile(rf"\({re.escape(value)}\)$")).first.click()


def write_release(page: Any, session: Editor, image: Path, shot: Shot) -> None:
    """Fill in a new release, with its image, as the guide describes."""
    page.goto(session.url + "#/collections/releases/new")
    page.get_by_label("Title", exact=True).wait_for()
    shot("editor-3-new-release")
    page.get_by_label("Title", exact=True).fill(RELEASE["title"])
    page.get_by_label("Date", exact=True).fill(RELEASE["date"])
    page.get_by_label("Location", exact=True).fill(RELEASE["location"])
    page.get_by_label("Summary", exact=True).fill(RELEASE["summary"])
    _choose(page, "Programmes", RELEASE["programmes"])
    _choose(page, "Publishers", RELEASE["publishers"])
    page.get_by_role("button", name="Choose an image").click()
    page.locator('input[type="file"]').set_input_files(str(image))
    page.get_by_role("button", name="Choose selected").click()
    page.get_by_label("Alt", exact=False).fill(RELEASE["alt"])
    page.locator('[data-slate-editor="true"]').first.click()
    page.keyboard.type(RELEASE["body"])
    page.get_by_label("Title", exact=True).scroll_into_view_if_needed()
    shot("editor-4-release-filled-in")


def save(page: Any, shot: Shot | None = None) -> None:
    page.get_by_role("button", name="Save").click()
    if shot:
        page.get_by_text("Entry saved").first.wait_for()
        shot("editor-5-saved")


def field_error(page: Any, session: Editor, label: str, value: str) -> str:
    """In a new release, type a value into a field, try to save, and return what the editor says."""
    page.goto(session.url + "#/collections/releases/new")
    page.reload()
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    page.get_by_role("button", name="Save").click()
    # Only this field's answer is wrong; the empty ones are "required".
    message = page.get_by_text("what you wrote")
    message.first.wait_for()
    return message.first.text_content()


def screenshots(project: Path, out: Path) -> int:
    """Walk through the editor and store a PNG of each step in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsroom-editor-") as tmp:
        repo = Path(tmp) / "repo"
        repo.mkdir()
        backend_port = free_port()
        prepare(project, repo, backend_port)
        image = placeholder_png(Path(tmp) / "launch.png")
        with running(repo, backend_port) as session, browser_page(session) as page:
            def shot(name: str) -> None:
                page.screenshot(path=str(out / f"{name}.png"))
                print(f"Wrote {out / name}.png")

            sign_in(page, session, shot)
            write_release(page, session, image, shot)
            save(page, shot)
            page.goto(session.url + "#/workflow")
            page.reload()
            page.get_by_role("heading", name=re.compile(re.escape(RELEASE["title"]))).wait_for()
            shot("editor-6-workflow")
            field_error(page, session, "Date", "22/11/2024")
            page.get_by_label("Date", exact=True).scroll_into_view_if_needed()
            shot("editor-7-wrong-date")
            if session.outside():
                print(f"Requests left this machine: {session.outside()}", file=sys.stderr)
                return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsroom.editor_tour")
    parser.add_argument("--out", type=Path, default=Path("docs/en/about/images"))
    args = parser.parse_args(argv)
    if not editor.installed(Path.cwd()):
        print("The web editor is not installed: run `npm ci` first.", file=sys.stderr)
        return 1
    return screenshots(Path.cwd(), args.out)


if __name__ == "__main__":
    sys.exit(main())
