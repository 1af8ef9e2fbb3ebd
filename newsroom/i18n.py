"""Localised UI strings and dates, read from the current build's language."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

import re

from babel.dates import format_date
from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError

from newsroom import build


def translate(key: str, **values: Any) -> str:
    """A UI string as text, for Python that escapes what it writes (feedgen,
    autoescaped templates)."""
    text = _string(key, values)
    return text.format(**values) if values else text


def translate_html(key: str, **values: Any) -> Markup:
    """The templates' `t` filter: a UI string as escaped HTML, and every value
    put into it escaped too, whether or not the template autoescapes (MkDocs'
    environment does not). A string table is data: it never becomes markup.
    For text inside JSON, take `.unescape()` of it."""
    text = escape(_string(key, values))
    return text.format(**values) if values else text


def _string(key: str, values: dict[str, Any]) -> str:
    """The text a key stands for, before values are put in: both functions
    above take it from here (a choice among forms would go here too)."""
    strings = build.get().strings
    if key not in strings:
        raise PluginError(f'A template asks for the UI string "{key}", which data/strings/en.yml does not define.')
    return strings[key]


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
    """Escaped text; in right-to-left languages, Latin runs wrapped in <bdi>."""
    text = str(value)
    if build.get().language.get("dir") != "rtl":
        return escape(text)
    out, last = [], 0
    for match in _LATIN_RUN.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(Markup("<bdi>%s</bdi>") % match.group(0))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)
