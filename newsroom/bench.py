"""Benchmark: our full build pipeline against plain Material, on a generated corpus.

    python -m newsroom.bench                        # 200 releases x 6 languages, then 1000 x 1; 3 pairs each
    python -m newsroom.bench --shape 1000x1 --pairs 3    # one shape (or --n 1000 --languages 1)
    python -m newsroom.bench --scaling 500,1000,2000 [--runs 3]
    python -m newsroom.bench --search-payload       # N=5000: bytes of a first search
    python -m newsroom.bench --build-only --n 5000 --languages 6
    python -m newsroom.bench --profile              # cProfile of one language, ours and the baseline, N=1000
    python -m newsroom.bench --project ../other-checkout   # another commit, to compare
    python -m newsroom.bench --page-view            # what one page view fetches, N=100 and N=1000
    python -m newsroom.bench --edit-loop            # make serve at N=1000: save a release, time until it shows

Everything happens in a fresh temporary folder (deleted afterwards unless
--keep), laid out like tests/sitebuild.assemble: the project's mkdocs.yml,
hooks/, overrides/ and newsroom/ linked, data/ copied, and a generated docs/.
The project's own docs/ is never read for content nor written.

The corpus is deterministic (seeded): N releases in each of the first L
languages of data/languages.yml. English holds the sources; every other
language has a real translation file for every page (translation front-matter:
translatable fields plus `translation: {status: unofficial, source_hash}`), so
each language publishes N releases of its own. Release bodies are about 600
words of sentences sampled from the words of the project's real releases,
programmes and resources in that language (so word frequencies and scripts are
realistic, Chinese included; new content there changes the corpus a little),
with a `##` heading, a relative link to a programme page, a quotation, and
generated names and rare words so that the vocabulary grows with N as real
text does. Two releases in five have a lead image: a JPEG of 1600 to 3000
pixels generated here (`picture`, never a photograph).

Images: the full build makes each lead image's sizes and each release's and
programme's share card (hooks/images.py) into a cache. By default
(`--image-cache cold`) every full run starts with an empty cache, as a first
deploy does; `--image-cache warm` keeps it from run to run, as the deploy
workflow does.

"Full" is exactly `make build`: `python -m newsroom.cli build` (hooks, feeds,
generated pages, Pagefind, all languages in parallel). "Baseline" is plain
Material for MkDocs on the same Markdown files: no hooks, no plugin but
`search`, the same Markdown extensions, nav limited to the home page with the
rest not_in_nav. With several languages the baseline builds them in parallel
with the same number of jobs as our build, so the ratio compares like with
like. Runs alternate (full, baseline, full, baseline...) and the ratio is the
median over the pairs: the machine is noisy, so only ratios within one run
mean anything. Each build's cost is its wall time and its CPU time: the user
and system time of the whole process tree (wait4's rusage of the build,
which holds every process it waited for: each language's mkdocs, Pagefind).
Wall time alone rewards work spread over more cores; CPU time is what the
publishing job and a laptop on battery pay. By default both shapes are run:
200 releases in six languages (the site's real shape) and 1,000 in one.

Memory is measured two ways: the kernel's high-water mark of the largest
single process in the build's tree (wait4's ru_maxrss: the number the 2 GB per
process target is about), and a sampler that reads /proc every 0.2 s (about 1%
of one core) for the peak and lifetime of each process ("build worker",
"pagefind [en]") and the peak of the whole tree at once.

The search payload (--search-payload) serves the built site on 127.0.0.1,
opens a release page in Debian's Chromium (Playwright, never `playwright
install`), presses "/", enters a query and waits for results, then sums every
response under /pagefind/; it compares that with the baseline's lunr
search_index.json, which Material downloads whole before any query.

The edit loop (--edit-loop, `make bench ARGS=--edit-loop`) starts `mkdocs
serve --dirty` as `make serve` does, on a generated N=1000 corpus in English,
waits for its first build, then edits releases one at a time as an editor
saves (the whole file replaced at once): the title of the newest release
(shown on its page, the home page, the news index, its year's list, its
programmes' and organisations' pages, the feeds and the related news of other
releases), the title of one from the middle of the archive, and a sentence of
another's text, five seconds apart (and five seconds after the server
starts), as an author reads between saves and the search index of the last
build is written meanwhile. After each save it waits for the server to tell browsers
to reload (its log, read every 20 ms), then fetches the release's page, the
page of its year's list and of its first programme's list that shows it,
and the site feed (if it carries the release), and prints how long each
took from the save to show the edit: the target is every one within 2 s.

The page view (--page-view, `make bench ARGS=--page-view`) builds the corpus
in all six languages at each size (N=100 and N=1000 unless --sizes), serves
it on 127.0.0.1 and opens three English pages in Debian's Chromium, each in a
fresh browser context (an empty cache: a first view): a release (the median
by date), the home page and the busiest programme's page. It prints each
view's requests and bytes as the browser receives them after decompressing
(the HTTP server here compresses nothing), and every resource fetched. The
target: a first view of a release at most 400 KB, the same within 5% at
every size, since nothing a page fetches should grow with the archive.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from newsroom.cli import cores

# The checkout this file is in: the project benchmarked unless --project names another.
CHECKOUT = Path(__file__).resolve().parent.parent
# The build's clock, pinned: every generated date is before it, so no release
# is an embargo, and two runs publish the same pages.
NOW = "2026-01-01T00:00:00Z"
FIRST_DAY = datetime(2016, 1, 1, tzinfo=timezone.utc)
DAYS = 3653  # ten years: 2016-01-01 to 2025-12-31
MEMORY_TARGET_MB = 2048
# Full pipeline against plain Material, in wall and in CPU time (issue 16).
RATIO_TARGET = 1.5
# The shapes `make bench` compares: the site's real shape (about 200
# releases, six languages) and one large language.
SHAPES = ((200, 6), (1000, 1))
PAYLOAD_TARGET_KB = 300
PAYLOAD_TARGET_RATIO = 10
PAGE_VIEW_TARGET_KB = 400
PAGE_VIEW_SPREAD = 0.05  # the largest release view at most 5% over the smallest
GZIP_LEVEL = 6  # what servers commonly use (Apache mod_deflate, most CDNs)
CHROMIUM = Path("/usr/bin/chromium")
# The network is closed; see ARCHITECTURE.md §5 and tests/conftest.py.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

PROGRAMMES = [
    # slug, short name, English title; weights make some programmes busier.
    ("ai-governance", "AI-GOV", "Responsible AI Governance in Law Enforcement", 30),
    ("online-harms", "SAFE-ONLINE", "Countering Terrorist Content Online", 20),
    ("digital-evidence", "E-EVIDENCE", "Digital Evidence in Counter-Terrorism Investigations", 15),
    ("cyber-resilience", "CYBER-RES", "Cyber Resilience of Critical Infrastructure", 10),
    ("border-security", "BORDER-TECH", "New Technologies for Border Security", 10),
    ("financial-tracing", "FIN-TRACE", "Tracing Virtual Assets and Terrorist Financing", 7),
    ("victim-support", "VICTIMS", "Support to Victims of Terrorism", 5),
    ("research-foresight", "FORESIGHT", "Research and Foresight on Emerging Technologies", 3),
]
RESOURCE_KINDS = ["toolkit", "handbook", "report", "compendium", "guide"]
# The share of releases with a lead image (generated, bench.picture).
IMAGE_SHARE = 0.4

CITIES = {
    "en": ["New York", "Vienna", "Turin", "Geneva", "Lyon", "Singapore", "The Hague", "Nairobi", "Doha", "Brussels"],
    "fr": ["New York", "Vienne", "Turin", "Genève", "Lyon", "Singapour", "La Haye", "Nairobi", "Doha", "Bruxelles"],
    "es": ["Nueva York", "Viena", "Turín", "Ginebra", "Lyon", "Singapur", "La Haya", "Nairobi", "Doha", "Bruselas"],
    "ar": ["نيويورك", "فيينا", "تورينو", "جنيف", "ليون", "سنغافورة", "لاهاي", "نيروبي", "الدوحة", "بروكسل"],
    "ru": ["Нью-Йорк", "Вена", "Турин", "Женева", "Лион", "Сингапур", "Гаага", "Найроби", "Доха", "Брюссель"],
    "zh": ["纽约", "维也纳", "都灵", "日内瓦", "里昂", "新加坡", "海牙", "内罗毕", "多哈", "布鲁塞尔"],
}
QUOTES = {
    "en": "“{q}”, said {name}.",
    "fr": "« {q} », a déclaré {name}.",
    "es": "«{q}», afirmó {name}.",
    "ar": "وقال {name}: «{q}».",
    "ru": "«{q}», — заявил {name}.",
    "zh": "{name}表示：“{q}”",
}
_LATIN = "ka ri mo va len tor ba si del mar no ra ti go fer lu an ne es ol".split()
SYLLABLES = {
    "ru": "ка ри мо ва лен тор ба си дел мар но ра ти го фер лу ан не ес ол".split(),
    "ar": "كا ري مو فا لين تور با سي دل مار نو را تي غو فر لو أن نه س ول".split(),
}
RARE_WORDS = 0.02  # share of words generated from syllables instead of sampled
ZH_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
ZH_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


# --------------------------------------------------------------------------
# The corpus


@dataclass(frozen=True)
class GeneratedRelease:
    src_uri: str
    id: str
    date: datetime
    programmes: tuple[str, ...]

    @property
    def url(self) -> str:
        return self.src_uri[:-3] + "/"


@dataclass
class Corpus:
    root: Path
    languages: list[str]
    releases: list[GeneratedRelease]
    programmes: list[str]
    resources: list[str]
    seconds: float = 0.0

    def releases_by_date(self) -> list[GeneratedRelease]:
        """Newest first, as the site lists them."""
        return sorted(self.releases, key=lambda r: (r.date, r.id), reverse=True)

    @staticmethod
    def list_page(owner: str, listed: list[GeneratedRelease], release: GeneratedRelease) -> str:
        """The page of a list (newest first, 25 a page) that shows a release."""
        from newsroom.listings import PER_PAGE

        number = listed.index(release) // PER_PAGE + 1
        return owner if number == 1 else f"{owner}page/{number}/"


def vocabulary(lang: str, project: Path = CHECKOUT) -> list[str]:
    """The project's real release, programme and resource text in this language, as a token stream.

    Sampling from the stream keeps the natural word frequencies; Chinese has
    no spaces, so its runs of characters are cut into two-character pieces.
    """
    folder = project / "docs" / lang
    # Content only: news, programmes and resources read like releases; the
    # author guide (about/) is full of Markdown and YAML words.
    paths = sorted(p for top in ("news", "programmes", "resources") for p in (folder / top).rglob("*.md"))
    tokens: list[str] = []
    for path in paths:
        text = path.read_text("utf-8")
        parts = text.split("\n---", 1) if text.startswith("---") else ["", text]
        body = parts[-1].split("\n", 1)[-1] if len(parts) == 2 else text
        body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
        if lang == "zh":
            for run in re.findall(r"[\u4e00-\u9fff]+", body):
                tokens.extend(run[i : i + 2] for i in range(0, len(run), 2))
        else:
            tokens.extend(re.findall(r"[^\W\d_][\w’'-]*[^\W_]|[^\W\d_]", body))
    if len(tokens) < 200 and lang != "en":
        return vocabulary("en", project)
    return tokens


class Writer:
    """Sentences, titles, names and bodies in one language, from its vocabulary."""

    def __init__(self, lang: str, project: Path = CHECKOUT) -> None:
        self.lang = lang
        self.words = vocabulary(lang, project)
        self.ascii = [w.lower() for w in self.words if re.fullmatch(r"[A-Za-z]{3,}", w)]

    def _join(self, words: list[str]) -> str:
        if self.lang == "zh":
            return "".join(words)
        text = " ".join(words)
        return text[:1].upper() + text[1:]

    def word(self, rng: random.Random) -> str:
        """Mostly the real words; now and then a rare one, so that the
        vocabulary keeps growing with the corpus as real text does (names,
        places, terms: about half of a real vocabulary occurs only once)."""
        if rng.random() >= RARE_WORDS:
            return rng.choice(self.words)
        if self.lang == "zh":
            return "".join(rng.choice(ZH_SURNAMES + ZH_GIVEN) for _ in range(2))
        return "".join(rng.choice(SYLLABLES.get(self.lang, _LATIN)) for _ in range(rng.randint(3, 4)))

    def phrase(self, rng: random.Random, low: int, high: int, extra: str | None = None) -> str:
        words = [self.word(rng) for _ in range(rng.randint(low, high))]
        if extra is not None:
            words.insert(rng.randint(1, len(words)), extra)
        return self._join(words)

    def sentence(self, rng: random.Random, low: int = 12, high: int = 22, extra: str | None = None) -> str:
        return self.phrase(rng, low, high, extra) + ("。" if self.lang == "zh" else ".")

    def sentences(self, rng: random.Random, count: int) -> str:
        return ("" if self.lang == "zh" else " ").join(self.sentence(rng) for _ in range(count))

    def name(self, rng: random.Random) -> str:
        if self.lang == "zh":
            return rng.choice(ZH_SURNAMES) + "".join(rng.choice(ZH_GIVEN) for _ in range(rng.randint(1, 2)))
        syllables = SYLLABLES.get(self.lang, _LATIN)
        parts = ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))) for _ in range(2)]
        return " ".join(p[:1].upper() + p[1:] for p in parts)

    def city(self, index: int) -> str:
        return CITIES.get(self.lang, CITIES["en"])[index]

    def body(self, rng: random.Random, link_text: str, link_target: str, paragraphs: int = 7) -> str:
        """About 600 words: paragraphs, a ## heading, a relative link, a quotation."""
        joiner = "" if self.lang == "zh" else " "
        out = []
        for number in range(paragraphs):
            if number == 3:
                out.append("## " + self.phrase(rng, 3, 6))
            count = rng.randint(4, 6)
            sentences = [self.sentence(rng, extra=f"[{link_text}]({link_target})" if number == 0 and i == 0 else None) for i in range(count)]
            if number == 2:
                quote = QUOTES.get(self.lang, QUOTES["en"]).format(q=self.phrase(rng, 12, 20), name=self.name(rng))
                sentences.insert(1, quote)
            out.append(joiner.join(sentences))
        return "\n\n".join(out) + "\n"


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def _front_matter(fields: dict[str, Any]) -> str:
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, str):
            lines.append(f"{key}: {_q(value)}")
        elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            lines.append(f"{key}: [{', '.join(_q(v) for v in value)}]")
        elif isinstance(value, list):  # list of mappings (contacts)
            lines.append(f"{key}:")
            for entry in value:
                first = True
                for k, v in entry.items():
                    lines.append(f"  {'- ' if first else '  '}{k}: {_q(v)}")
                    first = False
        elif isinstance(value, dict):
            lines.append(f"{key}:")
            lines.extend(f"  {k}: {_q(v)}" for k, v in value.items())
        else:
            lines.append(f"{key}: {json.dumps(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def picture(rng: random.Random) -> bytes:
    """A generated lead image: a camera's size (up to 3000 px wide), in
    colours of its own; a JPEG as a phone or a press office would send it."""
    import io

    from PIL import Image, ImageDraw

    width = rng.choice((1600, 2400, 3000))
    height = width * rng.choice((9, 10, 12)) // 16
    start, end = (tuple(rng.randrange(30, 220) for _ in range(3)) for _ in range(2))
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image = Image.composite(Image.new("RGB", image.size, end), Image.new("RGB", image.size, start), image.convert("L"))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(40, height // 3)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def _slug(words: list[str], suffix: str) -> str:
    return "-".join([*words, suffix])


def generate(root: Path, n: int, langs: list[str], seed: int = 1, project: Path = CHECKOUT) -> Corpus:
    """Write docs/<lang>/ for the first langs: English sources and translations.

    Each item has its own RNG seeded by its number, so the corpus of N=500 is
    the first 500 releases of the corpus of N=1000.
    """
    started = time.monotonic()
    from newsroom.translations import source_hash, translatable_fields

    schema_dir = str(root / "data" / "schemas")
    organisations = list(yaml.safe_load((root / "data" / "organisations.yml").read_text("utf-8")))
    writers = {lang: Writer(lang, project) for lang in langs}
    english = writers["en"]
    # src_uri -> (kind, English front-matter, English body, link text, link target, paragraphs)
    items: dict[str, tuple[str, dict[str, Any], str, tuple[str, str], int]] = {}

    def add(kind: str, uri: str, fields: dict[str, Any], link: tuple[str, str], paragraphs: int, rng: random.Random) -> None:
        body = english.body(rng, *link, paragraphs=paragraphs)
        items[uri] = (kind, fields, body, link, paragraphs)

    slugs = [p[0] for p in PROGRAMMES]
    resources = []
    for number, (slug, short, title, _) in enumerate(PROGRAMMES):
        rng = random.Random(f"{seed}/programme/{number}")
        implementers = rng.sample(organisations, 2)
        fields = {"title": title, "short_name": short, "summary": english.sentence(rng, 14, 24), "implementers": implementers, "funders": ["eu"], "status": "active", "launched": f"{2016 + number}-0{1 + number % 9}-15"}
        resource = f"{slug}-{rng.choice(RESOURCE_KINDS)}"
        resources.append(resource)
        add("programme", f"programmes/{slug}.md", fields, ("resource", f"../resources/{resource}.md"), 3, rng)
    for number, slug in enumerate(resources):
        rng = random.Random(f"{seed}/resource/{number}")
        kind = slug.rsplit("-", 1)[1]
        fields = {"title": english.phrase(rng, 4, 9), "kind": kind, "summary": english.sentence(rng, 14, 24), "publishers": rng.sample(organisations, 2), "programmes": [slugs[number]]}
        add("resource", f"resources/{slug}.md", fields, (PROGRAMMES[number][1], f"../programmes/{slugs[number]}.md"), 2, rng)
    home_rng = random.Random(f"{seed}/home")
    add("page", "index.md", {"title": "Responsible AI and counter-terrorism: benchmark newsroom"}, (PROGRAMMES[0][1], f"programmes/{slugs[0]}.md"), 1, home_rng)

    weights = [p[3] for p in PROGRAMMES]
    releases = []
    pictures: list[tuple[Path, random.Random]] = []
    for number in range(n):
        rng = random.Random(f"{seed}/release/{number}")
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS), hours=rng.randrange(8, 19), minutes=rng.choice((0, 15, 30, 45)))
        chosen = list(dict.fromkeys(rng.choices(slugs, weights, k=rng.choice((1, 1, 2)))))
        title = english.phrase(rng, 6, 14)
        title_words = [w for w in (t.lower() for t in title.split()) if re.fullmatch(r"[a-z0-9]+", w)][:6] or ["release"]
        uri = f"news/{day.year}/{_slug(title_words, str(number + 1))}.md"
        release_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        fields: dict[str, Any] = {
            "id": release_id,
            "title": title,
            "date": day.strftime("%Y-%m-%d %H:%M"),
            "location": english.city(rng.randrange(10)),
            "summary": " ".join(english.sentence(rng, 10, 20) for _ in range(rng.randint(1, 2))),
            "programmes": chosen,
            "publishers": rng.sample(organisations, rng.randint(1, 3)),
        }
        if rng.random() < 0.5:
            fields["funders"] = ["eu", "fpi"]
        fields["contacts"] = [{"email": f"press{rng.randrange(100)}@example.org"} for _ in range(rng.randint(1, 2))]
        if rng.random() < 0.6:
            fields["tags"] = list(dict.fromkeys(rng.sample(english.ascii, rng.randint(1, 3))))
        # A lead image for some: a picture generated here (never a photograph),
        # decided by an RNG of its own so the rest of the corpus is as before.
        pictured = random.Random(f"{seed}/image/{number}")
        if pictured.random() < IMAGE_SHARE:
            name = uri.rsplit("/", 1)[1][:-3] + ".jpg"
            fields["image"] = {"src": f"images/{name}", "alt": english.phrase(pictured, 4, 9)}
            pictures.append((root / "docs" / "en" / uri.rsplit("/", 1)[0] / "images" / name, pictured))
        programme = PROGRAMMES[slugs.index(chosen[0])]
        add("release", uri, fields, (programme[1], f"../../programmes/{programme[0]}.md"), 7, rng)
        releases.append(GeneratedRelease(uri, release_id, day, tuple(chosen)))
    for path, pictured in pictures:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(picture(pictured))

    for lang in langs:
        writer = writers[lang]
        folder = root / "docs" / lang
        for uri, (kind, fields, body, link, paragraphs) in items.items():
            target = folder / uri
            target.parent.mkdir(parents=True, exist_ok=True)
            if lang == "en":
                target.write_text(_front_matter(fields) + body, "utf-8")
                continue
            rng = random.Random(f"{seed}/{lang}/{uri}")
            translated: dict[str, Any] = {}
            # The fields the schemas mark x-translatable, as a translator fills them in.
            for key in (k for k in translatable_fields(schema_dir, kind) if k in fields):
                if key == "tags":
                    continue  # shown in English, marked as such, as most translations will
                if key == "location":
                    translated[key] = writer.city(CITIES["en"].index(fields[key]))
                elif key == "short_name":
                    translated[key] = fields[key]
                elif key == "summary":
                    translated[key] = writer.sentences(rng, 1 if kind != "release" else rng.randint(1, 2))[:590]
                elif key == "image":  # its alt text (and caption, if any)
                    translated[key] = {part: writer.phrase(rng, 4, 9) for part in ("alt", "caption") if part in fields[key]}
                elif key == "updates":  # each correction's note, in order
                    translated[key] = [{"note": writer.phrase(rng, 6, 14)} for _ in fields[key]]
                else:
                    translated[key] = writer.phrase(rng, 6, 14)[:290]
            record = SimpleNamespace(**{**fields, "kind": kind})  # a resource's own `kind` is not translatable
            translated["translation"] = {"status": "unofficial", "source_hash": source_hash(schema_dir, record, body)}
            target.write_text(_front_matter(translated) + writer.body(rng, *link, paragraphs=paragraphs), "utf-8")
    return Corpus(root, langs, releases, slugs, resources, time.monotonic() - started)


def assemble(root: Path, languages: int, project: Path = CHECKOUT) -> list[str]:
    """Lay out the project in root as tests/sitebuild.assemble does, with the first L languages."""
    for name in ("mkdocs.yml", "hooks", "overrides", "newsroom"):
        (root / name).symlink_to(project / name)
    shutil.copytree(project / "data", root / "data")
    declared = yaml.safe_load((project / "data" / "languages.yml").read_text("utf-8"))
    if not 1 <= languages <= len(declared):
        raise SystemExit(f"--languages must be between 1 and {len(declared)} (data/languages.yml declares {len(declared)}).")
    kept = declared[:languages]
    (root / "data" / "languages.yml").write_text(yaml.safe_dump(kept, allow_unicode=True, sort_keys=False), "utf-8")
    return [entry["code"] for entry in kept]


def write_baseline_configs(root: Path, langs: list[str]) -> None:
    """Plain Material: the same Markdown, the same extensions, no hooks, only `search`."""
    from newsroom.cli import _IgnoreTags

    ours = yaml.load((root / "mkdocs.yml").read_text("utf-8"), Loader=_IgnoreTags)
    for lang in langs:
        config = {
            "site_name": "Newsroom baseline",
            "site_url": f"http://127.0.0.1:8000/{lang}/",
            "docs_dir": f"docs/{lang}",
            "site_dir": f"baseline-site/{lang}",
            "use_directory_urls": True,
            "theme": {"name": "material", "language": lang, "font": False},
            "plugins": ["search"],
            "nav": ["index.md"],
            "not_in_nav": "/news/**\n/programmes/*.md\n/resources/*.md\n",
            "markdown_extensions": ours.get("markdown_extensions", []),
        }
        (root / f"baseline-{lang}.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")


def run_baseline(root: Path, jobs: int) -> int:
    """Build every language's baseline, in parallel like newsroom.cli build."""
    langs = [entry["code"] for entry in yaml.safe_load((root / "data" / "languages.yml").read_text("utf-8"))]

    def one(lang: str) -> tuple[str, int, str]:
        env = dict(os.environ, NEWSROOM_LANG=lang)
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", f"baseline-{lang}.yml"], cwd=root, env=env, capture_output=True, text=True)
        return lang, done.returncode, done.stdout + done.stderr

    failed = 0
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for lang, status, output in pool.map(one, langs):
            print(f"  [{lang}] baseline {'built' if status == 0 else 'FAILED'}", flush=True)
            if status:
                failed += 1
                print(output, flush=True)
    return 1 if failed else 0


# --------------------------------------------------------------------------
# Measuring one build


@dataclass
class Run:
    kind: str
    wall: float
    cpu: float  # user + system seconds of the whole process tree (wait4's rusage)
    pages: int
    size: int
    files: int
    largest_kb: int  # kernel high-water of the largest single process in the tree
    tree_kb: int  # sampled peak of the whole tree at one moment
    processes: dict[str, tuple[int, float]] = field(default_factory=dict)  # label -> (sampled peak kB, seconds alive)

    @property
    def ms_per_page(self) -> float:
        return 1000 * self.wall / max(self.pages, 1)

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu / max(self.pages, 1)


class TreeSampler(threading.Thread):
    """Peak RSS and lifetime of each process under a root pid, read from /proc every 0.2 s."""

    def __init__(self, root_pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.root_pid = root_pid
        self.interval = interval
        self.done = threading.Event()
        self.tree_kb = 0
        self.peaks: dict[int, int] = {}
        self.labels: dict[int, str] = {}
        self.alive: dict[int, tuple[float, float]] = {}  # first and last time seen
        self.page_kb = os.sysconf("SC_PAGE_SIZE") // 1024

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self.done.set()
        self.join()

    def sample(self) -> None:
        children: dict[int, list[int]] = defaultdict(list)
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children[ppid].append(int(entry.name))
        total = 0
        now = time.monotonic()
        todo = [self.root_pid]
        while todo:
            pid = todo.pop()
            todo.extend(children.get(pid, ()))
            try:
                with open(f"/proc/{pid}/statm", "rb") as statm:
                    rss = int(statm.read().split()[1]) * self.page_kb
            except (OSError, IndexError, ValueError):
                continue
            # Read every time: `python -m pagefind` execs into Pagefind's binary.
            label = _label(pid)
            if label != str(pid) or pid not in self.labels:  # a process on its way out keeps its name
                self.labels[pid] = label
            total += rss
            self.peaks[pid] = max(self.peaks.get(pid, 0), rss)
            self.alive[pid] = (self.alive.get(pid, (now, now))[0], now)
        self.tree_kb = max(self.tree_kb, total)

    def by_label(self) -> dict[str, tuple[int, float]]:
        """label -> (peak kB, seconds alive): how big each step got, and how long it ran."""
        out: dict[str, tuple[int, float]] = {}
        for pid, kb in self.peaks.items():
            label = self.labels.get(pid, str(pid))
            first, last = self.alive[pid]
            peak, seconds = out.get(label, (0, 0.0))
            out[label] = (max(peak, kb), seconds + last - first)
        return out


def _label(pid: int) -> str:
    """"pagefind [en]", "newsroom.cli build", "build worker" (newsroom.cli's
    processes that build languages in turn), "mkdocs build [fr]" (the
    baseline's)."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return str(pid)
    args = [a.decode("utf-8", "replace") for a in argv if a]
    if not args:
        return str(pid)
    name = Path(args[0]).name
    if name.startswith("pagefind"):  # pagefind_extended, once `python -m pagefind` has exec'd
        name = "pagefind"
    if "--multiprocessing-fork" in args:
        return "build worker"
    if name.startswith("python") and "-m" in args:
        at = args.index("-m")
        module = args[at + 1 : at + 2]
        sub = [a for a in args[at + 2 : at + 3] if not a.startswith("-")]
        name = " ".join(module + sub)
    lang = next((e.split(b"=", 1)[1].decode() for e in environ if e.startswith(b"NEWSROOM_LANG=")), None)
    return f"{name} [{lang}]" if lang else name


def _output(site: Path) -> tuple[int, int, int]:
    pages = size = files = 0
    for path in site.rglob("*"):
        if path.is_file():
            files += 1
            size += path.stat().st_size
            pages += path.name == "index.html"
    return pages, size, files


def build_env() -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", LC_ALL="C.UTF-8", LANG="C.UTF-8", NEWSROOM_NOW=NOW)
    env.pop("NEWSROOM_LANG", None)
    return env


def measure(kind: str, command: list[str], root: Path, site: Path, log: Path, cwd: Path | None = None) -> Run:
    shutil.rmtree(site, ignore_errors=True)
    with log.open("w") as out:
        started = time.monotonic()
        # Its own process group, so an interrupted benchmark stops its builds too.
        process = subprocess.Popen(command, cwd=cwd or root, env=build_env(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        sampler = TreeSampler(process.pid)
        sampler.start()
        try:
            # wait4, not wait: its ru_maxrss is the high-water mark of the largest
            # single process among this child and every descendant it waited for,
            # and its user and system times are theirs added up: the CPU the
            # whole tree used (every process of a build waits for its children).
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            os.killpg(process.pid, signal.SIGTERM)
            raise
        finally:
            sampler.stop()
        wall = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        print(f"{kind} build FAILED (exit {process.returncode}); its output ({log}):\n{log.read_text()[-6000:]}", file=sys.stderr)
        raise SystemExit(1)
    pages, size, files = _output(site)
    return Run(kind, wall, usage.ru_utime + usage.ru_stime, pages, size, files, usage.ru_maxrss, sampler.tree_kb, sampler.by_label())


def full_command(site_url: str | None = None) -> list[str]:
    command = [sys.executable, "-m", "newsroom.cli", "build", "--site-dir", "site"]
    return command + (["--site-url", site_url] if site_url else [])


def full(root: Path, number: int, jobs: int, site_url: str | None = None, cold_images: bool = False) -> Run:
    """One `make build`. cold_images: with an empty image cache (hooks/images.py),
    so every image size and share card is made: what a first deploy costs."""
    if cold_images:
        shutil.rmtree(root / ".cache" / "newsroom-images", ignore_errors=True)
    command = full_command(site_url) + ["--jobs", str(jobs)]
    return measure("full", command, root, root / "site", root / f"full-{number}.log")


def baseline(root: Path, number: int, jobs: int) -> Run:
    # Run from this checkout: root's newsroom/ is the benchmarked project's, which may predate this file.
    command = [sys.executable, "-m", "newsroom.bench", "--run-baseline", str(root), "--jobs", str(jobs)]
    return measure("baseline", command, root, root / "baseline-site", root / f"baseline-{number}.log", cwd=CHECKOUT)


def check_releases(corpus: Corpus) -> None:
    """The benchmark means nothing if releases went missing: every page must exist."""
    missing = [f"{lang}/{r.url}" for lang in corpus.languages for r in corpus.releases if not (corpus.root / "site" / lang / r.url / "index.html").is_file()]
    if missing:
        print(f"{len(missing)} generated release(s) missing from the full build, e.g. {', '.join(missing[:3])}", file=sys.stderr)
        raise SystemExit(1)


# --------------------------------------------------------------------------
# Reports

MB = 1024 * 1024


def _mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"


def print_table(runs: list[Run]) -> None:
    print(f"{'run':<14}{'wall s':>8}{'CPU s':>8}{'ms/page':>9}{'pages':>8}{'output MB':>11}{'files':>8}{'largest process':>17}{'tree peak':>11}")
    for index, run in enumerate(runs):
        label = f"{run.kind} #{index // 2 + 1}" if run.kind in ("full", "baseline") else run.kind
        print(f"{label:<14}{run.wall:>8.1f}{run.cpu:>8.1f}{run.ms_per_page:>9.1f}{run.pages:>8}{run.size / MB:>11.1f}{run.files:>8}{_mb(run.largest_kb):>17}{_mb(run.tree_kb):>11}")


def print_processes(kind: str, runs: list[Run]) -> None:
    """Each step of the build: its peak RSS (max over runs) and how long it ran (median)."""
    peaks: dict[str, int] = {}
    seconds: dict[str, list[float]] = defaultdict(list)
    for run in runs:
        for label, (kb, alive) in run.processes.items():
            peaks[label] = max(peaks.get(label, 0), kb)
            seconds[label].append(alive)
    shown = sorted(((kb, label) for label, kb in peaks.items() if kb >= 20 * 1024), reverse=True)
    print(f"  {kind} per process (sampled; peak RSS max over runs, time alive median): " + ", ".join(f"{label} {_mb(kb)} {statistics.median(seconds[label]):.1f} s" for kb, label in shown))


def print_summary(kind: str, runs: list[Run]) -> None:
    wall = statistics.median(r.wall for r in runs)
    cpu = statistics.median(r.cpu for r in runs)
    ms = statistics.median(r.ms_per_page for r in runs)
    largest = max(r.largest_kb for r in runs)
    print(f"{kind}: median wall {wall:.1f} s, CPU {cpu:.1f} s, {ms:.1f} ms/page, {runs[0].pages} pages, output {runs[0].size / MB:.1f} MB in {runs[0].files} files, largest process {_mb(largest)}, tree peak {_mb(max(r.tree_kb for r in runs))}")
    print_processes(kind, runs)


def print_memory_target(runs: list[Run]) -> None:
    largest = max(r.largest_kb for r in runs)
    verdict = "met" if largest <= MEMORY_TARGET_MB * 1024 else "NOT MET"
    print(f"memory target (≤ {MEMORY_TARGET_MB} MB per process): {verdict}, largest process {_mb(largest)}")


# --------------------------------------------------------------------------
# Modes


@contextmanager
def workspace(keep: bool, workdir: Path | None, project: Path) -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="newsroom-bench-", dir=workdir))
    print(f"Work folder: {root}{' (kept)' if keep else ' (deleted afterwards; --keep keeps it)'}", flush=True)
    # Other work on the machine skews timings: say how busy it was.
    print(f"Machine: {os.cpu_count()} CPUs, load average {_load()} at start", flush=True)
    print(f"Project: {_describe(project)}", flush=True)
    try:
        yield root
        print(f"Machine: load average {_load()} at end (1, 5, 15 min)", flush=True)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def _describe(project: Path) -> str:
    """Which code was measured: the folder, its commit, and whether it has uncommitted changes."""
    git = ["git", "-C", str(project)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    if commit.returncode != 0:
        return f"{project} (not a git checkout)"
    dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
    return f"{project} at {commit.stdout.strip()}{' with uncommitted changes' if dirty else ''}"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def prepare(root: Path, n: int, languages: int, args: argparse.Namespace) -> Corpus:
    seed = args.seed
    langs = assemble(root, languages, args.project)
    corpus = generate(root, n, langs, seed, args.project)
    write_baseline_configs(root, langs)
    print(f"Corpus: {n} releases x {len(langs)} language(s) ({', '.join(langs)}), {len(corpus.programmes)} programmes, {len(corpus.resources)} resources, seed {seed}; written in {corpus.seconds:.1f} s", flush=True)
    return corpus


def shapes(args: argparse.Namespace) -> list[tuple[int, int]]:
    """The (releases, languages) shapes to compare: --shape, else --n and
    --languages, else the site's real shape and one large language."""
    if args.shape:
        out = []
        for given in args.shape:
            n, _, languages = given.lower().partition("x")
            if not (n.isdigit() and languages.isdigit()):
                raise SystemExit(f'--shape {given}: write releases x languages, e.g. 200x6')
            out.append((int(n), int(languages)))
        return out
    if args.n is not None or args.languages is not None:
        return [(args.n or 1000, args.languages or 1)]
    return list(SHAPES)


def pairs_mode(args: argparse.Namespace) -> int:
    """Each shape in its own work folder: alternating full and baseline builds."""
    results: list[tuple[int, int, float, float]] = []
    for n, languages in shapes(args):
        print(f"\n=== {n} releases x {languages} language(s), {args.jobs} parallel language build(s) in both pipelines, image cache {args.image_cache} ===", flush=True)
        with workspace(args.keep, args.workdir, args.project) as root:
            corpus = prepare(root, n, languages, args)
            runs: list[Run] = []
            for number in range(1, args.pairs + 1):
                for kind in ("full", "baseline"):
                    print(f"[{kind} #{number}] building...", flush=True)
                    run = full(root, number, args.jobs, cold_images=args.image_cache == "cold") if kind == "full" else baseline(root, number, args.jobs)
                    if kind == "full":
                        check_releases(corpus)
                    print(f"[{kind} #{number}] {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, {run.pages} pages, {run.ms_per_page:.1f} ms/page, largest process {_mb(run.largest_kb)}", flush=True)
                    runs.append(run)
            print()
            print_table(runs)
            fulls = [r for r in runs if r.kind == "full"]
            bases = [r for r in runs if r.kind == "baseline"]
            print_summary("full", fulls)
            print_summary("baseline", bases)
            wall = statistics.median(f.wall / b.wall for f, b in zip(fulls, bases))
            cpu = statistics.median(f.cpu / b.cpu for f, b in zip(fulls, bases))
            ms = statistics.median(f.ms_per_page / b.ms_per_page for f, b in zip(fulls, bases))
            memory = statistics.median(f.largest_kb / b.largest_kb for f, b in zip(fulls, bases))
            size = statistics.median(f.size / b.size for f, b in zip(fulls, bases))
            print(f"ratio full/baseline (median of {len(fulls)} pair(s)): wall {wall:.2f}x, CPU {cpu:.2f}x, ms/page {ms:.2f}x, largest process {memory:.2f}x, output size {size:.2f}x")
            print_memory_target(runs)
            results.append((n, languages, wall, cpu))
    if len(results) > 1:
        print(f"\nSummary (full/baseline, median of {args.pairs} pair(s) each; target: at most {RATIO_TARGET}x in wall and in CPU time)")
    for n, languages, wall, cpu in results:
        verdict = "met" if wall <= RATIO_TARGET and cpu <= RATIO_TARGET else "NOT MET"
        print(f"{n} x {languages}: wall {wall:.2f}x, CPU {cpu:.2f}x: target {verdict}")
    return 0


def scaling_mode(args: argparse.Namespace) -> int:
    """The full pipeline at each N; with --runs, the sizes are interleaved
    (500, 1000, 2000, 500, ...) and each N keeps its median run (of two, the
    faster: other work on the machine only ever slows a run down)."""
    sizes = [int(s) for s in args.scaling.split(",") if s.strip()]
    runs: dict[int, list[Run]] = defaultdict(list)
    with workspace(args.keep, args.workdir, args.project) as parent:
        corpora = {}
        for n in sizes:
            root = parent / f"n{n}"
            root.mkdir()
            corpora[n] = prepare(root, n, 1, args)
        for number in range(1, args.runs + 1):
            for n in sizes:
                print(f"[full, N={n}, run {number}] building...", flush=True)
                run = full(corpora[n].root, number, args.jobs)
                check_releases(corpora[n])
                print(f"[full, N={n}, run {number}] {run.wall:.1f} s, {run.pages} pages, {run.ms_per_page:.1f} ms/page, largest process {_mb(run.largest_kb)}", flush=True)
                runs[n].append(run)
        print()
        print(f"{'N':>6}{'pages':>8}{'wall s':>8}{'ms/page':>9}{'vs first':>10}{'marginal ms/page':>18}{'largest process':>17}   per process")
        chosen = {n: sorted(runs[n], key=lambda r: r.wall)[(len(runs[n]) - 1) // 2] for n in sizes}  # the lower median
        first = chosen[sizes[0]].ms_per_page
        previous: Run | None = None
        for n in sizes:
            run = chosen[n]
            marginal = f"{1000 * (run.wall - previous.wall) / max(run.pages - previous.pages, 1):.1f}" if previous else "-"
            steps = ", ".join(f"{label} {seconds:.1f} s" for label, (kb, seconds) in sorted(run.processes.items()) if label.startswith(("build worker", "pagefind")))
            print(f"{n:>6}{run.pages:>8}{run.wall:>8.1f}{run.ms_per_page:>9.1f}{run.ms_per_page / first:>9.2f}x{marginal:>18}{_mb(run.largest_kb):>17}   {steps}")
            previous = run
        print(f"(median of {args.runs} run(s) per N; marginal: the time of the pages added since the previous N, per added page, without the constant start-up cost; a build worker's time includes its Pagefind children)")
        print_memory_target([r for rs in runs.values() for r in rs])
    return 0


def build_only_mode(args: argparse.Namespace) -> int:
    n = args.n or 1000
    with workspace(args.keep, args.workdir, args.project) as root:
        corpus = prepare(root, n, args.languages or 1, args)
        print("[full] building (python -m newsroom.cli build, as make build)...", flush=True)
        run = full(root, 1, args.jobs)
        check_releases(corpus)
        print((root / "full-1.log").read_text().rstrip())
        print()
        print_table([run])
        print_summary("full", [run])
        print_memory_target([run])
    return 0


# Profile areas: which code the time belongs to, by file path. Jinja compiles
# each template to code that carries the template's file name.
AREAS = [
    ("mkdocs-rss-plugin", "mkdocs_rss_plugin"),
    ("feedgen", "/feedgen/"),
    ("Material templates", "/material/templates/"),
    ("Material (Python)", "/material/"),
    ("MkDocs", "/mkdocs/"),
    ("Jinja2", "/jinja2/"),
    ("Markdown", "/markdown/"),
    ("pymdown-extensions", "/pymdownx/"),
    ("PyYAML", "/yaml/"),
    ("Babel", "/babel/"),
    ("lxml", "/lxml/"),
    ("BeautifulSoup", "/bs4/"),
    ("MarkupSafe", "/markupsafe/"),
]


def _area(filename: str) -> str:
    if "site-packages" not in filename:
        for name, needle in (("ours: overrides/ templates", "/overrides/"), ("ours: hooks/", "/hooks/"), ("ours: newsroom/", "/newsroom/")):
            if needle in filename:
                return name
    for name, needle in AREAS:
        if needle in filename:
            return name
    if filename.startswith("~") or "/lib/python3" in filename:
        return "Python stdlib / builtins"
    return "other"


# cProfile counting CPU time, not wall time: on a busy machine the time a
# process waits for a core would otherwise land on whatever it was running.
# argv: the profile to write, then `-m module args...`.
PROFILED = """
import cProfile, runpy, sys, time
out, module = sys.argv[1], sys.argv[3]
sys.argv = [module, *sys.argv[4:]]
profile = cProfile.Profile(time.process_time)
try:
    profile.runcall(runpy.run_module, module, run_name="__main__", alter_sys=True)
except SystemExit as done:
    status = done.code
else:
    status = 0
profile.dump_stats(out)
sys.exit(status)
"""


def _profile(command: list[str], root: Path, env: dict[str, str], out: Path) -> tuple[float, float, dict[tuple[str, int, str], tuple]]:
    """Run one build under cProfile: (wall s, CPU s of its whole process
    tree, the profile's raw stats). Pagefind, a child process, is in the CPU
    time but not in the profile, which sees only this Python process."""
    import pstats

    started = time.monotonic()
    with (out.with_suffix(".log")).open("w") as log:
        process = subprocess.Popen([sys.executable, "-c", PROFILED, str(out), *command], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed under cProfile:\n{out.with_suffix('.log').read_text()[-4000:]}")
    raw: dict[tuple[str, int, str], tuple] = pstats.Stats(str(out)).stats  # type: ignore[attr-defined]
    return time.monotonic() - started, usage.ru_utime + usage.ru_stime, raw


def profile_mode(args: argparse.Namespace) -> int:
    """One language's mkdocs build, ours and plain Material's, each under
    cProfile: where ours spends time beyond the baseline, by area, then our
    hotspots."""
    n = args.n or 1000
    with workspace(args.keep, args.workdir, args.project) as root:
        prepare(root, n, 1, args)
        env = build_env()
        env.update(NEWSROOM_LANG="en", NEWSROOM_DOCS_DIR="docs/en", NEWSROOM_SITE_DIR="site/en", NEWSROOM_SITE_URL="http://127.0.0.1:8000/en/")
        runs = {}
        for kind, command in (("full", ["-m", "mkdocs", "build", "--quiet"]), ("baseline", ["-m", "mkdocs", "build", "--quiet", "-f", "baseline-en.yml"])):
            print(f"[profile] {kind}: python {' '.join(command)} under cProfile, counting CPU time (in {root}{', NEWSROOM_* set as newsroom.cli.language_env does' if kind == 'full' else ''})", flush=True)
            runs[kind] = _profile(command, root, env, root / f"{kind}.prof")
            wall, cpu, _ = runs[kind]
            print(f"[profile] {kind}: {wall:.1f} s wall, {cpu:.1f} s CPU of the process tree, under cProfile (slower than without)", flush=True)
        areas: dict[str, dict[str, float]] = {kind: defaultdict(float) for kind in runs}
        totals = {}
        for kind, (_, cpu, raw) in runs.items():
            totals[kind] = max((ct for (_, _, _, ct, _) in raw.values()), default=1.0)
            for (filename, _, _), (_, _, tt, _, _) in raw.items():
                areas[kind][_area(filename)] += tt
        print(f"\nOwn CPU time by area under cProfile (total: full {totals['full']:.1f} s, baseline {totals['baseline']:.1f} s; Pagefind's process is outside the profile: the tree's CPU time above holds it)")
        print(f"  {'area':<28}{'full s':>8}{'baseline s':>12}{'beyond s':>10}")
        for area in sorted(set(areas["full"]) | set(areas["baseline"]), key=lambda a: -(areas["full"][a] - areas["baseline"][a])):
            full_s, base_s = areas["full"][area], areas["baseline"][area]
            print(f"  {area:<28}{full_s:>8.2f}{base_s:>12.2f}{full_s - base_s:>+10.2f}")
        raw = runs["full"][2]

        def shown(key: tuple[str, int, str]) -> str:
            filename, line, func = key
            short = re.sub(r"^.*/(site-packages|lib/python3\.\d+)/", "", filename)
            short = short.replace(str(root) + "/", "").replace(str(args.project) + "/", "")
            return f"{short}:{line}({func})"

        ours = {k: v for k, v in raw.items() if _area(k[0]).startswith("ours")}
        for title, entries, column in (
            ("Our code (hooks/, newsroom/), by cumulative time", ours, 3),
            ("Our code, by own time", ours, 2),
            ("Everything in the full build, by own time", raw, 2),
            ("Everything in the full build, by cumulative time", raw, 3),
        ):
            print(f"\n{title}:")
            print(f"  {'cumulative s':>12}{'own s':>8}{'calls':>10}  function")
            for key, value in sorted(entries.items(), key=lambda kv: -kv[1][column])[: args.top]:
                print(f"  {value[3]:>12.2f}{value[2]:>8.2f}{value[1]:>10}  {shown(key)}")
        print(f"\nProfiles: {root}/full.prof, {root}/baseline.prof{'' if args.keep else ' (deleted with the work folder; add --keep to open them with pstats or snakeviz)'}")
    return 0


# --------------------------------------------------------------------------
# Search payload: what a browser fetches for a first query


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class LoopbackServer:
    """A static server on 127.0.0.1, bound at once (the build needs its port) and started later."""

    def __init__(self, site: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(site))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        if self.thread is not None:
            self.server.shutdown()
            self.thread.join()
        self.server.server_close()


def _pagefind_kind(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    for prefix, kind in (("/index/", "index chunk"), ("/fragment/", "fragment"), ("/filter/", "filter chunk")):
        if prefix in path:
            return kind
    if name.startswith("wasm."):
        return "wasm"
    if name.endswith(".pf_meta"):
        return "metadata"
    return name


def choose_queries(root: Path, lang: str = "en") -> list[tuple[str, int]]:
    """Two queries, with how many releases hold each: the 7+ letter word in
    the most releases (the heaviest first query: the longest page list), and
    one in about a tenth of them (a more typical one)."""
    counts: dict[str, int] = defaultdict(int)
    files = sorted((root / "docs" / lang / "news").rglob("*.md"))
    for path in files:
        text = path.read_text("utf-8").split("\n---\n", 1)[-1].lower()
        text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets are not text
        for word in set(re.findall(r"[a-z]{7,}", text)):
            counts[word] += 1
    words = sorted(counts)
    common = max(words, key=lambda w: counts[w])
    typical = min(words, key=lambda w: abs(counts[w] - len(files) / 10))
    return [(common, counts[common]), (typical, counts[typical])]


def first_queries(page_url: str, queries: list[str], site: Path) -> dict[str, list[tuple[str, bytes]]]:
    """For each query, in a fresh browser context (empty cache): open the page,
    press /, type the query, wait for results; every response under /pagefind/."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise SystemExit(f"--search-payload needs the playwright package from requirements/test.txt ({error}). Run `make test` once to rebuild .venv; never `playwright install`.") from None
    if not CHROMIUM.exists():
        raise SystemExit(f"--search-payload needs Debian's Chromium at {CHROMIUM}: apt-get install --no-install-recommends chromium")
    out: dict[str, list[tuple[str, bytes]]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            for query in queries:
                requests: list[Any] = []
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                context.set_default_timeout(60_000)
                page = context.new_page()
                page.on("requestfinished", lambda request: requests.append(request))
                page.goto(page_url, wait_until="load")
                page.keyboard.press("/")
                page.wait_for_selector("#nr-search[open]")
                # One input event, as if typed faster than search.js's 200 ms
                # debounce: a slow typist's prefixes ("c", "co"...) can fetch
                # more index chunks, and on a busy machine so would type().
                page.keyboard.insert_text(query)
                page.wait_for_selector(".nr-search__result")
                page.wait_for_load_state("networkidle")
                fetched = []
                for request in requests:
                    path = unquote(urlsplit(request.url).path)
                    if "/pagefind/" not in path:
                        continue
                    response = request.response()
                    try:
                        body = response.body() if response else b""
                    except Exception:  # evicted from Chromium's buffer: the served file is the body
                        body = (site / path.lstrip("/")).read_bytes()
                    fetched.append((path, body))
                count = page.locator(".nr-search__result").count()
                status = page.locator(".nr-search__status").inner_text()
                print(f"  browser: {query!r}: {count} results shown, status {status!r}", flush=True)
                context.close()
                out[query] = fetched
        finally:
            browser.close()
    return out


def report_payload(query: str, hits: str, fetched: list[tuple[str, bytes]], lunr: bytes) -> bool:
    """Print one query's payload against lunr's index; True if both targets are met."""
    groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for path, body in fetched:
        groups[_pagefind_kind(path)].append((len(body), len(gzip.compress(body, GZIP_LEVEL))))
    print(f"\nFirst query {query!r} ({hits}): every request under /pagefind/ (bodies as served; gzip level {GZIP_LEVEL} computed here)")
    print(f"  {'what':<22}{'files':>6}{'raw KB':>10}{'gzip KB':>10}{'wire KB':>10}")
    raw = gz = wire = 0
    for kind, sizes in sorted(groups.items(), key=lambda kv: -sum(s[0] for s in kv[1])):
        r, g, w = sum(s[0] for s in sizes), sum(s[1] for s in sizes), sum(min(s) for s in sizes)
        raw, gz, wire = raw + r, gz + g, wire + w
        print(f"  {kind:<22}{len(sizes):>6}{r / 1024:>10.1f}{g / 1024:>10.1f}{w / 1024:>10.1f}")
    print(f"  {'total':<22}{len(fetched):>6}{raw / 1024:>10.1f}{gz / 1024:>10.1f}{wire / 1024:>10.1f}")
    print("  (wire: each file gzip-compressed by the server where that makes it smaller; Pagefind's index files are already compressed)")
    lunr_gz = len(gzip.compress(lunr, GZIP_LEVEL))
    ratio = lunr_gz / wire
    print(f"search payload: pagefind first query {wire / 1024:.1f} KB over the wire ({raw / 1024:.1f} KB raw); lunr {lunr_gz / 1024:.1f} KB gzip ({len(lunr) / 1024:.1f} KB raw)")
    print(f"ratio lunr/pagefind: {ratio:.1f}x over the wire, {len(lunr) / raw:.1f}x raw")
    small, smaller = wire < PAYLOAD_TARGET_KB * 1024, ratio >= PAYLOAD_TARGET_RATIO
    print(f"targets: first-query payload < {PAYLOAD_TARGET_KB} KB: {'met' if small else 'NOT MET'}; ≥ {PAYLOAD_TARGET_RATIO}x smaller than lunr: {'met' if smaller else 'NOT MET'}")
    return small and smaller


def search_payload_mode(args: argparse.Namespace) -> int:
    n = args.n or 5000
    with workspace(args.keep, args.workdir, args.project) as root:
        corpus = prepare(root, n, args.languages or 1, args)
        site = root / "site"
        site.mkdir()
        server = LoopbackServer(site)
        try:
            site_url = f"http://127.0.0.1:{server.port}/"
            print(f"[full] building for {site_url}...", flush=True)
            run_full = full(root, 1, args.jobs, site_url)
            check_releases(corpus)
            print(f"[full] {run_full.wall:.1f} s, {run_full.pages} pages, largest process {_mb(run_full.largest_kb)}", flush=True)
            print("[baseline] building (Material with lunr search)...", flush=True)
            run_base = baseline(root, 1, args.jobs)
            print(f"[baseline] {run_base.wall:.1f} s, {run_base.pages} pages, largest process {_mb(run_base.largest_kb)}", flush=True)
            server.start()
            queries = [(q, -1) for q in args.query] if args.query else choose_queries(root)
            hits = {q: (f"in {k} of {n} English releases" if k >= 0 else "given") for q, k in queries}
            release = sorted(corpus.releases, key=lambda r: r.date)[len(corpus.releases) // 2]
            page_path = f"en/{release.url}"
            print(f"[browser] /{page_path}: press /, enter the query, wait for results; queries: " + ", ".join(f"{q!r} ({hits[q]})" for q, _ in queries), flush=True)
            fetched = first_queries(site_url + page_path, [q for q, _ in queries], site)
        finally:
            server.close()
        if not all(fetched.values()):
            print("The browser fetched nothing under /pagefind/: the search did not run.", file=sys.stderr)
            return 1
        lunr = (root / "baseline-site" / "en" / "search" / "search_index.json").read_bytes()
        print(f"\nlunr search_index.json (baseline, same corpus, downloaded whole before any query): raw {len(lunr) / 1024:.1f} KB, gzip {len(gzip.compress(lunr, GZIP_LEVEL)) / 1024:.1f} KB")
        met = [report_payload(query, hits[query], files, lunr) for query, files in fetched.items()]
        print(f"\nall queries meet both targets: {'yes' if all(met) else 'NO'}")
    return 0


# --------------------------------------------------------------------------
# Page view: what a first view of a page fetches, at two archive sizes


@dataclass
class PageView:
    name: str
    path: str
    fetched: list[tuple[str, int, int]]  # (path, HTTP status, bytes)

    @property
    def bytes(self) -> int:
        return sum(size for _, _, size in self.fetched)


def page_views(base_url: str, pages: list[tuple[str, str]], site: Path) -> list[PageView]:
    """Open each page in a fresh context (empty cache) and record every response."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise SystemExit(f"--page-view needs the playwright package from requirements.lock ({error}). Run `make test` once to rebuild .venv; never `playwright install`.") from None
    if not CHROMIUM.exists():
        raise SystemExit(f"--page-view needs Debian's Chromium at {CHROMIUM}: apt-get install --no-install-recommends chromium")
    views = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            for name, path in pages:
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                context.set_default_timeout(60_000)
                page = context.new_page()
                finished: list[Any] = []
                page.on("requestfinished", lambda request: finished.append(request))
                page.goto(base_url + path, wait_until="networkidle")
                fetched = []
                for request in finished:
                    response = request.response()
                    address = unquote(urlsplit(request.url).path)
                    try:
                        size = len(response.body()) if response else 0
                    except Exception:  # evicted from Chromium's buffer: the served file is the body
                        served = site / address.lstrip("/")
                        size = (served / "index.html" if served.is_dir() else served).stat().st_size
                    fetched.append((address, response.status if response else 0, size))
                context.close()
                views.append(PageView(name, path, fetched))
        finally:
            browser.close()
    return views


def page_view_mode(args: argparse.Namespace) -> int:
    sizes = [int(s) for s in (args.sizes or "100,1000").split(",") if s.strip()]
    languages = len(yaml.safe_load((args.project / "data" / "languages.yml").read_text("utf-8")))
    if args.languages not in (1, languages):
        print(f"(--page-view builds every language, {languages}; --languages is not used)", flush=True)
    by_size: dict[int, list[PageView]] = {}
    with workspace(args.keep, args.workdir, args.project) as parent:
        for n in sizes:
            root = parent / f"n{n}"
            root.mkdir()
            corpus = prepare(root, n, languages, args)
            site = root / "site"
            site.mkdir()
            server = LoopbackServer(site)
            try:
                site_url = f"http://127.0.0.1:{server.port}/"
                print(f"[full, N={n}] building {languages} languages for {site_url}...", flush=True)
                run = full(root, 1, args.jobs, site_url)
                check_releases(corpus)
                print(f"[full, N={n}] {run.wall:.1f} s, {run.pages} pages", flush=True)
                server.start()
                release = sorted(corpus.releases, key=lambda r: r.date)[len(corpus.releases) // 2]
                busiest = max(corpus.programmes, key=lambda slug: sum(slug in r.programmes for r in corpus.releases))
                pages = [("release", f"en/{release.url}"), ("home", "en/"), ("programme", f"en/programmes/{busiest}/")]
                by_size[n] = page_views(site_url, pages, site)
            finally:
                server.close()
            for view in by_size[n]:
                print(f"\nN={n}, {view.name} /{view.path}: {len(view.fetched)} requests, {view.bytes / 1024:.1f} KB")
                for address, status, size in view.fetched:
                    print(f"  {status} {size / 1024:>8.1f} KB  {address}")
    print(f"\nFirst views, English pages, {languages} languages (bytes as received, uncompressed):")
    print(f"  {'N':>6}" + "".join(f"{name + ' requests':>20}{name + ' KB':>16}" for name in ("release", "home", "programme")))
    for n in sizes:
        print(f"  {n:>6}" + "".join(f"{len(v.fetched):>20}{v.bytes / 1024:>16.1f}" for v in by_size[n]))
    releases = [by_size[n][0].bytes for n in sizes]
    small = max(releases) <= PAGE_VIEW_TARGET_KB * 1024
    flat = max(releases) <= min(releases) * (1 + PAGE_VIEW_SPREAD)
    print(f"target: a first view of a release at most {PAGE_VIEW_TARGET_KB} KB: {'met' if small else 'NOT MET'} (largest {max(releases) / 1024:.1f} KB)")
    print(f"target: the same within {PAGE_VIEW_SPREAD:.0%} at N={', '.join(map(str, sizes))}: {'met' if flat else 'NOT MET'} ({(max(releases) / min(releases) - 1):+.1%})")
    return 0


# --------------------------------------------------------------------------
# The author's edit loop: `make serve`, save, see

EDIT_LOOP_TARGET = 2.0
EDIT_POLL = 0.02  # how often the server's log is read
# Seconds between starting the server and the first save, and between saves:
# Pagefind indexes each build in the background (hooks/search.py), about a
# second or two of both cores at N=1000, which a save made meanwhile would
# compete with. An author reading the page between saves gives it that time.
EDIT_PAUSE = 5.0
FEED_LENGTH = 50  # data/site.yml feed_length


def _served(url: str) -> bytes | None:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read()
    except (urllib.error.URLError, OSError):
        return None


def _wait_in_log(log: Path, text: str, since: int, patience: float, process: subprocess.Popen) -> int:
    """Wait until `text` is in the server's log after offset `since`; the offset after it."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        written = log.read_text("utf-8", errors="replace")
        found = written.find(text, since)
        if found >= 0:
            return found + len(text)
        if process.poll() is not None:
            raise SystemExit(f"mkdocs serve stopped:\n{written[-4000:]}")
        time.sleep(EDIT_POLL)
    raise SystemExit(f"mkdocs serve did not log {text!r} within {patience:.0f} s:\n{log.read_text('utf-8', errors='replace')[-4000:]}")


def edit_loop_mode(args: argparse.Namespace) -> int:
    """`mkdocs serve --dirty` on N releases: save, and time until the server shows it."""
    import socket

    n = args.n or 1000
    with workspace(args.keep, args.workdir, args.project) as root:
        corpus = prepare(root, n, 1, args)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        base = f"http://127.0.0.1:{port}/en/"
        env = build_env()
        env.update(NEWSROOM_LANG="en", NEWSROOM_DOCS_DIR="docs/en", NEWSROOM_SITE_DIR="site/en", NEWSROOM_SITE_URL=base)
        log = root / "serve.log"
        drafts = root / "drafts"
        drafts.mkdir()
        command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"]
        print(f"[edit loop] {' '.join(command[1:])} (as make serve), N={n}", flush=True)
        with log.open("w") as out:
            started = time.monotonic()
            server = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
            try:
                seen = _wait_in_log(log, "Serving on", 0, 600, server)
                print(f"[edit loop] first build and serving after {time.monotonic() - started:.1f} s", flush=True)
                time.sleep(EDIT_PAUSE)
                newest, middle, other = corpus.releases_by_date()[0], corpus.releases_by_date()[n // 2], corpus.releases_by_date()[n // 3]
                edits = [
                    ("title of the newest release", newest, "title"),
                    ("title of a release from the middle of the archive", middle, "title"),
                    ("a sentence in the text of another release", other, "body"),
                ]
                results = []
                for number, (what, release, field_name) in enumerate(edits, 1):
                    marker = f"Edited{number}Marker"
                    path = root / "docs" / "en" / release.src_uri
                    text = path.read_text("utf-8")
                    if field_name == "title":
                        lines = text.split("\n")
                        at = next(i for i, line in enumerate(lines) if line.startswith("title: "))
                        lines[at] = "title: " + _q(f"{marker} {json.loads(lines[at][len('title: '):])}")
                        edited = "\n".join(lines)
                    else:
                        edited = text.rstrip("\n") + f"\n\nA sentence added while previewing: {marker}.\n"
                    year_page = corpus.list_page(f"news/{release.date.year}/", [r for r in corpus.releases_by_date() if r.date.year == release.date.year], release)
                    programme_page = corpus.list_page(f"programmes/{release.programmes[0]}/", [r for r in corpus.releases_by_date() if release.programmes[0] in r.programmes], release)
                    urls = {"its page": base + release.url, "its year's list": base + year_page, "its programme's page": base + programme_page}
                    if field_name == "body":
                        urls = {"its page": urls["its page"]}  # no list shows the text
                    if release in corpus.releases_by_date()[:FEED_LENGTH]:
                        urls["the site feed"] = base + "feed_rss_created.xml"  # which carries the newest only
                    draft = drafts / path.name
                    draft.write_text(edited, "utf-8")
                    saved = time.monotonic()
                    os.replace(draft, path)  # saved at once, as editors save
                    # A browser reloads when the server says "Reloading browsers"
                    # (its live-reload): then each page is fetched. Fetching
                    # every few ms meanwhile would slow the rebuild itself, as
                    # the server answers from the same process.
                    shown: dict[str, float] = {}
                    while len(shown) < len(urls) and time.monotonic() - saved < 60:
                        seen = _wait_in_log(log, "Reloading browsers", seen, 60, server)
                        for label, url in urls.items():
                            if label not in shown and marker.encode() in (_served(url) or b""):
                                shown[label] = time.monotonic() - saved
                    missing = [label for label in urls if label not in shown]
                    if missing:
                        raise SystemExit(f"after 60 s the server still did not show the edit ({what}) on: {', '.join(missing)}")
                    slowest = max(shown.values())
                    results.append((what, slowest))
                    print(f"[edit loop] {what}: " + ", ".join(f"{label} {seconds:.2f} s" for label, seconds in shown.items()) + f"; all within {slowest:.2f} s", flush=True)
                    time.sleep(EDIT_PAUSE)
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
        worst = max(seconds for _, seconds in results)
        verdict = "met" if worst <= EDIT_LOOP_TARGET else "NOT MET"
        print(f"\nedit loop at N={n}: slowest edit shown everywhere after {worst:.2f} s (median {statistics.median(s for _, s in results):.2f} s); target {EDIT_LOOP_TARGET:.0f} s: {verdict}")
        print(f"Server log: {log}{'' if args.keep else ' (deleted with the work folder; add --keep to read it)'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsroom.bench", description="Benchmark the full build against plain Material on a generated corpus (see the module docstring).")
    parser.add_argument("--shape", action="append", metavar="NxL", help="N releases in each of L languages, e.g. 200x6; repeat for several (default: 200x6 and 1000x1; or --n and --languages)")
    parser.add_argument("--n", type=int, default=None, help="releases per language (default 1000; 5000 with --search-payload)")
    parser.add_argument("--languages", "-l", type=int, default=None, help="the first L languages of data/languages.yml (default 1)")
    parser.add_argument("--pairs", type=int, default=3, help="full/baseline pairs, alternating (default 3)")
    parser.add_argument("--runs", type=int, default=1, help="--scaling: runs per N, interleaved; the (lower) median is shown (default 1)")
    parser.add_argument("--image-cache", choices=("cold", "warm"), default="cold", help="cold (default): each full run starts with an empty image cache, so it draws every share card and makes every image size, as a first deploy does; warm: the cache is kept from run to run, as the deploy workflow keeps it (the first full run fills it)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=cores(), help="parallel language builds, for both pipelines (default: CPU count, as newsroom.cli build)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--project", type=Path, default=CHECKOUT, help="the project to benchmark: its mkdocs.yml, hooks/, overrides/, newsroom/, data/, and docs/ for vocabulary (default: this checkout; e.g. a `git worktree` of another commit, to compare two)")
    parser.add_argument("--workdir", type=Path, default=None, help="create the work folder in this folder (default: the system's temporary folder)")
    parser.add_argument("--query", action="append", help="--search-payload: a query to measure; repeat for several (default: the 7+ letter word in most releases, and one in about a tenth of them)")
    parser.add_argument("--top", type=int, default=25, help="--profile: rows per table")
    parser.add_argument("--sizes", metavar="N1,N2,...", help="--page-view: the archive sizes to compare (default 100,1000)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--scaling", metavar="N1,N2,...", help="full pipeline at each N (1 language): ms per page for each")
    mode.add_argument("--search-payload", action="store_true", help="bytes a browser fetches for a first Pagefind query, against lunr's index")
    mode.add_argument("--build-only", action="store_true", help="one full pipeline run (make build) with timings and memory, no baseline")
    mode.add_argument("--profile", action="store_true", help="cProfile one language's mkdocs build, ours and the baseline (N=1000): time beyond the baseline by area, and our hotspots")
    mode.add_argument("--page-view", action="store_true", help="requests and bytes of a first view of a release, the home page and a programme page, all six languages, at N=100 and N=1000")
    mode.add_argument("--edit-loop", action="store_true", help="mkdocs serve --dirty (make serve) at N=1000: seconds from saving a release until its page, its lists and the feed show it")
    mode.add_argument("--run-baseline", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.project = args.project.resolve()
    if args.run_baseline:
        return run_baseline(args.run_baseline, args.jobs)
    if args.pairs < 1:
        parser.error("--pairs must be at least 1")
    if args.scaling:
        return scaling_mode(args)
    if args.search_payload:
        return search_payload_mode(args)
    if args.build_only:
        return build_only_mode(args)
    if args.profile:
        return profile_mode(args)
    if args.page_view:
        return page_view_mode(args)
    if args.edit_loop:
        return edit_loop_mode(args)
    return pairs_mode(args)


if __name__ == "__main__":
    sys.exit(main())
