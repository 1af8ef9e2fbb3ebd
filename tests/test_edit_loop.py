"""The author's edit loop: `make serve` runs `mkdocs serve --dirty`, which
writes again only the pages an edit changes (hooks/rebuilds.py). After each
save, the whole served site must be what a full `mkdocs build` of the same
content writes: every page (the edited release, the lists and related news
that show it, the pages of other languages' translations, every page after
a UI string changes), the feeds, the sitemap and the search index; nothing
stale, nothing twice, nothing lost.

The served folder (a temporary folder of `mkdocs serve`, under TMPDIR) is
compared file by file with a full build for the same address. One
difference is expected and removed before comparing: under `serve`, the
Content-Security-Policy also allows the live-reload script
(hooks/policies.py). Timings belong in `make bench ARGS=--edit-loop`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import sitebuild
from searchindex import indexed_pages

NEW_RELEASE = """---
id: 0f4c8a52-9d0e-4c53-8a61-3b7e2d9c1a47
title: "A release saved while previewing"
date: "2025-02-03"
location: Turin
summary: "Written during the test of the edit loop."
programmes: [ai-pol]
publishers: [unicri]
---

Text of a release saved while `make serve` runs.
"""


def _reference(root: Path, lang: str, site_url: str, out: Path) -> Path:
    """A full build of root's content now, for the address the server uses."""
    env = sitebuild.build_env(lang, {"NEWSROOM_SITE_DIR": str(out / lang), "NEWSROOM_SITE_URL": site_url})
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return out / lang


def _files(site: Path) -> dict[str, Path]:
    """Every written file but Pagefind's (compared by what it indexed)."""
    return {
        path.relative_to(site).as_posix(): path
        for path in site.rglob("*")
        if path.is_file() and not path.relative_to(site).parts[0].startswith(("pagefind", ".pagefind"))
    }


def _comparable(path: Path) -> bytes | str:
    if path.suffix != ".html":
        return path.read_bytes()
    soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
    for policy in soup.select('meta[http-equiv="Content-Security-Policy"]'):
        policy.decompose()
    return str(soup)


def _same_site(served: Path, reference: Path) -> None:
    ours, theirs = _files(served), _files(reference)
    assert sorted(ours) == sorted(theirs)
    different = [name for name in sorted(ours) if _comparable(ours[name]) != _comparable(theirs[name])]
    assert different == []
    # Pagefind indexes a dirty rebuild in the background: its index replaces
    # the served one once complete, so wait for that, not for a time.
    expected = indexed_pages(reference)
    deadline = time.monotonic() + 120
    while indexed_pages(served) != expected and time.monotonic() < deadline:
        time.sleep(0.1)
    assert indexed_pages(served) == expected


def _edit_title(news: Path, drafts: Path) -> None:
    """A title the lists, the feeds and the other release's related news show."""
    path = news / "2024" / "from-emerging-tech-to-responsible-ai.md"
    _edit(path, 'title: "From Emerging Tech', 'title: "Edited while previewing: From Emerging Tech', drafts)


def _add_release(news: Path, drafts: Path) -> None:
    """A new release, in a year that had none: a new year page too."""
    (news / "2025").mkdir()
    sitebuild.replace(news / "2025" / "saved-while-previewing.md", NEW_RELEASE, drafts)


def _edit_ui_string(news: Path, drafts: Path) -> None:
    """A UI string every page's footer shows: every page is written again."""
    for path in (news.parents[2] / "data" / "strings").glob("*.yml"):
        lines = path.read_text("utf-8").split("\n")
        at = next(i for i, line in enumerate(lines) if line.startswith("subscribe_rss:"))
        lines[at] = 'subscribe_rss: "RSS, edited while previewing"'
        sitebuild.replace(path, "\n".join(lines), drafts)


def _remove_release(news: Path, drafts: Path) -> None:
    """A release removed (the one just added): its page, and the page of its
    year, which has no other, go."""
    (news / "2025" / "saved-while-previewing.md").unlink()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_page_after_a_save_is_what_a_full_build_writes(tmp_path, lang):
    """English, and French: there the edited English release is shown through
    its translation, whose own file does not change."""
    root, drafts, scratch, reference = tmp_path / "site", tmp_path / "drafts", tmp_path / "tmp", tmp_path / "reference"
    for folder in (root, drafts, scratch):
        folder.mkdir()
    sitebuild.assemble(root, None)
    news = root / "docs" / "en" / "news"
    with sitebuild.serving(root, {"TMPDIR": str(scratch)}, "--dirty", lang=lang) as server:
        server.wait_for("Serving on")
        site_url = server.url(f"{lang}/")
        (served,) = scratch.glob("mkdocs_*")
        _same_site(served, _reference(root, lang, site_url, reference / "first"))
        for edit in (_edit_title, _add_release, _edit_ui_string, _remove_release):
            edit(news, drafts)
            server.wait_for("Reloading browsers")  # the rebuild is written
            assert not [line for line in server.seen if line.startswith(("ERROR", "WARNING")) or "Aborted" in line], "".join(server.seen)
            _same_site(served, _reference(root, lang, site_url, reference / edit.__name__))


RELEASE_2024 = Path("news") / "2024" / "from-emerging-tech-to-responsible-ai.md"


def _edit(path: Path, old: str, new: str, drafts: Path) -> None:
    """Replace `old` (once) in the file, saved as an editor saves."""
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    sitebuild.replace(path, text.replace(old, new, 1), drafts)


def _front(news: Path, drafts: Path, old: str, new: str) -> None:
    """Replace `old` (once) in the 2024 release's English file."""
    _edit(news.parent / RELEASE_2024, old, new, drafts)


def _add_lead_image(news: Path, drafts: Path) -> None:
    """A lead image: its sizes and share card, shown on the release and its cards."""
    folder = news / "2024" / "images"
    folder.mkdir()
    (folder / "launch.jpg").write_bytes(sitebuild.placeholder(".jpg", "1600x900"))
    _front(news, drafts, "tags: [", 'image:\n  src: "images/launch.jpg"\n  alt: "A generated placeholder"\ntags: [')


def _replace_lead_image_file(news: Path, drafts: Path) -> None:
    """The same file name, another picture: its sizes are named by its bytes."""
    (drafts / "launch.jpg").write_bytes(sitebuild.placeholder(".jpg", "1200x900"))
    os.replace(drafts / "launch.jpg", news / "2024" / "images" / "launch.jpg")


def _edit_alt(news: Path, drafts: Path) -> None:
    _front(news, drafts, 'alt: "A generated placeholder"', 'alt: "Another description"')


def _remove_lead_image(news: Path, drafts: Path) -> None:
    _front(news, drafts, 'image:\n  src: "images/launch.jpg"\n  alt: "Another description"\n', "")


def _add_attachment(news: Path, drafts: Path) -> None:
    folder = news / "2024" / "files"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(sitebuild.placeholder(".pdf"))
    _front(news, drafts, "tags: [", 'attachments:\n  - title: "Report"\n    file: "files/report.pdf"\n    language: "en"\ntags: [')


def _remove_attachment(news: Path, drafts: Path) -> None:
    _front(news, drafts, 'attachments:\n  - title: "Report"\n    file: "files/report.pdf"\n    language: "en"\n', "")
    (news / "2024" / "files" / "report.pdf").unlink()


def _add_correction(news: Path, drafts: Path) -> None:
    _front(news, drafts, "tags: [", 'updates:\n  - date: "2024-11-25"\n    note: "Corrected a name."\ntags: [')


def _edit_correction(news: Path, drafts: Path) -> None:
    _front(news, drafts, 'note: "Corrected a name."', 'note: "Corrected the name of a speaker."')


def _withdraw(news: Path, drafts: Path) -> None:
    _front(news, drafts, "tags: [", 'withdrawn:\n  date: "2024-12-01"\n  reason: "Published in error."\ntags: [')


def _unwithdraw(news: Path, drafts: Path) -> None:
    _front(news, drafts, 'withdrawn:\n  date: "2024-12-01"\n  reason: "Published in error."\n', "")


def _make_draft(news: Path, drafts: Path) -> None:
    """The release added (_add_release) made a draft: it leaves the site."""
    path = news / "2025" / "saved-while-previewing.md"
    _edit(path, "programmes:", "draft: true\nprogrammes:", drafts)


def _publish_draft(news: Path, drafts: Path) -> None:
    path = news / "2025" / "saved-while-previewing.md"
    _edit(path, "draft: true\n", "", drafts)


def _translation_draft(news: Path, drafts: Path) -> None:
    """The French translation back to a draft: the page falls back to English."""
    path = news.parents[1] / "fr" / RELEASE_2024
    _edit(path, 'status: "unofficial"', 'status: "draft"', drafts)


def _translation_written(news: Path, drafts: Path) -> None:
    path = news.parents[1] / "fr" / RELEASE_2024
    _edit(path, 'status: "draft"', 'status: "unofficial"', drafts)


def _replace_attachment_file(news: Path, drafts: Path) -> None:
    """The same PDF name, a larger file: the page shows its size."""
    (drafts / "report.pdf").write_bytes(sitebuild.placeholder(".pdf") + b"%" + b"x" * 4000 + b"\n")
    os.replace(drafts / "report.pdf", news / "2024" / "files" / "report.pdf")


def _rename_release(news: Path, drafts: Path) -> None:
    """The release added (_add_release) renamed, its old address kept."""
    old = news / "2025" / "saved-while-previewing.md"
    text = old.read_text("utf-8").replace("programmes:", 'previous_paths: ["news/2025/saved-while-previewing/"]\nprogrammes:', 1)
    sitebuild.replace(news / "2025" / "renamed-while-previewing.md", text, drafts)
    old.unlink()


def _edit_programme(news: Path, drafts: Path) -> None:
    path = news.parent / "programmes" / "ai-pol.md"
    _edit(path, "period: Three years", "period: Three full years", drafts)


def _edit_resource(news: Path, drafts: Path) -> None:
    path = news.parent / "resources" / "toolkit-for-responsible-ai-innovation-in-law-enforcement.md"
    _edit(path, "title: Toolkit", "title: Edited Toolkit", drafts)


def _fr_image_alt(news: Path, drafts: Path) -> None:
    """The lead image's alt text translated."""
    path = news.parents[1] / "fr" / RELEASE_2024
    _edit(path, "translation:", 'image:\n  alt: "Une image générée"\ntranslation:', drafts)


def _fr_correction_note(news: Path, drafts: Path) -> None:
    """The correction's note translated."""
    path = news.parents[1] / "fr" / RELEASE_2024
    _edit(path, "translation:", 'updates:\n  - note: "Un nom corrigé."\ntranslation:', drafts)


def _add_fr_translation(news: Path, drafts: Path) -> None:
    """A French translation of the release added."""
    path = news.parents[1] / "fr" / "news" / "2025" / "saved-while-previewing.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    sitebuild.replace(path, '---\ntitle: "Un communiqué enregistré pendant l’aperçu"\nlocation: Turin\nsummary: "Écrit pendant le test."\ntranslation:\n  status: "unofficial"\n---\n\nTexte traduit.\n', drafts)


def _remove_fr_translation(news: Path, drafts: Path) -> None:
    (news.parents[1] / "fr" / "news" / "2025" / "saved-while-previewing.md").unlink()


def _edit_organisations(news: Path, drafts: Path) -> None:
    path = news.parents[2] / "data" / "organisations.yml"
    text = path.read_text("utf-8")
    sitebuild.replace(path, text + "\n# edited while previewing\n", drafts)


@pytest.mark.parametrize(
    "edits",
    [
        (_add_lead_image, _replace_lead_image_file, _edit_alt, _remove_lead_image),
        (_add_attachment, _remove_attachment, _add_correction, _edit_correction, _withdraw, _unwithdraw, _add_release, _make_draft, _publish_draft, _remove_release, _edit_organisations),
        (_add_attachment, _replace_attachment_file, _add_release, _rename_release, _edit_programme, _edit_resource),
    ],
    ids=["lead-image", "release-fields", "files-and-pages"],
)
def test_release_edits_while_serving(tmp_path, edits):
    _serve_and_compare(tmp_path, "en", edits)


def test_french_edits_while_serving(tmp_path):
    """Served in French: a translation turned draft and back, and English
    edits shown through the fallback and through the translation."""
    _serve_and_compare(tmp_path, "fr", (_translation_draft, _edit_title, _add_lead_image, _replace_lead_image_file, _add_correction, _translation_written, _fr_image_alt, _fr_correction_note, _withdraw, _add_release, _add_fr_translation, _remove_fr_translation))


def _serve_and_compare(tmp_path: Path, lang: str, edits) -> None:
    root, drafts, scratch, reference = tmp_path / "site", tmp_path / "drafts", tmp_path / "tmp", tmp_path / "reference"
    for folder in (root, drafts, scratch):
        folder.mkdir()
    sitebuild.assemble(root, None)
    news = root / "docs" / "en" / "news"
    with sitebuild.serving(root, {"TMPDIR": str(scratch)}, "--dirty", lang=lang) as server:
        server.wait_for("Serving on")
        site_url = server.url(f"{lang}/")
        (served,) = scratch.glob("mkdocs_*")
        for edit in edits:
            edit(news, drafts)
            server.wait_for("Reloading browsers")
            assert not [line for line in server.seen if line.startswith(("ERROR", "WARNING")) or "Aborted" in line], "".join(server.seen)
            _same_site(served, _reference(root, lang, site_url, reference / edit.__name__))
