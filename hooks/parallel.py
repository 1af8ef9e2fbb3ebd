"""Use every core for one language: Markdown and templates in several processes.

MkDocs works one page at a time on one core: first it converts every page's
Markdown, then it renders every page's template. Those two loops are most of
a build, so this hook shares them out among forked processes.

- Markdown (on_nav, before MkDocs' first loop). Each child starts at its
  own place in the list (the parent's part, first, is smaller: it also runs
  every hook on every page). A process claims each page before it converts
  it, so no page is converted twice: a child converts the pages it claims,
  onwards from its place and then backwards from it, reads them and runs the
  on_page_markdown hooks as MkDocs would, and sends back what `Page.render`
  sets (content, table of contents, title, anchors). The parent goes through
  all pages as usual, with every hook: a page a child claimed takes the
  child's result instead of converting again, if the Markdown it was made
  from is the parent's, byte for byte; an unclaimed one the parent claims and
  converts itself. However fast each process runs, none waits for long.
  If a child failed, the parent converts the page itself, so an error shows
  exactly as in a serial build.
- Templates (on_env, once every page's Markdown is converted and every hook
  has collected what it needs). Every process takes the next page not yet
  taken, in build order, renders and writes it: the tickets are page numbers
  in a pipe, and a read of one takes it. A process slowed down (the parent
  also sends pages to Pagefind) just takes fewer, so all finish together. No
  hook keeps state in on_page_context or on_post_page, so nothing a child
  does is needed later by the parent.

The output is the same file for file as a serial build: the tests build both
ways and compare. What a child logs (a broken link, say) is logged again by the
parent, so `strict: true` still counts it; a child's error stops the build.

How many processes: NEWSROOM_RENDER_PROCESSES, else the cores this process
may use. `newsroom.cli build` shares the cores among the languages it builds
at once (six languages on two cores: one process each). Only `mkdocs build`
forks; `mkdocs serve` runs threads, which do not survive a fork, and works
serially.

Events: on_startup (which command), on_nav (last: fork for Markdown), on_env
(last: fork for templates), on_post_build (first: wait for the children,
before the feeds and the search index read the output), on_build_error (stop
them).
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import logging
import mmap
import os
import pickle
import select
import signal
import struct
import time
import traceback
from typing import Any, Callable

import mkdocs.commands.build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

from newsroom.processes import Lock, Spool, wanted

log = logging.getLogger("mkdocs.hooks.parallel")

# The parent's share of the Markdown, against a child's 1: the parent also
# runs every hook on every child's page as results arrive. Measured at 1,000
# releases on 2 cores (timings: `mkdocs build --verbose`).
PARENT_MARKDOWN = 0.5
GC_THRESHOLD = 50_000
# A ticket: the number of a page to render (hooks share them through a pipe).
TICKET = struct.Struct("<I")

_SERIAL_BUILD = mkdocs_build._build_page
_SERIAL_RENDER = Page.render


class _Run:
    """The state of one build: reset in on_startup and after every build."""

    def __init__(self) -> None:
        self.nav: Any = None
        # Rendering children: (pid, read end of the pipe of its report).
        self.renderers: list[tuple[int, int]] = []
        # The read end of the pipe of page tickets, and the parent's own.
        self.tickets = -1
        self.mine: set[int] = set()
        self.last_ticket = -1
        self.tickets_left = True
        # Converting children (pid, read end of the pipe of its report), the
        # stream of results of each (child k's is streams[k - 1]), and who
        # claimed each page (by its place in the build order).
        self.converters: list[tuple[int, int]] = []
        self.streams: list[_Stream] = []
        self.claims: _Claims | None = None
        self.place: dict[str, int] = {}
        # What arrived: src_uri -> (digest of the Markdown, what Page.render sets).
        self.converted: dict[str, tuple[str, dict[str, Any]]] = {}
        self.taken = 0
        self.redone = 0  # claimed by a child, but converted here (the child failed)
        self.waited = False
        self.started = 0.0


_command: str | None = None
_run = _Run()
# In a child: what it has logged since the last report of it.
_child_log: list[tuple[int, str]] = []


def on_startup(*, command: str, dirty: bool) -> None:
    global _command, _run
    _command = None if dirty else command
    _run = _Run()
    if command == "build":
        # A build keeps almost everything it makes until it ends: the
        # collector's frequent passes over it find nothing to free.
        gc.set_threshold(GC_THRESHOLD, 20, 20)


# Claims are one byte a page, and 255 marks the parent's.
MOST_PROCESSES = 254


def processes() -> int:
    try:
        return min(MOST_PROCESSES, wanted())
    except ValueError:
        given = os.environ.get("NEWSROOM_RENDER_PROCESSES", "").strip()
        raise PluginError(f'NEWSROOM_RENDER_PROCESSES is "{given}": give a whole number of processes, e.g. 2 (1 works serially).') from None


def _enabled(pages: int) -> int:
    count = processes()
    if _command != "build" or count < 2 or not hasattr(os, "fork") or pages < 2 * count:
        return 1
    return count


# --------------------------------------------------------------------------
# Markdown


@event_priority(-100)
def on_nav(nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
    _stop_all()
    _run.nav = nav
    if _command == "build":
        # The content and the navigation live until the end: the collector
        # need not look at them again (and, in children, need not copy them).
        gc.freeze()
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    count = _enabled(len(doc_files))
    if count < 2:
        return nav
    # Where each process starts: the parent at the first page, each child
    # after a part of the Markdown (by size) the parent's share. The
    # parent's part is smaller, as it also runs every hook on every page.
    sizes = [_size(file) for file in doc_files]
    total = sum(sizes) or 1
    weights = [PARENT_MARKDOWN] + [1.0] * (count - 1)
    ends = [sum(weights[: k + 1]) / sum(weights) * total for k in range(count - 1)]
    bounds, running = [0], 0
    for index, size in enumerate(sizes):
        running += size
        if len(bounds) < count and running >= ends[len(bounds) - 1]:
            bounds.append(index + 1)
    bounds += [len(doc_files)] * (count + 1 - len(bounds))
    _run.claims = _Claims(len(doc_files))
    _run.place = {file.src_uri: place for place, file in enumerate(doc_files)}
    for k in range(1, count):
        # Onwards from its place to the end, then backwards from it.
        order = [*range(bounds[k], len(doc_files)), *range(bounds[k] - 1, -1, -1)]
        stream = _Stream()
        _run.streams.append(stream)
        _fork(lambda k=k, order=order, stream=stream: _convert(k, [doc_files[place] for place in order], order, config, files, stream), _run.converters)
        stream.report = _run.converters[-1][1]
    Page.render = _render
    _run.started = time.monotonic()
    return nav


def _size(file: Any) -> int:
    try:
        return os.path.getsize(file.abs_src_path) if file.abs_src_path else len(file.content_string)
    except (OSError, TypeError, ValueError):
        return 0


def _digest(markdown: str) -> str:
    return hashlib.blake2b(markdown.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class _Claims:
    """Who converts each page: 0 nobody yet, else the process's number (the
    parent is PARENT). Shared memory made before the fork; a claim is taken
    under a lock (released by the kernel should its holder die), and once
    taken never changes."""

    PARENT = 255

    def __init__(self, pages: int) -> None:
        self.owners = mmap.mmap(-1, max(1, pages))
        self.lock = Lock()

    def claim(self, place: int, who: int) -> int:
        """Claim a page for `who` if nobody has; who has it now."""
        with self.lock:
            owner = self.owners[place]
            if owner == 0:
                self.owners[place] = owner = who
        return owner

    def close(self) -> None:
        self.owners.close()
        self.lock.close()


class _Stream:
    """Results of a converting child, as it makes them, read as the parent
    needs them (a spool: the child never waits for the parent)."""

    def __init__(self) -> None:
        self.spool = Spool("newsroom-markdown-")
        self.report = -1  # the read end of the child's report pipe: readable once it is done

    def put(self, uri: str, result: tuple[str, dict[str, Any]]) -> None:
        self.spool.put(pickle.dumps((uri, result), protocol=pickle.HIGHEST_PROTOCOL))

    def take(self, into: dict[str, Any]) -> None:
        """Move every whole result written so far into `into`."""
        for data in self.spool.take():
            uri, result = pickle.loads(data)
            into[uri] = result

    def wait_for(self, uri: str, into: dict[str, Any]) -> None:
        """Wait until `uri` arrives, or the child is done without it."""
        while True:
            self.take(into)
            if uri in into:
                return
            done, _, _ = select.select([self.report], [], [], 0.005)
            if done:  # the child has finished (or died): nothing more will come
                self.take(into)
                return

    def close(self) -> None:
        self.spool.close()


def _convert(k: int, share: list, order: list[int], config: MkDocsConfig, files: Files, stream: _Stream) -> dict[str, Any]:
    """In child k: what MkDocs' first loop does up to Page.render, for every
    page of `share` it can claim (`order`: their places in the build order)."""
    assert _run.claims is not None
    for file, place in zip(share, order):
        if _run.claims.claim(place, k) != k:
            continue
        _child_log.clear()
        page = file.page if file.page is not None else Page(None, file, config)
        config._current_page = page
        try:
            page = config.plugins.on_pre_page(page, config=config, files=files)
            page.read_source(config)
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            digest = _digest(page.markdown)
            _SERIAL_RENDER(page, config, files)
        except Exception:  # noqa: BLE001 - the parent converts this page itself and meets the error
            break
        finally:
            config._current_page = None
        links = page.links_to_anchors
        stream.put(
            file.src_uri,
            (
                digest,
                {
                    "content": page.content,
                    "toc": page.toc,
                    "_title_from_render": page._title_from_render,
                    "present_anchor_ids": page.present_anchor_ids,
                    "links_to_anchors": None if links is None else {to.src_uri: anchors for to, anchors in links.items()},
                    # Logged by the parent if, and when, it takes this result.
                    "logged": list(_child_log),
                },
            ),
        )
    _child_log.clear()
    return {}


def _render(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Page.render in the parent: a child's result when there is a valid one."""
    uri = page.file.src_uri
    place = _run.place.get(uri)
    owner = _run.claims.claim(place, _Claims.PARENT) if _run.claims is not None and place is not None else _Claims.PARENT
    if owner != _Claims.PARENT and uri not in _run.converted:
        if not _run.waited:
            _run.waited = True
            log.debug(f"This process first waited for another's Markdown after {time.monotonic() - _run.started:.2f} s.")
        _run.streams[owner - 1].wait_for(uri, _run.converted)
    held = _run.converted.pop(uri, None) if owner != _Claims.PARENT else None
    if held is None or page.markdown is None or held[0] != _digest(page.markdown):
        _run.redone += owner != _Claims.PARENT
        _SERIAL_RENDER(page, config, files)
        return
    _run.taken += 1
    done = held[1]
    for level, message in done["logged"]:
        log.log(level, message)
    for name in ("content", "toc", "_title_from_render", "present_anchor_ids"):
        setattr(page, name, done[name])
    if done["links_to_anchors"] is not None:
        page.links_to_anchors = {files.get_file_from_path(to): anchors for to, anchors in done["links_to_anchors"].items()}
        page.links_to_anchors.pop(None, None)


# --------------------------------------------------------------------------
# Templates


@event_priority(-100)
def on_env(env: Any, *, config: MkDocsConfig, files: Files) -> Any:
    # Every page is converted by now: whatever a child did not send is done.
    _collect(_run.converters, lambda report: None)
    if _run.claims is not None:
        again = f"; {_run.redone} converted again here" if _run.redone else ""
        log.info(f"Markdown: {_run.taken} of {len(_run.place)} pages converted in other processes{again}.")
    _close_streams()
    Page.render = _SERIAL_RENDER
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    count = _enabled(len(doc_files))
    if count < 2:
        return env
    # One ticket per page, all written before any process takes one. A pipe
    # holds 64 KiB (16,384 tickets) or less, and on Linux can be made larger;
    # if it still cannot hold them all, one process renders every page.
    reader, writer = os.pipe()
    tickets = b"".join(TICKET.pack(number) for number in range(len(doc_files)))
    if len(tickets) > 4096 and hasattr(fcntl, "F_SETPIPE_SZ"):
        try:
            fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, len(tickets))
        except OSError:
            pass
    os.set_blocking(writer, False)
    try:
        written = os.write(writer, tickets)
    except BlockingIOError:
        written = 0
    os.close(writer)
    if written != len(tickets):
        os.close(reader)
        log.info(f"Rendering {len(doc_files)} pages in 1 process: too many pages for the pipe that shares them out.")
        return env
    _run.tickets = reader
    _run.mine, _run.last_ticket, _run.tickets_left = set(), -1, True
    for _ in range(count - 1):
        _fork(lambda: _build(doc_files, config, env), _run.renderers)
    number = {id(file.page): place for place, file in enumerate(doc_files)}

    def build_page(page: Any, *args: Any, **kwargs: Any) -> None:
        if _mine(number[id(page)]):
            _SERIAL_BUILD(page, *args, **kwargs)

    mkdocs_build._build_page = build_page
    _run.started = time.monotonic()
    log.info(f"Rendering {len(doc_files)} pages in {count} processes.")
    return env


def _ticket() -> int | None:
    """Take the next page not yet taken by any process (None: none left).
    On Linux a read of a pipe is whole (it holds the pipe's lock), so no two
    processes get parts of one ticket; forking is Linux and macOS only."""
    data = os.read(_run.tickets, TICKET.size)
    return TICKET.unpack(data)[0] if len(data) == TICKET.size else None


def _mine(place: int) -> bool:
    """In the parent, which meets every page in build order: whether this
    page is its to render. Tickets come out in order, so a page with a
    lower number than the parent's last ticket went to another process."""
    if place in _run.mine:
        return True
    while _run.tickets_left and _run.last_ticket < place:
        taken = _ticket()
        if taken is None:
            _run.tickets_left = False
            break
        _run.mine.add(taken)
        _run.last_ticket = taken
    return place in _run.mine


def _build(doc_files: Any, config: MkDocsConfig, env: Any) -> dict[str, Any]:
    """In a child: render every page it takes a ticket for."""
    rendered = 0
    while (place := _ticket()) is not None:
        file = doc_files[place]
        _SERIAL_BUILD(file.page, config, doc_files, _run.nav, env, excluded=file.inclusion.is_excluded())
        rendered += 1
    return {"rendered": rendered}


@event_priority(100)
def on_post_build(*, config: MkDocsConfig) -> None:
    mkdocs_build._build_page = _SERIAL_BUILD
    if _run.renderers:
        log.debug(f"This process rendered {len(_run.mine)} pages in {time.monotonic() - _run.started:.2f} s.")
    _close_tickets()
    failures: list[str] = []
    _collect(_run.renderers, lambda report: failures.append(report["error"]) if "error" in report else None)
    if failures:
        raise PluginError("\n".join(failures))


def on_build_error(*, error: Exception) -> None:
    _stop_all()


# --------------------------------------------------------------------------
# Children


def _fork(work: Callable[[], dict[str, Any]], into: list[tuple[int, int]]) -> None:
    reader, writer = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writer)
        into.append((pid, reader))
        return
    # The child: do the work, report, and leave without running anything of
    # the parent's (no atexit handlers, no MkDocs epilogue).
    os.close(reader)
    status = 0
    logger = logging.getLogger("mkdocs")
    for handler in list(logger.handlers):  # only the parent prints, and counts for strict mode
        logger.removeHandler(handler)
    logger.addHandler(_Collect(_child_log))
    started = time.monotonic()
    try:
        report = work()
        report["seconds"] = time.monotonic() - started
    except BaseException as error:  # noqa: BLE001 - everything is reported to the parent
        status = 1
        report = {"error": str(error) if isinstance(error, PluginError) else "".join(traceback.format_exception(error))}
    report["logged"] = list(_child_log)
    try:
        with os.fdopen(writer, "wb") as out:
            pickle.dump(report, out, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(status)


class _Collect(logging.Handler):
    """Keeps what a child logs for the parent, which logs it again."""

    def __init__(self, into: list) -> None:
        super().__init__()
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append((record.levelno, record.getMessage()))


def _collect(children: list[tuple[int, int]], use: Callable[[dict[str, Any]], None]) -> None:
    """Wait for every child in the list: log what it logged, hand over its report."""
    while children:
        pid, reader = children.pop(0)
        with os.fdopen(reader, "rb") as stream:
            data = stream.read()
        _, status = os.waitpid(pid, 0)
        try:
            report = pickle.loads(data) if data else {}
        except Exception:  # noqa: BLE001 - a child killed mid-report
            report = {}
        for level, message in report.get("logged", []):
            log.log(level, message)
        if "seconds" in report:
            log.debug(f"Process {pid} finished its share{' of ' + str(report['rendered']) + ' pages' if 'rendered' in report else ''} in {report['seconds']:.2f} s.")
        if status != 0 and "error" not in report:
            report["error"] = f"A build process stopped with status {status} before it reported."
        use(report)


def _stop(children: list[tuple[int, int]]) -> None:
    while children:
        pid, reader = children.pop(0)
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.close(reader)
        os.waitpid(pid, 0)


def _stop_all() -> None:
    mkdocs_build._build_page = _SERIAL_BUILD
    Page.render = _SERIAL_RENDER
    _stop(_run.converters)
    _stop(_run.renderers)
    _close_streams()
    _close_tickets()


def _close_tickets() -> None:
    if _run.tickets >= 0:
        os.close(_run.tickets)
        _run.tickets = -1


def _close_streams() -> None:
    for stream in _run.streams:
        stream.close()
    _run.streams.clear()
    if _run.claims is not None:
        _run.claims.close()
        _run.claims = None
    _run.converted.clear()
