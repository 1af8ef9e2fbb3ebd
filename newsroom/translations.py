"""Translations: a language's catalogue is the English one, overlaid.

English is the source of every fact. A translation file at the same path in
docs/<lang>/ carries only the fields marked "x-translatable" in the content
type's schema, a `translation:` block (status, and the hash of the English
text it translates) and the translated body. A page without a translation is
shown in English, marked as such, so switching language never leads to a 404.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from newsroom import limits, schema
from newsroom.content import Catalogue, build_listings, load_catalogue
from newsroom.frontmatter import read_source
from newsroom.problems import ContentError, Problems
from newsroom.records import Translation

SOURCE_LANG = "en"
_KIND_BY_TOP = {"news": "release", "programmes": "programme", "resources": "resource"}


def declared_languages(root: Path) -> list[dict[str, Any]]:
    return yaml.safe_load((root / "data" / "languages.yml").read_text("utf-8"))


def kind_of(src_uri: str) -> str:
    return _KIND_BY_TOP.get(src_uri.split("/", 1)[0], "page")


@cache
def translation_schema(schema_dir: str, kind: str) -> dict[str, Any]:
    """The content type's schema, cut down to its translatable fields."""
    full = schema.load_schema(schema_dir, kind)
    block = schema.load_schema(schema_dir, "translation")
    fields = translatable_fields(schema_dir, kind)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f for f in full.get("required", []) if f in fields] + ["translation"],
        "properties": {**{f: full["properties"][f] for f in fields}, "translation": block},
    }


@cache
def translatable_fields(schema_dir: str, kind: str) -> tuple[str, ...]:
    properties = schema.load_schema(schema_dir, kind)["properties"]
    return tuple(name for name, spec in properties.items() if spec.get("x-translatable"))


@cache
def hashed_fields(schema_dir: str, kind: str) -> tuple[str, ...]:
    """The translatable fields whose English text a translation is stamped
    against. Keywords (x-in-source-hash: false) may be translated, but a new
    English keyword does not make a translation stale; it was never in the
    stamp, so no translation stamped before keywords were translatable is."""
    properties = schema.load_schema(schema_dir, kind)["properties"]
    return tuple(name for name in translatable_fields(schema_dir, kind) if properties[name].get("x-in-source-hash", True))


def source_hash(schema_dir: str, record: Any, body: str) -> str:
    """What a translation translates: the English translatable fields and body."""
    fields = hashed_fields(schema_dir, record.kind)
    material = json.dumps([[f, getattr(record, f, None)] for f in fields] + [" ".join(body.split())], ensure_ascii=False)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


def all_records(catalogue: Catalogue) -> list[Any]:
    """Every page record of a catalogue: programmes, resources, releases, pages."""
    return [*catalogue.programmes.values(), *catalogue.resources.values(), *catalogue.releases, *catalogue.pages.values()]


def load_language(root: Path, lang: str, now: datetime, dates: schema.Dates = schema.Dates(), preview: bool = False, english: Catalogue | None = None) -> Catalogue:
    """The catalogue of one language: English facts with this language's text
    (`english`, when it is already loaded with the same clock and settings)."""
    english = english or _english(root, now, dates, preview)
    codes = [entry["code"] for entry in declared_languages(root)]
    english.available = _available(root, english, codes)
    if lang == SOURCE_LANG:
        return english
    schema_dir = str(root / "data" / "schemas")
    docs_dir = root / "docs" / lang
    problems = Problems()
    # Translations of drafts and embargoed releases are checked too: the build
    # reads them for the files they use (hooks/content.py).
    english_records = {r.src_uri: r for r in (*all_records(english), *english.withheld)}
    translated: dict[str, tuple[Any, Any]] = {}
    owners: dict[str, Path] = {}
    english_by_url = {_url_key(uri): uri for uri in english_records}
    for path in sorted(docs_dir.rglob("*.md"), key=lambda p: p.as_posix()) if docs_dir.is_dir() else []:
        uri = path.relative_to(docs_dir).as_posix()
        shown = path.relative_to(root).as_posix()
        url = _url_key(uri)
        source_shown = f"docs/{SOURCE_LANG}/{english_by_url.get(url, uri)}"
        if url in owners:
            problems.add(shown, 0, "", f"translates the same page as {owners[url].relative_to(root).as_posix()} ({source_shown}). Keep one translation per page and language: merge the two files.")
            continue
        owners[url] = path
        record = english_records.get(english_by_url.get(url, uri))
        if record is None:
            problems.add(shown, 0, "", f"translates {source_shown}, which does not exist. Give this file the same folder and name as the English page it translates, or remove it.")
            continue
        source, read_problems = read_source(path, shown)
        problems.extend(read_problems)
        if source is None:
            continue
        problems.extend(limits.problems(source.body, shown, source.body_first_line))
        not_translated = _untranslatable_keys(source.node, schema_dir, record.kind)
        for line, key in not_translated:
            problems.add(shown, line, key, f"is not translated: it comes from the English page {source_shown}. Remove this line.")
        if not_translated:
            continue
        refs = schema.References(frozenset(english.programmes), frozenset(english.organisations), dates, programme_folder=f"docs/{SOURCE_LANG}/programmes")
        checked, check_problems = schema.check(source.node, translation_schema(schema_dir, record.kind), refs, shown, source.fm_close_line)
        problems.extend(check_problems)
        if not check_problems:
            translated[uri] = (checked.values, source)
    if problems:
        raise ContentError(problems)
    return _overlay(english, lang, translated, schema_dir)


def _english(root: Path, now: datetime, dates: schema.Dates, preview: bool) -> Catalogue:
    """The English catalogue, which every language's build loads.

    `newsroom.cli build` gives the languages it builds one folder for the
    run (NEWSROOM_CATALOGUE_CACHE): the first to load English leaves it
    there, and the languages after it read it instead of parsing and
    validating every English file again. It is found only by a key made
    from the name, size and modification time of every English file and
    every file in data/, and the clock and settings of the build, so an
    edit made during the run is read afresh.
    """
    folder = os.environ.get("NEWSROOM_CATALOGUE_CACHE")
    if not folder:
        return load_catalogue(root, root / "docs" / SOURCE_LANG, SOURCE_LANG, now, dates, preview)
    key = hashlib.sha256(repr((now.isoformat(), dates, preview, _stamps(root / "docs" / SOURCE_LANG), _stamps(root / "data"))).encode("utf-8")).hexdigest()[:32]
    path = Path(folder) / f"english-{key}.pickle"
    try:
        with path.open("rb") as held:
            return pickle.load(held)
    except (OSError, pickle.UnpicklingError, EOFError):
        pass
    english = load_catalogue(root, root / "docs" / SOURCE_LANG, SOURCE_LANG, now, dates, preview)
    partial = path.with_name(f"{path.name}.{os.getpid()}")
    try:
        with partial.open("wb") as out:
            pickle.dump(english, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
    return english


def _stamps(folder: Path) -> list[tuple[str, int, int]]:
    found = []
    for directory, _, names in os.walk(folder):
        for name in names:
            stat = os.stat(os.path.join(directory, name))
            found.append((os.path.join(directory, name), stat.st_size, stat.st_mtime_ns))
    return sorted(found)


def _url_key(uri: str) -> str:
    """news/x.md and news/x/index.md are one page: compare them by URL."""
    return uri[:-3].removesuffix("index").rstrip("/").casefold()


def _untranslatable_keys(node: Any, schema_dir: str, kind: str) -> list[tuple[int, str]]:
    """Fields of the content type that a translation must not repeat."""
    if not isinstance(node, yaml.MappingNode):
        return []
    fields = set(translatable_fields(schema_dir, kind)) | {"translation"}
    known = set(schema.load_schema(schema_dir, kind)["properties"])
    return [(k.start_mark.line + 2, k.value) for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.value in known - fields]


def _overlay(english: Catalogue, lang: str, translated: dict[str, tuple[Any, Any]], schema_dir: str) -> Catalogue:
    sources = {}

    def merge(record: Any) -> Any:
        current = source_hash(schema_dir, record, english.sources[record.src_uri].body)
        if record.src_uri not in translated:
            sources[record.src_uri] = english.sources[record.src_uri]
            return dataclasses.replace(record, translation=Translation(lang, "missing", None, current))
        values, source = translated[record.src_uri]
        block = values.pop("translation")
        sources[record.src_uri] = source
        fields = {k: v for k, v in values.items()}
        return dataclasses.replace(record, **fields, translation=Translation(lang, block["status"], block.get("source_hash"), current, block.get("translator"), tuple(fields)))

    catalogue = Catalogue(
        lang=lang,
        organisations=english.organisations,
        programmes={slug: merge(p) for slug, p in english.programmes.items()},
        resources={slug: merge(r) for slug, r in english.resources.items()},
        releases=[merge(r) for r in english.releases],
        pages={uri: merge(p) for uri, p in english.pages.items()},
        unpublished=english.unpublished,
        withheld=english.withheld,
        available=english.available,
        sources=sources,
    )
    catalogue.listings = build_listings(catalogue)
    return catalogue


def _available(root: Path, english: Catalogue, codes: list[str]) -> dict[str, tuple[str, ...]]:
    """For each page, the languages it is really written in (not shown in English)."""
    return {
        uri: tuple(code for code in codes if code == SOURCE_LANG or (root / "docs" / code / uri).is_file())
        for uri in english.sources
    }


def stamp_file(root: Path, path: Path) -> str:
    """Write the current English hash into a translation's `translation:` block."""
    path = path.resolve()
    lang_dir = path.relative_to(root.resolve() / "docs").parts[0]
    uri = path.relative_to(root.resolve() / "docs" / lang_dir).as_posix()
    english = load_catalogue(root, root / "docs" / SOURCE_LANG, SOURCE_LANG, datetime.max.replace(tzinfo=timezone.utc))
    record = english.by_src(uri)
    if record is None:
        raise ContentError(_single(path.relative_to(root).as_posix(), f"translates docs/{SOURCE_LANG}/{uri}, which does not exist."))
    digest = source_hash(str(root / "data" / "schemas"), record, english.sources[uri].body)
    lines = path.read_text("utf-8").split("\n")
    close = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    block = next((i for i in range(1, close) if lines[i].rstrip() == "translation:"), None)
    if block is None:
        raise ContentError(_single(path.relative_to(root).as_posix(), "has no translation: block. Add the lines translation: and   status: unofficial to the front-matter first."))
    end = next((i for i in range(block + 1, close) if not lines[i].startswith((" ", "\t"))), close)
    existing = next((i for i in range(block + 1, end) if lines[i].lstrip().startswith("source_hash:")), None)
    line = f'  source_hash: "{digest}"'
    if existing is None:
        lines.insert(end, line)
    else:
        lines[existing] = line
    path.write_text("\n".join(lines), "utf-8")
    return digest


def _single(shown: str, message: str) -> Problems:
    problems = Problems()
    problems.add(shown, 0, "", message)
    return problems
