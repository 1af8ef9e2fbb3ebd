"""Working in several processes: how many to use, a map over forked
processes, and spools.

A spool is an unlinked temporary file that forked processes append whole
records to and one process reads as they come. A pipe would stall a writer
until the reader reads; a file never does. hooks/parallel.py streams Markdown
results through one, hooks/search.py pages for Pagefind.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import signal
import struct
import tempfile
from typing import Any, Callable, Sequence


def cores() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def wanted() -> int:
    """How many processes one language's build may use: NEWSROOM_RENDER_PROCESSES
    (`newsroom.cli build` shares the cores among the languages it builds at
    once), else the cores. Raises ValueError if it is not a whole number."""
    given = os.environ.get("NEWSROOM_RENDER_PROCESSES", "").strip()
    return max(1, int(given)) if given else cores()


def fork_map(function: Callable[[Any], Any], items: Sequence[Any], processes: int) -> list[Any]:
    """`[function(item) for item in items]`, in contiguous parts shared among
    forked processes; this process does the first. Only for a process with
    no other threads (`mkdocs build`, not `serve`). Results must pickle. A
    part whose process failed is done again here, so an error is raised
    exactly as it would be in one process."""
    if processes < 2 or not hasattr(os, "fork") or len(items) < 2 * processes:
        return [function(item) for item in items]
    size = -(-len(items) // processes)
    parts = [items[start : start + size] for start in range(0, len(items), size)]
    children: list[tuple[int, int]] = []
    try:
        for part in parts[1:]:
            writing, reading = scratch("newsroom-map-")
            pid = os.fork()
            if pid == 0:  # the child: its results to the file, then leave at once
                status = 1
                try:
                    write_all(writing, pickle.dumps([function(item) for item in part], protocol=pickle.HIGHEST_PROTOCOL))
                    status = 0
                finally:
                    os._exit(status)
            os.close(writing)
            children.append((pid, reading))
        results = [function(item) for item in parts[0]]
        for part in parts[1:]:
            pid, reading = children[0]
            _, status = os.waitpid(pid, 0)
            children.pop(0)
            data = bytearray()
            while chunk := os.pread(reading, 1 << 22, len(data)):
                data += chunk
            os.close(reading)
            try:
                done = pickle.loads(data) if status == 0 else None
            except Exception:  # noqa: BLE001 - done again below
                done = None
            results.extend(done if isinstance(done, list) and len(done) == len(part) else [function(item) for item in part])
        return results
    finally:  # this process failed: stop the others
        for pid, reading in children:
            os.close(reading)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def write_all(handle: int, data: bytes) -> None:
    """Write every byte (os.write may write fewer than it is given)."""
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]


def scratch(prefix: str) -> tuple[int, int]:
    """An unlinked temporary file: a handle that appends, and one that reads."""
    handle, path = tempfile.mkstemp(prefix=prefix)
    os.close(handle)
    appending = os.open(path, os.O_WRONLY | os.O_APPEND)
    reading = os.open(path, os.O_RDONLY)
    os.unlink(path)
    return appending, reading


class Lock:
    """A lock among forked processes (made before they fork) that the kernel
    releases if its holder dies: a POSIX record lock on a scratch file, which
    each process holds on its own. (A multiprocessing.Lock held by a killed
    process stays taken, and every other process would wait forever.)"""

    def __init__(self) -> None:
        self.handle, reading = scratch("newsroom-lock-")
        os.close(reading)

    def __enter__(self) -> None:
        fcntl.lockf(self.handle, fcntl.LOCK_EX)

    def __exit__(self, *_: object) -> None:
        fcntl.lockf(self.handle, fcntl.LOCK_UN)

    def close(self) -> None:
        os.close(self.handle)


class Spool:
    """Records appended by any process (made before they fork), read in order by one.

    Each record is its length, then its bytes, written whole under a lock; a
    reader takes only records whose every byte is there."""

    HEADER = struct.Struct("<q")

    def __init__(self, prefix: str) -> None:
        self.writing, self.reading = scratch(prefix)
        self.lock = Lock()
        self.offset = 0

    def put(self, data: bytes) -> None:
        with self.lock:
            write_all(self.writing, self.HEADER.pack(len(data)) + data)

    def take(self) -> list[bytes]:
        """Every whole record written since the last call."""
        data = bytearray()
        while chunk := os.pread(self.reading, 1 << 22, self.offset + len(data)):
            data += chunk
        taken, at = [], 0
        while at + self.HEADER.size <= len(data):
            (length,) = self.HEADER.unpack_from(data, at)
            end = at + self.HEADER.size + length
            if end > len(data):
                break
            taken.append(bytes(data[at + self.HEADER.size : end]))
            at = end
        self.offset += at
        return taken

    def close(self) -> None:
        for handle in (self.writing, self.reading):
            os.close(handle)
        self.lock.close()
