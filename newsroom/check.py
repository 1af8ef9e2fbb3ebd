"""`make check`: every mistake the build would stop on, found without building.

It runs what the build's hooks run, with the same messages:
- every language's content through newsroom.translations.load_language
  (front-matter, references, images, translation consistency, and the
  limits on Markdown of newsroom/limits.py);
- data/site.yml's timezone, a docs/<code>/ folder per declared language, and
  the UI string tables (the key check of hooks/languages.py);
- the HTML policy of newsroom/sanitise.py, on each body rendered with the
  Markdown extensions of mkdocs.yml;
- the type of every file in docs/: only pages, images and PDFs are
  published (the words of hooks/content.py);
- the links MkDocs' strict mode would refuse: a relative link or image to a
  file that is neither in docs/ nor in the theme, or that is not published
  (draft or embargoed). A translation's link may lead to the English file, as
  the build falls back to it.
It also refuses what the build cannot know is wrong: the placeholder text
`make new` leaves for the author, a body image without alternative text, and
an SVG image.
"""

from __future__ import annotations

import difflib
import fnmatch
import posixpath
import re
import sys
import time
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown
import yaml

from newsroom import limits, sanitise, schema
from newsroom.build import email_updates
from newsroom import strings as ui_strings
from newsroom.content import Catalogue, now_from_env
from newsroom.frontmatter import Source, compose_data, read_source
from newsroom.paths import file_type_problem, local_path_problem, not_published, theme_file_problem
from newsroom.problems import ContentError, Problems, quote
from newsroom.scaffold import BODY_PLACEHOLDERS, SUMMARY_PLACEHOLDER
from newsroom.translations import SOURCE_LANG, declared_languages, kind_of, load_language

# MkDocs always adds these to the extensions mkdocs.yml lists.
_MKDOCS_EXTENSIONS = ["toc", "tables", "fenced_code"]
_LISTING_PAGES = ("news/index.md", "programmes/index.md", "resources/index.md", "organisations/index.md")


@dataclass
class Outcome:
    """What `make check` found: problems in files, and whole-site messages."""

    problems: Problems = field(default_factory=Problems)
    messages: list[str] = field(default_factory=list)
    # What could not be checked because of the problems above.
    notes: list[str] = field(default_factory=list)
    files: int = 0
    links: int = 0
    images: int = 0
    languages: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.messages

    def report(self) -> str:
        parts = [self.problems.render()] if self.problems else []
        parts += self.messages + self.notes
        return "\n".join(parts)


def main(root: Path) -> int:
    started = time.monotonic()
    outcome = check(root, now_from_env())
    if not outcome.ok:
        print(outcome.report(), file=sys.stderr)
        files = len({p.path for p in outcome.problems.items})
        total = len(outcome.problems) + len(outcome.messages)
        print(f"make check found {total} problem{'s' if total != 1 else ''}{f' in {files} file' + ('s' if files != 1 else '') if files else ''}.", file=sys.stderr)
        return 1
    print(
        f"OK: {outcome.files} pages in {outcome.languages} languages, {outcome.links} links, {outcome.images} images"
        f" and {outcome.languages} UI string tables checked in {time.monotonic() - started:.1f} s."
    )
    return 0


def check(root: Path, now: datetime) -> Outcome:
    outcome = Outcome()
    dates = _dates(root, outcome)
    codes = [entry["code"] for entry in declared_languages(root)]
    outcome.languages = len(codes)
    missing = [code for code in codes if not (root / "docs" / code).is_dir()]
    if missing:
        # The words of `make build` (newsroom/cli.py).
        outcome.messages.append(f"Can't build: data/languages.yml declares {', '.join(missing)}, but there is no docs/<code>/ folder for it. Create the folder (it may hold only a .gitkeep file).")
    _strings(root, codes, outcome)
    _file_types(root, [root / "docs" / code for code in codes if code not in missing], outcome, _Theme(root, _mkdocs_config(root)))

    catalogues: dict[str, Catalogue] = {}
    try:
        catalogues[SOURCE_LANG] = load_language(root, SOURCE_LANG, now, dates)
    except ContentError as error:
        outcome.problems.extend(error.problems.items)
    translated = [code for code in codes if code != SOURCE_LANG and code not in missing]
    if SOURCE_LANG in catalogues:
        for code in translated:
            try:
                catalogues[code] = load_language(root, code, now, dates)
            except ContentError as error:
                outcome.problems.extend(error.problems.items)
    elif any(True for code in translated for _ in (root / "docs" / code).rglob("*.md")):
        outcome.notes.append(f"The translations ({', '.join(f'docs/{code}/' for code in translated)}) are checked once the English pages above are fixed.")

    links = _Links(root, catalogues.get(SOURCE_LANG))
    for code in codes:
        if code not in missing:
            links.check_language(code, outcome)
    return outcome


def _file_types(root: Path, folders: list[Path], outcome: Outcome, theme: _Theme) -> None:
    """Only pages, images and PDFs are published from docs/, none in the place
    of a theme file (hooks/content.py, which reports them first too, by path)."""
    found = []
    for docs in folders:
        for path in (p for p in docs.rglob("*") if p.is_file()):
            src_uri = path.relative_to(docs).as_posix()
            problem = None if not_published(src_uri) else file_type_problem(path)
            if problem is None and not not_published(src_uri) and not src_uri.endswith(".md") and src_uri in theme:
                problem = theme_file_problem(src_uri)
            if problem:
                found.append((path.relative_to(root).as_posix(), problem))
    for shown, problem in sorted(found):
        outcome.problems.add(shown, 0, "", problem)


def _dates(root: Path, outcome: Outcome) -> schema.Dates:
    settings = yaml.safe_load((root / "data" / "site.yml").read_text("utf-8")) or {}
    dates, problems = schema.Dates.from_settings(settings)
    outcome.messages.extend(problems)
    outcome.messages.extend(email_updates(settings)[1])
    return dates


def _strings(root: Path, codes: list[str], outcome: Outcome) -> None:
    """Every language's UI string table has every key of the English one (hooks/languages.py)."""
    tables: dict[str, set[str]] = {}
    for code in codes:
        path = root / "data" / "strings" / f"{code}.yml"
        shown = path.relative_to(root).as_posix()
        if not path.is_file():
            outcome.messages.append(f"Can't build {code}: there is no {shown}. Copy data/strings/{SOURCE_LANG}.yml to {shown} and translate each text.")
            continue
        node, problems = compose_data(path, shown)
        outcome.problems.extend(problems)
        if node is not None:
            tables[code] = {str(k) for k in (yaml.safe_load(path.read_text("utf-8")) or {})}
    reference = tables.get(SOURCE_LANG)
    if reference is None:
        return
    english, _ = ui_strings.read(root / "data" / "strings" / f"{SOURCE_LANG}.yml")
    locales = {entry["code"]: entry["locale"] for entry in yaml.safe_load((root / "data" / "languages.yml").read_text("utf-8"))}
    for code in codes:
        if code in tables and reference - tables[code]:
            # The words of hooks/languages.py.
            outcome.messages.append(
                f"Can't build {code}: data/strings/{code}.yml has no translation for "
                + ", ".join(sorted(reference - tables[code]))
                + f". Add each key with its text in this language (see data/strings/{SOURCE_LANG}.yml)."
            )
        if code in tables and code in locales:
            table, lines = ui_strings.read(root / "data" / "strings" / f"{code}.yml")
            outcome.problems.extend(ui_strings.plural_problems(f"data/strings/{code}.yml", locales[code], table, lines, english).items)


# -- Links and images in the body ----------------------------------------------------


class _Collector(markdown.treeprocessors.Treeprocessor):
    """Every link and image Markdown makes, as MkDocs' relative-path pass sees them."""

    found: list[tuple[str, str, str]]

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and element.get("href") is not None:
                self.found.append(("a", element.get("href", ""), ""))
            elif element.tag == "img" and element.get("src") is not None:
                self.found.append(("img", element.get("src", ""), element.get("alt", "")))


class _Links:
    def __init__(self, root: Path, english: Catalogue | None) -> None:
        self.root = root
        self.english = english
        self.unpublished = english.unpublished if english else set()
        self.generated = self._generated(english)
        self.collector = _Collector()
        config = _mkdocs_config(root)
        self.theme = _Theme(root, config)
        self.reserved_ids = sanitise.template_ids(self.theme.dirs)
        names, configs = _extensions(config)
        self.md = markdown.Markdown(extensions=names, extension_configs=configs)
        self.md.treeprocessors.register(self.collector, "newsroom_links", 0)
        self.files: dict[str, set[str]] = {}

    def _generated(self, english: Catalogue | None) -> set[str]:
        """The pages the hooks add (hooks/listings.py): links may lead to them."""
        pages = set(_LISTING_PAGES)
        if english is not None:
            pages |= {f"news/{year}.md" for year in english.listings.releases_by_year}
            pages |= {f"organisations/{slug}.md" for slug in english.organisations}
            pages |= {f"{old}index.md" for release in english.releases for old in release.previous_paths}
        else:
            # Content does not load: take the registry and year folders as they are.
            registry = (self.root / "data" / "organisations.yml").read_bytes().decode("utf-8", "replace")
            pages |= {f"organisations/{slug}.md" for slug in re.findall(r"^([a-z0-9][a-z0-9-]*):", registry, re.MULTILINE)}
            pages |= {f"news/{p.name}.md" for p in (self.root / "docs" / SOURCE_LANG / "news").glob("[0-9][0-9][0-9][0-9]")}
        return pages

    def _files(self, code: str) -> set[str]:
        if code not in self.files:
            docs = self.root / "docs" / code
            self.files[code] = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()} if docs.is_dir() else set()
        return self.files[code]

    def check_language(self, code: str, outcome: Outcome) -> None:
        docs = self.root / "docs" / code
        # A translation's page may link to anything the English site has: the
        # build falls back to the English file where there is no translation.
        available = self._files(code) | self._files(SOURCE_LANG) | self.generated
        for path in sorted(docs.rglob("*.md"), key=lambda p: p.as_posix()):
            uri = path.relative_to(docs).as_posix()
            shown = path.relative_to(self.root).as_posix()
            source, _ = read_source(path, shown)  # what cannot be read is reported by load_language
            if source is None or limits.problems(source.body, shown, source.body_first_line):
                continue  # nor converted: load_language reports what Markdown could not take
            outcome.files += 1
            self._placeholders(uri, source, outcome)
            self._links(code, uri, shown, source, available, outcome)

    def _placeholders(self, uri: str, source: Source, outcome: Outcome) -> None:
        kind = kind_of(uri)
        if kind == "page":
            return
        fm_lines = (self.root / source.path).read_text("utf-8").split("\n")[: source.fm_close_line]
        for number, line in enumerate(fm_lines, start=1):
            if SUMMARY_PLACEHOLDER in line:
                outcome.problems.add(source.path, number, "summary", f"{quote(SUMMARY_PLACEHOLDER)} is the placeholder `make new` wrote. Replace it with one or two sentences of text.")
        placeholder = BODY_PLACEHOLDERS.get(kind)
        for number, line in enumerate(source.body.split("\n"), start=source.body_first_line):
            if placeholder and line.strip() == placeholder:
                outcome.problems.add(source.path, number, "", f"{quote(placeholder)} is the placeholder `make new` wrote. Replace this line with the text of the page.")

    def _links(self, code: str, uri: str, shown: str, source: Source, available: set[str], outcome: Outcome) -> None:
        self.collector.found = []
        self.md.reset()
        html = self.md.convert(source.body)
        outcome.problems.extend(sanitise.problems(html, source.body, shown, source.body_first_line, self.reserved_ids))
        published = self.english is not None and not self._unpublished(uri)
        body_lines = source.body.split("\n")
        searched_from: dict[str, int] = {}
        for tag, url, alt in self.collector.found:
            line = _line_of(body_lines, url, searched_from)
            number = source.body_first_line + line if line is not None else 0
            if tag == "img":
                outcome.images += 1
            else:
                outcome.links += 1
            scheme, netloc, path, _, _ = urlsplit(url)
            if scheme or netloc or url.startswith(("/", "\\")) or "\x02" in url or not path:
                continue
            path = unquote(path)
            if tag == "img":
                if not alt.strip():
                    outcome.problems.add(shown, number, "", f"the image {quote(url)} has no alternative text. Describe it between the square brackets for readers who cannot see it: ![What the image shows]({url}).")
                problem = local_path_problem(posixpath.basename(path))
                if problem:
                    outcome.problems.add(shown, number, "", f"{quote(url)} {problem}")
                    continue
            if not posixpath.splitext(path)[1]:
                continue  # MkDocs leaves a link without a file extension as it is
            target = posixpath.normpath(posixpath.join(posixpath.dirname(uri), path))
            where = f"docs/{code}/{target}" if code == SOURCE_LANG else f"docs/{code}/{target} (nor docs/{SOURCE_LANG}/{target})"
            if target.startswith("../") or target == "..":
                outcome.problems.add(shown, number, "", f"the link {quote(url)} leads out of docs/{code}/. Link to a file of the site, from this file's folder, e.g. {_example(uri)}.")
            elif target not in available and target not in self.theme:
                hint = self._nearest(uri, target, available) or (" Check the spelling, or put the image there." if tag == "img" else f" Check the spelling: a link goes from this file's folder to the .md file of the page, e.g. {_example(uri)}.")
                outcome.problems.add(shown, number, "", f"the link {quote(url)} leads to {where}, which does not exist.{hint}")
            elif published and self._unpublished(target):
                outcome.problems.add(shown, number, "", f"the link {quote(url)} leads to docs/{SOURCE_LANG}/{target}, which is not published yet (a draft, or a release dated in the future). Remove the link until that page is published.")

    def _unpublished(self, uri: str) -> bool:
        return uri in self.unpublished or uri.removesuffix("/index.md") + ".md" in self.unpublished

    def _nearest(self, uri: str, target: str, available: set[str]) -> str:
        suffix = posixpath.splitext(target)[1]
        candidates = [p for p in available if p.endswith(suffix)]
        match = difflib.get_close_matches(target, candidates, n=1, cutoff=0.75)
        if not match:
            return ""
        return f' Did you mean "{posixpath.relpath(match[0], posixpath.dirname(uri) or ".")}"?'


def _example(uri: str) -> str:
    depth = uri.count("/")
    return "../" * depth + "programmes/ai-pol.md" if depth else "programmes/ai-pol.md"


def _line_of(lines: list[str], url: str, searched_from: dict[str, int]) -> int | None:
    """The 0-based body line where `url` is written, after its earlier occurrences."""
    start = searched_from.get(url, 0)
    for index in range(start, len(lines)):
        if url in lines[index] or unquote(url) in lines[index]:
            searched_from[url] = index + 1
            return index
    return None


class _Config(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving its tags (!ENV, python/name)."""


def _mkdocs_config(root: Path) -> dict[str, Any]:
    return yaml.load((root / "mkdocs.yml").read_text("utf-8"), Loader=_Config) or {}


_Config.add_multi_constructor("!", lambda loader, suffix, node: None)
_Config.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _extensions(config: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """The Markdown extensions of mkdocs.yml, with MkDocs' own defaults."""
    names = list(_MKDOCS_EXTENSIONS)
    configs: dict[str, Any] = {}
    for entry in config.get("markdown_extensions") or []:
        if isinstance(entry, dict):
            for name, options in entry.items():
                names.append(name)
                configs[name] = options or {}
        else:
            names.append(str(entry))
    return list(dict.fromkeys(names)), configs


class _Theme:
    """The theme's static files, which MkDocs adds to the site (Files.add_files_from_theme).

    Looked up one path at a time: Material ships thousands of icons.
    """

    def __init__(self, root: Path, config: dict[str, Any]) -> None:
        from mkdocs import utils
        from mkdocs.theme import Theme

        options = config.get("theme") or {}
        options = {"name": options} if isinstance(options, str) else dict(options)
        custom_dir = options.get("custom_dir")
        theme = Theme(name=options.get("name"), custom_dir=str(root / custom_dir) if custom_dir else None)
        self.dirs = [Path(d) for d in theme.dirs]
        self.patterns = [".*", "*/.*", "*.py", "*.pyc", "*.html", "*readme*", "mkdocs_theme.yml", "locales/*"]
        self.patterns += [f"*{suffix}" for suffix in utils.markdown_extensions]
        self.patterns += list(theme.static_templates)

    def __contains__(self, uri: object) -> bool:
        if not isinstance(uri, str) or any(fnmatch.fnmatch(uri.lower(), p) for p in self.patterns):
            return False
        return any((folder / uri).is_file() for folder in self.dirs)
