"""Languages: the UI string table and locale-aware date formatting for templates.

Events:
- on_config: load data/strings/<lang>.yml and check it has every key that the
  English table has, so a missing string stops the build instead of printing
  English on a page in another language.
- on_config: also declare the languages to Material (switcher, direction).
- on_env: give templates the `t` (escaped UI strings) and `longdate` filters.
- on_page_context: the page's translations, for hreflang and the switcher.
- on_post_page: `dir` on <html> (Material 9.8 sets it on <body> only, and the
  <html> tag sits outside any template block), and valid checkbox toggles.
"""

from __future__ import annotations

import os
import re
from typing import Any

import yaml
from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from newsroom import build
from newsroom.frontmatter import compose_data
from newsroom.problems import Problems
from newsroom.i18n import isolate, longdate, longdatetime, translate_html
from newsroom.translations import SOURCE_LANG


_HTML_TAG = re.compile(r"(<html\b[^>]*?)(\s*>)")


@event_priority(90)
def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    state = build.get()
    folder = state.root / "data" / "strings"
    # What `make check` refuses in a table (newsroom/frontmatter.py), with its words.
    problems = Problems()
    for path in dict.fromkeys((folder / "en.yml", folder / f"{state.lang}.yml")):
        if path.is_file():
            problems.extend(compose_data(path, path.relative_to(state.root).as_posix())[1])
    if problems:
        raise PluginError(problems.render())
    reference = _load(folder / "en.yml")
    strings = _load(folder / f"{state.lang}.yml")
    missing = sorted(set(reference) - set(strings))
    if missing:
        raise PluginError(
            f"Can't build {state.lang}: data/strings/{state.lang}.yml has no translation for "
            + ", ".join(missing)
            + ". Add each key with its text in this language (see data/strings/en.yml)."
        )
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
    env.filters["t"] = translate_html
    env.filters["longdate"] = longdate
    env.filters["longdatetime"] = longdatetime
    env.filters["isolate"] = isolate
    # Static templates (404.html, sitemap.xml) get no page context.
    env.globals["language"] = build.get().language
    env.globals["alternates"] = alternates
    env.globals["source_language"] = SOURCE_LANG
    return env


def on_page_context(context: dict[str, Any], *, page: Any, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    record = page.meta.get("record")
    context["translation"] = getattr(record, "translation", None)
    context["hreflang"] = alternates(page)
    context["hreflang_default"] = build.get().in_language(SOURCE_LANG, page.url)
    return context


def alternates(page: Any) -> list[tuple[str, str]]:
    """(language, absolute URL) for each language the page is really written in.

    A page shown in English in another language is not an alternate of its
    own. Generated pages (listings) exist in every language.
    """
    state = build.get()
    codes = [entry["code"] for entry in state.languages]
    written_in = state.catalogue.available.get(page.file.src_uri, codes)
    return [(code, state.in_language(code, page.url)) for code in codes if code in written_in]


def on_post_page(output: str, *, page: Any, config: MkDocsConfig) -> str:
    return _valid_toggles(_with_direction(output))


# Material 9.8 writes autocomplete="off" on its drawer and search checkboxes,
# which HTML allows only on text-like inputs, and no template block reaches
# those lines. (Firefox may now restore an open drawer on Back: harmless.)
_MATERIAL_TOGGLE = re.compile(r'(<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" id="__(?:drawer|search)") autocomplete="off">')


def _valid_toggles(output: str) -> str:
    return _MATERIAL_TOGGLE.sub(r"\1>", output)


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    return _valid_toggles(_with_direction(output_content)) if template_name.endswith(".html") else output_content


def _with_direction(output: str) -> str:
    direction = build.get().language.get("dir", "ltr")
    return _HTML_TAG.sub(lambda m: m.group(0) if "dir=" in m.group(0) else f'{m.group(1)} dir="{direction}"{m.group(2)}', output, count=1)


def _load(path: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in (yaml.safe_load(path.read_text("utf-8")) or {}).items()}
