"""The web editor at /admin/: Decap CMS, configured from the schemas.

Comms staff edit the Markdown files in a browser and each change is saved as a
branch and a pull request (Decap's editorial workflow), which the usual checks
judge. Nothing about the content model is written twice: the collections and
every field's label, hint, required mark, choices and pattern come from
data/schemas/*.json, data/organisations.yml and docs/en/programmes/, and the
pattern messages are newsroom.schema's own words (schema.RULES).

- `config(root)` is the Decap configuration, and `config_text(root)` the
  admin/config.yml the site serves;
- `install(root, site_dir)` puts the editor at site_dir/admin/ when its files
  are installed (`npm ci`: node_modules/decap-cms), called by `newsroom.cli
  build` once the languages are built;
- `python -m newsroom.editor serve` (`make editor`) serves site/ on
  127.0.0.1:8000 with Decap's local backend (decap-server from node_modules)
  on the working copy.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader

from newsroom import schema
from newsroom.translations import SOURCE_LANG, declared_languages, translation_schema

DIST = Path("node_modules") / "decap-cms" / "dist"
SERVER = Path("node_modules") / "decap-server" / "dist" / "index.js"
# Where decap-server listens for `make editor` and the tests: loopback only.
DEFAULT_PORT = 8081
# The content types the editor edits, where each lives, and how a new file is named.
TYPES: dict[str, dict[str, Any]] = {
    "release": {
        "name": "releases",
        "label": "Press releases",
        "label_singular": "Press release",
        "folder": "news",
        # The year folder is the year written in the date, as the check wants
        # it: its first four characters ("2024..." loses its dots when Decap
        # makes it a folder name). {{year}} would be the year in UTC of the
        # date read in the browser's timezone, a year early on 1 January east
        # of Greenwich; and Decap lowercases a path, so date('YYYY') cannot be said.
        "path": "{{date | truncate(4)}}/{{slug}}",
        "identifier_field": "title",
        "summary": "{{fields.date}} · {{title}}",
        "media": True,
    },
    "programme": {
        "name": "programmes",
        "label": "Programmes",
        "label_singular": "Programme page",
        "folder": "programmes",
        # Releases name a programme by its file name: the short name makes a short one.
        "identifier_field": "short_name",
        "summary": "{{short_name}} · {{title}}",
    },
    "resource": {
        "name": "resources",
        "label": "Resources",
        "label_singular": "Resource",
        "folder": "resources",
        "identifier_field": "title",
        "summary": "{{title}}",
    },
}
BODY_HINT = {
    "release": "The text of the release, in Markdown: an empty line between paragraphs, ## for a heading, *italics*, **bold**, [a link](https://example.org).",
    "programme": "The text of the programme page, in Markdown.",
    "resource": "The description of the publication, in Markdown.",
}
# Values the editor makes itself, so an author never types them.
GENERATED_WIDGETS = {("release", "id"): "uuid"}
# A text field this long or longer gets a box of several lines.
_LONG_TEXT = 600
# The editor's own words around a pattern message: "Email: what you wrote is
# not an e-mail address. ..." reads as the check's '"x" is not an e-mail address. ...'.
PATTERN_PHRASE = "%{fieldLabel}: what you wrote %{pattern}"
# The UI strings (data/strings/en.yml) the release preview shows.
PREVIEW_STRINGS = ("attachments", "contacts", "dateline_separator", "funders", "image_credit", "image_licence", "issued_by", "partners", "programmes", "search_type_release", "tags", "updated")


def settings(root: Path) -> dict[str, Any]:
    site = yaml.safe_load((root / "data" / "site.yml").read_text("utf-8")) or {}
    editor = site.get("editor") or {}
    return {
        "repo": editor.get("repo") or os.environ.get("GITHUB_REPOSITORY") or "OWNER/REPOSITORY",
        "branch": editor.get("branch") or "main",
        "auth_url": editor.get("auth_url") or "",
        "auth_endpoint": editor.get("auth_endpoint") or "auth",
    }


def port() -> int:
    """decap-server's port: NEWSROOM_EDITOR_PORT, or 8081 as Decap expects."""
    return int(os.environ.get("NEWSROOM_EDITOR_PORT") or DEFAULT_PORT)


def local_backend_url() -> str:
    return f"http://127.0.0.1:{port()}/api/v1"


# -- Choices from the registries ----------------------------------------------


def _front_matter(path: Path) -> dict[str, Any]:
    """The fields of a content file that the build has already checked."""
    text = path.read_text("utf-8")
    parts = text.split("\n---", 1) if text.startswith("---") else []
    if not parts:
        return {}
    return yaml.safe_load(parts[0][3:]) or {}


def programme_options(root: Path) -> list[dict[str, str]]:
    options = []
    for path in sorted((root / "docs" / SOURCE_LANG / "programmes").glob("*.md")):
        if path.stem == "index":
            continue
        short = str(_front_matter(path).get("short_name") or path.stem)
        options.append({"label": f"{short} ({path.stem})", "value": path.stem})
    return options


def organisation_options(root: Path) -> list[dict[str, str]]:
    registry = yaml.safe_load((root / "data" / "organisations.yml").read_text("utf-8")) or {}
    return [{"label": f"{entry.get('acronym', slug)} – {entry.get('name', '')} ({slug})", "value": slug} for slug, entry in registry.items()]


# -- Fields from the schemas -------------------------------------------------------


def label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def hint(spec: dict[str, Any]) -> str:
    """The schema's description, or the example it gives when it has none."""
    text = spec.get("description") or spec.get("x-hint") or ""
    return text[:1].upper() + text[1:]


class _Fields:
    def __init__(self, root: Path, kind: str) -> None:
        self.kind = kind
        self.choices = {"x-programme": programme_options(root), "x-organisation": organisation_options(root)}

    def object_fields(self, spec: dict[str, Any], top: bool = False, within: str = "") -> list[dict[str, Any]]:
        """The fields of an object; `within` names an optional object they belong to.

        Decap requires a required field even when the optional object around
        it is left empty, which would make the object compulsory: there, the
        field is optional in the editor and its hint says when it is needed
        (the check still refuses an image without its alt text).
        """
        required = set(spec.get("required", []))
        fields = []
        for name, sub in spec.get("properties", {}).items():
            field = self.field(name, sub, name in required and not within, top)
            if name in required and within:
                before = field.get("hint", "")
                field["hint"] = (before + ("" if not before or before.endswith(".") else ".") + f" Needed when {within} is filled in.").strip()
            fields.append(field)
        return fields

    def field(self, name: str, spec: dict[str, Any], required: bool, top: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"name": name, "label": label(name), "required": required}
        if hint(spec):
            out["hint"] = hint(spec)
        generated = GENERATED_WIDGETS.get((self.kind, name)) if top else None
        kind = spec.get("type")
        if generated:
            out["widget"] = generated
        elif kind == "object":
            out.update(widget="object", collapsed=False, fields=self.object_fields(spec, within="" if required else label(name)))
        elif kind == "array":
            out.update(self._list(name, spec))
        elif kind == "boolean":
            out.update(widget="boolean")
        else:
            out.update(self._text(spec))
        return out

    def _list(self, name: str, spec: dict[str, Any]) -> dict[str, Any]:
        items = spec.get("items", {})
        fmt = items.get("format")
        if fmt in self.choices:
            out: dict[str, Any] = {"widget": "select", "multiple": True, "options": self.choices[fmt]}
            if spec.get("minItems"):
                out["min"] = spec["minItems"]
            return out
        if items.get("type") == "object":
            return {"widget": "list", "collapsed": False, "fields": self.object_fields(items)}
        one = {"name": name.rstrip("s") or name, "label": label(name.rstrip("s") or name), **self._text(items)}
        if items.get("x-hint"):
            one["hint"] = hint(items)
        return {"widget": "list", "field": one}

    def _text(self, spec: dict[str, Any]) -> dict[str, Any]:
        fmt = spec.get("format")
        if "enum" in spec:
            return {"widget": "select", "options": list(spec["enum"])}
        if fmt in self.choices:
            return {"widget": "select", "options": self.choices[fmt]}
        if fmt == "x-local-image":
            return {"widget": "image", "choose_url": False}
        if fmt == "x-local-document":
            return {"widget": "file", "choose_url": False}
        out: dict[str, Any] = {"widget": "text" if spec.get("maxLength", 0) >= _LONG_TEXT else "string"}
        if fmt in schema.RULES:
            rule = schema.RULES[fmt]
            out["pattern"] = [rule.pattern, rule.message]
        elif "pattern" in spec:
            out["pattern"] = [spec["pattern"], schema.pattern_message(spec.get("x-hint", "a value"))]
        return out


# -- Collections ----------------------------------------------------------------


def _collection(root: Path, kind: str, lang: str, language_name: str) -> dict[str, Any]:
    spec = TYPES[kind]
    english = lang == SOURCE_LANG
    content_schema = schema.load_schema(str(root / "data" / "schemas"), kind) if english else translation_schema(str(root / "data" / "schemas"), kind)
    fields = _Fields(root, kind).object_fields(content_schema, top=True)
    fields.append({"name": "body", "label": "Text", "widget": "markdown", "modes": ["raw"], "required": True, "hint": BODY_HINT[kind]})
    collection: dict[str, Any] = {
        "name": spec["name"] if english else f"{spec['name']}-{lang}",
        "label": spec["label"] if english else f"{spec['label']} in {language_name}",
        "label_singular": spec["label_singular"] if english else f"{spec['label_singular']} in {language_name}",
        "description": content_schema.get("description") or f"Translations into {language_name} of the English pages: only the fields that are text, and the body. Start a new one with `make new ARGS='translation <English file> --lang {lang}'`.",
        "folder": f"docs/{lang}/{spec['folder']}",
        "extension": "md",
        "format": "frontmatter",
        "create": english,
        "delete": False,
        "identifier_field": spec["identifier_field"] if english else "title",
        "slug": "{{slug}}",
        "summary": spec["summary"] if english else "{{title}}",
        "fields": fields,
    }
    if "path" in spec:
        # Depth of the folders: a translation keeps the English file's path.
        collection["path"] = spec["path"] if english else "{{year}}/{{slug}}"
    if spec.get("media"):
        # Relative to the page: docs/en/news/2024/images/, written as images/<file>.
        collection.update(media_folder="images", public_folder="images")
    return collection


def config(root: Path) -> dict[str, Any]:
    """The Decap CMS configuration, from the schemas and the registries."""
    chosen = settings(root)
    backend: dict[str, Any] = {
        "name": "github",
        "repo": chosen["repo"],
        "branch": chosen["branch"],
        "squash_merges": True,
        "commit_messages": {
            "create": "Add {{collection}} “{{slug}}” (web editor)",
            "update": "Update {{collection}} “{{slug}}” (web editor)",
            "delete": "Delete {{collection}} “{{slug}}” (web editor)",
            "uploadMedia": "Upload “{{path}}” (web editor)",
            "deleteMedia": "Delete “{{path}}” (web editor)",
        },
    }
    if chosen["auth_url"]:
        backend.update(base_url=chosen["auth_url"], auth_endpoint=chosen["auth_endpoint"])
    languages = declared_languages(root)
    # The organisations registry is not a collection: Decap rewrites a data
    # file from its values, and would drop the documentation at the top of
    # data/organisations.yml and the blank lines between entries (a field's
    # `comment` is ignored in a file collection in Decap 3.x). It is changed
    # by a pull request on the file; here it gives the choices.
    collections = [_collection(root, kind, SOURCE_LANG, "English") for kind in TYPES]
    for entry in languages:
        if entry["code"] != SOURCE_LANG:
            collections += [_collection(root, kind, entry["code"], entry["name"]) for kind in TYPES]
    return {
        "backend": backend,
        # On 127.0.0.1 or localhost only, Decap asks decap-server first (`make editor`).
        "local_backend": {"url": local_backend_url()},
        "publish_mode": "editorial_workflow",
        # Shared uploads; a release keeps its images beside it (media_folder above).
        "media_folder": "docs/en/images",
        "public_folder": "images",
        "locale": "newsroom",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "editor": {"preview": True},
        "collections": collections,
    }


def config_text(root: Path) -> str:
    header = "# Generated by newsroom/editor.py from data/schemas/*.json, data/organisations.yml,\n# docs/en/programmes/ and data/site.yml (editor:). Do not edit: change those.\n"
    return header + yaml.dump(config(root), Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=1000)


class _PlainDumper(yaml.SafeDumper):
    """Writes a repeated list (the organisations) in full, without YAML anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


# -- The admin page ------------------------------------------------------------------


def installed(root: Path) -> bool:
    return (root / DIST / "decap-cms.js").is_file()


def content_security_policy() -> str:
    """As strict as Decap allows; each allowance is explained in the README."""
    local = f"http://127.0.0.1:{port()} http://localhost:{port()}"
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' blob: data: https://avatars.githubusercontent.com",
            "font-src 'self'",
            f"connect-src 'self' blob: data: https://api.github.com {local}",
            "frame-src 'self' blob:",
            "child-src 'self' blob:",
            "worker-src 'self' blob:",
            "media-src 'self' blob:",
            "manifest-src 'self'",
            "base-uri 'self'",
            "form-action 'none'",
            "object-src 'none'",
        ]
    )


def install(root: Path, site_dir: Path) -> bool:
    """Write site_dir/admin/ if Decap is installed; False (nothing written) if not."""
    if not installed(root):
        return False
    admin = site_dir / "admin"
    if admin.exists():
        shutil.rmtree(admin)
    admin.mkdir(parents=True)
    dist = root / DIST
    for path in sorted(dist.iterdir()):
        if path.name.endswith("decap-cms.js") or path.suffix == ".wasm" or path.name == "decap-cms.js.LICENSE.txt":
            shutil.copy2(path, admin / path.name)
    here = Path(__file__).parent / "templates" / "admin"
    for name in ("newsroom-editor.js", "newsroom-editor.css"):
        shutil.copy2(here / name, admin / name)
    (admin / "config.yml").write_text(config_text(root), "utf-8")
    styles = _site_styles(site_dir)
    env = Environment(loader=FileSystemLoader(here), autoescape=True)
    html = env.get_template("index.html").render(csp=content_security_policy(), styles=" ".join(styles), strings=json.dumps(_preview_data(root), ensure_ascii=False), pattern_phrase=PATTERN_PHRASE)
    (admin / "index.html").write_text(html, "utf-8")
    return True


def _preview_data(root: Path) -> dict[str, Any]:
    """What the release preview names: the English UI strings, organisations and programmes."""
    strings = yaml.safe_load((root / "data" / "strings" / f"{SOURCE_LANG}.yml").read_text("utf-8")) or {}
    registry = yaml.safe_load((root / "data" / "organisations.yml").read_text("utf-8")) or {}
    return {
        "strings": {key: strings[key] for key in PREVIEW_STRINGS if key in strings},
        "organisations": {slug: {"acronym": entry.get("acronym", slug), "name": entry.get("name", "")} for slug, entry in registry.items()},
        "programmes": {option["value"]: option["label"].rsplit(" (", 1)[0] for option in programme_options(root)},
    }


def _site_styles(site_dir: Path) -> list[str]:
    """The built site's stylesheets, as the admin page reaches them: ../en/assets/..."""
    folder = site_dir / SOURCE_LANG / "assets" / "stylesheets"
    names = sorted(p.name for p in folder.glob("main.*.min.css")) + sorted(p.name for p in folder.glob("palette.*.min.css"))
    names += ["newsroom.css"] if (folder / "newsroom.css").exists() else []
    return [f"../{SOURCE_LANG}/assets/stylesheets/{name}" for name in names]


# -- make editor ----------------------------------------------------------------------


def serve(root: Path, site_dir: Path, mode: str, http_port: int) -> int:
    """decap-server on the working copy, and site/ on 127.0.0.1:<http_port>."""
    if not installed(root) or not (root / SERVER).is_file():
        print("The web editor is not installed: run `npm ci` (make test does), then `make editor` again.", file=sys.stderr)
        return 1
    if not (site_dir / "admin" / "index.html").is_file():
        print(f"There is no {site_dir}/admin/: run `make build` with the editor installed.", file=sys.stderr)
        return 1
    if mode == "git":
        # decap-server commits with `git add .` on branches of this working
        # copy: it must hold nothing else, or that would go into the commits.
        status = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True)
        if status.returncode != 0 or status.stdout.strip():
            print(
                "make editor saves each change as a branch of this working copy, and would take uncommitted changes into it."
                " Commit or stash them first (git status lists them), or run `make editor MODE=fs` to write files straight into the working copy.",
                file=sys.stderr,
            )
            return 1
    env = dict(os.environ, MODE=mode, PORT=str(port()), BIND_HOST="127.0.0.1", GIT_REPO_DIRECTORY=str(root), LOG_LEVEL="warn")
    server = subprocess.Popen(["node", str(root / SERVER)], env=env)
    # Stopped like Ctrl-C (kill, a closed terminal), decap-server stops too.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGHUP, signal.default_int_handler)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", http_port), handler)
    print(f"The editor: http://127.0.0.1:{http_port}/admin/ (changes go to {root}, {'a branch per entry' if mode == 'git' else 'straight into the files'}); the site: http://127.0.0.1:{http_port}/en/. Ctrl-C stops both.", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsroom.editor")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="the editor on the working copy (make editor)")
    s.add_argument("--site-dir", type=Path, default=Path("site"))
    s.add_argument("--mode", choices=("git", "fs"), default="git")
    s.add_argument("--port", type=int, default=8000)
    sub.add_parser("config", help="print admin/config.yml")
    args = parser.parse_args(argv)
    root = Path.cwd()
    if args.command == "config":
        sys.stdout.write(config_text(root))
        return 0
    return serve(root, args.site_dir, args.mode, args.port)


if __name__ == "__main__":
    sys.exit(main())
