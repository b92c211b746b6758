"""The bounded in-memory queue between ``record()`` and the writer thread.

Every event is appended to the spool; while the feed is *live* it is also queued, so the
writer can send it without reading it back from disk. The feed goes *offline* when the
queue overflows or the store fails: events then only go to the spool, the queue stops
holding memory, and the writer reads them back from disk in order until it has caught up
with the spool's end, when it turns the feed live again. Appending to the spool and
queueing happen under one lock, so "caught up" can be decided exactly and the queue
always holds a contiguous run of the spool that starts where the writer is.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from proxy.store.spool import Cursor, Spool, SpooledRecord


class Feed:
    """Spool appends plus the queue the writer takes batches from (see module docstring)."""

    def __init__(self, spool: Spool, *, max_items: int, batch_size: int) -> None:
        self._spool = spool
        self._max = max_items
        self._batch_size = batch_size
        self._queue: deque[SpooledRecord] = deque()
        self._live = False
        self._hurry = False
        self._oldest_at = 0.0  # about when the record at the head of the queue arrived
        self._cond = threading.Condition(threading.Lock())

    @property
    def depth(self) -> int:
        return len(self._queue)

    @property
    def full(self) -> bool:
        return len(self._queue) >= self._max

    @property
    def live(self) -> bool:
        return self._live

    def push(self, payload: bytes) -> None:
        """Spool a record and queue it if live. Raises what ``Spool.append`` raises."""
        with self._cond:
            record = self._spool.append(payload)
            if not self._live:
                return
            queue = self._queue
            if len(queue) >= self._max:
                # Overflow: this record and the ones after it reach the writer from disk.
                self._live = False
                return
            if not queue:
                self._oldest_at = time.monotonic()
            queue.append(record)
            if len(queue) == self._batch_size:
                self._cond.notify()

    def take(self, cursor: Cursor, max_rows: int, wait: float) -> list[SpooledRecord]:
        """Up to ``max_rows`` queued records starting exactly at ``cursor``.

        Waits up to ``wait`` seconds for a full batch (unless hurried). Returns fewer, or
        none; when the queue does not start at ``cursor`` (records were spooled but not
        queued) the feed goes offline and returns none: the writer reads the disk.
        """
        with self._cond:
            if self._live and not self._hurry and len(self._queue) < max_rows:
                self._cond.wait_for(
                    lambda: not self._live or self._hurry or len(self._queue) >= max_rows,
                    timeout=wait,
                )
            queue = self._queue
            if not queue:
                return []
            first = queue[0]
            if first.segment != cursor.segment or first.start != cursor.offset:
                self._live = False
                queue.clear()
                return []
            taken = [queue.popleft()]
            while queue and len(taken) < max_rows:
                nxt = queue[0]
                if nxt.segment != first.segment:
                    break  # a batch never spans segments
                taken.append(queue.popleft())
            if queue:
                self._oldest_at = time.monotonic()  # an upper bound on the new head's age
            return taken

    def ready(self, max_rows: int, max_age: float) -> bool:
        """A batch is due: ``max_rows`` queued, the oldest waited ``max_age``, or hurried."""
        with self._cond:
            queue = self._queue
            if not queue:
                return False
            return (
                len(queue) >= max_rows
                or self._hurry
                or time.monotonic() - self._oldest_at >= max_age
            )

    def go_offline(self) -> None:
        """Stop queueing (the store is failing): free the queue; the spool holds it all."""
        with self._cond:
            self._live = False
            self._queue.clear()

    def go_live(self, cursor: Cursor) -> bool:
        """Start queueing if ``cursor`` is the spool's end (nothing left on disk only)."""
        with self._cond:
            if self._spool.live_end() != cursor:
                return False
            self._live = True
            return True

    def hurry(self, on: bool) -> None:
        """While on, ``take`` returns at once instead of waiting for a full batch."""
        with self._cond:
            self._hurry = on
            self._cond.notify_all()
