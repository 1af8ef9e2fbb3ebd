"""Paths that content may name: slugs from file names, and local file references."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import unquote

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif")


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
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", decoded)
    if scheme:
        return f'starts with "{scheme.group(1)}:", which is not allowed. Put the image file in an images/ folder beside the page and give its path, e.g. images/photo.jpg.'
    if "\\" in decoded or "\x00" in decoded:
        return "contains a backslash or NUL character. Use forward slashes, e.g. images/photo.jpg."
    if decoded.startswith("/"):
        return "starts with /. Give the path from this file's folder instead, e.g. images/photo.jpg."
    if ".." in PurePosixPath(decoded).parts:
        return 'steps out of the folder with "..". Put the image in an images/ folder beside the page and give images/photo.jpg.'
    if decoded.lower().endswith(".svg"):
        return "is an SVG file, which can carry scripts. Use a PNG, JPEG or WebP image instead."
    if not decoded.lower().endswith(IMAGE_SUFFIXES):
        return f"is not an image file. Use one of: {', '.join(IMAGE_SUFFIXES)}."
    return None
