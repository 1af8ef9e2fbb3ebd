"""Translations: a language's catalogue is the English one, overlaid.

English is the source of every fact. A translation file at the same path in
docs/<lang>/ carries only the fields marked "x-translatable" in the content
type's schema (and, of an object or a list of objects, only the parts so
marked: an image's alt and caption, the notes of corrections), a
`translation:` block (status, and the hash of the English text it
translates) and the translated body. A page without a translation is shown
in English, marked as such, so switching language never leads to a 404.

So is a translation that is not written yet (`not_started`): one marked
`status: draft`, as `make new translation` writes it, or one whose body and
text fields are still the English ones (whitespace aside). It is published,
listed in hreflang alternates and carried by feeds only once it is written.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import unicodedata
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from newsroom import limits, schema
from newsroom.content import Catalogue, build_listings, load_catalogue, now_from_env
from newsroom.frontmatter import MAX_FILE_BYTES, closing_fence, read_source
from newsroom.problems import ContentError, Problem, Problems
from newsroom.records import Translation

SOURCE_LANG = "en"
_KIND_BY_TOP = {"news": "release", "programmes": "programme", "resources": "resource"}


def declared_languages(root: Path) -> list[dict[str, Any]]:
    return yaml.safe_load((root / "data" / "languages.yml").read_text("utf-8"))


def kind_of(src_uri: str) -> str:
    return _KIND_BY_TOP.get(src_uri.split("/", 1)[0], "page")


# The translation status `make new translation` writes: not written yet.
DRAFT = "draft"


@cache
def translation_schema(schema_dir: str, kind: str) -> dict[str, Any]:
    """The content type's schema, cut down to its translatable fields."""
    full = schema.load_schema(schema_dir, kind)
    block = schema.load_schema(schema_dir, "translation")
    fields = translatable_fields(schema_dir, kind)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f for f in full.get("required", []) if f in fields and full["properties"][f].get("x-translatable")] + ["translation"],
        "properties": {**{f: _translatable(full["properties"][f]) for f in fields}, "translation": block},
    }


@cache
def translatable_fields(schema_dir: str, kind: str) -> tuple[str, ...]:
    """The fields a translation may give: text fields, and objects or lists
    of objects with translatable parts."""
    properties = schema.load_schema(schema_dir, kind)["properties"]
    return tuple(name for name, spec in properties.items() if _translatable(spec) is not None)


def _translatable(spec: dict[str, Any]) -> dict[str, Any] | None:
    """What a translation may give of a field: all of it (x-translatable),
    the x-translatable parts of an object or of each object of a list, or
    nothing (None)."""
    if spec.get("x-translatable"):
        return spec
    if spec.get("type") == "object":
        parts = _parts(spec)
        if parts:
            names = " and ".join(f"{name}:" for name in parts)
            return {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": parts, "description": spec.get("description", ""), "x-hint": f"{names} on indented lines, in this language"}
    if spec.get("type") == "array" and spec.get("items", {}).get("type") == "object":
        parts = _parts(spec["items"])
        if parts:
            required = [name for name in spec["items"].get("required", []) if name in parts]
            names = " and ".join(f"{name}:" for name in parts)
            items = {"type": "object", "additionalProperties": False, "required": required, "properties": parts}
            return {"type": "array", "items": items, "description": spec.get("description", ""), "x-hint": f"one entry for each of the English page, oldest first, each with {names} in this language"}
    return None


def _parts(spec: dict[str, Any]) -> dict[str, Any]:
    return {name: sub for name, sub in spec.get("properties", {}).items() if sub.get("x-translatable")}


@cache
def hashed_fields(schema_dir: str, kind: str) -> tuple[str, ...]:
    """The translatable fields whose English text a translation is stamped
    against. Keywords (x-in-source-hash: false) may be translated, but a new
    English keyword does not make a translation stale; it was never in the
    stamp, so no translation stamped before keywords were translatable is.
    Nor are the translatable parts of an image or of corrections, for the
    same reason (a new English correction is told by its count instead)."""
    properties = schema.load_schema(schema_dir, kind)["properties"]
    return tuple(name for name in translatable_fields(schema_dir, kind) if properties[name].get("x-translatable") and properties[name].get("x-in-source-hash", True))


def source_hash(schema_dir: str, record: Any, body: str) -> str:
    """What a translation translates: the English translatable fields and body."""
    fields = hashed_fields(schema_dir, record.kind)
    material = json.dumps([[f, getattr(record, f, None)] for f in fields] + [" ".join(body.split())], ensure_ascii=False)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


def all_records(catalogue: Catalogue) -> list[Any]:
    """Every page record of a catalogue: programmes, resources, releases, pages."""
    return [*catalogue.programmes.values(), *catalogue.resources.values(), *catalogue.releases, *catalogue.pages.values()]


def load_language(root: Path, lang: str, now: datetime, dates: schema.Dates = schema.Dates(), preview: bool = False, english: Catalogue | None = None, added: frozenset[str] | None = None) -> Catalogue:
    """The catalogue of one language: English facts with this language's text
    (`english`, when it is already loaded with the same clock and settings).
    `added`: the files a change adds, when git tells (load_catalogue)."""
    english = english or _english(root, now, dates, preview, added)
    codes = [entry["code"] for entry in declared_languages(root)]
    if not english.available:  # once for the languages that share this English catalogue
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
        mismatches = _parts_problems(checked, record, shown, source_shown)
        problems.extend(mismatches)
        if not check_problems and not mismatches:
            translated[uri] = (checked.values, source)
    if problems:
        raise ContentError(problems)
    return _overlay(english, lang, translated, schema_dir)


def _english(root: Path, now: datetime, dates: schema.Dates, preview: bool, added: frozenset[str] | None = None) -> Catalogue:
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
        return load_catalogue(root, root / "docs" / SOURCE_LANG, SOURCE_LANG, now, dates, preview, added)
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
    """Fields of the content type that a translation must not repeat: whole
    fields, and the parts of an image or a correction that are not text
    (its src, its date)."""
    if not isinstance(node, yaml.MappingNode):
        return []
    fields = set(translatable_fields(schema_dir, kind)) | {"translation"}
    properties = schema.load_schema(schema_dir, kind)["properties"]
    found = [(k.start_mark.line + 2, k.value) for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.value in set(properties) - fields]
    for key, value in node.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else None
        spec = properties.get(name, {}) if name in fields else {}
        if not spec or spec.get("x-translatable"):
            continue
        if isinstance(value, yaml.MappingNode):
            entries = [(name, value, spec)]
        elif isinstance(value, yaml.SequenceNode):
            entries = [(f"{name}[{index + 1}]", item, spec.get("items", {})) for index, item in enumerate(value.value) if isinstance(item, yaml.MappingNode)]
        else:
            entries = []
        for where, mapping, part in entries:
            known = set(part.get("properties", {}))
            text = set(_parts(part))
            found += [(k.start_mark.line + 2, f"{where}.{k.value}") for k, _ in mapping.value if isinstance(k, yaml.ScalarNode) and k.value in known - text]
    return sorted(found)


def _parts_problems(checked: schema.Checked, record: Any, shown: str, source_shown: str) -> list[Problem]:
    """A translated image needs an English one; translated correction notes
    are one for each English correction, in order."""
    found = []
    if "image" in checked.values and getattr(record, "image", None) is None:
        found.append(Problem(shown, checked.key_line("image"), "image", f"the English page {source_shown} has no image, so there is no alt text or caption to translate. Remove the image: lines."))
    if "updates" in checked.values:
        given, english = len(checked.values["updates"]), len(getattr(record, "updates", ()))
        if given != english:
            found.append(
                Problem(
                    shown,
                    checked.key_line("updates"),
                    "updates",
                    f"gives {_notes(given)}, but the English page {source_shown} has {_notes(english) if english else 'none'}. "
                    "Give one - note: line for each correction of the English page, translated, in the order of their dates, oldest first"
                    + (" (a new one may stay in English until it is translated)." if given < english else "."),
                )
            )
    return found


def _notes(count: int) -> str:
    return f"{count} correction note{'s' if count != 1 else ''}"


def _words(value: Any) -> Any:
    """Text compared whitespace aside, in every part of a value."""
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFC", value).split())
    if isinstance(value, (list, tuple)):
        return [_words(item) for item in value]
    if isinstance(value, dict):
        return {key: _words(item) for key, item in value.items()}
    return value


def _english_part(record: Any, name: str, given: Any) -> Any:
    """The English value of a field, shaped as a translation gives it."""
    value = getattr(record, name, None)
    if isinstance(given, dict):
        return {key: getattr(value, key, None) for key in given}
    if isinstance(given, list) and given and isinstance(given[0], dict):
        return [{key: getattr(item, key, None) for key in entry} for item, entry in zip(value or (), given)]
    return list(value) if isinstance(value, tuple) else value


def not_started(record: Any, english_body: str, status: str | None, body: str, given: Callable[[], dict[str, Any]]) -> bool:
    """A translation that is not written yet: marked draft, or its body still
    the English text, whitespace aside (a translated title over the English
    text would be published as a page in that language, its English read out
    with the language's voice). A page without text of its own is not
    written while every text field it gives is the English one. `given`
    returns the fields it gives (read only when the body is English)."""
    if status == DRAFT:
        return True
    if _words(body) != _words(english_body):
        return False
    if _words(english_body):
        return True
    return all(_words(value) == _words(_english_part(record, name, value)) for name, value in given().items())


def _overlay(english: Catalogue, lang: str, translated: dict[str, tuple[Any, Any]], schema_dir: str) -> Catalogue:
    sources = {}

    def merge(record: Any) -> Any:
        english_source = english.sources[record.src_uri]
        current = source_hash(schema_dir, record, english_source.body)
        if record.src_uri not in translated:
            sources[record.src_uri] = english_source
            return dataclasses.replace(record, translation=Translation(lang, "missing", None, current))
        values, source = translated[record.src_uri]
        block = values["translation"]
        fields = {k: v for k, v in values.items() if k != "translation"}
        if not_started(record, english_source.body, block["status"], source.body, lambda: fields):
            sources[record.src_uri] = english_source
            return dataclasses.replace(record, translation=Translation(lang, "not-started", block.get("source_hash"), current))
        sources[record.src_uri] = source
        given = (*fields, *(f"image.{part}" for part in fields.get("image", {})))
        return dataclasses.replace(record, **_overlaid(record, fields), translation=Translation(lang, block["status"], block.get("source_hash"), current, block.get("translator"), given))

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


def _overlaid(record: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """The record's fields as the translation gives them: text as it is, an
    image with its translated alt and caption, corrections with their
    translated notes (as many as the English ones: load_language checks)."""
    out = {}
    for name, value in fields.items():
        if name == "image":
            out[name] = dataclasses.replace(record.image, **value)
        elif name == "updates":
            out[name] = tuple(dataclasses.replace(update, **entry) for update, entry in zip(record.updates, value))
        else:
            out[name] = value
    return out


def _available(root: Path, english: Catalogue, codes: list[str]) -> dict[str, tuple[str, ...]]:
    """For each page, the languages it is really written in: not shown in
    English, for want of a translation or because it is not written yet."""
    schema_dir = str(root / "data" / "schemas")
    found = {}
    for uri, source in english.sources.items():
        english_words = _words(source.body)  # once for every language
        found[uri] = tuple(code for code in codes if code == SOURCE_LANG or _written(root, code, uri, english, english_words, schema_dir))
    return found


def _written(root: Path, code: str, uri: str, english: Catalogue, english_words: str, schema_dir: str) -> bool:
    """Whether docs/<code>/<uri> is a translation that is written
    (not_started, as the overlay decides it). Read for every language in each
    language's build, so only what the decision needs: a file whose
    front-matter cannot say draft (no such word, and no YAML escape that
    could spell it) and whose body is not the English one is written, with
    no YAML read; any other is read in full, its fields only when the body
    is still the English one. (Reading every file's YAML here made each
    language's validation of 200 releases in 6 languages 70 % slower.)"""
    path = root / "docs" / code / uri
    if not path.is_file():
        return False
    record = _english_record(english, uri)
    if record is None or path.stat().st_size > MAX_FILE_BYTES:
        return True  # its own language's build reports what is wrong with it
    lines = path.read_bytes().decode("utf-8", "replace").split("\n")
    close = closing_fence(lines)
    if close:
        front_matter = "\n".join(lines[1:close])
        if DRAFT not in front_matter and "\\" not in front_matter and _words("\n".join(lines[close + 1 :])) != english_words:
            return True
    shown = path.relative_to(root).as_posix()
    source, _ = read_source(path, shown)
    if source is None or not isinstance(source.node, yaml.MappingNode):
        return True  # its own language's build reports what is wrong with it
    status = _scalar(_value(source.node, "translation"), "status")

    def given() -> dict[str, Any]:
        checked, _ = schema.check(source.node, translation_schema(schema_dir, record.kind), schema.References(frozenset(), frozenset()), shown, source.fm_close_line)
        return {k: v for k, v in checked.values.items() if k != "translation"}

    return not not_started(record, english.sources[uri].body, status, source.body, given)


def _english_record(english: Catalogue, uri: str) -> Any:
    """The English record of a page, published or not (a draft, an embargo)."""
    return english.by_src(uri) or next((r for r in english.withheld if r.src_uri == uri), None)


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for k, value in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _scalar(node: yaml.Node | None, key: str) -> str | None:
    """A scalar under a mapping, read as the schema check reads it."""
    value = _value(node, key)
    return unicodedata.normalize("NFC", value.value).strip() if isinstance(value, yaml.ScalarNode) else None


def stamp_file(root: Path, path: Path) -> str:
    """Write the current English hash into a translation's `translation:` block."""
    path = path.resolve()
    lang_dir = path.relative_to(root.resolve() / "docs").parts[0]
    uri = path.relative_to(root.resolve() / "docs" / lang_dir).as_posix()
    # Drafts and embargoed releases can be translated before they are published.
    english = load_catalogue(root, root / "docs" / SOURCE_LANG, SOURCE_LANG, now_from_env())
    record = _english_record(english, uri)
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
