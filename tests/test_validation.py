"""Author mistakes: each stops the build with its exact message, no traceback.

Every trap has a small broken fixture site (tests/fixtures/broken-*/) that
the validation entry point (newsroom/validation.py) must refuse with the
message an author would read, exactly as `mkdocs build` calls it in on_config;
one real `mkdocs build` proves the build stops with those words. The
messages are compared in full, because their wording is part of the product.
The unit tests further down call the validator's parts directly.
"""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

import sitebuild
from newsroom import schema
from newsroom.content import load_catalogue
from newsroom.frontmatter import MAX_FILE_BYTES, read_source
from newsroom.paths import local_path_problem
from newsroom.problems import ContentError, Problems

FM = "Fix these lines between the --- markers at the top of the file, then save again."
OTHER = "Fix what is named above, then save again."
X = "docs/en/news/2024/x.md"
ANCHOR = "uses the YAML anchor &{0}, which is not allowed. Write the value out in full instead. If & is part of the text, put the whole value in quotes."
ALIAS = "uses the YAML alias *{0}, which is not allowed. Write the value out in full instead. If * is part of the text, put the whole value in quotes."
NOT_A_DATE = "is not a date. Write it as YYYY-MM-DD, e.g. 2024-11-22, optionally followed by a time such as 09:30 and an offset such as -05:00."
ALHPA = '"alhpa" is not a programme: there is no docs/en/programmes/alhpa.md. Did you mean "alpha"?'
WHO = '"who" is not in data/organisations.yml. Check the spelling, or add the organisation to data/organisations.yml first.'
OVERSIZE = "oversize"  # generated at test time, not a folder in tests/fixtures/

# fixture -> the whole message, block by block, line by line.
BROKEN: dict[str, list[str]] = {
    "broken-duplicate-key": [
        f"Can't publish {X}:",
        "  line 9, title: appears twice (first on line 3). Only one can be kept: delete one of the two lines.",
        FM,
    ],
    "broken-yes-no": [
        f"Can't publish {X}:",
        '  line 7, title: no without quotes is read as a yes/no value, not as text. Put it in quotes: title: "no".',
        '  line 8, location: on without quotes is read as a yes/no value, not as text. Put it in quotes: location: "on".',
        '  line 9, draft: "yes" is not true or false. Write draft: true or draft: false.',
        FM,
    ],
    "broken-future-correction": [
        f"Can't publish {X}:",
        '  line 12, updates[2].date: "2099-01-01 09:00" is in the future. A correction is published with the corrected text as soon as the change is merged, so it cannot wait for a later date: give the date it is made, today or earlier.',
        FM,
    ],
    "broken-future-withdrawal": [
        f"Can't publish {X}:",
        '  line 10, withdrawn.date: "2099-01-01" is in the future. A withdrawal takes the release out of the lists and feeds as soon as the change is merged, so it cannot wait for a later date: give the date it is made, today or earlier.',
        FM,
    ],
    "broken-surrogate": [
        f"Can't publish {X}:",
        '  line 3, title: contains the escape "\\ud800", half of a character (an unpaired surrogate), which no page or feed can show. Remove the escape and type the character itself, e.g. 🎉 rather than "\\ud83c\\udf89".',
        '  line 6, summary: contains the escape "\\ud83c", half of a character (an unpaired surrogate), which no page or feed can show. Remove the escape and type the character itself, e.g. 🎉 rather than "\\ud83c\\udf89".',
        FM,
    ],
    "broken-markdown-limits": [
        f"Can't publish {X}:",
        '  line 11: this "[" is not closed with "]" in its paragraph. Close it, or write \\[ to show a bracket.',
        "  line 13: square brackets are nested 6 deep here; the limit is 5. Take some out, or write \\[ and \\] for the brackets themselves.",
        '  line 15: the tag "<a" is not closed with ">" before the next "<". Close it, or write &lt; to show a "<".',
        "  line 28: a list or quotation is nested more than 10 levels deep here. Bring this part up: remove four spaces, or one >, for each level too many. The same on 1 more line after this one.",
        "  line 32: this paragraph has 402 * and _ characters; the limit is 400 in one paragraph, as each pair is a level of emphasis inside the others. Split the paragraph, or write \\* and \\_ for the characters themselves.",
        "  line 34: this is footnote mark number 201 ([^...] in the text or at a note); a page may have at most 200. Move the notes to a document the page links to, or split the page.",
        "  line 138: this is abbreviation definition number 101 (a line starting with *[); a page may define at most 100, as Markdown looks for every one in every sentence. Keep the abbreviations the text uses.",
        "  line 140: this paragraph, list, table or quotation runs for 201 lines and 6,632 characters without an empty line; the limit is 200 lines and 20,000 characters. Split it with empty lines into shorter parts (a long table into several tables, each with its header row).",
        OTHER,
    ],
    "broken-attachments": [
        f"Can't publish {X}:",
        '  line 11, attachments[1].file: "files/reprot.pdf" is not a file: there is no docs/en/news/2024/files/reprot.pdf. Check the spelling, or put the document there.',
        '  line 14, attachments[2].file: "files/report.docx" is not a PDF document. Save the document as PDF and give its path, ending in .pdf, e.g. files/report.pdf.',
        '  line 17, attachments[3].file: "https://example.org/report.pdf" is a web address. Documents attached to a release are stored with the site: put the document in a files/ folder beside the page and give its path, e.g. files/report.pdf. To point to a document elsewhere, link to it in the text.',
        '  line 20, attachments[4].file: "../../../report.pdf" leads out of docs/en/. Put the document inside docs/en/, e.g. in docs/en/files/, and give its path from this file.',
        '  line 24, attachments[5].language: "english" is not a language code. Write the two-letter code of the language, e.g. en, fr, es, ar, ru or zh.',
        "  line 25, attachments[6].title: is missing. Add an indented line title: to entry 6 of attachments, followed by the document's title, as it reads on its cover.",
        FM,
    ],
    "broken-number-as-text": [
        f"Can't publish {X}:",
        '  line 3, title: 1.10 without quotes is read as a number, not as text. Put it in quotes: title: "1.10".',
        FM,
    ],
    "broken-tab": [
        f"Can't publish {X}:",
        "  line 8, programmes: contains a tab character (column 1). Front-matter must use spaces, never tabs: replace the tab with spaces.",
        FM,
    ],
    "broken-unclosed": [
        f"Can't publish {X}:",
        "  line 1: the front-matter that starts on line 1 is never closed. Add a line containing only --- after the last field.",
        OTHER,
    ],
    "broken-bom": [
        f"Can't publish {X}:",
        "  line 1: the file starts with an invisible byte-order mark (BOM). Save it as UTF-8 without BOM (in VS Code: click 'UTF-8 with BOM' in the status bar, then 'Save with Encoding', 'UTF-8').",
        OTHER,
    ],
    "broken-latin1": [
        f"Can't publish {X}:",
        "  line 5: the file is not saved as UTF-8: column 14 holds byte 0xE8, a character from another encoding such as Latin-1 or Windows-1252."
        " Save the file with the UTF-8 encoding (in VS Code: click the encoding in the status bar, then 'Save with Encoding', 'UTF-8') and check the accented letters.",
        OTHER,
    ],
    "broken-unknown-key": [
        f"Can't publish {X}:",
        '  line 8, sumary: is not a field of this page. Did you mean "summary"?',
        FM,
    ],
    "broken-year-folder": [
        "Can't publish docs/en/news/2023/x.md:",
        '  line 4, date: "2024-05-02" is in 2024, but the file is in the folder docs/en/news/2023/. Move the file to docs/en/news/2024/, or correct the date.',
        FM,
    ],
    "broken-duplicate-url": [
        "Can't publish docs/en/news/2024/x/index.md:",
        "  file: press releases go directly in the folder of their year, docs/en/news/2024/<slug>.md, not in a sub-folder. Move the file up into docs/en/news/2024/ and name it after the release.",
        "  file: this file and docs/en/news/2024/x.md would both be published at the address /news/2024/x/. Rename or remove one of the two files.",
        OTHER,
    ],
    "broken-unknown-programme": [
        f"Can't publish {X}:",
        f"  line 7, programmes[1]: {ALHPA}",
        FM,
    ],
    "broken-unknown-organisation": [
        f"Can't publish {X}:",
        f"  line 8, publishers[2]: {WHO}",
        FM,
    ],
    "broken-html-in-title": [
        f"Can't publish {X}:",
        '  line 3, title: "Launch of <b>AI-POL</b>, phase two" contains "<b>", which feed readers may take for HTML and hide. A title is plain text: write it without tags, or with a space after the <.',
        FM,
    ],
    "broken-invalid-date": [
        f"Can't publish {X}:",
        f'  line 4, date: "22nd November" {NOT_A_DATE}',
        FM,
    ],
    "broken-yaml-syntax": [
        f"Can't publish {X}:",
        '  line 3, title: the value contains ": " (a colon and a space). Put the whole value in quotes: title: "Launch: phase two".',
        FM,
    ],
    "broken-missing-field": [
        f"Can't publish {X}:",
        "  line 8, location: is missing. Add it above the closing --- on this line: location: followed by the city or cities of the dateline, e.g. New York.",
        FM,
    ],
    "broken-several-problems": [
        f"Can't publish {X}:",
        '  line 3, title: 1.10 without quotes is read as a number, not as text. Put it in quotes: title: "1.10".',
        f'  line 4, date: "22nd November" {NOT_A_DATE}',
        f"  line 6, programmes[1]: {ALHPA}",
        '  line 8, sumary: is not a field of this page. Did you mean "summary"?',
        '  line 9, draft: "yes" is not true or false. Write draft: true or draft: false.',
        FM,
    ],
    "broken-two-files": [
        f"Can't publish {X}:",
        f"  line 7, programmes[1]: {ALHPA}",
        FM,
        "Can't publish docs/en/programmes/gamma.md:",
        f"  line 5, implementers[2]: {WHO}",
        FM,
    ],
    "broken-anchor-alias": [
        f"Can't publish {X}:",
        "  line 8, publishers: " + ANCHOR.format("orgs"),
        "  line 9, partners: " + ALIAS.format("orgs"),
        FM,
    ],
    "broken-python-tag": [
        f"Can't publish {X}:",
        "  line 3, title: uses the YAML tag !!python/object/apply:os.system, which is not allowed. Remove the tag and write a plain value. If ! is part of the text, put the whole value in quotes.",
        FM,
    ],
    "broken-billion-laughs": [
        f"Can't publish {X}:",
        "  line 9, tags: " + ANCHOR.format("a"),
        *(f"  line {line}, {name}: " + ANCHOR.format(name) for line, name in zip(range(10, 18), "bcdefghi")),
        FM,
    ],
    OVERSIZE: [
        "Can't publish docs/en/news/2024/oversize.md:",
        "  file: the file is 300 KB; the limit is 256 KB per file. Split it, or move large material into a linked resource.",
        OTHER,
    ],
    "broken-duplicate-id": [
        "Can't publish docs/en/news/2024/copy.md:",
        '  line 2, id: "11111111-1111-4111-8111-111111111111" is also the id of docs/en/news/2024/first-release.md, an older release (dated 2024-03-01, this one 2024-05-02). Each release keeps its own id for good (feed readers know it by its id): leave docs/en/news/2024/first-release.md as it is, and give this file a new id on this line, e.g. id: "2aab1741-0d5f-53b3-9485-f41d280c097d" (or run `make new` and take the id it writes).',
        FM,
    ],
    "broken-image": [
        "Can't publish docs/en/news/2024/absolute.md:",
        "  line 10, image.src: \"/images/photo.jpg\" starts with /. Give the path from this file's folder instead, e.g. images/photo.jpg.",
        FM,
        "Can't publish docs/en/news/2024/no-alt.md:",
        "  line 9, image.alt: is missing. Add an indented line alt: under image:, followed by a short description of the image for readers who cannot see it.",
        FM,
        "Can't publish docs/en/news/2024/parent.md:",
        '  line 10, image.src: "../../images/photo.jpg" steps out of the folder with "..". Put the image in an images/ folder beside the page and give images/photo.jpg.',
        FM,
        "Can't publish docs/en/news/2024/web.md:",
        '  line 10, image.src: "https://example.org/photo.jpg" is a web address. Images must be stored with the site: put the image file in an images/ folder beside the page and give its path, e.g. images/photo.jpg.',
        FM,
    ],
}
DATES = ("date-bare", "date-quoted")

RELEASE = """---
id: 22222222-2222-4222-8222-000000000099
title: A test release
date: 2024-05-02
location: Geneva
summary: A release for a validation test.
programmes: [alpha]
publishers: [unicri]
---

"""


def _oversize(tmp: Path) -> Path:
    """A fixture with one release of exactly 300 KB, too big to commit."""
    page = tmp / "docs" / "en" / "news" / "2024" / "oversize.md"
    page.parent.mkdir(parents=True)
    page.write_text(RELEASE + "x" * (300 * 1024 - len(RELEASE)), "utf-8")
    return tmp


# The broken fixture the real build is run on: the front-matter mistakes.
BUILT = "broken-several-problems"


def assembled(tmp: Path, fixture: str) -> Path:
    root = tmp / "project"
    root.mkdir()
    sitebuild.assemble(root, _oversize(tmp / "oversize") if fixture == OVERSIZE else fixture)
    return root


@pytest.fixture(scope="module")
def built(request: pytest.FixtureRequest, sites, tmp_path_factory: pytest.TempPathFactory) -> dict[str, sitebuild.Built]:
    """The fixtures the selected tests build, two at a time: each is ~1 s."""
    tmp_path_factory.getbasetemp()  # create it once, before the threads race for it
    selected = {item.name for item in request.session.items if item.module is request.module}
    names = [BUILT] if "test_the_build_stops_with_the_same_words" in selected else []
    if "test_quoted_and_bare_dates_build_the_same_page" in selected:
        names += DATES
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(names, pool.map(sites.get, names)))


def error_message(output: str) -> list[str]:
    """The lines of the one ERROR record in mkdocs' output, prefix removed."""
    lines = output.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("ERROR   -  ")]
    assert len(starts) == 1, output
    message = [lines[starts[0]].removeprefix("ERROR   -  ")]
    for line in lines[starts[0] + 1 :]:
        if re.match(r"^(DEBUG|INFO|WARNING|ERROR) +-  |^Aborted with", line):
            break
        message.append(line)
    while message and not message[-1]:
        message.pop()
    return message


# -- Broken fixtures -------------------------------------------------------------


@pytest.mark.parametrize("fixture", list(BROKEN))
def test_broken_site_is_refused_with_exact_message(tmp_path: Path, fixture: str) -> None:
    assert sitebuild.validated(assembled(tmp_path, fixture), ["en"], render=False) == BROKEN[fixture]


def test_the_build_stops_with_the_same_words(built: dict[str, sitebuild.Built]) -> None:
    result = built[BUILT]
    assert result.returncode != 0, result.output
    assert "Traceback" not in result.output, result.output
    assert error_message(result.output) == BROKEN[BUILT]
    assert not (result.site / "en" / "news").exists()


def test_every_trap_has_its_own_broken_fixture() -> None:
    on_disk = {p.name for p in sitebuild.FIXTURES.glob("broken-*")}
    assert on_disk == set(BROKEN) - {OVERSIZE}


def test_quoted_and_bare_dates_build_the_same_page(built: dict[str, sitebuild.Built]) -> None:
    bare, quoted = built["date-bare"], built["date-quoted"]
    assert bare.ok, bare.output
    assert quoted.ok, quoted.output
    # A date alone is 10:00 UTC that day (data/site.yml date_only_time_utc).
    for url, moment in (("news/2024/x/", "2024-05-02T10:00:00+00:00"), ("news/2024/y/", "2024-05-03T09:30:00+02:00")):
        time_bare = bare.html(url).select_one(".nr-dateline time")
        time_quoted = quoted.html(url).select_one(".nr-dateline time")
        assert time_bare is not None and time_bare["datetime"] == moment
        assert str(time_bare) == str(time_quoted)


# -- Unit tests: the validator without a build ---------------------------------

SCHEMAS = sitebuild.PROJECT / "data" / "schemas"
REFS = schema.References(
    frozenset({"alpha", "beta"}),
    frozenset({"eu", "fpi", "interpol", "unicri", "unicri-ai-centre", "unoct", "uncct", "saudi-arabia", "japan"}),
    schema.Dates(),
    "docs/en/programmes",
)
GOOD = {
    "id": "22222222-2222-4222-8222-000000000001",
    "title": "A test release",
    "date": "2024-05-02",
    "location": "Geneva",
    "summary": "A release for a validation test.",
    "programmes": "[alpha]",
    "publishers": "[unicri]",
}


def front_matter(*extra: str, drop: tuple[str, ...] = (), **fields: str) -> str:
    """A release whose fields are GOOD, with some replaced, dropped or added."""
    values = {**GOOD, **fields}
    lines = [f"{key}: {value}" for key, value in values.items() if key not in drop]
    return "---\n" + "\n".join([*lines, *extra]) + "\n---\n\nBody.\n"


def validate(tmp_path: Path, content: str | bytes, kind: str = "release") -> tuple[dict, list[str]]:
    """(values, rendered problem lines) for one file, as the build would see it."""
    path = tmp_path / "x.md"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    source, problems = read_source(path, X)
    values: dict = {}
    if source is not None:
        checked, more = schema.check(source.node, schema.load_schema(str(SCHEMAS), kind), REFS, X, source.fm_close_line)
        problems += more
        values = checked.values
    found = Problems()
    found.extend(problems)
    return values, found.render().splitlines()[1:-1]


def test_valid_release_has_no_problems(tmp_path: Path) -> None:
    values, problems = validate(tmp_path, front_matter())
    assert problems == []
    assert values["programmes"] == ["alpha"]


@pytest.mark.parametrize(
    "written",
    ["2024-05-02", '"2024-05-02"', "'2024-05-02'", "2024-05-02 09:30", '"2024-05-02 09:30"', "2024-05-02T09:30:00Z", '"2024-05-02T09:30:00Z"'],
)
def test_a_date_reads_the_same_quoted_or_bare(tmp_path: Path, written: str) -> None:
    values, problems = validate(tmp_path, front_matter(date=written))
    assert problems == []
    assert values["date"] == written.strip("\"'")
    assert schema.parse_datetime(values["date"], schema.Dates()).date().isoformat() == "2024-05-02"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"draft": "no"}, '  line 9, draft: "no" is not true or false. Write draft: true or draft: false.'),
        ({"draft": "off"}, '  line 9, draft: "off" is not true or false. Write draft: true or draft: false.'),
        ({"draft": '"true"'}, '  line 9, draft: "true" is in quotes, which makes it text. Write draft: true without quotes.'),
        ({"location": "off"}, '  line 5, location: off without quotes is read as a yes/no value, not as text. Put it in quotes: location: "off".'),
        ({"title": "2024"}, '  line 3, title: 2024 without quotes is read as a number, not as text. Put it in quotes: title: "2024".'),
        ({"title": "2024-05-02"}, '  line 3, title: 2024-05-02 without quotes is read as a date, not as text. Put it in quotes: title: "2024-05-02".'),
        ({"date": "2024-02-30"}, f'  line 4, date: "2024-02-30" {NOT_A_DATE}'),
        ({"date": "2024-5-2"}, f'  line 4, date: "2024-5-2" {NOT_A_DATE}'),
        ({"title": ""}, "  line 3, title: is empty. Write the headline as text."),
        ({"title": "~"}, "  line 3, title: ~ without quotes means 'no value'. Write the headline as text, or put ~ in quotes if you mean the word."),
        ({"programmes": ""}, "  line 7, programmes: is empty. Write a list of programme slugs, e.g. [ai-pol, ct-tech-plus]."),
        ({"publishers": "[]"}, "  line 8, publishers: is an empty list. Give at least 1: a list of organisation slugs, e.g. [unicri, interpol]."),
        ({"programmes": "[ai_pol]"}, '  line 7, programmes[1]: "ai_pol" is not a programme: there is no docs/en/programmes/ai_pol.md. Check the spelling: the slug is the file name of a page in docs/en/programmes/.'),
        ({"publishers": "[unicrii]"}, '  line 8, publishers[1]: "unicrii" is not in data/organisations.yml. Did you mean "unicri"?'),
        ({"id": "abcd"}, '  line 2, id: "abcd" is not valid. Expected a UUID such as 3f0c6d2e-8a41-4b7e-9d35-2c1f0e9b7a64 (run `make new` to get one).'),
        ({"title": "*bold*"}, "  line 3, title: a value cannot start with *. Put the whole value in quotes."),
        ({"title": "@unicri"}, "  line 3, title: a value cannot start with @. Put the whole value in quotes."),
        ({"title": '"Launch'}, "  line 3, title: the quote \" opened on this line is never closed. Add the closing \" at the end of the value."),
        ({"title": '"Launch" of it'}, "  line 3, title: there is text after a closing quote. Put the whole value in quotes, or remove the quotes."),
        ({"programmes": "[alpha, beta"}, "  line 7, programmes: the list opened with [ on this line is not closed. Close it with ] on the same line and separate the entries with commas, e.g. [alpha, beta]. If [ is part of the text, put the whole value in quotes."),
    ],
)
def test_field_mistakes(tmp_path: Path, fields: dict[str, str], expected: str) -> None:
    extra = [f"draft: {fields.pop('draft')}"] if "draft" in fields else []
    _, problems = validate(tmp_path, front_matter(*extra, **fields))
    assert problems == [expected]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # What a browser's address bar shows is turned into what to write.
        ('["https://newsroom.example/en/news/2024/old-name/"]', 'is not written as an old address is written: from the language root, without the site\'s address or the language, ending with /. Write "news/2024/old-name/".'),
        ('["/en/news/2024/Old-Name"]', 'is not written as an old address is written: from the language root, without the site\'s address or the language, ending with /. Write "news/2024/old-name/".'),
        ('["news/2024/old-name.md"]', 'is not written as an old address is written: from the language root, without the site\'s address or the language, ending with /. Write "news/2024/old-name/".'),
        ('["old name"]', "is not an old address. Write an old address of a release, such as news/2024/old-slug/: the address the page had, after the language (/en/), ending with /."),
        # An address of another type of page: the schema's pattern, in words.
        ('["programmes/old-name/"]', "is not valid. Expected an old address of a release, such as news/2024/old-slug/."),
    ],
)
def test_previous_path_mistakes_say_what_to_write(tmp_path: Path, written: str, expected: str) -> None:
    """Not the raw regular expression the check once printed."""
    _, problems = validate(tmp_path, front_matter(f"previous_paths: {written}"))
    value = yaml.safe_load(written)[0]
    assert problems == [f'  line 9, previous_paths[1]: "{value}" {expected}']


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("  more: text", "  line 9: this line is indented, but the line above it does not open a group of fields. Remove the spaces at the start of the line."),
        ("just a sentence", '  line 9: this line has no "name: value" colon. Write it as a field, such as title: My headline; or, if it continues the value above, put that whole value on one line.'),
        ("- beta", "  line 9: a list entry (a line starting with - ) must be indented under the field it belongs to, e.g. two spaces under programmes:."),
        ("Summary: Capitalised.", '  line 8, Summary: is not a field of this page. Did you mean "summary"?'),
    ],
)
def test_line_mistakes(tmp_path: Path, extra: str, expected: str) -> None:
    _, problems = validate(tmp_path, front_matter(extra, drop=("summary",) if "Summary" in extra else ()))
    assert problems == [expected]


def test_empty_front_matter_lists_every_required_field(tmp_path: Path) -> None:
    _, problems = validate(tmp_path, "---\n---\n\nBody.\n")
    assert [p.split(":")[0] for p in problems] == [f"  line 2, {key}" for key in ("date", "id", "location", "programmes", "publishers", "summary", "title")]
    assert problems[-1] == "  line 2, title: is missing. Add it above the closing --- on this line: title: followed by the headline as text."


def test_every_problem_shows_at_once_including_lengths(tmp_path: Path) -> None:
    _, problems = validate(tmp_path, front_matter(title="x" * 301, date="soon"))
    assert problems == [
        "  line 3, title: is 301 characters long; the limit is 300. Shorten it.",
        f'  line 4, date: "soon" {NOT_A_DATE}',
    ]


def test_a_wrong_list_entry_is_not_also_an_empty_list(tmp_path: Path) -> None:
    _, problems = validate(tmp_path, front_matter(programmes="[alhpa]"))
    assert problems == [f"  line 7, programmes[1]: {ALHPA}"]


def test_nested_missing_field_points_at_its_group(tmp_path: Path) -> None:
    _, problems = validate(tmp_path, front_matter("updates:", "  - date: 2024-06-01"))
    assert problems == ["  line 10, updates[1].note: is missing. Add an indented line note: to entry 1 of updates, followed by what was corrected, in one sentence."]


def test_billion_laughs_is_refused_before_anything_is_expanded(tmp_path: Path) -> None:
    """Every anchor is refused where it is written, and no value is built from
    the front-matter: nothing is expanded, whatever the nesting (how long it
    takes is `make bench`'s business, not a test's)."""
    content = (sitebuild.FIXTURES / "broken-billion-laughs" / "docs" / "en" / "news" / "2024" / "x.md").read_bytes()
    values, problems = validate(tmp_path, content)
    assert values == {}
    fields = ["tags", "b", "c", "d", "e", "f", "g", "h", "i"]
    assert problems == [
        f"  line {line}, {name}: uses the YAML anchor &{anchor}, which is not allowed. Write the value out in full instead. If & is part of the text, put the whole value in quotes."
        for line, name, anchor in zip(range(9, 18), fields, "abcdefghi")
    ]


def test_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    _, problems = validate(tmp_path, RELEASE + "x" * MAX_FILE_BYTES)
    assert problems == ["  file: the file is 257 KB; the limit is 256 KB per file. Split it, or move large material into a linked resource."]


def test_nul_character(tmp_path: Path) -> None:
    _, problems = validate(tmp_path, front_matter(location="Gen\x00eva"))
    assert problems == ["  line 5: contains a NUL character. Remove it, or save the file again as plain UTF-8 text."]


@pytest.mark.parametrize(
    ("src", "problem"),
    [
        ("images/photo.jpg", None),
        ("photo.webp", None),
        ("http://example.org/a.jpg", "is a web address."),
        ("//example.org/a.jpg", "is a web address."),
        ("data:image/png;base64,xyz", 'starts with "data:", which is not allowed.'),
        ("javascript:alert(1)", 'starts with "javascript:", which is not allowed.'),
        ("/images/a.jpg", "starts with /."),
        ("images/%2e%2e/%2e%2e/a.jpg", 'steps out of the folder with "..".'),
        ("images\\a.jpg", "contains a backslash or NUL character."),
        ("images/a.svg", "is an SVG file"),
        ("images/a.pdf", "is not an image file."),
    ],
)
def test_local_image_paths(src: str, problem: str | None) -> None:
    found = local_path_problem(src)
    assert (found is None) if problem is None else found.startswith(problem)


# -- Catalogue checks without mkdocs --------------------------------------------


def catalogue_problems(tmp_path: Path, files: dict[str, str], organisations: str | None = None) -> list[str]:
    """load_catalogue over a small docs tree; the rendered message lines."""
    shutil.copytree(sitebuild.PROJECT / "data", tmp_path / "data")
    shutil.copytree(sitebuild.FIXTURES / "base" / "docs", tmp_path / "docs")
    if organisations is not None:
        registry = tmp_path / "data" / "organisations.yml"
        registry.write_text(registry.read_text("utf-8") + organisations, "utf-8")
    for name, text in files.items():
        path = tmp_path / "docs" / "en" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    with pytest.raises(ContentError) as raised:
        load_catalogue(tmp_path, tmp_path / "docs" / "en", "en", datetime(2025, 1, 1, tzinfo=timezone.utc))
    return str(raised.value).splitlines()


def test_two_pages_for_one_address_name_both_files(tmp_path: Path) -> None:
    page = "---\ntitle: About\n---\n\nText.\n"
    assert catalogue_problems(tmp_path, {"about/team.md": page, "about/team/index.md": page}) == [
        "Can't publish docs/en/about/team/index.md:",
        "  file: this file and docs/en/about/team.md would both be published at the address /about/team/. Rename or remove one of the two files.",
        OTHER,
    ]


def test_empty_release_is_reported_not_crashed(tmp_path: Path) -> None:
    problems = catalogue_problems(tmp_path, {"news/2024/empty.md": "---\n---\n"})
    assert problems[0] == "Can't publish docs/en/news/2024/empty.md:"
    assert len(problems) == 9


def test_wrong_year_and_other_problems_show_together(tmp_path: Path) -> None:
    text = front_matter(title="1.10", date="2023-12-31")
    assert catalogue_problems(tmp_path, {"news/2024/late.md": text}) == [
        "Can't publish docs/en/news/2024/late.md:",
        '  line 3, title: 1.10 without quotes is read as a number, not as text. Put it in quotes: title: "1.10".',
        '  line 4, date: "2023-12-31" is in 2023, but the file is in the folder docs/en/news/2024/. Move the file to docs/en/news/2023/, or correct the date.',
        FM,
    ]


def test_missing_image_file(tmp_path: Path) -> None:
    text = front_matter("image:", "  src: images/nowhere.jpg", "  alt: Nothing")
    assert catalogue_problems(tmp_path, {"news/2024/pic.md": text}) == [
        "Can't publish docs/en/news/2024/pic.md:",
        '  line 10, image.src: "images/nowhere.jpg" is not a file: there is no docs/en/news/2024/images/nowhere.jpg. Check the spelling, or put the image there.',
        FM,
    ]


def test_broken_registry_entry_is_reported_once_without_crash(tmp_path: Path) -> None:
    problems = catalogue_problems(tmp_path, {}, organisations="\nUN_X:\n  name: X\n  acronym: X\n  kind: un-entity\nnew-org:\n  name: New\n")
    assert problems[0] == "Can't publish data/organisations.yml:"
    assert problems[1].endswith(', UN_X: "UN_X" is not a slug: use lowercase letters a-z, digits and single hyphens, e.g. "un-x".')
    assert [p.split(": ", 1)[0].split(", ")[1] for p in problems[2:-1]] == ["new-org.acronym", "new-org.kind"]
    assert problems[-1] == OTHER


def test_registry_syntax_error_is_explained(tmp_path: Path) -> None:
    problems = catalogue_problems(tmp_path, {}, organisations="\nnew-org:\n  name: Centre: Research\n  acronym: CR\n  kind: unit\n")
    assert problems[0] == "Can't publish data/organisations.yml:"
    assert problems[1].endswith(', new-org: the value contains ": " (a colon and a space). Put the whole value in quotes: name: "Centre: Research".')
    assert problems[2:] == [OTHER]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"title": "Meeting #3 of the board"}, ['  line 3, title: "#3 of the board" would be dropped: after a space, # starts a comment, so only "Meeting" is kept. Put the whole value in quotes: title: "Meeting #3 of the board".']),
        ({"location": "Geneva  # the dateline"}, []),  # a real comment: space after #
        ({"title": '"Meeting #3"'}, []),
    ],
)
def test_a_hash_never_silently_cuts_a_value(tmp_path: Path, fields: dict[str, str], expected: list[str]) -> None:
    _, problems = validate(tmp_path, front_matter(**fields))
    assert problems == expected


def test_bad_default_timezone_is_explained(tmp_path: Path) -> None:
    root = assembled(tmp_path, "base")
    (root / "data" / "site.yml").write_text("default_timezone: Mars/Olympus\nfeed_length: 5\n", "utf-8")
    assert sitebuild.validated(root, ["en"], render=False) == ['data/site.yml: default_timezone "Mars/Olympus" is not a timezone name. Write an IANA name such as UTC, Europe/Rome or America/New_York.']
