"""Parts of a page that many pages show alike, rendered once and reused.

Material renders the site navigation (partials/nav.html) and the tabs
(partials/tabs.html) again for every page, though almost every page shows the
same ones: releases and listings are not in `nav:`, so nothing in it is
active, and their links differ only by the page's place in the site. Our
partials of the same names (both through partials/layout-cache.html) render
Material's own once per key and reuse the HTML. The key holds everything
those templates read that varies by page: the base URL, every navigation link
and the logo as the `url` filter makes them relative to this page, which
items are active, whether this page is itself in the navigation (then its
table of contents is in it), and what the page hides.

Smaller parts go through `layout.once(key)` in a `{% call %}` block: the
stylesheets, scripts and configuration Material writes in every page (keyed by
the base URL and where assets/ is from this page: every address in them is
under assets/), the header's palette toggle, logo and search dialog, and a
release's card in listings and related news (keyed by the release, its
heading level and its address from this page; everything else on a card is
the release's own).

NEWSROOM_LAYOUT_CACHE=0 renders every time; the tests build both ways and
compare every file.

Events: on_nav (a new cache for the build), on_env (Material's originals
reachable as "material/...", and the cache to every template),
on_page_context (the cache, to the page templates).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

import material
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import normalize_url

MATERIAL = Path(material.__file__).parent / "templates"


class Layout:
    def __init__(self, config: MkDocsConfig, nav: Any) -> None:
        self.enabled = os.environ.get("NEWSROOM_LAYOUT_CACHE", "1") != "0"
        self.items = list(_walk(nav.items)) if nav is not None else []
        self.logo = config.theme.get("logo")
        self.held: dict[tuple, Markup] = {}
        self._urls_page: Any = None
        self._urls_base = ""
        self._urls: tuple = ()
        # The keys of once() take every address in those parts to be under
        # assets/ (or absolute): should one ever not be, render them every time.
        extra = [str(getattr(item, "path", item)) for item in (*config.extra_css, *config.extra_javascript)] + ([str(self.logo)] if self.logo else [])
        self.once_enabled = self.enabled and all(path.startswith("assets/") or "://" in path or path.startswith("/") for path in extra)

    def key(self, name: str, page: Any, base_url: str) -> tuple:
        # Navigation and tabs both ask, one after the other, for every page.
        if self._urls_page is not page or self._urls_base != base_url:
            self._urls = tuple(normalize_url(str(item.url), page, base_url) for item in self.items if getattr(item, "url", None) is not None)
            self._urls_page, self._urls_base = page, base_url
        meta = getattr(page, "meta", None) or {}
        return (
            name,
            base_url,
            self._urls,
            normalize_url(str(self.logo), page, base_url) if self.logo else None,
            tuple(bool(getattr(item, "active", False)) for item in self.items),
            page.url if any(item is page for item in self.items) else None,
            repr(meta.get("hide")),
        )

    def once(self, key: tuple, caller: Callable[[], str]) -> Markup:
        """What the `{% call %}` block renders, rendered once per key."""
        if not self.once_enabled:
            return Markup(caller())
        held = self.held.get(key)
        if held is None:
            held = self.held[key] = Markup(caller())
        return held

    def get(self, key: tuple) -> Markup | None:
        return self.held.get(key) if self.enabled else None

    def keep(self, key: tuple, html: str) -> Markup:
        made = Markup(html)
        if self.enabled:
            self.held[key] = made
        return made


def _walk(items: list) -> Any:
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])


def on_env(env: Environment, *, config: MkDocsConfig, files: Any) -> Environment:
    env.loader = ChoiceLoader([env.loader, PrefixLoader({"material": FileSystemLoader(str(MATERIAL))})])
    # Also for the theme's own templates (404.html), which get no page context.
    env.globals["layout"] = _layout
    return env


def on_nav(nav: Any, *, config: MkDocsConfig, files: Any) -> Any:
    global _layout
    _layout = Layout(config, nav)
    return nav


def on_page_context(context: dict[str, Any], *, page: Any, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    context["layout"] = _layout
    return context


_layout: Layout | None = None
