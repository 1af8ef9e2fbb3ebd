"""Long listings are split into pages, so no page grows with the archive."""

from __future__ import annotations

import posixpath
from collections import Counter

import pytest

import sitebuild

COUNT = 60  # 25 + 25 + 10 on every paginated list in 2023
LONG = 228  # 2022: 9 pages of 25 and one of 3


def _releases(root, year: int, count: int, first_id: int) -> None:
    folder = root / "docs" / "en" / "news" / str(year)
    folder.mkdir(parents=True)
    for n in range(count):
        (folder / f"release-{n:03d}.md").write_text(
            f"---\nid: 00000000-0000-4000-8000-{first_id + n:012d}\ntitle: \"Release {n:03d}\"\ndate: {year}-01-01 {n // 60:02d}:{n % 60:02d}\n"
            f"location: Turin\nsummary: \"Number {n}.\"\nprogrammes: [beta]\npublishers: [interpol]\n---\n\nBody {n}.\n",
            "utf-8",
        )


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    root = tmp_path_factory.mktemp("many")
    sitebuild.assemble(root, "base")
    _releases(root, 2023, COUNT, 0)
    _releases(root, 2022, LONG, 1000)
    built = sitebuild.build(root)
    assert built.ok, built.output
    return built


def test_every_release_on_exactly_one_page_of_a_short_list(many):
    base = "news/2023/"
    urls = [base, f"{base}page/2/", f"{base}page/3/"]
    seen = Counter()
    for url in urls:
        page = many.html(url)
        cards = page.select(".nr-card[data-release-id]")
        assert len(cards) <= 25
        seen.update(card["data-release-id"] for card in cards)
        links = [a["href"] for a in page.select(".nr-pagination a")]
        assert len(links) == 2 and page.select_one('.nr-pagination [aria-current="page"]')
    assert len(seen) == COUNT and set(seen.values()) == {1}
    assert not many.path(f"{base}page/4/").exists()
    first = [c.select_one(".nr-card__title").get_text(strip=True) for c in many.html(base).select(".nr-card[data-release-id]")]
    assert first[0] == "Release 059" and first[-1] == "Release 035"  # newest first


def _numbers(page) -> list[str]:
    return [item.get_text(strip=True) for item in page.select(".nr-pagination li")]


@pytest.mark.parametrize("base", ["news/2022/", "programmes/beta/", "organisations/interpol/"])
def test_a_long_list_links_a_few_pages_and_every_page_is_reached(many, base):
    """Every page links to the first, the last and two either side of itself,
    so no page's links grow with the archive; following them reaches every
    page, and every release is on exactly one."""
    total = -(-(LONG + (COUNT if base != "news/2022/" else 0)) // 25)
    assert many.path(f"{base}page/{total}/").exists() and not many.path(f"{base}page/{total + 1}/").exists()
    assert _numbers(many.html(base)) == ["1", "2", "3", "…", str(total)]
    assert _numbers(many.html(f"{base}page/5/")) == ["1", "2", "3", "4", "5", "6", "7", "…", str(total)]
    assert _numbers(many.html(f"{base}page/{total}/")) == ["1", "…", str(total - 2), str(total - 1), str(total)]
    seen, queue, releases = {base}, [base], Counter()
    while queue:
        url = queue.pop()
        page = many.html(url)
        assert len(page.select(".nr-pagination li")) <= 9
        releases.update(card["data-release-id"] for card in page.select(".nr-card[data-release-id]"))
        for link in page.select(".nr-pagination a"):
            target = posixpath.normpath(posixpath.join(url, link["href"])) + "/"
            if target not in seen:
                seen.add(target)
                queue.append(target)
    assert seen == {base} | {f"{base}page/{n}/" for n in range(2, total + 1)}
    assert set(releases.values()) == {1} and len(releases) == LONG + (COUNT if base != "news/2022/" else 0)


def test_page_two_is_titled_and_linked_back(many):
    page = many.html("news/2023/page/2/")
    assert page.select_one("h1").get_text() == "News from 2023, page 2"
    assert "../../" in [a["href"] for a in page.select(".nr-pagination a")]


def test_reserved_slugs_are_refused(tmp_path):
    sitebuild.assemble(tmp_path, "base")
    (tmp_path / "docs/en/news/2024/page.md").write_text((tmp_path / "docs/en/news/2024/first-release.md").read_text("utf-8").replace("11111111-1111", "22222222-1111"), "utf-8")
    built = sitebuild.build(tmp_path)
    assert built.returncode != 0
    assert "Can't publish docs/en/news/2024/page.md:\n  file: \"page\" is reserved for the site's own pages (the list of the year's releases). Name the file after the release, e.g. docs/en/news/2024/launch-of-ai-pol.md." in built.output
