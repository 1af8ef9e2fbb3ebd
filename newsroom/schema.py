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
from zoneinfo import ZoneInfo

import jsonschema
import yaml

from newsroom.problems import Problem, quote, suggest

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_PLAIN_READINGS = {
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
}
_ALLOWED_TAGS = {_STR, _NULL, *_PLAIN_READINGS, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}

# Invisible characters that can make text read differently from what it is
# ("Trojan Source"). Allowed in body text, where Arabic needs its marks.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
_DATETIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[ T](?P<time>\d{2}:\d{2}(?::\d{2})?)(?:\s*(?P<offset>Z|[+-]\d{2}:?\d{2}))?)?$"
)
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class References:
    """What a front-matter reference may point to, and the default timezone."""

    programmes: frozenset[str]
    organisations: frozenset[str]
    tz: str = "UTC"


@dataclass
class Checked:
    """JSON values of one file's front-matter, with the line of each field."""

    values: dict[str, Any]
    lines: dict[tuple, int] = field(default_factory=dict)

    def line(self, *path: Any) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 0)


@cache
def load_schema(schema_dir: str, name: str) -> dict[str, Any]:
    return json.loads((Path(schema_dir) / f"{name}.schema.json").read_text("utf-8"))


def check(node: yaml.Node | None, schema: Mapping[str, Any], refs: References, shown: str, close_line: int, offset: int = 2) -> tuple[Checked, list[Problem]]:
    """Validate front-matter nodes; `offset` maps YAML's 0-based lines to the file's."""
    walker = _Walker(refs, shown, offset, close_line)
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL):
        values: Any = {}
    else:
        values = walker.walk(node, schema, ())
    if not isinstance(values, dict):
        values = {}
    walker.lines.setdefault((), close_line)
    checked = Checked(values, walker.lines)
    if not walker.problems:
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

    def report(self, line: int, path: tuple, message: str) -> None:
        self.problems.append(Problem(self.shown, line, _dotted(path), message))

    def walk(self, node: yaml.Node, schema: Mapping[str, Any], path: tuple) -> Any:
        line = node.start_mark.line + self.offset
        self.lines[path] = line
        if node.tag not in _ALLOWED_TAGS:
            self.report(line, path, f"uses the YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')}, which is not allowed. Remove the tag and write a plain value.")
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
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + self.offset
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self.report(key_line, path, "uses a YAML merge key (<<). Write each field out in full instead.")
                continue
            key = key_node.value
            child = (*path, key)
            if key in seen:
                self.report(key_line, child, f"appears twice (first on line {seen[key]}). YAML keeps only the last one, so delete one of them.")
                continue
            seen[key] = key_line
            if key in properties:
                sub = properties[key]
            elif isinstance(extra, dict):
                sub = extra
            else:
                known = list(properties)
                hint = suggest(key, known) or f" Known fields are: {', '.join(known)}."
                self.report(key_line, child, f"is not a field of this page.{hint}")
                continue
            value = self.walk(value_node, sub, child)
            if value is not None:
                result[key] = value
        for key in schema.get("required", []):
            if key not in result and key not in seen:
                hint = properties.get(key, {}).get("x-hint", "a value")
                self.report(self.close_line, (*path, key), f"is missing. Add it before this line: {key}: followed by {hint}.")
        return result

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
        plain = node.style is None
        if node.tag == _NULL:
            return None
        kind = schema.get("type")
        if kind == "boolean":
            if plain and node.value in ("true", "false", "True", "False", "TRUE", "FALSE"):
                return node.value.lower() == "true"
            self.report(line, path, f"{quote(node.value)} is not true or false. Write {_dotted(path)}: true or {_dotted(path)}: false.")
            return None
        text = node.value
        fmt = schema.get("format", "")
        reading = _PLAIN_READINGS.get(node.tag) if plain else None
        if reading and not (reading == "a date" and fmt in ("x-datetime", "x-date")):
            if not (reading == "a number" and fmt == "x-date" and _PARTIAL_DATE.match(text)):
                self.report(line, path, f"{text} would be read as {reading}, not as text. Put it in quotes: {_dotted(path)}: \"{text}\".")
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
            problem = checker(self, text)
            if problem:
                self.report(line, path, f"{quote(text)} {problem}")
                return None
        return text

    def jsonschema_pass(self, schema: Mapping[str, Any], checked: Checked) -> None:
        validator = jsonschema.Draft202012Validator(schema)
        for error in sorted(validator.iter_errors(checked.values), key=lambda e: list(map(str, e.absolute_path))):
            path = tuple(error.absolute_path)
            sub = error.schema if isinstance(error.schema, dict) else {}
            hint = sub.get("x-hint", "")
            line = checked.line(*path)
            if error.validator == "required":
                continue  # reported by the walker, which knows the closing line
            if error.validator == "enum":
                message = f"{quote(error.instance)} is not allowed. Use {hint or 'one of: ' + ', '.join(map(str, error.validator_value))}."
            elif error.validator == "minLength":
                message = f"is empty. Write {hint}."
            elif error.validator == "maxLength":
                message = f"is {len(error.instance)} characters long; the limit is {error.validator_value}. Shorten it."
            elif error.validator == "minItems":
                message = f"is an empty list. Give at least {error.validator_value}: {hint}."
            elif error.validator == "uniqueItems":
                message = f"lists the same value twice. Remove the repeated entry."
            elif error.validator == "minProperties":
                message = f"is empty. Give {hint}."
            else:
                message = f"{quote(error.instance)} is not valid. Expected {hint or error.message}."
            self.report(line, path, message)


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _written(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return quote(node.value)
    return "this"


def parse_datetime(text: str, tz: str) -> datetime:
    """Parse a checked x-datetime value into an aware datetime."""
    match = _DATETIME.match(text)
    if not match:
        raise ValueError(text)
    day = date.fromisoformat(match["date"])
    clock = time.fromisoformat(match["time"]) if match["time"] else time(0, 0)
    offset = match["offset"]
    if offset is None:
        zone: Any = ZoneInfo(tz)
    elif offset == "Z":
        zone = timezone.utc
    else:
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    return datetime.combine(day, clock, tzinfo=zone)


def _check_datetime(walker: _Walker, text: str) -> str | None:
    try:
        parse_datetime(text, walker.refs.tz)
    except ValueError:
        return "is not a date. Write it as YYYY-MM-DD, e.g. 2024-11-22, optionally followed by a time such as 09:30 and an offset such as -05:00."
    return None


def _check_date(walker: _Walker, text: str) -> str | None:
    if _PARTIAL_DATE.match(text):
        try:
            date.fromisoformat((text + "-01-01")[:10] if len(text) < 10 else text)
            return None
        except ValueError:
            pass
    return "is not a date. Write it as YYYY-MM-DD, e.g. 2024-11-22, or as YYYY-MM or YYYY when only that is known."


def _check_reference(kind: str, registry: str) -> Callable[[_Walker, str], str | None]:
    def checker(walker: _Walker, text: str) -> str | None:
        known = getattr(walker.refs, kind)
        if text in known:
            return None
        return f"is not in {registry}.{suggest(text, sorted(known))}"

    return checker


def _check_email(walker: _Walker, text: str) -> str | None:
    return None if _EMAIL.match(text) else "is not an e-mail address. Write it as name@example.org."


def _check_https(walker: _Walker, text: str) -> str | None:
    if re.match(r"^https://[^\s/$.?#][^\s<>\"]*$", text):
        return None
    return "is not a web address starting with https://."


def _check_local_image(walker: _Walker, text: str) -> str | None:
    from newsroom.paths import local_path_problem

    return local_path_problem(text)


_FORMATS: dict[str, Callable[[_Walker, str], str | None]] = {
    "x-datetime": _check_datetime,
    "x-date": _check_date,
    "x-programme": _check_reference("programmes", "the programme pages (docs/<lang>/programmes/)"),
    "x-organisation": _check_reference("organisations", "data/organisations.yml"),
    "x-email": _check_email,
    "x-https-url": _check_https,
    "x-local-image": _check_local_image,
}
