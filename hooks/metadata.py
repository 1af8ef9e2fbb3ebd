"""Structured metadata: schema.org JSON-LD, Open Graph and Twitter cards.

Search engines and social networks read these. A release is a NewsArticle
published by every organisation that issued it; a programme is a Project;
a resource is a Report or Book; an organisation page describes an
Organization. Every page below the home page also has a BreadcrumbList: the
trail of newsroom/chrome.py, which the visible breadcrumb
(partials/breadcrumb.html) and the highlighted tab (partials/tabs.html) read
from the context too, so the three never disagree. A release's and a
programme's image is its share card (hooks/images.py), 1200x630, with its
size, type and alternative text; in the JSON-LD, an ImageObject, after the
lead image's own (with its caption, credit and licence where given). Other
pages show the site's logo. Values are plain data here;
partials/metadata.html serialises them with `tojson`, which escapes <, >
and &, so a title containing </script> cannot break out of the JSON-LD
block.

The sitemap (overrides/sitemap.xml) dates each page by its own content
(`lastmod`), never by the build.

Events: on_env, on_page_context.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from newsroom import build, chrome, schema
from newsroom.i18n import alternates
from newsroom.translations import SOURCE_LANG

LOGO = "assets/images/newsroom-feed.png"
_RESOURCE_TYPES = {"report": "Report", "handbook": "Book", "toolkit": "Book", "compendium": "Book", "guide": "Book"}


def on_env(env: Any, *, config: MkDocsConfig, files: Any) -> Any:
    env.globals["lastmod"] = lastmod
    _newest.clear()
    return env


# The newest change in each list of releases, found once a build: a list's
# later pages share its date, and the sitemap asks for every page.
_newest: dict[tuple, str | None] = {}


def lastmod(page: Page) -> str | None:
    """A page's own last change, for the sitemap: a release's last correction
    (or withdrawal); a page that lists releases, its newest release or
    correction; a resource, its date if a full one. A page with no date of
    its own has none: the build's date would say every page changed."""
    state = build.get()
    listings = state.catalogue.listings
    # From the catalogue, not page.meta: under `mkdocs serve --dirty` the
    # sitemap lists pages that this rebuild did not read (hooks/rebuilds.py).
    record = state.catalogue.by_src(page.file.src_uri)
    kind = getattr(record, "kind", None)
    if kind == "release":
        return max([record.updated, *([record.withdrawn.date] if record.withdrawn else [])]).isoformat()
    if kind == "resource":
        written = record.date or ""
        return schema.parse_datetime(written, state.dates).isoformat() if len(written) == 10 else None
    spec = state.generated.get(page.file.src_uri)
    if spec and spec[0] == "more":
        spec = spec[1][0]  # a list's later page changes with the whole list
    by_owner = {"year": listings.releases_by_year, "programme": listings.releases_by_programme, "organisation": listings.releases_by_organisation}
    if kind == "programme":
        owner: tuple = ("programme", record.slug)
    elif page.file.src_uri == "index.md" or (spec and spec[0] == "news"):
        owner = ("news",)
    elif spec and spec[0] in by_owner:
        owner = spec
    else:
        return None
    if owner not in _newest:
        shown = listings.listed if owner == ("news",) else by_owner[owner[0]].get(owner[1], [])
        newest = max((r.updated for r in shown), default=None)
        _newest[owner] = newest.isoformat() if newest else None
    return _newest[owner]


def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    state = build.get()
    record = page.meta.get("record")
    url = page.canonical_url or state.absolute(page.url)
    description = page.meta.get("description") or state.strings.get("site_description", "")
    title = record.title if record is not None else str(page.title or state.site_name)
    # A release's or programme's share card (hooks/images.py); the logo elsewhere.
    card = state.cards.get(record.src_uri) if record is not None else None
    image = state.absolute(card.path) if card is not None else state.absolute(LOGO)
    language = state.language["code"]
    # A page still shown in English is in English, whatever its folder; its
    # alternates are the other languages it is really written in.
    shown_in = SOURCE_LANG if record is not None and record.fallback else language
    og_locales = {entry["code"]: entry["og_locale"] for entry in state.languages}
    written_in = [code for code, _ in alternates(page) if code != shown_in]
    og = {
        "og:type": "article" if getattr(record, "kind", "") == "release" else "website",
        "og:title": title,
        "og:description": description,
        "og:url": url,
        "og:site_name": state.site_name,
        "og:locale": og_locales[shown_in],
        "og:locale:alternate": [og_locales[code] for code in written_in],
        "og:image": image,
    }
    if card is not None:
        og.update({"og:image:type": card.type, "og:image:width": card.width, "og:image:height": card.height, "og:image:alt": card.alt})
    og.update({
        "twitter:card": "summary_large_image" if card is not None else "summary",
        "twitter:title": title,
        "twitter:description": description,
    })
    if getattr(record, "kind", "") == "release":
        og["article:published_time"] = record.date.isoformat()
        og["article:modified_time"] = record.updated.isoformat()
    context["open_graph"] = og
    context["json_ld"] = _json_ld(record, page, url, title, description, _images(record, card, state), language, state)
    steps = chrome.trail(page, state)
    context["breadcrumbs"] = steps
    context["section"] = chrome.section(steps)
    context["breadcrumb_list"] = chrome.breadcrumb_list(steps, state)
    return context


def _organisation(slug: str, state: build.Build) -> dict[str, Any]:
    org = state.catalogue.organisations[slug]
    data: dict[str, Any] = {"@type": "Organization", "name": org.name_in(state.lang), "alternateName": org.acronym, "url": state.absolute(org.url)}
    if org.website:
        data["sameAs"] = org.website
    return data


def _images(record: Any, card: Any, state: build.Build) -> list[dict[str, Any]]:
    """ImageObjects of a release or programme: its lead image (with caption,
    credit and licence where given) and its share card."""
    found = []
    lead = getattr(record, "image", None)
    sized = state.sized.get(record.image_url) if lead is not None else None
    if sized is not None:
        data: dict[str, Any] = {
            "@type": "ImageObject",
            "contentUrl": state.absolute(sized.original),
            "url": state.absolute(sized.src.path),
            "width": sized.width,
            "height": sized.height,
            "description": lead.alt,
        }
        for key, value in (("caption", lead.caption), ("creditText", lead.credit), ("license", lead.licence)):
            if value:
                data[key] = value
        found.append(data)
    if card is not None:
        found.append({"@type": "ImageObject", "url": state.absolute(card.path), "width": card.width, "height": card.height})
    return found or [{"@type": "ImageObject", "url": state.absolute(LOGO)}]


def _json_ld(record: Any, page: Page, url: str, title: str, description: str, image: list[dict[str, Any]], language: str, state: build.Build) -> dict[str, Any] | None:
    base = {"@context": "https://schema.org", "url": url, "inLanguage": language}
    kind = getattr(record, "kind", None)
    if kind == "release":
        return {
            **base,
            "@type": "NewsArticle",
            "headline": title,
            "description": description,
            "datePublished": record.date.isoformat(),
            "dateModified": record.updated.isoformat(),
            "image": image,
            "mainEntityOfPage": url,
            "publisher": [_organisation(slug, state) for slug in record.publishers],
            "author": [_organisation(slug, state) for slug in record.publishers],
            "contentLocation": {"@type": "Place", "name": record.location},
            "about": [{"@type": "Project", "name": state.catalogue.programmes[slug].title, "url": state.absolute(state.catalogue.programmes[slug].url)} for slug in record.programmes],
        }
    if kind == "programme":
        data = {
            **base,
            "@type": "Project",
            "name": title,
            "alternateName": record.short_name,
            "description": description,
            "member": [_organisation(slug, state) for slug in record.implementers],
            "image": image,
        }
        if record.funders:
            data["funder"] = [_organisation(slug, state) for slug in record.funders]
        if record.part_of:
            data["parentOrganization"] = {"@type": "Project", "name": state.catalogue.programmes[record.part_of].title}
        return data
    if kind == "resource":
        data = {**base, "@type": _RESOURCE_TYPES.get(record.kind_name, "CreativeWork"), "name": title, "description": description}
        if record.publishers:
            data["publisher"] = [_organisation(slug, state) for slug in record.publishers]
        if record.date:
            data["datePublished"] = record.date
        return data
    spec = state.generated.get(page.file.src_uri)
    if spec and spec[0] == "organisation":
        return {**base, **_organisation(spec[1], state), "url": url}
    if page.is_homepage:
        return {**base, "@type": "WebSite", "name": state.site_name, "description": description}
    return None
