"""GitHub integration: the pull-request and publishing workflows, the PR
template and the pre-commit hook, read as data (no GitHub needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import sitebuild

GITHUB = sitebuild.PROJECT / ".github"
OFFICIAL = {"actions/checkout@v4", "actions/setup-python@v5", "actions/configure-pages@v5", "actions/upload-pages-artifact@v3", "actions/deploy-pages@v4", "actions/upload-artifact@v4"}


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


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_only_official_actions_at_pinned_major_versions(name: str) -> None:
    used = {s["uses"] for s in steps(workflow(name)) if "uses" in s}
    assert used <= OFFICIAL, used - OFFICIAL


def test_pull_requests_are_checked_tested_and_previewed() -> None:
    flow = workflow("pr.yml")
    assert set(triggers(flow)) == {"pull_request"}
    assert flow["permissions"] == {"contents": "read"}
    (job,) = flow["jobs"].values()
    # Debian, for Debian's Chromium (installed with apt by `make test`, which .ci/run runs).
    assert "bookworm" in str(job.get("container", ""))
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


def test_main_is_published_on_push_every_hour_and_on_demand() -> None:
    flow = workflow("deploy.yml")
    on = triggers(flow)
    assert set(on) == {"push", "schedule", "workflow_dispatch"}
    assert on["push"]["branches"] == ["main"]
    assert on["schedule"] == [{"cron": "0 * * * *"}]
    assert flow["permissions"]["pages"] == "write" and flow["permissions"]["id-token"] == "write"
    assert flow["concurrency"]["group"] == "pages"
    text = (GITHUB / "workflows" / "deploy.yml").read_text("utf-8")
    assert "within the hour" in text  # the embargo promise is explained where it is kept

    build_job, deploy_job = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert deploy_job["needs"] == "build"
    assert deploy_job["environment"]["name"] == "github-pages"
    assert [s.get("uses") for s in deploy_job["steps"]] == ["actions/deploy-pages@v4"]
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
