"""Valid HTML (ARCHITECTURE.md §5): the Nu Html Checker finds no error in any
page of the built site, in any language.

vnu.jar comes from node_modules (vnu-jar in package-lock.json; `make test`
runs npm ci) and runs once over the whole of full_site's output, on the
machine's Java (`make test` installs default-jre-headless where java is missing).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest

import sitebuild
from conftest import Served

VNU = sitebuild.PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Material's base.html writes its two state checkboxes with autocomplete="off"
# (to stop Firefox restoring them), which HTML allows only on text-like inputs.
# No template block reaches those lines; hooks/languages.py drops the
# attribute after rendering. Errors from those lines are counted apart, so a
# Material update that brings them back is named as such.
_MATERIAL_TOGGLE = re.compile(r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__\1" autocomplete="off">')


@dataclass(frozen=True)
class Message:
    file: str
    line: int
    column: int
    text: str
    extract: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.text}\n    {self.extract.strip()!r}"

    @property
    def from_material_base(self) -> bool:
        return self.text.startswith("Attribute “autocomplete” is only allowed") and bool(_MATERIAL_TOGGLE.search(self.extract))


@pytest.fixture(scope="module")
def vnu_errors(full_site: Served) -> list[Message]:
    """Every error vnu reports on the HTML files of the built site, in one run."""
    if not VNU.exists():
        pytest.fail(f"{VNU.relative_to(sitebuild.PROJECT)} is missing. Run `make test` (it runs `npm ci` from package-lock.json).", pytrace=False)
    if not shutil.which("java"):
        pytest.fail("The Nu Html Checker needs Java: `apt-get install --no-install-recommends default-jre-headless` (`make test` does this).", pytrace=False)
    pages = sorted(full_site.site.rglob("*.html"))
    assert len(pages) > 100, f"expected the whole site in six languages, found {len(pages)} HTML files"
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json", str(full_site.site)],
        capture_output=True,
        text=True,
    )
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    report = done.stderr.strip() or done.stdout.strip()
    try:
        messages = json.loads(report)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu gave no JSON report (exit {done.returncode}):\n{done.stdout}\n{done.stderr}", pytrace=False)
    return [
        Message(
            file=str(Path(unquote(m["url"].removeprefix("file:"))).relative_to(full_site.site)) if m.get("url") else "?",
            line=m.get("lastLine", 0),
            column=m.get("firstColumn", m.get("lastColumn", 0)),
            text=m["message"],
            extract=m.get("extract", ""),
        )
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]


def test_every_page_is_valid_html(vnu_errors: list[Message]) -> None:
    ours = [m for m in vnu_errors if not m.from_material_base]
    assert not ours, f"{len(ours)} Nu Html Checker errors:\n" + "\n".join(map(str, ours))


def test_material_base_markup_is_valid(vnu_errors: list[Message]) -> None:
    material = [m for m in vnu_errors if m.from_material_base]
    assert not material, f"{len(material)} errors from Material's base.html, e.g.\n{material[0]}"
