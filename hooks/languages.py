"""Languages: the UI string table and locale-aware date formatting for templates.

Events:
- on_config: load data/strings/<lang>.yml and check it has every key that the
  English table has, so a missing string stops the build instead of printing
  English on a page in another language.
- on_config: also declare the languages to Material (switcher, direction).
- on_config: check each language's og_locale (data/languages.yml) and that
  each count has the plural forms its language needs (newsroom/strings.py).
- on_env: give templates the `t` (escaped UI strings), `plural_forms`,
  `longdate`, `isolate` and `organisation_name` filters.
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
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from newsroom import build
from newsroom import strings as ui_strings
from newsroom.frontmatter import compose_data
from newsroom.i18n import alternates, isolate, isolate_text, longdate, longdatetime, organisation_name, plural_forms, sortable_date, translate_html
from newsroom.problems import Problems, quote
from newsroom.translations import SOURCE_LANG


_HTML_TAG = re.compile(r"(<html\b[^>]*?)(\s*>)")


@event_priority(90)
def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    state = build.get()
    _check_og_locales(state)
    folder = state.root / "data" / "strings"
    # What `make check` refuses in a table (newsroom/frontmatter.py), with its words.
    problems = Problems()
    for path in dict.fromkeys((folder / "en.yml", folder / f"{state.lang}.yml")):
        if path.is_file():
            problems.extend(compose_data(path, path.relative_to(state.root).as_posix())[1])
    if problems:
        raise PluginError(problems.render())
    reference, _ = ui_strings.read(folder / "en.yml")
    strings, lines = ui_strings.read(folder / f"{state.lang}.yml")
    missing = sorted(set(reference) - set(strings))
    if missing:
        raise PluginError(
            f"Can't build {state.lang}: data/strings/{state.lang}.yml has no translation for "
            + ", ".join(missing)
            + ". Add each key with its text in this language (see data/strings/en.yml)."
        )
    problems = ui_strings.plural_problems(f"data/strings/{state.lang}.yml", state.language["locale"], strings, lines, reference)
    if problems:
        raise PluginError(problems.render())
    state.strings = strings
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
    # The footer links the author guide where the site has one.
    guide = files.get_file_from_path("about/publishing.md")
    env.globals["publishing_guide"] = guide.url if guide is not None else None
    return env


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


# Open Graph's locales are language_TERRITORY, e.g. fr_FR, ar_AR.
_OG_LOCALE = re.compile(r"[a-z]{2,3}_[A-Z]{2}")


def _check_og_locales(state: build.Build) -> None:
    wrong = [entry for entry in state.languages if not _OG_LOCALE.fullmatch(str(entry.get("og_locale", "")))]
    if wrong:
        raise PluginError(
            "Can't build: data/languages.yml: "
            + "; ".join(f'og_locale of {entry["code"]} is {quote(entry["og_locale"]) if "og_locale" in entry else "missing"}' for entry in wrong)
            + ". Write each as language_TERRITORY, the way Open Graph names locales, e.g. fr_FR or ar_AR."
        )
