"""Content model and validation: every content file becomes one validated record.

Events:
- on_config: start a fresh build state (serve and pytest reuse this module).
- on_files: validate every file at once (English sources and this language's
  translations, and the type of every other file: only images and PDFs are
  published besides the pages); stop the build with an author-facing message,
  or drop drafts and embargoed releases before MkDocs sees them, and add the
  English page or file wherever this language has none yet.
- on_page_read_source, on_page_markdown: give MkDocs the body already read,
  and the record instead of its own front-matter reading.
- on_page_content: hold the rendered HTML to the content policy
  (newsroom/sanitise.py) and clean it; on_env, which runs once every page is
  rendered and before anything is written, stops the build with every
  refused element of every file at once.
- An unpublished release (a draft, or embargoed) holds back its files too:
  on_files lists what it uses, on_page_content what published pages use,
  and on_env leaves out the rest before MkDocs copies any file.
"""

from __future__ import annotations

import os
import posixpath
import unicodedata
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
from newsroom.paths import file_type_problem, local_references, theme_file_problem
from newsroom.problems import ContentError, Problems
from newsroom.translations import SOURCE_LANG, load_language

TEMPLATES = {"release": "press-release.html", "programme": "programme.html", "resource": "resource.html"}


@event_priority(100)
def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    state = build.start(config)
    state.reserved_ids = sanitise.template_ids(config.theme.dirs)
    return config


@event_priority(100)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    state = build.get()
    # Files of a type the site does not publish, in the order `make check`
    # reports them (by path), then every content problem.
    refused = Problems()
    docs_dir = Path(config.docs_dir)
    for file in files:
        if file.abs_src_path and Path(file.abs_src_path).is_relative_to(docs_dir) and not file.inclusion.is_excluded():
            _check_type(Path(file.abs_src_path), state, refused, file.src_uri, config.theme.dirs)
    problems = Problems()
    try:
        state.catalogue = load_language(state.root, state.lang, state.now, state.dates, state.show_embargoed)
    except ContentError as error:
        problems.extend(error.problems.items)
    if state.catalogue is not None and state.lang != SOURCE_LANG:
        _fall_back_to_english(files, config, state, refused)
    if refused or problems:
        problems.items[:0] = sorted(refused.items, key=lambda p: p.path)
        raise PluginError(problems.render())
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
        state.html_problems.extend(sanitise.problems(html, source.body, source.path, source.body_first_line, state.reserved_ids))
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


def _fall_back_to_english(files: Files, config: MkDocsConfig, state: build.Build, problems: Problems) -> None:
    """Every English page and file exists in every language, so a switch never 404s.

    Only what the English build publishes is copied: a file MkDocs leaves out
    (a .gitkeep) is left out, and every English file the English build
    refuses is refused here too, copied or not, so each language's build
    says what `make check` says.
    """
    english = state.root / "docs" / SOURCE_LANG
    for path in sorted(english.rglob("*")):
        if not path.is_file():
            continue
        src_uri = path.relative_to(english).as_posix()
        # Backed by the English file itself: tools that read abs_src_path (the
        # feed plugin does) never meet a generated page without one.
        fallback = File.generated(config, src_uri, abs_src_path=str(path))
        set_exclusions([fallback], config)
        if fallback.inclusion.is_excluded() or not _check_type(path, state, problems, src_uri, config.theme.dirs):
            continue
        if files.get_file_from_path(src_uri) is None and src_uri not in state.catalogue.unpublished:
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


def _check_type(path: Path, state: build.Build, problems: Problems, src_uri: str, theme_dirs: list[str]) -> bool:
    """Whether a file from docs/ is of a type the site publishes, and does not
    take the place of a theme file (newsroom/paths.py)."""
    problem = file_type_problem(path)
    if problem is None and not src_uri.endswith(".md") and any((Path(folder) / src_uri).is_file() for folder in theme_dirs):
        problem = theme_file_problem(src_uri)
    if problem:
        problems.add(path.relative_to(state.root).as_posix(), 0, "", problem)
    return problem is None


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
