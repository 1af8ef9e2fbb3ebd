"""Long listings are split into pages, so no page grows with the archive."""

from __future__ import annotations

from collections import Counter

import pytest

import sitebuild

COUNT = 60  # 25 + 25 + 10 on every paginated list


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    root = tmp_path_factory.mktemp("many")
    sitebuild.assemble(root, "base")
    folder = root / "docs" / "en" / "news" / "2023"
    folder.mkdir(parents=True)
    for n in range(COUNT):
        (folder / f"release-{n:03d}.md").write_text(
            f"---\nid: 00000000-0000-4000-8000-{n:012d}\ntitle: \"Release {n:03d}\"\ndate: 2023-01-01 {n // 60:02d}:{n % 60:02d}\n"
            f"location: Turin\nsummary: \"Number {n}.\"\nprogrammes: [beta]\npublishers: [interpol]\n---\n\nBody {n}.\n",
            "utf-8",
        )
    built = sitebuild.build(root)
    assert built.ok, built.output
    return built


@pytest.mark.parametrize("base", ["news/2023/", "programmes/beta/", "organisations/interpol/"])
def test_every_release_on_exactly_one_page_of_each_list(many, base):
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
