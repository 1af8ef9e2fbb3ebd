"""The pages' Content-Security-Policy under `mkdocs serve`.

The policy itself is written once, in mkdocs.yml (extra.content_security_policy),
and printed first in every page by overrides/main.html. `mkdocs serve` adds an
inline script to every page it serves, for live reload, and the policy allows
no inline script: so, for `serve` only, script-src also allows inline scripts
(the script changes with every request, so no hash can name it). Built sites
(`mkdocs build`, `make build`) keep the policy as written.

Events: on_startup (which command), on_config (the policy for `serve`).
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig

_command: str | None = None


def on_startup(*, command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    if _command == "serve":
        config.extra["content_security_policy"] = _with_inline_scripts(config.extra["content_security_policy"])
    return config


def _with_inline_scripts(policy: str) -> str:
    directives = [part.split() for part in policy.split(";") if part.strip()]
    for directive in directives:
        if directive[0] == "script-src" and "'unsafe-inline'" not in directive:
            directive.append("'unsafe-inline'")
    return "; ".join(" ".join(directive) for directive in directives)
