"""Read what Pagefind indexed, without a browser.

Each fragment file is gzip-compressed JSON behind a `pagefind_dcd` signature:
the page's URL, metadata, filters and indexed text.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


def indexed_pages(language_site: Path) -> list[dict]:
    pages = []
    for fragment in sorted((language_site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(fragment.read_bytes())
        assert raw.startswith(SIGNATURE), fragment
        pages.append(json.loads(raw[len(SIGNATURE):]))
    return pages


def languages(language_site: Path) -> dict:
    return json.loads((language_site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))["languages"]
