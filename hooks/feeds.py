"""Feeds: the site feeds from mkdocs-rss-plugin, corrected, and one RSS feed per
programme built with feedgen.

mkdocs-rss-plugin 1.19 has defects that reach subscribers (see
ARCHITECTURE.md, section 3). This hook works around each one, through the
plugin's public attributes only (its config, `pages_to_filter`, the
`feed_created`/`feed_updated` feeds and their items' fields):
- items duplicate on every `serve` rebuild: its page list is reset in on_pre_build;
- `<category>`, `<source>` and the image title are unescaped, and `<url>None</url>`
  appears without an image: it renders our template (templates/rss.xml);
- GUIDs are the page URL, which changes with a slug: each item gets the
  release's GUID in this language (Release.guid), and its description is the
  full text with absolute URLs, sanitised;
- channel dates come from the clock: they come from the items, and a feed
  without items has none;
- its JSON Feed writes `"image": null` and `"authors": []`, which JSON Feed 1.1
  does not allow: the written file is corrected.
Every RSS file is written with the RSS Best Practices Profile's escapes, which
the W3C Feed Validator asks for (_profile_escapes).

Under `mkdocs serve --dirty` (`make serve`), a rebuild renders only the pages
an edit changed (hooks/rebuilds.py): each release's item and text are kept
from the build that last rendered it, so every feed still carries the newest
releases, once each, in the order a full build gives them.

Events: on_startup (whether builds are dirty), on_config (before the
plugin's), on_pre_build, on_page_content (after the plugin's), on_env (once
every page is read), on_post_build (after the plugin has written its feeds).
"""

from __future__ import annotations

import itertools
import json
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from feedgen.feed import FeedGenerator
from jinja2 import Environment, FileSystemLoader, select_autoescape
from lxml import etree
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from newsroom import build
from newsroom.feedhtml import absolute_html
from newsroom.i18n import longdate, translate, translate_html

TEMPLATES = Path(__file__).parent / "templates"
LOGO = "assets/images/newsroom-feed.png"

_items = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "xml"]))

_dirty = False
# src_uri -> (record, rendered HTML, the item each rss plugin made) of every
# release a feed may carry, as last rendered: a dirty rebuild renders only
# the pages an edit changed.
_kept: dict[str, tuple[Any, str, list[Any]]] = {}


def on_startup(*, command: str, dirty: bool) -> None:
    global _dirty
    _dirty = dirty


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
    return config


def on_pre_build(*, config: MkDocsConfig) -> None:
    """After every plugin's on_config: reset its state and swap its template."""
    if not _dirty:
        _kept.clear()
    for plugin in _rss_plugins(config):
        plugin.pages_to_filter = []
        plugin.tpl_folder = TEMPLATES
        plugin.tpl_file = Path("rss.xml")


@event_priority(-100)
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """After the plugin's on_page_content (-75): correct the item it just made
    for this page, known by its source file (the item's public `abs_path`).

    The item's full text is built in on_env, only for the items that make it
    into a feed (the newest few dozen), not for the whole archive.
    """
    record = page.meta.get("record")
    if record is None or record.kind != "release":
        return html
    state = build.get()
    source = Path(page.file.abs_src_path)
    if not record.in_feeds:
        for plugin in _rss_plugins(config):
            plugin.pages_to_filter = [i for i in plugin.pages_to_filter if i.abs_path != source]
        _kept.pop(record.src_uri, None)
        return html
    state.feed_sources[record.guid] = (record, html)
    items: list[Any] = []  # each plugin's item, or None
    for plugin in _rss_plugins(config):
        items.append(None)
        for item in reversed(plugin.pages_to_filter):
            if item.abs_path == source:
                item.guid = record.guid
                item.link = state.absolute(record.url)
                item.title = record.title
                item.description = None  # set in on_env if the item is in a feed
                item.categories = [state.catalogue.programmes[slug].title for slug in record.programmes]
                items[-1] = item
                break
    _kept[record.src_uri] = (record, html, items)
    return html


def on_env(env: Any, *, config: MkDocsConfig, files: Files) -> Any:
    """Every page is read: full texts for the items the plugin will write, and
    channel dates from those items (none for a feed without items)."""
    if _dirty:
        _carry_over(config, files)
    for plugin in _rss_plugins(config):
        length = plugin.config.length
        for attribute, feed in (("created", plugin.feed_created), ("updated", plugin.feed_updated)):
            entries = sorted(plugin.pages_to_filter, key=lambda i: getattr(i, attribute), reverse=True)[:length]
            for item in entries:
                item.description = _full_text(item.guid)
            feed.pubDate = format_datetime(max(getattr(i, attribute) for i in entries)) if entries else None
            feed.buildDate = format_datetime(max(i.updated for i in entries)) if entries else None
    return env


def _carry_over(config: MkDocsConfig, files: Files) -> None:
    """A dirty rebuild: every release a feed may carry, with its item and
    text as last rendered, in the order of a full build (the pages' order)."""
    state = build.get()
    catalogue = state.catalogue
    carried = {r.src_uri: r for r in catalogue.releases if r.in_feeds}
    for src_uri, record in carried.items():
        kept = _kept.get(src_uri)
        if kept is None or kept[0] != record:
            # hooks/rebuilds.py rebuilds every page whose record changed.
            raise PluginError(f"The feeds have no current text of docs/{state.lang}/{src_uri}: stop `make serve` and start it again.")
        state.feed_sources[record.guid] = kept[:2]
    order = [file.src_uri for file in files.documentation_pages() if file.src_uri in carried]
    for index, plugin in enumerate(_rss_plugins(config)):
        plugin.pages_to_filter = [item for src_uri in order if (item := _kept[src_uri][2][index]) is not None]


@event_priority(-50)
def on_post_build(*, config: MkDocsConfig) -> None:
    """After the plugin has written its feeds: correct them, then write the
    programme feeds."""
    site_dir = Path(config.site_dir)
    for plugin in _rss_plugins(config):
        names = plugin.config.feeds_filenames
        if plugin.config.rss_feed_enabled:
            for name in (names.rss_created, names.rss_updated):
                path = site_dir / name
                path.write_text(_profile_escapes(path.read_text("utf-8")), "utf-8")
        if plugin.config.json_feed_enabled:
            for name in (names.json_created, names.json_updated):
                path = site_dir / name
                feed = _json_feed_1_1(json.loads(path.read_text("utf-8")))
                path.write_text(json.dumps(feed, indent=4 if plugin.config.pretty_print else None), "utf-8")
    _write_programme_feeds(config)


def _full_text(guid: str) -> str:
    """A release's item HTML, built once however many feeds carry it."""
    state = build.get()
    if guid not in state.feed_items:
        record, html = state.feed_sources[guid]
        state.feed_items[guid] = item_html(record, html, state.absolute(record.url))
    return state.feed_items[guid]


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


def _json_feed_1_1(feed: dict[str, Any]) -> dict[str, Any]:
    """The plugin's JSON Feed, as JSON Feed 1.1 allows it: an empty `authors`
    or a null `image` is left out; an item's image is its release's image."""
    state = build.get()
    if not feed.get("authors"):
        feed.pop("authors", None)
    for item in feed["items"]:
        if not item.get("authors"):
            item.pop("authors", None)
        record, _ = state.feed_sources[item["id"]]
        if record.image_url:
            item["image"] = state.absolute(record.image_url)
        else:
            item.pop("image", None)
    return feed


def _profile_escapes(xml: str) -> str:
    """Text escaped as the RSS Best Practices Profile asks: & as &#x26; and < as
    &#x3C;, which tells readers that a title with & or < is plain text, not
    HTML. The XML is the same: a character reference and an entity reference
    stand for the same character, and both serialisers we use (lxml for
    feedgen, MarkupSafe for the plugin's template) write these two characters
    only as &amp; and &lt;, in text and attributes alike."""
    return xml.replace("&amp;", "&#x26;").replace("&lt;", "&#x3C;")


def _write_programme_feeds(config: MkDocsConfig) -> None:
    state = build.get()
    catalogue = state.catalogue
    length = int(state.settings.get("feed_length", 50))
    site_dir = Path(config.site_dir)
    for programme in catalogue.programmes.values():
        in_language = (r for r in catalogue.listings.releases_by_programme.get(programme.slug, []) if r.in_feeds)
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
        if releases:
            fg.pubDate(max(r.date for r in releases))
            fg.lastBuildDate(max(r.updated for r in releases))
        for release in releases:
            entry = fg.add_entry(order="append")
            entry.title(release.title)
            entry.link(href=state.absolute(release.url))
            entry.guid(release.guid, permalink=False)
            entry.pubDate(release.date)
            entry.category([{"term": catalogue.programmes[slug].title} for slug in release.programmes])
            entry.description(_full_text(release.guid))
        rss = etree.fromstring(fg.rss_str())
        if not releases:
            # feedgen stamps the clock as lastBuildDate: a feed without items
            # has no date that is true.
            for stamp in rss.iterfind("channel/lastBuildDate"):
                stamp.getparent().remove(stamp)
        target = site_dir / programme.feed_url
        target.parent.mkdir(parents=True, exist_ok=True)
        etree.indent(rss)
        text = etree.tostring(rss, encoding="unicode", xml_declaration=False)
        target.write_text(_profile_escapes(f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n'), "utf-8")
