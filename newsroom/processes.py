"""Working in several processes: how many cores there are, and spools.

A spool is an unlinked temporary file that forked processes append whole
records to and one process reads as they come. A pipe would stall a writer
until the reader reads; a file never does. hooks/parallel.py streams Markdown
results through one, hooks/search.py pages for Pagefind.
"""

from __future__ import annotations

import multiprocessing
import os
import struct
import tempfile


def cores() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def scratch(prefix: str) -> tuple[int, int]:
    """An unlinked temporary file: a handle that appends, and one that reads."""
    handle, path = tempfile.mkstemp(prefix=prefix)
    os.close(handle)
    appending = os.open(path, os.O_WRONLY | os.O_APPEND)
    reading = os.open(path, os.O_RDONLY)
    os.unlink(path)
    return appending, reading


class Spool:
    """Records appended by any process (made before they fork), read in order by one.

    Each record is its length, then its bytes, written whole under a lock; a
    reader takes only records whose every byte is there."""

    HEADER = struct.Struct("<q")

    def __init__(self, prefix: str) -> None:
        self.writing, self.reading = scratch(prefix)
        self.lock = multiprocessing.Lock()
        self.offset = 0

    def put(self, data: bytes) -> None:
        record = memoryview(self.HEADER.pack(len(data)) + data)
        with self.lock:
            while record:
                record = record[os.write(self.writing, record) :]

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
