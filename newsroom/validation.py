"""One entry point for validation: every rule that decides whether a checkout
can be published.

`validate(root, now)` returns every problem at once, as data (file, line,
field, message: newsroom/problems.py), with what the build needs: the site's
settings and date rule, the UI string tables, and each language's catalogue
of validated records (every page's address, and whether it is published).
`make check` (newsroom/check.py) prints its report; the build
(newsroom/build.py, from the hooks' on_config) stops with the same report, so
both say the same words for the same mistake. What it checks, in this order:

- the site: data/site.yml's date rule, each language's Open Graph locale, a
  docs/<code>/ folder for each declared language;
- the UI string tables (data/strings/): readable, every key of the English
  table, the plural forms each language needs (newsroom/strings.py);
- the type of every file in docs/ (newsroom/paths.py): only pages, raster
  images and PDFs are published, and none in the place of a theme file;
- every page's front-matter, references, images, translation and the limits
  on its Markdown (newsroom/content.py, translations.py, limits.py);
- every page's body as rendered (`page_problems`): the HTML policy
  (newsroom/sanitise.py), and its links and images, which must lead to a
  published file of the site, images with a text alternative and not SVG.

Each body is converted once. `make check` converts the bodies itself
(`render=True`), with the Markdown extensions mkdocs.yml lists. The build
asks for `render=False`: it adds `LinkCollector` to MkDocs' own Markdown
extensions (hooks/content.py) and applies the same `page_problems` to the
HTML MkDocs renders for each page, with the links the collector saw before
MkDocs made them relative to the page. (MkDocs' strict mode warns of a
broken link too, in its own words.)

Only `make check` refuses the placeholders `make new` writes: a page still
being written builds, so its author can preview it with `make serve`, and the
pull request's check refuses it until it is written.
"""

from __future__ import annotations

import difflib
import os
import fnmatch
import posixpath
import re
import unicodedata
import xml.etree.ElementTree as etree
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown
import yaml

from newsroom import limits, sanitise, schema
from newsroom import strings as ui_strings
from newsroom.content import Catalogue
from newsroom.frontmatter import Source, compose_data, read_source
from newsroom.paths import file_type_problem, local_path_problem, not_published, theme_file_problem
from newsroom.problems import ContentError, Problem, Problems, quote
from newsroom.scaffold import BODY_PLACEHOLDERS, SUMMARY_PLACEHOLDER
from newsroom.translations import SOURCE_LANG, kind_of, load_language

# MkDocs always adds these to the extensions mkdocs.yml lists.
_MKDOCS_EXTENSIONS = ["toc", "tables", "fenced_code"]
# The listing pages hooks/listings.py adds to every language.
_LISTING_PAGES = ("news/index.md", "programmes/index.md", "resources/index.md", "organisations/index.md")
# Open Graph's locales are language_TERRITORY, e.g. fr_FR, ar_AR.
_OG_LOCALE = re.compile(r"[a-z]{2,3}_[A-Z]{2}")

Link = tuple[str, str, str]  # ("a" or "img", the address as written, an image's alt text)


@dataclass
class Validation:
    """Every problem `validate` found, and what the build takes from it."""

    problems: Problems = field(default_factory=Problems)
    # What could not be checked because of the problems above.
    notes: list[str] = field(default_factory=list)
    # data/languages.yml, by code, in its order.
    languages: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    dates: schema.Dates = field(default_factory=schema.Dates)
    # Each language's UI strings (newsroom/strings.py), and catalogue.
    strings: dict[str, dict[str, ui_strings.Text]] = field(default_factory=dict)
    catalogues: dict[str, Catalogue] = field(default_factory=dict)
    # Where each language's links may lead, for page_problems.
    targets: dict[str, Targets] = field(default_factory=dict)
    # Ids the templates write, which content may not use (newsroom/sanitise.py).
    reserved_ids: frozenset[str] = frozenset()
    # What `render=True` read: pages, and the links and images in them.
    pages: int = 0
    links: int = 0
    images: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def report(self) -> str:
        return "\n".join(([self.problems.render()] if self.problems else []) + self.notes)


def validate(root: Path, now: datetime, *, languages: Iterable[str] | None = None, show_embargoed: bool = False, theme: Any = None, render: bool = True, added: frozenset[str] | None = None) -> Validation:
    """Check a checkout against every rule, and load what the build needs.

    languages: the codes to check (English, which every language is built
    from, always is); None for every declared language. show_embargoed: a
    preview that publishes embargoed releases. theme: the MkDocs theme
    (mkdocs.theme.Theme) of the build, or None to read mkdocs.yml's. render:
    convert every body here and apply page_problems to it, as `make check`
    does; the build applies it to its own rendering instead. added: the
    files (paths from root) the change being checked adds, when git tells
    (newsroom/gitbase.py), so a copied id is blamed on the copy.
    """
    found = Validation()
    problems = found.problems
    found.languages = {entry["code"]: entry for entry in yaml.safe_load((root / "data" / "languages.yml").read_text("utf-8"))}
    asked = list(found.languages) if languages is None else list(dict.fromkeys([SOURCE_LANG, *languages]))
    for code in asked:
        if code not in found.languages:
            problems.add("data/languages.yml", 0, "", f'theme.language is "{code}", which data/languages.yml does not declare. Declared: {", ".join(found.languages)}.', site=True)
    codes = [code for code in asked if code in found.languages]
    found.settings = yaml.safe_load((root / "data" / "site.yml").read_text("utf-8")) or {}
    found.dates, date_problems = schema.Dates.from_settings(found.settings)
    problems.extend(date_problems)
    problems.extend(_og_locales(found.languages.values()))
    _, wrong = schema.repository(found.settings, dict(os.environ))
    if wrong:
        problems.add("data/site.yml", 0, "repository", wrong, site=True)
    _, wrong = schema.email_updates(found.settings)
    if wrong:
        problems.add("data/site.yml", 0, "email_updates", wrong, site=True)
    problems.extend(missing_folders(root, codes))
    folders = [code for code in codes if (root / "docs" / code).is_dir()]
    _strings(root, codes, found)
    if theme is None:
        theme = theme_of(root)
    files = _ThemeFiles(theme)
    found.reserved_ids = sanitise.template_ids(theme.dirs)
    _file_types(root, folders, files, problems)

    english = None
    try:
        english = load_language(root, SOURCE_LANG, now, found.dates, show_embargoed, added=added)
        found.catalogues[SOURCE_LANG] = english
    except ContentError as error:
        problems.extend(error.problems.items)
    translated = [code for code in folders if code != SOURCE_LANG]
    if english is not None:
        for code in translated:
            try:
                found.catalogues[code] = load_language(root, code, now, found.dates, show_embargoed, english)
            except ContentError as error:
                problems.extend(error.problems.items)
    elif any(True for code in translated for _ in (root / "docs" / code).rglob("*.md")):
        found.notes.append(f"The translations ({', '.join(f'docs/{code}/' for code in translated)}) are checked once the English pages above are fixed.")

    generated = _generated(root, english)
    english_files = _docs_files(root, SOURCE_LANG)
    for code in folders:
        own = english_files if code == SOURCE_LANG else _docs_files(root, code)
        # A translation's page may link to anything the English site has: the
        # build falls back to the English file where there is no translation.
        found.targets[code] = Targets(code, own | english_files | generated, english.unpublished if english else set(), files)
    if render:
        _render(root, folders, english is not None, found)
    return found


def missing_folders(root: Path, codes: Iterable[str]) -> list[Problem]:
    """A declared language without its docs/<code>/ folder (`make build` asks too)."""
    missing = [code for code in codes if not (root / "docs" / code).is_dir()]
    if not missing:
        return []
    folders, one = ", ".join(f"docs/{code}/" for code in missing), len(missing) == 1
    message = f"Can't build: data/languages.yml declares {', '.join(missing)}, but {'the folder' if one else 'the folders'} {folders} {'is' if one else 'are'} missing. Create {'it' if one else 'each'} (a folder may hold only a .gitkeep file)."
    return [Problem("data/languages.yml", 0, "", message, site=True)]


def _og_locales(languages: Iterable[dict[str, Any]]) -> list[Problem]:
    wrong = [entry for entry in languages if not _OG_LOCALE.fullmatch(str(entry.get("og_locale", "")))]
    if not wrong:
        return []
    message = (
        "Can't build: data/languages.yml: "
        + "; ".join(f'og_locale of {entry["code"]} is {quote(entry["og_locale"]) if "og_locale" in entry else "missing"}' for entry in wrong)
        + ". Write each as language_TERRITORY, the way Open Graph names locales, e.g. fr_FR or ar_AR."
    )
    return [Problem("data/languages.yml", 0, "og_locale", message, site=True)]


def _strings(root: Path, codes: list[str], found: Validation) -> None:
    """Each language's UI string table: readable, with every key of the
    English one, and the plural forms its language needs."""
    tables: dict[str, tuple[dict[str, ui_strings.Text], dict[str, int]]] = {}
    for code in codes:
        path = root / "data" / "strings" / f"{code}.yml"
        shown = path.relative_to(root).as_posix()
        if not path.is_file():
            found.problems.add(shown, 0, "", f"Can't build {code}: there is no {shown}. Copy data/strings/{SOURCE_LANG}.yml to {shown} and translate each text.", site=True)
            continue
        node, read_problems = compose_data(path, shown)
        found.problems.extend(read_problems)
        if node is not None:
            tables[code] = ui_strings.read(path)
    if SOURCE_LANG not in tables:
        return
    english, _ = tables[SOURCE_LANG]
    for code, (table, lines) in tables.items():
        shown = f"data/strings/{code}.yml"
        missing = sorted(set(english) - set(table))
        if missing:
            found.problems.add(shown, 0, "", f"Can't build {code}: {shown} has no translation for {', '.join(missing)}. Add each key with its text in this language (see data/strings/{SOURCE_LANG}.yml).", site=True)
        found.problems.extend(ui_strings.plural_problems(shown, found.languages[code]["locale"], table, lines, english).items)
        found.strings[code] = table


def _file_types(root: Path, codes: list[str], theme: _ThemeFiles, problems: Problems) -> None:
    """Only pages, images and PDFs are published from docs/, none in the
    place of a theme file; reported by path."""
    refused = []
    for code in codes:
        docs = root / "docs" / code
        for path in (p for p in docs.rglob("*") if p.is_file()):
            src_uri = path.relative_to(docs).as_posix()
            if not_published(src_uri):
                continue
            problem = file_type_problem(path)
            if problem is None and not src_uri.endswith(".md") and src_uri in theme:
                problem = theme_file_problem(src_uri)
            if problem:
                refused.append((path.relative_to(root).as_posix(), problem))
    for shown, problem in sorted(refused):
        problems.add(shown, 0, "", problem)


# -- Bodies: the HTML policy, links and images -------------------------------------


@dataclass
class Targets:
    """Where the links of one language's pages may lead: its files, the
    English ones, and the pages the hooks generate; the theme's files; and
    which pages are not published yet."""

    code: str
    files: set[str]
    unpublished: set[str]
    theme: _ThemeFiles

    def not_published(self, uri: str) -> bool:
        return uri in self.unpublished or uri.removesuffix("/index.md") + ".md" in self.unpublished


def markdown_text(source: Source) -> str:
    """The text Markdown converts: the body, composed (NFC) as front-matter
    is, so one text has one spelling."""
    return unicodedata.normalize("NFC", source.body)


def page_problems(html: str, links: list[Link], source: Source, uri: str, targets: Targets, reserved_ids: frozenset[str], published: bool = True) -> list[Problem]:
    """What a page's rendered body may not hold: anything the HTML policy
    refuses, and links or images that lead nowhere, out of the site, or to a
    page not published yet (unless this page is not published either).
    `links` are the page's links as written, from LinkCollector."""
    text = markdown_text(source)
    shown, first_line = source.path, source.body_first_line
    found = sanitise.problems(html, text, shown, first_line, reserved_ids)

    def add(line: int | None, message: str) -> None:
        found.append(Problem(shown, first_line + line if line is not None else 0, "", message))

    lines = text.split("\n")
    searched_from: dict[str, int] = {}
    code = targets.code
    for tag, url, alt in links:
        line = _line_of(lines, url, searched_from)
        scheme, netloc, path, _, _ = urlsplit(url)
        if scheme or netloc or url.startswith(("/", "\\")) or "\x02" in url or not path:
            continue
        path = unquote(path)
        if tag == "img":
            if not alt.strip():
                add(line, f"the image {quote(url)} has no alternative text. Describe it between the square brackets for readers who cannot see it: ![What the image shows]({url}).")
            problem = local_path_problem(posixpath.basename(path))
            if problem:
                add(line, f"{quote(url)} {problem}")
                continue
        if not posixpath.splitext(path)[1]:
            continue  # MkDocs leaves a link without a file extension as it is
        target = posixpath.normpath(posixpath.join(posixpath.dirname(uri), path))
        where = f"docs/{code}/{target}" if code == SOURCE_LANG else f"docs/{code}/{target} (nor docs/{SOURCE_LANG}/{target})"
        if target.startswith("../") or target == "..":
            add(line, f"the link {quote(url)} leads out of docs/{code}/. Link to a file of the site, from this file's folder, e.g. {_example(uri)}.")
        elif target not in targets.files and target not in targets.theme:
            hint = _nearest(uri, target, targets.files) or (" Check the spelling, or put the image there." if tag == "img" else f" Check the spelling: a link goes from this file's folder to the .md file of the page, e.g. {_example(uri)}.")
            add(line, f"the link {quote(url)} leads to {where}, which does not exist.{hint}")
        elif published and targets.not_published(target):
            add(line, f"the link {quote(url)} leads to docs/{SOURCE_LANG}/{target}, which is not published yet (a draft, or a release dated in the future). Remove the link until that page is published.")
    return found


class LinkCollector(markdown.Extension):
    """Every link and image Markdown makes, with its address as written:
    before MkDocs makes it relative to the page (its "relpath" processor,
    registered after this one at the same priority), and after Markdown's
    escapes are undone ("unescape", registered before). `take` hands over
    what the conversions since the last call found."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[Link] = []

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's name
        md.treeprocessors.register(_Collect(md, self), "newsroom_links", 0)

    def take(self) -> list[Link]:
        found, self.found = self.found, []
        return found


class _Collect(markdown.treeprocessors.Treeprocessor):
    def __init__(self, md: markdown.Markdown, into: LinkCollector) -> None:
        super().__init__(md)
        self.into = into

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and element.get("href") is not None:
                self.into.found.append(("a", element.get("href", ""), ""))
            elif element.tag == "img" and element.get("src") is not None:
                self.into.found.append(("img", element.get("src", ""), element.get("alt", "")))


def _render(root: Path, codes: list[str], content_loaded: bool, found: Validation) -> None:
    """`make check`'s own conversion of every body that Markdown can take,
    with mkdocs.yml's extensions, held to page_problems; and the
    placeholders `make new` leaves."""
    names, configs = _extensions(_mkdocs_config(root))
    collector = LinkCollector()
    md = markdown.Markdown(extensions=[*names, collector], extension_configs=configs)
    for code in codes:
        targets = found.targets[code]
        docs = root / "docs" / code
        for path in sorted(docs.rglob("*.md"), key=lambda p: p.as_posix()):
            uri = path.relative_to(docs).as_posix()
            source, _ = read_source(path, path.relative_to(root).as_posix())  # what cannot be read is reported by load_language
            if source is None or limits.problems(source.body, source.path, source.body_first_line):
                continue  # nor converted: load_language reports what Markdown could not take
            found.pages += 1
            found.problems.extend(_placeholders(root, uri, source))
            html = md.reset().convert(markdown_text(source))
            links = collector.take()
            found.links += sum(1 for tag, _, _ in links if tag == "a")
            found.images += sum(1 for tag, _, _ in links if tag == "img")
            published = content_loaded and not targets.not_published(uri)
            found.problems.extend(page_problems(html, links, source, uri, targets, found.reserved_ids, published))


def _placeholders(root: Path, uri: str, source: Source) -> list[Problem]:
    kind = kind_of(uri)
    if kind == "page":
        return []
    found = []
    front_matter = (root / source.path).read_text("utf-8").split("\n")[: source.fm_close_line]
    for number, line in enumerate(front_matter, start=1):
        if SUMMARY_PLACEHOLDER in line:
            found.append(Problem(source.path, number, "summary", f"{quote(SUMMARY_PLACEHOLDER)} is the placeholder `make new` wrote. Replace it with one or two sentences of text."))
    placeholder = BODY_PLACEHOLDERS.get(kind)
    for number, line in enumerate(source.body.split("\n"), start=source.body_first_line):
        if placeholder and line.strip() == placeholder:
            found.append(Problem(source.path, number, "", f"{quote(placeholder)} is the placeholder `make new` wrote. Replace this line with the text of the page."))
    return found


def _docs_files(root: Path, code: str) -> set[str]:
    docs = root / "docs" / code
    return {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()} if docs.is_dir() else set()


def _generated(root: Path, english: Catalogue | None) -> set[str]:
    """The pages the hooks add (hooks/listings.py): links may lead to them."""
    pages = set(_LISTING_PAGES)
    if english is not None:
        pages |= {f"news/{year}.md" for year in english.listings.releases_by_year}
        pages |= {f"organisations/{slug}.md" for slug in english.organisations}
        pages |= {f"{old}index.md" for record in english.renamed for old in record.previous_paths}
    else:
        # Content does not load: take the registry and year folders as they are.
        registry = (root / "data" / "organisations.yml").read_bytes().decode("utf-8", "replace")
        pages |= {f"organisations/{slug}.md" for slug in re.findall(r"^([a-z0-9][a-z0-9-]*):", registry, re.MULTILINE)}
        pages |= {f"news/{p.name}.md" for p in (root / "docs" / SOURCE_LANG / "news").glob("[0-9][0-9][0-9][0-9]")}
    return pages


def _nearest(uri: str, target: str, available: set[str]) -> str:
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


# -- mkdocs.yml and the theme, for `make check` --------------------------------------


class _Config(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving its tags (!ENV, python/name)."""


_Config.add_multi_constructor("!", lambda loader, suffix, node: None)
_Config.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _mkdocs_config(root: Path) -> dict[str, Any]:
    return yaml.load((root / "mkdocs.yml").read_text("utf-8"), Loader=_Config) or {}


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


def theme_of(root: Path) -> Any:
    """The theme mkdocs.yml names, as MkDocs loads it."""
    from mkdocs.theme import Theme

    options = _mkdocs_config(root).get("theme") or {}
    options = {"name": options} if isinstance(options, str) else dict(options)
    custom_dir = options.get("custom_dir")
    return Theme(name=options.get("name"), custom_dir=str(root / custom_dir) if custom_dir else None, static_templates=options.get("static_templates") or [])


class _ThemeFiles:
    """The theme's static files, which MkDocs adds to the site
    (Files.add_files_from_theme). Looked up one path at a time: Material
    ships thousands of icons."""

    def __init__(self, theme: Any) -> None:
        from mkdocs import utils

        self.dirs = [Path(d) for d in theme.dirs]
        self.patterns = [".*", "*/.*", "*.py", "*.pyc", "*.html", "*readme*", "mkdocs_theme.yml", "locales/*"]
        self.patterns += [f"*{suffix}" for suffix in utils.markdown_extensions]
        self.patterns += list(theme.static_templates)

    def __contains__(self, uri: object) -> bool:
        if not isinstance(uri, str) or any(fnmatch.fnmatch(uri.lower(), p) for p in self.patterns):
            return False
        return any((folder / uri).is_file() for folder in self.dirs)
