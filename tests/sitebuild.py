"""Build real sites with the real `mkdocs` for tests.

A fixture site is a folder under tests/fixtures/ holding docs/ (and optionally
data/ files that replace the project's). It is laid over tests/fixtures/base/
unless it has a file named NO_BASE, and built with the project's mkdocs.yml,
hooks, overrides and data, exactly as `make build` builds one language.
"""

from __future__ import annotations

import os
import queue
import shutil
import socket
import struct
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from bs4 import BeautifulSoup
from lxml import etree

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = PROJECT / "tests" / "fixtures"
SITE_URL = "https://newsroom.test/"


@dataclass
class Built:
    root: Path
    site: Path
    returncode: int
    output: str
    lang: str = "en"
    # The address the site was built for: fixtures' SITE_URL, or the loopback
    # port the real project is served on (conftest.py).
    base_url: str = SITE_URL

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def path(self, url: str) -> Path:
        """The file for a site URL such as news/2024/x/ or feed_rss_created.xml."""
        target = self.site / self.lang / url
        return target / "index.html" if url.endswith("/") or url == "" else target

    def html(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(url).read_text("utf-8"), "html.parser")

    def text(self, url: str) -> str:
        return self.path(url).read_text("utf-8")

    def sitemap(self) -> list[etree._Element]:
        return sitemap_entries(self.site / self.lang)


def sitemap_entries(lang_site: Path) -> list[etree._Element]:
    """The <url> entries of a language's sitemaps, found as a crawler finds
    them: sitemap.xml is an index (overrides/sitemap.xml), each of its
    sitemaps a file of the same language folder."""
    index = etree.parse(str(lang_site / "sitemap.xml")).getroot()
    assert index.tag == f"{SITEMAP}sitemapindex", f"{lang_site}/sitemap.xml is not a sitemap index"
    entries = []
    for loc in index.iter(f"{SITEMAP}loc"):
        path = urlsplit(loc.text).path
        prefix = f"/{lang_site.name}/"
        assert path.startswith(prefix), f"{loc.text} is not in {prefix}"
        child = etree.parse(str(lang_site / path[len(prefix) :])).getroot()
        assert child.tag == f"{SITEMAP}urlset", loc.text
        entries.extend(child.findall(f"{SITEMAP}url"))
    return entries


def sitemap_locs(lang_site: Path) -> set[str]:
    return {url.findtext(f"{SITEMAP}loc") for url in sitemap_entries(lang_site)}


def assemble(root: Path, fixture: str | Path | None) -> None:
    """Lay out a project copy in root: project config and code, fixture content."""
    for name in ("mkdocs.yml", "hooks", "overrides", "newsroom"):
        (root / name).symlink_to(PROJECT / name)
    # The web editor's files (npm ci), which `newsroom.cli build` puts at /admin/.
    if (PROJECT / "node_modules").is_dir():
        (root / "node_modules").symlink_to(PROJECT / "node_modules")
    shutil.copytree(PROJECT / "data", root / "data")
    if fixture is None:
        shutil.copytree(PROJECT / "docs", root / "docs")
        return
    source = FIXTURES / fixture if isinstance(fixture, str) else Path(fixture)
    if not (source / "NO_BASE").exists():
        shutil.copytree(FIXTURES / "base", root, dirs_exist_ok=True)
    for item in source.iterdir():
        if item.name in ("docs", "data"):
            shutil.copytree(item, root / item.name, dirs_exist_ok=True)
    # Images and PDFs a fixture needs are made here, never stored (PLACEHOLDERS
    # lists their paths, one a line, an image's optionally followed by its
    # size, e.g. docs/en/news/2024/images/photo.jpg 1600x900).
    if (source / "PLACEHOLDERS").exists():
        for line in (source / "PLACEHOLDERS").read_text("utf-8").split("\n"):
            if line.strip() and not line.startswith("#"):
                path, _, size = line.strip().partition(" ")
                target = root / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(placeholder(target.suffix, size.strip() or None))
    # Every declared language has a folder, as in the project, even if empty.
    for entry in yaml.safe_load((root / "data" / "languages.yml").read_text("utf-8")):
        (root / "docs" / entry["code"]).mkdir(parents=True, exist_ok=True)


def placeholder(suffix: str, size: str | None = None) -> bytes:
    """A small generated file of a published type: a 4x4 indigo PNG, or a
    one-page PDF with no text; or, given a size such as "1600x900", an image
    of that size (JPEG, PNG or WebP), drawn by Pillow: a gradient with a
    frame, nothing photographed."""
    if size is not None:
        return placeholder_image(suffix, *map(int, size.split("x")))
    if suffix == ".png":
        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        rows = b"".join(b"\x00" + b"\x28\x35\x93" * 4 for _ in range(4))
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    if suffix == ".pdf":
        return (
            b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
        )
    raise ValueError(f"no placeholder for {suffix} files")


def placeholder_image(suffix: str, width: int, height: int) -> bytes:
    import io

    from PIL import Image, ImageDraw

    horizontal = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (horizontal.point(lambda v: 40 + v // 2), Image.new("L", (width, height), 53), horizontal.transpose(Image.Transpose.ROTATE_90).resize((width, height)).point(lambda v: 147 - v // 3)))
    border = max(2, min(width, height) // 40)
    ImageDraw.Draw(image).rectangle((0, 0, width - 1, height - 1), outline=(255, 255, 255), width=border)
    out = io.BytesIO()
    kind = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}[suffix]
    image.save(out, kind, **({"quality": 90} if kind == "JPEG" else {}))
    return out.getvalue()


def build_env(lang: str = "en", extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment `make build` gives one language's mkdocs."""
    full_env = dict(os.environ)
    full_env.update(
        NEWSROOM_LANG=lang,
        NEWSROOM_DOCS_DIR=f"docs/{lang}",
        NEWSROOM_SITE_DIR=f"site/{lang}",
        NEWSROOM_SITE_URL=f"{SITE_URL}{lang}/",
        NO_MKDOCS_2_WARNING="1",
        LC_ALL="C.UTF-8",
        LANG="C.UTF-8",
    )
    full_env.update(extra or {})
    return full_env


def build(root: Path, lang: str = "en", env: dict[str, str] | None = None) -> Built:
    """Run the real mkdocs in root for one language."""
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=root, env=build_env(lang, env), capture_output=True, text=True)
    return Built(root, root / "site", done.returncode, done.stdout + done.stderr, lang)


def validated(root: Path, languages: list[str] | None = None, render: bool = True, now: str | None = None) -> list[str]:
    """The report of the validation entry point on an assembled project, run
    in this process, line by line ([] when all is well). languages=[code]
    with render=False is what `mkdocs build` of that language validates in
    on_config, and stops with; the defaults are what `make check` prints.
    now: NEWSROOM_NOW's format; the clock when None, as in a build."""
    from newsroom import schema
    from newsroom.content import now_from_env
    from newsroom.validation import validate

    moment = schema.parse_datetime(now, schema.Dates()) if now else now_from_env()
    return validate(root, moment, languages=languages, render=render).report().splitlines()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def replace(path: Path, text: str, drafts: Path) -> None:
    """Write a whole file in one step, as editors save: a watcher never sees
    it half-written. The draft is written in `drafts`, a folder nothing
    watches, on the same file system."""
    draft = drafts / path.name
    draft.write_text(text, "utf-8")
    os.replace(draft, path)


@dataclass
class Serving:
    """`mkdocs serve` running in a subprocess, and what it logs, line by line."""

    process: subprocess.Popen
    port: int
    lines: queue.Queue = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def wait_for(self, text: str, patience: float = 120) -> None:
        """Read the log until a line holds `text` (e.g. "Serving on", or
        "Reloading browsers" once a rebuild is written). Fails if the server
        stops first, or logs nothing at all for `patience` seconds."""
        while True:
            try:
                line = self.lines.get(timeout=patience)
            except queue.Empty:
                raise AssertionError(f"mkdocs serve logged nothing for {patience} s while we waited for {text!r}:\n{''.join(self.seen)}") from None
            if line is None:
                raise AssertionError(f"mkdocs serve stopped before it logged {text!r}:\n{''.join(self.seen)}")
            self.seen.append(line)
            if text in line:
                return


@contextmanager
def serving(root: Path, env: dict[str, str] | None = None, *args: str, lang: str = "en") -> Iterator[Serving]:
    """Run the real `mkdocs serve` in root (English unless `lang`) on a free
    loopback port; `args` are more options, e.g. --dirty as `make serve`."""
    port = free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *args]
    process = subprocess.Popen(command, cwd=root, env=build_env(lang, env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    server = Serving(process, port)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            server.lines.put(line)
        server.lines.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
        reader.join()
