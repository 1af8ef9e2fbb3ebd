"""Author-facing problems: what went wrong, where, and how to fix it.

Every check in the project reports through these types, so the build, `make
check` and `make new` print the same words for the same mistake. A problem
is data (file, line, field, message), so other tools can show it elsewhere,
e.g. on the line of a pull request.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

FRONT_MATTER_FOOTER = "Fix these lines between the --- markers at the top of the file, then save again."
OTHER_FOOTER = "Fix what is named above, then save again."


@dataclass(frozen=True)
class Problem:
    """One mistake in one file. `line` is 1-based; 0 means the whole file.

    A problem of the whole site (a setting, a declared language, a missing
    string table: `site`) is told in a sentence of its own, `message`, which
    names the file itself; `path` is still the file to change.
    """

    path: str
    line: int
    field: str
    message: str
    site: bool = False

    def render(self) -> str:
        if self.site:
            return self.message
        where = f"line {self.line}" if self.line else "file"
        if self.field:
            where += f", {self.field}"
        return f"{where}: {self.message}"


@dataclass
class Problems:
    """Collects problems across files so every mistake is reported at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, field_name: str, message: str, site: bool = False) -> None:
        self.items.append(Problem(path, line, field_name, message, site))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def for_path(self, path: str) -> list[Problem]:
        return [p for p in self.items if p.path == path and not p.site]

    @property
    def files(self) -> list[str]:
        """The files with problems of their own, in the order first reported."""
        return list(dict.fromkeys(p.path for p in self.items if not p.site))

    def render(self) -> str:
        """Group by file, in the order files were reported, lines sorted;
        then the problems of the whole site, each a sentence."""
        paths = self.files
        blocks = []
        for path in paths:
            mine = sorted(self.for_path(path), key=lambda p: (p.line, p.field))
            lines = [f"Can't publish {path}:"]
            lines += [f"  {p.render()}" for p in mine]
            # Only a Markdown file has --- markers; data files are all fields.
            in_front_matter = path.endswith(".md") and all(p.field for p in mine)
            lines.append(FRONT_MATTER_FOOTER if in_front_matter else OTHER_FOOTER)
            blocks.append("\n".join(lines))
        blocks += [p.message for p in self.items if p.site]
        return "\n".join(blocks)


class ContentError(Exception):
    """Raised with every problem found; the message is ready to show an author."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        super().__init__(problems.render())


def quote(text: object) -> str:
    """Show a value the way the author wrote it, on one line."""
    shown = str(text).replace("\n", " ")
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return f'"{shown}"'


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice the author most likely meant, or None."""
    choices = list(choices)
    # Slugs use hyphens and field names use underscores: try both spellings.
    for variant in (word.lower().replace("_", "-").replace(" ", "-"), word.lower().replace("-", "_").replace(" ", "_")):
        if variant in choices and variant != word:
            return variant
    normalised = word.lower().replace("_", "-").replace(" ", "-")
    close = difflib.get_close_matches(normalised, choices, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(normalised.replace("-", "_"), choices, n=1, cutoff=0.6)
    return close[0] if close and close[0] != word else None


def suggest(word: str, choices: Iterable[str]) -> str:
    """' Did you mean "x"?' for the closest choice, or ''."""
    match = closest(word, choices)
    return f' Did you mean "{match}"?' if match else ""
