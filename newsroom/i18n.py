"""Localised UI strings and dates, read from the current build's language,
and the languages each page is written in."""

from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any

import re

from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError

from newsroom import build
from newsroom.strings import category


def translate(key: str, **values: Any) -> str:
    """A UI string as text, for Python that escapes what it writes (feedgen,
    autoescaped templates)."""
    text, values = _string(key, values)
    return text.format(**values) if values else text


def translate_html(key: str, **values: Any) -> Markup:
    """The templates' `t` filter: a UI string as escaped HTML, and every value
    put into it escaped too, whether or not the template autoescapes (MkDocs'
    environment does not). A string table is data: it never becomes markup.
    For text inside JSON, take `.unescape()` of it."""
    text, values = _string(key, values)
    return escape(text).format(**values) if values else escape(text)


def _string(key: str, values: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The text a key stands for, before values are put in, and the values.
    An entry with plural forms (newsroom/strings.py) is given a `count`, which
    chooses the form by the language's plural rules and is shown the way the
    language writes numbers."""
    state = build.get()
    entry = state.strings.get(key)
    if entry is None:
        raise PluginError(f'A template asks for the UI string "{key}", which data/strings/en.yml does not define.')
    if isinstance(entry, dict):
        if "count" not in values:
            raise PluginError(f'A template asks for the UI string "{key}" without a count: it has plural forms, one of which the count chooses.')
        locale = state.language["locale"]
        entry = entry[category(locale, values["count"])]
        values = {**values, "count": format_decimal(values["count"], locale=locale)}
    return entry, values


def plural_forms(key: str) -> dict[str, str]:
    """Every form of a UI string, by plural category, for a script that
    chooses among them with the browser's Intl.PluralRules (search.js)."""
    entry = build.get().strings[key]
    return dict(entry) if isinstance(entry, dict) else {"other": entry}


def longdate(value: date | datetime | str) -> str:
    """A date the way the page's language writes it, e.g. 22 novembre 2024."""
    return _longdate(value, build.get().language["locale"])


@lru_cache(maxsize=8192)
def _longdate(value: date | datetime | str, locale: str) -> str:
    if isinstance(value, str):
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 1:
            return str(parts[0])
        if len(parts) == 2:
            return format_date(date(parts[0], parts[1], 1), format="LLLL y", locale=locale)
        value = date(*parts)
    day = value.date() if isinstance(value, datetime) else value
    return format_date(day, format="long", locale=locale)


def longdatetime(value: datetime) -> str:
    """A date and time with its UTC offset, e.g. 1 June 2024, 12:00 (UTC+02:00)."""
    offset = value.strftime("%z")
    zone = "UTC" if offset in ("+0000", "") else f"UTC{offset[:3]}:{offset[3:]}"
    return f"{longdate(value)}, {value.strftime('%H:%M')} ({zone})"


# A run of Latin-script words, e.g. "CT TECH+" or "AI-POL". In a right-to-left
# line a trailing "+" would otherwise take the line's direction: "+CT TECH".
_LATIN_RUN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 .\-+/&]*[A-Za-z0-9+])?")


def isolate(value: object) -> Markup:
    """Escaped text; in right-to-left languages, Latin runs wrapped in <bdi>.
    Markup (the site name) is taken as the text it shows."""
    text = value.unescape() if isinstance(value, Markup) else str(value)
    if build.get().language.get("dir") != "rtl":
        return escape(text)
    out, last = [], 0
    for match in _LATIN_RUN.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(Markup("<bdi>%s</bdi>") % match.group(0))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def alternates(page: Any) -> list[tuple[str, str]]:
    """(language, absolute URL) for each language the page is really written in.

    A page shown in English in another language is not an alternate of its
    own. Generated pages (listings) exist in every language.
    """
    state = build.get()
    codes = [entry["code"] for entry in state.languages]
    written_in = state.catalogue.available.get(page.file.src_uri, codes)
    return [(code, state.in_language(code, page.url)) for code in codes if code in written_in]


def isolate_text(value: object) -> str:
    """For text that cannot hold markup (<title>): in right-to-left
    languages, Latin runs between Unicode's first-strong isolate and pop
    directional isolate (U+2068, U+2069), which do what <bdi> does."""
    text = value.unescape() if isinstance(value, Markup) else str(value)
    if build.get().language.get("dir") != "rtl":
        return text
    return _LATIN_RUN.sub(lambda match: f"\u2068{match.group(0)}\u2069", text)


def organisation_name(org: Any) -> str:
    """An organisation's official name in the page's language, where the
    registry has it (data/organisations.yml `names`), or in English."""
    return org.name_in(build.get().lang)


def sortable_date(value: date | datetime | str) -> str:
    """A date whose text order is its time order, for Pagefind's date sort:
    a moment in UTC (2024-11-22T14:30:00Z), or a date as written (2024-11,
    2024-11-22)."""
    if isinstance(value, datetime):
        moment = value.astimezone(timezone.utc) if value.tzinfo else value
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
