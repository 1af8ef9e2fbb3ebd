"""`make check`: every mistake the build would stop on, found without building,
and every published address the change would lose.

It prints what newsroom.validation.validate finds in the checkout, in every
language, with each body rendered as the build renders it: the build stops
with the same words (see that module for what is checked, and for the
placeholders `make new` leaves, which only the check refuses).

In a git checkout it also compares the working copy with a base
(newsroom/gitbase.py: `--base <ref>`, or the merge base of HEAD and main):
no address where a release, programme or resource is published may be lost
(newsroom/changes.py), and of two releases with one id, the one the change
adds is the copy. `--format github` prints each problem as a GitHub
annotation, on its line in the pull request; `--summary FILE` adds what the
change does to the site, in Markdown, to FILE (the job summary).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

from newsroom import changes as site_changes
from newsroom import gitbase
from newsroom.content import now_from_env
from newsroom.problems import Problem
from newsroom.validation import Validation, theme_of, validate


# The error annotations GitHub shows for one step; the rest are in the log only.
ANNOTATIONS = 10


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", metavar="REF", help="compare with this commit, or its merge base with HEAD if it has moved on (default: the merge base of HEAD and origin/main, or main)")
    parser.add_argument("--format", choices=("text", "github"), default="text", help="github: each problem as a GitHub annotation on its file and line")
    parser.add_argument("--summary", type=Path, metavar="FILE", help="add what the change does to the site, in Markdown, to FILE (a GitHub job summary)")


def main(root: Path, args: argparse.Namespace | None = None) -> int:
    args = args or argparse.Namespace(base=None, format="text", summary=None)
    started = time.monotonic()
    now = now_from_env()
    try:
        base, why_not = gitbase.find_base(root, args.base)
        change = gitbase.changes(root, base) if base else gitbase.Changes()
    except gitbase.GitError as error:
        print(f"make check: {error}", file=sys.stderr)
        return 2
    theme = theme_of(root)
    found = validate(root, now, theme=theme, added=change.added if base else None)
    before = None
    if base is not None:
        with tempfile.TemporaryDirectory(prefix="newsroom-base-") as folder:
            gitbase.snapshot(root, base, Path(folder))
            before = validate(Path(folder), now, theme=theme, render=False)
            found.problems.extend(site_changes.lost_addresses(root, before, found, change))
            found.problems.extend(site_changes.lost_files(Path(folder), root, before, found))
    compared = _compared(base, before, found, why_not)
    if found.ok:
        languages = len(found.languages)
        outcome = (
            f"OK: {found.pages} pages in {languages} languages, {found.links} links, {found.images} images"
            f" and {languages} UI string tables checked in {time.monotonic() - started:.1f} s."
        )
        print(outcome)
        print(compared)
    else:
        files, total = len(found.problems.files), len(found.problems)
        in_files = f" in {files} file{'s' if files != 1 else ''}" if files else ""
        outcome = f"make check found {total} problem{'s' if total != 1 else ''}{in_files}."
        if args.format == "github":
            print("\n".join([*(annotation(p) for p in found.problems.items), *(f"::warning::{escape_data(note)}" for note in found.notes)]))
        # In the log as well: GitHub shows at most ANNOTATIONS of a step's
        # annotations, and this groups them by file.
        print(found.report(), file=sys.stderr)
        print(outcome, file=sys.stderr)
        print(compared, file=sys.stderr)
    if args.summary:
        if found.ok:
            said = f"`make check`: {outcome}"
        else:
            shown = f"the first {ANNOTATIONS} on their lines" if len(found.problems) > ANNOTATIONS else "each on its line"
            said = f"`{outcome[:10]}`{outcome[10:]} GitHub shows {shown} under Files changed; here they all are:\n\n{fenced(found.report())}"
        with args.summary.open("a", encoding="utf-8") as out:
            out.write(site_changes.summary(before, found, base, said, change, why_not))
    return 0 if found.ok else 1


def fenced(text: str) -> str:
    """Text as a Markdown code block, with a fence longer than any run of
    backticks in it, so nothing an author wrote can end the block."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _compared(base: gitbase.Base | None, before: Validation | None, after: Validation, why_not: str) -> str:
    if base is None:
        return f"Published addresses not compared with a base: {why_not}."
    if before is None or "en" not in before.catalogues:
        return f"Published addresses not compared with {base.described}: its content does not pass these checks."
    if "en" not in after.catalogues:
        return f"Published addresses not compared yet with {base.described}: that comes once the English pages above are fixed."
    return f"Published addresses compared with {base.described}."


def annotation(problem: Problem) -> str:
    """A problem as a GitHub workflow command, shown on its line of the pull
    request's Files changed (a whole file's problem on the file; a problem
    of the whole site on the run)."""
    if problem.site:
        title = "Can't build the site"
        return f"::error title={escape_property(title)}::{escape_data(problem.message)}"
    title = f"Can't publish {problem.path}"
    where = f"file={escape_property(problem.path)}"
    if problem.line:
        where += f",line={problem.line}"
    return f"::error {where},title={escape_property(title)}::{escape_data(problem.render())}"


def escape_data(text: str) -> str:
    """A command's message, escaped as GitHub's toolkit does (escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property, escaped as GitHub's toolkit does (escapeProperty)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
