"""Parts of a page that many pages show alike, rendered once and reused.

Material renders its navigation, tabs, stylesheets, scripts, configuration,
header and footer again for every page, though almost every page shows the
same ones: releases and listings are not in `nav:`, so nothing in it is
active, and their links differ only by the page's place in the site. Our
templates wrap such parts in `{% call layout.once(key) %}`: the part is
rendered the first time its key is met and reused after. Each key holds
everything the part reads that varies by page:

- navigation and tabs (partials/nav.html, tabs.html; `Layout.key`): the base
  URL, every navigation link and the logo as the `url` filter makes them
  relative to this page, which items are active, whether this page is itself
  in the navigation (then its table of contents is in it), and what the page
  hides;
- stylesheets, scripts, configuration, analytics and the logo (main.html,
  header.html): the base URL and `Layout.assets`, where assets/ is from this
  page, as every address in them is under assets/ (should one ever not be,
  it is this page's own address, so nothing is shared);
- the palette toggle and search dialog (header.html), the footer (its
  previous and next links and what the page hides), the back-to-top button,
  and a release's card in listings and related news (the release, its
  heading level and its address from this page; everything else on a card
  is the release's own).

NEWSROOM_LAYOUT_CACHE=0 renders every time; the tests build both ways and
compare every file.

Events: on_nav (a new cache for the build), on_env (Material's originals
reachable as "material/...", compiled templates kept for the process, and
the cache to every template, 404.html too), on_page_context (the cache, to
the page templates).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

import material
from jinja2 import BytecodeCache, ChoiceLoader, Environment, FileSystemLoader, PrefixLoader
from jinja2.bccache import Bucket
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
        extra = [str(getattr(item, "path", item)) for item in (*config.extra_css, *config.extra_javascript)] + ([str(self.logo)] if self.logo else [])
        self.assets_only = all(path.startswith("assets/") or "://" in path or path.startswith("/") for path in extra)

    def key(self, name: str, page: Any, base_url: str) -> tuple:
        """The key of Material's navigation or tabs on this page."""
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

    def assets(self, page: Any, base_url: str) -> str:
        """Where assets/ is from this page: for the keys of parts whose every
        address is under it. If the site's stylesheets, scripts or logo are
        not all there, this page's own address (no page shares it)."""
        if self.assets_only:
            return normalize_url("assets/", page, base_url)
        return f"page:{page.url}" if page is not None else f"base:{base_url}"

    def once(self, key: tuple, caller: Callable[[], str]) -> Markup:
        """What the `{% call %}` block renders, rendered once per key."""
        if not self.enabled:
            return Markup(caller())
        held = self.held.get(key)
        if held is None:
            held = self.held[key] = Markup(caller())
        return held


def _walk(items: list) -> Any:
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])


class _Compiled(BytecodeCache):
    """Templates compiled once per process, not once per build: a worker of
    `make build` builds several languages, and `mkdocs serve` rebuilds. Jinja
    finds a compiled template by its name, file and a hash of its source, so
    an edited template is compiled again. Compiled code holds nothing of a
    language: filters that read one are called at render time
    (hooks/languages.py)."""

    def __init__(self) -> None:
        self.held: dict[tuple[str, str], bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.held.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.held[(bucket.key, bucket.checksum)] = bucket.bytecode_to_string()


_compiled = _Compiled()


def on_env(env: Environment, *, config: MkDocsConfig, files: Any) -> Environment:
    env.bytecode_cache = _compiled
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
