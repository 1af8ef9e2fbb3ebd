"""Content model and validation: every content file becomes one validated record.

Events:
- on_config: start a fresh build state (serve and pytest reuse this module).
- on_files: validate every file at once (English sources and this language's
  translations); stop the build with an author-facing message, or drop drafts
  and embargoed releases before MkDocs sees them, and add the English page
  wherever this language has no translation yet.
- on_page_read_source, on_page_markdown: give MkDocs the body already read,
  and the record instead of its own front-matter reading.
- on_page_content: hold the rendered HTML to the content policy
  (newsroom/sanitise.py) and clean it; on_env, which runs once every page is
  rendered and before anything is written, stops the build with every
  refused element of every file at once.
"""

from __future__ import annotations

import os
import unicodedata
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from newsroom import build
from newsroom import sanitise
from newsroom.problems import ContentError, Problems
from newsroom.translations import SOURCE_LANG, load_language

TEMPLATES = {"release": "press-release.html", "programme": "programme.html", "resource": "resource.html"}


@event_priority(100)
def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    build.start(config)
    return config


@event_priority(100)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    state = build.get()
    try:
        state.catalogue = load_language(state.root, state.lang, state.now, state.tz, state.preview)
    except ContentError as error:
        raise PluginError(str(error)) from None
    for src_uri in state.catalogue.unpublished:
        unpublished = files.get_file_from_path(src_uri)
        if unpublished is not None:
            files.remove(unpublished)
    if state.lang != SOURCE_LANG:
        _fall_back_to_english(files, config, state)
    # MkDocs stamps the build time on output (sitemap lastmod). Taking it from
    # content makes two builds of one commit identical and re-announces nothing.
    os.environ["SOURCE_DATE_EPOCH"] = str(int(state.last_change.timestamp()))
    return files


@event_priority(100)
def on_page_read_source(*, page: Page, config: MkDocsConfig) -> str | None:
    """The body, already read and validated: MkDocs need not read and parse it again."""
    catalogue = build.get().catalogue
    source = catalogue.sources.get(page.file.src_uri) if catalogue else None
    if source is None:
        return None
    # MkDocs would take a leading "---" block as front-matter.
    return ("\n" if source.body.startswith("---") else "") + source.body


@event_priority(100)
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    catalogue = build.get().catalogue
    record = catalogue.by_src(page.file.src_uri) if catalogue else None
    if record is None:
        return markdown
    page.meta = _meta(record)
    # One spelling for one text: composed (NFC), as front-matter is.
    return unicodedata.normalize("NFC", catalogue.sources[page.file.src_uri].body)


@event_priority(90)
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    state = build.get()
    source = state.catalogue.sources.get(page.file.src_uri) if state.catalogue else None
    if source is not None:
        state.html_problems.extend(sanitise.problems(html, source.body, source.path, source.body_first_line))
    return sanitise.clean(html)


@event_priority(100)
def on_env(env: Any, *, config: MkDocsConfig, files: Files) -> Any:
    state = build.get()
    if state.html_problems:
        problems = Problems()
        problems.extend(state.html_problems)
        raise PluginError(problems.render())
    return env


def _fall_back_to_english(files: Files, config: MkDocsConfig, state: build.Build) -> None:
    """Every English page and file exists in every language, so a switch never 404s."""
    english = state.root / "docs" / SOURCE_LANG
    for path in sorted(english.rglob("*")):
        if not path.is_file():
            continue
        src_uri = path.relative_to(english).as_posix()
        if files.get_file_from_path(src_uri) is not None or src_uri in state.catalogue.unpublished:
            continue
        # Backed by the English file itself: tools that read abs_src_path (the
        # feed plugin does) never meet a generated page without one.
        files.append(File.generated(config, src_uri, abs_src_path=str(path)))


def _meta(record: Any) -> dict[str, Any]:
    """The page metadata MkDocs, Material and the feed plugin read.

    Material prints page titles unescaped (header, navigation, footer), so
    the title goes in escaped, as Markup: every template then prints it
    escaped exactly once, and autoescaped templates do not escape it again.
    """
    meta: dict[str, Any] = {"title": Markup.escape(record.title), "record": record}
    if getattr(record, "summary", None):
        meta["description"] = record.summary
    if record.kind in TEMPLATES:
        meta["template"] = TEMPLATES[record.kind]
    if record.kind == "release":
        meta["feed_date"] = record.date
        meta["feed_updated"] = record.updated
    return meta
