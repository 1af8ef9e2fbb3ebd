"""Read a content file's raw bytes into front-matter nodes and a Markdown body.

MkDocs' own reader drops a YAML error silently and publishes the front-matter
as body text, so every content file is read here first. YAML is composed, never
constructed: we walk the node tree ourselves, which keeps line numbers, tells a
quoted "1.10" from a bare 1.10, and means no tag, anchor or alias can run code
or expand into a billion laughs.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from newsroom.problems import Problem

# A press release is a few kilobytes; this leaves room for long reports while
# keeping a hostile file from exhausting memory. Documented in the author guide.
MAX_FILE_BYTES = 256 * 1024

_FENCE = re.compile(r"^---[ \t]*$")
_BOM = b"\xef\xbb\xbf"
_KEY = re.compile(r"^(?:- +)?([A-Za-z_][A-Za-z0-9_-]*) *:(?: |$)")
_QUOTE_HINT = " If {char} is part of the text, put the whole value in quotes."


class _StrictComposer(yaml.SafeLoader):
    """SafeLoader whose composer refuses anchors and aliases outright."""

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        # A safety net behind _anchors_and_aliases: whatever slips past it,
        # the first anchor still stops composing before anything expands.
        refused = _anchor_or_alias(event)
        if refused:
            raise _Refused(event.start_mark.line, refused)
        return super().compose_node(parent, index)


class _Refused(Exception):
    def __init__(self, line0: int, message: str) -> None:
        self.line0 = line0
        self.message = message


@dataclass(frozen=True)
class Source:
    """A content file split into its parts. Lines are 1-based in the file."""

    path: str
    node: yaml.Node | None
    fm_first_line: int
    fm_close_line: int
    body: str
    body_first_line: int


def read_source(path: Path, shown: str) -> tuple[Source | None, list[Problem]]:
    """Return the parsed source, or None with the problems that stop it."""

    def fail(line: int, message: str, field: str = "") -> tuple[None, list[Problem]]:
        return None, [Problem(shown, line, field, message)]

    # Checked before reading, so an enormous file is never loaded into memory.
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return fail(0, f"the file is {math.ceil(size / 1024)} KB; the limit is {MAX_FILE_BYTES // 1024} KB per file. Split it, or move large material into a linked resource.")
    raw = path.read_bytes()
    if raw.startswith(_BOM):
        return fail(1, "the file starts with an invisible byte-order mark (BOM). Save it as UTF-8 without BOM (in VS Code: click 'UTF-8 with BOM' in the status bar, then 'Save with Encoding', 'UTF-8').")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line_start = raw.rfind(b"\n", 0, err.start) + 1
        line = raw[: err.start].count(b"\n") + 1
        column = err.start - line_start + 1
        return fail(line, f"the file is not saved as UTF-8: column {column} holds byte 0x{raw[err.start]:02X}, a character from another encoding such as Latin-1 or Windows-1252. Save the file with the UTF-8 encoding (in VS Code: click the encoding in the status bar, then 'Save with Encoding', 'UTF-8') and check the accented letters.")
    if "\x00" in text:
        return fail(text[: text.index("\x00")].count("\n") + 1, "contains a NUL character. Remove it, or save the file again as plain UTF-8 text.")

    lines = text.split("\n")
    close = closing_fence(lines)
    if close == 0:
        return fail(1, "has no front-matter. The file must start with a line containing only ---, then the fields, then another line with only ---.")
    if close is None:
        return fail(1, "the front-matter that starts on line 1 is never closed. Add a line containing only --- after the last field.")

    fm_lines = [line.rstrip("\r") for line in lines[1:close]]
    problems = []
    for number, line in enumerate(fm_lines, start=2):
        if "\t" in line:
            column = line.index("\t") + 1
            problems.append(Problem(shown, number, _field_at(fm_lines, number - 2), f"contains a tab character (column {column}). Front-matter must use spaces, never tabs: replace the tab with spaces."))
    if problems:
        return None, problems

    yaml_text = "\n".join(lines[1:close])
    # An anchor needs "&" and an alias "*": without either, none can be there.
    refused = _anchors_and_aliases(yaml_text) if ("&" in yaml_text or "*" in yaml_text) else []
    if refused:
        return None, [Problem(shown, line0 + 2, _field_at(fm_lines, line0), message) for line0, message in refused]
    try:
        node = _compose(yaml_text)
    except _Refused as refused:
        return fail(refused.line0 + 2, refused.message, _field_at(fm_lines, refused.line0))
    except yaml.MarkedYAMLError as err:
        line0, field, message = _explain(err, fm_lines)
        return fail(line0 + 2, message, field)
    except yaml.YAMLError as err:
        return fail(1, f"is not valid YAML ({err}).")

    halves = _surrogates(node)
    if halves:
        return None, [Problem(shown, line0 + 2, field, message) for line0, field, message in halves]

    cut = _comments_cutting_values(node, fm_lines)
    if cut:
        return None, [Problem(shown, line0 + 2, field, message) for line0, field, message in cut]

    body = "\n".join(lines[close + 1 :])
    return Source(shown, node, 1, close + 1, body, close + 2), []


def closing_fence(lines: list[str]) -> int | None:
    """The index of the --- line that closes the front-matter in a file's
    lines; 0 when the file does not start with ---, None when it is never
    closed. The body is every line after it."""
    if not lines or not _FENCE.match(lines[0].rstrip("\r")):
        return 0
    return next((i for i in range(1, len(lines)) if _FENCE.match(lines[i].rstrip("\r"))), None)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogates(node: yaml.Node | None, path: str = "") -> list[tuple[int, str, str]]:
    """Values (and field names) holding half of a character.

    YAML's escapes can write "\\ud800", a UTF-16 surrogate on its own, which
    is not a character: no page or feed can be written with it (the build
    crashed with UnicodeEncodeError). JSON-style pairs such as
    "\\ud83c\\udf89" are two such halves in YAML, not one emoji.
    """
    found = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            key = _visible(str(getattr(key_node, "value", "")))
            field = f"{path}.{key}" if path else key
            if _SURROGATE.search(str(getattr(key_node, "value", ""))):
                found.append((key_node.start_mark.line, field, _surrogate_message(key_node.value)))
            found += _surrogates(value, field)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found += _surrogates(item, f"{path}[{index + 1}]")
    elif isinstance(node, yaml.ScalarNode) and _SURROGATE.search(node.value):
        found.append((node.start_mark.line, path, _surrogate_message(node.value)))
    return found


def _surrogate_message(text: str) -> str:
    escape = "\\u" + f"{ord(_SURROGATE.search(text).group()):04x}"
    return f'contains the escape "{escape}", half of a character (an unpaired surrogate), which no page or feed can show. Remove the escape and type the character itself, e.g. 🎉 rather than "\\ud83c\\udf89".'


def _visible(text: str) -> str:
    return _SURROGATE.sub(lambda m: "\\u" + f"{ord(m.group()):04x}", text)


def _comments_cutting_values(node: yaml.Node | None, fm_lines: list[str], key: str = "") -> list[tuple[int, str, str]]:
    """Unquoted values that YAML cuts at " #" as if the rest were a comment.

    `title: Meeting #3` publishes "Meeting". A real comment has a space after
    the #, as in `date: 2024-11-22  # publication date`; text glued to the #
    is taken for part of the value the author meant to write.
    """
    found = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            found += _comments_cutting_values(value, fm_lines, getattr(key_node, "value", key))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _comments_cutting_values(item, fm_lines, key)
    elif isinstance(node, yaml.ScalarNode) and not node.style and node.end_mark.line < len(fm_lines):
        rest = fm_lines[node.end_mark.line][node.end_mark.column :]
        match = re.match(r"\s+#(\S.*)$", rest)
        if match and node.value:
            whole = f"{node.value}{rest.rstrip()}"
            found.append((node.end_mark.line, key, f'"#{match.group(1)}" would be dropped: after a space, # starts a comment, so only "{node.value}" is kept. Put the whole value in quotes: {key}: "{whole.strip()}".'))
    return found


def _compose(yaml_text: str) -> yaml.Node | None:
    """Compose with LibYAML when it is there (fast; anchors were refused above),
    else in Python. An error is composed again in Python, whose messages the
    explanations in _explain are written for."""
    if _FAST is None:
        return yaml.compose(yaml_text, Loader=_StrictComposer)
    try:
        return yaml.compose(yaml_text, Loader=_FAST)
    except yaml.YAMLError:
        return yaml.compose(yaml_text, Loader=_StrictComposer)


_FAST = getattr(yaml, "CSafeLoader", None)


def _anchors_and_aliases(yaml_text: str) -> list[tuple[int, str]]:
    """Every anchor and alias, one per line, found without building anything.

    Parsing yields events only, so aliases are never expanded; a syntax error
    is left for the composer, which explains it.
    """
    found: dict[int, str] = {}
    try:
        for event in yaml.parse(yaml_text, Loader=yaml.SafeLoader):
            refused = _anchor_or_alias(event)
            if refused:
                found.setdefault(event.start_mark.line, refused)
    except yaml.YAMLError:
        pass
    return sorted(found.items())


def _anchor_or_alias(event: yaml.Event) -> str | None:
    """Why a YAML event is refused, if it is an anchor or an alias."""
    if isinstance(event, yaml.AliasEvent):
        kind, char = "alias", "*"
    elif getattr(event, "anchor", None):
        kind, char = "anchor", "&"
    else:
        return None
    return f"uses the YAML {kind} {char}{event.anchor}, which is not allowed. Write the value out in full instead." + _QUOTE_HINT.format(char=char)


def _field_at(lines: list[str], line0: int) -> str:
    """The top-level field a front-matter line belongs to, or ''."""
    for index in range(min(line0, len(lines) - 1), -1, -1):
        line = lines[index]
        if line[:1] not in (" ", "\t", "#", "") and not line.startswith("- "):
            match = _KEY.match(line)
            return match.group(1) if match else ""
    return ""


def _explain(err: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, str, str]:
    """Turn a YAML syntax error into (0-based line, field, message) for an author.

    PyYAML names the grammar rule that failed; authors need the usual cause.
    Where the error began (the context mark) is often a better line to point
    at than where the parser gave up (an unclosed quote fails at the end).
    """
    problem = err.problem or ""
    context = err.context or ""
    at = err.problem_mark or err.context_mark
    line0 = at.line if at else 0
    started = err.context_mark.line if err.context_mark else line0
    text = lines[line0] if 0 <= line0 < len(lines) else ""

    def say(line: int, message: str, field: bool = True) -> tuple[int, str, str]:
        line = max(0, min(line, len(lines) - 1)) if lines else 0
        return line, _field_at(lines, line) if field else "", message

    if "quoted scalar" in context:
        quote_char = lines[started][err.context_mark.column] if started < len(lines) and err.context_mark.column < len(lines[started]) else '"'
        return say(started, f"the quote {quote_char} opened on this line is never closed. Add the closing {quote_char} at the end of the value.")
    if "flow sequence" in context:
        return say(started, "the list opened with [ on this line is not closed. Close it with ] on the same line and separate the entries with commas, e.g. [alpha, beta]." + _QUOTE_HINT.format(char="["))
    if "flow mapping" in context:
        return say(started, "the { on this line opens a group that is never closed." + _QUOTE_HINT.format(char="{"))
    if "simple key" in context:
        return say(started, 'this line has no "name: value" colon. Write it as a field, such as title: My headline; or, if it continues the value above, put that whole value on one line.')
    indented = "this line is indented, but the line above it does not open a group of fields. Remove the spaces at the start of the line."
    if problem.startswith("mapping values are not allowed") or "<block mapping start>" in problem:
        key, _, value = text.strip().partition(": ")
        if key and (": " in value or value.endswith(":")):
            quoted = f'"{value}"' if '"' not in value else f"'{value}'"
            return say(line0, f'the value contains ": " (a colon and a space). Put the whole value in quotes: {key}: {quoted}.')
        if text[:1] == " ":
            return say(line0, indented, field=False)
    if "cannot start any token" in problem or "while scanning an alias" in context:
        char = problem.rsplit("'", 2)[-2] if problem.count("'") >= 2 else "this character"
        return say(line0, f"a value cannot start with {char}. Put the whole value in quotes." if len(char) == 1 else "a value cannot start this way. Put the whole value in quotes.")
    if "block end" in problem and "'-'" in problem:
        return say(line0, "a list entry (a line starting with - ) must be indented under the field it belongs to, e.g. two spaces under programmes:.", field=False)
    if "block end" in problem and "<scalar>" in problem:
        return say(line0, "there is text after a closing quote. Put the whole value in quotes, or remove the quotes.")
    return say(line0, f"is not valid YAML ({problem or context}). Check the quotes, colons and indentation on this line and the one before it.")


def compose_data(path: Path, shown: str) -> tuple[yaml.Node | None, list[Problem]]:
    """Compose a whole YAML data file (a registry in data/) with the same rules."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return None, [Problem(shown, 0, "", f"is not saved as UTF-8 (byte 0x{err.object[err.start]:02X}). Save the file with the UTF-8 encoding.")]
    lines = text.split("\n")
    refused = _anchors_and_aliases(text)
    if refused:
        return None, [Problem(shown, line0 + 1, _field_at(lines, line0), message) for line0, message in refused]
    try:
        node = yaml.compose(text, Loader=_StrictComposer)
    except _Refused as refused_error:
        return None, [Problem(shown, refused_error.line0 + 1, "", refused_error.message)]
    except yaml.MarkedYAMLError as err:
        line0, field, message = _explain(err, lines)
        return None, [Problem(shown, line0 + 1, field, message)]
    except yaml.YAMLError as err:
        return None, [Problem(shown, 0, "", f"is not valid YAML ({err}).")]
    halves = _surrogates(node)
    if halves:
        return None, [Problem(shown, line0 + 1, field, message) for line0, field, message in halves]
    return node, []
