"""Generated pages and listings: news index, years, programmes, resources,
organisations, redirects from the old addresses of renamed pages, and the
home page.

Events:
- on_startup: whether builds are dirty (`make serve`).
- on_files: add each generated page with File.generated (never written into
  docs/, or `serve` would rebuild forever). MkDocs' dirty build writes every
  page generated from text again; under `mkdocs serve --dirty` each is
  generated from one empty file made once, outside docs/, so MkDocs writes it
  only when hooks/rebuilds.py finds its listing changed.
- on_page_markdown: give generated pages their title and template.
- on_page_context: hand each template exactly the listing it prints.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from newsroom import build
from newsroom.i18n import translate
from newsroom.listings import listing, owner_releases, owner_url, page_count, paginated_owners


_dirty = False
# The empty source of every generated page in dirty builds, older than any page written.
_unchanging: tempfile.TemporaryDirectory | None = None


def on_startup(*, command: str, dirty: bool) -> None:
    global _dirty, _unchanging
    _dirty = dirty
    if dirty and _unchanging is None:
        _unchanging = tempfile.TemporaryDirectory(prefix="newsroom-generated-")
        (Path(_unchanging.name) / "generated.md").write_text("", "utf-8")


def on_shutdown() -> None:
    global _unchanging
    if _unchanging is not None:
        _unchanging.cleanup()
        _unchanging = None


@event_priority(50)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    state = build.get()
    catalogue = state.catalogue
    pages: dict[str, tuple[str, Any]] = {
        "news/index.md": ("news", None),
        "programmes/index.md": ("programmes", None),
        "resources/index.md": ("resources", None),
        "organisations/index.md": ("organisations", None),
    }
    for year in catalogue.listings.releases_by_year:
        pages[f"news/{year}.md"] = ("year", year)
    for slug in catalogue.organisations:
        pages[f"organisations/{slug}.md"] = ("organisation", slug)
    for record in catalogue.renamed:
        for old in record.previous_paths:
            pages[f"{old}index.md"] = ("redirect", record)
    for owner in paginated_owners(catalogue):
        for number in range(2, page_count(len(owner_releases(catalogue, owner))) + 1):
            pages[f"{owner_url(owner)}page/{number}.md"] = ("more", (owner, number))
    state.generated = {}
    for src_uri, spec in pages.items():
        if files.get_file_from_path(src_uri) is None:
            if _unchanging is not None:
                files.append(File.generated(config, src_uri, abs_src_path=str(Path(_unchanging.name) / "generated.md")))
            else:
                files.append(File.generated(config, src_uri, content=""))
            state.generated[src_uri] = spec
    return files


@event_priority(50)
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    state = build.get()
    spec = state.generated.get(page.file.src_uri)
    if spec is None:
        if page.file.src_uri == "index.md":
            page.meta["template"] = "home.html"
        return markdown
    kind, key = spec
    templates = {"year": "release-list.html", "more": "release-list.html"}
    page.meta = {"template": templates.get(kind, f"{kind}.html"), "title": Markup.escape(_title(kind, key))}
    if kind == "redirect":
        page.meta["redirect"] = key.url
        # The canonical address of an old URL is the release's current one.
        page.canonical_url = state.absolute(key.url)
    return markdown


def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    state = build.get()
    catalogue = state.catalogue
    context["organisations"] = catalogue.organisations
    context["programmes"] = catalogue.programmes
    context["preview"] = state.preview
    shown = listing(page.file.src_uri, page.meta.get("record"), state.generated.get(page.file.src_uri), catalogue, state.email_updates)
    if shown is not None:
        context["listing"] = shown
    return context


def _title(kind: str, key: Any) -> str:
    if kind == "more":
        (owner_kind, owner_key), number = key
        return translate("page_of", title=_owner_title(owner_kind, owner_key), number=number)
    if kind == "year":
        return translate("news_from_year", year=key)
    if kind == "organisation":
        state = build.get()
        return state.catalogue.organisations[key].name_in(state.lang)
    if kind == "redirect":
        return translate("moved_title")
    return translate(kind)


def _owner_title(kind: str, key: Any) -> str:
    catalogue = build.get().catalogue
    if kind == "programme":
        return catalogue.programmes[key].title
    return _title(kind, key)
