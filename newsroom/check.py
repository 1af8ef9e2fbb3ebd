"""`make check`: every mistake the build would stop on, found without building.

It prints what newsroom.validation.validate finds in the checkout, in every
language, with each body rendered as the build renders it: the build stops
with the same words (see that module for what is checked, and for the
placeholders `make new` leaves, which only the check refuses).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from newsroom.content import now_from_env
from newsroom.validation import validate


def main(root: Path) -> int:
    started = time.monotonic()
    found = validate(root, now_from_env())
    if not found.ok:
        print(found.report(), file=sys.stderr)
        files, total = len(found.problems.files), len(found.problems)
        in_files = f" in {files} file{'s' if files != 1 else ''}" if files else ""
        print(f"make check found {total} problem{'s' if total != 1 else ''}{in_files}.", file=sys.stderr)
        return 1
    languages = len(found.languages)
    print(
        f"OK: {found.pages} pages in {languages} languages, {found.links} links, {found.images} images"
        f" and {languages} UI string tables checked in {time.monotonic() - started:.1f} s."
    )
    return 0
