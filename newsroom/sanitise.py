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
  (javascript:, vbscript:, data: ...), however it is encoded;
- allowed: text structure, links, images with alt text, tables, abbreviations,
  footnotes, and the id/class/title/lang/dir attributes.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass

import lxml.html
import nh3

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
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}

_WHY = {
    "script": "scripts cannot be part of a page's content",
    "style": "styling comes from the site's theme, not from content",
    "iframe": "embedded frames load other sites into ours",
    "object": "embedded objects can run code",
    "embed": "embedded objects can run code",
    "form": "forms cannot be part of a page's content",
    "input": "form fields cannot be part of a page's content",
    "button": "form buttons cannot be part of a page's content",
    "textarea": "form fields cannot be part of a page's content",
    "select": "form fields cannot be part of a page's content",
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


def findings(rendered: str) -> list[Finding]:
    """Everything in rendered HTML that the policy refuses."""
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
    return found


def unsafe_url(value: str) -> bool:
    """Whether an address uses anything but http(s), mailto or tel, once decoded.

    Browsers ignore whitespace and control characters inside a scheme and
    decode entities, so "jav&#x09;ascript:" is javascript: too.
    """
    decoded = _CONTROL.sub("", htmllib.unescape(htmllib.unescape(value))).lower()
    match = _SCHEME.match(decoded)
    return bool(match) and match.group(1) not in SAFE_SCHEMES


def problems(rendered: str, body: str, shown: str, first_body_line: int) -> list[Problem]:
    """Findings as author-facing problems, each with the line it comes from."""
    lines = body.split("\n")
    out = []
    for finding in findings(rendered):
        line = _line_of(finding.needles, lines)
        out.append(Problem(shown, first_body_line + line if line is not None else 0, "", finding.message))
    return out


def clean(rendered: str) -> str:
    """The backstop: nh3 with the same allow-list (nothing is added or rewritten)."""
    return _CLEANER.clean(rendered)


# Made once: building the allow-list for every call was more than half of it.
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes={tag: GENERIC_ATTRIBUTES | ATTRIBUTES.get(tag, set()) for tag in ALLOWED_TAGS},
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
