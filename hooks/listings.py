"""Generated pages and listings: news index, years, programmes, resources,
organisations, redirects from the old addresses of renamed pages, and the
home page.

Events:
- on_files: add each generated page with File.generated (never written into
  docs/, or `serve` would rebuild forever).
- on_page_markdown: give generated pages their title and template.
- on_page_context: hand each template exactly the listing it prints.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from newsroom import build
from newsroom.content import HOME_LATEST, NEWS_PER_YEAR
from newsroom.i18n import translate

# Long lists of releases (a year, a programme, an organisation) are split into
# pages of this many, so no page grows with the archive. Page 1 is the owner's
# own page; pages 2..n are generated at <owner URL>page/<n>/.
PER_PAGE = 25
# Each page links to the first and the last, and to this many on either side
# of itself: at most 9 numbers and gaps in all, however long the list.
PAGE_LINKS_AROUND = 2


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
    for owner in _paginated_owners(catalogue):
        for number in range(2, _page_count(len(_owner_releases(catalogue, owner))) + 1):
            pages[f"{_owner_url(owner)}page/{number}.md"] = ("more", (owner, number))
    state.generated = {}
    for src_uri, spec in pages.items():
        if files.get_file_from_path(src_uri) is None:
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
    listings = catalogue.listings
    context["organisations"] = catalogue.organisations
    context["programmes"] = catalogue.programmes
    context["preview"] = state.preview
    spec = state.generated.get(page.file.src_uri)
    record = page.meta.get("record")
    if spec:
        kind, key = spec
        context["listing"] = _generated_listing(kind, key, catalogue)
    elif record is not None and record.kind == "release":
        context["listing"] = {"related": listings.related.get(record.src_uri, [])}
    elif record is not None and record.kind == "programme":
        context["listing"] = {
            **_page_of(catalogue, ("programme", record.slug), 1),
            "resources": listings.resources_by_programme.get(record.slug, []),
            "parts": [p for p in catalogue.programmes.values() if p.part_of == record.slug],
        }
    elif page.file.src_uri == "index.md":
        context["listing"] = {"releases": listings.listed[:HOME_LATEST], "programmes": list(catalogue.programmes.values()), "email_updates": state.email_updates}
    return context


def _generated_listing(kind: str, key: Any, catalogue: Any) -> dict[str, Any]:
    listings = catalogue.listings
    if kind == "news":
        years = sorted(listings.releases_by_year, reverse=True)
        return {"years": [(year, listings.releases_by_year[year][:NEWS_PER_YEAR], len(listings.releases_by_year[year])) for year in years]}
    if kind == "year":
        return {"year": key, **_page_of(catalogue, ("year", key), 1)}
    if kind == "more":
        owner, number = key
        return {"owner": owner, **_page_of(catalogue, owner, number)}
    if kind == "programmes":
        return {"programmes": list(catalogue.programmes.values())}
    if kind == "resources":
        return {"resources": list(catalogue.resources.values())}
    if kind == "organisations":
        return {"organisations": list(catalogue.organisations.values())}
    if kind == "organisation":
        return {
            "organisation": catalogue.organisations[key],
            "programmes": listings.programmes_by_organisation.get(key, []),
            **_page_of(catalogue, ("organisation", key), 1),
            "resources": listings.resources_by_organisation.get(key, []),
        }
    if kind == "redirect":
        return {"target": key}
    return {}


_OWNER_URLS = {"year": "news/{}/", "programme": "programmes/{}/", "organisation": "organisations/{}/"}


def _owner_url(owner: tuple[str, Any]) -> str:
    kind, key = owner
    return _OWNER_URLS[kind].format(key)


def _paginated_owners(catalogue: Any) -> list[tuple[str, Any]]:
    """Every owner whose releases may run to several pages."""
    owners: list[tuple[str, Any]] = [("year", year) for year in catalogue.listings.releases_by_year]
    owners += [("programme", slug) for slug in catalogue.programmes]
    owners += [("organisation", slug) for slug in catalogue.organisations]
    return owners


def _owner_releases(catalogue: Any, owner: tuple[str, Any]) -> list[Any]:
    kind, key = owner
    listings = catalogue.listings
    source = {"year": listings.releases_by_year, "programme": listings.releases_by_programme, "organisation": listings.releases_by_organisation}[kind]
    return source.get(key, [])


def _page_count(count: int) -> int:
    return max(1, -(-count // PER_PAGE))


def _page_of(catalogue: Any, owner: tuple[str, Any], number: int) -> dict[str, Any]:
    """One page of an owner's releases, newest first, with links to the others."""
    releases = _owner_releases(catalogue, owner)
    base = _owner_url(owner)
    total = _page_count(len(releases))
    return {
        "releases": releases[(number - 1) * PER_PAGE : number * PER_PAGE],
        "release_count": len(releases),
        "pagination": {"current": number, "pages": [(n, f"{base}page/{n}/" if n and n > 1 else base) for n in _page_links(number, total)]} if total > 1 else None,
    }


def _page_links(current: int, total: int) -> list[int | None]:
    """The page numbers a page links to, in order; None for a gap. A gap
    never hides a single page: that page is shown instead."""
    shown = {1, total, *range(max(1, current - PAGE_LINKS_AROUND), min(total, current + PAGE_LINKS_AROUND) + 1)}
    links: list[int | None] = []
    for n in sorted(shown):
        previous = links[-1] if links else 0
        if n - previous == 2:
            links.append(n - 1)
        elif n - previous > 2:
            links.append(None)
        links.append(n)
    return links


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
