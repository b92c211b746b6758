"""The bounded in-memory queue between ``record()`` and the writer thread.

Every event is appended to the spool; while the feed is *live* it is also queued, so the
writer can send it without reading it back from disk. The feed goes *offline* when the
queue overflows or the store fails: events then only go to the spool, the queue stops
holding memory, and the writer reads them back from disk in order until it has caught up
with the spool's end, when it turns the feed live again. Appending to the spool and
queueing happen under one lock, so "caught up" can be decided exactly and the queue
always holds a contiguous run of the spool that starts where the writer is.

A queued record may carry its row's chain proof, made when the row was built
(:func:`proxy.store.rows.encode_proved`), so the writer need not parse it back to prove it.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import NamedTuple

from proxy.store.chain import RowProof
from proxy.store.spool import Cursor, Spool, SpooledRecord

#: A row's chain proof and its ``ts`` in epoch ms, as :func:`proxy.store.chain.prove_payload`
#: returns them.
Proof = tuple[RowProof, int]


class Taken(NamedTuple):
    """A batch of queued records, and their proofs when every one came with its proof."""

    records: list[SpooledRecord]
    proofs: list[Proof] | None


class Feed:
    """Spool appends plus the queue the writer takes batches from (see module docstring)."""

    def __init__(
        self,
        spool: Spool,
        *,
        max_items: int,
        max_bytes: int,
        batch_rows: int,
        batch_bytes: int,
    ) -> None:
        self._spool = spool
        self._max_items = max_items
        self._max_bytes = max_bytes
        self._batch_rows = batch_rows
        self._batch_bytes = batch_bytes
        self._queue: deque[tuple[SpooledRecord, Proof | None]] = deque()
        self._bytes = 0  # payload bytes in the queue
        self._live = False
        self._hurry = 0  # callers that asked for batches at once (flushes, the stop)
        self._oldest_at = 0.0  # about when the record at the head of the queue arrived
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)

    @property
    def depth(self) -> int:
        return len(self._queue)

    @property
    def full(self) -> bool:
        return len(self._queue) >= self._max_items or self._bytes >= self._max_bytes

    @property
    def live(self) -> bool:
        return self._live

    def push(self, payload: bytes, proof: Proof | None = None) -> None:
        """Spool a record and queue it (with its proof, if given) if live. Raises what
        ``Spool.append`` raises."""
        # The condition's own lock, taken directly: a Condition enters and exits it through
        # two Python-level calls, and this runs once a call on the request path.
        with self._lock:
            record = self._spool.append(payload)
            if not self._live:
                return
            queue = self._queue
            if len(queue) >= self._max_items or self._bytes >= self._max_bytes:
                # Overflow: this record and the ones after it reach the writer from disk.
                self._live = False
                return
            if not queue:
                self._oldest_at = time.monotonic()
            queue.append((record, proof))
            self._bytes += len(payload)
            if len(queue) == self._batch_rows:
                self._cond.notify()

    def _batch_due(self) -> bool:
        return len(self._queue) >= self._batch_rows or self._bytes >= self._batch_bytes

    def take(self, cursor: Cursor, wait: float) -> Taken:
        """A batch of queued records starting exactly at ``cursor``.

        Waits up to ``wait`` seconds for a full batch (unless hurried), then returns what
        there is, up to the batch limits; none when the queue does not start at ``cursor``
        (records were spooled but not queued): the feed goes offline and the writer reads
        the disk.
        """
        with self._cond:
            if self._live and not self._hurry and not self._batch_due():
                self._cond.wait_for(
                    lambda: not self._live or self._hurry > 0 or self._batch_due(), timeout=wait
                )
            queue = self._queue
            if not queue:
                return Taken([], None)
            first, proof = queue.popleft()
            if first.segment != cursor.segment or first.start != cursor.offset:
                self._live = False
                queue.clear()
                self._bytes = 0
                return Taken([], None)
            taken = [first]
            proofs = [proof]
            size = len(first.payload)
            while queue and len(taken) < self._batch_rows:
                nxt, proof = queue[0]
                if nxt.segment != first.segment or size + len(nxt.payload) > self._batch_bytes:
                    break  # a batch never spans segments nor exceeds its byte limit
                queue.popleft()
                taken.append(nxt)
                proofs.append(proof)
                size += len(nxt.payload)
            self._bytes -= size
            if queue:
                # Under-estimates the new head's age: a flush is at most one interval late.
                self._oldest_at = time.monotonic()
            complete = [p for p in proofs if p is not None]
            return Taken(taken, complete if len(complete) == len(proofs) else None)

    def ready(self, max_age: float) -> bool:
        """A batch is due: the batch limits are reached, the oldest record waited
        ``max_age`` seconds, or the feed is hurried."""
        with self._cond:
            if not self._queue:
                return False
            return (
                self._batch_due()
                or self._hurry > 0
                or time.monotonic() - self._oldest_at >= max_age
            )

    def go_offline(self) -> None:
        """Stop queueing (the store is failing): free the queue; the spool holds it all."""
        with self._cond:
            self._live = False
            self._queue.clear()
            self._bytes = 0

    def go_live(self, cursor: Cursor) -> bool:
        """Start queueing if ``cursor`` is the spool's end (nothing left on disk only)."""
        with self._cond:
            if self._spool.live_end() != cursor:
                return False
            self._queue.clear()  # anything still queued lies before cursor: already read
            self._bytes = 0
            self._live = True
            return True

    def hurry(self, on: bool) -> None:
        """While any caller has it on, ``take`` returns at once instead of waiting for a
        full batch. Counted: each ``hurry(True)`` is undone by one ``hurry(False)``, so
        flushes running at once (searches of the log) do not end each other's hurry."""
        with self._cond:
            self._hurry = self._hurry + 1 if on else max(0, self._hurry - 1)
            self._cond.notify_all()
