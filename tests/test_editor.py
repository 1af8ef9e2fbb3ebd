"""The web editor at /admin/ (newsroom/editor.py, README "The web editor").

Its configuration is generated from the schemas and registries, so it cannot
drift from them; and an author can write a release in it, offline, in Debian's
Chromium against Decap's local backend, and find it on a branch, valid by the
check and built into its page. A wrong answer reads as the check says it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from newsroom import editor, editor_tour, schema
from newsroom.translations import translation_schema

PROJECT = Path(__file__).resolve().parent.parent


def _need_editor() -> None:
    if not editor.installed(PROJECT):
        pytest.fail("The web editor is not installed: run `npm ci` (make test does) so that node_modules/decap-cms exists.", pytrace=False)


# -- The configuration cannot drift -------------------------------------------


def test_the_built_site_serves_the_configuration_generated_from_the_schemas(sites: Any) -> None:
    _need_editor()
    built = sites.project()
    served = (built.site / "admin" / "config.yml").read_text("utf-8")
    assert served == editor.config_text(built.root), "site/admin/config.yml is not what newsroom/editor.py makes of the schemas and registries"
    for name in ("index.html", "decap-cms.js", "newsroom-editor.js"):
        assert (built.site / "admin" / name).is_file(), f"site/admin/{name} is missing"


def _fields(collection: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in collection["fields"]}


def _expected(spec: dict[str, Any], within: str = "") -> dict[tuple, tuple[bool, str]]:
    """Every field of a schema, nested ones too: (required in the editor, hint)."""
    out: dict[tuple, tuple[bool, str]] = {}
    required = set(spec.get("required", []))
    for name, sub in spec.get("properties", {}).items():
        hint = editor.hint(sub)
        needed = name in required and not within
        if name in required and within:
            hint = (hint + ("" if hint.endswith(".") else ".") + f" Needed when {within} is filled in.").strip()
        out[(name,)] = (needed, hint)
        inner = sub.get("items") if sub.get("type") == "array" else sub
        if inner and inner.get("type") == "object":
            child_within = "" if sub.get("type") == "array" or needed else editor.label(name)
            for path, value in _expected(inner, child_within).items():
                out[(name, *path)] = value
    return out


def _actual(fields: list[dict[str, Any]]) -> dict[tuple, tuple[bool, str]]:
    out: dict[tuple, tuple[bool, str]] = {}
    for f in fields:
        if f["name"] == "body":
            continue
        out[(f["name"],)] = (f["required"], f.get("hint", ""))
        for path, value in _actual(f.get("fields", [])).items():
            out[(f["name"], *path)] = value
    return out


@pytest.mark.parametrize("kind, name", [("release", "releases"), ("programme", "programmes"), ("resource", "resources")])
def test_every_schema_field_is_in_the_editor_with_its_required_mark_and_hint(kind: str, name: str) -> None:
    config = editor.config(PROJECT)
    collections = {c["name"]: c for c in config["collections"]}
    content = schema.load_schema(str(PROJECT / "data" / "schemas"), kind)
    assert _actual(collections[name]["fields"]) == _expected(content)
    assert collections[name]["folder"] == f"docs/en/{editor.TYPES[kind]['folder']}"
    # Each translation collection has the translatable fields and the translation block.
    for lang in ("fr", "es", "ar", "ru", "zh"):
        translated = collections[f"{name}-{lang}"]
        assert translated["folder"] == f"docs/{lang}/{editor.TYPES[kind]['folder']}"
        assert _actual(translated["fields"]) == _expected(translation_schema(str(PROJECT / "data" / "schemas"), kind))


def test_choices_are_the_registries_and_patterns_the_checks_words() -> None:
    config = editor.config(PROJECT)
    releases = _fields(next(c for c in config["collections"] if c["name"] == "releases"))
    programmes = sorted(p.stem for p in (PROJECT / "docs" / "en" / "programmes").glob("*.md"))
    organisations = list(yaml.safe_load((PROJECT / "data" / "organisations.yml").read_text("utf-8")))
    assert [o["value"] for o in releases["programmes"]["options"]] == programmes
    for name in ("publishers", "partners", "funders"):
        assert [o["value"] for o in releases[name]["options"]] == organisations
    assert releases["date"]["pattern"] == [schema.RULES["x-datetime"].pattern, schema.RULES["x-datetime"].message]
    contacts = _fields(releases["contacts"])
    assert contacts["email"]["pattern"] == [schema.RULES["x-email"].pattern, schema.RULES["x-email"].message]
    assert contacts["phone"]["pattern"][1] == schema.pattern_message("a phone number such as +1 212 963 1234")
    assert releases["id"]["widget"] == "uuid"
    # The registry itself is edited by hand: the editor would drop its comments.
    assert all("folder" in c and "files" not in c for c in config["collections"])


def test_the_admin_page_has_its_own_content_security_policy(sites: Any) -> None:
    _need_editor()
    page = BeautifulSoup((sites.project().site / "admin" / "index.html").read_text("utf-8"), "html.parser")
    # First in <head>: a <meta> policy governs only what comes after it.
    first = page.head.find(True)
    assert (first.name, first.get("http-equiv")) == ("meta", "Content-Security-Policy")
    policy = first["content"]
    directives = dict((part.split(" ", 1) + [""])[:2] for part in (d.strip() for d in policy.split(";")))
    assert directives["default-src"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"], "no inline script may run on the admin page"
    assert [s["src"] for s in page.find_all("script")] == ["decap-cms.js", "newsroom-editor.js"]
    assert not any(s.string for s in page.find_all("script"))


# -- An author's walk, in Chromium --------------------------------------------


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[dict[str, Any]]:
    _need_editor()
    tmp = tmp_path_factory.mktemp("editor")
    repo = tmp / "repo"
    repo.mkdir()
    backend_port = editor_tour.free_port()
    editor_tour.prepare(PROJECT, repo, backend_port)
    image = editor_tour.placeholder_png(tmp / "launch.png")
    with editor_tour.running(repo, backend_port) as session, editor_tour.browser_page(session, browser) as page:
        # What the admin page's Content-Security-Policy refused, as Chromium reports it.
        refused: list[str] = []
        page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text or message.text.startswith("Refused to") else None)
        page.on("pageerror", lambda error: refused.append(str(error)) if "Content Security Policy" in str(error) else None)
        editor_tour.sign_in(page, session, lambda name: None)
        editor_tour.write_release(page, session, image, lambda name: None)
        editor_tour.save(page)
        page.get_by_text("Entry saved").first.wait_for()
        wrong_date = editor_tour.field_error(page, session, "Date", "22/11/2024")
        yield {"repo": repo, "session": session, "wrong_date": wrong_date, "refused": refused}


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", LC_ALL="C.UTF-8", LANG="C.UTF-8")
    return subprocess.run([sys.executable, "-m", "newsroom.cli", *args], cwd=repo, env=env, capture_output=True, text=True)


def test_nothing_the_editor_loads_leaves_the_machine(walk: dict[str, Any]) -> None:
    session = walk["session"]
    assert any(url.endswith("/admin/decap-cms.js") for url in session.requests), "the editor was not loaded from the site"
    assert any(url.startswith(f"http://127.0.0.1:{session.backend_port}/api/v1") for url in session.requests), "the editor did not use the local backend"
    assert session.outside() == []


def test_the_policy_refuses_nothing_the_editor_needs(walk: dict[str, Any]) -> None:
    assert walk["refused"] == []


def test_without_its_files_the_build_has_no_editor(tmp_path: Path) -> None:
    """`make serve` and a build on a machine without npm ci: no /admin/, no failure."""
    (tmp_path / "data").symlink_to(PROJECT / "data")
    site = tmp_path / "site"
    site.mkdir()
    assert editor.install(tmp_path, site) is False
    assert list(site.iterdir()) == []


def test_a_release_written_in_the_editor_is_a_branch_valid_and_built(walk: dict[str, Any], tmp_path: Path) -> None:
    repo = walk["repo"]
    path = f"docs/en/news/2024/{editor_tour.SLUG}.md"
    branch = f"cms/releases/2024/{editor_tour.SLUG}"
    assert branch in editor_tour.git(repo, "branch", "--format=%(refname:short)").split()
    assert path not in editor_tour.git(repo, "ls-tree", "-r", "--name-only", "main").split(), "the release must wait on its branch (a pull request on GitHub), not land on main"
    assert sorted(editor_tour.git(repo, "diff", "--name-only", f"main...{branch}").split()) == sorted([path, "docs/en/news/2024/images/launch.png"])
    pr = editor_tour.check_out(PROJECT, repo, branch, tmp_path / "pull-request")
    text = (pr / path).read_text("utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert front["title"] == editor_tour.RELEASE["title"]
    assert str(front["date"]) == editor_tour.RELEASE["date"]
    assert front["programmes"] == ["ai-pol"] and front["publishers"] == ["unicri"]
    assert front["image"] == {"src": "images/launch.png", "alt": editor_tour.RELEASE["alt"]}
    id_pattern = schema.load_schema(str(PROJECT / "data" / "schemas"), "release")["properties"]["id"]["pattern"]
    assert re.match(id_pattern, front["id"]), "the editor gives the release a permanent id"
    assert set(front) == {"id", "title", "date", "location", "summary", "programmes", "publishers", "image"}, "empty optional fields are left out"
    assert (pr / "docs/en/news/2024/images/launch.png").read_bytes().startswith(b"\x89PNG")
    checked = _run(pr, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = _run(pr, "build", "--site-dir", "built", "--site-url", "https://newsroom.test/")
    assert built.returncode == 0, built.stdout + built.stderr
    page = BeautifulSoup((pr / "built" / "en" / "news" / "2024" / editor_tour.SLUG / "index.html").read_text("utf-8"), "html.parser")
    assert page.select_one(".nr-release h1").get_text(strip=True) == editor_tour.RELEASE["title"]
    assert page.select_one(".nr-figure img")["alt"] == editor_tour.RELEASE["alt"]
    assert (pr / "built" / "en" / "news" / "2024" / "images" / "launch.png").is_file()
    assert editor_tour.RELEASE["body"] in page.select_one(".nr-body").get_text()


def test_a_wrong_answer_reads_as_the_check_says_it(walk: dict[str, Any], tmp_path: Path) -> None:
    rule = schema.RULES["x-datetime"]
    assert walk["wrong_date"] == f"Date: what you wrote {rule.message}"
    # The check, on the same answer in a file of a copy of main.
    copy = editor_tour.check_out(PROJECT, walk["repo"], "main", tmp_path / "main")
    path = copy / "docs/en/news/2024/from-emerging-tech-to-responsible-ai.md"
    path.write_text(path.read_text("utf-8").replace('date: "2024-11-22"', 'date: "22/11/2024"'), "utf-8")
    checked = _run(copy, "check")
    assert f'line 4, date: "22/11/2024" {rule.message}' in checked.stderr
