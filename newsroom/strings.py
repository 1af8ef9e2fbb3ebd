"""UI string tables (data/strings/<lang>.yml): reading and checking them.

Most entries are one text. A text that carries a count is written once for
each plural category its language tells apart (CLDR's plural rules, which
Babel knows), as a mapping:

    all_releases_of_year:
      one: "{count} release from {year}"
      other: "All {count} releases from {year}"

English tells apart one and other, Russian one, few, many and other, Arabic
zero, one, two, few, many and other, Chinese only other. Which entries are
counts is decided by the English table: where it has a mapping, every
language must have one, with exactly the categories its language uses.
newsroom/validation.py reports these problems, for the build and `make check`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Union

import yaml
from babel import Locale

from newsroom.problems import Problems, quote

# CLDR's plural categories, in CLDR's order.
CATEGORIES = ("zero", "one", "two", "few", "many", "other")

Text = Union[str, dict[str, str]]


@lru_cache(maxsize=None)
def _locale(locale: str) -> Locale:
    return Locale.parse(locale)


def categories(locale: str) -> tuple[str, ...]:
    """The plural categories a locale tells apart, in CLDR's order."""
    used = set(_locale(locale).plural_form.tags) | {"other"}
    return tuple(c for c in CATEGORIES if c in used)


def category(locale: str, count: int | float) -> str:
    """The plural category of a count, e.g. "few" for 3 in Arabic."""
    return _locale(locale).plural_form(count)


def read(path: Path) -> tuple[dict[str, Text], dict[str, int]]:
    """A table's entries, each a text or a mapping of categories to texts,
    and the line (1-based) of each key and of each plural form ("key.few")."""
    text = path.read_text("utf-8-sig")
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    values: dict[str, Text] = {}
    lines: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return values, lines
    for key_node, value_node in node.value:
        key = str(key_node.value)
        lines[key] = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.MappingNode):
            forms: dict[str, str] = {}
            for form_node, text_node in value_node.value:
                lines[f"{key}.{form_node.value}"] = form_node.start_mark.line + 1
                forms[str(form_node.value)] = str(text_node.value)
            values[key] = forms
        else:
            values[key] = "" if value_node.value is None else str(value_node.value)
    return values, lines


def plural_problems(shown: str, locale: str, table: dict[str, Text], lines: dict[str, int], reference: dict[str, Text]) -> Problems:
    """Every count entry of `table` (those that are mappings in `reference`,
    the English table) with the wrong plural forms for its language."""
    problems = Problems()
    needed = categories(locale)
    language = _locale(_locale(locale).language).get_display_name("en")
    listed = _and(needed)
    for key, value in table.items():
        if key not in reference:
            continue
        line = lines.get(key, 0)
        counts = isinstance(reference[key], dict)
        if counts and not isinstance(value, dict):
            example = "\n".join(f'      {c}: "..."' for c in needed)
            problems.add(shown, line, key, f"is one text, but it carries a count, and {language} words a count differently for {listed} (CLDR plural rules). Write a text for each, indented under {key}:, e.g.\n{example}")
        elif not counts and isinstance(value, dict):
            problems.add(shown, line, key, f"has plural forms, but it carries no count (it is one text in data/strings/en.yml). Write it as one text.")
        elif counts:
            for form in value:
                where = f"{key}.{form}"
                if form not in CATEGORIES:
                    problems.add(shown, lines.get(where, line), where, f"{quote(form)} is not a plural category. Use {_or(needed)}.")
                elif form not in needed:
                    problems.add(shown, lines.get(where, line), where, f"{language} never uses the form {quote(form)} (CLDR plural rules): it tells apart {listed}. Remove this line.")
            missing = [c for c in needed if c not in value]
            if missing:
                problems.add(shown, line, key, f"has no form for {_and(missing)}. {language} words a count differently for {listed} (CLDR plural rules): add a line for each, indented under {key}:, e.g. {missing[0]}: \"...\"")
    return problems


def _and(items: tuple[str, ...] | list[str]) -> str:
    shown = [f'"{i}"' for i in items]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _or(items: tuple[str, ...] | list[str]) -> str:
    shown = [f'"{i}"' for i in items]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
