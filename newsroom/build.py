"""State of the build in progress, shared by the hooks.

MkDocs loads each hook module once per process, so anything kept at module
level survives from one `serve` rebuild (or one pytest build) to the next.
`start` is called from on_config and replaces the state wholesale: it
validates the checkout for this language (newsroom/validation.py) and stops
the build with every problem, or keeps what validation loaded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from newsroom import schema
from newsroom.content import Catalogue, now_from_env
from newsroom.validation import LinkCollector, Targets, validate


@dataclass
class Build:
    root: Path
    docs_dir: Path
    lang: str
    language: dict[str, Any]
    settings: dict[str, Any]
    now: datetime
    site_url: str
    # NEWSROOM_PREVIEW=1: a pull request's preview, with a banner and noindex.
    preview: bool = False
    # How front-matter dates read (data/site.yml).
    dates: schema.Dates = field(default_factory=schema.Dates)
    # NEWSROOM_PREVIEW_EMBARGOED=1 as well: embargoed releases shown too
    # (watermarked) so editors can check them. The pull-request workflow asks
    # for it only in a private repository: a public one's preview artifact can
    # be downloaded by anyone signed in to GitHub.
    show_embargoed: bool = False
    catalogue: Catalogue | None = None
    languages: list[dict[str, Any]] = field(default_factory=list)
    # Where readers follow the news by email (data/site.yml), if anywhere.
    email_updates: str | None = None
    # src_uri -> (kind, key) for pages the hooks generate, e.g. ("year", 2024).
    generated: dict[str, tuple[str, Any]] = field(default_factory=dict)
    strings: dict[str, str] = field(default_factory=dict)
    site_name: str = ""
    # Refused HTML found while rendering pages, reported together in on_env.
    html_problems: list[Any] = field(default_factory=list)
    # Ids the templates write, which content may not use (newsroom/sanitise.py).
    reserved_ids: frozenset[str] = frozenset()
    # Where this language's and English pages' links may lead, and the links
    # of the page MkDocs is converting (newsroom/validation.py).
    targets: dict[str, Targets] = field(default_factory=dict)
    links: LinkCollector = field(default_factory=LinkCollector)
    # Files in docs/ that unpublished releases use (src_uri), and those of them
    # a published page uses too: the others stay out of the site (hooks/content.py).
    held_files: set[str] = field(default_factory=set)
    shown_files: set[str] = field(default_factory=set)
    # GUID -> (record, rendered HTML) of every release a feed may carry, and
    # the full text of those that do, as feeds carry it (absolute, sanitised).
    feed_sources: dict[str, tuple[Any, str]] = field(default_factory=dict)
    feed_items: dict[str, str] = field(default_factory=dict)
    # Images the build makes (hooks/images.py): the sizes of each lead image,
    # by its site path, and each release's and programme's share card, by src_uri.
    sized: dict[str, Any] = field(default_factory=dict)
    cards: dict[str, Any] = field(default_factory=dict)
    # Every file it made that pages show: site path -> the cached file.
    made: dict[str, Path] = field(default_factory=dict)
    # The date stamped on output when there is no release to take one from:
    # fixed, so rebuilds stay identical.
    epoch: datetime = datetime(2000, 1, 1, tzinfo=timezone.utc)

    @property
    def last_change(self) -> datetime:
        """The newest publication or correction: the date the output carries."""
        releases = self.catalogue.releases if self.catalogue else []
        return max((r.updated for r in releases), default=self.epoch)

    @property
    def root_url(self) -> str:
        """The site root above the language folders: https://host/ for https://host/en/."""
        suffix = f"{self.lang}/"
        return self.site_url[: -len(suffix)] if self.site_url.endswith(suffix) else self.site_url

    def in_language(self, code: str, url: str) -> str:
        """The absolute URL of a page in another language (same path everywhere)."""
        return f"{self.root_url}{code}/{url}"

    def absolute(self, url: str) -> str:
        """An absolute URL for a path relative to the language root."""
        return self.site_url + url


current: Build | None = None


def start(config: Any) -> Build:
    global current
    root = Path(config.config_file_path).parent
    lang = config.theme.get("language") or "en"
    now = now_from_env()
    preview = _flag("NEWSROOM_PREVIEW")
    show_embargoed = preview and _flag("NEWSROOM_PREVIEW_EMBARGOED")
    found = validate(root, now, languages=[lang], show_embargoed=show_embargoed, theme=config.theme, render=False)
    if not found.ok:
        raise PluginError(found.report())
    site_url = config.site_url or "http://127.0.0.1:8000/"
    current = Build(
        root=root,
        docs_dir=Path(config.docs_dir),
        lang=lang,
        language=found.languages[lang],
        languages=list(found.languages.values()),
        settings=found.settings,
        now=now,
        dates=found.dates,
        preview=preview,
        show_embargoed=show_embargoed,
        site_url=site_url if site_url.endswith("/") else site_url + "/",
        catalogue=found.catalogues[lang],
        strings=found.strings[lang],
        reserved_ids=found.reserved_ids,
        targets=found.targets,
        email_updates=schema.email_updates(found.settings)[0],
    )
    return current


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes")


def get() -> Build:
    if current is None:
        raise RuntimeError("newsroom hooks used before on_config")
    return current
