"""Read a content file's raw bytes into front-matter nodes and a Markdown body.

MkDocs' own reader drops a YAML error silently and publishes the front-matter
as body text, so every content file is read here first. YAML is composed, never
constructed: we walk the node tree ourselves, which keeps line numbers, tells a
quoted "1.10" from a bare 1.10, and means no tag, anchor or alias can run code
or expand into a billion laughs.
"""

from __future__ import annotations

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


class _StrictComposer(yaml.SafeLoader):
    """SafeLoader whose composer refuses anchors and aliases outright."""

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark.line, f"uses the alias *{event.anchor}. Write the value out in full instead.")
        if getattr(event, "anchor", None):
            raise _Refused(event.start_mark.line, f"uses the anchor &{event.anchor}. Write the value out in full instead.")
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

    def fail(line: int, message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(shown, line, "", message)]

    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        return fail(0, f"is {len(raw) // 1024} KB; the limit is {MAX_FILE_BYTES // 1024} KB per file. Split it, or move large material into a linked resource.")
    if raw.startswith(_BOM):
        return fail(1, "the file starts with an invisible byte-order mark (BOM). Save it as UTF-8 without BOM (in VS Code: click 'UTF-8 with BOM' in the status bar, then 'Save with Encoding', 'UTF-8').")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return fail(line, f"is not UTF-8 text (byte 0x{raw[err.start]:02X}). Save the file with the UTF-8 encoding.")
    if "\x00" in text:
        return fail(text[: text.index("\x00")].count("\n") + 1, "contains a NUL character. Remove it, or save the file again as plain UTF-8 text.")

    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0].rstrip("\r")):
        return fail(1, "has no front-matter. The file must start with a line containing only ---, then the fields, then another line with only ---.")
    close = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i].rstrip("\r"))), None)
    if close is None:
        return fail(1, "the front-matter that starts on line 1 is never closed. Add a line containing only --- after the last field.")

    problems = []
    for number, line in enumerate(lines[1:close], start=2):
        if "\t" in line:
            column = line.index("\t") + 1
            problems.append(Problem(shown, number, "", f"contains a tab character (column {column}). Front-matter must be indented with spaces; replace the tab with spaces."))
    if problems:
        return None, problems

    yaml_text = "\n".join(lines[1:close])
    try:
        node = yaml.compose(yaml_text, Loader=_StrictComposer)
    except _Refused as refused:
        return fail(refused.line0 + 2, refused.message)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 2 if mark else 1
        what = err.problem or "is not valid YAML"
        return fail(line, f"is not valid YAML ({what}). Check the quotes, colons and indentation on this line and the one before it.")
    except yaml.YAMLError as err:
        return fail(1, f"is not valid YAML ({err}).")

    body = "\n".join(lines[close + 1 :])
    return Source(shown, node, 1, close + 1, body, close + 2), []


def compose_data(path: Path, shown: str) -> tuple[yaml.Node | None, list[Problem]]:
    """Compose a whole YAML data file (a registry in data/) with the same rules."""
    text = path.read_text("utf-8")
    try:
        return yaml.compose(text, Loader=_StrictComposer), []
    except _Refused as refused:
        return None, [Problem(shown, refused.line0 + 1, "", refused.message)]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        return None, [Problem(shown, (mark.line + 1) if mark else 1, "", f"is not valid YAML ({err.problem}).")]
