"""Command-line tools behind the Makefile: `python -m newsroom.cli build`.

`build` runs one MkDocs build per language in parallel processes, each into
site/<lang>/, and prints per-language progress and timings.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

ROOT = Path.cwd()


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
    print(f"Building {len(codes)} language(s) into {site_dir}/: {', '.join(codes)}", flush=True)

    def one(code: str) -> tuple[str, int, float, str]:
        started = time.monotonic()
        print(f"  [{code}] building...", flush=True)
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--quiet"],
            env=language_env(code, site_dir, site_url),
            capture_output=True,
            text=True,
        )
        return code, done.returncode, time.monotonic() - started, done.stdout + done.stderr

    failed = 0
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for code, status, seconds, output in pool.map(one, codes):
            pages = sum(1 for _ in (site_dir / code).rglob("index.html")) if status == 0 else 0
            if status == 0:
                print(f"  [{code}] {pages} pages in {seconds:.1f} s", flush=True)
            else:
                failed += 1
                print(f"  [{code}] FAILED after {seconds:.1f} s:\n{output}", flush=True)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsroom")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build every language into site/<lang>/")
    b.add_argument("--site-dir", type=Path, default=Path("site"))
    b.add_argument("--site-url", default=os.environ.get("NEWSROOM_BASE_URL", "http://127.0.0.1:8000/"))
    b.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)
    if args.command == "build":
        return build(args.site_dir, args.site_url, args.jobs)
    return 2


if __name__ == "__main__":
    sys.exit(main())
