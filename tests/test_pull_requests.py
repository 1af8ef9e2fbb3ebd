"""A pull request as `make check` sees it: against its base, in git (issue 18, items 2-4).

Each test makes a temporary git repository from the base fixture: a base
commit on `main`, then a change on a branch, as a pull request has them. It
runs the real command (`python -m newsroom.cli check`, what `make check
ARGS=...` and the pull-request workflow run) and compares its exact output:

- no published address is lost: a release, programme or resource renamed
  or deleted without `previous_paths` (or a withdrawal) is refused, with the
  old address and the line to write; a removed translation is not (the page
  falls back to English at the same address);
- of two releases with one id, the one the change adds is blamed (and,
  without git, the newer);
- `--format github` prints GitHub annotations, on the line, the file, or
  the run; `--summary FILE` writes what the change does to the site.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


import sitebuild
from newsroom.check import escape_data, escape_property

NOW = "2025-01-15T12:00:00Z"
RELEASE = "docs/en/news/2024/first-release.md"
FRONT_MATTER = "Fix these lines between the --- markers at the top of the file, then save again."
OTHER = "Fix what is named above, then save again."
SECOND = """---
id: 22222222-2222-4222-8222-222222222222
title: Second release
date: 2024-06-01
location: Lyon
summary: The second test release.
programmes: [alpha, beta]
publishers: [unicri]
partners: [interpol]
---

Body of the second release.
"""


@dataclass
class Repo:
    root: Path

    def git(self, *args: str) -> str:
        identity = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
        done = subprocess.run(["git", *args], cwd=self.root, env={**os.environ, **identity}, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def check(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "NEWSROOM_NOW": NOW, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "NO_MKDOCS_2_WARNING": "1"}
        return subprocess.run([sys.executable, "-m", "newsroom.cli", "check", *args], cwd=self.root, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)

    def path(self, shown: str) -> Path:
        return self.root / shown

    def edit(self, shown: str, old: str, new: str) -> None:
        text = self.path(shown).read_text("utf-8")
        assert text.count(old) == 1, (shown, old)
        self.path(shown).write_text(text.replace(old, new), "utf-8")

    def line_of(self, shown: str, text: str) -> int:
        return self.path(shown).read_text("utf-8").split("\n").index(text) + 1

    def closing(self, shown: str) -> int:
        """The line of the --- that closes the front-matter."""
        return self.path(shown).read_text("utf-8").split("\n").index("---", 1) + 1

    @property
    def base(self) -> str:
        """How `make check` names the merge base of the change and main."""
        return f"main at {self.git('merge-base', 'HEAD', 'main').strip()[:7]}, the merge base of HEAD and main"


def repository(tmp_path: Path, fixture: str = "base") -> Repo:
    """The fixture committed on main, and a branch `change` to work on."""
    root = tmp_path / "repo"
    root.mkdir()
    sitebuild.assemble(root, fixture)
    (root / ".gitignore").write_text("site/\n", "utf-8")
    repo = Repo(root)
    repo.git("init", "-q", "-b", "main")
    repo.commit("The base: what main publishes")
    repo.git("checkout", "-q", "-b", "change")
    return repo


def lost(address: str, fix: str, noun: str = "release") -> str:
    """The message for an address published in every language and lost."""
    return f'this {noun} was published at /en/{address} (and at the same address in the other 5 languages) before this change, and that address would return "page not found" to readers and to the feeds and sites that link to it. Keep it working: {fix}'


# The base fixture's release renamed, and deleted: the author guide quotes both.
RENAMED_LINE = "  line 9, previous_paths: " + lost("news/2024/first-release/", 'add this line above the closing --- (line 9): previous_paths: ["news/2024/first-release/"]')
DELETED_LINE = '  file: this file is deleted, but its release is published at /en/news/2024/first-release/ (and at the same address in the other 5 languages): that address would return "page not found" to readers and to the feeds and sites that link to it. Put the file back, and withdraw the release if it must come down (withdrawn: with date: and reason:), which keeps its page with a notice; or, if another release replaces it, add this line to that release\'s front-matter: previous_paths: ["news/2024/first-release/"]'


# -- No published address is lost ------------------------------------------------------


def test_a_release_renamed_without_previous_paths_is_refused_with_the_line_to_write(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    repo.git("mv", RELEASE, "docs/en/news/2024/renamed-release.md")
    repo.commit("Rename the release")
    done = repo.check()
    assert done.returncode == 1
    assert repo.closing("docs/en/news/2024/renamed-release.md") == 9
    assert done.stderr.splitlines() == [
        "Can't publish docs/en/news/2024/renamed-release.md:",
        RENAMED_LINE,
        FRONT_MATTER,
        "make check found 1 problem in 1 file.",
        f"Published addresses compared with {repo.base}.",
    ]
    # Written as the message says, the change passes.
    repo.edit("docs/en/news/2024/renamed-release.md", "publishers: [unicri]\n", 'publishers: [unicri]\nprevious_paths: ["news/2024/first-release/"]\n')
    again = repo.check()
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[1] == f"Published addresses compared with {repo.base}."


def test_addresses_are_not_said_to_be_compared_while_the_english_pages_fail(tmp_path: Path) -> None:
    """The lost address is found only once the English pages pass: until
    then the last line says so, not that the addresses were compared."""
    repo = repository(tmp_path)
    renamed = "docs/en/news/2024/renamed-release.md"
    repo.git("mv", RELEASE, renamed)
    repo.edit(renamed, "programmes: [alpha]", "programmes: [alpah]")
    repo.commit("Rename the release, with a typo")
    done = repo.check()
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"Can't publish {renamed}:",
        '  line 7, programmes[1]: "alpah" is not a programme: there is no docs/en/programmes/alpah.md. Did you mean "alpha"?',
        FRONT_MATTER,
        "make check found 1 problem in 1 file.",
        f"Published addresses not compared yet with {repo.base}: that comes once the English pages above are fixed.",
    ]
    repo.edit(renamed, "programmes: [alpah]", "programmes: [alpha]")
    assert repo.check().stderr.splitlines()[:2] == [f"Can't publish {renamed}:", RENAMED_LINE]


# A document: what the file-type check asks of a PDF is its signature.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# The author guide quotes it.
LOST_DOCUMENT_LINE = '  file: this file is deleted or renamed, but it is published at /en/news/2024/files/report.pdf (and at the same address in every language without a file of its own): readers\' and other sites\' links to it would return "page not found", and nothing can send them on from a file\'s old name. Keep the file at docs/en/news/2024/files/report.pdf (save a new version under the same name), and add a new file under a new name if both are wanted.'
ATTACHED = "attachments:\n  - title: Annual report\n    file: files/report.pdf\n    language: en\n"


def with_document(tmp_path: Path, release: str, front_matter: str) -> Repo:
    """A PDF attached to `release` (written with `front_matter` after its
    publishers:) on main, and the branch `change` made from there."""
    repo = repository(tmp_path)
    repo.git("checkout", "-q", "main")
    repo.path("docs/en/news/2024/files").mkdir()
    repo.path("docs/en/news/2024/files/report.pdf").write_bytes(PDF)
    if not repo.path(release).exists():
        repo.path(release).write_text(SECOND, "utf-8")
    repo.edit(release, "publishers: [unicri]\n", "publishers: [unicri]\n" + front_matter)
    repo.commit("A release with its report")
    repo.git("checkout", "-q", "-B", "change")
    return repo


def test_a_published_document_keeps_its_address(tmp_path: Path) -> None:
    """A PDF renamed, with its release pointing at the new name, passes
    every other check; its old address, which readers have saved, is lost."""
    repo = with_document(tmp_path, RELEASE, ATTACHED)
    repo.git("mv", "docs/en/news/2024/files/report.pdf", "docs/en/news/2024/files/report-2024.pdf")
    repo.edit(RELEASE, "file: files/report.pdf", "file: files/report-2024.pdf")
    repo.commit("A better name for the report")
    done = repo.check()
    assert done.returncode == 1
    assert done.stderr.splitlines()[:2] == [
        "Can't publish docs/en/news/2024/files/report.pdf:",
        LOST_DOCUMENT_LINE,
    ]
    # A new version under the same name loses nothing.
    repo.git("mv", "docs/en/news/2024/files/report-2024.pdf", "docs/en/news/2024/files/report.pdf")
    repo.edit(RELEASE, "file: files/report-2024.pdf", "file: files/report.pdf")
    repo.path("docs/en/news/2024/files/report.pdf").write_bytes(PDF.replace(b"1.4", b"1.7"))
    repo.commit("The report, corrected")
    assert repo.check().returncode == 0


def test_a_document_only_a_draft_attaches_was_never_published_and_may_go(tmp_path: Path) -> None:
    draft = "docs/en/news/2024/second-release.md"
    repo = with_document(tmp_path, draft, "draft: true\n" + ATTACHED)
    repo.edit(draft, ATTACHED, "")
    repo.path("docs/en/news/2024/files/report.pdf").unlink()
    repo.commit("The draft goes without its report")
    done = repo.check()
    assert done.returncode == 0, done.stderr


def test_one_old_address_in_two_releases_names_both(tmp_path: Path) -> None:
    """The renamed release keeps its old address; a release added with the
    same previous path is told that it is the other's, not a page's address."""
    repo = repository(tmp_path)
    renamed = "docs/en/news/2024/x.md"
    repo.git("mv", RELEASE, renamed)
    repo.edit(renamed, "publishers: [unicri]\n", 'publishers: [unicri]\nprevious_paths: ["news/2024/first-release/"]\n')
    repo.path("docs/en/news/2024/second-release.md").write_text(SECOND.replace("partners: [interpol]\n", 'partners: [interpol]\nprevious_paths: ["news/2024/first-release/"]\n'), "utf-8")
    repo.commit("Rename the release; a second one claims its old address")
    done = repo.check()
    assert done.returncode == 1
    assert done.stderr.splitlines()[:2] == [
        f"Can't publish {renamed}:",
        '  line 9, previous_paths: "news/2024/first-release/" is also in the previous_paths of docs/en/news/2024/second-release.md, and an old address can send readers on to one page only. Keep it only in the file of the page that replaced the one published there, and remove it from the other.',
    ]


def test_a_release_that_had_old_addresses_keeps_them_all(tmp_path: Path) -> None:
    repo = repository(tmp_path, "renamed")
    new_name = "docs/en/news/2024/new-name.md"
    repo.git("mv", new_name, "docs/en/news/2024/newest-name.md")
    repo.commit("Rename the renamed release again")
    done = repo.check()
    line = repo.line_of("docs/en/news/2024/newest-name.md", "previous_paths: [news/2024/old-name/]")
    assert done.stderr.splitlines()[:3] == [
        "Can't publish docs/en/news/2024/newest-name.md:",
        f"  line {line}, previous_paths: " + lost("news/2024/new-name/", 'add it to previous_paths; write this line as: previous_paths: ["news/2024/old-name/", "news/2024/new-name/"]'),
        FRONT_MATTER,
    ]


def test_a_deleted_release_is_refused_and_a_withdrawal_is_not(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    text = repo.path(RELEASE).read_text("utf-8")
    repo.git("rm", "-q", RELEASE)
    repo.commit("Delete the release")
    done = repo.check()
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"Can't publish {RELEASE}:",
        DELETED_LINE,
        OTHER,
        "make check found 1 problem in 1 file.",
        f"Published addresses compared with {repo.base}.",
    ]
    # Put back and withdrawn instead: its page stays, with the notice.
    repo.path(RELEASE).parent.mkdir(parents=True)
    repo.path(RELEASE).write_text(text.replace("publishers: [unicri]\n", "publishers: [unicri]\nwithdrawn:\n  date: 2025-01-10\n  reason: Published in error.\n"), "utf-8")
    repo.commit("Withdraw the release instead")
    assert repo.check().returncode == 0


def test_a_published_release_made_a_draft_is_refused(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    repo.edit(RELEASE, "publishers: [unicri]\n", "publishers: [unicri]\ndraft: true\n")
    done = repo.check()
    line = repo.line_of(RELEASE, "draft: true")
    assert done.stderr.splitlines()[:3] == [
        f"Can't publish {RELEASE}:",
        f'  line {line}, draft: this release is published at /en/news/2024/first-release/ (and at the same address in the other 5 languages), and draft: true would take it off the site: that address would return "page not found". A published release stays published: to take it down, withdraw it instead (withdrawn: with date: and reason:), which keeps its page with a notice.',
        FRONT_MATTER,
    ]


def test_two_published_releases_that_swap_ids_are_refused(tmp_path: Path) -> None:
    """Each id is still there, on the other release: feed readers would
    show each under the other's title and address."""
    repo = repository(tmp_path)
    second = "docs/en/news/2024/second-release.md"
    repo.path(second).write_text(SECOND, "utf-8")
    repo.git("checkout", "-q", "main")
    repo.commit("Publish a second release")
    repo.git("checkout", "-q", "change")
    repo.git("reset", "-q", "--hard", "main")
    first_id, second_id = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
    repo.edit(RELEASE, f"id: {first_id}", f"id: {second_id}")
    repo.edit(second, f"id: {second_id}", f"id: {first_id}")
    repo.commit("Swap the ids")
    done = repo.check()
    assert done.returncode == 1
    changed = 'was "{}" before this change, and the release is published: feed readers know it by its id, and a new one would announce it again as a new release. Write back: id: "{}"'
    assert done.stderr.splitlines() == [
        f"Can't publish {second}:",
        "  line 2, id: " + changed.format(second_id, second_id),
        FRONT_MATTER,
        f"Can't publish {RELEASE}:",
        "  line 2, id: " + changed.format(first_id, first_id),
        FRONT_MATTER,
        "make check found 2 problems in 2 files.",
        f"Published addresses compared with {repo.base}.",
    ]


def test_renamed_programme_and_resource_pages_need_their_old_address(tmp_path: Path) -> None:
    repo = repository(tmp_path, "renamed")
    repo.git("mv", "docs/en/programmes/gamma.md", "docs/en/programmes/gamma-programme.md")
    repo.git("rm", "-q", "docs/en/resources/handbook.md")
    repo.commit("Rename the programme, delete the handbook")
    done = repo.check()
    programme = "docs/en/programmes/gamma-programme.md"
    line = repo.line_of(programme, "previous_paths: [programmes/old-gamma/]")
    assert done.stderr.splitlines() == [
        f"Can't publish {programme}:",
        f"  line {line}, previous_paths: "
        + lost("programmes/gamma/", 'add it to previous_paths; write this line as: previous_paths: ["programmes/old-gamma/", "programmes/gamma/"]', "programme page"),
        FRONT_MATTER,
        "Can't publish docs/en/resources/handbook.md:",
        '  file: this file is deleted, but its resource page is published at /en/resources/handbook/ (and at the same address in the other 5 languages): that address would return "page not found" to readers and to the feeds and sites that link to it. Put the file back; or, if another resource page replaces it, add this line to that page\'s front-matter: previous_paths: ["resources/handbook/"]',
        '  file: this file is deleted, but its resource page is published at /en/resources/old-handbook/ (and at the same address in the other 5 languages): that address would return "page not found" to readers and to the feeds and sites that link to it. Put the file back; or, if another resource page replaces it, add this line to that page\'s front-matter: previous_paths: ["resources/old-handbook/"]',
        OTHER,
        "make check found 3 problems in 2 files.",
        f"Published addresses compared with {repo.base}.",
    ]


def test_a_removed_translation_loses_no_address(tmp_path: Path) -> None:
    """The French page falls back to the English text, at the same address."""
    repo = repository(tmp_path, "translated")
    repo.git("rm", "-q", "docs/fr/news/2024/first-release.md")
    repo.commit("Remove the French translation")
    summary = tmp_path / "summary.md"
    done = repo.check("--summary", str(summary))
    assert done.returncode == 0, done.stderr
    assert "  - Shows the release “First release” (`/fr/news/2024/first-release/`) in English again, until its translation is written; it leaves 5 feeds." in summary.read_text("utf-8").splitlines()


def test_a_removed_last_translation_names_the_folder_git_drops(tmp_path: Path) -> None:
    """Git keeps no empty folder: the language's last translation removed,
    its folder goes too, and the message names it."""
    repo = repository(tmp_path, "release-design")
    for code in ("es", "ru"):
        (repo.root / "docs" / code).rmdir()
    repo.git("rm", "-q", "docs/fr/news/2024/with-photo.md")
    repo.commit("Remove the only French translation")
    done = repo.check()
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == "Can't build: data/languages.yml declares fr, es, ru, but the folders docs/fr/, docs/es/, docs/ru/ are missing. Create each (a folder may hold only a .gitkeep file)."


def test_an_undeclared_language_loses_its_addresses(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    languages = repo.path("data/languages.yml")
    entries = languages.read_text("utf-8").split("\n- ")
    languages.write_text("\n- ".join(entry for entry in entries if not entry.startswith("code: zh")), "utf-8")
    repo.commit("Stop publishing Chinese")
    done = repo.check()
    assert done.stderr.splitlines()[0] == 'data/languages.yml no longer declares zh, whose 4 published pages, such as /zh/news/2024/first-release/, would return "page not found". Declare it again: a language, once published, stays.'


def test_an_unknown_base_is_an_error_and_no_git_is_said(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    done = repo.check("--base", "origin/mian")
    assert done.returncode == 2
    assert done.stderr == "make check: --base origin/mian: git knows no commit of that name in this checkout. Give a branch, a tag or a commit, e.g. --base origin/main.\n"
    explicit = repo.check("--base", "main")
    assert explicit.returncode == 0, explicit.stderr
    assert explicit.stdout.splitlines()[1] == f"Published addresses compared with main at {repo.git('rev-parse', 'main').strip()[:7]}."


def test_a_base_branch_that_moved_on_is_compared_at_the_merge_base(tmp_path: Path) -> None:
    """`--base main` after main gained a release: that release is not one
    the change deletes."""
    repo = repository(tmp_path)
    repo.edit("docs/en/programmes/beta.md", "Beta text.", "Beta text, longer.")
    repo.commit("The change")
    repo.git("checkout", "-q", "main")
    repo.path("docs/en/news/2024/second-release.md").write_text(SECOND, "utf-8")
    repo.commit("Main publishes a second release meanwhile")
    repo.git("checkout", "-q", "change")
    done = repo.check("--base", "main")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1] == f"Published addresses compared with {repo.base}."


def test_without_a_main_branch_nothing_is_compared_and_that_is_said(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    repo.git("branch", "-m", "main", "trunk")
    done = repo.check()
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1] == "Published addresses not compared with a base: the checkout has no origin/main or main branch with history in common with HEAD."


def test_a_shallow_clone_is_told_to_fetch_the_history(tmp_path: Path) -> None:
    """A clone with --depth 1 has no merge base to find: the message says
    why, and what to run, rather than that there is no main branch."""
    repo = repository(tmp_path)
    repo.edit("docs/en/programmes/beta.md", "Beta text.", "Beta text, longer.")
    repo.commit("The change")
    clone = Repo(tmp_path / "clone")
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "change", repo.root.as_uri(), str(clone.root)], check=True)
    for code in ("fr", "es", "ar", "ru", "zh"):  # git keeps no empty folder
        (clone.root / "docs" / code).mkdir()
    fix = "run git fetch --unshallow origin, or in a workflow give actions/checkout fetch-depth: 0"
    done = clone.check()
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1] == f"Published addresses not compared with a base: the checkout is shallow (cloned with --depth), so git cannot find where HEAD left origin/main or main: {fix}."
    clone.git("fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main")
    asked = clone.check("--base", "origin/main")
    assert asked.returncode == 2
    assert asked.stderr == f"make check: --base origin/main: git cannot find where HEAD left it. This checkout is shallow (cloned with --depth): {fix}.\n"


# -- The right file is blamed -------------------------------------------------------------

COPY = "docs/en/news/2024/an-older-copy.md"


def test_a_copied_id_is_blamed_on_the_file_the_change_adds(tmp_path: Path) -> None:
    """The copy is dated before the original: by date alone, the published
    original would be blamed, and following the advice would change a GUID."""
    repo = repository(tmp_path)
    original = repo.path(RELEASE).read_text("utf-8")
    repo.path(COPY).write_text(original.replace("date: 2024-03-01", "date: 2024-01-15").replace("title: First release", "title: An older copy"), "utf-8")
    done = repo.check()  # not committed yet: git's untracked files count as added
    assert done.stderr.splitlines()[:3] == [
        f"Can't publish {COPY}:",
        f'  line 2, id: "11111111-1111-4111-8111-111111111111" is also the id of {RELEASE}, which was there before this change; this file is the one the change adds. Each release keeps its own id for good (feed readers know it by its id): leave {RELEASE} as it is, and give this file a new id on this line, e.g. id: "d15dc633-31f4-51e4-8db5-7d00b118e89e" (or run `make new` and take the id it writes).',
        FRONT_MATTER,
    ]
    repo.commit("Add a copy")
    assert repo.check().stderr.splitlines()[:3] == done.stderr.splitlines()[:3]


def test_without_git_the_newer_release_is_blamed(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    sitebuild.assemble(root, "base")
    original = (root / RELEASE).read_text("utf-8")
    (root / COPY).write_text(original.replace("date: 2024-03-01", "date: 2024-01-15").replace("title: First release", "title: An older copy"), "utf-8")
    assert sitebuild.validated(root, now=NOW)[:2] == [
        f"Can't publish {RELEASE}:",
        f'  line 2, id: "11111111-1111-4111-8111-111111111111" is also the id of {COPY}, an older release (dated 2024-01-15, this one 2024-03-01). Each release keeps its own id for good (feed readers know it by its id): leave {COPY} as it is, and give this file a new id on this line, e.g. id: "73d15f89-3535-58bf-98f4-9c2866b51f43" (or run `make new` and take the id it writes).',
    ]


# -- Checks that speak in the pull request ------------------------------------------------


def test_escapes_are_githubs() -> None:
    """As @actions/core's escapeData and escapeProperty."""
    assert escape_data("100% sure\r\nnext: a, b") == "100%25 sure%0D%0Anext: a, b"
    assert escape_property("100% sure\r\nnext: a, b") == "100%25 sure%0D%0Anext%3A a%2C b"


def test_github_annotations_on_the_line_the_file_and_the_run(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    repo.git("mv", RELEASE, "docs/en/news/2024/renamed-release.md")
    repo.git("rm", "-q", "docs/en/programmes/beta.md")
    repo.path("data/site.yml").write_text(repo.path("data/site.yml").read_text("utf-8").replace("default_timezone: UTC", "default_timezone: Mars/Olympus"), "utf-8")
    repo.commit("Three mistakes")
    summary = tmp_path / "summary.md"
    done = repo.check("--format", "github", "--summary", str(summary))
    assert done.returncode == 1
    renamed = "docs/en/news/2024/renamed-release.md"
    assert repo.closing(renamed) == 9
    # In the order they are found: the settings first, then the addresses.
    assert done.stdout.splitlines() == [
        '::error title=Can\'t build the site::data/site.yml: default_timezone "Mars/Olympus" is not a timezone name. Write an IANA name such as UTC, Europe/Rome or America/New_York.',
        f"::error file={renamed},line=9,title=Can't publish {renamed}::line 9, previous_paths: "
        + lost("news/2024/first-release/", 'add this line above the closing --- (line 9): previous_paths: ["news/2024/first-release/"]'),
        "::error file=docs/en/programmes/beta.md,title=Can't publish docs/en/programmes/beta.md::file: this file is deleted, but its programme page is published at /en/programmes/beta/ (and at the same address in the other 5 languages): that address would return \"page not found\" to readers and to the feeds and sites that link to it. Put the file back; or, if another programme page replaces it, add this line to that page's front-matter: previous_paths: [\"programmes/beta/\"]",
    ]
    # The log has them grouped by file too (GitHub shows 10 annotations a step).
    report = [
        f"Can't publish {renamed}:",
        "  line 9, previous_paths: " + lost("news/2024/first-release/", 'add this line above the closing --- (line 9): previous_paths: ["news/2024/first-release/"]'),
        FRONT_MATTER,
        "Can't publish docs/en/programmes/beta.md:",
        '  file: this file is deleted, but its programme page is published at /en/programmes/beta/ (and at the same address in the other 5 languages): that address would return "page not found" to readers and to the feeds and sites that link to it. Put the file back; or, if another programme page replaces it, add this line to that page\'s front-matter: previous_paths: ["programmes/beta/"]',
        OTHER,
        'data/site.yml: default_timezone "Mars/Olympus" is not a timezone name. Write an IANA name such as UTC, Europe/Rome or America/New_York.',
    ]
    assert done.stderr.splitlines() == [*report, "make check found 3 problems in 2 files.", f"Published addresses compared with {repo.base}."]
    # The job summary is written all the same, with every problem.
    assert summary.read_text("utf-8").splitlines()[:15] == [
        "## What this change does to the site",
        "",
        "`make check` found 3 problems in 2 files. GitHub shows each on its line under Files changed; here they all are:",
        "",
        "```text",
        *report,
        "```",
        "",
        f"Compared with {repo.base}.",
    ]


def test_more_problems_than_github_shows_are_all_in_the_summary_and_fenced(tmp_path: Path) -> None:
    """GitHub shows 10 error annotations a step; and a value with backticks
    cannot end the summary's code block."""
    repo = repository(tmp_path)
    original = repo.path(RELEASE).read_text("utf-8")
    for number in range(11):
        text = original.replace("11111111-1111", f"{number:08x}-1111").replace("title: First release", 'title: "Launch <b>````</b>"')
        repo.path(f"docs/en/news/2024/copy-{number}.md").write_text(text, "utf-8")
    summary = tmp_path / "summary.md"
    done = repo.check("--format", "github", "--summary", str(summary))
    assert len([line for line in done.stdout.splitlines() if line.startswith("::error ")]) == 11
    lines = summary.read_text("utf-8").splitlines()
    assert lines[2] == "`make check` found 11 problems in 11 files. GitHub shows the first 10 on their lines under Files changed; here they all are:"
    # Four backticks in what the author wrote: a fence of five.
    assert lines[4] == "`````text" and lines.count("`````") == 1
    assert lines[6] == '  line 3, title: "Launch <b>````</b>" contains "<b>", which feed readers may take for HTML and hide. A title is plain text: write it without tags, or with a space after the <.'


def test_the_job_summary_says_what_the_change_does_in_each_language(tmp_path: Path) -> None:
    repo = repository(tmp_path, "translated")
    repo.path("docs/en/news/2024/second.md").write_text(SECOND, "utf-8")
    repo.edit("docs/en/programmes/beta.md", "Beta text.", "Beta text, longer.")
    repo.git("mv", "docs/en/news/2024/english-only.md", "docs/en/news/2024/only-in-english.md")
    repo.edit("docs/en/news/2024/only-in-english.md", "publishers: [unicri]\n", "publishers: [unicri]\nprevious_paths: [news/2024/english-only/]\n")
    repo.commit("A new release, a programme changed, a release renamed")
    summary = tmp_path / "summary.md"
    summary.write_text("Earlier steps' summary.\n", "utf-8")  # GitHub's file may hold other steps' summaries
    done = repo.check("--summary", str(summary))
    assert done.returncode == 0, done.stderr
    languages = {"fr": "Français", "es": "Español", "ar": "العربية", "ru": "Русский", "zh": "中文"}
    expected = [
        "Earlier steps' summary.",
        "## What this change does to the site",
        "",
        "`make check`: " + done.stdout.splitlines()[0],
        "",
        f"Compared with {repo.base}.",
        "",
        # 6 feeds: the four of the language, and the feeds of alpha and beta.
        # 7 listings: home, news, news/2024/, alpha, beta, UNICRI and INTERPOL.
        # The moved release's item changes in the four and in alpha's feed.
        "- **English (en)**: 1 new page, 2 changed, 0 removed; 6 new feed items, 5 changed, 0 removed.",
        "  - Moves the release “English-only release” from `/en/news/2024/english-only/` to `/en/news/2024/only-in-english/`; the old address sends readers on.",
        "  - Adds the release “Second release” at `/en/news/2024/second/`; it appears in 6 feeds and 7 listings.",
        "  - Changes the programme page “Beta Programme” (`/en/programmes/beta/`).",
    ]
    for code, name in languages.items():
        # Shown in English there: in the listings, in no feed.
        expected += [
            f"- **{name} ({code})**: 1 new page, 2 changed, 0 removed; 0 new feed items, 0 changed, 0 removed.",
            f"  - Moves the release “English-only release” from `/{code}/news/2024/english-only/` to `/{code}/news/2024/only-in-english/`; the old address sends readers on.",
            f"  - Adds the release “Second release” at `/{code}/news/2024/second/`, in English until it is translated; it appears in no feed and 7 listings.",
            f"  - Changes the programme page “Beta Programme” (`/{code}/programmes/beta/`).",
        ]
    assert summary.read_text("utf-8").splitlines() == expected


def test_the_summary_counts_what_leaves_a_full_feed_and_says_what_a_translation_does(tmp_path: Path) -> None:
    repo = repository(tmp_path, "translated")
    repo.edit("data/site.yml", "feed_length: 50", "feed_length: 1")
    repo.commit("Feeds of one item")
    repo.git("branch", "-f", "main", "HEAD")  # in the base too
    repo.path("docs/en/news/2024/second.md").write_text(SECOND, "utf-8")
    repo.path("docs/fr/programmes/beta.md").write_text("---\ntitle: Programme Bêta\nshort_name: BÊTA\nsummary: Un autre programme de test.\ntranslation:\n  status: unofficial\n---\n\nTexte de Bêta.\n", "utf-8")
    repo.git("rm", "-q", "docs/ar/news/2024/first-release.md")
    repo.path("docs/ar").mkdir()
    (repo.path("docs/ar") / ".gitkeep").write_text("", "utf-8")  # git keeps no empty folder
    repo.commit("A newer release, a French programme page, no Arabic release")
    summary = tmp_path / "summary.md"
    assert repo.check("--summary", str(summary)).returncode == 0
    lines = summary.read_text("utf-8").splitlines()
    english = lines.index("- **English (en)**: 1 new page, 0 changed, 0 removed; 6 new feed items, 0 changed, 5 removed.")
    assert lines[english + 1 : english + 3] == [
        "  - Adds the release “Second release” at `/en/news/2024/second/`; it appears in 6 feeds and 7 listings.",
        # The four feeds of the language and alpha's held the first release.
        "  - 5 older feed items leave their feeds, which carry only the newest release.",
    ]
    french = lines.index("- **Français (fr)**: 1 new page, 1 changed, 0 removed; 0 new feed items, 0 changed, 0 removed.")
    assert lines[french + 1 : french + 3] == [
        "  - Adds the release “Second release” at `/fr/news/2024/second/`, in English until it is translated; it appears in no feed and 7 listings.",
        "  - Publishes the translation of the programme page “Programme Bêta” at `/fr/programmes/beta/`; it appears in 2 listings.",
    ]
    # The Arabic release was in the Arabic feeds; shown in English, it is in none.
    arabic = lines.index("- **العربية (ar)**: 1 new page, 1 changed, 0 removed; 0 new feed items, 0 changed, 5 removed.")
    assert lines[arabic + 1] == "  - Shows the release “First release” (`/ar/news/2024/first-release/`) in English again, until its translation is written; it leaves 5 feeds."


def test_a_summary_of_many_pages_names_a_hundred_a_language(tmp_path: Path) -> None:
    """GitHub shows no job summary over 1 MiB: an archive of releases added
    at once is counted, and its first hundred pages named, per language."""
    repo = repository(tmp_path)
    for number in range(101):
        text = SECOND.replace("22222222-2222-4222-8222-2222", f"22222222-2222-4222-8222-{number:04d}").replace("title: Second release", f"title: Archive {number:03d}")
        repo.path(f"docs/en/news/2024/archive-{number:03d}.md").write_text(text, "utf-8")
    repo.commit("An archive of 101 releases")
    summary = tmp_path / "summary.md"
    assert repo.check("--summary", str(summary)).returncode == 0
    lines = summary.read_text("utf-8").splitlines()
    english = lines.index("- **English (en)**: 101 new pages, 0 changed, 0 removed; 300 new feed items, 0 changed, 5 removed.")
    assert lines[english + 1].startswith("  - Adds the release “Archive 000” at `/en/news/2024/archive-000/`")
    assert lines[english + 100].startswith("  - Adds the release “Archive 099” at `/en/news/2024/archive-099/`")
    assert lines[english + 101] == "  - and 1 more page, counted above but not listed: GitHub shows no job summary over 1 MiB."
    assert lines[english + 102] == "  - 5 older feed items leave their feeds, which carry only the newest 50 releases."
    assert lines[english + 103].startswith("- **Français (fr)**: 101 new pages")
