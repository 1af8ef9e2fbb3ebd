"""Search: Pagefind indexes each language's pages into <site>/pagefind/.

One index per language, taken from <html lang>: each language builds into its
own folder and is indexed on its own, so results only ever come from the
reader's language. The binary ships in the pagefind[extended] package (which
segments Chinese and stems Arabic, Russian, French and Spanish); nothing is
downloaded. Only elements marked data-pagefind-body are indexed: release,
programme and resource texts, never navigation, notices or listings.

Pagefind runs beside the build, as a service (`pagefind --service`, the
protocol of its official Python and Node clients): each page that has a
data-pagefind-body is sent to it once it is rendered, so Pagefind reads pages
while MkDocs renders the rest, and no page is read back from disk.

Pagefind numbers pages in the order it receives them, and that order shapes
the index files, so pages are always sent in the order MkDocs builds them,
whichever process rendered them (hooks/parallel.py): a rendering child
appends each page to a spool (newsroom/processes.py), and the parent sends
pages from there and its own as soon as every earlier page has been sent. A
build in several processes writes the same index as a serial one.

The generated listings come last in that order and are never indexed, so the
index is asked for as soon as the last page before them is sent: Pagefind
builds it while MkDocs renders the listings, and a thread writes its files as
soon as they come. Should a listing ever be indexed after all, the index is
asked for again once every page is sent, and that answer is the one written.

The service's answers go to a temporary file, never a pipe, so a long build
can never block on them. Once every page is written, the index is written and
every answer checked: a page Pagefind could not index stops the build.

Events: on_startup (which command), on_env (start the service, before
rendering processes fork), on_post_page (last: the final HTML), on_post_build
(last: write the index), on_build_error (stop the service). It runs in
`mkdocs serve` too, so search works while previewing.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import struct
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page
from pagefind.service import get_executable

from newsroom.processes import Spool, scratch

log = logging.getLogger("mkdocs.hooks.search")

MARKER = "data-pagefind-body"
# A page from a rendering child: its place in the build order, then its
# message (empty: nothing to index).
PLACE = struct.Struct("<q")


def searchable(html: str) -> str:
    """What Pagefind needs of a page: its <html> element (for the language)
    and the article marked for search, without the navigation, header and
    scripts around it, which it would parse only to skip. Every template
    marks an <article> (overrides/press-release.html, programme.html,
    resource.html), and no article is ever nested in one: the content policy
    allows none (newsroom/sanitise.py), and no text can close one, as every
    text is escaped. Anything else is sent whole."""
    opening = _HTML.search(html)
    body = _BODY.search(html)
    end = html.find("</article>", body.end()) if body else -1
    if opening is None or end < 0:
        return html
    return f'<!DOCTYPE html>{opening.group(0)}<head><meta charset="utf-8"></head><body>{html[body.start() : end]}</article></body></html>'


_HTML = re.compile(r"<html\b[^>]*>")
_BODY = re.compile(r"<article\b[^>]*\sdata-pagefind-body[\s/>=]")


class Indexer:
    """One Pagefind service and one index for a build; only the parent process talks to it."""

    def __init__(self, output: Path, order: dict[str, int] | None, listings_from: int | None = None) -> None:
        binary = get_executable()
        if binary is None:
            raise PluginError("The Pagefind binary is missing: run `make serve` or `make test`, which install pagefind[extended] from requirements/build.txt.")
        self.parent = os.getpid()
        # Pagefind appends its answers to one handle, we read the other.
        answers_out, self.answers = scratch("pagefind-answers-")
        self.process = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE, stdout=answers_out, stderr=subprocess.STDOUT)
        os.close(answers_out)
        self.answers_read = 0
        self.partial = b""
        self.replies: dict[str, list[dict[str, Any]]] = {}
        # Pages from rendering children.
        self.order = order
        self.pages = Spool("pagefind-pages-")
        # In the parent: pages that wait for an earlier one, by place.
        self.waiting: dict[int, bytes] = {}
        self.next = 0
        self.sent = 0
        # The index is asked for as soon as the last page that may be indexed
        # is sent: Pagefind builds it while the listings (never indexed) are
        # rendered. `asked_at`: how many pages had been sent then.
        self.listings_from = listings_from
        self.asked_at: int | None = None
        self.asks = 0
        # The index files are written by a thread as soon as they arrive,
        # while the listings are rendered.
        self.output = output
        self.writer: threading.Thread | None = None
        self.writing: dict[str, Any] | None = None
        self.write_error: BaseException | None = None
        self._send(self._message({"type": "NewIndex", "config": None}))
        self.index_id = self._wait(lambda: self._typed("NewIndex"), "start")[0]["index_id"]

    def add(self, page: Page, html: str) -> None:
        message = self._message({"type": "AddFile", "index_id": self.index_id, "url": "/" + page.url, "file_path": None, "file_contents": searchable(html)}) if MARKER in html else b""
        place = -1 if self.order is None else self.order.get(page.file.src_uri, -1)
        if os.getpid() != self.parent:
            self.pages.put(PLACE.pack(place) + message)
            return
        self._take(place, message)
        self._pump()

    def finish(self) -> int:
        """Write the index once every page is indexed; the number of pages."""
        self._pump()
        # A page that never came (none should) cannot hold the others back.
        for place in sorted(self.waiting):
            self._send(self.waiting.pop(place), counted=True)
        # Not asked yet, or asked too early (a listing turned out to be
        # indexed): ask now. The last answer holds every page.
        if self.asked_at != self.sent:
            self._ask()
        # Pagefind answers in order, so by the last GetFiles answer every
        # page sent has been answered too.
        waited = time.monotonic()
        answer = self._wait(lambda: len(self._typed("GetFiles")) >= self.asks and self._typed("GetFiles")[-1], "write the index")
        log.debug(f"Pagefind: {self.sent} pages indexed; waited {time.monotonic() - waited:.2f} s for the index, asked for {self.asks} time(s).")
        errors = self._typed("Error")
        if errors:
            raise PluginError("Pagefind could not index every page:\n" + "\n".join(f"  {e.get('message')}" for e in errors[:20]))
        # The files come back here and are written by us: Pagefind's own
        # WriteFiles answers before its last writes reach the disk, and a
        # file cut short by stopping it then would break search.
        if self.writer is not None:
            self.writer.join()
            if self.write_error is not None:
                raise self.write_error
        if self.writing is not answer:
            self._write(answer)
            if self.writing is not None:  # the early answer's files that the last one has not
                for path in {made["path"] for made in self.writing["files"]} - {made["path"] for made in answer["files"]}:
                    (self.output / path).unlink(missing_ok=True)
        return len(self._typed("IndexedFile"))

    def _write(self, answer: dict[str, Any]) -> None:
        made_dirs: set[Path] = set()
        for made in answer["files"]:
            path = self.output / made["path"]
            if self.output not in path.parents:
                raise PluginError(f"Pagefind named an index file outside {self.output}: {made['path']}")
            if path.parent not in made_dirs:
                path.parent.mkdir(parents=True, exist_ok=True)
                made_dirs.add(path.parent)
            path.write_bytes(base64.b64decode(made["content"]))

    def _write_in_background(self, answer: dict[str, Any]) -> None:
        try:
            self._write(answer)
        except BaseException as error:  # noqa: BLE001 - raised by finish(), in the build's thread
            self.write_error = error

    def close(self) -> None:
        if os.getpid() != self.parent:
            return
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait()
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
        os.close(self.answers)
        self.pages.close()

    def _take(self, place: int, message: bytes) -> None:
        if place < 0:  # not in the build order (`mkdocs serve`): at once
            if message:
                self._send(message, counted=True)
        else:
            self.waiting[place] = message

    def _pump(self) -> None:
        """Read what the children wrote, and send every page whose turn has come."""
        for record in self.pages.take():
            self._take(PLACE.unpack_from(record)[0], record[PLACE.size :])
        while self.next in self.waiting:
            message = self.waiting.pop(self.next)
            self.next += 1
            if message:
                self._send(message, counted=True)
            if self.next == self.listings_from:
                self._ask()
        if self.writer is None and self.asked_at is not None and self.asked_at == self.sent:
            self._read()
            answers = self._typed("GetFiles")
            if len(answers) == self.asks:
                self.writing = answers[-1]
                self.writer = threading.Thread(target=self._write_in_background, args=(self.writing,), daemon=True)
                self.writer.start()

    def _ask(self) -> None:
        """Ask for the index files: Pagefind answers once it has read every page sent before."""
        self._send(self._message({"type": "GetFiles", "index_id": self.index_id}))
        self.asked_at = self.sent
        self.asks += 1

    @staticmethod
    def _message(payload: dict[str, Any]) -> bytes:
        return base64.b64encode(json.dumps({"message_id": 0, "payload": payload}, ensure_ascii=False).encode("utf-8")) + b","

    def _send(self, message: bytes, counted: bool = False) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(message)
        self.process.stdin.flush()
        if counted:
            self.sent += 1

    def _typed(self, kind: str) -> list[dict[str, Any]]:
        return self.replies.get(kind, [])

    def _read(self) -> None:
        arrived = False
        while data := os.pread(self.answers, 1 << 24, self.answers_read):
            self.answers_read += len(data)
            self.partial += data
            arrived = arrived or b"," in data
        if not arrived:
            return
        *whole, self.partial = self.partial.split(b",")
        for chunk in whole:
            if chunk.strip():
                reply = json.loads(base64.b64decode(chunk))["payload"]
                self.replies.setdefault(reply.get("type"), []).append(reply)

    def _wait(self, done: Any, doing: str) -> Any:
        while True:
            self._read()
            result = done()
            if result:
                return result
            if self.process.poll() is not None:
                self._read()
                result = done()
                if result:
                    return result
                said = os.pread(self.answers, 1 << 20, 0).decode("utf-8", "replace")
                raise PluginError(f"Pagefind stopped before it could {doing} (exit status {self.process.returncode}):\n{said[-2000:]}")
            time.sleep(0.02)


_command: str | None = None
_indexer: Indexer | None = None


def _stop() -> None:
    global _indexer
    if _indexer is not None:
        _indexer.close()
        _indexer = None


def on_startup(*, command: str, dirty: bool) -> None:
    global _command
    # Only a full `mkdocs build` renders every page in a known order.
    _command = None if dirty else command


@event_priority(-50)  # before hooks/parallel.py forks (-100): every process shares the index
def on_env(env: Any, *, config: MkDocsConfig, files: Files) -> Any:
    global _indexer
    _stop()
    order, listings_from = None, None
    if _command == "build":
        pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
        order = {file.src_uri: place for place, file in enumerate(pages)}
        # Generated pages (hooks/listings.py) come last and are never indexed.
        listings_from = 1 + max((place for place, file in enumerate(pages) if not file.generated_by), default=-1)
    _indexer = Indexer(Path(config.site_dir) / "pagefind", order, listings_from)
    return env


@event_priority(-100)  # last: the page as it is written
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    if _indexer is not None:
        _indexer.add(page, output)
    return output


@event_priority(-100)
def on_post_build(*, config: MkDocsConfig, **_: Any) -> None:
    global _indexer
    if _indexer is None:
        return
    indexer, _indexer = _indexer, None
    try:
        indexer.finish()
    finally:
        indexer.close()


def on_build_error(*, error: Exception) -> None:
    _stop()
