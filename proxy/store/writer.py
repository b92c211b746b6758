"""The writer thread: moves spooled events into ClickHouse, in order, exactly once.

Loop: cut a batch (from the in-memory feed while it is live, else read back from the
spool), make it durable and journal it as in flight (fsync), and start its insert with a
deduplication token naming its place in the spool. Up to ``insert_concurrency`` inserts
run at once, so the engine can use every core, but batches are marked committed strictly
in spool order: the spool only ever deletes a prefix that ClickHouse holds.

When an insert fails, the writer lets the others finish, closes its clients, backs off
exponentially, reconnects (re-checking the schema) and sends every uncommitted batch
again with the same bounds and token; ClickHouse drops the copies of those that had
landed. Meanwhile new events pile up on disk only. After a crash the journal replays the
in-flight batches the same way.

Each batch is chained (:mod:`proxy.store.chain`) as it is committed: its link is made from
the head read at connect and inserted before the spool commit, so the chain follows the
spool order and a replayed batch gets the same link, or none when its link had landed.

While no insert is running, the writer also closes the finished steps of the
``call_volume_1m`` rollup (:mod:`proxy.store.rollup`), at most every twelfth of a step.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from typing import Any

from structlog.typing import FilteringBoundLogger

from proxy.metrics import Metrics
from proxy.store.chain import BatchProof, ChainHead
from proxy.store.client import ClientFactory
from proxy.store.feed import Feed, Proof
from proxy.store.inserter import Inserter
from proxy.store.settings import StoreSettings
from proxy.store.spool import Batch, Cursor, Spool
from proxy.store.status import ErrorKind, classify

_INITIAL_BACKOFF = 0.2
_POLL = 0.01
#: Seconds between ``log_chain_head`` log lines: an anchor for the chain kept elsewhere.
_HEAD_LOG_INTERVAL = 60.0


@dataclass(slots=True)
class _InFlight:
    batch: Batch
    future: Future[BatchProof]
    #: Its rows are counted and its end published (once, even if the spool commit retries).
    published: bool = False


class Writer:
    """Owns the writer thread and, through an :class:`Inserter`, the ClickHouse clients."""

    def __init__(
        self,
        settings: StoreSettings,
        spool: Spool,
        feed: Feed,
        metrics: Metrics,
        *,
        client_factory: ClientFactory,
        log: FilteringBoundLogger,
    ) -> None:
        self._settings = settings
        self._spool = spool
        self._feed = feed
        self._metrics = metrics
        self._log = log
        self._inserter = Inserter(settings, client_factory=client_factory, log=log)
        self._thread: threading.Thread | None = None
        self._wake = threading.Event()
        self._stopping = False
        self._deadline = float("inf")
        self._backoff = _INITIAL_BACKOFF
        self._committed = spool.first_cursor()
        self._next = self._committed  # where the next new batch starts
        self._window: deque[_InFlight] = deque()
        self._resend: deque[Batch] = deque()  # journaled batches to send again, in order
        self._head: ChainHead | None = None  # read at every connect
        self._head_logged = float("-inf")
        self._rollup_every = settings.rollup_step / 12
        self._rollup_due = 0.0
        self._rollup_failing = False
        #: The last connect or insert succeeded.
        self.reachable = False
        #: Why the last failed operation failed (None once one succeeds again).
        self.last_error: ErrorKind | None = None
        #: The last insert failed and none has landed since. A store that accepts
        #: connections but refuses inserts (a full disk) is not back until one lands.
        self._inserts_failing = False

    @property
    def committed(self) -> Cursor:
        """Everything before this spool position is in ClickHouse."""
        return self._committed

    # -- lifecycle -----------------------------------------------------------------------

    def connect(self) -> bool:
        """Open the clients and apply migrations and retention; False (logged) on failure."""
        try:
            report, altered, self._head = self._inserter.connect()
        except Exception as exc:  # contained: counted, logged, retried
            # Counted as a failed write: while the store is unreachable, nothing is written.
            self._metrics.log_write_errors_total.inc()
            self._failed("store_connect_failed", exc)
            return False
        if self._inserts_failing:
            # Reconnected after a refused insert: keep backing off, and say nothing at
            # info level, until an insert lands (a full disk refuses every one).
            self.reachable = True
            log = self._log.debug
        else:
            self._succeeded()
            log = self._log.info
        log(
            "store_connected",
            url=self._settings.display_url,
            database=self._settings.database,
            migrations_applied=list(report.applied),
            retention_changes=len(altered),
            chain_writer=self._head.writer_id,
            chain_seq=self._head.seq,
        )
        return True

    def start(self) -> None:
        """Start the thread; it resumes at the oldest uncommitted record in the spool."""
        self._committed = self._next = self._spool.first_cursor()
        self._feed.go_live(self._next)  # no backlog on disk: queue from the first event
        self._thread = threading.Thread(target=self._run, name="event-log-writer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float) -> bool:
        """Flush what is spooled (for at most ``timeout`` seconds), stop, close the clients.
        True when everything was committed."""
        self._deadline = time.monotonic() + timeout
        self._stopping = True
        self._feed.hurry(True)
        self._wake.set()
        if self._thread is not None:
            # The margin covers inserts already running when the deadline passes.
            self._thread.join(timeout + self._settings.timeout)
        self._inserter.shutdown()
        return self.caught_up()

    def caught_up(self) -> bool:
        """Everything spooled so far is committed."""
        return self._spool.normalize(self._committed) >= self._spool.live_end()

    # -- the thread ----------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            self._metrics.log_queue_depth.set(self._feed.depth)
            self._metrics.log_rows_spooled.set(self._spool.pending_rows)
            if self._stopping and (self.caught_up() or time.monotonic() >= self._deadline):
                break
            if not self._inserter.connected and not self.connect():
                self._sleep_backoff()
                continue
            try:
                self._fill_window()
                if self._window:
                    self._harvest()
                if not self._window:  # between inserts, even under steady load
                    self._roll_up()
            except Exception as exc:  # contained: the thread must outlive any one failure
                self._failed("event_log_writer_step_failed", exc)
                self._sleep_backoff()
        for flight in self._window:  # stopped at the deadline: let running inserts end
            flight.future.exception()

    def _fill_window(self) -> None:
        """Start inserts until the window is full or nothing is ready to send."""
        while len(self._window) < self._settings.insert_concurrency:
            proofs: list[Proof] | None = None  # a resent batch is proved from its bytes
            if self._resend:
                batch = self._resend.popleft()
            else:
                self._next = self._spool.normalize(self._next)
                found = self._next_batch(self._next, block=not self._window)
                if found is None:
                    return
                batch, proofs = found
                self._spool.begin(batch)
                self._next = batch.end
            self._window.append(_InFlight(batch, self._inserter.submit(batch, proofs)))

    def _next_batch(
        self, cursor: Cursor, *, block: bool
    ) -> tuple[Batch, list[Proof] | None] | None:
        """The batch starting at ``cursor``, if one is ready, with its rows' proofs when
        the queue had them all. With ``block`` (nothing in flight) it waits up to
        ``flush_interval`` for the queue to fill a batch."""
        size = self._settings.batch_size
        if self._feed.live:
            if block:
                taken = self._feed.take(cursor, wait=self._settings.flush_interval)
            elif self._feed.ready(self._settings.flush_interval):
                taken = self._feed.take(cursor, wait=0)
            else:
                return None
            if taken.records:
                return self._spool.batch(taken.records), taken.proofs
            if self._feed.live:
                return None
        if not block:
            # Reading from disk while inserts run: only whole batches, not a trickle of
            # small inserts (each one is a part for ClickHouse to merge).
            rows = sum(flight.batch.span.rows for flight in self._window)
            data = sum(flight.batch.span.end - flight.batch.span.start for flight in self._window)
            if (
                self._spool.pending_rows - rows < size
                and self._spool.pending_bytes - data < self._settings.batch_max_bytes
            ):
                self._feed.go_live(cursor)
                return None
        batch = self._spool.read(cursor, size, self._settings.batch_max_bytes)
        if batch is None:
            if not self._feed.go_live(cursor) and block:
                time.sleep(_POLL)  # a record is on its way into a new segment
            return None
        return batch, None

    def _harvest(self) -> None:
        """Wait briefly for inserts to end; commit finished ones in spool order."""
        full = len(self._window) >= self._settings.insert_concurrency
        wait(
            [flight.future for flight in self._window],
            timeout=self._settings.flush_interval if full else _POLL,
            return_when=FIRST_COMPLETED,
        )
        while self._window and self._window[0].future.done():
            flight = self._window[0]
            exc = flight.future.exception()
            if exc is None:
                try:
                    self._chain(flight.batch, flight.future.result())
                except Exception as chain_exc:  # contained: recovered like a failed insert
                    exc = chain_exc
            if exc is not None:
                self._window.popleft()
                self._recover(flight.batch, exc)
                return
            if not flight.published:
                # The rows are in ClickHouse: count them and publish their end *before* the
                # spool commit, which may delete their segment. A flush that reads the end
                # then always sees them counted, and never a cursor into a segment that
                # vanished under it (it would read as "past the end" too early).
                flight.published = True
                self._metrics.log_rows_written_total.inc(flight.batch.span.rows)
                self._committed = flight.batch.end
            self._spool.commit(flight.batch)  # if this raises, the next harvest retries it
            self._window.popleft()
            self._succeeded()

    def _chain(self, batch: Batch, proof: BatchProof) -> None:
        """Insert the link of a batch whose rows landed, unless it landed before (a batch
        replayed after a crash between its link's insert and its commit)."""
        head = self._head
        assert head is not None, "a batch was inserted before connect()"
        if head.token == batch.token:
            return
        link = head.extend(batch.token, proof)
        self._inserter.insert_link(link)
        head.advance(link)
        now = time.monotonic()
        if now - self._head_logged >= _HEAD_LOG_INTERVAL:
            self._head_logged = now
            self._log.info(
                "log_chain_head", chain_writer=head.writer_id, chain_seq=head.seq, hash=head.hash
            )

    def _roll_up(self) -> None:
        """Close the rollup's finished steps when due. A failure is logged and retried at
        the next turn: the view reads the calls from ``requests`` meanwhile."""
        now = time.monotonic()
        if now < self._rollup_due or self._stopping:
            return
        self._rollup_due = now + self._rollup_every
        try:
            self._inserter.roll_up()
        except Exception as exc:  # contained: the rollup must not stop the event log
            log = self._log.debug if self._rollup_failing else self._log.warning
            self._rollup_failing = True
            info = classify(exc)
            log("call_volume_rollup_failed", error_kind=info.kind.value, error_type=info.type)
            return
        self._rollup_failing = False

    def _recover(self, failed: Batch, exc: BaseException) -> None:
        """After a failed insert: wait out the others, drop the connection, back off; every
        uncommitted batch will be sent again, in order, once reconnected."""
        self._metrics.log_write_errors_total.inc()
        self._failed("store_write_failed", exc, rows=failed.span.rows)
        self._inserts_failing = True
        self._feed.go_offline()
        pending = [failed]
        for flight in self._window:
            flight.future.exception()  # wait; a landed copy is deduplicated on resend
            pending.append(flight.batch)
        self._window.clear()
        self._resend = deque(pending + list(self._resend))
        self._inserter.disconnect()
        self._sleep_backoff()

    # -- helpers -------------------------------------------------------------------------

    def _sleep_backoff(self) -> None:
        """Wait before a retry; cut short when stopping."""
        delay = self._backoff
        self._backoff = min(self._backoff * 2, self._settings.retry_backoff_max)
        self._wake.clear()
        if self._stopping:
            delay = min(delay, max(0.0, self._deadline - time.monotonic()))
        self._wake.wait(delay)

    def _succeeded(self) -> None:
        if self.last_error is not None:
            self._log.info("store_recovered", backlog=self._spool.pending_rows)
        self._inserts_failing = False
        self.reachable = True
        self.last_error = None
        self._backoff = _INITIAL_BACKOFF

    def _failed(self, event: str, exc: BaseException, **fields: Any) -> None:
        info = classify(exc)
        first = self.last_error is None
        if info.kind is not ErrorKind.SPOOL_IO:
            self.reachable = False
        self.last_error = info.kind
        log = self._log.warning if first else self._log.debug
        log(
            event,
            error_kind=info.kind.value,
            error_type=info.type,
            error_code=info.code,
            error_name=info.name,
            retry_in_s=round(self._backoff, 2),
            backlog=self._spool.pending_rows,
            **fields,
        )
