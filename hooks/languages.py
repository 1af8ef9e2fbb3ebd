"""Languages: the UI string table and locale-aware date formatting for templates.

Events:
- on_config: load data/strings/<lang>.yml and check it has every key that the
  English table has, so a missing string stops the build instead of printing
  English on a page in another language.
- on_env: give templates the `t` and `longdate` filters.
"""

from __future__ import annotations

from typing import Any

import yaml
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from newsroom import build
from newsroom.i18n import longdate, translate


@event_priority(90)
def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    state = build.get()
    folder = state.root / "data" / "strings"
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
    return config


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    env.filters["t"] = translate
    env.filters["longdate"] = longdate
    return env


def _load(path: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in (yaml.safe_load(path.read_text("utf-8")) or {}).items()}
