"""Command-line tools behind the Makefile: `python -m newsroom.cli build`.

`build` runs one MkDocs build per language, each into site/<lang>/, in a few
worker processes at once, and prints per-language progress and timings.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path

import yaml

ROOT = Path.cwd()


def cores() -> int:
    """The cores this process may use: how many languages build at once."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def languages(root: Path = ROOT) -> list[dict]:
    return yaml.safe_load((root / "data" / "languages.yml").read_text("utf-8"))


def language_env(code: str, site_dir: Path, site_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        NEWSROOM_LANG=code,
        NEWSROOM_DOCS_DIR=str(Path("docs") / code),
        NEWSROOM_SITE_DIR=str(site_dir / code),
        NEWSROOM_SITE_URL=f"{site_url.rstrip('/')}/{code}/",
        NO_MKDOCS_2_WARNING="1",
    )
    return env


def build(site_dir: Path, site_url: str, jobs: int) -> int:
    codes = [entry["code"] for entry in languages()]
    if any(not (ROOT / "docs" / code).is_dir() for code in codes):
        # Said as `make check` says it; imported only then, so `build` starts at once.
        from newsroom.validation import missing_folders

        print("\n".join(problem.message for problem in missing_folders(ROOT, codes)), file=sys.stderr)
        return 1
    # Whole languages in parallel worker processes, the only parallelism:
    # nothing inside a build forks. Each worker takes the next language when
    # it is done with one, so it starts Python, MkDocs and the plugins once
    # for several languages (six languages on two cores: two workers).
    at_once = max(1, min(jobs, len(codes)))
    started = time.time()
    print(f"Building {len(codes)} language(s) into {site_dir}/: {', '.join(codes)} ({at_once} at a time)", flush=True)

    # Every language loads the English catalogue: the first leaves it here
    # for the others (newsroom/translations.py), for this run only.
    cache = tempfile.TemporaryDirectory(prefix="newsroom-catalogue-")
    failed = 0
    # spawn: a worker starts from a fresh interpreter, never a copy of this one.
    with cache, ProcessPoolExecutor(max_workers=at_once, mp_context=multiprocessing.get_context("spawn")) as pool:
        for code, status, seconds, output in pool.map(build_language, codes, repeat(site_dir), repeat(site_url), repeat(cache.name)):
            pages = sum(1 for _ in (site_dir / code).rglob("index.html")) if status == 0 else 0
            if status == 0:
                print(f"  [{code}] {pages} pages in {seconds:.1f} s", flush=True)
            else:
                failed += 1
                print(f"  [{code}] FAILED after {seconds:.1f} s:\n{output}", flush=True)
    if failed:
        return 1
    # Image sizes and share cards no language used in this build (an
    # image replaced, a title changed) leave the cache (hooks/images.py).
    from newsroom import images

    images.Cache(images.cache_folder(ROOT)).prune(started)
    write_root_index(site_dir, site_url)
    # GitHub Pages answers every missing address with the root's 404.html,
    # never a language's. The first language's is written for the site's
    # address with addresses from the root (MkDocs writes 404.html so), so
    # it works there as it is.
    shutil.copyfile(site_dir / codes[0] / "404.html", site_dir / "404.html")
    print(f"Wrote {site_dir}/index.html (language chooser), {site_dir}/404.html ({codes[0]}) and {site_dir}/robots.txt", flush=True)
    from newsroom import editor

    if editor.install(ROOT, site_dir):
        print(f"Wrote {site_dir}/admin/ (the web editor, Decap CMS from node_modules)", flush=True)
    return 0


def build_language(code: str, site_dir: Path, site_url: str, cache: str) -> tuple[str, int, float, str]:
    """One language's build in this worker: what `mkdocs build --quiet` does
    (load_config, the plugins' on_startup, build, on_shutdown), with this
    language's environment. Every hook starts its state afresh in each build,
    as in `mkdocs serve`; the tests compare this with one process a language.
    Returns (code, status, seconds, what MkDocs logged at WARNING or above)."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    started = time.monotonic()
    print(f"  [{code}] building...", flush=True)
    os.environ.update(language_env(code, site_dir, site_url))
    os.environ.setdefault("NEWSROOM_CATALOGUE_CACHE", cache)
    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.WARNING)  # as quiet as `mkdocs build --quiet`; strict mode still counts warnings
    logged: list[str] = []
    handler = _Collect(logged)
    logger.addHandler(handler)
    status = 0
    try:
        config = load_config(str(ROOT / "mkdocs.yml"))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build.build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as error:  # MkDocs' own ending: strict mode, a plugin's error (logged above), the configuration
        status = 1
        logged.append(error.format_message())
    except Exception as error:  # noqa: BLE001 - reported with the language, as the mkdocs command would
        status = 1
        logged.append("".join(traceback.format_exception(error)))
    finally:
        logger.removeHandler(handler)
    return code, status, time.monotonic() - started, "\n".join(logged)


class _Collect(logging.Handler):
    """MkDocs' log lines, in its own words and format ("WARNING -  ...")."""

    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(f"{record.levelname:<8}-  {record.getMessage()}")


def write_root_index(site_dir: Path, site_url: str) -> None:
    """The page at the site root, which sends each reader to a language, with
    its script and stylesheet (files, for the Content-Security-Policy)."""
    from jinja2 import Environment, FileSystemLoader

    config = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_IgnoreTags)
    langs = languages()
    templates = ROOT / "newsroom" / "templates"
    env = Environment(loader=FileSystemLoader(templates), autoescape=True)
    html = env.get_template("root-index.html").render(
        site_name=os.environ.get("NEWSROOM_SITE_NAME") or config["site_name"],
        # mkdocs.yml has no description: like the name, it is a UI string.
        description=yaml.safe_load((ROOT / "data" / "strings" / f"{langs[0]['code']}.yml").read_text("utf-8"))["site_description"],
        root_url=site_url.rstrip("/") + "/",
        languages=langs,
        default=langs[0]["code"],
        codes=" ".join(entry["code"] for entry in langs),
        content_security_policy=config["extra"]["content_security_policy"],
        referrer_policy=config["extra"]["referrer_policy"],
    )
    (site_dir / "index.html").write_text(html, "utf-8")
    for name in ("language-chooser.js", "language-chooser.css"):
        shutil.copyfile(templates / name, site_dir / name)
    robots = env.get_template("robots.txt").render(
        root_url=site_url.rstrip("/") + "/",
        languages=langs,
        preview=os.environ.get("NEWSROOM_PREVIEW", "").lower() in ("1", "true", "yes"),
    )
    (site_dir / "robots.txt").write_text(robots, "utf-8")


class _IgnoreTags(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving !ENV: the value's default is taken."""


def _env_default(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    value = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    return value[-1]


_IgnoreTags.add_constructor("!ENV", _env_default)
_IgnoreTags.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: None)


def translations(stamp: list[Path]) -> int:
    """Print each language's missing, stale and current pages; stamp files."""
    from newsroom.content import now_from_env
    from newsroom.problems import ContentError
    from newsroom.translations import SOURCE_LANG, all_records, load_language, stamp_file

    try:
        for path in stamp:
            print(f"Stamped {path}: translates the English text {stamp_file(ROOT, path)}")
        for entry in languages():
            code = entry["code"]
            if code == SOURCE_LANG:
                continue
            catalogue = load_language(ROOT, code, now_from_env())
            # not-started: a file that is still the English text, or marked draft.
            states: dict[str, list[str]] = {"missing": [], "not-started": [], "stale": [], "current": []}
            for record in all_records(catalogue):
                states[record.translation.state].append(f"docs/{code}/{record.src_uri}")
            print(f"{code} ({entry['name']}): " + ", ".join(f"{len(v)} {k.replace('-', ' ')}" for k, v in states.items()))
            for state in ("missing", "not-started", "stale"):
                for shown in sorted(states[state]):
                    print(f"  {state.replace('-', ' ')}: {shown}")
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsroom")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build every language into site/<lang>/")
    b.add_argument("--site-dir", type=Path, default=Path("site"))
    b.add_argument("--site-url", default=os.environ.get("NEWSROOM_BASE_URL", "http://127.0.0.1:8000/"))
    b.add_argument("--jobs", type=int, default=cores(), help="languages built at once (default: one per core)")
    t = sub.add_parser("translations", help="report missing, stale and current translations")
    t.add_argument("--stamp", nargs="*", type=Path, default=[], help="record that these translation files translate the current English text")
    n = sub.add_parser("new", help="start a release, programme page, resource or translation (asks, or takes options)")
    # The authoring tools load the whole content model: only when asked for,
    # so `build` starts at once.
    given = sys.argv[1:] if argv is None else argv
    if not given or given[0] in ("new", "-h", "--help"):
        from newsroom import scaffold

        scaffold.add_arguments(n)
    c = sub.add_parser("check", help="validate all content, links and UI strings without building, and the published addresses against a base")
    from newsroom import check

    check.add_arguments(c)
    args = parser.parse_args(argv)
    if args.command == "build":
        return build(args.site_dir, args.site_url, args.jobs)
    if args.command == "translations":
        return translations(args.stamp)
    if args.command == "new":
        from newsroom import scaffold

        return scaffold.run(ROOT, args)
    if args.command == "check":
        return check.main(ROOT, args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
