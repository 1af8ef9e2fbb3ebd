"""Load, validate and index a language's content in one pass.

`load_catalogue` reads every Markdown file under docs/<lang>/ and the
registries in data/, and either returns a Catalogue of typed records or
raises ContentError with every problem found. newsroom/validation.py calls
it, for the build and for `make check`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import posixpath
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from newsroom import limits, schema
from newsroom.frontmatter import MAX_FILE_BYTES, Source, compose_data, read_source
from newsroom.paths import slug_problem
from newsroom.problems import ContentError, Problem, Problems
from newsroom.records import Attachment, Withdrawal, Contact, Image, Listings, Organisation, Page, Programme, Release, Resource, Update

RELATED_LIMIT = 5
# The newest releases the home page lists, and the news index for each year
# (hooks/listings.py; what a change does to them: newsroom/changes.py).
HOME_LATEST = 6
NEWS_PER_YEAR = 10
# Names the site uses for its own pages inside content folders: news/<YYYY>/
# lists a year (its index) and pages long lists at .../page/<n>/.
RESERVED_SLUGS = frozenset({"index", "page"})
_YEAR = re.compile(r"^\d{4}$")


@dataclass
class Catalogue:
    """Validated records of one language, and the listings built from them."""

    lang: str
    organisations: dict[str, Organisation]
    programmes: dict[str, Programme]
    resources: dict[str, Resource]
    releases: list[Release]
    pages: dict[str, Page]
    unpublished: set[str] = field(default_factory=set)
    # The releases behind `unpublished` (drafts, and embargoed outside a
    # preview): what they use stays out of the site too (hooks/content.py).
    withheld: list[Release] = field(default_factory=list)
    # For each page, the languages it is really written in (see translations.py).
    available: dict[str, tuple[str, ...]] = field(default_factory=dict)
    listings: Listings = field(default_factory=Listings)
    sources: dict[str, Source] = field(default_factory=dict)

    def by_src(self, src_uri: str) -> Any:
        """The record for a docs-relative path, or None for other files."""
        return self._by_src.get(src_uri)

    def addresses(self) -> dict[str, bool]:
        """Every address of the language's pages, from its root (news/2024/x/),
        and whether a page is published there: drafts and embargoed releases
        are not yet; the previous paths of a renamed page lead to it."""
        found = {_url_of(uri): True for uri in self._by_src}
        found.update({_url_of(release.src_uri): False for release in self.withheld})
        found.update({old: True for record in self.renamed for old in record.previous_paths})
        return found

    @property
    def renamed(self) -> list[Any]:
        """The published pages with previous paths, each of which gets a page
        that sends readers on (hooks/listings.py)."""
        return [record for group in (self.releases, self.programmes.values(), self.resources.values()) for record in group if record.previous_paths]

    def __post_init__(self) -> None:
        self._by_src: dict[str, Any] = {}
        for group in (self.programmes.values(), self.resources.values(), self.releases, self.pages.values()):
            for record in group:
                self._by_src[record.src_uri] = record


def now_from_env() -> datetime:
    """The clock the build publishes against; NEWSROOM_NOW pins it for tests."""
    pinned = os.environ.get("NEWSROOM_NOW")
    if pinned:
        return schema.parse_datetime(pinned, schema.Dates())
    return datetime.now(timezone.utc)


def load_catalogue(root: Path, docs_dir: Path, lang: str, now: datetime, dates: schema.Dates = schema.Dates(), preview: bool = False, added: frozenset[str] | None = None) -> Catalogue:
    """Validate every content file under docs_dir against data/ in root.

    A preview build also publishes embargoed releases (`Release.embargoed`,
    so templates can mark them); drafts never publish. `added`: the files
    (paths from root) the change being checked adds, when git tells
    (newsroom/gitbase.py): of two releases with one id, the one added is
    the copy.
    """
    problems = Problems()
    schema_dir = str(root / "data" / "schemas")
    organisations, organisation_slugs = _load_organisations(root, schema_dir, problems)

    # Sorted as text, so news/2024/x.md comes before news/2024/x/index.md and
    # the second file for an address is the one reported.
    files = sorted(docs_dir.rglob("*.md"), key=lambda p: p.as_posix())
    shown = {p: _shown(root, p) for p in files}
    src = {p: p.relative_to(docs_dir).as_posix() for p in files}
    programme_slugs = frozenset(p.stem for p in files if _kind(src[p]) == "programme")
    docs_shown = _shown(root, docs_dir)
    refs = schema.References(programme_slugs, organisation_slugs, dates, f"{docs_shown}/programmes")

    def check_file(path: Path) -> tuple[list[Problem], tuple | None]:
        """One file's problems, and (kind, source, checked, record) if it is valid."""
        found = Problems()
        uri = src[path]
        kind = _kind(uri)
        layout = _layout_problem(uri, kind, docs_shown)
        if layout:
            found.add(shown[path], 0, "", layout)
            return found.items, None
        source, read_problems, limit_problems, checked, check_problems = _read_and_check(path, shown[path], schema_dir, kind, refs)
        found.extend(read_problems)
        if source is None:
            return found.items, None
        found.extend(limit_problems)
        found.extend(check_problems)
        valid = not check_problems
        # Checked even when other fields are wrong, so all show at once.
        if kind == "release" and "date" in checked.values:
            year = schema.parse_datetime(checked.values["date"], dates).year
            folder = uri.split("/")[1]
            if year != int(folder):
                found.add(shown[path], checked.line("date"), "date", f'"{checked.values["date"]}" is in {year}, but the file is in the folder {docs_shown}/news/{folder}/. Move the file to {docs_shown}/news/{year}/, or correct the date.')
                valid = False
        for index, update in enumerate(checked.values.get("updates") or []):
            if "date" in update and _in_the_future(update["date"], dates, now):
                # Its note would sit in the future while the corrected text is
                # already live; and every feed and sitemap date would move to it.
                found.add(shown[path], checked.line("updates", index, "date"), f"updates[{index + 1}].date", _not_yet(update["date"], "A correction is published with the corrected text"))
                valid = False
        withdrawn = checked.values.get("withdrawn") or {}
        if "date" in withdrawn and _in_the_future(withdrawn["date"], dates, now):
            # The release leaves the lists and feeds at once, under a date to come.
            found.add(shown[path], checked.line("withdrawn", "date"), "withdrawn.date", _not_yet(withdrawn["date"], "A withdrawal takes the release out of the lists and feeds"))
            valid = False
        image_src = (checked.values.get("image") or {}).get("src")
        if image_src and not (path.parent / unquote(image_src)).is_file():
            where = _shown(root, path.parent / unquote(image_src))
            found.add(shown[path], checked.line("image", "src"), "image.src", f'"{image_src}" is not a file: there is no {where}. Check the spelling, or put the image there.')
            valid = False
        for index, attachment in enumerate(checked.values.get("attachments") or []):
            written = attachment.get("file")
            if written and posixpath.normpath(posixpath.join(posixpath.dirname(uri), unquote(written))).startswith("../"):
                found.add(shown[path], checked.line("attachments", index, "file"), f"attachments[{index + 1}].file", f'"{written}" leads out of {docs_shown}/. Put the document inside {docs_shown}/, e.g. in {docs_shown}/files/, and give its path from this file.')
                valid = False
            elif written and not (path.parent / unquote(written)).is_file():
                where = _shown(root, path.parent / unquote(written))
                found.add(shown[path], checked.line("attachments", index, "file"), f"attachments[{index + 1}].file", f'"{written}" is not a file: there is no {where}. Check the spelling, or put the document there.')
                valid = False
        if not valid:
            return found.items, None
        return found.items, (kind, source, checked, _build(kind, uri, checked.values, dates, path.parent))

    records: dict[str, list] = {"release": [], "programme": [], "resource": [], "page": []}
    sources: dict[str, Source] = {}
    lines: dict[str, schema.Checked] = {}
    for path in files:
        file_problems, valid = check_file(path)
        problems.extend(file_problems)
        if valid is not None:
            kind, source, checked, record = valid
            sources[src[path]] = source
            lines[src[path]] = checked
            records[kind].append(record)

    renamed = [r for kind in ("release", "programme", "resource") for r in records[kind] if r.previous_paths]
    _check_unique(docs_dir, files, records["release"], renamed, lines, shown, problems, added)
    if problems:
        raise ContentError(problems)

    releases = sorted(records["release"], key=lambda r: (r.date, r.id), reverse=True)
    # Drafts never publish; a release whose time is to come, only in a preview.
    releases = [dataclasses.replace(r, embargoed=r.date > now, published=not r.draft and (preview or r.date <= now)) if r.draft or r.date > now else r for r in releases]
    unpublished = {r.src_uri for r in releases if not r.published}
    catalogue = Catalogue(
        lang=lang,
        organisations=organisations,
        programmes={p.slug: p for p in sorted(records["programme"], key=lambda p: p.title.casefold())},
        resources={r.slug: r for r in sorted(records["resource"], key=lambda r: r.title.casefold())},
        releases=[r for r in releases if r.src_uri not in unpublished],
        pages={p.src_uri: p for p in records["page"]},
        unpublished=unpublished,
        withheld=[r for r in releases if r.src_uri in unpublished],
        sources=sources,
    )
    catalogue.listings = build_listings(catalogue)
    return catalogue


# (shown path) -> (what the result depends on, the result) of _read_and_check:
# `mkdocs serve` validates every file on every rebuild, and a save changes one.
_CHECKED: dict[str, tuple[tuple, tuple]] = {}


def _read_and_check(path: Path, shown: str, schema_dir: str, kind: str, refs: schema.References) -> tuple:
    """A file's front-matter and body read, and checked against its schema:
    (source, read problems, limit problems, checked, check problems).

    Kept for the next call by the file's content and what the check reads
    besides (the schema, programme and organisation slugs, date settings),
    so an unchanged file is not parsed and checked again. The results are
    read, never changed, by the callers."""
    # read_source refuses a file too large to read: it is not read here either.
    key = (hashlib.sha256(path.read_bytes()).digest(), schema_dir, kind, refs) if path.stat().st_size <= MAX_FILE_BYTES else None
    held = _CHECKED.get(shown)
    if key is not None and held is not None and held[0] == key:
        return held[1]
    source, read_problems = read_source(path, shown)
    if source is None:
        result: tuple = (None, read_problems, [], None, [])
    else:
        checked, check_problems = schema.check(source.node, schema.load_schema(schema_dir, kind), refs, shown, source.fm_close_line)
        # The parsed YAML is needed only to report problems, and is checked.
        result = (dataclasses.replace(source, node=None), read_problems, limits.problems(source.body, shown, source.body_first_line), checked, check_problems)
    if key is not None:
        _CHECKED[shown] = (key, result)
    return result


def build_listings(catalogue: Catalogue) -> Listings:
    """Every listing from one pass over the records; releases arrive newest first."""
    listings = Listings()
    for release in catalogue.releases:
        if not release.listed:
            continue
        listings.listed.append(release)
        listings.releases_by_year.setdefault(release.year, []).append(release)
        for slug in release.programmes:
            listings.releases_by_programme.setdefault(slug, []).append(release)
        for slug in release.organisations:
            listings.releases_by_organisation.setdefault(slug, []).append(release)
    for resource in catalogue.resources.values():
        for slug in resource.programmes:
            listings.resources_by_programme.setdefault(slug, []).append(resource)
        for slug in resource.organisations:
            listings.resources_by_organisation.setdefault(slug, []).append(resource)
    for programme in catalogue.programmes.values():
        for slug in programme.organisations:
            listings.programmes_by_organisation.setdefault(slug, []).append(programme)
    for release in catalogue.releases:
        listings.related[release.src_uri] = _related(release, listings.releases_by_programme)
    return listings


def _related(release: Release, by_programme: dict[str, list[Release]]) -> list[Release]:
    """Newest releases sharing a programme; each list is walked only until full."""
    found: dict[str, Release] = {}
    for slug in release.programmes:
        taken = 0
        for other in by_programme.get(slug, ()):
            if taken == RELATED_LIMIT:
                break
            if other.src_uri != release.src_uri:
                found.setdefault(other.src_uri, other)
                taken += 1
    return sorted(found.values(), key=lambda r: (r.date, r.id), reverse=True)[:RELATED_LIMIT]


def _not_yet(written: str, what: str) -> str:
    return f'"{written}" is in the future. {what} as soon as the change is merged, so it cannot wait for a later date: give the date it is made, today or earlier.'


def _in_the_future(written: str, dates: schema.Dates, now: datetime) -> bool:
    """Whether a correction's date is still to come. A date written without a
    time is still to come only once it is a later day everywhere on Earth
    (UTC+14): a correction made this morning and dated today is fine before
    10:00 UTC, the moment such a date stands for."""
    moment = schema.parse_datetime(written, dates)
    if len(written.strip()) == 10:
        return moment.date() > (now + timedelta(hours=14)).date()
    return moment > now


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _kind(uri: str) -> str:
    top = uri.split("/", 1)[0]
    return {"news": "release", "programmes": "programme", "resources": "resource"}.get(top, "page")


def _layout_problem(uri: str, kind: str, docs_shown: str) -> str | None:
    parts = uri[:-3].split("/")
    name = parts[-1]
    if kind == "release":
        if len(parts) < 3 or not _YEAR.match(parts[1]):
            return f"press releases go in the folder of their year: {docs_shown}/news/<YYYY>/<slug>.md. Move the file into the folder of the year of its date."
        if len(parts) > 3:
            return f"press releases go directly in the folder of their year, {docs_shown}/news/{parts[1]}/<slug>.md, not in a sub-folder. Move the file up into {docs_shown}/news/{parts[1]}/ and name it after the release."
        if name in RESERVED_SLUGS:
            return f'"{name}" is reserved for the site\'s own pages (the list of the year\'s releases). Name the file after the release, e.g. {docs_shown}/news/{parts[1]}/launch-of-ai-pol.md.'
    elif kind in ("programme", "resource"):
        if name in RESERVED_SLUGS:
            return f'"{name}" is reserved for the site\'s own pages. Name the file after the {kind}.'

        if len(parts) != 2:
            return f"{kind} pages go directly in {docs_shown}/{parts[0]}/, not in a sub-folder. Move the file up."
    elif name in ("index", "README") or parts[0] == "about":
        return None
    return slug_problem(name)


def _tuple(values: dict[str, Any], key: str) -> tuple:
    return tuple(values.get(key) or ())


def _attachment(entry: dict[str, Any], uri: str, folder: Path) -> Attachment:
    written = entry["file"]
    return Attachment(
        title=entry["title"],
        file=written,
        language=entry["language"],
        path=posixpath.normpath(posixpath.join(posixpath.dirname(uri), unquote(written))),
        size=(folder / unquote(written)).stat().st_size,
    )


def _build(kind: str, uri: str, v: dict[str, Any], dates: schema.Dates, folder: Path) -> Any:
    """A content file's record; `folder` is the file's own, where the
    documents it attaches are."""
    slug = uri.rsplit("/", 1)[-1][:-3]
    if kind == "release":
        image = v.get("image")
        return Release(
            src_uri=uri,
            slug=slug,
            id=v["id"],
            title=v["title"],
            date=schema.parse_datetime(v["date"], dates),
            location=v["location"],
            summary=v["summary"],
            programmes=_tuple(v, "programmes"),
            publishers=_tuple(v, "publishers"),
            partners=_tuple(v, "partners"),
            funders=_tuple(v, "funders"),
            contacts=tuple(Contact(**c) for c in v.get("contacts") or ()),
            image=Image(**image) if image else None,
            attachments=tuple(_attachment(entry, uri, folder) for entry in v.get("attachments") or ()),
            tags=_tuple(v, "tags"),
            draft=bool(v.get("draft", False)),
            updates=tuple(sorted((Update(schema.parse_datetime(u["date"], dates), u["note"]) for u in v.get("updates") or ()), key=lambda u: u.date)),
            previous_paths=_tuple(v, "previous_paths"),
            withdrawn=Withdrawal(schema.parse_datetime(v["withdrawn"]["date"], dates), v["withdrawn"]["reason"]) if v.get("withdrawn") else None,
        )
    if kind == "programme":
        return Programme(
            src_uri=uri,
            slug=slug,
            title=v["title"],
            short_name=v["short_name"],
            summary=v["summary"],
            implementers=_tuple(v, "implementers"),
            partners=_tuple(v, "partners"),
            funders=_tuple(v, "funders"),
            part_of=v.get("part_of"),
            status=v.get("status"),
            launched=v.get("launched"),
            period=v.get("period"),
            previous_paths=_tuple(v, "previous_paths"),
        )
    if kind == "resource":
        return Resource(
            src_uri=uri,
            slug=slug,
            title=v["title"],
            kind_name=v["kind"],
            summary=v["summary"],
            publishers=_tuple(v, "publishers"),
            supporters=_tuple(v, "supporters"),
            programmes=_tuple(v, "programmes"),
            date=v.get("date"),
            link=v.get("url"),
            previous_paths=_tuple(v, "previous_paths"),
        )
    return Page(src_uri=uri, title=v["title"], summary=v.get("summary"))


def _load_organisations(root: Path, schema_dir: str, problems: Problems) -> tuple[dict[str, Organisation], frozenset[str]]:
    """The valid organisations, and every slug the registry names.

    Content is checked against every slug, so one broken entry is reported
    once, in the registry, and not again in each release that names it.
    """
    path = root / "data" / "organisations.yml"
    shown = _shown(root, path)
    node, read_problems = compose_data(path, shown)
    problems.extend(read_problems)
    if node is None:
        # Unreadable: the slugs at the start of lines still spare every
        # release a second report about the same mistake.
        text = path.read_bytes().decode("utf-8", "replace")
        return {}, frozenset(re.findall(r"^([a-z0-9][a-z0-9-]*):", text, re.MULTILINE))
    registry_schema = schema.load_schema(schema_dir, "organisations")
    # part_of may name any organisation in the same file.
    slugs = frozenset(k.value for k, _ in node.value) if isinstance(node, yaml.MappingNode) else frozenset()
    checked, check_problems = schema.check(node, registry_schema, schema.References(frozenset(), slugs), shown, 1, offset=1)
    problems.extend(check_problems)
    broken = {p.field.split(".", 1)[0] for p in check_problems}
    valid = {slug: Organisation(slug=slug, **fields) for slug, fields in checked.values.items() if isinstance(fields, dict) and slug not in broken}
    return valid, slugs


def _blame_copies(docs_dir: Path, same: list[Release], checked: dict[str, schema.Checked], shown: dict[Path, str], problems: Problems, added: frozenset[str] | None) -> None:
    """Releases sharing one permanent id: the original keeps it (feed readers
    already know the release by it), each copy is told to take a new one.
    The original is a release the change did not add, when git tells which
    files it adds; otherwise, the oldest by date, then by file name."""
    name = {release.src_uri: shown[docs_dir / release.src_uri] for release in same}
    oldest = sorted(same, key=lambda r: (r.date, r.src_uri))
    kept = [r for r in oldest if name[r.src_uri] not in added] if added is not None else []
    original = kept[0] if len(kept) == 1 else oldest[0]
    for copy in (r for r in oldest if r is not original):
        if len(kept) == 1:
            why = "which was there before this change; this file is the one the change adds"
        elif original.date < copy.date:
            why = f"an older release (dated {original.date.date().isoformat()}, this one {copy.date.date().isoformat()})"
        else:
            why = "a release with the same date, whose file name comes first"
        fresh = uuid.uuid5(uuid.UUID(copy.id), name[copy.src_uri])
        problems.add(
            name[copy.src_uri],
            checked[copy.src_uri].line("id"),
            "id",
            f'"{copy.id}" is also the id of {name[original.src_uri]}, {why}. Each release keeps its own id for good (feed readers know it by its id): '
            f'leave {name[original.src_uri]} as it is, and give this file a new id on this line, e.g. id: "{fresh}" (or run `make new` and take the id it writes).',
        )


def _url_of(uri: str) -> str:
    """The URL MkDocs gives a Markdown file (use_directory_urls)."""
    stem = uri[:-3]
    if stem == "index" or stem.endswith("/index") or stem == "README" or stem.endswith("/README"):
        return stem.rsplit("/", 1)[0] + "/" if "/" in stem else ""
    return stem + "/"


def _check_unique(docs_dir: Path, files: Iterable[Path], releases: list[Release], renamed: list[Any], checked: dict[str, schema.Checked], shown: dict[Path, str], problems: Problems, added: frozenset[str] | None) -> None:
    """Two files for one URL, or one permanent id for two releases, are errors."""
    owners: dict[str, Path] = {}
    for path in files:
        url = _url_of(path.relative_to(docs_dir).as_posix()).casefold()
        if url in owners:
            problems.add(shown[path], 0, "", f"this file and {shown[owners[url]]} would both be published at the address /{url}. Rename or remove one of the two files.")
        else:
            owners[url] = path
    by_id: dict[str, list[Release]] = {}
    for release in releases:
        by_id.setdefault(release.id, []).append(release)
    for same in by_id.values():
        if len(same) > 1:
            _blame_copies(docs_dir, same, checked, shown, problems, added)
    claimed: dict[str, Path] = {}
    for record in sorted(renamed, key=lambda r: r.src_uri):
        path = docs_dir / record.src_uri
        for index, old in enumerate(record.previous_paths):
            line = checked[record.src_uri].line("previous_paths", index)
            if old.casefold() in owners:
                problems.add(shown[path], line, "previous_paths", f'"{old}" is the address of {shown[owners[old.casefold()]]}. A previous path must be an address no other page uses.')
            elif old.casefold() in claimed:
                other = shown[claimed[old.casefold()]]
                problems.add(shown[path], line, "previous_paths", f'"{old}" is also in the previous_paths of {other}, and an old address can send readers on to one page only. Keep it only in the file of the page that replaced the one published there, and remove it from the other.')
            else:
                claimed[old.casefold()] = path
