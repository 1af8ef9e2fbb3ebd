"""The benchmark (newsroom/bench.py), small: its corpus, and every generated
release reaching the full build.

The script runs as a subprocess, as `make bench` runs it, with N=60 releases
in 2 languages and one full/baseline pair; the search-payload mode runs at
N=200 in Debian's Chromium. No test asserts a timing or a size target: the
machine is noisy and those numbers are read by people, in the script's report.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup

import sitebuild
from conftest import CHROMIUM
from newsroom import bench

N = 60  # more than data/site.yml feed_length (50): the feed cut-off is checked too
LANGUAGES = ["en", "fr"]


def run_bench(workdir: Path, *args: str) -> tuple[Path, str]:
    command = [sys.executable, "-m", "newsroom.bench", "--keep", "--workdir", str(workdir), *args]
    done = subprocess.run(command, cwd=sitebuild.PROJECT, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    (root,) = workdir.iterdir()
    return root, done.stdout


@pytest.fixture(scope="module")
def benchmark(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return run_bench(tmp_path_factory.mktemp("bench"), "--n", str(N), "--languages", str(len(LANGUAGES)), "--pairs", "1")


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text("utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, f"{path} has no front-matter"
    return yaml.safe_load(match.group(1))


def releases(root: Path, lang: str) -> dict[str, dict[str, Any]]:
    """src_uri -> front-matter of every generated release in one language."""
    folder = root / "docs" / lang
    return {p.relative_to(folder).as_posix(): front_matter(p) for p in sorted((folder / "news").glob("*/*.md"))}


def test_prints_the_ratio_line(benchmark: tuple[Path, str]) -> None:
    _, output = benchmark
    assert re.search(r"^ratio full/baseline \(median of 1 pair\(s\)\): wall \d+\.\d+x, CPU \d+\.\d+x, ms/page \d+\.\d+x, largest process \d+\.\d+x, output size \d+\.\d+x$", output, re.MULTILINE), output
    assert re.search(r"^memory target \(≤ 2048 MB per process\): (met|NOT MET), largest process \d+ MB$", output, re.MULTILINE), output
    assert re.search(rf"^{N} x {len(LANGUAGES)}: wall \d+\.\d+x, CPU \d+\.\d+x: target (met|NOT MET)$", output, re.MULTILINE), output
    for kind in ("full", "baseline"):
        # run, wall s, CPU s (of the whole process tree), ms/page, pages
        row = re.search(rf"^{kind} #1 +(\d+\.\d) +(\d+\.\d) +\d+\.\d +(\d+) ", output, re.MULTILINE)
        assert row, output
        assert float(row.group(2)) > 0 and int(row.group(3)) > N, output


def test_corpus_has_n_releases_in_each_language_with_the_project_front_matter(benchmark: tuple[Path, str]) -> None:
    root, _ = benchmark
    english = releases(root, "en")
    assert len(english) == N
    organisations = set(yaml.safe_load((root / "data" / "organisations.yml").read_text("utf-8")))
    programmes = {p.stem for p in (root / "docs" / "en" / "programmes").glob("*.md")}
    assert len(programmes) == 8
    ids = [fm["id"] for fm in english.values()]
    assert len(set(ids)) == N
    years = set()
    for uri, fm in english.items():
        assert {"id", "title", "date", "location", "summary", "programmes", "publishers"} <= set(fm), uri
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", fm["id"])
        assert set(fm["programmes"]) <= programmes and set(fm["publishers"]) <= organisations
        date = datetime.strptime(fm["date"], "%Y-%m-%d %H:%M")
        assert uri.split("/")[1] == str(date.year)
        years.add(date.year)
        body = (root / "docs" / "en" / uri).read_text("utf-8").split("\n---\n", 1)[1]
        assert 450 <= len(body.split()) <= 800, (uri, len(body.split()))
        assert re.search(r"^## \S", body, re.MULTILINE)
        assert re.search(r"\]\(\.\./\.\./programmes/[a-z-]+\.md\)", body)
        assert "”, said " in body
    assert len(years) >= 5, "dates spread over ten years"
    french = releases(root, "fr")
    assert set(french) == set(english), "every release has a translation"
    for uri, fm in french.items():
        # A lead image's alt text is translated with the page.
        assert set(fm) == {"title", "location", "summary", "translation"} | ({"image"} if "image" in english[uri] else set()), uri
        if "image" in english[uri]:
            assert set(fm["image"]) == {"alt"} and fm["image"]["alt"] != english[uri]["image"]["alt"]
        assert fm["translation"]["status"] == "unofficial"


def test_corpus_is_deterministic_and_grows_by_prefix(tmp_path: Path) -> None:
    written = {}
    for name, n in (("a", 5), ("b", 5), ("c", 8)):
        root = tmp_path / name
        root.mkdir()
        langs = bench.assemble(root, 2)
        bench.generate(root, n, langs, seed=7)
        written[name] = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "docs").rglob("*.md"))}
    assert written["a"] == written["b"]
    assert set(written["a"]) < set(written["c"])
    assert all(written["c"][uri] == content for uri, content in written["a"].items())


def test_every_generated_release_is_in_the_full_build(benchmark: tuple[Path, str]) -> None:
    root, _ = benchmark
    feed_length = int(yaml.safe_load((root / "data" / "site.yml").read_text("utf-8"))["feed_length"])
    english = releases(root, "en")
    newest_first = sorted(english, key=lambda uri: (english[uri]["date"], english[uri]["id"]), reverse=True)
    in_feed = set(newest_first[:feed_length])
    for lang in LANGUAGES:
        site = root / "site" / lang
        feed = feedparser.parse((site / "feed_rss_created.xml").read_bytes())
        assert not feed.bozo, feed.bozo_exception
        guids = {entry.id for entry in feed.entries}
        titles = releases(root, lang)
        programme_pages = {slug: (site / "programmes" / slug / "index.html").read_text("utf-8") for slug in {s for fm in english.values() for s in fm["programmes"]}}
        for uri, fm in english.items():
            page = site / uri[:-3] / "index.html"
            assert page.is_file(), f"{lang}: no page for {uri}"
            assert BeautifulSoup(page.read_text("utf-8"), "html.parser").h1.get_text(strip=True) == titles[uri]["title"]
            # One GUID per release and language: English urn:uuid:<id>, others uuid5(id, language).
            guid = f"urn:uuid:{fm['id']}" if lang == "en" else f"urn:uuid:{uuid.uuid5(uuid.UUID(fm['id']), lang)}"
            assert (guid in guids) == (uri in in_feed), f"{lang} feed and {uri}"
            for slug in fm["programmes"]:
                assert f'data-release-id="{fm["id"]}"' in programme_pages[slug], f"{lang}: {uri} not listed on programmes/{slug}/"


def test_search_payload_is_measured_in_chromium(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"The search-payload benchmark needs Debian's Chromium at {CHROMIUM} (`make test` installs it). Never run `playwright install`.", pytrace=False)
    _, output = run_bench(tmp_path, "--search-payload", "--n", "60")
    assert len(re.findall(r"^  browser: .*: [1-9]\d* results shown", output, re.MULTILINE)) == 2, output
    for kind in ("pagefind.js", "wasm", "index chunk", "fragment"):
        assert re.search(rf"^  {re.escape(kind)} +[1-9]\d* +\d", output, re.MULTILINE), f"{kind} not fetched:\n{output}"
    assert re.search(r"^search payload: pagefind first query \d+\.\d KB over the wire \(\d+\.\d KB raw\); lunr \d+\.\d KB gzip", output, re.MULTILINE), output
    assert re.search(r"^ratio lunr/pagefind: \d+\.\dx over the wire", output, re.MULTILINE), output


def test_page_view_lists_what_each_first_view_fetches(tmp_path: Path) -> None:
    """--page-view at two small sizes, every language: each view's requests
    and resources, the table and both target lines (their verdicts are for
    people: no size is asserted here)."""
    if not CHROMIUM.exists():
        pytest.fail(f"The page-view benchmark needs Debian's Chromium at {CHROMIUM} (.ci/run installs it). Never run `playwright install`.", pytrace=False)
    root, output = run_bench(tmp_path, "--page-view", "--sizes", "8,16")
    for n in (8, 16):
        assert (root / f"n{n}" / "site" / "zh" / "index.html").is_file(), "every language is built"
        views = re.findall(rf"^N={n}, (release|home|programme) /(\S+): (\d+) requests, \d+\.\d KB$", output, re.MULTILINE)
        assert [name for name, _, _ in views] == ["release", "home", "programme"], output
        for name, path, count in views:
            listing = output.split(f"N={n}, {name} /{path}:", 1)[1].split("\n\n", 1)[0]
            fetched = re.findall(r"^  (\d{3}) +\d+\.\d KB  (\S+)$", listing, re.MULTILINE)
            assert len(fetched) == int(count) and (("200", f"/{path}") in fetched), listing
            assert all(status == "200" for status, _ in fetched), listing
            assert any("/assets/javascripts/bundle." in address for _, address in fetched), "Material's bundle ran"
            assert not any("sitemap-pages" in address for _, address in fetched), listing
    assert re.search(r"^ +8 +\d+ +\d+\.\d +\d+ +\d+\.\d +\d+ +\d+\.\d$", output, re.MULTILINE), output
    assert re.search(r"^target: a first view of a release at most 400 KB: (met|NOT MET) \(largest \d+\.\d KB\)$", output, re.MULTILINE), output
    assert re.search(r"^target: the same within 5% at N=8, 16: (met|NOT MET) \([+-]\d+\.\d%\)$", output, re.MULTILINE), output
def test_profile_compares_the_cpu_time_of_both_pipelines_by_area(tmp_path: Path) -> None:
    _, output = run_bench(tmp_path, "--profile", "--n", "20", "--top", "5")
    for kind in ("full", "baseline"):
        assert re.search(rf"^\[profile\] {kind}: \d+\.\d s wall, \d+\.\d s CPU of the process tree", output, re.MULTILINE), output
    assert re.search(r"^  area +full s +baseline s +beyond s$", output, re.MULTILINE), output
    # Our templates run only in the full build; Markdown in both.
    ours = re.search(r"^  ours: overrides/ templates +(\d+\.\d\d) +(\d+\.\d\d) +[+-]\d+\.\d\d$", output, re.MULTILINE)
    markdown = re.search(r"^  Markdown +(\d+\.\d\d) +(\d+\.\d\d) +[+-]\d+\.\d\d$", output, re.MULTILINE)
    assert ours and markdown, output
    assert float(ours.group(2)) == 0.0 and float(markdown.group(2)) > 0.0, output
    assert "Our code (hooks/, newsroom/), by cumulative time:" in output
