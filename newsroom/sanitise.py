"""The HTML policy for content: an allow-list, enforced loudly.

Markdown lets authors write raw HTML, and attr_list lets them add attributes.
After a page's Markdown is rendered, every element and attribute is checked
against the allow-list below. Anything outside it stops the build with the
file, the line and the fix, because a comms author must never see their text
silently changed or dropped. nh3 (the ammonia sanitiser) then cleans the HTML
with the same allow-list, as a backstop should a check ever miss something.

Policy (documented for authors in docs/en/about/publishing.md):
- refused: script, style, iframe, object, embed, form controls, meta/base/link,
  inline SVG and MathML, any on* event attribute, style attributes, and links
  or images whose address uses a scheme other than http, https, mailto or tel
  (javascript:, vbscript:, data: ...), however it is encoded; images from
  another site (the site stores its images, and no other site learns who
  reads a page);
- allowed: text structure, links, images with alt text, tables, abbreviations,
  footnotes, and the id/class/title/lang/dir attributes;
- ids and classes: Material finds its configuration with
  querySelector("#__config"), and the first element with an id wins, so a
  page's element must never carry an id the site's chrome uses. Refused: ids
  starting with __, md- or nr-, and every id the templates write (read from
  the templates themselves, see template_ids). A heading's id is made from its
  text, so the ids are checked in the rendered HTML. Classes are the ones the
  Markdown extensions write (footnotes, [TOC], a code block's language), so no
  content can dress itself as the theme's banner or header.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import lxml.html
import nh3
from markdown.extensions.toc import slugify as toc_slugify

from newsroom.problems import Problem

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}
GENERIC_ATTRIBUTES = {"id", "class", "title", "lang", "dir"}
ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "details": {"open"},
}
URL_ATTRIBUTES = {"href", "src", "cite"}
# Ids the site's chrome uses, or may use: Material's start with __ (__config,
# __drawer, __nav_1...), its classes and data attributes with md-, ours with nr-.
RESERVED_ID_PREFIXES = ("__", "md-", "nr-")
# The classes the Markdown extensions of mkdocs.yml write, and where.
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote", "toc"},
}
# A fenced code block's language: ```python gives <code class="language-python">.
_CODE_LANGUAGE = re.compile(r"^language-[a-z0-9][a-z0-9+#_.-]*$")
_TEMPLATE_ID = re.compile(r"""(?<![\w-])id=(["'])([^"'{}]*)\1""")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}

_WHY = {
    "script": "scripts cannot be part of a page's content",
    "style": "styling comes from the site's theme, not from content",
    "iframe": "embedded frames load other sites into ours",
    "object": "embedded objects can run code",
    "embed": "embedded objects can run code",
    "form": "forms cannot be part of a page's content",
    **dict.fromkeys(("input", "textarea", "select"), "form fields cannot be part of a page's content"),
    "button": "form buttons cannot be part of a page's content",
    "meta": "page metadata comes from the front-matter",
    "base": "it would change where every link on the page points",
    "link": "pages cannot load outside resources",
    "svg": "inline SVG can carry scripts; use a PNG, JPEG or WebP image instead",
    "math": "inline MathML is not supported",
}
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_CONTROL_SHOWN = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


@dataclass(frozen=True)
class Finding:
    needles: tuple[str, ...]  # text to look for in the source to find the line
    message: str


def findings(rendered: str, reserved: frozenset[str] = frozenset()) -> list[Finding]:
    """Everything in rendered HTML that the policy refuses. `reserved` adds
    the ids of the site's templates (template_ids) to the reserved prefixes."""
    if not rendered.strip():
        return []
    found: list[Finding] = []
    root = lxml.html.fragment_fromstring(rendered, create_parent="div")
    pending = list(reversed(root))
    while pending:
        element = pending.pop()
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag:
            continue  # comments and processing instructions: removed by nh3
        name = tag.split("}")[-1].lower()
        if name not in ALLOWED_TAGS:
            why = _WHY.get(name, "it is not one of the elements content may use")
            found.append(Finding((f"<{name}",), f"<{name}> elements are not allowed: {why}. Remove it."))
            continue  # one report for the element and everything inside it
        pending.extend(reversed(element))
        allowed = GENERIC_ATTRIBUTES | ATTRIBUTES.get(name, set())
        for attribute, value in element.attrib.items():
            attribute = attribute.lower()
            if attribute.startswith("on"):
                found.append(Finding((attribute,), f'the {attribute}="..." attribute on <{name}> would run code when a reader interacts with the page. Remove it.'))
            elif attribute == "style":
                found.append(Finding(("style=", "style"), f"a style attribute on <{name}> is not allowed: styling comes from the site's theme. Remove it."))
            elif attribute not in allowed:
                found.append(Finding((attribute,), f"the {attribute} attribute on <{name}> is not allowed. Remove it."))
            elif attribute in URL_ATTRIBUTES and unsafe_url(value):
                shown = _CONTROL_SHOWN.sub("?", value if len(value) < 60 else value[:57] + "...")
                text = _link_text(element)
                found.append(Finding((f"[{text}]" if text else "", value, text), f'the address "{shown}" uses a scheme that can run code or hide content. Use an https://, mailto: or tel: address, or a relative link.'))
            elif name == "img" and attribute == "src" and _elsewhere(value):
                # Every reader's visit would be announced to that site.
                found.append(Finding((value,), f'the image "{_shown_value(value)}" is on another site, which would learn of every reader who opens the page. Store the image with the site: put the file in an images/ folder beside the page and give its path, e.g. images/photo.jpg.'))
            elif attribute == "id" and reserved_id(value, reserved):
                found.append(_id_finding(element, name, value))
            elif attribute == "class":
                for refused in (c for c in value.split() if not allowed_class(name, c)):
                    found.append(Finding((f".{refused}", refused), f'the class "{_shown_value(refused)}" on <{name}> is not allowed: the look of a page comes from the site\'s theme, and content may only carry the classes Markdown writes itself (footnotes, [TOC], a code block\'s language). Remove it.'))
    return found


def _elsewhere(address: str) -> bool:
    """Whether an address leads to another site (https://..., //host/...)."""
    decoded = _CONTROL.sub("", htmllib.unescape(address))
    return bool(_SCHEME.match(decoded.lower())) or decoded.startswith(("//", "\\\\", "/\\", "\\/"))


def reserved_id(value: str, reserved: frozenset[str] = frozenset()) -> bool:
    """Whether an id is the site's own, or could be: compared without case
    or surrounding spaces, as no browser quirk should make it one."""
    wanted = value.strip().casefold()
    return wanted.startswith(RESERVED_ID_PREFIXES) or wanted in reserved


def allowed_class(tag: str, name: str) -> bool:
    return name in ALLOWED_CLASSES.get(tag, ()) or (tag == "code" and bool(_CODE_LANGUAGE.match(name)))


@cache
def _template_ids(folders: tuple[str, ...]) -> frozenset[str]:
    found: set[str] = set()
    for folder in folders:
        for template in sorted(Path(folder).rglob("*.html")):
            found.update(m.group(2).strip().casefold() for m in _TEMPLATE_ID.finditer(template.read_text("utf-8", errors="replace")))
    return frozenset(found - {""})


def template_ids(folders: Iterable[str | Path]) -> frozenset[str]:
    """Every id the theme's templates and ours write as it is (id="__config"),
    so a new one in a template is reserved without a list to keep up. Ids
    made from a variable (Material's __nav_1 ...) carry a reserved prefix;
    the whole-site test checks every id outside the content is covered."""
    return _template_ids(tuple(str(f) for f in folders))


def _id_finding(element: lxml.html.HtmlElement, name: str, value: str) -> Finding:
    reason = "is reserved for the site itself (ids starting with __, md- or nr-, and those of its templates): the site would find this element instead of its own"
    shown = _shown_value(value)
    heading = " ".join(element.text_content().split())
    # Markdown's toc extension makes a heading's id from its text (and adds
    # _1, _2 ... to repeats): then the text is what the author must change.
    if name in _HEADINGS and re.fullmatch(re.escape(toc_slugify(heading, "-")) + r"(_\d+)?", value):
        return Finding((f"# {heading}", f">{heading}<", heading), f'the heading "{_shown_value(heading)}" gets the id "{shown}" from its text, which {reason}. Reword the heading, or give it another id by ending its line with {{#another-id}}.')
    return Finding((f"#{value}", f'id="{value}"', f"id='{value}'", f"id={value}", value), f'the id "{shown}" on <{name}> {reason}. Choose another id.')


def _shown_value(value: str) -> str:
    return _CONTROL_SHOWN.sub("?", value if len(value) < 60 else value[:57] + "...")


def unsafe_url(value: str) -> bool:
    """Whether an address uses anything but http(s), mailto or tel, once decoded.

    Browsers ignore whitespace and control characters inside a scheme and
    decode entities, so "jav&#x09;ascript:" is javascript: too.
    """
    decoded = _CONTROL.sub("", htmllib.unescape(htmllib.unescape(value))).lower()
    match = _SCHEME.match(decoded)
    return bool(match) and match.group(1) not in SAFE_SCHEMES


def problems(rendered: str, body: str, shown: str, first_body_line: int, reserved: frozenset[str] = frozenset()) -> list[Problem]:
    """Findings as author-facing problems, each with the line it comes from."""
    lines = body.split("\n")
    out = []
    for finding in findings(rendered, reserved):
        line = _line_of(finding.needles, lines)
        out.append(Problem(shown, first_body_line + line if line is not None else 0, "", finding.message))
    return out


def clean(rendered: str, reserved: frozenset[str] = frozenset()) -> str:
    """The backstop: nh3 with the same allow-list (nothing is added or rewritten).

    nh3 parses as browsers do (html5ever), so an id or class that lxml's
    parser read differently still meets the same rules here, and is dropped.
    """
    return _cleaner(reserved).clean(rendered)


# Made once per set of reserved ids (one a build): building the allow-list
# for every call was more than half of it.
@cache
def _cleaner(reserved: frozenset[str]) -> nh3.Cleaner:
    def backstop(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            return None if reserved_id(value, reserved) else value
        if tag == "img" and attribute == "src" and _elsewhere(value):
            return None
        if attribute == "class":
            kept = " ".join(c for c in value.split() if allowed_class(tag, c))
            return kept or None
        return value

    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes={tag: GENERIC_ATTRIBUTES | ATTRIBUTES.get(tag, set()) for tag in ALLOWED_TAGS},
        attribute_filter=backstop,
        url_schemes=SAFE_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def _link_text(element: lxml.html.HtmlElement) -> str:
    return (element.text_content() or element.get("alt") or "").strip()


def _line_of(needles: tuple[str, ...], lines: list[str]) -> int | None:
    for needle in needles:
        if not needle:
            continue
        wanted = needle.lower()
        for number, line in enumerate(lines):
            if wanted in line.lower():
                return number
    return None
