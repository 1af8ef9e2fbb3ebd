"""Generated pages and listings: news index, years, programmes, resources,
organisations, redirects from renamed releases, and the home page.

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
from newsroom.i18n import translate

HOME_LATEST = 6
NEWS_PER_YEAR = 10


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
    for release in catalogue.releases:
        for old in release.previous_paths:
            pages[f"{old}index.md"] = ("redirect", release)
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
    page.meta = {"template": f"{'news-year' if kind == 'year' else kind}.html", "title": Markup.escape(_title(kind, key))}
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
    context["embargoed"] = catalogue.embargoed
    spec = state.generated.get(page.file.src_uri)
    record = page.meta.get("record")
    if spec:
        kind, key = spec
        context["listing"] = _generated_listing(kind, key, catalogue)
    elif record is not None and record.kind == "release":
        context["listing"] = {"related": listings.related.get(record.src_uri, [])}
    elif record is not None and record.kind == "programme":
        context["listing"] = {
            "releases": listings.releases_by_programme.get(record.slug, []),
            "resources": listings.resources_by_programme.get(record.slug, []),
            "parts": [p for p in catalogue.programmes.values() if p.part_of == record.slug],
        }
    elif page.file.src_uri == "index.md":
        context["listing"] = {"releases": listings.listed[:HOME_LATEST], "programmes": list(catalogue.programmes.values())}
    return context


def _generated_listing(kind: str, key: Any, catalogue: Any) -> dict[str, Any]:
    listings = catalogue.listings
    if kind == "news":
        years = sorted(listings.releases_by_year, reverse=True)
        return {"years": [(year, listings.releases_by_year[year][:NEWS_PER_YEAR], len(listings.releases_by_year[year])) for year in years]}
    if kind == "year":
        return {"year": key, "releases": listings.releases_by_year.get(key, [])}
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
            "releases": listings.releases_by_organisation.get(key, []),
            "resources": listings.resources_by_organisation.get(key, []),
        }
    if kind == "redirect":
        return {"target": key}
    return {}


def _title(kind: str, key: Any) -> str:
    if kind == "year":
        return translate("news_from_year", year=key)
    if kind == "organisation":
        return build.get().catalogue.organisations[key].name
    if kind == "redirect":
        return translate("moved_title")
    return translate(kind)
