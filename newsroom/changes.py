"""What a change does to the published site, against its base (newsroom/gitbase.py).

Both parts compare two validations (newsroom/validation.py), made by the same
code at the same moment: the base's (its docs/ and data/) and the working
copy's.

- `lost_addresses`: every address where a release, a programme page or a
  resource page is published at the base, in any language, must still lead
  somewhere: to the page, or to a page that sends readers on (an old address
  listed in `previous_paths`, hooks/listings.py). A withdrawn release keeps
  its page. Each address that would return "page not found" is a problem
  that names it and says exactly what to write, and where.
- `lost_files`: the same for the images and documents (PDF) in docs/: a
  file published at the base keeps its address. Readers and other sites link
  to a PDF or a photograph as they link to a page, and nothing can send them
  on from a file's old name.
- `summary`: the pull request's job summary, in Markdown: for each language,
  the pages the change adds, changes, moves and removes, and what that does
  to the feeds (the language's RSS and JSON feeds of new and updated
  releases, and each programme's feed) and to the listings (the home page,
  the news index, the year's page, programme and organisation pages), in
  the numbers hooks/feeds.py and hooks/listings.py use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import Any

from newsroom.content import HOME_LATEST, NEWS_PER_YEAR, Catalogue
from newsroom.gitbase import Base, Changes
from newsroom.paths import DOCUMENT_SUFFIXES, IMAGE_SUFFIXES
from newsroom.problems import Problem
from newsroom.records import Release
from newsroom.translations import SOURCE_LANG, all_records
from newsroom.validation import Validation

# What each feed file of a language carries (hooks/feeds.py): the newest
# releases by publication date, or by their latest correction.
SITE_FEEDS = {
    "feed_rss_created.xml": "date",
    "feed_json_created.json": "date",
    "feed_rss_updated.xml": "updated",
    "feed_json_updated.json": "updated",
}
NOUNS = {"release": "release", "programme": "programme page", "resource": "resource page", "page": "page"}
GUARDED = ("release", "programme", "resource")
# The pages the job summary names in each language, at most: GitHub shows
# no step summary over 1 MiB, and a change that adds an archive of a
# thousand releases would pass that in six languages.
SENTENCES = 100

Key = tuple[str, str]


# -- No published address is lost -------------------------------------------------


def lost_addresses(root: Path, before: Validation, after: Validation, changes: Changes) -> list[Problem]:
    """Every address published at the base that the change would lose, each
    told once (with the languages it is lost in), on the file to change."""
    english_before, english_after = before.catalogues.get(SOURCE_LANG), after.catalogues.get(SOURCE_LANG)
    if english_before is None or english_after is None:
        return []  # the problems that stop either validation are reported instead
    problems = []
    lost: dict[str, list[str]] = {}
    owners: dict[str, Any] = {}
    for code, catalogue in before.catalogues.items():
        guarded = _guarded(catalogue)
        if code not in after.languages:
            published = [address for address, shown in catalogue.addresses().items() if shown]
            example = catalogue.releases[0].url if catalogue.releases else next(iter(published), "")
            problems.append(Problem("data/languages.yml", 0, "", f'data/languages.yml no longer declares {code}, whose {len(published)} published pages, such as /{code}/{example}, would return "page not found". Declare it again: a language, once published, stays.', site=True))
            continue
        if code not in after.catalogues:
            continue
        published = after.catalogues[code].addresses()
        for address, record in guarded.items():
            if not published.get(address):
                lost.setdefault(address, []).append(code)
                owners.setdefault(address, record)
    every = [code for code in before.catalogues if code in after.languages]
    for address, codes in sorted(lost.items()):
        where = f"/{codes[0]}/{address}" + (f" (and at the same address in the other {len(codes) - 1} languages)" if codes == every and len(codes) > 1 else "".join(f", /{code}/{address}" for code in codes[1:]))
        problems.append(_lost(root, address, where, owners[address], english_after, changes))
    problems += _changed_ids(root, english_before, english_after, changes)
    return problems


def lost_files(base_root: Path, root: Path, before: Validation, after: Validation) -> list[Problem]:
    """Every image and document published at the base (`base_root`, its
    snapshot) whose address the change loses: its file deleted or renamed,
    with no file at the same path in its language's folder nor in English,
    which a language without a file of its own shows (hooks/content.py).
    A file only unpublished releases use (their image: or attachments:) was
    never published, and may go."""
    problems = []
    for code, catalogue in before.catalogues.items():
        if code not in after.catalogues:
            continue  # a language no longer declared: lost_addresses says so
        folder = base_root / "docs" / code
        withheld = {path for r in catalogue.withheld for path in _files_of(r)} - {path for r in catalogue.releases for path in _files_of(r)}
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder).as_posix()
            if not path.is_file() or not relative.lower().endswith((*IMAGE_SUFFIXES, *DOCUMENT_SUFFIXES)) or relative in withheld:
                continue
            if (root / "docs" / code / relative).is_file() or (root / "docs" / SOURCE_LANG / relative).is_file():
                continue
            shown_too = " (and at the same address in every language without a file of its own)" if code == SOURCE_LANG else ""
            problems.append(Problem(
                f"docs/{code}/{relative}", 0, "",
                f'this file is deleted or renamed, but it is published at /{code}/{relative}{shown_too}: readers\' and other sites\' links to it would return "page not found", and nothing can send them on from a file\'s old name. Keep the file at docs/{code}/{relative} (save a new version under the same name), and add a new file under a new name if both are wanted.',
            ))
    return problems


def _files_of(release: Release) -> list[str]:
    """The files a release's front-matter names: its lead image and attachments."""
    return [path for path in (release.image_url, *(a.path for a in release.attachments)) if path]


def _guarded(catalogue: Catalogue) -> dict[str, Any]:
    """The addresses where a release, programme or resource is published:
    its own, and the old ones that send readers on to it."""
    found = {record.url: record for record in all_records(catalogue) if record.kind in GUARDED}
    found.update({old: record for record in catalogue.renamed for old in record.previous_paths})
    return found


def _successor(record: Any, after: Catalogue, changes: Changes) -> Any:
    """Where a page of the base is in the change: a release by its permanent
    id; a page by the rename git saw, or at its own file."""
    if record.kind == "release":
        return next((r for r in (*after.releases, *after.withheld) if r.id == record.id), None)
    renamed = changes.renamed.get(f"docs/{SOURCE_LANG}/{record.src_uri}", "")
    prefix = f"docs/{SOURCE_LANG}/"
    found = after.by_src(renamed[len(prefix) :]) if renamed.startswith(prefix) else None
    return found or after.by_src(record.src_uri)


def _lost(root: Path, address: str, where: str, record: Any, after: Catalogue, changes: Changes) -> Problem:
    noun = NOUNS[record.kind]
    successor = _successor(record, after, changes)
    if successor is not None and successor.kind == record.kind and getattr(successor, "published", True):
        shown = f"docs/{SOURCE_LANG}/{successor.src_uri}"
        entries = ", ".join(f'"{path}"' for path in (*successor.previous_paths, address))
        line = _field_line(root, shown, after.sources[successor.src_uri].fm_close_line, "previous_paths")
        if line:
            fix = f"add it to previous_paths; write this line as: previous_paths: [{entries}]"
        else:
            line = after.sources[successor.src_uri].fm_close_line
            fix = f"add this line above the closing --- (line {line}): previous_paths: [{entries}]"
        message = f'this {noun} was published at {where} before this change, and that address would return "page not found" to readers and to the feeds and sites that link to it. Keep it working: {fix}'
        return Problem(shown, line, "previous_paths", message)
    if successor is not None and successor.kind == record.kind:
        shown = f"docs/{SOURCE_LANG}/{successor.src_uri}"
        source = after.sources[successor.src_uri]
        if successor.draft:
            cause, name = "draft: true would take it off the site", "draft"
        else:
            cause, name = f"its date, now in the future ({successor.date.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC), would take it off the site until then", "date"
        message = f'this release is published at {where}, and {cause}: that address would return "page not found". A published release stays published: to take it down, withdraw it instead (withdrawn: with date: and reason:), which keeps its page with a notice.'
        return Problem(shown, _field_line(root, shown, source.fm_close_line, name), name, message)
    shown = f"docs/{SOURCE_LANG}/{record.src_uri}"
    if record.kind == "release":
        fix = f"Put the file back, and withdraw the release if it must come down (withdrawn: with date: and reason:), which keeps its page with a notice; or, if another release replaces it, add this line to that release's front-matter: previous_paths: [\"{address}\"]"
    else:
        fix = f'Put the file back; or, if another {noun} replaces it, add this line to that page\'s front-matter: previous_paths: ["{address}"]'
    message = f'this file is deleted, but its {noun} is published at {where}: that address would return "page not found" to readers and to the feeds and sites that link to it. {fix}'
    return Problem(shown, 0, "", message)


def _changed_ids(root: Path, before: Catalogue, after: Catalogue, changes: Changes) -> list[Problem]:
    """A published release whose file is still there, with another id (a
    new one, or one another release had: two releases that swap ids): feed
    readers would take it for a new release, or show it under the other's
    title."""
    found = []
    for release in before.releases:
        path = changes.renamed.get(f"docs/{SOURCE_LANG}/{release.src_uri}", f"docs/{SOURCE_LANG}/{release.src_uri}")
        now = after.by_src(path.removeprefix(f"docs/{SOURCE_LANG}/"))
        if now is None or now.kind != "release" or now.id == release.id:
            continue
        line = _field_line(root, path, after.sources[now.src_uri].fm_close_line, "id")
        message = f'was "{release.id}" before this change, and the release is published: feed readers know it by its id, and a new one would announce it again as a new release. Write back: id: "{release.id}"'
        found.append(Problem(path, line, "id", message))
    return found


def _field_line(root: Path, shown: str, close_line: int, name: str) -> int:
    """The line where a front-matter field starts, or 0."""
    lines = (root / shown).read_text("utf-8").split("\n")[:close_line]
    return next((number for number, line in enumerate(lines, start=1) if line.startswith(f"{name}:")), 0)


# -- The job summary ----------------------------------------------------------------


@dataclass
class _Side:
    """One language's pages, feeds and listings, at the base or in the change."""

    entities: dict[Key, tuple[Any, str]]
    feeds: dict[str, list[Key]]
    listings: dict[str, set[Key]]
    published: dict[str, bool]

    @classmethod
    def of(cls, catalogue: Catalogue | None, feed_length: int, renamed: dict[str, str]) -> _Side:
        if catalogue is None:
            return cls({}, {}, {}, {})
        entities = {_key(record, renamed): (record, catalogue.sources[record.src_uri].body) for record in (*all_records(catalogue), *catalogue.withheld)}
        return cls(entities, _feeds(catalogue, feed_length, renamed), _listings(catalogue, renamed), catalogue.addresses())

    def count(self, key: Key) -> tuple[int, int]:
        """How many feeds and listings show a page."""
        return sum(key in items for items in self.feeds.values()), sum(key in items for items in self.listings.values())


def _key(record: Any, renamed: dict[str, str]) -> Key:
    """A page, known across the change: a release by its permanent id, any
    other page by its file, as renamed (renamed: base file -> file, from
    docs/<lang>/)."""
    if record.kind == "release":
        return ("release", record.id)
    return (record.kind, renamed.get(record.src_uri, record.src_uri))


def _feeds(catalogue: Catalogue, length: int, renamed: dict[str, str]) -> dict[str, list[Key]]:
    live = [r for r in catalogue.listings.listed if r.in_feeds]
    feeds = {name: [_key(r, renamed) for r in sorted(live, key=lambda r: getattr(r, order), reverse=True)[:length]] for name, order in SITE_FEEDS.items()}
    for slug in catalogue.programmes:
        releases = [r for r in catalogue.listings.releases_by_programme.get(slug, []) if r.in_feeds][:length]
        feeds[f"programmes/{slug}/feed.xml"] = [_key(r, renamed) for r in releases]
    return feeds


def _listings(catalogue: Catalogue, renamed: dict[str, str]) -> dict[str, set[Key]]:
    listings = catalogue.listings

    def keys(records: Iterable[Any]) -> set[Key]:
        return {_key(r, renamed) for r in records}

    found = {"": keys(listings.listed[:HOME_LATEST]), "news/": keys(r for releases in listings.releases_by_year.values() for r in releases[:NEWS_PER_YEAR])}
    found.update({f"news/{year}/": keys(releases) for year, releases in listings.releases_by_year.items()})
    found["programmes/"] = keys(catalogue.programmes.values())
    found["resources/"] = keys(catalogue.resources.values())
    for slug in catalogue.programmes:
        found[f"programmes/{slug}/"] = keys([*listings.releases_by_programme.get(slug, []), *listings.resources_by_programme.get(slug, [])])
    for slug in catalogue.organisations:
        found[f"organisations/{slug}/"] = keys([*listings.releases_by_organisation.get(slug, []), *listings.programmes_by_organisation.get(slug, []), *listings.resources_by_organisation.get(slug, [])])
    return found


def summary(before: Validation | None, after: Validation, base: Base | None, outcome: str, changes: Changes, why_not: str = "") -> str:
    """The job summary: what `make check` found, then, language by
    language, what the change does to pages, feeds and listings."""
    lines = ["## What this change does to the site", "", outcome, ""]
    if base is None or before is None:
        lines.append(f"Not compared with a base: {why_not}.")
        return "\n".join(lines) + "\n"
    lines += [f"Compared with {base.described}.", ""]
    if SOURCE_LANG not in before.catalogues:
        lines.append("The base itself does not pass `make check` with this change's code, so the pages cannot be compared.")
        return "\n".join(lines) + "\n"
    prefix = f"docs/{SOURCE_LANG}/"
    renamed = {old[len(prefix) :]: new[len(prefix) :] for old, new in changes.renamed.items() if old.startswith(prefix) and new.startswith(prefix)}
    length = int(after.settings.get("feed_length", 50))
    for code, entry in after.languages.items():
        name = f"{_md(entry.get('name', code))} ({code})"
        if code not in after.catalogues:
            lines.append(f"- **{name}**: not compared: fix the problems `make check` found first.")
            continue
        lines += _language(code, name, _Side.of(before.catalogues.get(code), int(before.settings.get("feed_length", 50)), renamed), _Side.of(after.catalogues[code], length, {}), length)
    for code in before.languages:
        if code not in after.languages:
            lines.append(f"- **{code}**: no longer declared in data/languages.yml: all its pages are removed.")
    return "\n".join(lines) + "\n"


def _language(code: str, name: str, old: _Side, new: _Side, length: int) -> list[str]:
    sentences: list[tuple[tuple, str]] = []
    pages = {"new": 0, "changed": 0, "removed": 0}
    for key in sorted(old.entities.keys() | new.entities.keys()):
        was, now = old.entities.get(key), new.entities.get(key)
        if was == now:
            continue
        record = (now or was)[0]
        order = (list(NOUNS).index(record.kind), record.title.casefold())
        sentence = _sentence(code, key, was[0] if was else None, now[0] if now else None, old, new, pages)
        if sentence:
            sentences.append((order, sentence))
    items = {"new": 0, "changed": 0, "removed": 0}
    pushed = 0
    for feed in old.feeds.keys() | new.feeds.keys():
        before, after = set(old.feeds.get(feed, [])), set(new.feeds.get(feed, []))
        items["new"] += len(after - before)
        items["removed"] += len(before - after)
        items["changed"] += sum(1 for key in before & after if old.entities[key] != new.entities[key])
        pushed += sum(1 for key in before - after if _still_belongs(feed, new.entities.get(key)))
    if not sentences and not any(items.values()):
        return [f"- **{name}**: no change."]
    head = f"- **{name}**: {_count(pages['new'], 'new page')}, {pages['changed']} changed, {pages['removed']} removed; {_count(items['new'], 'new feed item')}, {items['changed']} changed, {items['removed']} removed."
    shown = sorted(sentences)[:SENTENCES]
    out = [head, *(f"  - {sentence}" for _, sentence in shown)]
    if len(sentences) > len(shown):
        out.append(f"  - and {_count(len(sentences) - len(shown), 'more page')}, counted above but not listed: GitHub shows no job summary over 1 MiB.")
    if pushed:
        newest = "the newest release" if length == 1 else f"the newest {length} releases"
        out.append(f"  - {_count(pushed, 'older feed item')} {'leaves its feed' if pushed == 1 else 'leave their feeds'}, which carry only {newest}.")
    return out


def _still_belongs(feed: str, entity: tuple[Any, str] | None) -> bool:
    """A release that left a feed only because newer ones filled it."""
    if entity is None or not entity[0].in_feeds:
        return False
    return feed in SITE_FEEDS or feed.split("/")[1] in entity[0].programmes


def _sentence(code: str, key: Key, was: Any, now: Any, old: _Side, new: _Side, pages: dict[str, int]) -> str:
    record = now or was
    noun = NOUNS[record.kind]
    title = f"“{_md(record.title)}”"
    if was is None:
        if isinstance(now, Release) and not now.published:
            if now.draft:
                return f"Adds the release {title}, a draft: it is not published."
            return f"Adds the release {title}, under embargo until {now.date.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC: the first build after then publishes it at `/{code}/{now.url}`."
        pages["new"] += 1
        english = ", in English until it is translated" if now.fallback else ""
        return f"Adds the {noun} {title} at `/{code}/{_url(now)}`{english}{_shown_in(*new.count(key), record.kind)}."
    if now is None:
        if isinstance(was, Release) and not was.published:
            return f"Removes the release {title}, which was not published yet."
        pages["removed"] += 1
        return f"Removes the {noun} {title} (`/{code}/{_url(was)}`){_shown_in(*old.count(key), record.kind, leaves=True)}."
    was_published, now_published = getattr(was, "published", True), getattr(now, "published", True)
    if was_published and not now_published:
        pages["removed"] += 1
        return f"Takes the release {title} (`/{code}/{_url(was)}`) off the site{_shown_in(*old.count(key), record.kind, leaves=True)}."
    if now_published and not was_published:
        pages["new"] += 1
        return f"Publishes the release {title} at `/{code}/{_url(now)}`{_shown_in(*new.count(key), record.kind)}."
    if not now_published:
        return f"Changes the release {title}, which is not published yet."
    pages["changed"] += 1
    if _url(was) != _url(now):
        onward = "; the old address sends readers on" if new.published.get(_url(was)) else '; the old address would return "page not found"'
        return f"Moves the {noun} {title} from `/{code}/{_url(was)}` to `/{code}/{_url(now)}`{onward}."
    if isinstance(now, Release) and now.withdrawn and not was.withdrawn:
        return f"Withdraws the release {title} (`/{code}/{_url(now)}`): its page stays, with a notice{_shown_in(*old.count(key), 'release', leaves=True)}."
    if was.fallback and not now.fallback:
        return f"Publishes the translation of the {noun} {title} at `/{code}/{_url(now)}`{_shown_in(*new.count(key), record.kind)}."
    if now.fallback and not was.fallback:
        feeds, _ = old.count(key)
        leaves = f"; it leaves {_count(feeds, 'feed')}" if feeds else ""
        return f"Shows the {noun} {title} (`/{code}/{_url(now)}`) in English again, until its translation is written{leaves}."
    feeds, _ = new.count(key)
    in_feeds = f"; its item changes in {_count(feeds, 'feed')}" if feeds else ""
    return f"Changes the {noun} {title} (`/{code}/{_url(now)}`){in_feeds}."


def _shown_in(feeds: int, listings: int, kind: str, leaves: bool = False) -> str:
    if kind == "page":
        return ""
    verb = "leaves" if leaves else "appears in"
    parts = [_count(listings, "listing")] if kind != "release" else [_count(feeds, "feed") if feeds else "no feed", _count(listings, "listing")]
    return f"; it {verb} " + " and ".join(parts)


def _url(record: Any) -> str:
    url = getattr(record, "url", None)
    if url is not None:
        return url
    stem = record.src_uri[:-3]
    return "" if stem == "index" else stem.removesuffix("/index") + "/"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _md(text: str) -> str:
    """Author text, shown as text in Markdown: nothing in it makes a link,
    an image, emphasis or HTML in the job summary."""
    return "".join(f"\\{char}" if char in "\\`*_[]<>!|~&:@" else char for char in " ".join(str(text).split()))
