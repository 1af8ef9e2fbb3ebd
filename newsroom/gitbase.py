"""The change `make check` checks, as git knows it: the commit it is compared
with (its base), the files it adds or renames, and the base's content.

`make check --base <ref>` compares the working copy with that commit, or,
if the branch has moved on since the change left it, with their merge base
(the pull-request workflow passes the merge base of the pull request and its
target branch). Without --base, in a git checkout, the base is the merge
base of HEAD and origin/main, or main: what the branch changes. Outside a
git checkout, or where neither branch exists, nothing is compared, and
`make check` says so.

Git is run as a command (it is on every machine that has a checkout); the
base's files are read with `git ls-tree` and `git cat-file`, never checked
out, so the working copy and its index are left as they are.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

# Where `make check` looks for the branch a change goes to, in order.
DEFAULT_BRANCHES = ("origin/main", "main")
# What the comparison reads of the base: content and the data it is checked against.
FOLDERS = ("docs", "data")
# What to do in a clone with --depth, where git cannot see the base.
FETCH_ALL = "run git fetch --unshallow origin, or in a workflow give actions/checkout fetch-depth: 0"
SHALLOW = f" This checkout is shallow (cloned with --depth): {FETCH_ALL}."


class GitError(Exception):
    """git refused; the message says what was asked and what git said."""


@dataclass(frozen=True)
class Base:
    """The commit a change is compared with, and how it was chosen."""

    commit: str
    # What to call it: "main at 1a2b3c4, the merge base of HEAD and main".
    described: str


@dataclass(frozen=True)
class Changes:
    """The files (paths from the checkout's root) the change adds, and those
    it renames (old path -> new path), in the working copy as it is."""

    added: frozenset[str] = frozenset()
    renamed: dict[str, str] = field(default_factory=dict)


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def find_base(root: Path, asked: str | None) -> tuple[Base | None, str]:
    """The base to compare with, or None and why there is none.

    An asked-for base that git does not know raises GitError: the
    pull-request workflow must never pass without its comparison.
    """
    not_here = _not_a_checkout(root)
    if asked:
        if not_here:
            raise GitError(f"--base {asked}: {not_here}, so there is nothing to compare with.")
        try:
            commit = git(root, "rev-parse", "--verify", "--quiet", f"{asked}^{{commit}}").strip()
        except GitError:
            raise GitError(f"--base {asked}: git knows no commit of that name in this checkout. Give a branch, a tag or a commit, e.g. --base origin/main.{SHALLOW if _shallow(root) else ''}") from None
        # A branch that has moved on since the change left it: what it
        # gained since is not this change's doing (its new releases are not
        # deleted by the change), so the comparison is with the merge base.
        try:
            common = git(root, "merge-base", "HEAD", commit).strip()
        except GitError:
            if _shallow(root):
                raise GitError(f"--base {asked}: git cannot find where HEAD left it.{SHALLOW}") from None
            common = commit  # no history in common: the commit as given
        if common != commit:
            return Base(common, f"{asked} at {common[:7]}, the merge base of HEAD and {asked}"), ""
        return Base(commit, f"{asked} at {commit[:7]}"), ""
    if not_here:
        return None, not_here
    for branch in DEFAULT_BRANCHES:
        try:
            git(root, "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}")
            commit = git(root, "merge-base", "HEAD", branch).strip()
        except GitError:
            continue  # no such branch, or no history in common (a shallow clone)
        return Base(commit, f"{branch} at {commit[:7]}, the merge base of HEAD and {branch}"), ""
    if _shallow(root):
        return None, f"the checkout is shallow (cloned with --depth), so git cannot find where HEAD left {' or '.join(DEFAULT_BRANCHES)}: {FETCH_ALL}"
    return None, f"the checkout has no {' or '.join(DEFAULT_BRANCHES)} branch with history in common with HEAD"


def _shallow(root: Path) -> bool:
    """Whether the checkout holds only the last commits (a clone with
    --depth), where git may not see the base."""
    try:
        return git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
    except GitError:
        return False


def _not_a_checkout(root: Path) -> str:
    """Why root is not the top of a git checkout, or ''."""
    try:
        top = Path(git(root, "rev-parse", "--show-toplevel").strip())
    except (GitError, OSError):
        return "this folder is not a git checkout"
    if top.resolve() != root.resolve():
        return f"this folder is not the top of its git checkout ({top})"
    return ""


def changes(root: Path, base: Base) -> Changes:
    """What the working copy adds and renames since the base: committed or
    not, staged or not, and new files git does not track yet (which git
    cannot pair with a deleted file as a rename)."""
    added: set[str] = set()
    renamed: dict[str, str] = {}
    entries = git(root, "diff", "--name-status", "-M", "--relative", "-z", base.commit, "--").split("\0")
    index = 0
    while index < len(entries) and entries[index]:
        status = entries[index]
        if status[0] in "RC":
            old, new = entries[index + 1], entries[index + 2]
            added.add(new)
            if status[0] == "R":
                renamed[old] = new
            index += 3
            continue
        if status[0] == "A":
            added.add(entries[index + 1])
        index += 2
    untracked = git(root, "ls-files", "--others", "--exclude-standard", "-z").split("\0")
    added |= {path for path in untracked if path}
    return Changes(frozenset(added), renamed)


def snapshot(root: Path, base: Base, into: Path) -> None:
    """Write the base's docs/ and data/ into `into` (regular files only; a
    symbolic link or a submodule in them is left out), with a docs/<code>/
    folder for each language it declares: git keeps no empty folder, and a
    language without pages yet is one."""
    listing = git(root, "ls-tree", "-r", "-z", "--full-tree", base.commit, "--", *FOLDERS).split("\0")
    blobs = []
    for entry in filter(None, listing):
        meta, path = entry.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob" and mode in ("100644", "100755"):
            parts = PurePosixPath(path).parts
            if parts and parts[0] in FOLDERS and ".." not in parts:
                blobs.append((sha, path))
    if blobs:
        _write_blobs(root, blobs, into)
    declared = into / "data" / "languages.yml"
    if declared.is_file():
        for entry in yaml.safe_load(declared.read_text("utf-8")) or []:
            if isinstance(entry, dict) and isinstance(entry.get("code"), str) and entry["code"].isalnum():
                (into / "docs" / entry["code"]).mkdir(parents=True, exist_ok=True)


def _write_blobs(root: Path, blobs: list[tuple[str, str]], into: Path) -> None:
    done = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], input="".join(f"{sha}\n" for sha, _ in blobs).encode("ascii"), capture_output=True)
    if done.returncode != 0:
        raise GitError(f"git cat-file --batch: {done.stderr.decode('utf-8', 'replace').strip()}")
    out = done.stdout
    position = 0
    for sha, path in blobs:
        header_end = out.index(b"\n", position)
        _, _, size = out[position:header_end].decode("ascii").split()
        start = header_end + 1
        target = into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(out[start : start + int(size)])
        position = start + int(size) + 1  # the content, then a newline
