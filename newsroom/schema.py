"""Check front-matter nodes against the JSON Schemas in data/schemas/.

The schemas are the single description of each content type: editors' tools
read them, and so does this module. YAML nodes are turned into JSON values by
walking the schema alongside them, so every value keeps its line number and
every YAML trap (duplicate keys, yes/no, bare numbers, dates) is caught with
the field's own hint. jsonschema then checks lengths, patterns and enums.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jsonschema
import yaml

from newsroom.problems import Problem, closest, quote, suggest

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_PLAIN_READINGS = {
    "tag:yaml.org,2002:bool": "a yes/no value",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
}
_ALLOWED_TAGS = {_STR, _NULL, *_PLAIN_READINGS, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}

# Invisible characters that can make text read differently from what it is
# ("Trojan Source"). Allowed in body text, where Arabic needs its marks.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_DATETIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[ T](?P<time>\d{2}:\d{2}(?::\d{2})?)(?:\s*(?P<offset>Z|[+-]\d{2}:?\d{2}))?)?$"
)
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Dates:
    """How a date written in front-matter becomes a moment (data/site.yml).

    A date written without a time stands for `date_only` UTC on that day: at
    10:00 UTC it is still that day from UTC-10 (00:00, Hawaii) to UTC+13
    (23:00, New Zealand summer), so feeds, search engines and embargoes read
    the date the author wrote nearly everywhere. 00:00 UTC would read as the
    day before in all the Americas. A time written without an offset is in
    `tz`, an IANA timezone name.
    """

    tz: str = "UTC"
    date_only: time = time(10, 0)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> tuple[Dates, list[Problem]]:
        """The rule data/site.yml declares, and what is wrong with it (the
        default stands in for a wrong value, so checks can go on)."""
        problems = []
        tz = str(settings.get("default_timezone", "UTC"))
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            message = f'data/site.yml: default_timezone "{settings.get("default_timezone")}" is not a timezone name. Write an IANA name such as UTC, Europe/Rome or America/New_York.'
            problems.append(Problem("data/site.yml", 0, "default_timezone", message, site=True))
            tz = "UTC"
        written = settings.get("date_only_time_utc", "10:00")
        match = re.fullmatch(r"(1[01]):([0-5]\d)", written) if isinstance(written, str) else None
        if match:
            date_only = time(int(match[1]), int(match[2]))
        else:
            shown = f'"{written}" is not a time from 10:00 to 11:59' if isinstance(written, str) else "is not a time in quotes"
            message = f'data/site.yml: date_only_time_utc {shown}. Write "10:00", in quotes: a date written without a time then reads as that date from UTC-10 (Hawaii) to UTC+13 (New Zealand in summer).'
            problems.append(Problem("data/site.yml", 0, "date_only_time_utc", message, site=True))
            date_only = cls.date_only
        return cls(tz, date_only), problems


@dataclass(frozen=True)
class Rule:
    """What a value of one format looks like, and what is said when it does not.

    The pattern is written so that Python and JavaScript read it alike
    ([0-9], not \\d, which Python also matches on other scripts' digits): the
    web editor (newsroom/editor.py) checks the same pattern as the author
    types, and shows the same words as this module, which prints them after
    the value as written: '"22nd November" is not a date. Write it as ...'.
    """

    pattern: str
    message: str


RULES: dict[str, Rule] = {
    "x-datetime": Rule(
        r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?(?:\s*(?:Z|[+-][0-9]{2}:?[0-9]{2}))?)?$",
        "is not a date. Write it as YYYY-MM-DD, e.g. 2024-11-22, optionally followed by a time such as 09:30 and an offset such as -05:00.",
    ),
    "x-date": Rule(
        r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$",
        "is not a date. Write it as YYYY-MM-DD, e.g. 2024-11-22, or as YYYY-MM or YYYY when only that is known.",
    ),
    "x-email": Rule(r'^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$', "is not an e-mail address. Write it as name@example.org."),
    "x-https-url": Rule(r'^https://[^\s/$.?#][^\s<>"]*$', "is not a web address starting with https://."),
    "x-language": Rule(r"^[a-z]{2,3}$", "is not a language code. Write the two-letter code of the language, e.g. en, fr, es, ar, ru or zh."),
}


def pattern_message(hint: str) -> str:
    """The words for a value that does not match a schema's `pattern`."""
    return f"is not valid. Expected {hint}."


@dataclass(frozen=True)
class References:
    """What a front-matter reference may point to, and how dates read."""

    programmes: frozenset[str]
    organisations: frozenset[str]
    dates: Dates = Dates()
    # Where programme pages live, shown in messages, e.g. docs/en/programmes.
    programme_folder: str = "docs/<lang>/programmes"


@dataclass
class Checked:
    """JSON values of one file's front-matter, with the line of each field."""

    values: dict[str, Any]
    lines: dict[tuple, int] = field(default_factory=dict)
    # The line of each field's name (`lines` has its value's, which for a
    # list or a group of fields is the line of its first entry).
    key_lines: dict[tuple, int] = field(default_factory=dict)

    def line(self, *path: Any) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 0)

    def key_line(self, *path: Any) -> int:
        return self.key_lines.get(path) or self.line(*path)


@cache
def load_schema(schema_dir: str, name: str) -> dict[str, Any]:
    return json.loads((Path(schema_dir) / f"{name}.schema.json").read_text("utf-8"))


def check(node: yaml.Node | None, schema: Mapping[str, Any], refs: References, shown: str, close_line: int, offset: int = 2) -> tuple[Checked, list[Problem]]:
    """Validate front-matter nodes; `offset` maps YAML's 0-based lines to the file's."""
    walker = _Walker(refs, shown, offset, close_line)
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL):
        # Empty front-matter: every required field is missing.
        walker.require(schema, (), set(), set(), close_line)
        values: Any = {}
    else:
        values = walker.walk(node, schema, ())
    if not isinstance(values, dict):
        values = {}
    walker.lines.setdefault((), close_line)
    checked = Checked(values, walker.lines, walker.key_lines)
    walker.jsonschema_pass(schema, checked)
    return checked, walker.problems


class _Walker:
    def __init__(self, refs: References, shown: str, offset: int, close_line: int) -> None:
        self.refs = refs
        self.shown = shown
        self.offset = offset
        self.close_line = close_line
        self.problems: list[Problem] = []
        self.lines: dict[tuple, int] = {}
        self.key_lines: dict[tuple, int] = {}
        self.reported: set[tuple] = set()

    def report(self, line: int, path: tuple, message: str) -> None:
        self.reported.add(path)
        self.problems.append(Problem(self.shown, line, _dotted(path), message))

    def walk(self, node: yaml.Node, schema: Mapping[str, Any], path: tuple) -> Any:
        line = node.start_mark.line + self.offset
        self.lines[path] = line
        if node.tag not in _ALLOWED_TAGS:
            self.report(line, path, f"uses the YAML tag {_tag(node)}, which is not allowed. Remove the tag and write a plain value. If ! is part of the text, put the whole value in quotes.")
            return None
        kind = schema.get("type")
        if kind == "object":
            return self._mapping(node, schema, path, line)
        if kind == "array":
            return self._sequence(node, schema, path, line)
        return self._scalar(node, schema, path, line)

    def _mapping(self, node: yaml.Node, schema: Mapping[str, Any], path: tuple, line: int) -> Any:
        if not isinstance(node, yaml.MappingNode):
            self.report(line, path, f"{_written(node)} should be a set of fields ({schema.get('x-hint', 'name: value lines')}), indented under {_dotted(path) or 'the top level'}.")
            return None
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        required = schema.get("required", [])
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        meant: set[str] = set()
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + self.offset
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.report(key_line, path, "uses a YAML merge key (<<). Write each field out in full instead.")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.report(key_line, path, "has a field name that is not a plain word. Write each field as name: value.")
                continue
            if key_node.tag not in _ALLOWED_TAGS:
                self.report(key_line, path, f"uses the YAML tag {_tag(key_node)} on a field name, which is not allowed. Remove the tag.")
                continue
            key = key_node.value
            child = (*path, key)
            if key in seen:
                self.report(key_line, child, f"appears twice (first on line {seen[key]}). Only one can be kept: delete one of the two lines.")
                continue
            seen[key] = key_line
            self.key_lines[child] = key_line
            if key in properties:
                sub = properties[key]
            elif isinstance(extra, dict):
                sub = extra
            else:
                known = list(properties)
                match = closest(key, [k for k in known if k not in seen])
                if match:
                    # The author meant this field: "missing" would only repeat it.
                    meant.add(match)
                hint = f' Did you mean "{match}"?' if match else f" The fields are: {', '.join(known)}."
                self.report(key_line, child, f"is not a field of this page.{hint}")
                continue
            if isinstance(value_node, yaml.ScalarNode) and value_node.tag == _NULL and not value_node.style:
                # An empty value means "not given": fine for an optional field.
                self.lines[child] = key_line
                if key in required:
                    self._empty(key_line, child, value_node, sub)
                continue
            value = self.walk(value_node, sub, child)
            if value is not None:
                result[key] = value
        self.require(schema, path, set(seen) | meant, set(result), line)
        return result

    def _empty(self, line: int, path: tuple, node: yaml.ScalarNode, schema: Mapping[str, Any]) -> None:
        hint = schema.get("x-hint", "a value")
        if node.value:
            self.report(line, path, f"{node.value} without quotes means 'no value'. Write {hint}, or put {node.value} in quotes if you mean the word.")
        else:
            self.report(line, path, f"is empty. Write {hint}.")

    def require(self, schema: Mapping[str, Any], path: tuple, present: set[str], valid: set[str], line: int) -> None:
        """Report required fields that are absent (not ones present but invalid)."""
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key in present or key in valid:
                continue
            hint = properties.get(key, {}).get("x-hint", "a value")
            if not path:
                self.report(self.close_line, (key,), f"is missing. Add it above the closing --- on this line: {key}: followed by {hint}.")
            else:
                where = f"under {path[-1]}:" if isinstance(path[-1], str) else f"to entry {path[-1] + 1} of {_dotted(path[:-1])}"
                self.report(self.key_lines.get(path, line), (*path, key), f"is missing. Add an indented line {key}: {where}, followed by {hint}.")

    def _sequence(self, node: yaml.Node, schema: Mapping[str, Any], path: tuple, line: int) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
                return None
            self.report(line, path, f"{_written(node)} should be a list: {schema.get('x-hint', 'a list')}, written as [first, second] or as lines starting with - .")
            return None
        items = []
        for index, item in enumerate(node.value):
            value = self.walk(item, schema.get("items", {}), (*path, index))
            if value is not None:
                items.append(value)
        return items

    def _scalar(self, node: yaml.Node, schema: Mapping[str, Any], path: tuple, line: int) -> Any:
        hint = schema.get("x-hint", "a value")
        if not isinstance(node, yaml.ScalarNode):
            self.report(line, path, f"should be a single value: {hint}.")
            return None
        plain = not node.style
        if node.tag == _NULL:
            return None
        kind = schema.get("type")
        key = _key(path)
        if kind == "boolean":
            if plain and node.value in ("true", "false", "True", "False", "TRUE", "FALSE"):
                return node.value.lower() == "true"
            if node.value.lower() in ("true", "false"):
                self.report(line, path, f"{quote(node.value)} is in quotes, which makes it text. Write {key}: {node.value.lower()} without quotes.")
            else:
                self.report(line, path, f"{quote(node.value)} is not true or false. Write {key}: true or {key}: false.")
            return None
        text = node.value
        fmt = schema.get("format", "")
        reading = _PLAIN_READINGS.get(node.tag) if plain else None
        if reading and not (reading == "a date" and fmt in ("x-datetime", "x-date")):
            if not (reading == "a number" and fmt == "x-date" and _PARTIAL_DATE.match(text)):
                example = f'{key}: "{text}"' if key else f'"{text}"'
                self.report(line, path, f"{text} without quotes is read as {reading}, not as text. Put it in quotes: {example}.")
                return None
        return self._text(text, fmt, hint, path, line)

    def _text(self, text: str, fmt: str, hint: str, path: tuple, line: int) -> Any:
        if _INVISIBLE.search(text):
            char = _INVISIBLE.search(text).group()
            self.report(line, path, f"contains the invisible character U+{ord(char):04X} ({unicodedata.name(char, 'control')}), which can make text read differently from what it is. Delete it and retype the value.")
            return None
        if _XML_ILLEGAL.search(text):
            char = _XML_ILLEGAL.search(text).group()
            self.report(line, path, f"contains the control character U+{ord(char):04X}, which cannot appear in a web page or feed. Delete it and retype the value.")
            return None
        text = unicodedata.normalize("NFC", text).strip()
        checker = _FORMATS.get(fmt)
        if checker and text:
            problem = checker(self, text, hint)
            if problem:
                self.report(line, path, f"{quote(text)} {problem}")
                return None
        return text

    def jsonschema_pass(self, schema: Mapping[str, Any], checked: Checked) -> None:
        """Lengths, patterns and enums, for the values the walk let through.

        Runs even after walk problems, so every mistake shows at once; but not
        on a field already reported, whose value was dropped (a list whose
        only entry was wrong is not also "an empty list").
        """
        validator = _validator(schema)
        reported = set(self.reported)
        for error in sorted(validator.iter_errors(checked.values), key=lambda e: list(map(str, e.absolute_path))):
            path = tuple(error.absolute_path)
            if path and any(path[: len(done)] == done or done[: len(path)] == path for done in reported):
                continue
            sub = error.schema if isinstance(error.schema, dict) else {}
            hint = sub.get("x-hint", "")
            line = checked.line(*path)
            if error.validator == "required":
                continue  # reported by the walker, which knows the closing line
            if "propertyNames" in error.schema_path:
                name = str(error.instance)
                fixed = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
                self.report(self.key_lines.get((*path, name), line), (*path, name), f"{quote(name)} is not a slug: use lowercase letters a-z, digits and single hyphens, e.g. {quote(fixed)}.")
                continue
            if error.validator == "enum":
                message = f"{quote(error.instance)} is not allowed. Use {hint or 'one of: ' + ', '.join(map(str, error.validator_value))}."
            elif error.validator == "minLength":
                message = f"is empty. Write {hint}."
            elif error.validator == "maxLength":
                message = f"is {len(error.instance)} characters long; the limit is {error.validator_value}. Shorten it."
            elif error.validator == "minItems":
                message = f"is an empty list. Give at least {error.validator_value}: {hint}."
            elif error.validator == "uniqueItems":
                message = "lists the same value twice. Remove the repeated entry."
            elif error.validator == "minProperties":
                message = f"is empty. Give {hint}."
            else:
                message = f"{quote(error.instance)} {pattern_message(hint or error.message)}"
            self.report(line, path, message)


_VALIDATORS: dict[int, tuple[Mapping[str, Any], Any]] = {}


def _validator(schema: Mapping[str, Any]) -> Any:
    """One validator per schema: building one per file was a tenth of the check."""
    held = _VALIDATORS.get(id(schema))
    if held is None or held[0] is not schema:
        held = _VALIDATORS[id(schema)] = (schema, jsonschema.Draft202012Validator(schema))
    return held[1]


def _tag(node: yaml.Node) -> str:
    return node.tag.replace("tag:yaml.org,2002:", "!!")


def _key(path: tuple) -> str:
    """The field name as the author writes it on the line, e.g. alt for image.alt."""
    return path[-1] if path and isinstance(path[-1], str) else ""


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _written(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return quote(node.value)
    return "this"


def parse_datetime(text: str, dates: Dates) -> datetime:
    """Parse a checked x-datetime value into an aware datetime.

    A date alone is `dates.date_only` UTC that day; a time without an offset
    is in `dates.tz`; a time with an offset is that moment. The datetime
    keeps the offset written, so `.date()` is the date the author wrote.
    """
    match = _DATETIME.match(text)
    if not match:
        raise ValueError(text)
    day = date.fromisoformat(match["date"])
    if not match["time"]:
        return datetime.combine(day, dates.date_only, tzinfo=timezone.utc)
    clock = time.fromisoformat(match["time"])
    offset = match["offset"]
    if offset is None:
        zone: Any = ZoneInfo(dates.tz)
    elif offset == "Z":
        zone = timezone.utc
    else:
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    return datetime.combine(day, clock, tzinfo=zone)


def _check_datetime(walker: _Walker, text: str, hint: str) -> str | None:
    rule = RULES["x-datetime"]
    try:
        if re.match(rule.pattern, text):
            parse_datetime(text, walker.refs.dates)
            return None
    except ValueError:
        pass
    return rule.message


def _check_date(walker: _Walker, text: str, hint: str) -> str | None:
    rule = RULES["x-date"]
    if re.match(rule.pattern, text):
        try:
            date.fromisoformat((text + "-01-01")[:10] if len(text) < 10 else text)
            return None
        except ValueError:
            pass
    return rule.message


# Where an HTML parser sees a tag or a comment begin: < then a letter, / ! or ?.
_MARKUP = re.compile(r"<[A-Za-z/!?][^<>]{0,40}>?")


def _check_plain_text(walker: _Walker, text: str, hint: str) -> str | None:
    """Titles are plain text, also where readers would take them for HTML: an
    RSS <title> is read as HTML by many feed readers, which would hide a tag
    (and the W3C Feed Validator warns of it)."""
    found = _MARKUP.search(text)
    if found is None:
        return None
    return f"contains {quote(found.group())}, which feed readers may take for HTML and hide. A title is plain text: write it without tags, or with a space after the <."


def _check_programme(walker: _Walker, text: str, hint: str) -> str | None:
    known = walker.refs.programmes
    if text in known:
        return None
    folder = walker.refs.programme_folder
    hint = suggest(text, sorted(known)) or f" Check the spelling: the slug is the file name of a page in {folder}/."
    return f"is not a programme: there is no {folder}/{text}.md.{hint}"


def _check_organisation(walker: _Walker, text: str, hint: str) -> str | None:
    known = walker.refs.organisations
    if text in known:
        return None
    hint = suggest(text, sorted(known)) or " Check the spelling, or add the organisation to data/organisations.yml first."
    return f"is not in data/organisations.yml.{hint}"


def _check_email(walker: _Walker, text: str, hint: str) -> str | None:
    rule = RULES["x-email"]
    return None if re.match(rule.pattern, text) else rule.message


def _check_https(walker: _Walker, text: str, hint: str) -> str | None:
    rule = RULES["x-https-url"]
    return None if re.match(rule.pattern, text) else rule.message


def _check_local_image(walker: _Walker, text: str, hint: str) -> str | None:
    from newsroom.paths import local_path_problem

    return local_path_problem(text)


def _check_local_document(walker: _Walker, text: str, hint: str) -> str | None:
    from newsroom.paths import local_document_problem

    return local_document_problem(text)


def _check_language(walker: _Walker, text: str, hint: str) -> str | None:
    """A language Babel knows (so its name can be shown in every language)."""
    from babel import Locale, UnknownLocaleError

    rule = RULES["x-language"]
    if not re.match(rule.pattern, text):
        return rule.message
    try:
        Locale.parse(text)
    except (ValueError, UnknownLocaleError):
        return rule.message
    return None


# What an old address looks like (newsroom/content.py adds a page there that
# sends readers on): its folder and name, from the language root, ending with /.
_PREVIOUS_PATH = re.compile(r"(?:news/[0-9]{4}|programmes|resources)/[a-z0-9]+(?:-[a-z0-9]+)*/")
_LANGUAGE_PREFIX = re.compile(r"^[a-z]{2,3}(?:-[a-z]+)?/(?=(?:news|programmes|resources)/)")


def _check_previous_path(walker: _Walker, text: str, hint: str) -> str | None:
    """An old address written as the site writes it: news/2024/old-slug/.
    What an author copies from a browser (https://host/en/news/2024/x/, or
    /en/news/2024/x without the last /) is turned into that, and said."""
    if _PREVIOUS_PATH.fullmatch(text):
        return None  # the schema's pattern then checks the folder of this type of page
    written = urlsplit(text).path if "://" in text else text
    written = _LANGUAGE_PREFIX.sub("", written.strip().lstrip("/").lower())
    written = re.sub(r"(?:/index\.html|\.html|\.md)$", "", written).rstrip("/") + "/"
    if _PREVIOUS_PATH.fullmatch(written):
        return f'is not written as an old address is written: from the language root, without the site\'s address or the language, ending with /. Write "{written}".'
    return f"is not an old address. Write {hint}: the address the page had, after the language (/en/), ending with /."


_FORMATS: dict[str, Callable[[_Walker, str, str], str | None]] = {
    "x-datetime": _check_datetime,
    "x-date": _check_date,
    "x-plain-text": _check_plain_text,
    "x-programme": _check_programme,
    "x-organisation": _check_organisation,
    "x-email": _check_email,
    "x-https-url": _check_https,
    "x-local-image": _check_local_image,
    "x-local-document": _check_local_document,
    "x-language": _check_language,
    "x-previous-path": _check_previous_path,
}


# owner/name of a GitHub repository, as GITHUB_REPOSITORY writes it.
_REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")


def repository(settings: dict[str, Any], environ: dict[str, str]) -> tuple[str | None, str | None]:
    """The site's repository on GitHub (owner/name), for "Report a problem":
    data/site.yml `repository:`, else the one the workflow runs in
    (GITHUB_REPOSITORY); with what is wrong with a written value."""
    written = settings.get("repository")
    if written not in (None, ""):
        if isinstance(written, str) and _REPOSITORY.fullmatch(written):
            return written, None
        return None, f'data/site.yml: repository "{written}" is not a GitHub repository name. Write it as owner/name, e.g. example-org/newsroom, or leave it out.'
    found = environ.get("GITHUB_REPOSITORY", "")
    return (found, None) if _REPOSITORY.fullmatch(found) else (None, None)


def email_updates(settings: dict[str, Any]) -> tuple[str | None, str | None]:
    """data/site.yml's email_updates: the https:// address where readers
    sign up for the news by email, or nothing; and what is wrong with it."""
    written = settings.get("email_updates")
    if written in (None, ""):
        return None, None
    if isinstance(written, str) and re.fullmatch(RULES["x-https-url"].pattern, written.strip()):
        return written.strip(), None
    return None, f'data/site.yml: email_updates "{written}" is not a web address starting with https://. Write the address of the page where readers sign up for the news by email, or leave it empty (""): the home page then offers no email.'

