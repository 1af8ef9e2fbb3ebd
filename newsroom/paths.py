"""Paths that content may name: slugs from file names, and local file references."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import lxml.html
import pathspec

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif")
# Besides its Markdown pages, docs/ publishes only what the author guide
# names: raster images and PDF documents. A file is copied to the site as it
# is, so anything else (HTML, SVG, a script a service worker could run) would
# run in the site's origin.
DOCUMENT_SUFFIXES = (".pdf",)
PUBLISHED_SUFFIXES = (".md", *IMAGE_SUFFIXES, *DOCUMENT_SUFFIXES)
# What each published type starts with, so a page cannot be published under
# an image's name for a server or browser that reads the content, not the name.
_KINDS = {".jpg": "JPEG image", ".jpeg": "JPEG image", ".png": "PNG image", ".webp": "WebP image", ".gif": "GIF image", ".avif": "AVIF image", ".pdf": "PDF document"}
_SIGNATURES = {
    ".jpg": lambda head: head.startswith(b"\xff\xd8\xff"),
    ".jpeg": lambda head: head.startswith(b"\xff\xd8\xff"),
    ".png": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    ".webp": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
    ".gif": lambda head: head[:6] in (b"GIF87a", b"GIF89a"),
    ".avif": lambda head: head[4:8] == b"ftyp" and (b"avif" in head[8:32] or b"avis" in head[8:32]),
    ".pdf": lambda head: head.startswith(b"%PDF-"),
}
# The files MkDocs never publishes from docs/ (mkdocs.structure.files'
# defaults: dot-files and folders, and a top-level templates/ folder).
_NOT_PUBLISHED = pathspec.gitignore.GitIgnoreSpec.from_lines([".*", "/templates/"])


def slug_problem(name: str) -> str | None:
    """Why a file name is not a slug, or None."""
    if SLUG.match(name):
        return None
    fixed = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    hint = f' Rename it to "{fixed}.md".' if fixed and SLUG.match(fixed) else ""
    return f'the file name "{name}.md" is not a slug: use lowercase letters a-z, digits and single hyphens.{hint}'


def local_path_problem(text: str) -> str | None:
    """Why a front-matter path is unsafe or not a local image, or None.

    The path is relative to the content file and must stay inside docs/.
    Percent-encoding is decoded first so %2e%2e cannot hide a parent step.
    """
    decoded = unquote(text)
    if re.match(r"^(https?:)?//", decoded, re.IGNORECASE):
        return "is a web address. Images must be stored with the site: put the image file in an images/ folder beside the page and give its path, e.g. images/photo.jpg."
    written_wrong = _not_relative(decoded, "Put the image file in an images/ folder beside the page and give its path, e.g. images/photo.jpg.", "images/photo.jpg")
    if written_wrong:
        return written_wrong
    if ".." in PurePosixPath(decoded).parts:
        return 'steps out of the folder with "..". Put the image in an images/ folder beside the page and give images/photo.jpg.'
    if decoded.lower().endswith(".svg"):
        return "is an SVG file, which can carry scripts. Use a PNG, JPEG or WebP image instead."
    if not decoded.lower().endswith(IMAGE_SUFFIXES):
        return f"is not an image file. Use one of: {', '.join(IMAGE_SUFFIXES)}."
    return None


def _not_relative(decoded: str, where: str, example: str) -> str | None:
    """Why a path is not a plain path from the page's folder (a scheme, a
    backslash or NUL, a leading /), or None; `where` says where to put the
    file, `example` is a path as it should be written."""
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", decoded)
    if scheme:
        return f'starts with "{scheme.group(1)}:", which is not allowed. {where}'
    if "\\" in decoded or "\x00" in decoded:
        return f"contains a backslash or NUL character. Use forward slashes, e.g. {example}."
    if decoded.startswith("/"):
        return f"starts with /. Give the path from this file's folder instead, e.g. {example}."
    return None


def local_document_problem(text: str) -> str | None:
    """Why a front-matter path is unsafe or not a PDF, or None; the rules of
    local_path_problem, in a document's words, except that ".." may reach a
    shared folder such as docs/<lang>/files/ (content.py checks that the
    path stays in the language's folder)."""
    decoded = unquote(text)
    if re.match(r"^(https?:)?//", decoded, re.IGNORECASE):
        return "is a web address. Documents attached to a release are stored with the site: put the document in a files/ folder beside the page and give its path, e.g. files/report.pdf. To point to a document elsewhere, link to it in the text."
    written_wrong = _not_relative(decoded, "Put the document in a files/ folder beside the page and give its path, e.g. files/report.pdf.", "files/report.pdf")
    if written_wrong:
        return written_wrong
    if not decoded.lower().endswith(DOCUMENT_SUFFIXES):
        return f"is not a PDF document. Save the document as PDF and give its path, ending in .pdf, e.g. files/report.pdf."
    return None


def not_published(src_uri: str) -> bool:
    """Whether MkDocs leaves a docs/ file out of the site (a .gitkeep, say)."""
    return _NOT_PUBLISHED.match_file(src_uri)


def theme_file_problem(src_uri: str) -> str:
    """A file in docs/ at the address of one of the theme's own (favicon,
    the feed and link-preview logo) would replace it on every page."""
    return f"the site has its own file at this address ({src_uri}), which this file would replace on every page. Put it in another folder, e.g. images/ beside the page that shows it."


def file_type_problem(path: Path) -> str | None:
    """Why a file in docs/ may not be published, or None."""
    suffix = path.suffix.lower()
    if suffix not in PUBLISHED_SUFFIXES:
        what = f"{suffix} files are" if suffix else "files without a type at the end of their name (such as .png or .pdf) are"
        return (
            f"{what} not published. Only Markdown pages (.md), images ({', '.join(IMAGE_SUFFIXES)}) and PDF documents (.pdf)"
            " are published from docs/: other files, such as HTML, SVG or scripts, could run code on the site."
            " Remove this file; save a picture as PNG or JPEG, and a document as PDF."
        )
    check = _SIGNATURES.get(suffix)
    if check is not None:
        with path.open("rb") as held:
            head = held.read(32)
        if not check(head):
            kind = _KINDS[suffix]
            return f"the name says {kind}, but the content is not one. Save it again as a {kind}, or remove this file."
    return None


def local_references(html: str, folder: str) -> set[str]:
    """The site paths of the local files an HTML fragment links to or shows
    (<a href>, <img src>, raw HTML included), resolved from `folder`, the
    site path its relative addresses start from ("" for the site's root).
    Addresses to other sites, to this page's anchors or out of the site are
    not local files and are left out."""
    if not html.strip():
        return set()
    found = set()
    for _, _, link, _ in lxml.html.fragment_fromstring(html, create_parent="div").iterlinks():
        scheme, netloc, path, _, _ = urlsplit(link.strip())
        if scheme or netloc or not path or path.startswith("/"):
            continue
        target = posixpath.normpath(posixpath.join(folder, unquote(path)))
        if target != ".." and not target.startswith("../"):
            found.add(target)
    return found
