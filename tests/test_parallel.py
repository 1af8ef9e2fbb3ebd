"""One language built in several processes (hooks/parallel.py) is the same site.

A generated corpus (newsroom.bench, 40 releases) is built by the real
`mkdocs build` serially and in two and three processes; every file must be
byte-identical, except Pagefind's filter and metadata files, whose internal
order changes from run to run (Pagefind #638: tests/test_nothing_lost.py), and
whose contents are compared through the index fragments instead.

A test hook (tests/fixtures/parallel/probe.py) misbehaves only outside the
parent process, to show that an error or a warning there is not lost: the
error stops the build and names the page; a warning is logged by the parent,
so `strict: true` stops the build too.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sitebuild
from newsroom import bench

N = 40
PROBE = Path(__file__).parent / "fixtures" / "parallel" / "probe.py"
NONDETERMINISTIC = re.compile(r"^pagefind/(filter/.*|pagefind\.[^/]*\.pf_meta|pagefind-entry\.json)$")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("parallel")
    bench.assemble(root, 1)
    bench.generate(root, N, ["en"])
    # Our own mkdocs.yml, with the probe hook after the project's hooks.
    config = (sitebuild.PROJECT / "mkdocs.yml").read_text("utf-8")
    assert "  - hooks/parallel.py\n" in config
    (root / "mkdocs.yml").unlink()
    (root / "mkdocs.yml").write_text(config.replace("  - hooks/parallel.py\n", "  - hooks/parallel.py\n  - probe.py\n"), "utf-8")
    shutil.copy(PROBE, root / "probe.py")
    return root


def build(root: Path, processes: int, site: str, probe: str = "", **more: str) -> subprocess.CompletedProcess:
    env = sitebuild.build_env("en", {"NEWSROOM_RENDER_PROCESSES": str(processes), "NEWSROOM_SITE_DIR": site, "PROBE": probe, "NEWSROOM_NOW": bench.NOW, **more})
    return subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=root, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def builds(corpus: Path) -> dict[int, tuple[Path, str]]:
    made = {}
    for processes in (1, 2, 3):
        done = build(corpus, processes, f"site-{processes}")
        assert done.returncode == 0, done.stdout + done.stderr
        made[processes] = (corpus / f"site-{processes}", done.stdout + done.stderr)
    return made


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def fragments(site: Path) -> dict[str, dict]:
    """Pagefind's index fragments by page URL: what each indexed page holds."""
    found = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        data = json.loads(raw[len(b"pagefind_dcd") :])
        found[data["url"]] = data
    return found


@pytest.mark.parametrize("processes", [2, 3])
def test_several_processes_write_the_same_site_as_one(builds: dict[int, tuple[Path, str]], processes: int) -> None:
    serial, _ = builds[1]
    parallel, parallel_output = builds[processes]
    # The work really was shared, and no page a child claimed was converted again.
    shared = re.search(r"Markdown: (\d+) of (\d+) pages converted in other processes\.", parallel_output)
    assert shared, parallel_output
    assert 0 < int(shared.group(1)) < int(shared.group(2))
    assert re.search(rf"Rendering \d+ pages in {processes} processes\.", parallel_output), parallel_output

    one, many = files(serial), files(parallel)
    assert {k for k in one if not NONDETERMINISTIC.match(k)} == {k for k in many if not NONDETERMINISTIC.match(k)}
    different = [name for name in one if not NONDETERMINISTIC.match(name) and one[name] != many[name]]
    assert different == []
    assert sum(1 for name in one if name.endswith(".html")) > 2 * N
    assert fragments(serial) == fragments(parallel)
    assert len(fragments(serial)) >= N


def test_parts_rendered_once_per_key_are_what_rendering_every_time_writes(corpus: Path, builds: dict[int, tuple[Path, str]]) -> None:
    """hooks/layout.py reuses Material's navigation, tabs, stylesheets,
    scripts and configuration, the header's parts and release cards among
    pages that show them alike; with the cache off, every page renders its own."""
    done = build(corpus, 1, "site-no-layout-cache", NEWSROOM_LAYOUT_CACHE="0")
    assert done.returncode == 0, done.stdout + done.stderr
    cached, uncached = files(builds[1][0]), files(corpus / "site-no-layout-cache")
    assert {k for k in cached if not NONDETERMINISTIC.match(k)} == {k for k in uncached if not NONDETERMINISTIC.match(k)}
    assert [name for name in cached if not NONDETERMINISTIC.match(name) and cached[name] != uncached[name]] == []
    # Both really contain the navigation and the tabs, on listings and releases alike.
    for name in ("index.html", "news/index.html", "programmes/index.html"):
        page = cached[name].decode("utf-8")
        assert 'class="md-nav md-nav--primary' in page and 'class="md-tabs"' in page, name
    releases = [name for name in cached if re.match(r"news/\d{4}/[^/]+/index\.html$", name) and "page" not in name]
    assert 'class="md-tabs"' in cached[releases[0]].decode("utf-8")
    # The smaller parts, at every depth: the home page, a year's news, a release.
    year = next(name for name in cached if re.match(r"news/\d{4}/index\.html$", name))
    for name in ("index.html", year, *releases):
        page = cached[name].decode("utf-8")
        for part in ('id="__config"', 'assets/stylesheets/newsroom.css', 'search.js" defer></script>', 'data-md-component="palette"', 'id="nr-search"'):
            assert part in page, (name, part)
    assert all('class="nr-card"' in cached[name].decode("utf-8") for name in ("index.html", year))
    assert any('class="nr-card"' in cached[name].decode("utf-8") for name in releases)  # related news


def test_the_serial_build_does_not_fork(builds: dict[int, tuple[Path, str]]) -> None:
    _, output = builds[1]
    assert "other processes" not in output and "Rendering" not in output


def test_an_error_in_another_process_stops_the_build_and_names_the_page(corpus: Path) -> None:
    done = build(corpus, 2, "site-fail", probe="fail")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert re.search(r"probe: could not render \S+\.md", output), output
    assert re.search(r"Error building page '\S+\.md'", output), output


@pytest.mark.parametrize("probe", ["warn", "warn-markdown"])
def test_a_warning_in_another_process_is_logged_and_counts_in_strict_mode(corpus: Path, probe: str) -> None:
    done = build(corpus, 2, f"site-{probe}", probe=probe)
    output = done.stdout + done.stderr
    assert re.search(r"WARNING +- +probe: (rendered|converted) \S+\.md in another process", output), output
    assert done.returncode != 0 and "in strict mode" in output, output


def test_a_listing_marked_for_search_after_the_index_was_asked_for_is_indexed(corpus: Path, builds: dict[int, tuple[Path, str]]) -> None:
    """The index is asked for before the listings are rendered, as they are
    never indexed; should one be after all, it is asked for again."""
    serial, _ = builds[1]
    listings = sorted(p.parent.relative_to(serial).as_posix() + "/" for p in (serial / "news").rglob("index.html") if p.parent != serial / "news")
    late = next(url for url in reversed(listings) if "page" in url or url.count("/") == 2)
    site = corpus / "site-index-listing"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=corpus,
        env=sitebuild.build_env("en", {"NEWSROOM_RENDER_PROCESSES": "2", "NEWSROOM_SITE_DIR": "site-index-listing", "PROBE": "index-listing", "PROBE_LISTING": late, "NEWSROOM_NOW": bench.NOW}),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    indexed = fragments(site)
    assert "/" + late in indexed, sorted(indexed)[-5:]
    assert "Probe listing text" in indexed["/" + late]["content"]
    assert set(indexed) - {"/" + late} == set(fragments(serial))


def test_files_checked_in_several_processes_give_the_same_catalogue_and_the_same_problems(corpus: Path, tmp_path: Path) -> None:
    """newsroom/content.py checks the files with newsroom.processes.fork_map
    in a `mkdocs build`: the records, and every problem in the same order,
    are what one process finds."""
    from newsroom.content import load_catalogue, now_from_env
    from newsroom.problems import ContentError

    now = now_from_env()
    one, many = (load_catalogue(corpus, corpus / "docs" / "en", "en", now, processes=count) for count in (1, 3))
    assert [(r.src_uri, r.title, r.date, r.programmes) for r in one.releases] == [(r.src_uri, r.title, r.date, r.programmes) for r in many.releases]
    assert len(many.releases) >= N
    assert {uri: source.body for uri, source in one.sources.items()} == {uri: source.body for uri, source in many.sources.items()}
    assert one.listings.related == many.listings.related

    # Broken files early, in the middle and late in the order: one process's
    # part each, at least.
    broken = tmp_path / "broken"
    shutil.copytree(corpus / "docs" / "en", broken)
    releases = sorted(broken.glob("news/*/*.md"))
    for number, path in enumerate((releases[0], releases[len(releases) // 2], releases[-1])):
        text = path.read_text("utf-8")
        path.write_text(text.replace("\ndate:", f"\noops{number}: 1\ndate:", 1), "utf-8")
    messages = []
    for count in (1, 3):
        with pytest.raises(ContentError) as raised:
            load_catalogue(corpus, broken, "en", now, processes=count)
        messages.append(str(raised.value))
    assert messages[0] == messages[1]
    assert all(f"oops{number}" in messages[0] for number in range(3)), messages[0]


def test_fork_map_keeps_order_and_raises_as_one_process_would() -> None:
    from newsroom.processes import fork_map

    assert fork_map(lambda x: x * x, list(range(50)), 3) == [x * x for x in range(50)]

    def fails_late(x: int) -> int:
        if x == 45:  # in the last process's part: done again here, and raised here
            raise ValueError(f"item {x}")
        return x

    with pytest.raises(ValueError, match="item 45"):
        fork_map(fails_late, list(range(50)), 3)


def test_a_lock_held_by_a_process_that_died_is_free_again() -> None:
    """newsroom.processes.Lock (the Markdown claims, the spools): a process
    killed while holding it cannot leave the others waiting forever."""
    import fcntl
    import os
    import signal
    import time

    from newsroom.processes import Lock

    lock = Lock()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        with lock:
            os.write(writer, b"held")
            time.sleep(60)
        os._exit(0)
    assert os.read(reader, 4) == b"held"
    with pytest.raises(OSError):  # taken by the child
        fcntl.lockf(lock.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    fcntl.lockf(lock.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again: does not raise
    fcntl.lockf(lock.handle, fcntl.LOCK_UN)
    with lock:
        pass
    for handle in (reader, writer):
        os.close(handle)
    lock.close()
