"""Languages: the UI string table and locale-aware date formatting for templates.

Events:
- on_config: the site's name and description from the language's UI strings
  (data/strings/<lang>.yml, checked with everything else by
  newsroom/validation.py: a missing string stops the build instead of
  printing English on a page in another language), and the languages
  declared to Material (switcher, direction).
- on_env: give templates the `t` (escaped UI strings), `plural_forms`,
  `longdate`, `isolate` and `organisation_name` filters, and what the
  site's footer shows in this language (`footer`).
- on_page_context: the page's translations, for hreflang and the switcher.
- on_post_page: `dir` on <html> (Material 9.8 sets it on <body> only, and the
  <html> tag sits outside any template block), and valid checkbox toggles.
"""

from __future__ import annotations

import os
import re
from typing import Any, Callable

from jinja2 import Environment, pass_context
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from newsroom import build, chrome, schema
from newsroom.i18n import alternates, isolate, isolate_text, longdate, longdatetime, organisation_name, plural_forms, sortable_date, translate_html
from newsroom.translations import SOURCE_LANG


_HTML_TAG = re.compile(r"(<html\b[^>]*?)(\s*>)")


@event_priority(90)
def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    state = build.get()
    strings = state.strings
    # The site's name and description are UI strings too; NEWSROOM_SITE_NAME
    # (tests with hostile values) wins when set.
    if not os.environ.get("NEWSROOM_SITE_NAME"):
        config.site_name = strings["site_name"]
    state.site_name = config.site_name
    config.site_description = strings["site_description"]
    config.theme["direction"] = state.language.get("dir", "ltr")
    # Material shows its language switcher when extra.alternate is set; our
    # partials/alternate.html keeps the reader on the same page.
    config.extra["alternate"] = [{"name": entry["name"], "lang": entry["code"], "link": f"/{entry['code']}/"} for entry in state.languages]
    return config


def on_pre_build(*, config: MkDocsConfig) -> None:
    """Plugins have read the raw site name in on_config; Material's templates
    print it unescaped, so from here on it is escaped Markup."""
    config.site_name = Markup.escape(build.get().site_name)


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    # Called as pages render, never when a template compiles: Jinja computes
    # a filter of a constant (`{{ "search" | t }}`) once, at compile time,
    # unless the filter takes the render context. These read the build's
    # language and catalogue, and compiled templates are reused by the next
    # language built in the same process (hooks/layout.py).
    for name, function in (
        ("t", translate_html),
        ("plural_forms", plural_forms),
        ("longdate", longdate),
        ("longdatetime", longdatetime),
        ("isolate", isolate),
        ("isolate_text", isolate_text),
        ("organisation_name", organisation_name),
        ("sortable_date", sortable_date),
    ):
        env.filters[name] = _at_render(function)
    # Static templates (404.html, sitemap.xml) get no page context.
    env.globals["language"] = build.get().language
    env.globals["alternates"] = alternates
    env.globals["source_language"] = SOURCE_LANG
    env.globals["footer"] = _footer(files)
    return env


# The site's pages the footer links to, where the site has them: (UI string, file).
FOOTER_PAGES = (
    ("footer_accessibility", "about/accessibility.md"),
    ("footer_privacy", "about/privacy.md"),
    ("footer_publishing_guide", "about/publishing.md"),
)


def _footer(files: Files) -> dict[str, Any]:
    """What the site's footer shows (partials/footer.html): the organisations
    that implement and fund the programmes, the about pages, each with the
    language it is written in when that is not the page's (the author guide
    is in English only), and where to report a problem."""
    state = build.get()
    catalogue = state.catalogue
    pages = []
    for key, src_uri in FOOTER_PAGES:
        found = files.get_file_from_path(src_uri)
        if found is not None:
            written_in = catalogue.available.get(src_uri, (SOURCE_LANG,))
            pages.append((key, found.url, None if state.lang in written_in else SOURCE_LANG))
    # A wrong `repository:` stopped the build already (newsroom/validation.py).
    repository, _ = schema.repository(state.settings, dict(os.environ))
    organisations = chrome.footer_organisations(catalogue)
    return {
        "implementers": [catalogue.organisations[slug] for slug in organisations["implementers"]],
        "funders": [catalogue.organisations[slug] for slug in organisations["funders"]],
        "pages": pages,
        "report": f"https://github.com/{repository}/issues/new" if repository else None,
    }
def _at_render(function: Callable[..., Any]) -> Callable[..., Any]:
    @pass_context
    def at_render(context: Any, *args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    return at_render


def on_page_context(context: dict[str, Any], *, page: Any, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    record = page.meta.get("record")
    context["translation"] = getattr(record, "translation", None)
    context["hreflang"] = alternates(page)
    context["hreflang_default"] = build.get().in_language(SOURCE_LANG, page.url)
    return context


def on_post_page(output: str, *, page: Any, config: MkDocsConfig) -> str:
    return _valid_toggles(_with_direction(output))


# Material 9.8 writes autocomplete="off" on its drawer and search checkboxes,
# which HTML allows only on text-like inputs, and no template block reaches
# those lines. (Firefox may now restore an open drawer on Back: harmless.)
# Replaced as plain text: a regular expression over every page took longer.
_MATERIAL_TOGGLES = [f'<input class="md-toggle" data-md-toggle="{name}" type="checkbox" id="__{name}" autocomplete="off">' for name in ("drawer", "search")]


def _valid_toggles(output: str) -> str:
    for toggle in _MATERIAL_TOGGLES:
        output = output.replace(toggle, toggle.replace(' autocomplete="off"', ""), 1)
    return output


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    return _valid_toggles(_with_direction(output_content)) if template_name.endswith(".html") else output_content


def _with_direction(output: str) -> str:
    direction = build.get().language.get("dir", "ltr")
    return _HTML_TAG.sub(lambda m: m.group(0) if "dir=" in m.group(0) else f'{m.group(1)} dir="{direction}"{m.group(2)}', output, count=1)
