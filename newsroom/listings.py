"""What each page lists: the releases, programmes and resources its template
prints, from a language's catalogue.

hooks/listings.py gives each page its listing (and generates the pages that
are only lists); hooks/rebuilds.py compares listings from one `mkdocs serve`
rebuild to the next to find the pages an edit changed.
"""

from __future__ import annotations

from typing import Any

from newsroom.content import HOME_LATEST, NEWS_PER_YEAR

# Long lists of releases (a year, a programme, an organisation) are split into
# pages of this many, so no page grows with the archive. Page 1 is the owner's
# own page; pages 2..n are generated at <owner URL>page/<n>/.
PER_PAGE = 25
# Each page links to the first and the last, and to this many on either side
# of itself: at most 9 numbers and gaps in all, however long the list.
PAGE_LINKS_AROUND = 2

_OWNER_URLS = {"year": "news/{}/", "programme": "programmes/{}/", "organisation": "organisations/{}/"}


def listing(src_uri: str, record: Any, spec: tuple[str, Any] | None, catalogue: Any, email_updates: str | None) -> dict[str, Any] | None:
    """The listing a page prints: `spec` is (kind, key) for a generated page
    (e.g. ("year", 2024)), `record` the page's own record if it has one; the
    home page also offers news by email where the site declares a service
    (data/site.yml, `email_updates`)."""
    listings = catalogue.listings
    if spec:
        return generated_listing(*spec, catalogue)
    if record is not None and record.kind == "release":
        return {"related": listings.related.get(record.src_uri, [])}
    if record is not None and record.kind == "programme":
        return {
            **page_of(catalogue, ("programme", record.slug), 1),
            "resources": listings.resources_by_programme.get(record.slug, []),
            "parts": [p for p in catalogue.programmes.values() if p.part_of == record.slug],
        }
    if src_uri == "index.md":
        return {"releases": listings.listed[:HOME_LATEST], "programmes": list(catalogue.programmes.values()), "email_updates": email_updates}
    return None


def generated_listing(kind: str, key: Any, catalogue: Any) -> dict[str, Any]:
    listings = catalogue.listings
    if kind == "news":
        years = sorted(listings.releases_by_year, reverse=True)
        return {"years": [(year, listings.releases_by_year[year][:NEWS_PER_YEAR], len(listings.releases_by_year[year])) for year in years]}
    if kind == "year":
        return {"year": key, **page_of(catalogue, ("year", key), 1)}
    if kind == "more":
        owner, number = key
        return {"owner": owner, **page_of(catalogue, owner, number)}
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
            **page_of(catalogue, ("organisation", key), 1),
            "resources": listings.resources_by_organisation.get(key, []),
        }
    if kind == "redirect":
        return {"target": key}
    return {}


def owner_url(owner: tuple[str, Any]) -> str:
    kind, key = owner
    return _OWNER_URLS[kind].format(key)


def paginated_owners(catalogue: Any) -> list[tuple[str, Any]]:
    """Every owner whose releases may run to several pages."""
    owners: list[tuple[str, Any]] = [("year", year) for year in catalogue.listings.releases_by_year]
    owners += [("programme", slug) for slug in catalogue.programmes]
    owners += [("organisation", slug) for slug in catalogue.organisations]
    return owners


def owner_releases(catalogue: Any, owner: tuple[str, Any]) -> list[Any]:
    kind, key = owner
    listings = catalogue.listings
    source = {"year": listings.releases_by_year, "programme": listings.releases_by_programme, "organisation": listings.releases_by_organisation}[kind]
    return source.get(key, [])


def page_count(count: int) -> int:
    return max(1, -(-count // PER_PAGE))


def page_of(catalogue: Any, owner: tuple[str, Any], number: int) -> dict[str, Any]:
    """One page of an owner's releases, newest first, with links to the others."""
    releases = owner_releases(catalogue, owner)
    base = owner_url(owner)
    total = page_count(len(releases))
    return {
        "releases": releases[(number - 1) * PER_PAGE : number * PER_PAGE],
        "release_count": len(releases),
        "pagination": {"current": number, "pages": [(n, f"{base}page/{n}/" if n and n > 1 else base) for n in page_links(number, total)]} if total > 1 else None,
    }


def page_links(current: int, total: int) -> list[int | None]:
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
