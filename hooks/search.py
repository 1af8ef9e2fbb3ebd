"""Search: Pagefind indexes each language's written pages into <site>/pagefind/.

One index per language, taken from <html lang>: each language builds into its
own folder and is indexed on its own, so results only ever come from the
reader's language. The binary ships in the pagefind[extended] package (which
segments Chinese and stems Arabic, Russian, French and Spanish); nothing is
downloaded. Only elements marked data-pagefind-body are indexed: release,
programme and resource texts, never navigation, notices or listings.

Pagefind reads only what it indexes. Each page template wraps the element it
marks for search in `{% call search_body(marked) %}`, which prints it as it
is and keeps it: once the page is written, that element alone is written,
inside <html lang>, at the page's own path in a staging folder outside the
site. Pagefind's own command line (`pagefind --site <staging> --output-path
<site>/pagefind`, the binary that pagefind.service.get_executable finds in
the pinned package) then indexes exactly what it would find in the
published pages (tests/test_search.py compares the two), without reading
every page's header, navigation, metadata and footer, nor the listings, which
it would read only to find them unmarked: a third less of its CPU time at
1,000 releases (`make bench`).

Its Python API (`pagefind.index.PagefindIndex`, whose `add_directory` does
the same through Pagefind's service) was measured against the command line
at 1,000 releases in one language (on a busy 2-core machine): the command
line took less CPU time (2.4 s against 2.8 s in one run, 3.5 s against 3.6 s
in another) and less wall time, as the API's client waits 0.1 s before it
reads each answer.

When no page of a language is marked for search (a language with no
translation yet, where every page is the English text), Pagefind given the
site would index every page whole, and with no page at all it writes
nothing. Then the API writes Pagefind's bundle with no page in it, so search
answers "no results" rather than failing.

Under `mkdocs serve --dirty` (`make serve`), a rebuild writes only the pages
an edit changes (hooks/rebuilds.py): the staging folder is kept from one
rebuild to the next, so the pages not written again stay in the index, and
the staged copy of a page that is gone, or no longer marked, is removed.
There Pagefind indexes the whole site again after each rebuild, which takes
longer than the rebuild itself at 1,000 releases, so the rebuild does not
wait for it: Pagefind writes a new index beside the served one, which
replaces it (two renames) once it is complete. The page, its lists and feeds
are shown at once; search finds the edit a second or two later, and until
then answers from the index before. A rebuild started meanwhile stops the
Pagefind run it makes out of date. `mkdocs build` and `make build` wait.

Events: on_startup (whether builds are dirty), on_pre_build (a staging
folder), on_env (`search_body` for the templates), on_page_context and
on_post_page (the page's marked element, staged), on_post_build (last: every
page is written), on_shutdown.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.search")

OUTPUT = "pagefind"

_dirty = False
_staging: tempfile.TemporaryDirectory | None = None
# The marked element of the page being rendered, if its template has one.
_body: str | None = None
# What the site's pages are (their paths in the site), for a dirty rebuild
# to drop the staged copies of pages that are gone.
_pages: set[str] = set()
# The staging folders made so far.
_folders: set[Path] = set()


def on_startup(*, command: str, dirty: bool) -> None:
    global _dirty
    _dirty = dirty


def on_shutdown() -> None:
    global _staging
    _stop_indexing()
    if _staging is not None:
        _staging.cleanup()
        _staging = None


def on_pre_build(*, config: MkDocsConfig) -> None:
    # A dirty rebuild writes only the pages that changed: the others keep
    # what the build that wrote them staged.
    global _staging
    if _staging is None or not _dirty:
        on_shutdown()
        _staging = tempfile.TemporaryDirectory(prefix="newsroom-search-")
        _folders.clear()


def on_env(env: Any, *, config: MkDocsConfig, files: Files) -> Any:
    global _pages
    env.globals["search_body"] = search_body
    _pages = {file.dest_uri for file in files.documentation_pages()}
    return env


def search_body(marked: bool, *, caller: Any) -> Markup:
    """The element a page template marks for search (data-pagefind-body), as
    written, kept for Pagefind when `marked`."""
    global _body
    html = caller()
    if marked:
        _body = str(html)
    return Markup(html)


def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    global _body
    _body = None
    return context


@event_priority(-100)  # last: the page as it is written
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    global _body
    staged = _staged(page.file.dest_uri)
    if _body is None:
        staged.unlink(missing_ok=True)
    else:
        if staged.parent not in _folders:
            staged.parent.mkdir(parents=True, exist_ok=True)
            _folders.add(staged.parent)
        # All Pagefind reads besides the marked element: the language, from
        # the page's own <html> tag (the first tag the theme writes).
        start = output.find("<html")
        html_tag = output[start : output.index(">", start) + 1]
        staged.write_text(f"<!doctype html>{html_tag}<body>{_body}</body></html>", "utf-8")
        _body = None
    return output


def _staged(dest_uri: str) -> Path:
    assert _staging is not None
    return Path(_staging.name) / dest_uri


@event_priority(-100)  # last: every page is written
def on_post_build(*, config: MkDocsConfig, **_: Any) -> None:
    from pagefind.service import get_executable

    _stop_indexing()
    binary = get_executable()
    if binary is None:
        raise PluginError("The Pagefind binary is missing: run `make serve` or `make test`, which install pagefind[extended] from requirements/build.txt.")
    assert _staging is not None
    staging = Path(_staging.name)
    staged = list(staging.rglob("*.html"))
    for path in staged:
        if path.relative_to(staging).as_posix() not in _pages:
            path.unlink()  # a page that is gone (a dirty rebuild)
    site = Path(config.site_dir)
    # --silent: only errors. Even --quiet prints notes that are no problem
    # (for Chinese: "Pagefind doesn't support stemming for the language zh").
    command = [str(binary), "--site", str(staging), "--output-path", str(site / OUTPUT), "--silent"]
    if _dirty and any(path.is_file() for path in staged):
        _index_meanwhile(command, site)
        return
    # A dirty rebuild keeps the folder: no index file of an earlier build
    # may stay beside the new ones.
    shutil.rmtree(site / OUTPUT, ignore_errors=True)
    if not any(path.is_file() for path in staged):
        asyncio.run(_empty_index(site / OUTPUT))
        return
    done = subprocess.run(command, capture_output=True, text=True)
    said = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        raise PluginError(_failed(site, done.returncode, said))
    if said:
        log.info(f"Pagefind, indexing {site}:\n{said}")


def _failed(site: Path, status: int, said: str) -> str:
    return f"Pagefind could not index {site} (exit status {status}):\n{said[-2000:]}"


# A dirty rebuild's Pagefind run, and the thread that puts its index in place.
_indexing: tuple[subprocess.Popen, threading.Thread] | None = None


def _index_meanwhile(command: list[str], site: Path) -> None:
    """Pagefind writes beside the served index, which its index then replaces."""
    global _indexing
    (site / OUTPUT).mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{OUTPUT}-", dir=site))
    command[4] = str(fresh)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def publish() -> None:
        said = process.communicate()[0].strip()
        if process.returncode == 0:
            old = fresh.with_name(fresh.name + "-old")
            os.replace(site / OUTPUT, old)
            os.replace(fresh, site / OUTPUT)
            shutil.rmtree(old, ignore_errors=True)
            if said:
                log.info(f"Pagefind, indexing {site}:\n{said}")
        else:
            shutil.rmtree(fresh, ignore_errors=True)
            if process.returncode > 0:  # not stopped by a later rebuild
                log.error(_failed(site, process.returncode, said))

    thread = threading.Thread(target=publish, name="pagefind", daemon=True)
    thread.start()
    _indexing = (process, thread)


def _stop_indexing() -> None:
    """A Pagefind run still indexing an earlier rebuild is out of date: stopped."""
    global _indexing
    if _indexing is not None:
        process, thread = _indexing
        if process.poll() is None:
            process.terminate()
        thread.join()
        _indexing = None


async def _empty_index(output: Path) -> None:
    from pagefind.index import PagefindIndex

    async with PagefindIndex(config={"output_path": str(output)}):
        pass  # on leaving, the index is written: Pagefind's scripts, no page
