"""The author's edit loop: under `mkdocs serve --dirty` (`make serve`), a
save rebuilds the pages it changes, and only those.

MkDocs' dirty build reads, renders and writes only the pages whose source
file is newer than the page written from it, and every generated page. On
its own that leaves stale every page that shows a release without being its
file: the home page, the year's list, its programmes' and organisations'
pages, the releases that list it as related news, and a translation shown
from the English file. So before MkDocs looks at the dates, this hook
compares what each page shows with what the last build wrote for it: its
record, and the listing it prints (hooks/listings.py, the same function its
template is given, newsroom/listings.py). A page whose content changed has
its written file removed, which MkDocs rebuilds like a page never written.
Anything that many pages show (templates, data/, mkdocs.yml, programmes,
resources, other pages, organisations, UI strings, which languages a page
exists in, the sizes made of a lead image) rebuilds every page, and a page
or file (an image, a document) that is gone is removed. The navigation's pages and redirects are written
every time: other pages read their titles, and the sitemap which are
redirects. Feeds and search carry the pages not rebuilt over from the build
that wrote them (hooks/feeds.py, hooks/search.py); the sitemap and the 404
page are written every time.

Not carried over: which files only an unpublished release uses
(hooks/content.py) is worked out from the pages rebuilt, so a file that a
release turned draft no longer shows stays in the preview until restart.

MkDocs warns on every dirty build that it "will likely lead to inaccurate
navigation and other links": with strict mode that warning would stop each
rebuild. Here it is not true, so it is dropped from MkDocs' log, under
`mkdocs serve --dirty` only; every other warning still stops the build.

A full build (`make build`, `mkdocs build`, `mkdocs serve` without --dirty)
writes every page as before: this hook then does nothing.

Every language's pages are made from the English files (the facts, and the
text of what is not translated yet), so `make serve LANG=fr` watches
docs/en/ too, not only its own docs/fr/.

Events: on_startup (whether builds are dirty), on_nav (last: every page and
the navigation are known), on_post_build (what this build wrote), on_serve
(the English files watched).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from newsroom import build
from newsroom.listings import listing
from newsroom.translations import SOURCE_LANG

_DIRTY_WARNING = "A 'dirty' build is being performed"

_dirty = False
# What the last complete build wrote: the state every page shares, and for
# each page (its path in the site) what it showed.
_shared: Any = None
_shown: dict[str, Any] = {}
_others: set[str] = set()
# This build's, kept until it is complete.
_next: tuple[Any, dict[str, Any], set[str]] | None = None


class _AccurateDirtyBuild(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_WARNING)


def on_startup(*, command: str, dirty: bool) -> None:
    global _dirty
    _dirty = dirty
    logger = logging.getLogger("mkdocs.commands.build")
    if dirty and not any(isinstance(f, _AccurateDirtyBuild) for f in logger.filters):
        logger.addFilter(_AccurateDirtyBuild())


@event_priority(-100)  # last: every generated page is in `files`
def on_nav(nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
    global _next
    if not _dirty:
        return nav
    state = build.get()
    shared = _everything_shared(config, state)
    shown = {file.dest_uri: _what_it_shows(file.src_uri, state) for file in files.documentation_pages()}
    # Pages other pages read when they are written: the navigation's titles,
    # and which pages are redirects (the sitemap leaves those out). MkDocs
    # reads a page only when it writes it, so these are written every time.
    always = {page.file.dest_uri for page in nav.pages} | {file.dest_uri for file in files.documentation_pages() if state.generated.get(file.src_uri, ("",))[0] == "redirect"}
    site = Path(config.site_dir)
    everything = shared != _shared
    for dest_uri, what in shown.items():
        if everything or dest_uri in always or _shown.get(dest_uri, what) != what:
            (site / dest_uri).unlink(missing_ok=True)
    # Pages and files (images, documents) that are gone: MkDocs would leave
    # what it wrote for them before.
    others = {file.dest_uri for file in files if not file.is_documentation_page()}
    for gone in (_shown.keys() - shown.keys()) | (_others - others):
        (site / gone).unlink(missing_ok=True)
    _next = (shared, shown, others)
    return nav


def on_post_build(*, config: MkDocsConfig) -> None:
    global _shared, _shown, _others, _next
    if _next is not None:
        _shared, _shown, _others = _next
        _next = None


def on_serve(server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
    english = Path(config.config_file_path).parent / "docs" / SOURCE_LANG
    if Path(config.docs_dir).resolve() != english.resolve():
        server.watch(str(english))
    return server


def _what_it_shows(src_uri: str, state: build.Build) -> Any:
    catalogue = state.catalogue
    record = catalogue.by_src(src_uri)
    spec = state.generated.get(src_uri)
    # Its share card (hooks/images.py): named by the lead image's bytes,
    # which a save can change under the same file name.
    return (record, spec, listing(src_uri, record, spec, catalogue, state.email_updates), state.cards.get(src_uri))


def _everything_shared(config: MkDocsConfig, state: build.Build) -> Any:
    catalogue = state.catalogue
    folders = [Path(config.config_file_path), state.root / "data", *(Path(d) for d in config.theme.dirs[:1])]
    return (
        _stamps(folders),
        catalogue.organisations,
        catalogue.programmes,
        catalogue.resources,
        catalogue.pages,
        catalogue.available,
        state.strings,
        state.preview,
        # Lead images' sizes, named by the image's bytes: the release's page
        # and every card of it shows them, and a picture saved under the same
        # file name changes them without changing any front-matter.
        state.sized,
    )


def _stamps(paths: list[Path]) -> list[tuple[str, int, int]]:
    found = []
    for path in paths:
        if path.is_file():
            stat = path.stat()
            found.append((str(path), stat.st_size, stat.st_mtime_ns))
            continue
        for directory, _, names in os.walk(path):
            for name in names:
                stat = os.stat(os.path.join(directory, name))
                found.append((os.path.join(directory, name), stat.st_size, stat.st_mtime_ns))
    return sorted(found)
