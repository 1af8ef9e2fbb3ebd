"""Search: Pagefind indexes each language's written pages into <site>/pagefind/.

One index per language, taken from <html lang>: each language builds into its
own folder and is indexed on its own, so results only ever come from the
reader's language. The binary ships in the pagefind[extended] package (which
segments Chinese and stems Arabic, Russian, French and Spanish); nothing is
downloaded. Only elements marked data-pagefind-body are indexed: release,
programme and resource texts, never navigation, notices or listings.

Once every page is written, Pagefind's own command line reads the site folder
(`pagefind --site <site_dir>`, the binary that pagefind.service.get_executable
finds in the pinned package), so the index is exactly what Pagefind makes of
the published pages. Its Python API (`pagefind.index.PagefindIndex`, whose
`add_directory` does the same through Pagefind's service) was measured
against it at 1,000 releases in one language (`make bench`, on a busy
2-core machine): the command line took less CPU time (2.4 s against 2.8 s
in one run, 3.5 s against 3.6 s in another) and less wall time, as the API's
client waits 0.1 s before it reads each answer.

One case differs: when no page of a language is marked for search (a
language with no translation yet, where every page is the English text),
Pagefind would index every page whole, listings and navigation included, and
with no page at all it writes nothing. Then the API writes Pagefind's bundle
with no page in it, so search answers "no results" rather than failing.

Events: on_startup (whether builds are dirty), on_pre_build (a full build
starts afresh), on_post_page (whether the page is marked for search),
on_post_build (last: every page is written). It runs in `mkdocs serve` too,
so search works while previewing, in dirty rebuilds as well.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from pagefind.index import PagefindIndex
from pagefind.service import get_executable

log = logging.getLogger("mkdocs.hooks.search")

OUTPUT = "pagefind"
# The mark Pagefind looks for, on an element: every text on a page is
# escaped, so no text can look like it.
_MARKED = re.compile(r"<[a-z][^<>]*\sdata-pagefind-body[\s/>=]")

_dirty = False
# Written page (its path in the site) -> whether it is marked for search.
_marked: dict[str, bool] = {}


def on_startup(*, command: str, dirty: bool) -> None:
    global _dirty
    _dirty = dirty


def on_pre_build(*, config: MkDocsConfig) -> None:
    # A dirty rebuild writes only the pages that changed: the others keep
    # what the build that wrote them found.
    if not _dirty:
        _marked.clear()


@event_priority(-100)  # last: the page as it is written
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    _marked[page.file.dest_uri] = _MARKED.search(output) is not None
    return output


@event_priority(-100)  # last: every page is written
def on_post_build(*, config: MkDocsConfig, **_: Any) -> None:
    binary = get_executable()
    if binary is None:
        raise PluginError("The Pagefind binary is missing: run `make serve` or `make test`, which install pagefind[extended] from requirements/build.txt.")
    site = Path(config.site_dir)
    # A dirty rebuild keeps the folder: no index file of an earlier build
    # may stay beside the new ones.
    shutil.rmtree(site / OUTPUT, ignore_errors=True)
    if not any(_marked.values()):
        asyncio.run(_empty_index(site / OUTPUT))
        return
    # --silent: only errors. Even --quiet prints notes that are no problem
    # (for Chinese: "Pagefind doesn't support stemming for the language zh").
    done = subprocess.run([str(binary), "--site", str(site), "--output-subdir", OUTPUT, "--silent"], capture_output=True, text=True)
    said = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        raise PluginError(f"Pagefind could not index {site} (exit status {done.returncode}):\n{said[-2000:]}")
    if said:
        log.info(f"Pagefind, indexing {site}:\n{said}")


async def _empty_index(output: Path) -> None:
    async with PagefindIndex(config={"output_path": str(output)}):
        pass  # on leaving, the index is written: Pagefind's scripts, no page
