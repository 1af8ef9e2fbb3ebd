"""Typed records of validated content. Templates read these attributes.

The publishing rules are properties of the records, decided here once:
whether a page is shown in English in another language (`fallback`), found
by search (`searchable`), and for a release whether it is published at all,
embargoed (shown only in a preview that asks for embargoes, watermarked),
listed, and carried by feeds. Templates and hooks read the properties and
never repeat the conditions.
"""

from __future__ import annotations

import posixpath
import uuid
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import datetime

# The language whose feed items were published as urn:uuid:<id>, the
# release's id itself: these GUIDs must never change.
PUBLISHED_GUID_LANG = "en"


@lru_cache(maxsize=None)
def _guid(release_id: str, lang: str) -> str:
    """Release.guid, computed once: feeds and pages ask for it many times."""
    if lang == PUBLISHED_GUID_LANG:
        return f"urn:uuid:{release_id}"
    return f"urn:uuid:{uuid.uuid5(uuid.UUID(release_id), lang)}"


@dataclass(frozen=True)
class Translation:
    """How a page in another language relates to its English source."""

    lang: str
    # "unofficial" or "approved", as the translation says; shown in English:
    # "missing" (no file) or "not-started" (a file that is still the English
    # text, or marked `status: draft`: newsroom/translations.py).
    status: str
    source_hash: str | None  # the English text it translates, as stamped
    current_hash: str  # the English text now
    translator: str | None = None
    # The fields this translation gives (and an image's parts, as image.alt);
    # every other is the English one.
    fields: tuple[str, ...] = ()

    @property
    def fallback(self) -> bool:
        return self.status in ("missing", "not-started")

    @property
    def stale(self) -> bool:
        return not self.fallback and self.source_hash != self.current_hash

    @property
    def state(self) -> str:
        """missing, not-started, stale or current: what `make translations`
        reports, and the page's notice says."""
        return self.status if self.fallback else ("stale" if self.stale else "current")


class Shown:
    """How a page record is shown in its language's site (its `translation`
    is None in English, the language every page is written in)."""

    @property
    def fallback(self) -> bool:
        """Shown in English in another language: it has no translation yet."""
        return self.translation is not None and self.translation.fallback  # type: ignore[attr-defined]

    @property
    def searchable(self) -> bool:
        """Indexed by search: only text really written in the language."""
        return not self.fallback


@dataclass(frozen=True)
class Organisation:
    slug: str
    name: str
    acronym: str
    kind: str
    website: str | None = None
    part_of: str | None = None
    # Official names in other languages, by language code (data/organisations.yml).
    names: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def url(self) -> str:
        return f"organisations/{self.slug}/"

    def name_in(self, lang: str) -> str:
        """The official name in a language, or in English where the registry has none."""
        return self.names.get(lang, self.name)


@dataclass(frozen=True)
class Contact:
    name: str | None = None
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    caption: str | None = None
    credit: str | None = None
    licence: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A document published with a release (a PDF in docs/)."""

    title: str
    file: str  # as written, relative to the release's file
    language: str  # the document's language code
    path: str  # its site path, from the language root
    size: int  # bytes

    @property
    def type(self) -> str:
        """What the document is, e.g. "pdf" (the only type published)."""
        return posixpath.splitext(self.path)[1].lstrip(".").lower()


@dataclass(frozen=True)
class Update:
    date: datetime
    note: str


@dataclass(frozen=True)
class Withdrawal:
    date: datetime
    reason: str


@dataclass(frozen=True)
class Release(Shown):
    src_uri: str
    slug: str
    id: str
    title: str
    date: datetime
    location: str
    summary: str
    programmes: tuple[str, ...]
    publishers: tuple[str, ...]
    partners: tuple[str, ...] = ()
    funders: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()
    image: Image | None = None
    attachments: tuple[Attachment, ...] = ()
    tags: tuple[str, ...] = ()
    draft: bool = False
    updates: tuple[Update, ...] = ()
    previous_paths: tuple[str, ...] = ()
    withdrawn: Withdrawal | None = None
    # Against the build's clock (newsroom/content.py): its time is still to
    # come; and it is on the site at all (not a draft, and not embargoed
    # unless this is a preview that shows embargoes).
    embargoed: bool = False
    published: bool = True

    translation: Translation | None = None

    kind = "release"

    @property
    def listed(self) -> bool:
        """In the listings (home, news, years, programmes, organisations):
        a withdrawn release keeps its page but leaves every list."""
        return self.published and self.withdrawn is None

    @property
    def in_feeds(self) -> bool:
        """Announced by feeds: listed, live (not an embargo shown in a
        preview) and written in the feed's language."""
        return self.listed and not self.embargoed and not self.fallback

    @property
    def searchable(self) -> bool:
        """Found by search: what feeds announce."""
        return self.in_feeds

    @property
    def tags_in_english(self) -> bool:
        """A translated page showing the English keywords, as its
        translation gives none of its own."""
        return self.in_english("tags")

    def in_english(self, field: str) -> bool:
        """A translated page showing this field (or image part, as
        image.caption) in English, as its translation does not give it."""
        return self.translation is not None and not self.fallback and field not in self.translation.fields

    @property
    def url(self) -> str:
        return f"news/{self.date.year}/{self.slug}/"

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def image_url(self) -> str | None:
        """The image's path from the language root (src is relative to the file)."""
        if self.image is None:
            return None
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.src_uri), self.image.src))

    @property
    def lang(self) -> str:
        """The language of this edition (the English source has no translation)."""
        return self.translation.lang if self.translation is not None else PUBLISHED_GUID_LANG

    @property
    def guid(self) -> str:
        """The item's GUID in this language's feeds: one per release and language.

        English keeps urn:uuid:<id>, as published from the start. Another
        language's item is urn:uuid:<uuid5(id, language code)>: stable, a valid
        urn:uuid, and its own, so a reader subscribed to two languages keeps
        both items (newsboat stores one item per GUID across all its feeds).
        """
        return _guid(self.id, self.lang)

    @property
    def updated(self) -> datetime:
        return max([self.date, *(u.date for u in self.updates)])

    @property
    def organisations(self) -> tuple[str, ...]:
        """Every organisation the release names, each once, publishers first."""
        return tuple(dict.fromkeys((*self.publishers, *self.partners, *self.funders)))


@dataclass(frozen=True)
class Programme(Shown):
    src_uri: str
    slug: str
    title: str
    short_name: str
    summary: str
    implementers: tuple[str, ...]
    partners: tuple[str, ...] = ()
    funders: tuple[str, ...] = ()
    part_of: str | None = None
    status: str | None = None
    launched: str | None = None
    period: str | None = None
    previous_paths: tuple[str, ...] = ()

    translation: Translation | None = None

    kind = "programme"

    @property
    def url(self) -> str:
        return f"programmes/{self.slug}/"

    @property
    def feed_url(self) -> str:
        return f"programmes/{self.slug}/feed.xml"

    @property
    def organisations(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.implementers, *self.partners, *self.funders)))


@dataclass(frozen=True)
class Resource(Shown):
    src_uri: str
    slug: str
    title: str
    kind_name: str
    summary: str
    publishers: tuple[str, ...] = ()
    supporters: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    date: str | None = None
    link: str | None = None
    previous_paths: tuple[str, ...] = ()

    translation: Translation | None = None

    kind = "resource"

    @property
    def url(self) -> str:
        return f"resources/{self.slug}/"

    @property
    def organisations(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.publishers, *self.supporters)))


@dataclass(frozen=True)
class Page(Shown):
    src_uri: str
    title: str
    summary: str | None = None

    translation: Translation | None = None

    kind = "page"


@dataclass
class Listings:
    """Every listing the site prints, collected in one pass over the records."""

    releases_by_programme: dict[str, list[Release]] = field(default_factory=dict)
    resources_by_programme: dict[str, list[Resource]] = field(default_factory=dict)
    releases_by_organisation: dict[str, list[Release]] = field(default_factory=dict)
    programmes_by_organisation: dict[str, list[Programme]] = field(default_factory=dict)
    resources_by_organisation: dict[str, list[Resource]] = field(default_factory=dict)
    releases_by_year: dict[int, list[Release]] = field(default_factory=dict)
    # Every release that listings show (published, not withdrawn), newest first.
    listed: list[Release] = field(default_factory=list)
    related: dict[str, list[Release]] = field(default_factory=dict)
