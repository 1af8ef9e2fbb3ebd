"""Content model and validation: every content file becomes one validated record.

Events:
- on_config: validate the checkout for this language (newsroom/validation.py,
  as `make check` does): stop the build with every problem at once, or keep
  the settings, UI strings and catalogue of validated records; and add the
  collector of each page's links to MkDocs' Markdown extensions.
- on_files: drop drafts and embargoed releases before MkDocs sees them, and
  add the English page or file wherever this language has none yet.
- on_page_read_source, on_page_markdown: give MkDocs the body already read,
  and the record instead of its own front-matter reading.
- on_page_content: hold the HTML MkDocs rendered, and the links it was
  written with, to the rules `make check` applies to its own rendering
  (validation.page_problems), then clean it (newsroom/sanitise.py); on_env,
  which runs once every page is rendered and before anything is written,
  stops the build with every problem of every page at once.
- An unpublished release (a draft, or embargoed) holds back its files too:
  on_files lists what it uses, on_page_content what published pages use,
  and on_env leaves out the rest before MkDocs copies any file.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Any

from markdown import Markdown
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, set_exclusions
from mkdocs.structure.pages import Page

from newsroom import build
from newsroom import sanitise
from newsroom.frontmatter import read_source
from newsroom.paths import local_references
from newsroom.problems import Problems
from newsroom.translations import SOURCE_LANG
from newsroom.validation import markdown_text, page_problems

TEMPLATES = {"release": "press-release.html", "programme": "programme.html", "resource": "resource.html"}


@event_priority(100)
def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    state = build.start(config)
    config.markdown_extensions.append(state.links)
    return config


@event_priority(100)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    state = build.get()
    if state.lang != SOURCE_LANG:
        _fall_back_to_english(files, config, state)
    for src_uri in state.catalogue.unpublished:
        unpublished = files.get_file_from_path(src_uri)
        if unpublished is not None:
            files.remove(unpublished)
    state.held_files = _used_by_unpublished(files, config, state)
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
    state = build.get()
    state.links.take()  # what converting anything else left (_used_by_unpublished)
    record = state.catalogue.by_src(page.file.src_uri) if state.catalogue else None
    if record is None:
        return markdown
    page.meta = _meta(record)
    return markdown_text(state.catalogue.sources[page.file.src_uri])


@event_priority(90)
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    state = build.get()
    links = state.links.take()
    source = state.catalogue.sources.get(page.file.src_uri) if state.catalogue else None
    if source is not None:
        # A page shown in English is the English file, whose links lead where English ones do.
        targets = state.targets[SOURCE_LANG if page.meta["record"].fallback else state.lang]
        state.html_problems.extend(page_problems(html, links, source, page.file.src_uri, targets, state.reserved_ids))
    if state.held_files:
        # MkDocs has made the page's links relative to its own address.
        state.shown_files |= local_references(html, page.url) & state.held_files
    return sanitise.clean(html, state.reserved_ids)


@event_priority(100)
def on_env(env: Any, *, config: MkDocsConfig, files: Files) -> Any:
    """Every page is rendered and nothing is written yet: stop on refused
    HTML, and leave out the files only unpublished releases use."""
    state = build.get()
    if state.html_problems:
        problems = Problems()
        problems.extend(state.html_problems)
        raise PluginError(problems.render())
    for src_uri in sorted(state.held_files - state.shown_files):
        held = files.get_file_from_path(src_uri)
        if held is not None:
            files.remove(held)
    return env


def _fall_back_to_english(files: Files, config: MkDocsConfig, state: build.Build) -> None:
    """Every English page and file exists in every language, so a switch never 404s.

    Only what the English build publishes is copied: not a file MkDocs leaves
    out (a .gitkeep), nor an unpublished release. (Validation has refused
    every English file of a type the site does not publish.)
    """
    english = state.root / "docs" / SOURCE_LANG
    for path in sorted(english.rglob("*")):
        if not path.is_file():
            continue
        src_uri = path.relative_to(english).as_posix()
        if files.get_file_from_path(src_uri) is not None or src_uri in state.catalogue.unpublished:
            continue
        # Backed by the English file itself: tools that read abs_src_path (the
        # feed plugin does) never meet a generated page without one.
        fallback = File.generated(config, src_uri, abs_src_path=str(path))
        set_exclusions([fallback], config)
        if not fallback.inclusion.is_excluded():
            files.append(fallback)


def _used_by_unpublished(files: Files, config: MkDocsConfig, state: build.Build) -> set[str]:
    """The files (not pages) that drafts and embargoed releases use: their
    lead image and attachments, and what their text (English, or this language's
    translation) links to or shows. on_env leaves out those that no
    published page uses, so nothing of a release appears before it does."""
    catalogue = state.catalogue
    if not catalogue.withheld:
        return set()
    used: set[str] = {r.image_url for r in catalogue.withheld if r.image_url}
    used |= {a.path for r in catalogue.withheld for a in r.attachments}
    md = Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    for release in catalogue.withheld:
        for docs in dict.fromkeys((Path(config.docs_dir), state.root / "docs" / SOURCE_LANG)):
            path = docs / release.src_uri
            source, _ = read_source(path, path.as_posix()) if path.is_file() else (None, [])
            if source is not None:
                used |= local_references(md.reset().convert(source.body), posixpath.dirname(release.src_uri))
    # Published releases show their lead image and attachments from the
    # template, not the text: a file they attach is published with them.
    shown = {r.image_url for r in catalogue.releases if r.image_url}
    shown |= {a.path for r in catalogue.releases for a in r.attachments}
    state.shown_files = used & shown
    return {uri for uri in used if (file := files.get_file_from_path(uri)) is not None and not file.is_documentation_page()}


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
