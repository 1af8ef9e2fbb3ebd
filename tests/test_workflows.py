"""GitHub integration: the pull-request and publishing workflows, the PR
template, the pre-commit hook, Dependabot and the hashed locks, read as data
(no GitHub needed).

The workflows are hardened after GitHub's security hardening guide and the
OpenSSF Scorecard checks (issue 15.7): least privilege per job, actions pinned
by commit SHA, the container by digest, no credentials left by checkout, no
`pull_request_target`, and installs from hashed locks, the publishing build
without the test tools.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement

import sitebuild

GITHUB = sitebuild.PROJECT / ".github"
WORKFLOWS = ["pr.yml", "deploy.yml"]
REQUIREMENTS = sitebuild.PROJECT / "requirements"
OFFICIAL = {"actions/checkout", "actions/setup-python", "actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages", "actions/upload-artifact", "actions/cache"}
# owner/repository, an action in a folder of it (actions/cache/restore), then @ and the commit.
PINNED = re.compile(r"(?P<action>[\w.-]+/[\w.-]+)(?:/[\w.-]+)*@(?P<sha>[0-9a-f]{40})")
VERSION_COMMENT = re.compile(r"#\s*v\d+(\.\d+){0,2}\s*$")


def workflow(name: str) -> dict[str, Any]:
    return yaml.safe_load((GITHUB / "workflows" / name).read_text("utf-8"))


def triggers(flow: dict[str, Any]) -> dict[str, Any]:
    """The `on:` block. YAML 1.1 reads the bare key `on` as the boolean True."""
    found = flow.get("on", flow.get(True))
    assert found is not None, "no on: block"
    return found if isinstance(found, dict) else {name: None for name in ([found] if isinstance(found, str) else found)}


def steps(flow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in flow["jobs"].values() for step in job.get("steps", [])]


def step_running(flow: dict[str, Any], command: str) -> dict[str, Any]:
    matching = [s for s in steps(flow) if command in str(s.get("run", ""))]
    assert len(matching) == 1, f"expected one step running {command!r}, found {len(matching)}"
    return matching[0]


def step_using(flow: dict[str, Any], action: str) -> dict[str, Any]:
    matching = [s for s in steps(flow) if str(s.get("uses", "")).startswith(action + "@")]
    assert len(matching) == 1, f"expected one step using {action}, found {len(matching)}"
    return matching[0]


def position(flow: dict[str, Any], step: dict[str, Any]) -> int:
    return next(i for i, s in enumerate(steps(flow)) if s is step)


def jobs(flow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return flow["jobs"]


def uses_lines(name: str) -> dict[str, str]:
    """Each `uses:` value of a workflow and the text of its line, comment
    included (YAML parsers drop comments, which carry the version)."""
    text = (GITHUB / "workflows" / name).read_text("utf-8").splitlines()
    found = {}
    for step in steps(workflow(name)):
        if "uses" in step:
            (line,) = [line for line in text if line.strip().lstrip("- ").startswith(f"uses: {step['uses']}")]
            found[step["uses"]] = line
    return found


@pytest.mark.parametrize("name", WORKFLOWS)
def test_only_official_actions_pinned_by_commit_sha_with_their_version(name: str) -> None:
    lines = uses_lines(name)
    assert lines
    for uses, line in lines.items():
        pinned = PINNED.fullmatch(uses)
        assert pinned, f"{uses} is not pinned by a full 40-character commit SHA"
        assert pinned["action"] in OFFICIAL, uses
        assert VERSION_COMMENT.search(line), f"{line.strip()!r}: give the version the SHA is, as a comment (# v1.2.3)"


def test_one_action_one_commit_everywhere() -> None:
    """Both workflows use the same commit, and the same version comment, for an action."""
    seen: dict[str, set[tuple[str, str]]] = {}
    for name in WORKFLOWS:
        for uses, line in uses_lines(name).items():
            pinned = PINNED.fullmatch(uses)
            seen.setdefault(pinned["action"], set()).add((pinned["sha"], line.split("#", 1)[1].strip()))
    assert all(len(versions) == 1 for versions in seen.values()), seen


@pytest.mark.parametrize("name", WORKFLOWS)
def test_least_privilege(name: str) -> None:
    """The token may do nothing unless a job says so; only the deploy job may write."""
    flow = workflow(name)
    assert flow["permissions"] == {}
    for job_name, job in jobs(flow).items():
        permissions = job.get("permissions")
        assert isinstance(permissions, dict), f"{name}: job {job_name} must list its permissions"
        writes = {scope for scope, level in permissions.items() if level == "write"}
        if (name, job_name) == ("deploy.yml", "deploy"):
            assert permissions == {"pages": "write", "id-token": "write"}
        else:
            assert not writes, f"{name}: job {job_name} may write {writes}"


@pytest.mark.parametrize("name", WORKFLOWS)
def test_checkout_leaves_no_credentials_and_no_pull_request_target(name: str) -> None:
    flow = workflow(name)
    assert "pull_request_target" not in triggers(flow)
    checkouts = [s for s in steps(flow) if str(s.get("uses", "")).startswith("actions/checkout@")]
    assert checkouts
    assert all(s.get("with", {}).get("persist-credentials") is False for s in checkouts), checkouts


def test_the_deploy_job_runs_nothing_of_ours() -> None:
    """The only job that may publish checks nothing out and installs nothing."""
    deploy = jobs(workflow("deploy.yml"))["deploy"]
    assert [str(s.get("uses", "")).split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert not any("run" in s for s in deploy["steps"])


def test_pull_requests_are_checked_tested_and_previewed() -> None:
    flow = workflow("pr.yml")
    assert set(triggers(flow)) == {"pull_request"}
    (job,) = flow["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    # Debian, for Debian's Chromium (installed with apt by `make test`, which
    # .ci/run runs), by digest.
    assert re.fullmatch(r"python:3\.11-bookworm@sha256:[0-9a-f]{64}", job["container"]), job["container"]
    checkout = step_using(flow, "actions/checkout")
    check = step_running(flow, "make check")
    test = step_running(flow, ".ci/run")
    ci_run = (sitebuild.PROJECT / ".ci" / "run").read_text("utf-8")
    assert ci_run.rstrip().endswith("make test")
    assert "chromium" in (sitebuild.PROJECT / ".ci" / "system-packages").read_text("utf-8")
    build = step_running(flow, "make build")
    assert build["env"]["NEWSROOM_PREVIEW"] == "1"
    upload = step_using(flow, "actions/upload-artifact")
    assert upload["with"]["name"] == "preview" and upload["with"]["path"].rstrip("/") == "site"
    order = [position(flow, s) for s in (checkout, check, test, build, upload)]
    assert order == sorted(order)


def test_the_preview_restores_the_images_publishing_keeps_and_saves_none() -> None:
    """Made images (hooks/images.py) are cached by the publishing workflow;
    a pull request's preview restores that cache, with the same folder and
    key, before it builds, and saves nothing (actions/cache/restore)."""
    deploy, pr = workflow("deploy.yml"), workflow("pr.yml")
    kept = step_using(deploy, "actions/cache")
    restored = step_using(pr, "actions/cache/restore")
    assert not [s for s in steps(pr) if str(s.get("uses", "")).startswith("actions/cache@")]
    assert restored["with"] == kept["with"]
    assert kept["with"]["path"] == ".cache/newsroom-images"
    assert position(pr, restored) < position(pr, step_running(pr, "make build"))


def test_the_pull_requests_check_speaks_on_its_lines_against_the_merge_base() -> None:
    """`make check` annotates the pull request (--format github), compares
    with the merge base (--base, found in the whole history the checkout
    fetches) and writes the job summary; tests/test_pull_requests.py runs
    the same command on git fixtures."""
    flow = workflow("pr.yml")
    checkout = step_using(flow, "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0
    check = step_running(flow, "make check")
    assert check["env"] == {"BASE_SHA": "${{ github.event.pull_request.base.sha }}"}
    lines = check["run"].strip().splitlines()
    assert lines == ['base=$(git merge-base HEAD "$BASE_SHA")', 'make check ARGS="--format github --base $base --summary $GITHUB_STEP_SUMMARY"']
    # Nothing from the event is written into the script itself.
    assert "${{" not in check["run"]
    # The options the workflow passes are the command's own.
    help_text = subprocess.run([sys.executable, "-m", "newsroom.cli", "check", "--help"], cwd=sitebuild.PROJECT, capture_output=True, text=True).stdout
    for option in ("--format {text,github}", "--base REF", "--summary FILE"):
        assert option in help_text, option


def test_main_is_published_on_push_every_hour_and_on_demand() -> None:
    flow = workflow("deploy.yml")
    on = triggers(flow)
    assert set(on) == {"push", "schedule", "workflow_dispatch"}
    assert on["push"]["branches"] == ["main"]
    assert on["schedule"] == [{"cron": "0 * * * *"}]
    assert flow["concurrency"]["group"] == "pages"
    text = (GITHUB / "workflows" / "deploy.yml").read_text("utf-8")
    assert "within the hour" in text  # the embargo promise is explained where it is kept

    build_job, deploy_job = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert deploy_job["needs"] == "build"
    assert deploy_job["environment"]["name"] == "github-pages"
    assert build_job["permissions"] == {"contents": "read", "pages": "read"}  # configure-pages reads the site's address
    assert deploy_job["permissions"] == {"pages": "write", "id-token": "write"}
    pages = step_using(flow, "actions/configure-pages")
    assert pages["id"] == "pages"
    step_using(flow, "actions/setup-python")
    check = step_running(flow, "make check")
    build = step_running(flow, "make build")
    assert build["env"]["NEWSROOM_BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    upload = step_using(flow, "actions/upload-pages-artifact")
    assert upload["with"]["path"].rstrip("/") == "site"
    assert position(flow, pages) < position(flow, check) < position(flow, build) < position(flow, upload)
    assert all(s in build_job["steps"] for s in (pages, check, build, upload))


def test_base_url_reaches_the_build() -> None:
    """The workflow's NEWSROOM_BASE_URL is what `newsroom.cli build` takes as its site URL."""
    from newsroom import cli

    assert "NEWSROOM_BASE_URL" in Path(cli.__file__).read_text("utf-8")


def test_pull_request_template_is_a_short_checklist() -> None:
    text = (GITHUB / "pull_request_template.md").read_text("utf-8")
    boxes = [line for line in text.splitlines() if line.startswith("- [ ]")]
    assert 3 <= len(boxes) <= 8
    assert any("make check" in line for line in boxes)
    assert "docs/en/about/publishing.md" in text


def test_pre_commit_runs_make_check_on_content() -> None:
    config = yaml.safe_load((sitebuild.PROJECT / ".pre-commit-config.yaml").read_text("utf-8"))
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    (hook,) = repo["hooks"]
    assert hook["entry"] == "make check"
    assert hook["language"] == "system"
    assert hook["pass_filenames"] is False
    assert hook["files"] == "^(docs|data)/"


def test_the_preview_holds_embargoed_releases_only_in_a_private_repository() -> None:
    """A public repository's artifacts can be downloaded by anyone signed in."""
    flow = workflow("pr.yml")
    build = step_running(flow, "make build")
    assert build["env"]["NEWSROOM_PREVIEW"] == "1"
    assert build["env"]["NEWSROOM_PREVIEW_EMBARGOED"] == "${{ github.event.repository.private && '1' || '' }}"
    assert not any("NEWSROOM_PREVIEW_EMBARGOED" in str(step.get("env", {})) for step in steps(flow) if step is not build)
    assert not any("NEWSROOM_PREVIEW" in str(step.get("env", {})) for step in steps(workflow("deploy.yml")))


# --------------------------------------------------------------------------
# Installs from hashed locks; the publishing build without the test tools


def lock(name: str) -> dict[str, tuple[str, list[str]]]:
    """A pip-compile lock: each package's pinned version and hashes."""
    found: dict[str, tuple[str, list[str]]] = {}
    for entry in re.sub(r"\\\n", " ", (REQUIREMENTS / name).read_text("utf-8")).splitlines():
        entry = entry.split("#", 1)[0].strip() if not entry.lstrip().startswith("--hash") else entry
        if not entry or entry.startswith("-"):
            continue
        requirement, *options = entry.split()
        name_, _, version = requirement.partition("==")
        assert version, f"{name}: {requirement} is not pinned to one version"
        hashes = [option.removeprefix("--hash=") for option in options if option.startswith("--hash=sha256:")]
        assert hashes and len(hashes) == len(options), f"{name}: {requirement} has no hash"
        found[canonical(name_)] = (version, hashes)
    return found


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def direct(name: str) -> list[Requirement]:
    """The requirements an .in file names itself."""
    lines = [line.split("#", 1)[0].strip() for line in (REQUIREMENTS / name).read_text("utf-8").splitlines()]
    return [Requirement(line) for line in lines if line and not line.startswith("-")]


def test_the_locks_pin_every_package_with_hashes_and_match_their_sources() -> None:
    build, test = lock("build.txt"), lock("test.txt")
    for source, locked in (("build.in", build), ("test.in", test)):
        for requirement in direct(source):
            assert canonical(requirement.name) in locked, f"{source} names {requirement.name}, which its lock lacks: regenerate it (README)"
            assert requirement.specifier.contains(locked[canonical(requirement.name)][0]), (source, requirement)
    # test.in is constrained by build.txt: one version of anything both hold.
    assert {name: test[name][0] for name in test.keys() & build.keys()} == {name: build[name][0] for name in test.keys() & build.keys()}
    # ../shared/tools/validate-feeds (the W3C Feed Validator) runs in the test environment.
    assert {"html5lib", "lxml"} <= test.keys()
    for name in ("build.txt", "test.txt"):
        header = (REQUIREMENTS / name).read_text("utf-8")
        assert "autogenerated by pip-compile" in header and "--generate-hashes" in header, name


def test_the_build_lock_holds_no_test_tool() -> None:
    tools = {canonical(r.name) for r in direct("test.in")} - {canonical(r.name) for r in direct("build.in")}
    assert {"pytest", "playwright", "html5lib", "beautifulsoup4"} <= tools
    assert not tools & lock("build.txt").keys()


def make_commands(tmp_path: Path, target: str) -> list[list[str]]:
    """What `make TARGET` runs on a fresh clone, as `make -n` prints it."""
    clone = tmp_path / target
    (clone / "data").mkdir(parents=True)
    for name in ("Makefile", "pyproject.toml", "package.json", "package-lock.json", "data/languages.yml"):
        shutil.copy(sitebuild.PROJECT / name, clone / name)
    shutil.copytree(REQUIREMENTS, clone / "requirements")
    done = subprocess.run(["make", "-n", "--no-print-directory", target], cwd=clone, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return [shlex.split(line) for line in done.stdout.splitlines() if line.strip()]


def pip_installs(commands: list[list[str]]) -> list[list[str]]:
    return [command for command in commands if command[:1] and command[0].endswith("/pip") and "install" in command]


def requirement_files(command: list[str]) -> list[str]:
    return [command[i + 1] for i, word in enumerate(command) if word == "-r"]


def test_the_publishing_build_installs_only_the_build_lock_with_hashes(tmp_path: Path) -> None:
    """deploy.yml's build job runs `make check` and `make build`; on a fresh
    runner those install requirements/build.txt, every file checked against
    its hash, and nothing else (the project itself with the lock's setuptools).
    Besides: Debian's fonts and FriBiDi for the share cards, and the web editor."""
    build_job = jobs(workflow("deploy.yml"))["build"]
    fonts = "sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends fonts-dejavu-core fonts-noto-ui-core fonts-wqy-microhei libfribidi0"
    assert [s["run"] for s in build_job["steps"] if "run" in s] == ["make check", fonts, "npm ci --omit=dev --no-audit --no-fund", "make build"]
    # npm's part is the web editor alone: the test tools are development dependencies.
    package = json.loads((sitebuild.PROJECT / "package.json").read_text("utf-8"))
    assert package["dependencies"] == {"decap-cms": package["dependencies"]["decap-cms"]}
    assert {"axe-core", "lighthouse", "vnu-jar", "decap-server"} <= set(package["devDependencies"])
    for target in ("check", "build"):
        installs = pip_installs(make_commands(tmp_path, target))
        locked = [command for command in installs if requirement_files(command)]
        assert [requirement_files(command) for command in locked] == [["requirements/build.txt"]], installs
        assert all("--require-hashes" in command for command in locked)
        others = [command for command in installs if command not in locked]
        assert all({"--no-deps", "--no-build-isolation", "-e", "."} <= set(command) for command in others), others


def test_make_test_installs_both_locks_with_hashes(tmp_path: Path) -> None:
    installs = [command for command in pip_installs(make_commands(tmp_path, "test")) if requirement_files(command)]
    assert [requirement_files(command) for command in installs] == [["requirements/build.txt"], ["requirements/build.txt", "requirements/test.txt"]]
    assert all("--require-hashes" in command for command in installs)


# --------------------------------------------------------------------------
# Dependabot and the security policy


def test_dependabot_watches_pip_npm_and_actions() -> None:
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text("utf-8"))
    assert config["version"] == 2
    updates = {entry["package-ecosystem"]: entry for entry in config["updates"]}
    assert set(updates) == {"pip", "npm", "github-actions"}
    assert all(entry["schedule"]["interval"] for entry in updates.values())
    # Each points at the folder holding what it updates; Dependabot pairs
    # pip-compile's .in files with .txt outputs.
    pip = sitebuild.PROJECT / updates["pip"]["directory"].strip("/")
    assert {path.name for path in pip.iterdir()} >= {"build.in", "build.txt", "test.in", "test.txt"}
    assert (sitebuild.PROJECT / updates["npm"]["directory"].strip("/") / "package-lock.json").is_file()
    assert updates["github-actions"]["directory"] == "/"


def test_security_policy_says_how_to_report_privately() -> None:
    text = (sitebuild.PROJECT / "SECURITY.md").read_text("utf-8")
    assert "Report a vulnerability" in text and "private vulnerability reporting" in text
    assert "do not** open a public issue" in text
    # No invented address: reports go through GitHub.
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text)
