"""State of the build in progress, shared by the hooks.

MkDocs loads each hook module once per process, so anything kept at module
level survives from one `serve` rebuild (or one pytest build) to the next.
`start` is called from on_config and replaces the state wholesale.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from newsroom import schema
from newsroom.content import Catalogue, now_from_env


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
    languages = {entry["code"]: entry for entry in yaml.safe_load((root / "data" / "languages.yml").read_text("utf-8"))}
    declared = list(languages.values())
    if lang not in languages:
        from mkdocs.exceptions import PluginError

        raise PluginError(f'theme.language is "{lang}", which data/languages.yml does not declare. Declared: {", ".join(languages)}.')
    settings = yaml.safe_load((root / "data" / "site.yml").read_text("utf-8")) or {}
    dates, problems = schema.Dates.from_settings(settings)
    email, email_problems = email_updates(settings)
    problems += email_problems
    if problems:
        from mkdocs.exceptions import PluginError

        raise PluginError("\n".join(problems))
    site_url = config.site_url or "http://127.0.0.1:8000/"
    current = Build(
        root=root,
        docs_dir=Path(config.docs_dir),
        lang=lang,
        language=languages[lang],
        languages=declared,
        settings=settings,
        now=now_from_env(),
        dates=dates,
        preview=_flag("NEWSROOM_PREVIEW"),
        show_embargoed=_flag("NEWSROOM_PREVIEW") and _flag("NEWSROOM_PREVIEW_EMBARGOED"),
        site_url=site_url if site_url.endswith("/") else site_url + "/",
        email_updates=email,
    )
    return current


def email_updates(settings: dict[str, Any]) -> tuple[str | None, list[str]]:
    """data/site.yml's email_updates: the https:// address where readers
    sign up for the news by email, or nothing; and what is wrong with it."""
    written = settings.get("email_updates")
    if written in (None, ""):
        return None, []
    if isinstance(written, str) and re.fullmatch(schema.RULES["x-https-url"].pattern, written.strip()):
        return written.strip(), []
    return None, [f'data/site.yml: email_updates "{written}" is not a web address starting with https://. Write the address of the page where readers sign up for the news by email, or leave it empty (""): the home page then offers no email.']


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes")


def get() -> Build:
    if current is None:
        raise RuntimeError("newsroom hooks used before on_config")
    return current
