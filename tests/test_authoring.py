"""Publishing by pull request: `make new`, `make check` and the author guide.

`make new` is run as authors run it, from the command line with options and
in a pseudo-terminal answering its questions, in a copy of a project. Its
refusals must read exactly like the validator's messages (the constants of
test_validation.py). `make check` must refuse every fixture the build refuses,
with the build's words, and accept every fixture the build accepts. The
examples in the author guide are checked against real output.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pexpect
import pytest
import yaml

import sitebuild
from searchindex import indexed_pages
import test_hostile
import test_languages
import test_pull_requests
from test_validation import ALHPA, BROKEN, NOT_A_DATE, OTHER, OVERSIZE, _oversize, error_message

PROJECT = sitebuild.PROJECT
GUIDE = PROJECT / "docs" / "en" / "about" / "publishing.md"
SCHEMAS = PROJECT / "data" / "schemas"
NOW = "2025-01-15T12:00:00Z"
# What `make check` says last outside a git checkout, as in these copies of
# the project (test_pull_requests.py checks it inside one).
NOT_COMPARED = "Published addresses not compared with a base: this folder is not a git checkout."


def env() -> dict[str, str]:
    return dict(os.environ, NEWSROOM_NOW=NOW, LC_ALL="C.UTF-8", LANG="C.UTF-8", NO_MKDOCS_2_WARNING="1")


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m newsroom.cli ...` in root, with no terminal: options only."""
    return subprocess.run([sys.executable, "-m", "newsroom.cli", *args], cwd=root, env=env(), capture_output=True, text=True, stdin=subprocess.DEVNULL)


def copy(tmp: Path, fixture: str | Path | None = "base") -> Path:
    root = tmp / "project"
    root.mkdir(parents=True)
    sitebuild.assemble(root, fixture)
    return root


def split(path: Path) -> tuple[list[str], str]:
    """(front-matter lines, body) of a content file."""
    text = path.read_text("utf-8")
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    return front.split("\n"), body


def write_body(path: Path, placeholder: str, text: str) -> None:
    content = path.read_text("utf-8")
    assert content.count(f"\n{placeholder}\n") == 1
    path.write_text(content.replace(f"\n{placeholder}\n", f"\n{text}\n"), "utf-8")


def hint(kind: str, name: str) -> str:
    return yaml.safe_load((SCHEMAS / f"{kind}.schema.json").read_text("utf-8"))["properties"][name]["x-hint"]


def placeholder_line(line: int, text: str = "Write the release here.") -> str:
    return f'  line {line}: "{text}" is the placeholder `make new` wrote. Replace this line with the text of the page.'


def card(built: sitebuild.Built, url: str, release_id: str) -> bool:
    """Whether the page at url lists the release (a card with its permanent id)."""
    return built.html(url).select_one(f'li.nr-card[data-release-id="{release_id}"]') is not None


def feed_ids(built: sitebuild.Built, url: str) -> list[str]:
    feed = feedparser.parse(built.text(url))
    assert feed.bozo == 0, feed.bozo_exception
    return [entry.id for entry in feed.entries]


# -- make new, with options ------------------------------------------------------------

TITLE = "Ünïcode launch: phase two of UNICRI’s work"
SLUG = "unicode-launch-phase-two-of-unicris-work"
SUMMARY = "Two programmes start their second phase."


@dataclass
class Scaffolded:
    root: Path
    path: Path
    made: subprocess.CompletedProcess[str]
    before: subprocess.CompletedProcess[str]
    after: subprocess.CompletedProcess[str]
    front: dict
    built: sitebuild.Built


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Scaffolded:
    """A release made with `make new` options in the base fixture, written, checked and built."""
    root = copy(tmp_path_factory.mktemp("scaffolded"))
    made = cli(root, "new", "release", "--title", TITLE, "--date", "2024-11-22", "--location", "New York", "--summary", SUMMARY, "--programmes", "alpha,beta", "--publishers", "unicri, interpol")
    path = root / "docs" / "en" / "news" / "2024" / f"{SLUG}.md"
    assert made.returncode == 0, made.stdout + made.stderr
    before = cli(root, "check")
    front = yaml.safe_load("\n".join(split(path)[0]))
    write_body(path, "Write the release here.", "The text of the release, written by its author.")
    after = cli(root, "check")
    return Scaffolded(root, path, made, before, after, front, sitebuild.build(root, "en", {"NEWSROOM_NOW": NOW}))


def test_new_release_goes_in_the_year_folder_named_after_the_title(scaffolded: Scaffolded) -> None:
    assert scaffolded.path.is_file()
    assert f"Created docs/en/news/2024/{SLUG}.md, to be published at /en/news/2024/{SLUG}/" in scaffolded.made.stdout
    assert scaffolded.front == {
        "id": scaffolded.front["id"],
        "title": TITLE,
        "date": "2024-11-22",
        "location": "New York",
        "summary": SUMMARY,
        "programmes": ["alpha", "beta"],
        "publishers": ["unicri", "interpol"],
    }
    assert uuid.UUID(scaffolded.front["id"]).version == 4


def test_new_release_front_matter_is_commented_and_quoted(scaffolded: Scaffolded) -> None:
    lines, _ = split(scaffolded.path)
    fields = [i for i, line in enumerate(lines) if re.match(r"^[a-z_]+:", line)]
    assert [lines[i].split(":")[0] for i in fields] == ["id", "title", "date", "location", "summary", "programmes", "publishers"]
    for i in fields:
        assert lines[i - 1].startswith("# "), f"no comment above {lines[i]!r}"
        value = lines[i].split(": ", 1)[1]
        # Every string in quotes; lists of quoted strings; nothing after the value.
        assert re.fullmatch(r'"[^"]*"|\[("[^"]*"(, )?)+\]', value), lines[i]
    commented_out = [line for line in lines if re.match(r"^# [a-z_]+:", line)]
    assert {line[2:].split(":")[0] for line in commented_out} == {"partners", "funders", "contacts", "image", "tags", "draft", "updates", "previous_paths"}
    assert not [line for line in lines if not line.startswith("#") and " #" in line]
    # The examples of a correction and of an old address, uncommented as the
    # guide says, are what the check accepts.
    examples = {"updates": ["#", "# updates:", '#   - date: "2024-11-25"', '#     note: "The number of participating countries was corrected."'], "previous_paths": ["#", '# previous_paths: ["news/2024/old-file-name/"]']}
    text = scaffolded.path.read_text("utf-8")
    for name, block in examples.items():
        assert "\n".join(block[1:]) in text, name
        text = text.replace("\n".join(block[1:]), "\n".join(line[2:] for line in block[1:]))
    front = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert front["updates"] == [{"date": "2024-11-25", "note": "The number of participating countries was corrected."}]
    assert front["previous_paths"] == ["news/2024/old-file-name/"]
    with_examples = scaffolded.root / "docs" / "en" / "news" / "2024" / "with-examples.md"
    with_examples.write_text(text.replace(scaffolded.front["id"], "55555555-5555-4555-8555-555555555555"), "utf-8")
    try:
        assert sitebuild.validated(scaffolded.root, ["en"], render=False, now=NOW) == []
    finally:
        with_examples.unlink()


def test_a_long_title_makes_a_file_name_of_whole_words(tmp_path: Path) -> None:
    """Cut at a word boundary under the limit: 60 characters of this title
    would end in "artif"."""
    root = copy(tmp_path)
    title = "UNICRI and INTERPOL launch the toolkit for responsible artificial intelligence innovation in law enforcement"
    done = cli(root, "new", "release", "--title", title, "--date", "2024-11-22", "--location", "Lyon", "--summary", SUMMARY, "--programmes", "alpha", "--publishers", "unicri")
    assert done.returncode == 0, done.stderr
    slug = "unicri-and-interpol-launch-the-toolkit-for-responsible"
    assert (root / "docs" / "en" / "news" / "2024" / f"{slug}.md").is_file()
    assert len(slug) <= 60 < len("unicri-and-interpol-launch-the-toolkit-for-responsible-artificial")


def test_new_release_fails_check_until_the_body_is_written(scaffolded: Scaffolded) -> None:
    body_line = next(i for i, line in enumerate(scaffolded.path.read_text("utf-8").split("\n"), start=1) if line == "The text of the release, written by its author.")
    assert scaffolded.before.returncode == 1
    assert scaffolded.before.stderr.splitlines() == [
        f"Can't publish docs/en/news/2024/{SLUG}.md:",
        placeholder_line(body_line),
        OTHER,
        "make check found 1 problem in 1 file.",
        NOT_COMPARED,
    ]
    assert scaffolded.after.returncode == 0, scaffolded.after.stderr
    assert scaffolded.after.stdout.startswith("OK: ")


def test_new_release_is_published_everywhere_it_belongs(scaffolded: Scaffolded) -> None:
    built, release_id = scaffolded.built, scaffolded.front["id"]
    assert built.ok, built.output
    page = built.html(f"news/2024/{SLUG}/")
    assert page.select_one("article.nr-release h1").get_text(strip=True) == TITLE
    assert "The text of the release, written by its author." in page.select_one(".nr-body").get_text()
    for url in ("news/", "news/2024/", "programmes/alpha/", "programmes/beta/", ""):
        assert card(built, url, release_id), url
    for url in ("feed_rss_created.xml", "programmes/alpha/feed.xml", "programmes/beta/feed.xml"):
        assert f"urn:uuid:{release_id}" in feed_ids(built, url), url


def test_wrong_options_are_all_refused_with_the_validators_words(tmp_path: Path) -> None:
    root = copy(tmp_path)
    before = sorted(root.rglob("*.md"))
    done = cli(root, "new", "release", "--title", "Launch", "--date", "22/11/2024", "--location", "Geneva", "--programmes", "alhpa", "--publishers", "unicri", "--kind", "report")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "Nothing was written:",
        "  --kind: is not asked for a press release. Leave it out.",
        f'  date: "22/11/2024" {NOT_A_DATE}',
        f"  programmes[1]: {ALHPA}",
    ]
    missing = cli(root, "new", "release", "--title", "Launch")
    assert missing.stderr.splitlines()[1:] == [f"  --{name}: missing. Give it, or run `make new` without options to be asked." for name in ("location", "programmes", "publishers")]
    taken = cli(root, "new", "release", "--title", "First release", "--date", "2024-03-01", "--location", "Geneva", "--programmes", "alpha", "--publishers", "unicri")
    assert taken.stderr.splitlines() == [
        "Nothing was written:",
        "  there is already a page at docs/en/news/2024/first-release.md (address /en/news/2024/first-release/). Choose another file name, or edit that page instead.",
    ]
    assert sorted(root.rglob("*.md")) == before


def test_new_programme_and_resource(tmp_path: Path) -> None:
    root = copy(tmp_path)
    programme = cli(root, "new", "programme", "--title", "Gamma Programme", "--short-name", "GAMMA", "--summary", "A third programme.", "--implementers", "unicri")
    assert programme.returncode == 0, programme.stderr
    resource = cli(root, "new", "resource", "--title", "Gamma Handbook", "--kind", "handbook", "--summary", "A handbook.", "--programmes", "gamma-programme")
    assert resource.returncode == 0, resource.stderr
    refused = cli(root, "new", "resource", "--title", "Other", "--kind", "handbok", "--summary", "x")
    assert refused.stderr.splitlines()[1] == f'  kind: "handbok" is not allowed. Use {hint("resource", "kind")}.'
    write_body(root / "docs/en/programmes/gamma-programme.md", "Write about the programme here.", "About Gamma.")
    write_body(root / "docs/en/resources/gamma-handbook.md", "Describe the publication here.", "About the handbook.")
    done = cli(root, "check")
    assert done.returncode == 0, done.stderr


# -- make new, at a terminal ------------------------------------------------------------


def test_new_release_interactively_asks_again_after_a_wrong_answer(tmp_path: Path) -> None:
    root = copy(tmp_path)
    child = pexpect.spawn(sys.executable, ["-m", "newsroom.cli", "new"], cwd=str(root), env=env(), encoding="utf-8", timeout=30, dimensions=(24, 500))
    transcript: list[str] = []
    child.logfile_read = _Log(transcript)

    def answer(prompt: str, text: str) -> None:
        child.expect_exact(prompt)
        child.sendline(text)

    date_prompt = f"Date ({hint('release', 'date')}) [2025-01-15]: "
    programmes_prompt = f"Programmes ({hint('release', 'programmes')}): "
    answer("What do you want to add (release / programme / resource / translation): ", "relase")
    child.expect_exact('  "relase" is not something `make new` adds. Choose one of: release, programme, resource, translation. Did you mean "release"?')
    answer("What do you want to add (release / programme / resource / translation): ", "release")
    answer(f"Title ({hint('release', 'title')}): ", "Interactive launch")
    answer(date_prompt, "22/11/2024")
    child.expect_exact(f'  date: "22/11/2024" {NOT_A_DATE}')
    answer(date_prompt, "2024-11-22")
    answer(f"Location ({hint('release', 'location')}): ", "Geneva")
    answer(f"Summary ({hint('release', 'summary')}): ", "Asked, answered and checked.")
    child.expect_exact("  Programmes to choose from: alpha, beta")
    answer(programmes_prompt, "alhpa")
    child.expect_exact(f"  programmes[1]: {ALHPA}")
    answer(programmes_prompt, "alpha")
    answer(f"Publishers ({hint('release', 'publishers')}): ", "unicri")
    answer("[interactive-launch]: ", "")
    child.expect_exact("Created docs/en/news/2024/interactive-launch.md")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, "".join(transcript)

    path = root / "docs" / "en" / "news" / "2024" / "interactive-launch.md"
    front = yaml.safe_load("\n".join(split(path)[0]))
    assert (front["title"], front["date"], front["location"], front["programmes"]) == ("Interactive launch", "2024-11-22", "Geneva", ["alpha"])
    write_body(path, "Write the release here.", "Written.")
    done = cli(root, "check")
    assert done.returncode == 0, done.stderr


class _Log:
    def __init__(self, into: list[str]) -> None:
        self.into = into

    def write(self, text: str) -> None:
        self.into.append(text)

    def flush(self) -> None:
        pass


# -- make new translation ------------------------------------------------------------


def test_new_translation_copies_the_text_and_stamps_it(tmp_path: Path) -> None:
    root = copy(tmp_path)
    done = cli(root, "new", "translation", "docs/en/news/2024/first-release.md", "--lang", "fr")
    assert done.returncode == 0, done.stderr
    target = root / "docs" / "fr" / "news" / "2024" / "first-release.md"
    lines, body = split(target)
    front = yaml.safe_load("\n".join(lines))
    assert set(front) == {"title", "location", "summary", "translation"}
    assert (front["title"], front["location"], front["summary"]) == ("First release", "Geneva", "The first test release.")
    # A draft until it is translated (test_translation_written.py follows it to the end).
    assert front["translation"]["status"] == "draft" and re.fullmatch(r"[0-9a-f]{16}", front["translation"]["source_hash"])
    assert body.strip() == split(root / "docs" / "en" / "news" / "2024" / "first-release.md")[1].strip()

    report = cli(root, "translations")
    assert report.returncode == 0, report.stderr
    assert next(line for line in report.stdout.splitlines() if line.startswith("fr ")).endswith(", 1 not started, 0 stale, 0 current")
    assert cli(root, "check").returncode == 0

    again = cli(root, "new", "translation", "docs/en/news/2024/first-release.md", "--lang", "fr")
    assert again.returncode == 1
    assert again.stderr.splitlines()[1] == "  there is already a translation of docs/en/news/2024/first-release.md into Français: docs/fr/news/2024/first-release.md. Edit it instead; once it translates the current English text, run `make translations STAMP=docs/fr/news/2024/first-release.md`."
    wrong = cli(root, "new", "translation", "docs/en/news/2024/first-releas.md", "--lang", "de")
    assert wrong.stderr.splitlines()[1:] == [
        '  "docs/en/news/2024/first-releas.md" is not a page in docs/en/. Give the path of the English file, e.g. docs/en/news/2024/launch.md. Did you mean "docs/en/news/2024/first-release.md"?',
        '  "de" is not a language of the site. Use one of: fr, es, ar, ru, zh (data/languages.yml).',
    ]

    built = sitebuild.build(root, "fr", {"NEWSROOM_NOW": NOW})
    assert built.ok, built.output
    assert built.html("news/2024/first-release/").select_one("article.nr-release h1").get_text(strip=True) == "First release"


# -- make check catches what the build catches -----------------------------------------


# fixture -> the build's message. BROKEN's are whole messages; the others are
# the lines their tests look for in the build's output.
REFUSED: dict[str, list[str]] = {**BROKEN, **test_languages.TRANSLATION_MISTAKES, "hostile-html": test_hostile.HOSTILE_HTML, "hostile-ids": test_hostile.HOSTILE_IDS, "hostile-files": test_hostile.HOSTILE_FILES_FR}
ACCEPTED = sorted(p.name for p in sitebuild.FIXTURES.iterdir() if p.is_dir() and p.name not in REFUSED)


def contains(lines: list[str], block: list[str]) -> bool:
    return any(lines[i : i + len(block)] == block for i in range(len(lines) - len(block) + 1))


def test_every_refused_fixture_is_covered() -> None:
    refused_on_disk = {p.name for p in sitebuild.FIXTURES.iterdir() if p.name.startswith(("broken-", "translation-broken-", "hostile-html", "hostile-ids", "hostile-files"))}
    assert refused_on_disk <= set(REFUSED)


@pytest.mark.parametrize("fixture", list(REFUSED))
def test_check_refuses_what_the_build_refuses_with_its_words(tmp_path: Path, fixture: str) -> None:
    """What `make check` prints (newsroom.validation, every language, bodies
    rendered), run in this process; the `make check` command is run by the
    tests above and below."""
    lines = sitebuild.validated(copy(tmp_path, _oversize(tmp_path / "oversize") if fixture == OVERSIZE else fixture), now=NOW)
    if fixture in BROKEN:
        assert lines[: len(BROKEN[fixture])] == BROKEN[fixture]
    else:
        assert contains(lines, REFUSED[fixture]), "\n".join(lines)


@pytest.mark.parametrize("fixture", ACCEPTED)
def test_check_accepts_what_the_build_accepts(tmp_path: Path, fixture: str) -> None:
    lines = sitebuild.validated(copy(tmp_path, fixture), now=NOW)
    assert lines == [], f"check refuses {fixture}, which the build accepts (or, if the build refuses it, add it to REFUSED):\n" + "\n".join(lines)


def test_check_on_the_real_project_is_ok() -> None:
    done = cli(PROJECT, "check")
    assert done.returncode == 0, done.stderr
    # In a git checkout with a main branch, its published addresses are
    # compared with the merge base of HEAD and main (test_pull_requests.py
    # checks both lines exactly).
    assert re.fullmatch(r"OK: \d+ pages in 6 languages, \d+ links, \d+ images and 6 UI string tables checked in \d+\.\d s\.\nPublished addresses (compared with (origin/)?main at [0-9a-f]{7}, the merge base of HEAD and (origin/)?main|not compared with a base: [^\n]+)\.\n", done.stdout)


LINKS_RELEASE = """---
id: "44444444-4444-4444-8444-444444444444"
title: "Links of every kind"
date: "2024-12-01"
location: "Geneva"
summary: "A release with good and broken links."
programmes: ["ai-pol"]
publishers: ["unicri"]
---

Good: [AI-POL](../../programmes/ai-pol.md), [news](../../news/index.md), [UNICRI](../../organisations/unicri.md),
[2024](../2024.md), [home](../../index.md), [top](#top), [UN](https://www.un.org/), [mail](mailto:press@example.org),
[logo](../../assets/images/newsroom-feed.png), [directory](../../programmes/).

A typo: [AI-POL](../../programmes/ai_pol.md).

Outside: [readme](../../../../README.md).

Not yet published: [the draft](draft-release.md).

![](images/missing.png)

![A chart](images/chart.svg)
"""
DRAFT_RELEASE = """---
id: "55555555-5555-4555-8555-555555555555"
title: "A draft"
date: "2024-12-02"
location: "Geneva"
summary: "Not yet."
programmes: ["ai-pol"]
publishers: ["unicri"]
draft: true
---

Draft text, with a [typo](../../programmes/ct_tech_plus.md).
"""
LINKS = [
    "Can't publish docs/en/news/2024/draft-release.md:",
    '  line 12: the link "../../programmes/ct_tech_plus.md" leads to docs/en/programmes/ct_tech_plus.md, which does not exist. Did you mean "../../programmes/ct-tech-plus.md"?',
    OTHER,
    "Can't publish docs/en/news/2024/links.md:",
    '  line 15: the link "../../programmes/ai_pol.md" leads to docs/en/programmes/ai_pol.md, which does not exist. Did you mean "../../programmes/ai-pol.md"?',
    '  line 17: the link "../../../../README.md" leads out of docs/en/. Link to a file of the site, from this file\'s folder, e.g. ../../programmes/ai-pol.md.',
    '  line 19: the link "draft-release.md" leads to docs/en/news/2024/draft-release.md, which is not published yet (a draft, or a release dated in the future). Remove the link until that page is published.',
    '  line 21: the image "images/missing.png" has no alternative text. Describe it between the square brackets for readers who cannot see it: ![What the image shows](images/missing.png).',
    '  line 21: the link "images/missing.png" leads to docs/en/news/2024/images/missing.png, which does not exist. Check the spelling, or put the image there.',
    '  line 23: "images/chart.svg" is an SVG file, which can carry scripts. Use a PNG, JPEG or WebP image instead.',
    OTHER,
]


def test_check_follows_links_like_the_strict_build(tmp_path: Path) -> None:
    root = copy(tmp_path, None)
    news = root / "docs" / "en" / "news" / "2024"
    (news / "links.md").write_text(LINKS_RELEASE, "utf-8")
    (news / "draft-release.md").write_text(DRAFT_RELEASE, "utf-8")
    done = cli(root, "check")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [*LINKS, "make check found 7 problems in 2 files.", NOT_COMPARED]
    # The build refuses the published page's links with the same words (the
    # draft is not built), and MkDocs' strict mode warns of each as well.
    built = sitebuild.build(root, "en", {"NEWSROOM_NOW": NOW})
    assert not built.ok
    assert error_message(built.output) == LINKS[3:]
    for target in ("programmes/ai_pol.md", "../README.md", "draft-release.md", "images/missing.png"):
        assert re.search(rf"WARNING +-  Doc file 'news/2024/links.md' contains a link '[^']*{re.escape(target)}'", built.output), target


def test_check_reports_site_settings_with_the_builds_words(tmp_path: Path) -> None:
    root = copy(tmp_path)
    (root / "data" / "site.yml").write_text("default_timezone: Mars/Olympus\nfeed_length: 5\n", "utf-8")
    table = root / "data" / "strings" / "fr.yml"
    table.write_text("\n".join(line for line in table.read_text("utf-8").splitlines() if not line.startswith("subscribe:")) + "\n", "utf-8")
    (root / "docs" / "es").rmdir()
    done = cli(root, "check")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        'data/site.yml: default_timezone "Mars/Olympus" is not a timezone name. Write an IANA name such as UTC, Europe/Rome or America/New_York.',
        "Can't build: data/languages.yml declares es, but the folder docs/es/ is missing. Create it (a folder may hold only a .gitkeep file).",
        "Can't build fr: data/strings/fr.yml has no translation for subscribe. Add each key with its text in this language (see data/strings/en.yml).",
        "make check found 3 problems.",
        NOT_COMPARED,
    ]


# -- A pull request, end to end ---------------------------------------------------------


def test_pull_request_flow_with_make(tmp_path: Path) -> None:
    """An author adds a release with `make new`, writes it, runs `make check`; the build publishes it."""
    root = copy(tmp_path, None)
    for name in ("Makefile", "requirements", "pyproject.toml"):
        (root / name).symlink_to(PROJECT / name)
    # INSTALLED= : use this interpreter's environment, never rebuild one.
    make = ["make", "--no-print-directory", "INSTALLED=", f"BIN={Path(sys.executable).parent}"]
    title = "AI-POL and CT TECH+ hold their first joint workshop"
    args = f"release --title '{title}' --date '2025-01-10 09:30 -05:00' --location 'New York' --summary 'Forty officers trained.' --programmes ai-pol,ct-tech-plus --publishers unicri,interpol"
    made = subprocess.run([*make, "new", f"ARGS={args}"], cwd=root, env=env(), capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert made.returncode == 0, made.stdout + made.stderr
    slug = "ai-pol-and-ct-tech-hold-their-first-joint-workshop"
    path = root / "docs" / "en" / "news" / "2025" / f"{slug}.md"
    release_id = yaml.safe_load("\n".join(split(path)[0]))["id"]
    write_body(path, "Write the release here.", "Forty officers from twelve countries trained together in New York.")

    check = subprocess.run([*make, "check"], cwd=root, env=env(), capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("OK: ")

    built = sitebuild.build(root, "en", {"NEWSROOM_NOW": NOW})
    assert built.ok, built.output
    url = f"news/2025/{slug}/"
    article = built.html(url).select_one("article.nr-release")
    assert article.select_one("h1").get_text(strip=True) == title
    assert article.select_one(".nr-dateline time")["datetime"] == "2025-01-10T09:30:00-05:00"
    for listing in ("", "news/", "news/2025/", "programmes/ai-pol/", "programmes/ct-tech-plus/", "organisations/unicri/", "organisations/interpol/"):
        assert card(built, listing, release_id), listing
    assert feed_ids(built, "feed_rss_created.xml")[0] == f"urn:uuid:{release_id}"  # newest first
    for programme in ("ai-pol", "ct-tech-plus"):
        assert f"urn:uuid:{release_id}" in feed_ids(built, f"programmes/{programme}/feed.xml")
    assert f"urn:uuid:{release_id}" not in feed_ids(built, "programmes/cybersecurity-and-new-technologies/feed.xml")
    indexed = {page["url"]: page for page in indexed_pages(built.site / "en")}
    assert indexed[f"/{url}"]["meta"]["title"] == title
    assert "Forty officers from twelve countries" in indexed[f"/{url}"]["content"]


# -- The author guide ---------------------------------------------------------------------


def guide() -> str:
    return GUIDE.read_text("utf-8")


def schema_fields(node: dict) -> set[str]:
    """Every property name of a schema, nested ones included."""
    names: set[str] = set()
    for name, spec in node.get("properties", {}).items():
        names.add(name)
        names |= schema_fields(spec)
        names |= schema_fields(spec.get("items", {}))
    return names


@pytest.mark.parametrize("kind", ["release", "programme", "resource", "page", "translation"])
def test_guide_explains_every_field(kind: str) -> None:
    fields = schema_fields(yaml.safe_load((SCHEMAS / f"{kind}.schema.json").read_text("utf-8")))
    assert fields
    text = guide()
    assert not [name for name in sorted(fields) if f"`{name}`" not in text]


def test_guide_is_a_plain_page() -> None:
    front, _ = split(GUIDE)
    assert set(yaml.safe_load("\n".join(front))) == {"title", "summary"}
    readme = (PROJECT / "README.md").read_text("utf-8")
    assert "\n## Publishing\n" in readme and "docs/en/about/publishing.md" in readme


def code_blocks(text: str) -> list[tuple[str, list[str]]]:
    return [(m.group(1), m.group(2).split("\n")) for m in re.finditer(r"^```(\w*)\n(.*?)\n```$", text, re.S | re.M)]


def test_guide_error_example_is_what_check_prints(tmp_path: Path) -> None:
    (language, release), (_, message) = code_blocks(guide().split("## When the check says no", 1)[1])[:2]
    assert language == "yaml" and message[0].startswith("Can't publish ")
    root = copy(tmp_path, None)
    (root / message[0].removeprefix("Can't publish ").rstrip(":")).write_text("\n".join(release) + "\n", "utf-8")
    done = cli(root, "check")
    assert done.returncode == 1
    assert done.stderr.splitlines()[: len(message)] == message


def test_guide_messages_are_real() -> None:
    """Every message line the guide quotes is one the validator prints (line numbers aside).

    The worked example is compared in full by the test above; the others come
    from the expectations of the tests that produce them.
    """

    def general(line: str) -> str:
        return re.sub(r"^  line \d+", "  line N", line)

    (_, example), = code_blocks(guide().split("## When the check says no", 1)[1])[1:2]
    known = {general(line) for lines in (*REFUSED.values(), LINKS, [placeholder_line(1)], example, [test_pull_requests.RENAMED_LINE, test_pull_requests.DELETED_LINE, test_pull_requests.LOST_DOCUMENT_LINE]) for line in lines}
    quoted = [line for _, lines in code_blocks(guide()) for line in lines if re.match(r"^  (line \d+|file)[,:]", line)]
    assert len(quoted) >= 15
    assert not [line for line in quoted if general(line) not in known]
