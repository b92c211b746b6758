"""Noticing that a file changed, and the one loop that polls every watched file.

The configuration file, the keys file and the policy file are all watched the same way: a
:class:`FileWatch` remembers the version last read (a :class:`FileStamp`: inode, size,
modification time) and :meth:`FileWatch.changed` says whether the file on disk differs. The
proxy runs one :func:`watch` loop over all of them, each at its own interval.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: A file modified this recently may be rewritten within the same timestamp tick (file
#: systems keep coarse clocks: a jiffy on Linux, 2 s on FAT), so the same inode, size and
#: mtime need not mean the same content: such a file's stamp also keeps a content digest.
RACY_NS = 2_000_000_000


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What identifies one version of a file."""

    inode: int
    size: int
    mtime_ns: int
    #: SHA-256 of the content when the stamp was taken within :data:`RACY_NS` of the
    #: modification time; None otherwise.
    digest: str | None = None

    def same_stat(self, other: FileStamp) -> bool:
        return (self.inode, self.size, self.mtime_ns) == (other.inode, other.size, other.mtime_ns)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_stamp(path: Path) -> FileStamp | None:
    """The stamp of ``path`` now (blocking I/O); None when it cannot be read."""
    try:
        st = path.stat()
        racy = time.time_ns() - st.st_mtime_ns < RACY_NS
        digest = _digest(path) if racy else None
    except OSError:
        return None
    return FileStamp(st.st_ino, st.st_size, st.st_mtime_ns, digest)


class FileWatch:
    """The version of one file last read, and whether the file on disk differs from it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: FileStamp | None = None

    def mark(self) -> None:
        """Remember the file as it is now: call it just before reading the file, so that a
        write racing the read shows as a change at the next poll (blocking I/O)."""
        self._seen = file_stamp(self.path)

    def changed(self) -> bool:
        """True when the file differs from the version last marked (blocking I/O). A file
        that appeared, vanished or became unreadable counts as changed."""
        now = file_stamp(self.path)
        seen = self._seen
        if now is None or seen is None:
            return now is not seen
        if not now.same_stat(seen):
            return True
        if seen.digest is None:
            return False
        # Same stat, marked within the racy window: the content decides.
        try:
            digest = now.digest or _digest(self.path)
        except OSError:
            return True
        if digest != seen.digest:
            return True
        self._seen = now  # out of the racy window, the stat alone decides again
        return False


@dataclass(frozen=True, slots=True)
class Watched:
    """One file the watcher polls every ``interval`` seconds: ``changed`` runs in a thread
    (it stats the file), ``reload`` is awaited when it returned True (it reads and parses
    the file off the event loop, then puts the new version in force)."""

    name: str
    changed: Callable[[], bool]
    reload: Callable[[], Awaitable[object]]
    interval: float


async def watch(
    watched: Sequence[Watched], on_error: Callable[[Watched, Exception], object] | None = None
) -> None:
    """Poll every watched file at its interval and reload the changed ones, until cancelled.

    An error checking or reloading one file (say, the data directory became unreadable)
    goes to ``on_error`` (or is raised without one): one loop watches every file, so a bad
    moment for one must not stop the others; what is loaded stays.
    """
    if not watched:
        return
    loop = asyncio.get_running_loop()
    due = [loop.time() + item.interval for item in watched]
    while True:
        await asyncio.sleep(max(0.0, min(due) - loop.time()))
        for index, item in enumerate(watched):
            if due[index] > loop.time():
                continue
            try:
                if await asyncio.to_thread(item.changed):
                    await item.reload()
            except Exception as exc:
                if on_error is None:
                    raise
                on_error(item, exc)
            due[index] = loop.time() + item.interval
