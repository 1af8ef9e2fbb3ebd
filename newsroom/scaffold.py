"""`make new`: start a release, a programme page, a resource or a translation.

The author answers a few questions, or passes the answers as options. Each
answer is checked by the validator the build uses (newsroom.schema), as a
one-field front-matter written exactly as it will be saved, so a refusal reads
word for word like the build's message for the same mistake, and the author is
asked again. The file gets a fresh permanent id, its folder from the date, its
name from the title, quoted values and, on the line above each field, the
field's description from its schema (like a Hugo archetype).

What the author still has to write is left as placeholder text that `make
check` refuses (newsroom.check), so a placeholder is never published.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import textwrap
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import yaml

from newsroom import schema
from newsroom.content import now_from_env
from newsroom.frontmatter import read_source
from newsroom.paths import slug_problem
from newsroom.problems import ContentError, Problems, suggest
from newsroom.translations import DRAFT, SOURCE_LANG, declared_languages, kind_of, stamp_file, translatable_fields

TYPES = ("release", "programme", "resource", "translation")
TYPE_NAMES = {"release": "press release", "programme": "programme page", "resource": "resource"}
FOLDERS = {"programme": "programmes", "resource": "resources"}

# Where the author's own words go. `make check` refuses a content file that
# still holds one of these, so neither can reach the published site.
BODY_PLACEHOLDERS = {
    "release": "Write the release here.",
    "programme": "Write about the programme here.",
    "resource": "Describe the publication here.",
}
SUMMARY_PLACEHOLDER = "Write one or two sentences for listings, feeds and search results."

# The fields asked for, in order. Required fields must be answered; the
# optional ones here may be left empty.
ASKED: dict[str, tuple[str, ...]] = {
    "release": ("title", "date", "location", "summary", "programmes", "publishers"),
    "programme": ("title", "short_name", "summary", "implementers"),
    "resource": ("title", "kind", "summary", "programmes", "publishers"),
}
# Optional fields offered as commented-out examples, with a value to copy.
EXAMPLES: dict[str, dict[str, list[str]]] = {
    "release": {
        "partners": ['partners: ["interpol"]'],
        "funders": ['funders: ["eu"]'],
        "contacts": ["contacts:", '  - email: "press@example.org"', '    name: "Press office"'],
        "image": ["image:", '  src: "images/photo.jpg"', '  alt: "What the photo shows, for readers who cannot see it"'],
        "tags": ['tags: ["responsible AI", "law enforcement"]'],
        "draft": ["draft: true"],
        "updates": ["updates:", '  - date: "2024-11-25"', '    note: "The number of participating countries was corrected."'],
        "previous_paths": ['previous_paths: ["news/2024/old-file-name/"]'],
    },
    "programme": {
        "partners": ['partners: ["interpol"]'],
        "funders": ['funders: ["eu"]'],
        "part_of": ['part_of: "ai-pol"'],
        "status": ['status: "active"'],
        "launched": ['launched: "2024-11-22"'],
        "period": ['period: "2024–2027"'],
        "previous_paths": ['previous_paths: ["programmes/old-file-name/"]'],
    },
    "resource": {
        "supporters": ['supporters: ["eu"]'],
        "date": ['date: "2024-11"'],
        "url": ['url: "https://example.org/publication.pdf"'],
        "previous_paths": ['previous_paths: ["resources/old-file-name/"]'],
    },
}
# Answers are split into list entries at commas; slugs also at spaces.
_SLUG_FORMATS = ("x-programme", "x-organisation")
# Letters NFKD does not take apart into a base letter and an accent.
_TRANSLITERATE = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "þ": "th", "ð": "d", "ı": "i"})
SLUG_LENGTH = 60
COMMENT_WIDTH = 78


class Stop(Exception):
    """The author ended the session (Ctrl-D, Ctrl-C) or the answers are wrong."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("type", nargs="?", help="what to add: release, programme, resource or translation (asked when left out)")
    parser.add_argument("source", nargs="?", help="for a translation: the English page, e.g. docs/en/news/2024/x.md")
    parser.add_argument("--lang", help="for a translation: the language code, e.g. fr")
    fields = dict.fromkeys(name for names in ASKED.values() for name in names)
    for name in fields:
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar="TEXT", help="a list separated by commas" if name in ("programmes", "publishers", "implementers") else None)
    parser.add_argument("--slug", help="the file name without .md (made from the title when left out)")


def run(root: Path, args: argparse.Namespace, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    """Scaffold one file; 0 when it is written, 1 when the answers are refused."""
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    asker = Asker(stdin.isatty(), stdin, out)
    try:
        project = Project.load(root)
        kind = asker.ask("What do you want to add", " / ".join(TYPES), args.type, _check_type, missing=f"What to add is missing: start with one of {', '.join(TYPES)}, e.g. make new ARGS='release --title \"...\"'.")
        asker.stop_if_refused()
        if kind == "translation":
            unexpected = [f"--{name.replace('_', '-')}" for name in _given_fields(args)]
            if args.slug:
                unexpected.append("--slug")
            asker.refuse_unexpected(unexpected, "a translation")
            path = _translation(project, asker, args)
        else:
            if args.source or args.lang:
                asker.refuse_unexpected([args.source or "", "--lang" if args.lang else ""], f"a {TYPE_NAMES[kind]}")
            unexpected = [f"--{name.replace('_', '-')}" for name in _given_fields(args) if name not in ASKED[kind]]
            asker.refuse_unexpected(unexpected, f"a {TYPE_NAMES[kind]}")
            path = _content(project, asker, args, kind)
    except Stop as stop:
        if str(stop):
            print(str(stop), file=sys.stderr if not asker.interactive else out)
        return 1
    except KeyboardInterrupt:
        print("\nStopped: nothing was written.", file=out)
        return 1
    return 0 if path else 1


def _given_fields(args: argparse.Namespace) -> list[str]:
    return [name for names in ASKED.values() for name in dict.fromkeys(names) if getattr(args, name, None) is not None]


# -- Asking ---------------------------------------------------------------------


@dataclass
class Asker:
    """Asks at a terminal; without one, takes the options and reports every problem at once."""

    interactive: bool
    stdin: TextIO
    out: TextIO
    problems: list[str] = field(default_factory=list)

    def ask(self, label: str, hint: str, given: str | None, check: Callable[[str], tuple[Any, str | None]], default: str | None = None, optional: bool = False, missing: str = "") -> Any:
        """Ask until the answer passes `check`; return its value (None if left out or refused)."""
        answer = given
        while True:
            if answer is None:
                if not self.interactive:
                    if default is not None:
                        answer = default
                    elif optional:
                        return None
                    else:
                        self.problems.append(missing or f"{_option(label)}: missing. Give it, or run `make new` without options to be asked.")
                        return None
                else:
                    answer = self._input(label, hint, default, optional)
            value, problem = check(answer)
            if problem is None:
                return value
            if not self.interactive:
                self.problems.append(problem)
                return None
            print(f"  {problem}", file=self.out, flush=True)
            answer = None

    def _input(self, label: str, hint: str, default: str | None, optional: bool) -> str:
        extra = f" [{default}]" if default else (" [Enter to leave out]" if optional else "")
        print(f"{label} ({hint}){extra}: ", end="", file=self.out, flush=True)
        line = self.stdin.readline()
        if not line:
            raise Stop("\nStopped: nothing was written.")
        line = line.rstrip("\r\n")
        return default if default is not None and not line.strip() else line

    def refuse_unexpected(self, options: list[str], what: str) -> None:
        """Options that do not belong: at a terminal, refused before any question."""
        for option in filter(None, options):
            self.problems.append(f"{option}: is not asked for {what}. Leave it out.")
        if self.interactive:
            self.stop_if_refused()

    def stop_if_refused(self) -> None:
        if self.problems:
            raise Stop("Nothing was written:\n" + "\n".join(f"  {p}" for p in self.problems))


def _option(label: str) -> str:
    return "--" + label.lower().replace(" ", "-")


def _check_type(answer: str) -> tuple[str | None, str | None]:
    word = answer.strip().lower()
    if word in TYPES:
        return word, None
    hint = suggest(word, TYPES)
    return None, f'"{answer.strip()}" is not something `make new` adds. Choose one of: {", ".join(TYPES)}.{hint}'


# -- The project's registries -----------------------------------------------------


@dataclass(frozen=True)
class Project:
    root: Path
    refs: schema.References
    dates: schema.Dates
    now: datetime

    @property
    def schema_dir(self) -> str:
        return str(self.root / "data" / "schemas")

    @property
    def docs(self) -> Path:
        return self.root / "docs" / SOURCE_LANG

    def schema(self, kind: str) -> dict[str, Any]:
        return schema.load_schema(self.schema_dir, kind)

    @classmethod
    def load(cls, root: Path) -> Project:
        """References read leniently: `make new` works while other files are broken."""
        settings = yaml.safe_load((root / "data" / "site.yml").read_text("utf-8")) or {}
        dates, _ = schema.Dates.from_settings(settings)  # `make check` explains a wrong setting
        docs = root / "docs" / SOURCE_LANG
        programmes = frozenset(p.stem for p in (docs / "programmes").glob("*.md"))
        registry = (root / "data" / "organisations.yml").read_bytes().decode("utf-8", "replace")
        organisations = frozenset(re.findall(r"^([a-z0-9][a-z0-9-]*):", registry, re.MULTILINE))
        refs = schema.References(programmes, organisations, dates, f"docs/{SOURCE_LANG}/programmes")
        return cls(root, refs, dates, now_from_env().astimezone(ZoneInfo(dates.tz)))


def field_problems(project: Project, spec: dict[str, Any], name: str, written: str) -> list[str]:
    """What the build would say about `name: written`, one line per problem."""
    node = yaml.compose(f"{name}: {written}\n", Loader=yaml.SafeLoader)
    _, problems = schema.check(node, {"type": "object", "properties": {name: spec}}, project.refs, "", 2)
    return [f"{p.field}: {p.message}" for p in problems]


def quoted(text: str) -> str:
    """A YAML double-quoted string: every special character escaped."""
    dumped = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=1_000_000)
    return dumped.strip().removesuffix("...").strip()


def written_value(spec: dict[str, Any], answer: str) -> tuple[Any, str]:
    """The answer as a JSON value and as the YAML text saved in the file."""
    if spec.get("type") == "array":
        separators = r"[,\s]+" if spec.get("items", {}).get("format") in _SLUG_FORMATS else r","
        entries = [e.strip().strip("\"'").strip() for e in re.split(separators, answer.strip().strip("[]"))]
        entries = [e for e in entries if e]
        return entries, "[" + ", ".join(quoted(e) for e in entries) + "]"
    text = answer.strip()
    return text, quoted(text)


def _field_check(project: Project, kind_schema: dict[str, Any], name: str, optional: bool) -> Callable[[str], tuple[Any, str | None]]:
    spec = kind_schema["properties"][name]

    def check(answer: str) -> tuple[Any, str | None]:
        value, written = written_value(spec, answer)
        if optional and not value:
            return None, None
        problems = field_problems(project, spec, name, written)
        return ((value, written), None) if not problems else (None, "\n  ".join(problems))

    return check


# -- Releases, programme pages, resources --------------------------------------------


def _content(project: Project, asker: Asker, args: argparse.Namespace, kind: str) -> Path | None:
    kind_schema = project.schema(kind)
    required = set(kind_schema.get("required", []))
    answers: dict[str, tuple[Any, str]] = {}
    for name in ASKED[kind]:
        spec = kind_schema["properties"][name]
        optional = name not in required
        default = project.now.date().isoformat() if name == "date" else None
        known = {"x-programme": project.refs.programmes, "x-organisation": project.refs.organisations}.get(spec.get("items", {}).get("format", ""))
        if asker.interactive and known and getattr(args, name) is None:
            print(f"  {_label(name)} to choose from: {', '.join(sorted(known))}", file=asker.out)
        answer = asker.ask(_label(name), spec.get("x-hint", "a value"), getattr(args, name), _field_check(project, kind_schema, name, optional), default=default, optional=optional or (name == "summary" and not asker.interactive))
        if answer is not None:
            answers[name] = answer
        moment = schema.parse_datetime(answer[0], project.dates) if name == "date" and answer is not None else None
        if moment is not None and moment > project.now:
            # A date alone is a moment too (data/site.yml date_only_time_utc): say which.
            print(f"  This date is in the future: the release is under embargo until {answer[0]} ({moment.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC) and appears on the site with the first build after that moment.", file=asker.out)
    asker.stop_if_refused()
    folder = f"news/{schema.parse_datetime(answers['date'][0], project.dates).year}" if kind == "release" else FOLDERS[kind]
    proposed = slugify(answers["title"][0])
    slug = asker.ask(
        "File name",
        f"the end of the address /{SOURCE_LANG}/{folder}/<file name>/: lowercase words and hyphens",
        args.slug,
        lambda answer: _check_slug(project, folder, answer),
        default=proposed or None,
        missing="--slug: missing. The title has no Latin letters to make a file name from: give one, e.g. --slug launch-of-the-programme.",
    )
    asker.stop_if_refused()

    path = project.docs / folder / f"{slug}.md"
    lines = [*_comment("Made by `make new`. The line above each field says what it holds; the author guide, docs/en/about/publishing.md, says more. Keep the quotes around the text."), ""]
    values: dict[str, str] = {"id": quoted(str(uuid.uuid4()))} if kind == "release" else {}
    for name in ASKED[kind]:
        if name in answers:
            values[name] = answers[name][1]
    if "summary" not in values:
        values["summary"] = quoted(SUMMARY_PLACEHOLDER)
    for name in kind_schema["properties"]:
        if name in values:
            lines += _comment(kind_schema["properties"][name].get("description", ""))
            lines.append(f"{name}: {values[name]}")
    examples = {name: example for name, example in EXAMPLES[kind].items() if name not in values}
    if examples:
        lines += ["", *_comment('Optional fields. To use one, remove the "# " at the start of its lines.')]
        for name, example in examples.items():
            lines += ["#", *_comment(kind_schema["properties"][name].get("description", "")), *(f"# {line}" for line in example)]
    _verify(project, kind, path, lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(["---", *lines, "---", "", BODY_PLACEHOLDERS[kind], ""]), "utf-8")

    shown = path.relative_to(project.root).as_posix()
    steps = [f"Open {shown}."]
    if values["summary"] == quoted(SUMMARY_PLACEHOLDER):
        steps.append(f'After summary:, replace "{SUMMARY_PLACEHOLDER}" with one or two sentences.')
    steps += [f'Replace the line "{BODY_PLACEHOLDERS[kind]}" with the text.', "Run `make check`, then open a pull request."]
    print(f"Created {shown}, to be published at /{SOURCE_LANG}/{folder}/{slug}/", file=asker.out)
    print("Next:\n" + "\n".join(f"  {number}. {step}" for number, step in enumerate(steps, start=1)), file=asker.out)
    return path


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _comment(text: str) -> list[str]:
    """Comment lines for text, wrapped; a `command` in backticks is never split."""
    protected = re.sub(r"`[^`]*`", lambda m: m.group(0).replace(" ", "\0"), " ".join(text.split()))
    return [f"# {line.replace(chr(0), ' ')}" for line in textwrap.wrap(protected, COMMENT_WIDTH - 2)]


def slugify(title: str, limit: int = SLUG_LENGTH) -> str:
    """lowercase ASCII words joined by hyphens, accents transliterated, whole words up to `limit`."""
    text = unicodedata.normalize("NFKD", title.translate(_TRANSLITERATE)).encode("ascii", "ignore").decode("ascii")
    # "UNICRI’s" is one word: drop apostrophes before splitting.
    words = re.findall(r"[a-z0-9]+", re.sub(r"['’`]", "", text.lower()))
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > limit and slug:
            break
        slug = longer
    return slug[:limit].strip("-")


def _check_slug(project: Project, folder: str, answer: str) -> tuple[str | None, str | None]:
    slug = answer.strip().removesuffix(".md")
    problem = slug_problem(slug)
    if problem:
        return None, problem
    for path in (project.docs / folder / f"{slug}.md", project.docs / folder / slug / "index.md"):
        if path.exists():
            return None, f"there is already a page at {path.relative_to(project.root).as_posix()} (address /{SOURCE_LANG}/{folder}/{slug}/). Choose another file name, or edit that page instead."
    address = f"{folder}/{slug}/"
    owner = _previous_paths(project).get(address)
    if owner:
        return None, f"the address /{SOURCE_LANG}/{address} was the address of {owner} before it was renamed (it is listed under its previous_paths:), so it leads there. Choose another file name."
    return slug, None


def _previous_paths(project: Project) -> dict[str, str]:
    """Old addresses still in use as redirects: previous_paths of every
    release, programme page and resource."""
    found: dict[str, str] = {}
    for path in sorted(p for folder in ("news", "programmes", "resources") for p in (project.docs / folder).rglob("*.md")):
        shown = path.relative_to(project.root).as_posix()
        source, _ = read_source(path, shown)
        if source is None or not isinstance(source.node, yaml.MappingNode):
            continue
        for key, value in source.node.value:
            if getattr(key, "value", None) == "previous_paths" and isinstance(value, yaml.SequenceNode):
                for item in value.value:
                    if isinstance(item, yaml.ScalarNode):
                        found.setdefault(item.value, shown)
    return found


def _verify(project: Project, kind: str, path: Path, front_matter: list[str]) -> None:
    """The whole front-matter, checked as the build will check it, before saving."""
    node = yaml.compose("\n".join(front_matter), Loader=yaml.SafeLoader)
    shown = path.relative_to(project.root).as_posix()
    _, problems = schema.check(node, project.schema(kind), project.refs, shown, len(front_matter) + 2)
    if problems:
        found = Problems()
        found.extend(problems)
        raise Stop(f"Nothing was written: the new file would not pass the checks (a fault in `make new`, please report it):\n{found.render()}")


# -- Translations ---------------------------------------------------------------------


def _translation(project: Project, asker: Asker, args: argparse.Namespace) -> Path | None:
    languages = {entry["code"]: entry for entry in declared_languages(project.root) if entry["code"] != SOURCE_LANG}
    source = asker.ask("English page", f"its path, e.g. docs/{SOURCE_LANG}/news/2024/launch.md", args.source, lambda answer: _check_source(project, answer), missing=f"The English page is missing: give its path after translation, e.g. translation docs/{SOURCE_LANG}/news/2024/launch.md --lang fr.")
    while True:
        code = asker.ask("Language", "one of " + ", ".join(languages), args.lang, lambda answer: _check_language(languages, answer), missing=f"--lang: missing. Give one of {', '.join(languages)}.")
        asker.stop_if_refused()
        target = project.root / "docs" / code / source.relative_to(project.docs)
        taken = _translation_taken(project, code, source)
        if taken is None:
            break
        message = f"there is already a translation of {source.relative_to(project.root).as_posix()} into {languages[code]['name']}: {taken}. Edit it instead; once it translates the current English text, run `make translations STAMP={taken}`."
        if not asker.interactive:
            asker.problems.append(message)
            asker.stop_if_refused()
        print(f"  {message}", file=asker.out)
        args.lang = None

    shown_source = source.relative_to(project.root).as_posix()
    read, read_problems = read_source(source, shown_source)
    kind = kind_of(source.relative_to(project.docs).as_posix())
    checked_problems = []
    if read is not None:
        checked, checked_problems = schema.check(read.node, project.schema(kind), project.refs, shown_source, read.fm_close_line)
    if read is None or checked_problems:
        found = Problems()
        found.extend(read_problems + checked_problems)
        raise Stop(f"Nothing was written: fix the English page first.\n{found.render()}")

    kind_schema = project.schema(kind)
    block = project.schema("translation")["properties"]
    language = languages[code]["name"]
    lines = ["---", *_comment(f"Translation into {language} of {shown_source}, made by `make new`. Translate the text of each field below, and the body under the front-matter, in place. Every other fact (date, programmes, organisations...) comes from the English page: do not add it here."), ""]
    for name in translatable_fields(project.schema_dir, kind):
        if name in checked.values:
            lines += _comment(f"Translate: {kind_schema['properties'][name].get('description', '')}")
            lines += _translatable_lines(project, name, kind_schema["properties"][name], checked.values[name])
    lines += _comment("translation: how far this text can be trusted, and which English text it translates.")
    lines += _comment(f"status: {block['status']['description']} Change it to unofficial once the text is translated.")
    lines += _comment(f"source_hash: {block['source_hash']['description']}")
    lines += _comment(f"translator: {block['translator']['description']} Add it under status: once approved.")
    lines += ["translation:", f"  status: {quoted(DRAFT)}", "---", "", read.body.lstrip("\n")]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines), "utf-8")
    shown = target.relative_to(project.root).as_posix()
    try:
        stamp_file(project.root, target)
    except ContentError as error:
        print(f"Created {shown}, but could not record which English text it translates:\n{error}\nOnce that is fixed, run `make translations STAMP={shown}`.", file=sys.stderr)
        return None
    print(f"Created {shown}: the English text of {shown_source}, to translate into {language}. Until it is translated, the page is shown in English with a notice.", file=asker.out)
    print(f"Next: translate the fields and the body in place, change status: {quoted(DRAFT)} to status: \"unofficial\", run `make check`, and open a pull request.", file=asker.out)
    return target


def _translatable_lines(project: Project, name: str, spec: dict[str, Any], value: Any) -> list[str]:
    """A translatable field as `make new translation` writes it, with the
    English text to translate: a line of text, a list, an image's text, or
    each correction's note (oldest first, the order the overlay pairs them
    in, each under the date of its English correction)."""
    if isinstance(value, dict):
        parts = [key for key, sub in spec["properties"].items() if sub.get("x-translatable") and key in value]
        return [f"{name}:", *(f"  {key}: {quoted(value[key])}" for key in parts)]
    if isinstance(value, list) and value and isinstance(value[0], dict):
        entries = sorted(value, key=lambda entry: schema.parse_datetime(entry["date"], project.dates))
        lines = [f"{name}:"]
        for entry in entries:
            lines += [f"  # The correction of {entry['date']}:", f"  - note: {quoted(entry['note'])}"]
        return lines
    if isinstance(value, list):
        return [f"{name}: [" + ", ".join(quoted(item) for item in value) + "]"]
    return [f"{name}: {quoted(value)}"]


def _check_source(project: Project, answer: str) -> tuple[Path | None, str | None]:
    written = answer.strip().removeprefix("./")
    path = (project.root / written).resolve() if written else project.root
    english = project.docs.resolve()
    if written.endswith(".md") and path.is_file() and path.is_relative_to(english):
        return project.docs / path.relative_to(english), None
    pages = sorted(p.relative_to(project.root).as_posix() for p in project.docs.rglob("*.md"))
    match = difflib.get_close_matches(written, pages, n=1, cutoff=0.6)
    hint = f' Did you mean "{match[0]}"?' if match else ""
    return None, f'"{written}" is not a page in docs/{SOURCE_LANG}/. Give the path of the English file, e.g. docs/{SOURCE_LANG}/news/2024/launch.md.{hint}'


def _check_language(languages: dict[str, dict[str, Any]], answer: str) -> tuple[str | None, str | None]:
    code = answer.strip().lower()
    if code in languages:
        return code, None
    if code == SOURCE_LANG:
        return None, f'"{SOURCE_LANG}" is the language of the pages being translated. Use one of: {", ".join(languages)} (data/languages.yml).'
    hint = suggest(code, languages) or next((f' Did you mean "{c}"?' for c, entry in languages.items() if entry["name"].casefold() == answer.strip().casefold()), "")
    return None, f'"{answer.strip()}" is not a language of the site. Use one of: {", ".join(languages)} (data/languages.yml).{hint}'


def _translation_taken(project: Project, code: str, source: Path) -> str | None:
    """An existing file in docs/<code>/ for the same address, x.md or x/index.md."""
    uri = source.relative_to(project.docs).as_posix()[:-3]
    stem = uri.removesuffix("/index")
    for candidate in (f"{stem}.md", f"{stem}/index.md"):
        path = project.root / "docs" / code / candidate
        if path.exists():
            return path.relative_to(project.root).as_posix()
    return None

