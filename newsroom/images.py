"""Images made at build time, with Pillow: each lead image at a few widths
(for `srcset`), and each release's and programme's share card (Open Graph).

- `lead_image`: a lead image re-encoded at the widths of WIDTHS it is wider
  than, and at its own width up to the largest, turned upright by its EXIF
  orientation and without its metadata (a phone's photo carries where it was
  taken), JPEG, or PNG where the image has transparency; and its share card,
  cropped to CARD_SIZE around its centre, scaled up if smaller (JPEG).
- `card_from_title`: a card drawn from the page's title and label in the
  page's language, with fonts from Debian's packages (FONTS): Arabic shaped
  and laid out right to left by raqm, Chinese with a CJK font. A palette PNG:
  the card is drawn in shades of one grey channel over a background made
  once, and the palette maps grey to the site's two colours, so nothing is
  quantised and the file stays small.

Everything is kept in a content-addressed cache (`Cache`): a file's name is
the hash of what it is made from (the source image's bytes, or the card's
texts, language, fonts and size) and of VERSION and Pillow's version, so a
build makes only what it has not made before, and the language builds,
which run in parallel processes, share it. Nothing is downloaded.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont, ImageOps, features

# Bump when what is drawn or encoded changes: every cached file is made again.
VERSION = "1"
WIDTHS = (400, 800, 1200, 1600)
CARD_SIZE = (1200, 630)
JPEG_QUALITY = 82
# The card's two colours (Material's indigo 900 and white); the grey levels
# between them are the shades the palette gives.
CARD_BACKGROUND = (0x1A, 0x23, 0x7E)
CARD_FOREGROUND = (0xFF, 0xFF, 0xFF)

# The fonts the cards are drawn with: the file, and the Debian package that
# installs it (.ci/system-packages and the deploy workflow install them).
FONTS = {
    "DejaVuSans-Bold.ttf": "fonts-dejavu-core",
    "NotoSansArabicUI-Bold.ttf": "fonts-noto-ui-core",
    "wqy-microhei.ttc": "fonts-wqy-microhei",
}
# Where fonts are looked for: Debian's folders, or the folders NEWSROOM_FONT_DIRS
# names (separated by ":"), on a system that keeps them elsewhere.
FONT_DIRS = tuple(Path(folder) for folder in os.environ["NEWSROOM_FONT_DIRS"].split(os.pathsep) if folder) if os.environ.get("NEWSROOM_FONT_DIRS") else (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local" / "share" / "fonts")
# Per language, the font tried first for each character, then the others:
# Noto Sans Arabic UI has no Latin letters, so "AI-POL" in an Arabic title
# is drawn with DejaVu Sans.
_LATIN_FIRST = ("DejaVuSans-Bold.ttf", "NotoSansArabicUI-Bold.ttf", "wqy-microhei.ttc")
FONT_ORDER = {
    "ar": ("NotoSansArabicUI-Bold.ttf", "DejaVuSans-Bold.ttf", "wqy-microhei.ttc"),
    "zh": ("wqy-microhei.ttc", "DejaVuSans-Bold.ttf", "NotoSansArabicUI-Bold.ttf"),
}
# The title's sizes, largest first, and how many lines each may take.
TITLE_SIZES = ((64, 4), (56, 5), (48, 6), (42, 7))
MARGIN = 80


class MissingTools(Exception):
    """A font file or raqm (Debian's libfribidi0) is missing: said in full."""


@dataclass(frozen=True)
class Variant:
    path: str  # the file's site path, from the language root
    width: int
    height: int


@dataclass(frozen=True)
class Sized:
    """A lead image at the widths a browser chooses from (`srcset`)."""

    original: str
    width: int
    height: int
    variants: tuple[Variant, ...]

    @property
    def src(self) -> Variant:
        """The largest: what a browser that ignores `srcset` shows."""
        return self.variants[-1]


@dataclass(frozen=True)
class Card:
    path: str
    width: int
    height: int
    alt: str
    type: str  # image/png or image/jpeg


@dataclass(frozen=True)
class Made:
    """A file the build adds to the site: its site path and where it is cached."""

    path: str
    cached: Path


class Cache:
    """A folder of made images, named by the hash of what they are made from.

    Files are written under a temporary name and renamed into place, so a
    language build running at the same time never reads half a file. A file
    used is touched, so `prune` can drop what no build has used since.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def has(self, *names: str) -> bool:
        return all((self.folder / name).is_file() for name in names)

    def get(self, name: str, make: Callable[[Path], None] | None = None) -> Path:
        """The file of that name, made first if it is missing."""
        path = self.folder / name
        if path.is_file():
            os.utime(path)
            return path
        if make is None:
            raise FileNotFoundError(path)
        return self.put(name, make)

    def put(self, name: str, make: Callable[[Path], None]) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / name
        partial = path.with_name(f".{name}.{os.getpid()}")
        try:
            make(partial)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        return path

    @contextlib.contextmanager
    def lock(self, key: str, wait: bool = True) -> Iterator[bool]:
        """Held by one process at a time (the language builds run in
        parallel): the second to ask waits, then finds what the first made;
        or, with wait=False, is told at once (False) that it is taken."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / f".lock-{key}", "w") as held:
            try:
                fcntl.flock(held, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(held, fcntl.LOCK_UN)

    def prune(self, before: float) -> int:
        """Remove the files no build has used since `before` (a timestamp),
        and the lock files."""
        removed = 0
        for path in self.folder.iterdir() if self.folder.is_dir() else ():
            if path.is_file() and (path.name.startswith(".lock-") or path.stat().st_mtime < before):
                path.unlink()
                removed += 1
        return removed


def cache_folder(root: Path) -> Path:
    """Where made images are kept: NEWSROOM_IMAGE_CACHE, or .cache/newsroom-images/
    beside mkdocs.yml (the deploy workflow keeps it between runs)."""
    return Path(os.environ.get("NEWSROOM_IMAGE_CACHE") or root / ".cache" / "newsroom-images")


def _key(*parts: object) -> str:
    material = "\0".join(map(str, (VERSION, PIL.__version__, *parts)))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:20]


# --------------------------------------------------------------------------
# Lead images at several widths


def _header(source: Path) -> tuple[int, int, bool]:
    """Width, height (upright) and whether the image has transparency, from
    the file's header: the pixels are not decoded."""
    with Image.open(source) as image:
        width, height = image.size
        if image.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # turned a quarter
            width, height = height, width
        alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    return width, height, alpha


def _upright(source: Path, need: tuple[int, int]) -> Image.Image:
    """The image decoded once, turned upright by its EXIF orientation. A
    JPEG at least twice as large as `need` (upright) is decoded at a half,
    a quarter or an eighth of its size, which is much faster."""
    with Image.open(source) as image:
        if image.format == "JPEG":
            turned = image.getexif().get(0x0112, 1) in (5, 6, 7, 8)
            image.draft("RGB", need[::-1] if turned else need)
        return ImageOps.exif_transpose(image)


def _save(image: Image.Image, path: Path, alpha: bool, icc: bytes | None) -> None:
    extra = {"icc_profile": icc} if icc else {}
    if alpha:
        image.convert("RGBA").save(path, "PNG", **extra)
    else:
        image.convert("RGB").save(path, "JPEG", quality=JPEG_QUALITY, **extra)


def lead_image(source: Path, original: str, alt: str, cache: Cache, sizes_folder: str, cards_folder: str, wait: bool = True) -> tuple[Sized, Card, list[Made]] | None:
    """A lead image at each width of WIDTHS it is wider than, and at its own
    width up to the largest; and its share card, cropped to CARD_SIZE
    around its centre (scaled up if it is smaller). `original` is its site
    path; the files go in the site's folders named.

    The image is decoded once, and each size is made from the next larger
    one, never from the full image again: resizing is most of the cost. Two
    language builds that need the same image at once make it once: the
    second waits for the first (Cache.lock), or, with wait=False, is given
    None at once, to do other work first and ask again."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    width, height, alpha = _header(source)
    widths = [w for w in WIDTHS if w < width] + [min(width, WIDTHS[-1])]
    extension = "png" if alpha else "jpg"
    names = {w: f"{_key('size', digest, w)}-{w}w.{extension}" for w in widths}
    card_name = f"{_key('card-image', digest, CARD_SIZE)}.jpg"
    if not cache.has(*names.values(), card_name):
        with cache.lock(digest, wait) as held:
            if not held:
                return None
            if not cache.has(*names.values(), card_name):
                _make_lead(source, width, height, alpha, widths, names, card_name, cache)
    variants = tuple(Variant(f"{sizes_folder}/{names[w]}", w, max(1, round(height * w / width))) for w in widths)
    card = Card(f"{cards_folder}/{card_name}", *CARD_SIZE, alt=alt, type="image/jpeg")
    made = [Made(v.path, cache.get(names[v.width])) for v in variants] + [Made(card.path, cache.get(card_name))]
    return Sized(original, width, height, variants), card, made


def _make_lead(source: Path, width: int, height: int, alpha: bool, widths: list[int], names: dict[int, str], card_name: str, cache: Cache) -> None:
    # What the largest size and the card need of the decoded image.
    need = (max(widths[-1], CARD_SIZE[0], round(CARD_SIZE[1] * width / height)), max(round(height * widths[-1] / width), CARD_SIZE[1], round(CARD_SIZE[0] * height / width)))
    image = _upright(source, need)
    icc = image.info.get("icc_profile")
    image = image.convert("RGBA" if alpha else "RGB")
    full = image
    for w in reversed(widths):
        target = (w, max(1, round(height * w / width)))
        if image.size != target:
            image = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)
        cache.put(names[w], lambda path, image=image: _save(image, path, alpha, icc))
        if w == widths[-1]:
            largest = image
    # The card from the largest size when it is wide enough, else from the image.
    base = largest if largest.width >= CARD_SIZE[0] else full
    if alpha:
        base = Image.alpha_composite(Image.new("RGBA", base.size, (255, 255, 255, 255)), base)
    card = ImageOps.fit(base.convert("RGB"), CARD_SIZE, Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    cache.put(card_name, lambda path: card.save(path, "JPEG", quality=JPEG_QUALITY))


# --------------------------------------------------------------------------
# Cards drawn from a title


@dataclass(frozen=True)
class CardText:
    """What a drawn card says, in one language."""

    label: str  # e.g. "Press release · 22 November 2024"
    title: str
    site_name: str
    lang: str
    direction: str  # "ltr" or "rtl"


def check_tools() -> None:
    """Stop with what to install if a font or raqm is missing."""
    missing = [name for name in FONTS if font_path(name) is None]
    problems = []
    if missing:
        packages = " ".join(dict.fromkeys(FONTS[name] for name in missing))
        problems.append(f"the fonts {', '.join(missing)} are not installed (Debian packages: {packages})")
    if not features.check("raqm"):
        problems.append("Pillow's raqm text layout is not available, without which Arabic is drawn unshaped and left to right (it needs Debian's libfribidi0)")
    if problems:
        packages = " ".join(dict.fromkeys([*(FONTS[name] for name in missing), *(["libfribidi0"] if not features.check("raqm") else [])]))
        raise MissingTools(
            "Can't draw the share cards: " + "; and ".join(problems) + ". "
            f"Install them with `sudo apt-get install --no-install-recommends {packages}` (make test does this), then build again."
        )


@functools.cache
def font_path(name: str) -> Path | None:
    for folder in FONT_DIRS:
        if folder.is_dir():
            found = next(folder.rglob(name), None)
            if found is not None:
                return found
    return None


@functools.cache
def font_digest(name: str) -> str:
    path = font_path(name)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path else "missing"


@functools.cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path = font_path(name)
    if path is None:
        raise MissingTools(f"the font {name} is not installed (Debian package {FONTS[name]})")
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


@functools.cache
def _has_glyph(name: str, char: str) -> bool:
    """Whether a font draws a character as itself, not as its missing-glyph
    box: the two are drawn and compared (Pillow has no public cmap query)."""
    font = _font(name, 32)
    return _drawn(font, char) != _drawn(font, "\U0010fffd")


def _drawn(font: ImageFont.FreeTypeFont, text: str) -> bytes:
    image = Image.new("L", (64, 64))
    ImageDraw.Draw(image).text((8, 8), text, font=font, fill=255)
    return image.tobytes()


def _font_for(char: str, order: tuple[str, ...]) -> str:
    return next((name for name in order if _has_glyph(name, char)), order[0])


@dataclass(frozen=True)
class Run:
    """Consecutive characters drawn with one font in one direction."""

    text: str
    font: str
    direction: str


def _strong(char: str) -> str | None:
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "ltr"
    if kind in ("R", "AL"):
        return "rtl"
    return None


def runs(text: str, base: str, order: tuple[str, ...]) -> list[Run]:
    """A line cut into runs in the order they are drawn, left to right.

    The Unicode bidirectional algorithm for one line of plain text with two
    directions (no explicit embeddings): a character takes its own strong
    direction; a number, a combining mark and punctuation between two
    characters of one direction take theirs, else the line's (`base`). Runs
    of the line's opposite direction are reversed in place. raqm then lays
    out each run itself (shaping, and digits inside Arabic)."""
    directions: list[str | None] = [_strong(c) for c in text]
    # Numbers and marks take the direction of the strong character before them.
    previous = base
    for index, char in enumerate(text):
        if directions[index] is None and (unicodedata.bidirectional(char) in ("EN", "AN", "NSM")):
            directions[index] = previous
        elif directions[index] is not None:
            previous = directions[index]
    # Neutrals between two of one direction take it; else the line's.
    index = 0
    while index < len(text):
        if directions[index] is not None:
            index += 1
            continue
        end = index
        while end < len(text) and directions[end] is None:
            end += 1
        before = directions[index - 1] if index > 0 else base
        after = directions[end] if end < len(text) else base
        for k in range(index, end):
            directions[k] = before if before == after else base
        index = end
    # Runs by direction and font; spaces and marks stay with the run they are in.
    logical: list[Run] = []
    for char, direction in zip(text, directions):
        keep = logical and logical[-1].direction == direction and (char.isspace() or unicodedata.category(char) in ("Mn", "Me", "Cf") or _has_glyph(logical[-1].font, char))
        if keep:
            logical[-1] = Run(logical[-1].text + char, logical[-1].font, direction)
        else:
            logical.append(Run(char, _font_for(char, order), direction))
    # Level runs: consecutive runs of one direction, reversed as a whole
    # where they go against the line, and the whole line reversed if it is
    # right to left.
    groups: list[list[Run]] = []
    for run in logical:
        if groups and groups[-1][0].direction == run.direction:
            groups[-1].append(run)
        else:
            groups.append([run])
    visual_groups = groups[::-1] if base == "rtl" else groups
    return [run for group in visual_groups for run in (group[::-1] if group[0].direction == "rtl" else group)]


def _length(run: Run, size: int, lang: str) -> float:
    return _font(run.font, size).getlength(run.text, direction=run.direction, language=lang)


def line_width(text: str, size: int, lang: str, base: str, order: tuple[str, ...]) -> float:
    return sum(_length(run, size, lang) for run in runs(text, base, order))


_CLOSING = set("，。、：；！？）」』》〉】〕,.:;!?)]}»”’")
_OPENING = set("（「『《〈【〔([{«“‘")


def _is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def pieces(text: str) -> list[str]:
    """The text cut where a line may break: after a space, or between two
    Chinese characters (never before closing punctuation, nor after opening)."""
    out: list[str] = []
    current = ""
    for index, char in enumerate(text):
        current += char
        following = text[index + 1] if index + 1 < len(text) else ""
        if not following:
            break
        if char == " " and following != " ":
            out.append(current)
            current = ""
        elif (_is_cjk(char) or _is_cjk(following)) and following not in _CLOSING and char not in _OPENING and following != " " and char != " ":
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def wrap(text: str, size: int, width: float, lang: str, base: str, order: tuple[str, ...], max_lines: int) -> tuple[list[str], bool]:
    """Greedy lines of at most `width` pixels; (lines, whether all fitted).
    Each piece is measured once, and a line is as wide as its pieces: what
    joins two pieces (a space, or nothing between Chinese characters)
    changes no letter's shape."""
    lines: list[str] = []
    current, used = "", 0.0
    for piece in pieces(text):
        ink = _piece_width(piece.rstrip(), size, lang, base, order)
        if current and used + ink > width:
            lines.append(current.rstrip())
            current, used = piece.lstrip(), 0.0
        else:
            current += piece
        used += _piece_width(piece, size, lang, base, order)
    if current.strip():
        lines.append(current.rstrip())
    if len(lines) <= max_lines:
        return lines, True
    kept = lines[:max_lines]
    last = kept[-1]
    while last and line_width(last + "…", size, lang, base, order) > width:
        last = last[:-1].rstrip()
    kept[-1] = last + "…"
    return kept, False


@functools.lru_cache(maxsize=65536)
def _piece_width(piece: str, size: int, lang: str, base: str, order: tuple[str, ...]) -> float:
    return line_width(piece, size, lang, base, order) if piece else 0.0


def _draw_line(draw: ImageDraw.ImageDraw, text: str, y: int, size: int, lang: str, base: str, order: tuple[str, ...], shade: int) -> None:
    """One line at baseline y, against the start margin of its direction."""
    laid = runs(text, base, order)
    total = sum(_length(run, size, lang) for run in laid)
    x = CARD_SIZE[0] - MARGIN - total if base == "rtl" else MARGIN
    for run in laid:
        draw.text((x, y), run.text, font=_font(run.font, size), fill=shade, anchor="ls", direction=run.direction, language=lang)
        x += _length(run, size, lang)


@functools.cache
def _background() -> Image.Image:
    """Drawn once: the card's grey channel before any text (0 is the background colour)."""
    image = Image.new("L", CARD_SIZE, 0)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, CARD_SIZE[0], 11), fill=255)
    draw.rectangle((MARGIN, CARD_SIZE[1] - 110, CARD_SIZE[0] - MARGIN, CARD_SIZE[1] - 108), fill=90)
    return image


@functools.cache
def _palette() -> list[int]:
    return [round(b + (f - b) * level / 255) for level in range(256) for b, f in zip(CARD_BACKGROUND, CARD_FOREGROUND)]


TITLE_TOP = 150


def title_layout(text: CardText) -> tuple[int, list[str]]:
    """The title's size and lines: the largest size at which it fits."""
    order = FONT_ORDER.get(text.lang, _LATIN_FIRST)
    usable = CARD_SIZE[0] - 2 * MARGIN
    for size, max_lines in TITLE_SIZES:
        lines, fitted = wrap(text.title, size, usable, text.lang, text.direction, order, max_lines)
        if fitted:
            break
    return size, lines


def baseline(size: int, number: int) -> int:
    """Where the title's line `number` (from 0) stands."""
    return TITLE_TOP + size + number * round(size * 1.25)


def draw_card(text: CardText) -> Image.Image:
    """The card as a palette image: label, title, then the site's name."""
    order = FONT_ORDER.get(text.lang, _LATIN_FIRST)
    base = text.direction
    image = _background().copy()
    draw = ImageDraw.Draw(image)
    _draw_line(draw, _fit(text.label, 30, text.lang, base, order), 110, 30, text.lang, base, order, 200)
    size, lines = title_layout(text)
    for number, line in enumerate(lines):
        _draw_line(draw, line, baseline(size, number), size, text.lang, base, order, 255)
    _draw_line(draw, _fit(text.site_name, 28, text.lang, base, order), CARD_SIZE[1] - 55, 28, text.lang, base, order, 210)
    card = Image.frombytes("P", CARD_SIZE, image.tobytes())
    card.putpalette(_palette())
    return card


def _fit(text: str, size: int, lang: str, base: str, order: tuple[str, ...]) -> str:
    """One line: the text, cut with … if it is wider than the card."""
    lines, _ = wrap(text, size, CARD_SIZE[0] - 2 * MARGIN, lang, base, order, 1)
    return lines[0] if lines else ""


def card_from_title(text: CardText, alt: str, cache: Cache, folder: str) -> tuple[Card, Made]:
    order = FONT_ORDER.get(text.lang, _LATIN_FIRST)
    name = f"{_key('card-title', text, [font_digest(font) for font in order], CARD_SIZE)}.png"
    cached = cache.get(name, lambda path: draw_card(text).save(path, "PNG", compress_level=3))
    card = Card(f"{folder}/{name}", *CARD_SIZE, alt=alt, type="image/png")
    return card, Made(card.path, cached)


def made_paths(made: Iterable[Made]) -> dict[str, Path]:
    return {m.path: m.cached for m in made}
