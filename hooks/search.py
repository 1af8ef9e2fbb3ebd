"""Search: Pagefind indexes each language's built pages into <site>/pagefind/.

One index per language, taken from <html lang>: each language builds into its
own folder and is indexed on its own, so results only ever come from the
reader's language. The binary ships in the pagefind[extended] package (which
segments Chinese and stems Arabic, Russian, French and Spanish); nothing is
downloaded. Only elements marked data-pagefind-body are indexed: release,
programme and resource texts, never navigation, notices or listings.

Events: on_post_build (last, once the whole language is written). It runs in
`mkdocs serve` too, so search works while previewing.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority


@event_priority(-100)
def on_post_build(*, config: MkDocsConfig, **_: Any) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", config.site_dir, "--quiet"],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise PluginError(f"Pagefind could not index {config.site_dir}:\n{done.stdout}{done.stderr}")
