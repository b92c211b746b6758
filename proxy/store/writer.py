"""The writer thread: moves spooled events into ClickHouse, in order, exactly once.

Loop: take a batch (from the in-memory feed while it is live, else read it back from the
spool), make it durable and journal it (one fsync each), insert it with a deduplication
token naming its place in the spool, then mark it committed (which deletes finished
segments). When ClickHouse fails, the same batch is retried with exponential backoff
while new events pile up on disk only; after a crash the journal replays the batch that
was in flight with the same bounds, so the token matches and ClickHouse drops a copy that
had already landed.

The embedded engine has no async client, and one client serialises its calls: this thread
owns its own client, opened through the injected factory.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from clickhouse_connect.driver.client import Client
from structlog.typing import FilteringBoundLogger

from proxy.metrics import Metrics
from proxy.store.client import ClientFactory
from proxy.store.feed import Feed
from proxy.store.rows import INSERT_SETTINGS
from proxy.store.schema import apply_retention, migrate
from proxy.store.settings import StoreSettings
from proxy.store.spool import Batch, Cursor, Spool
from proxy.store.status import ErrorInfo, ErrorKind, classify

_INITIAL_BACKOFF = 0.2
_IDLE_POLL = 0.01


class Writer:
    """Owns the writer thread and its ClickHouse client."""

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
        self._factory = client_factory
        self._log = log
        self._table = f"{settings.database}.requests"
        self._client: Client | None = None
        self._thread: threading.Thread | None = None
        self._wake = threading.Event()
        self._stopping = False
        self._deadline = float("inf")
        self._backoff = _INITIAL_BACKOFF
        self._committed = spool.first_cursor()
        #: The last connect or insert succeeded.
        self.reachable = False
        #: Why the last failed operation failed (None once one succeeds again).
        self.last_error: ErrorKind | None = None

    @property
    def committed(self) -> Cursor:
        """Everything before this spool position is in ClickHouse."""
        return self._committed

    # -- lifecycle -----------------------------------------------------------------------

    def connect(self) -> bool:
        """Open the client and apply migrations and retention; False (logged) on failure."""
        client: Client | None = None
        try:
            client = self._factory(self._settings)
            report = migrate(client, self._settings)
            altered = apply_retention(client, self._settings)
        except Exception as exc:  # contained: counted, logged, retried
            if client is not None:
                _close_quietly(client, self._log)
            # Counted as a failed write: while the store is unreachable, nothing is written.
            self._metrics.log_write_errors_total.inc()
            self._failed("store_connect_failed", exc)
            return False
        self._client = client
        self._succeeded()
        self._log.info(
            "store_connected",
            url=self._settings.display_url,
            database=self._settings.database,
            migrations_applied=list(report.applied),
            retention_changes=len(altered),
        )
        return True

    def start(self) -> None:
        """Start the thread; it resumes at the oldest uncommitted record in the spool."""
        self._committed = self._spool.first_cursor()
        self._thread = threading.Thread(target=self._run, name="event-log-writer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float) -> bool:
        """Flush what is spooled (for at most ``timeout`` seconds), stop, close the client.
        True when everything was committed."""
        self._deadline = time.monotonic() + timeout
        self._stopping = True
        self._feed.hurry(True)
        self._wake.set()
        if self._thread is not None:
            # The margin covers an insert already in flight when the deadline passes.
            self._thread.join(timeout + self._settings.timeout)
        if self._client is not None:
            _close_quietly(self._client, self._log)
            self._client = None
        return self.caught_up()

    def caught_up(self) -> bool:
        """Everything spooled so far is committed."""
        return self._spool.normalize(self._committed) >= self._spool.live_end()

    # -- the thread ----------------------------------------------------------------------

    def _run(self) -> None:
        cursor = self._committed
        while True:
            self._update_gauges()
            if self._stopping and (self.caught_up() or time.monotonic() >= self._deadline):
                return
            if self._client is None and not self.connect():
                self._sleep_backoff()
                continue
            try:
                cursor = self._spool.normalize(cursor)
                batch = self._next_batch(cursor)
            except OSError as exc:
                self._failed("spool_read_failed", exc)
                self._sleep_backoff()
                continue
            if batch is None:
                continue
            if not self._send(batch):
                return
            cursor = self._committed = batch.end

    def _next_batch(self, cursor: Cursor) -> Batch | None:
        size = self._settings.batch_size
        if self._feed.live:
            records = self._feed.take(cursor, size, wait=self._settings.flush_interval)
            if records:
                return self._spool.batch(records)
            if self._feed.live:
                return None  # nothing arrived within flush_interval
        batch = self._spool.read(cursor, size)
        if batch is None and not self._feed.go_live(cursor):
            time.sleep(_IDLE_POLL)  # a record is on its way into a new segment
        return batch

    def _send(self, batch: Batch) -> bool:
        """Insert a batch, retrying until it lands; False if stopped before it did."""
        body = b"\n".join(batch.payloads)
        settings: dict[str, Any] = {**INSERT_SETTINGS, "insert_deduplication_token": batch.token}
        journaled = False
        while True:
            try:
                if not journaled:
                    self._spool.begin(batch)
                    journaled = True
                if self._client is None:
                    raise ConnectionError("not connected")
                self._client.raw_insert(
                    self._table, None, body, settings=settings, fmt="JSONEachRow"
                )
                self._spool.commit(batch)
            except Exception as exc:  # contained: counted, logged, retried
                self._metrics.log_write_errors_total.inc()
                self._failed("store_write_failed", exc, rows=batch.span.rows)
                self._feed.go_offline()
                if self._client is not None:
                    _close_quietly(self._client, self._log)
                    self._client = None
                if not self._sleep_backoff():
                    return False
                if self._client is None:
                    self.connect()
                continue
            self._metrics.log_rows_written_total.inc(batch.span.rows)
            self._succeeded()
            return True

    # -- helpers -------------------------------------------------------------------------

    def _sleep_backoff(self) -> bool:
        """Wait before a retry; False when stopping and the flush deadline has passed."""
        delay = self._backoff
        self._backoff = min(self._backoff * 2, self._settings.retry_backoff_max)
        self._wake.clear()
        if self._stopping:
            delay = min(delay, max(0.0, self._deadline - time.monotonic()))
        self._wake.wait(delay)
        return not (self._stopping and time.monotonic() >= self._deadline)

    def _succeeded(self) -> None:
        if self.last_error is not None:
            self._log.info("store_recovered", backlog=self._spool.pending_rows)
        self.reachable = True
        self.last_error = None
        self._backoff = _INITIAL_BACKOFF

    def _failed(self, event: str, exc: BaseException, **fields: Any) -> None:
        info: ErrorInfo = classify(exc)
        first = self.last_error is None
        self.reachable = False if info.kind is not ErrorKind.SPOOL_IO else self.reachable
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

    def _update_gauges(self) -> None:
        self._metrics.log_queue_depth.set(self._feed.depth)
        self._metrics.log_rows_spooled.set(self._spool.pending_rows)


def _close_quietly(client: Client, log: FilteringBoundLogger) -> None:
    try:
        client.close()
    except Exception as exc:  # a broken client may fail to close
        log.debug("store_client_close_failed", error_type=type(exc).__name__)
