"""A copy of the project to look at and to measure: the real content, plus a
generated placeholder lead image on one release.

The seed releases have no images of their own, and none may be invented, but
a release with a lead image is a page type readers will meet: `make audit`
(newsroom/audit.py) measures it and `make screenshots` (newsroom/screenshots.py)
shows it. Both build this copy in a temporary folder, never in the working
copy: the project's configuration, code and templates are linked, its docs/
and data/ copied, and the image written there at run time.

The image is no photograph: a horizontal gradient in the site's indigo with
fine generated grain, 1200 x 675 pixels (16:9, the size newsrooms publish a
lead image at), saved as a PNG of about the weight of a photograph of that
size saved as JPEG (about 100 KB), so that a page's measured weight is
honest.
"""

from __future__ import annotations

import random
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
RELEASE = "news/2024/from-emerging-tech-to-responsible-ai/"
RELEASE_FILE = "docs/en/news/2024/from-emerging-tech-to-responsible-ai.md"
IMAGE = "images/placeholder-lead-image.png"
IMAGE_SIZE = (1200, 675)
# The share of pixels with grain, set for a file of about 100 KB.
GRAIN = 0.03
IMAGE_FRONT_MATTER = (
    "image:\n"
    f"  src: {IMAGE}\n"
    '  alt: "Placeholder: an indigo gradient, generated to show where a lead image appears"\n'
    '  caption: "Generated placeholder image: the release has no photograph of its own."\n'
)


def placeholder_png(width: int = IMAGE_SIZE[0], height: int = IMAGE_SIZE[1], seed: int = 19) -> bytes:
    """A PNG gradient from the site's indigo to a lighter blue, with grain.

    The grain (one random step of brightness on some pixels) is what keeps
    the file near a real photograph's weight; without it a gradient
    compresses to a few kilobytes."""
    rng = random.Random(seed)
    start, end = (40, 53, 147), (121, 134, 203)
    rows = []
    for y in range(height):
        pixels = bytearray()
        for x in range(width):
            t = (x + y * 0.3) / (width + height * 0.3)
            grain = 4 if rng.random() < GRAIN else 0
            pixels += bytes(min(255, round(a + (b - a) * t) + grain) for a, b in zip(start, end))
        # PNG's "Sub" filter: each byte less the one three before it (the
        # same colour of the pixel to the left), as encoders do for photographs.
        rows.append(b"\x01" + bytes((pixels[i] - (pixels[i - 3] if i >= 3 else 0)) & 0xFF for i in range(len(pixels))))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")


def prepare(root: Path, project: Path = PROJECT) -> None:
    """Lay out the copy in root (an empty folder): the project as it is,
    with the placeholder lead image on the 2024 launch release."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "hooks", "overrides", "newsroom"):
        (root / name).symlink_to(project / name)
    if (project / "node_modules").is_dir():
        (root / "node_modules").symlink_to(project / "node_modules")
    shutil.copytree(project / "docs", root / "docs")
    shutil.copytree(project / "data", root / "data")
    release = root / RELEASE_FILE
    image = release.parent / IMAGE
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(placeholder_png())
    text = release.read_text("utf-8")
    head, close, body = text.partition("\n---\n")
    release.write_text(f"{head}\n{IMAGE_FRONT_MATTER.rstrip()}{close}{body}", "utf-8")


def build(root: Path, site: Path, site_url: str) -> None:
    """Every language, as `make build` builds them, for the address the copy
    is served on."""
    command = [sys.executable, "-m", "newsroom.cli", "build", "--site-dir", str(site), "--site-url", site_url]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"The build of the copy in {root} failed:\n{done.stdout}{done.stderr}")
