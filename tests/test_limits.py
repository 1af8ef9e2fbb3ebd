"""Bad input fails cleanly: what Markdown would choke on is refused first.

The attacks of issue 15 are generated here at their full size (a release of
236 KB with 19,000 abbreviation definitions took 91 s; lists and quotations
nested 300 deep ended in RecursionError and a traceback from `make check`),
and the validation entry point must refuse them, as `mkdocs build` and as
`make check` call it, with the same words and no traceback (one real build
and one real `make check` prove the commands say them). Each limit of newsroom/limits.py is then tested at
its edge, and against what authors legitimately write. The time each attack
took, and takes within the limits, is in the module docstring of limits.py
(measured by hand, never asserted).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

import sitebuild
from newsroom import limits
from test_validation import OTHER, error_message

RELEASE = """---
id: "18181818-1818-4181-8181-181818181818"
title: "An attack on the converter"
date: "2024-05-02"
location: "Geneva"
summary: "A body built to make Markdown slow or fail."
programmes: ["alpha"]
publishers: ["unicri"]
---

"""
SHOWN = "docs/en/news/2024/attack.md"
FIRST = RELEASE.count("\n") + 1  # the body's first line in the file
LINES_AND_CHARACTERS = "without an empty line; the limit is 200 lines and 20,000 characters. Split it with empty lines into shorter parts (a long table into several tables, each with its header row)."
ONE_TOO_MANY_ABBREVIATIONS = "this is abbreviation definition number 101 (a line starting with *[); a page may define at most 100, as Markdown looks for every one in every sentence. Keep the abbreviations the text uses."
DEEP = "a list or quotation is nested more than 10 levels deep here. Bring this part up: remove four spaces, or one >, for each level too many."

# The release of the issue: 19,000 definitions in a row (here 209 KB).
ABBREVIATIONS = "\n".join(f"*[{i:x}]: x" for i in range(19_000))

ATTACKS = {
    "abbreviations-in-a-row": (
        ABBREVIATIONS,
        [
            f"  line {FIRST}: this paragraph, list, table or quotation runs for 19,000 lines and {len(ABBREVIATIONS):,} characters {LINES_AND_CHARACTERS}",
            f"  line {FIRST + 100}: {ONE_TOO_MANY_ABBREVIATIONS}",
        ],
    ),
    # The same definitions, each alone between empty lines.
    "abbreviations-apart": (ABBREVIATIONS.replace("\n", "\n\n"), [f"  line {FIRST + 200}: {ONE_TOO_MANY_ABBREVIATIONS}"]),
    # A list 300 deep, item under item: Markdown raised RecursionError.
    "list-300-deep": (
        "\n".join("    " * depth + "- item" for depth in range(300)),
        [
            f"  line {FIRST}: this paragraph, list, table or quotation runs for 300 lines and {sum(4 * d + 6 for d in range(300)) + 299:,} characters {LINES_AND_CHARACTERS}",
            f"  line {FIRST + 11}: {DEEP} The same on 288 more lines after this one.",
        ],
    ),
    "list-300-deep-apart": ("\n\n".join("    " * depth + "- item" for depth in range(300)), [f"  line {FIRST + 22}: {DEEP} The same on 288 more lines after this one."]),
    "quotation-300-deep": ("\n\n".join(">" * depth + " quoted" for depth in range(1, 301)), [f"  line {FIRST + 20}: {DEEP} The same on 289 more lines after this one."]),
    "unclosed-brackets": ("[" * 10_000, [f"  line {FIRST}: square brackets are nested 6 deep here; the limit is 5. Take some out, or write \\[ and \\] for the brackets themselves.", f'  line {FIRST}: this "[" is not closed with "]" in its paragraph. Close it, or write \\[ to show a bracket.']),
    "unclosed-tags": ("\n\n".join(["<a "] * 8000), [f'  line {FIRST}: the tag "<a" is not closed with ">" before the next "<". Close it, or write &lt; to show a "<". The same on 7,999 more lines after this one.']),
    "emphasis-2000-deep": ("*a " * 2000 + "b" + " c*" * 2000, [f"  line {FIRST}: this paragraph has 4,000 * and _ characters; the limit is 400 in one paragraph, as each pair is a level of emphasis inside the others. Split the paragraph, or write \\* and \\_ for the characters themselves."]),
    "one-footnote-5000-times": ("[^a]: The note.\n\n" + "\n\n".join("Said[^a]." for _ in range(5000)), [f"  line {FIRST + 400}: this is footnote mark number 201 ([^...] in the text or at a note); a page may have at most 200. Move the notes to a document the page links to, or split the page."]),
}


def _env() -> dict[str, str]:
    return dict(os.environ, NEWSROOM_NOW="2025-01-15T12:00:00Z", LC_ALL="C.UTF-8", LANG="C.UTF-8", NO_MKDOCS_2_WARNING="1")


def _attacked(tmp_path: Path, attack: str) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    sitebuild.assemble(root, "base")
    (root / SHOWN).write_text(RELEASE + ATTACKS[attack][0] + "\n", "utf-8")
    assert (root / SHOWN).stat().st_size < 256 * 1024  # under the size limit: the limits are what refuse it
    return root


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_build_and_check_refuse_with_the_same_words(tmp_path: Path, attack: str) -> None:
    root = _attacked(tmp_path, attack)
    expected = [f"Can't publish {SHOWN}:", *ATTACKS[attack][1], OTHER]
    assert sitebuild.validated(root, ["en"], render=False) == expected  # as the build calls it
    assert sitebuild.validated(root) == expected  # as `make check` calls it


def test_the_build_and_the_check_stop_on_an_attack(tmp_path: Path) -> None:
    attack = "list-300-deep"  # a RecursionError in Markdown, and a traceback, before the limits
    root = _attacked(tmp_path, attack)
    expected = [f"Can't publish {SHOWN}:", *ATTACKS[attack][1], OTHER]
    built = sitebuild.build(root)
    assert built.returncode != 0 and "Traceback" not in built.output, built.output[-3000:]
    assert error_message(built.output) == expected
    checked = subprocess.run([sys.executable, "-m", "newsroom.cli", "check"], cwd=root, env=_env(), capture_output=True, text=True)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr, checked.stderr[-3000:]
    assert checked.stderr.splitlines()[: len(expected)] == expected


def _problems(body: str) -> list[str]:
    return [p.render() for p in limits.problems(body, SHOWN, 1)]


@pytest.mark.parametrize(
    ("allowed", "refused"),
    [
        ("\n".join(f"*[A{i}]: a" for i in range(100)), "\n".join(f"*[A{i}]: a" for i in range(101))),
        (" ".join(f"x[^{i}]" for i in range(200)), " ".join(f"x[^{i}]" for i in range(201))),
        ("\n\n".join(f"x[^{i}]" for i in range(200)), "\n\n".join(f"x[^{i}]" for i in range(201))),
        ("\n".join("    " * i + "- x" for i in range(11)), "\n".join("    " * i + "- x" for i in range(12))),
        ("> " * 10 + "x", "> " * 11 + "x"),
        ("\n".join(["word"] * 200), "\n".join(["word"] * 201)),
        ("w" * 20_000, "w" * 20_001),
        ("[[[[[x]]]]]", "[[[[[[x]]]]]]"),
        ("*a* " * 200, "*a* " * 200 + "_b_"),
        ("<span>a</span> <b>b</b>", "<span title='a' <b>b</b>"),
    ],
)
def test_each_limit_at_its_edge(allowed: str, refused: str) -> None:
    assert _problems(allowed) == []
    assert len(_problems(refused)) == 1


@pytest.mark.parametrize(
    "body",
    [
        "A list `a[0` in code, and ``a ` tick``, and `<a` and `*_*_*_`.",
        "```\n[ unclosed [ and <a and " + "*" * 500 + "\n```",
        "Escaped \\[ bracket, \\< and \\* stars.",
        "A rule:\n\n" + "*" * 600 + "\n\n" + "_" * 600,
        "Less than: a < b, 3<4 and x <= y.",
        "[A link](https://example.org/a_b_c) and [^1].\n\n[^1]: A note [with brackets].",
        "| a | b |\n|---|---|\n" + "| [x](y) | <b>z</b> |\n" * 150,
    ],
)
def test_what_authors_write_passes(body: str) -> None:
    assert _problems(body) == []


@pytest.mark.parametrize("attack", ["list-300-deep", "emphasis-2000-deep"])
def test_the_attacks_did_break_markdown(attack: str) -> None:
    """The refusals are not for show: these bodies fail in Markdown itself."""
    with pytest.raises(RecursionError):
        markdown.Markdown(extensions=["toc", "tables", "fenced_code", "abbr", "attr_list", "footnotes"]).convert(ATTACKS[attack][0])


def test_a_surrogate_in_a_string_table_is_refused_with_the_same_words(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    sitebuild.assemble(root, "base")
    table = root / "data/strings/en.yml"
    table.write_text(table.read_text("utf-8").replace('back_home: "Go to the home page"', 'back_home: "Go home \\udc00"'), "utf-8")
    line = 1 + table.read_text("utf-8").split("\n").index('back_home: "Go home \\udc00"')
    expected = [
        "Can't publish data/strings/en.yml:",
        f'  line {line}, back_home: contains the escape "\\udc00", half of a character (an unpaired surrogate), which no page or feed can show. Remove the escape and type the character itself, e.g. 🎉 rather than "\\ud83c\\udf89".',
        OTHER,
    ]
    assert sitebuild.validated(root, ["en"], render=False) == expected
    assert sitebuild.validated(root) == expected
