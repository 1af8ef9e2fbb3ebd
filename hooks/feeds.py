"""Feeds: the site feed from mkdocs-rss-plugin, corrected, and one RSS feed per
programme built with feedgen.

mkdocs-rss-plugin 1.19 has defects that reach subscribers (see
ARCHITECTURE.md, section 3). This hook works around each one and is the only
place that knows the plugin's internals:
- items duplicate on every `serve` rebuild: its page list is reset in on_config;
- `<category>`, `<source>` and the image title are unescaped, and `<url>None</url>`
  appears without an image: it renders our template (templates/rss.xml);
- GUIDs are the page URL, which changes with a slug: each item gets the
  release's permanent id, and its description is the full text with absolute
  URLs, sanitised;
- channel dates come from the clock: they come from the newest release.

Events: on_config, on_page_content, on_post_build (before and after the plugin).
"""

from __future__ import annotations

import itertools
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from feedgen.feed import FeedGenerator
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from newsroom import build
from newsroom.feedhtml import absolute_html
from newsroom.i18n import longdate, translate, translate_html

TEMPLATES = Path(__file__).parent / "templates"
LOGO = "assets/images/newsroom-feed.png"

_items = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "xml"]))


def _rss_plugins(config: MkDocsConfig) -> list[Any]:
    return [plugin for name, plugin in config.plugins.items() if name.split(" #")[0] == "rss"]


@event_priority(50)
def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    """Before the plugin's on_config: settings it reads there."""
    state = build.get()
    for plugin in _rss_plugins(config):
        plugin.config.image = state.absolute(LOGO)
        # Readers show a channel's description as HTML (feedparser does): the
        # text of the UI string goes in escaped for HTML, then for XML.
        plugin.config.feed_description = str(escape(config.site_description or ""))
        plugin.config.length = int(state.settings.get("feed_length", 50))
        # Without on_startup (an in-process build) the plugin has no cmd_is_serve.
        if not hasattr(plugin, "cmd_is_serve"):
            plugin.cmd_is_serve = False
    return config


def on_pre_build(*, config: MkDocsConfig) -> None:
    """After every plugin's on_config: reset its state and swap its template."""
    for plugin in _rss_plugins(config):
        plugin.pages_to_filter = []
        plugin.tpl_folder = TEMPLATES
        plugin.tpl_file = Path("rss.xml")


@event_priority(-100)
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """After the plugin's on_page_content (-75): correct the item it just made.

    The item's full text is built in on_post_build, only for the items that
    make it into a feed (the newest few dozen), not for the whole archive.
    """
    record = page.meta.get("record")
    if record is None or record.kind != "release":
        return html
    state = build.get()
    if not state.catalogue.in_feeds(record):
        # Feeds carry only what is live and really exists in their language.
        for plugin in _rss_plugins(config):
            plugin.pages_to_filter = [i for i in plugin.pages_to_filter if not (i._mkdocs_page_ref and i._mkdocs_page_ref.src_uri == page.file.src_uri)]
        return html
    state.feed_sources[record.src_uri] = (record, html)
    for plugin in _rss_plugins(config):
        for item in reversed(plugin.pages_to_filter):
            if item._mkdocs_page_ref and item._mkdocs_page_ref.src_uri == page.file.src_uri:
                item.guid = record.guid
                item.link = state.absolute(record.url)
                item.title = record.title
                item.description = None  # set in on_post_build if the item is in a feed
                item.categories = [state.catalogue.programmes[slug].title for slug in record.programmes]
                break
    return html


@event_priority(10)
def on_post_build(*, config: MkDocsConfig) -> None:
    """Before the plugin writes its feeds: full texts for the items it will
    write, and channel dates from content, not the clock."""
    state = build.get()
    newest = format_datetime(state.last_change)
    for plugin in _rss_plugins(config):
        length = plugin.config.length
        for attribute in ("created", "updated"):
            for item in sorted(plugin.pages_to_filter, key=lambda i: getattr(i, attribute), reverse=True)[:length]:
                item.description = _full_text(item._mkdocs_page_ref.src_uri)
        for feed in (plugin.feed_created, plugin.feed_updated):
            feed.pubDate = feed.buildDate = newest
    _write_programme_feeds(config)


def _full_text(src_uri: str) -> str:
    """A release's item HTML, built once however many feeds carry it."""
    state = build.get()
    if src_uri not in state.feed_items:
        record, html = state.feed_sources[src_uri]
        state.feed_items[src_uri] = item_html(record, html, state.absolute(record.url))
    return state.feed_items[src_uri]


def item_html(release: Any, body_html: str, page_url: str) -> str:
    """A release's full text for feeds: absolute URLs, nothing executable."""
    template = _items.get_template("feed-item.html")
    rendered = template.render(
        release=release,
        separator=translate("dateline_separator"),
        date=longdate(release.date),
        updates=[{"label": f"{translate('updated')} {longdate(u.date)}", "note": u.note} for u in reversed(release.updates)],
        contacts_label=translate("contacts"),
        body=Markup(body_html),
    )
    return absolute_html(rendered, page_url)


def _write_programme_feeds(config: MkDocsConfig) -> None:
    state = build.get()
    catalogue = state.catalogue
    length = int(state.settings.get("feed_length", 50))
    site_dir = Path(config.site_dir)
    for programme in catalogue.programmes.values():
        in_language = (r for r in catalogue.listings.releases_by_programme.get(programme.slug, []) if catalogue.in_feeds(r))
        releases = list(itertools.islice(in_language, length))
        fg = FeedGenerator()
        fg.title(f"{programme.title} — {state.site_name}")
        # feedgen's RSS <link> is the last link given: self first, page last.
        fg.link(href=state.absolute(programme.feed_url), rel="self")
        fg.link(href=state.absolute(programme.url), rel="alternate")
        fg.description(str(translate_html("programme_feed_description", programme=programme.title)))  # HTML, as above
        fg.language(state.lang)
        fg.image(url=state.absolute(LOGO), title=f"{programme.title} — {state.site_name}", link=state.absolute(programme.url))
        fg.generator("newsroom (python-feedgen)")
        fg.ttl(60)
        newest = max((r.updated for r in releases), default=state.epoch)
        fg.lastBuildDate(newest)
        fg.pubDate(newest)
        for release in releases:
            entry = fg.add_entry(order="append")
            entry.title(release.title)
            entry.link(href=state.absolute(release.url))
            entry.guid(release.guid, permalink=False)
            entry.pubDate(release.date)
            entry.category([{"term": catalogue.programmes[slug].title} for slug in release.programmes])
            entry.description(_full_text(release.src_uri))
        target = site_dir / programme.feed_url
        target.parent.mkdir(parents=True, exist_ok=True)
        fg.rss_file(str(target), pretty=True)
