"""HTML as feeds carry it: absolute URLs only, nothing executable, XML-legal.

Feed readers show item HTML out of the site's context, so a relative link
would point nowhere, and they vary in how well they sanitise. This is the last
pass before any HTML goes into a feed.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html
import nh3

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SCHEMES = {"http", "https", "mailto", "tel"}
_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "ol", "p", "pre",
    "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
}


# The only addresses the allow-list keeps: resolved against the page, the
# others are dropped by the cleaner anyway (lxml's make_links_absolute, which
# resolved every kind of link, took most of this function's time).
_LINKS = {"a": "href", "img": "src"}


def absolute_html(html: str, base_url: str) -> str:
    """Resolve every link and image against base_url, then allow-list the HTML."""
    html = _XML_ILLEGAL.sub("", html)
    if not html.strip():
        return ""
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in wrapper.iter(*_LINKS):
        address = element.get(_LINKS[element.tag])
        if address is not None:
            element.set(_LINKS[element.tag], urljoin(base_url, address.strip()))
    inner = (wrapper.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in wrapper)
    return _CLEANER.clean(inner).strip()


_CLEANER = nh3.Cleaner(tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES, link_rel=None, strip_comments=True)
