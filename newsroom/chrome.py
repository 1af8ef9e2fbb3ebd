"""Where a page sits, and who stands behind the site: the breadcrumb trail
and the organisations the footer names.

The trail is the one truth for three things: the breadcrumb a reader sees
(overrides/partials/breadcrumb.html), its schema.org BreadcrumbList
(hooks/metadata.py) and the top tab highlighted (overrides/partials/tabs.html:
the trail's first step after the home page). Releases, programme pages and
the rest are deliberately not in `nav:` (ARCHITECTURE.md §2), so Material
marks no tab active on them; their place comes from what they are instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsroom import build
from newsroom.i18n import translate



@dataclass(frozen=True)
class Crumb:
    """One step of the trail: its text, its address from the language root
    ("" is the home page), and the language of the text when it is not the
    page's (a title still shown in English)."""

    name: str
    url: str
    lang: str | None = None


def trail(page: Any, state: build.Build) -> list[Crumb]:
    """The steps from the home page to this page, this page last; empty on
    the home page, redirects and pages the site does not place."""
    if page is None or getattr(page, "is_homepage", False):
        return []
    catalogue = state.catalogue
    record = page.meta.get("record") if page.meta else None
    spec = state.generated.get(page.file.src_uri) if page.file else None
    here = page.url
    if record is not None:
        shown_in = "en" if record.translation is not None and record.translation.fallback and state.lang != "en" else None
        if record.kind == "release":
            steps = _news()
            if f"news/{record.year}.md" in state.generated:
                steps.append(Crumb(str(record.year), f"news/{record.year}/"))
            return [*steps, Crumb(record.title, here, shown_in)]
        if record.kind == "programme":
            return [*_programme_steps(record.part_of, state), Crumb(record.short_name, here)]
        if record.kind == "resource":
            return [_home(), Crumb(translate("resources"), "resources/"), Crumb(record.title, here, shown_in)]
        return [_home(), Crumb(record.title, here, shown_in)]
    if spec is None:
        return []
    kind, key = spec
    if kind in ("news", "programmes", "resources", "organisations"):
        return [_home(), Crumb(translate(kind), here)]
    if kind == "year":
        return [*_news(), Crumb(str(key), here)]
    if kind == "organisation":
        return [_home(), Crumb(translate("organisations"), "organisations/"), Crumb(catalogue.organisations[key].acronym, here)]
    if kind == "more":
        (owner_kind, owner_key), number = key
        owner: list[Crumb]
        if owner_kind == "year":
            owner = [*_news(), Crumb(str(owner_key), f"news/{owner_key}/")]
        elif owner_kind == "programme":
            programme = catalogue.programmes[owner_key]
            owner = [*_programme_steps(programme.part_of, state), Crumb(programme.short_name, programme.url)]
        else:
            owner = [_home(), Crumb(translate("organisations"), "organisations/"), Crumb(catalogue.organisations[owner_key].acronym, f"organisations/{owner_key}/")]
        return [*owner, Crumb(translate("breadcrumb_page", number=number), here)]
    return []


def section(steps: list[Crumb]) -> str | None:
    """The address of the top page this page belongs under (its tab)."""
    return steps[1].url if len(steps) > 1 else None


def _home() -> Crumb:
    return Crumb(translate("home"), "")


def _news() -> list[Crumb]:
    return [_home(), Crumb(translate("news"), "news/")]


def _programme_steps(parent: str | None, state: build.Build) -> list[Crumb]:
    """Home, Programmes, and the programme this one is part of, if any."""
    steps = [_home(), Crumb(translate("programmes"), "programmes/")]
    parents: list[Crumb] = []
    while parent and parent in state.catalogue.programmes and all(c.url != f"programmes/{parent}/" for c in parents):
        programme = state.catalogue.programmes[parent]
        parents.insert(0, Crumb(programme.short_name, programme.url))
        parent = programme.part_of
    return steps + parents


def breadcrumb_list(steps: list[Crumb], state: build.Build) -> dict[str, Any] | None:
    """schema.org BreadcrumbList of a trail, every step with its absolute address."""
    if not steps:
        return None
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": crumb.name, "item": state.absolute(crumb.url)}
            for number, crumb in enumerate(steps, start=1)
        ],
    }


def footer_organisations(catalogue: Any) -> dict[str, list[str]]:
    """Who stands behind the site, from the programme pages: the
    organisations that implement the programmes and those that fund them,
    each once, in the order the programmes name them."""
    implementers: dict[str, None] = {}
    funders: dict[str, None] = {}
    for programme in catalogue.programmes.values():
        implementers.update(dict.fromkeys(programme.implementers))
        funders.update(dict.fromkeys(programme.funders))
    return {"implementers": list(implementers), "funders": list(funders)}
