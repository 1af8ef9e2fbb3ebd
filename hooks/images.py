"""Images the build makes (newsroom/images.py): each published release's
lead image at a few widths, for `srcset`, and each release's and
programme's share card, for Open Graph.

A share card is the lead image cropped to 1200x630, or, without one, a card
drawn from the title in the page's language (a page still shown in English
gets the English card). Only what this language publishes is made: nothing of
a draft or an embargoed release, whose files stay out (hooks/content.py).

The cache folder is NEWSROOM_IMAGE_CACHE, or .cache/newsroom-images/ beside
mkdocs.yml: the deploy workflow keeps it between runs, and `newsroom.cli
build` removes what a whole build no longer used.

`mkdocs serve` (make serve) needs only Python: where the fonts or raqm are
missing, it previews without drawn cards (such pages show the site's logo,
and the log says why), while `mkdocs build` stops and names what to install.

Events:
- on_startup: which command runs.
- on_files: make what is missing from the cache; what pages show is kept in
  the build's state (a fresh one each build).
- on_post_build: put those files in the site, under assets/images/sizes/ and
  assets/images/cards/, hard-linked from the cache.
- on_env: templates get `lead_image(record)` (the sizes of its lead image, or
  None) and the `filesize` and `language_name` filters.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.units import format_unit
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from newsroom import build, images
from newsroom import strings as ui_strings
from newsroom.translations import SOURCE_LANG

log = logging.getLogger("mkdocs.hooks.images")

SIZES_FOLDER = "assets/images/sizes"
CARDS_FOLDER = "assets/images/cards"


_command: str | None = None
# What the last build in this process put into each site folder (`mkdocs
# serve` rebuilds into the same one): a card or size no longer made is removed.
_written: dict[str, set[str]] = {}


def on_startup(*, command: str, dirty: bool) -> None:
    global _command
    _command = command


@event_priority(40)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """After content (100) and listings (50): the catalogue is this build's."""
    state = build.get()
    catalogue = state.catalogue
    cache = images.Cache(images.cache_folder(state.root))
    draw = True
    try:
        images.check_tools()
    except images.MissingTools as missing:
        if _command != "serve":
            raise PluginError(str(missing)) from None
        log.info(f"{missing} Until then this preview shows the site's logo where a page's share card would be.")
        draw = False
    try:
        made: dict[str, Path] = {}
        sized: dict[str, images.Sized] = {}
        cards: dict[str, images.Card] = {}
        english: dict[str, Any] = {}
        # Lead images another language's build is making just now come last:
        # by then they are made (images.lead_image, wait=False).
        later = []
        for release in catalogue.releases:
            if release.image is None:
                if not draw:
                    continue
                card, part = images.card_from_title(_card_text(release, state, english), release.title, cache, CARDS_FOLDER)
                cards[release.src_uri] = card
                made[part.path] = part.cached
            elif not _lead(release, files, cache, sized, cards, made, wait=False):
                later.append(release)
        for release in later:
            _lead(release, files, cache, sized, cards, made, wait=True)
        for programme in catalogue.programmes.values() if draw else ():
            card, part = images.card_from_title(_card_text(programme, state, english), programme.title, cache, CARDS_FOLDER)
            cards[programme.src_uri] = card
            made[part.path] = part.cached
    except images.MissingTools as missing:
        raise PluginError(str(missing)) from None
    for path in made:
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{state.lang}/{path}: the site makes a file at this address (an image's size or a share card). Remove this file, or put it in another folder.")
    state.sized = sized
    state.cards = cards
    state.made = made
    return files


def on_post_build(*, config: MkDocsConfig) -> None:
    """Every made file into the site, hard-linked from the cache: the same
    bytes without a copy (six languages show the same sizes), or copied
    where the cache is on another file system. A name is the hash of the
    content, so a file already there (a dirty rebuild) is the same; one a
    rebuild no longer makes (an edited title's card) is removed."""
    site = Path(config.site_dir)
    made = build.get().made
    for gone in _written.get(config.site_dir, set()) - made.keys():
        (site / gone).unlink(missing_ok=True)
    _written[config.site_dir] = set(made)
    for path, cached in made.items():
        target = site / path
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(cached, target)
        except OSError:
            shutil.copyfile(cached, target)


def _lead(release: Any, files: Files, cache: images.Cache, sized: dict, cards: dict, made: dict, wait: bool) -> bool:
    """A release's lead image at its sizes, and its share card; False if
    another build is making them (wait=False)."""
    done = images.lead_image(_source(files, release.image_url), release.image_url, release.image.alt, cache, SIZES_FOLDER, CARDS_FOLDER, wait)
    if done is None:
        return False
    sized[release.image_url], cards[release.src_uri], parts = done
    made.update(images.made_paths(parts))
    return True


def _source(files: Files, path: str) -> Path:
    """The lead image's own file: this language's, or the English one it falls back to."""
    file = files.get_file_from_path(path)
    if file is None or not file.abs_src_path:
        raise PluginError(f"The lead image {path} is not among the site's files.")
    return Path(file.abs_src_path)


def _card_text(record: Any, state: build.Build, english: dict[str, Any]) -> images.CardText:
    """What a drawn card says: in English if the page is shown in English."""
    fallback = record.translation is not None and record.translation.fallback
    if fallback and state.lang != SOURCE_LANG:
        if not english:
            english.update(ui_strings.read(state.root / "data" / "strings" / f"{SOURCE_LANG}.yml")[0])
        strings, language = english, next(entry for entry in state.languages if entry["code"] == SOURCE_LANG)
    else:
        strings, language = state.strings, state.language
    site_name = os.environ.get("NEWSROOM_SITE_NAME") or strings["site_name"]
    separator = strings["dateline_separator"]
    if record.kind == "release":
        label = strings["search_type_release"] + separator + format_date(record.date.date(), format="long", locale=language["locale"])
    else:
        label = strings["search_type_programme"] + (separator + record.short_name if record.short_name != record.title else "")
    return images.CardText(label, record.title, site_name, language["code"], language.get("dir", "ltr"))


def on_env(env: Any, *, config: MkDocsConfig, files: Files) -> Any:
    env.globals["lead_image"] = lead_image
    env.filters["filesize"] = filesize
    env.filters["language_name"] = language_name
    return env


def lead_image(record: Any) -> images.Sized | None:
    """The sizes of a release's lead image, or None."""
    path = getattr(record, "image_url", None)
    return build.get().sized.get(path) if path else None


def filesize(size: int) -> str:
    """A file's size the way the page's language writes it: 340 kB, 1,2 Mo."""
    locale = build.get().language["locale"]
    if size < 1000 * 1000:
        return format_unit(max(1, round(size / 1000)), "digital-kilobyte", length="short", locale=locale)
    return format_unit(round(size / 1000 / 1000, 1), "digital-megabyte", length="short", locale=locale)


def language_name(code: str) -> str:
    """A language's name in the page's language, e.g. fr on an English page: French."""
    locale = Locale.parse(build.get().language["locale"])
    return locale.languages.get(code) or Locale.parse(code).get_display_name(locale) or code
